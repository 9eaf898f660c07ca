"""``make grade ASSIGNMENT=<id>``: grade every submission of one assignment, safely and in parallel.

Submissions sit in nbgrader's layout, ``submitted/<student>/<assignment>/<assignment>.ipynb``
(``make collect`` puts them there). For each one, in a pool of one worker per core:

1. the notebook is read and compared with the release (curriculum/): edited or deleted locked cells
   are put back and the submission is flagged with the reason; an unreadable, missing or misnamed
   notebook scores 0 with the reason, and nobody else is affected;
2. the student's cells run in a confined runner (``autograder.grading.sandbox``): an unprivileged user of
   its own, no view of solutions/, build/, the gradebook or other students, no network, bounds on
   time (per cell, per call, per submission), memory, processes and file size;
3. the runner calls each graded function on the *inputs* of the public and hidden cases and sends
   the outputs back as plain data; the verdict (outputs against the reference's, catalogued mistake
   named) is reached here, in the grader, where the student's code never ran.

It writes ``reports/<assignment>/exercise_scores.csv`` (student, score, max_score, flagged,
reason, and the points of each exercise under its test cell's grade_id),
``reports/<assignment>/details.json``, the class report (``autograder.grading.class_report``), one feedback
page per student in ``feedback/<student>/<assignment>/feedback.html`` (name and score first, then
per exercise its outcome, points, message and hint beside the learner's code; never a hidden
input, expected value or test source), the autograded notebook nbgrader's ``generate_feedback``
and formgrader read (``autograded/<student>/<assignment>/``), and the grades into nbgrader's
gradebook as ``autograde`` would write them (scores, no manual grading needed, flags, submission
time and late penalty), so that formgrader and ``nbgrader export`` see what the grader decided.
``--student`` regrades one student and keeps everyone else's rows, pages and gradebook entries.

``grade_stock`` keeps the stock path (``nbgrader autograde``) for comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import html
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from autograder.authoring import build, course
from autograder.checking.checks import case_lines, judge, match_mistake
from autograder.checking.serialize import Raised, decode, encode, load
from autograder.grading.sandbox import confine, notebook

# the grader's own report, one per assignment (nbgrader's export is reports/gradebook_export.csv)
CSV_NAME = "exercise_scores.csv"

# ------------------------------------------------------------------------------------------------
# stock nbgrader


def nbgrader(*args: str, root: Path) -> subprocess.CompletedProcess:
    cmd = [str(Path(sys.executable).parent / "nbgrader"), *args]
    return subprocess.run(cmd, cwd=root, env=build.nbgrader_env(), capture_output=True, text=True)


def log_errors(stderr: str, limit: int = 6000) -> str:
    """What an nbgrader log says went wrong: its tracebacks and ERROR lines, without the INFO lines
    and the checksum warnings that bury them when one call grades a whole class."""
    kept = [
        line
        for line in stderr.splitlines()
        if "| INFO]" not in line
        and "checksum' for cell" not in line
        and "running over TCP" not in line
    ]
    return "\n".join(kept)[-limit:]


def db_url(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def students(root: Path, assignment: str) -> list[str]:
    base = root / "submitted"
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())


def scores(root: Path, assignment: str) -> list[dict]:
    """One row per submitted student, read from the gradebook (a missing grade reads as 0)."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(db_url(root)) as gb:
        max_score = gb.find_assignment(assignment).max_score
        for student in students(root, assignment):
            row = {"student": student, "score": 0.0, "max_score": max_score, "reason": ""}
            try:
                nb = gb.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                row["reason"] = "not graded: the submission could not be run"
                rows.append(row)
                continue
            for grade in sorted(nb.grades, key=lambda g: g.name):
                row[grade.name] = grade.score
            row["score"] = nb.score
            if nb.needs_manual_grade:
                row["reason"] = "needs manual grading"
            rows.append(row)
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = ["student", "score", "max_score", "flagged", "reason"]
    fields = [f for f in fields if any(f in row for row in rows)] or fields
    for row in rows:
        fields += [k for k in row if k not in fields and not k.startswith("_")]
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, restval="", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def grade_stock(assignment: str, root: Path = course.ROOT, rebuild: bool = True) -> Path:
    """Stock ``nbgrader autograde`` (sequential, in the student's kernel): kept for comparison."""
    if rebuild:
        build.prepare(assignment)
        build.generate_assignment(assignment)
    if not students(root, assignment):
        raise SystemExit(f"no submissions in {root / 'submitted'}/*/{assignment}/")
    done = nbgrader("autograde", assignment, "--force", root=root)
    sys.stderr.write(log_errors(done.stderr) if done.returncode else "")
    out = root / "reports" / assignment / CSV_NAME
    write_csv(scores(root, assignment), out)
    print(f"grades of {assignment}: {out}")
    return out


# ------------------------------------------------------------------------------------------------
# confined grading


def load_exercises(root: Path, assignment: str) -> list[dict]:
    """Each exercise with its public cases (course data) then its hidden cases (grading folder)."""
    public = load(course.DATA / f"{assignment}.json")["exercises"]
    grading = root / "build" / "grading" / f"{assignment}.json"
    if not grading.exists():
        grading = course.GRADING / f"{assignment}.json"
    hidden = load(grading)["exercises"]
    out = []
    for name, ex in public.items():
        ex = dict(ex)
        ex["public"] = len(ex["cases"])
        ex["cases"] = [*ex["cases"], *hidden[name]["cases"]]
        out.append(ex)
    return out


def job_for(plan: notebook.Plan, exercises: list[dict], limits: confine.Limits) -> dict:
    """What the runner receives: code and inputs, never an expected output."""
    return {
        "cells": plan.cells,
        # the release's setup cells are the instructor's code: only the whole-run bound applies
        "bounds": [
            limits.wall_seconds if label.startswith("setup") else limits.cell_seconds
            for label in plan.labels
        ],
        "call_seconds": limits.call_seconds,
        "exercises": [
            {
                "name": ex["name"],
                "uses": ex["uses"],
                "driver": ex["driver"],
                "cases": [
                    {
                        "args": encode(tuple(c["args"])),
                        "kwargs": encode(dict(c["kwargs"])),
                        "calls": encode(c.get("calls") or {}),
                    }
                    for c in ex["cases"]
                ],
            }
            for ex in exercises
        ],
    }


def batch_of(args) -> int | None:
    import numpy as np

    for a in args:
        if isinstance(a, np.ndarray) and a.ndim >= 1:
            return int(a.shape[0])
    return None


def verdict(ex: dict, outputs: list) -> dict:
    """Pass or fail of one exercise, judged here from the outputs the runner sent back."""
    failure = None
    for i, (case, got) in enumerate(zip(ex["cases"], outputs)):
        found = judge(ex, got, case["expected"], batch_of(case["args"]), case["args"])
        if found:
            failure = (i, found, got)
            break
    result = {
        "exercise": ex["name"],
        "grade_id": ex["grade_id"],
        "max_points": float(ex["points"]),
        "points": float(ex["points"]) if failure is None else 0.0,
        "passed": failure is None,
        "mistake": None,
        "hint": None,
        "message": f"{ex['name']} passes its {len(outputs)} public and hidden tests.",
    }
    if failure is None:
        return result
    i, mismatch, got = failure
    # what the class report counts: the checker's own diagnosis, kept apart from the message
    result["summary"] = mismatch.summary
    result["diagnosis"] = mismatch.diagnosis
    result["raised"] = got.type_name if isinstance(got, Raised) else None
    result["blank"] = all(isinstance(o, Raised) and o.type_name == BLANK for o in outputs)
    if i < ex["public"]:
        lines = case_lines(ex, i, got, mismatch, f"public case {i + 1}", hidden=False)
    else:
        k, hidden = i - ex["public"], len(outputs) - ex["public"]
        lines = case_lines(ex, i, got, mismatch, f"hidden test {k + 1} of {hidden}", hidden=True)
    info = match_mistake(ex, ex["cases"], outputs)
    if info:
        result["mistake"], result["hint"] = info["name"], info["hint"]
        lines.append(f"Known mistake: {info['name']}.")
    result["message"] = "\n".join(lines)
    return result


BLANK = "NotImplementedYet"  # what an untouched stub raises (autograder.checking.checks.todo)


def learner_code(nb, exercises: list[dict]) -> dict[str, str]:
    """The source of the solution cell that defines each exercise, as the learner left it."""
    out = {}
    cells = [c for c in nb.cells if c.cell_type == "code" and notebook.meta(c).get("solution")]
    for ex in exercises:
        name = ex["name"]
        for cell in cells:
            if f"def {name}(" in cell.source or f"class {name}" in cell.source:
                out[name] = cell.source
                break
    return out


NO_RESULT = Raised("NoResult", "the run ended before this case (a time or memory bound)")


def grade_one(task: dict) -> dict:
    """Grade one submission; never raises (a grader error is reported in the row, flagged)."""
    student, folder = task["student"], Path(task["folder"])
    exercises, limits = task["exercises"], task["limits"]
    row = {
        "student": student,
        "score": 0.0,
        "max_score": float(sum(ex["points"] for ex in exercises)),
        "flagged": False,
        "reason": "",
        **{ex["grade_id"]: 0.0 for ex in exercises},
    }
    detail = {"student": student, "exercises": [], "cells": [], "seconds": 0.0}
    flags: list[str] = []
    try:
        release = notebook.read(Path(task["release"]))
        try:
            nb = notebook.read(notebook.find(folder, task["assignment"]))
        except notebook.Unreadable as error:
            flags.append(str(error))
            raise
        plan = notebook.plan(nb, release)
        flags += plan.flags
        detail["code"] = learner_code(nb, exercises)
        run = confine.run(
            job_for(plan, exercises, limits), Path(task["workdir"]), task["slot"], limits
        )
        detail["seconds"] = round(run.seconds, 2)
        detail["confined"] = run.confined
        detail["uid"] = run.uid
        if run.killed:
            flags.append(f"stopped at the {limits.wall_seconds:g} s bound for the whole submission")
        calls: dict[tuple, object] = {}
        for rec in run.records:
            if rec.get("kind") == "cell" and isinstance(rec.get("index"), int):
                i = rec["index"]
                label = plan.labels[i] if 0 <= i < len(plan.labels) else f"cell {i}"
                if not rec.get("ok"):
                    error = str(rec.get("error"))[:80]
                    said = str(rec.get("message") or error)[:400]
                    detail["cells"].append(f"{label} raised {said}")
                    if error == "TimeoutError":
                        flags.append(f"{label} stopped at the {limits.cell_seconds:g} s cell bound")
                    if error == "MemoryError":
                        flags.append(
                            f"{label} ran out of memory (bound {limits.memory_bytes >> 20} MB)"
                        )
            elif rec.get("kind") == "call":
                key = (rec.get("exercise"), rec.get("case"))
                if key not in calls:  # the runner writes each call once; the first line counts
                    try:
                        calls[key] = decode(rec.get("output"))
                    except Exception:  # noqa: BLE001 - garbage written by the student's code
                        calls[key] = Raised("Unreadable", "")
        for ex in exercises:
            outputs = [calls.get((ex["name"], i), NO_RESULT) for i in range(len(ex["cases"]))]
            if any(isinstance(o, Raised) and o.type_name == "TimeoutError" for o in outputs):
                flags.append(
                    f"{ex['name']} ran past the {limits.call_seconds:g} s bound of one call"
                )
            v = verdict(ex, outputs)
            detail["exercises"].append(v)
            row[ex["grade_id"]] = v["points"]
        row["score"] = sum(v["points"] for v in detail["exercises"])
    except notebook.Unreadable:
        pass
    except Exception as error:  # noqa: BLE001 - one broken submission never stops the class
        flags.append(f"grader error: {type(error).__name__}: {error}")
    finally:
        shutil.rmtree(task["workdir"], ignore_errors=True)
    row["flagged"] = bool(flags)
    row["reason"] = "; ".join(dict.fromkeys(flags))
    detail["row"] = row
    return detail


def grade_class(
    assignment: str,
    root: Path,
    limits: confine.Limits | None = None,
    jobs: int | None = None,
    only: list[str] | None = None,
) -> list[dict]:
    """Details of every submission, graded in a pool of ``jobs`` workers (default: all cores)."""
    limits = limits or confine.Limits()
    exercises = load_exercises(root, assignment)
    who = only if only is not None else students(root, assignment)
    work = Path(tempfile.mkdtemp(prefix=f"grading-{assignment}-"))
    os.chmod(work, 0o700)
    tasks = [
        {
            "student": s,
            "assignment": assignment,
            "folder": str(root / "submitted" / s / assignment),
            "release": str(root / "curriculum" / assignment / f"{assignment}.ipynb"),
            "exercises": exercises,
            "limits": limits,
            "workdir": str(work / f"s{i:04d}"),
            "slot": i,
        }
        for i, s in enumerate(who)
    ]
    try:
        if (jobs or os.cpu_count() or 1) == 1:
            return [grade_one(t) for t in tasks]
        with ProcessPoolExecutor(max_workers=jobs or os.cpu_count()) as pool:
            return list(pool.map(grade_one, tasks))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def feedback_page(assignment: str, detail: dict) -> tuple[str, str]:
    """Markdown and HTML feedback of one student: their name and score first, then per exercise
    its outcome, points, message and hint beside the learner's own code; never a hidden test's
    source, inputs or expected values."""
    row = detail["row"]
    code = detail.get("code") or {}
    title = f"{assignment}: {row['student']}, {row['score']:g} / {row['max_score']:g}"
    md = [f"# {title}", ""]
    late = ""
    if row.get("late_hours"):
        penalty = float(row.get("late_penalty") or 0.0)
        late = (
            f"submitted {row['late_hours']:g} h after the due date: late penalty {penalty:g}, "
            f"score after it {max(0.0, row['score'] - penalty):g} / {row['max_score']:g}"
        )
        md += [f"**Late:** {late}", ""]
    if row["reason"]:
        md += [f"**Note from the grader:** {row['reason']}", ""]
    for v in detail["exercises"]:
        mark = "passed" if v["passed"] else "not yet"
        md += [f"## {v['exercise']} ({v['points']:g} / {v['max_points']:g} points): {mark}", ""]
        md += ["```", v["message"], "```", ""]
        if v["hint"]:
            md += [f"**Hint:** {v['hint']}", ""]
        if v["exercise"] in code:
            md += ["Your code:", "", "```python", code[v["exercise"]].rstrip(), "```", ""]
    if detail["cells"]:
        md += ["## Cells that raised an error while grading", ""]
        md += [f"- {c}" for c in detail["cells"]] + [""]
    text = "\n".join(md)

    esc = html.escape
    parts = [f"<h1>{esc(title)}</h1>"]
    if late:
        parts.append(f"<p class='note'><b>Late:</b> {esc(late)}</p>")
    if row["reason"]:
        parts.append(f"<p class='note'><b>Note from the grader:</b> {esc(row['reason'])}</p>")
    for v in detail["exercises"]:
        mark = "passed" if v["passed"] else "not yet"
        parts.append(
            f"<section class='{'pass' if v['passed'] else 'fail'}'>"
            f"<h2>{esc(v['exercise'])} ({v['points']:g} / {v['max_points']:g} points): {mark}</h2>"
            "<div class='pair'>"
            f"<div><h3>Your code</h3><pre class='code'>{esc(code.get(v['exercise'], '(not found)'))}"
            "</pre></div>"
            f"<div><h3>What the grader found</h3><pre>{esc(v['message'])}</pre>"
            + (f"<p><b>Hint:</b> {esc(v['hint'])}</p>" if v["hint"] else "")
            + "</div></div></section>"
        )
    if detail["cells"]:
        parts.append("<h2>Cells that raised an error while grading</h2><ul>")
        parts += [f"<li>{esc(c)}</li>" for c in detail["cells"]]
        parts.append("</ul>")
    style = (
        "body{font-family:sans-serif;max-width:90em;margin:1em auto;padding:0 1em}"
        "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.6em;"
        "margin:0}"
        ".pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1em}"
        "section{border-left:.4em solid #c33;padding-left:.8em;margin:1.5em 0}"
        "section.pass{border-color:#393}h3{font-size:.9em;color:#555;margin:.2em 0}"
        ".note{background:#fff3cd;padding:.5em}"
    )
    page = (
        "<!doctype html><meta charset='utf-8'><title>"
        + esc(title)
        + f"</title><style>{style}</style><body>\n"
        + "\n".join(parts)
        + "\n</body>\n"
    )
    return text, page


def autograded_notebook(root: Path, assignment: str, detail: dict):
    """The submission as nbgrader's ``autograde`` would leave it in autograded/: locked cells as
    released, the learner's own cells, and under each test cell the grader's message (an error
    output when it failed). ``nbgrader generate_feedback`` and formgrader read it."""
    import nbformat

    release = notebook.read(root / "curriculum" / assignment / f"{assignment}.ipynb")
    try:
        nb = notebook.read(
            notebook.find(root / "submitted" / detail["student"] / assignment, assignment)
        )
    except notebook.Unreadable:
        nb = release
    released = {notebook.meta(c).get("grade_id"): c for c in release.cells}
    released.pop(None, None)
    by_grade_id = {v["grade_id"]: v for v in detail["exercises"]}
    cells, seen = [], set()
    for cell in nb.cells:
        gid = notebook.meta(cell).get("grade_id")
        if gid in released and gid not in seen:
            seen.add(gid)
            rel = released[gid]
            if notebook.meta(rel).get("locked") or notebook.meta(rel).get("grade"):
                cell = nbformat.from_dict(json.loads(json.dumps(rel)))
        elif gid in released:
            continue
        cells.append(cell)
    for gid, rel in released.items():  # deleted locked cells come back, as add_missing_cells
        if gid not in seen:
            cells.append(rel)
    for cell in cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        v = by_grade_id.get(notebook.meta(cell).get("grade_id"))
        if v is None:
            continue
        if v["passed"]:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=v["message"])]
        else:
            lines = v["message"].splitlines() + ([f"Hint: {v['hint']}"] if v.get("hint") else [])
            cell.outputs = [
                nbformat.v4.new_output(
                    "error", ename="CheckFailed", evalue="\n".join(lines), traceback=lines
                )
            ]
    nb.cells = cells
    nb.metadata = release.metadata
    return nb


def save_student(root: Path, assignment: str, detail: dict) -> None:
    """The student's feedback pages and autograded notebook (with its timestamp.txt)."""
    import nbformat

    student = detail["row"]["student"]
    md, page = feedback_page(assignment, detail)
    graded = root / "autograded" / student / assignment
    # in autograded/ too: nbgrader's generate_feedback replaces feedback/<student>/<assignment>/
    # with the autograded folder's files and its own page
    for folder in (root / "feedback" / student / assignment, graded):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "feedback.md").write_text(md)
        (folder / "feedback.html").write_text(page)
    try:
        nb = autograded_notebook(root, assignment, detail)
    except Exception as error:  # noqa: BLE001 - the CSV and feedback.html are written already
        print(f"  (no autograded notebook for {student}: {error})", file=sys.stderr)
    else:
        nbformat.write(nb, graded / f"{assignment}.ipynb")
    stamp = root / "submitted" / student / assignment / "timestamp.txt"
    if stamp.is_file():
        shutil.copyfile(stamp, graded / "timestamp.txt")


def submitted_time(root: Path, assignment: str, student: str):
    """The time in submitted/<student>/<assignment>/timestamp.txt (``make collect`` writes it)."""
    stamp = root / "submitted" / student / assignment / "timestamp.txt"
    if not stamp.is_file():
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(stamp.read_text().strip())
    except Exception:  # noqa: BLE001 - an unreadable time is no time
        return None


def late_plugin(root: Path):
    """nbgrader's late-submission plugin, configured from the course's nbgrader_config.py."""
    from nbgrader.plugins import LateSubmissionPlugin
    from traitlets.config.loader import PyFileConfigLoader

    config = None
    if (root / "nbgrader_config.py").is_file():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    cls = LateSubmissionPlugin
    name = (config or {}).get("AssignLatePenalties", {}).get("plugin_class")
    if name:
        from traitlets.utils.importstring import import_item

        cls = import_item(name) if isinstance(name, str) else name
    return cls(config=config) if config is not None else cls()


def write_gradebook(
    root: Path, assignment: str, details: list[dict], removed: list[str] = ()
) -> None:
    """Put the grades into nbgrader's gradebook as ``autograde`` does, so formgrader, ``nbgrader
    generate_feedback`` and ``nbgrader export`` see them: each autograded cell's score, marked as
    not needing a person (unless a person already gave it a manual score); the notebook flagged
    when the grader flagged it; the submission's time and, when the assignment has a due date,
    nbgrader's late penalty (noted in the student's row)."""
    from nbgrader.api import Gradebook, MissingEntry

    os.environ["PATH"] = build.nbgrader_env()["PATH"]  # nbgrader runs alembic
    plugin = late_plugin(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's deprecation warnings inside nbgrader
        with Gradebook(db_url(root)) as gb:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                print(
                    f"the gradebook has no assignment {assignment}: run nbgrader "
                    f"generate_assignment {assignment} first",
                    file=sys.stderr,
                )
                return
            for student in removed:
                try:
                    gb.remove_submission(assignment, student)
                except MissingEntry:
                    pass
            for d in details:
                row = d["row"]
                student = row["student"]
                gb.update_or_create_student(student)
                try:
                    sub = gb.find_submission(assignment, student)
                except MissingEntry:
                    sub = gb.add_submission(assignment, student)
                sub.timestamp = submitted_time(root, assignment, student)
                nb = next((n for n in sub.notebooks if n.name == assignment), None)
                if nb is None:
                    continue
                for g in nb.grades:
                    if g.name in row and g.cell.cell_type == "code":
                        g.auto_score = float(row[g.name])
                        g.needs_manual_grade = g.manual_score is not None
                nb.flagged = bool(row["flagged"])
                gb.db.commit()
                nb.late_submission_penalty = None
                late = sub.total_seconds_late
                if late > 0:
                    penalty = plugin.late_submission_penalty(student, nb.score, late)
                    if penalty is not None:  # as AssignLatePenalties: between 0 and the score
                        penalty = min(max(penalty, 0.0), nb.score)
                    nb.late_submission_penalty = penalty
                    row["late_penalty"] = penalty or 0.0
                    row["late_hours"] = round(late / 3600, 2)
                gb.db.commit()


def previous_details(reports: Path) -> list[dict]:
    path = reports / "details.json"
    if not path.is_file():
        return []
    try:
        return json.loads(path.read_text())
    except ValueError:
        return []


def report_line(row: dict) -> str:
    line = f"  {row['student']:<24} {row['score']:g} / {row['max_score']:g}"
    if row.get("late_hours"):
        line += f", {row['late_hours']:g} h late: penalty {row.get('late_penalty', 0):g}"
    if row["flagged"]:
        line += f"  FLAGGED: {row['reason']}"
    return line


def grade(
    assignment: str,
    root: Path = course.ROOT,
    rebuild: bool = True,
    limits: confine.Limits | None = None,
    jobs: int | None = None,
    gradebook: bool = True,
    only: list[str] | None = None,
) -> Path:
    """Grade the class (or, with ``only``, just those students, keeping everyone else's rows,
    feedback and gradebook entries) confined and in parallel; returns the CSV's path. A student
    named in ``only`` whose submission is gone is removed from the CSV, report and gradebook."""
    if rebuild and root.resolve() == course.ROOT.resolve():  # the build writes the course's root
        with contextlib.redirect_stdout(io.StringIO()):
            build.build([assignment])
            build.generate_assignment(assignment)  # the gradebook entry export reads
    everyone = students(root, assignment)
    todo = [s for s in only if s in everyone] if only is not None else everyone
    removed = [s for s in only if s not in everyone] if only is not None else []
    if not todo and not removed:
        raise SystemExit(f"no submissions in {root / 'submitted'}/*/{assignment}/")
    start = time.monotonic()
    new = grade_class(assignment, root, limits, jobs, only=todo)
    seconds = time.monotonic() - start
    reports = root / "reports" / assignment
    if only is not None:
        changed = set(only)
        kept = [d for d in previous_details(reports) if d["student"] not in changed]
        details = sorted(kept + new, key=lambda d: d["student"])
        for student in removed:
            shutil.rmtree(root / "feedback" / student / assignment, ignore_errors=True)
            shutil.rmtree(root / "autograded" / student / assignment, ignore_errors=True)
    else:
        details = new
    if gradebook:
        try:
            write_gradebook(root, assignment, new, removed)
        except Exception as error:  # noqa: BLE001 - the CSV is the record; say what went wrong
            print(f"could not write the gradebook: {error}", file=sys.stderr)
    for d in new:  # after the gradebook: a late penalty is on the page too
        save_student(root, assignment, d)
    rows = [d["row"] for d in details]
    out = reports / CSV_NAME
    write_csv(rows, out)
    (reports / "details.json").write_text(json.dumps(details, indent=1, default=str))
    from autograder.grading import class_report

    report = class_report.write(reports, details)
    for d in new:
        print(report_line(d["row"]))
    for student in removed:
        print(f"  {student:<24} removed (no submission left in submitted/)")
    flagged = sum(bool(d["row"]["flagged"]) for d in new)
    print(
        f"{assignment}: {len(new)} graded in {seconds:.1f} s, {flagged} flagged; "
        f"scores {out}; class report {report}"
    )
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--root", type=Path, default=course.ROOT, help="nbgrader course folder")
    parser.add_argument("--no-rebuild", action="store_true", help="use the build as it is")
    parser.add_argument("--stock", action="store_true", help="grade with stock nbgrader autograde")
    parser.add_argument("--jobs", type=int, default=None, help="workers (default: all cores)")
    parser.add_argument("--wall", type=float, default=60.0, help="seconds per submission")
    parser.add_argument("--cell", type=float, default=20.0, help="seconds per cell")
    parser.add_argument("--call", type=float, default=5.0, help="seconds per graded call")
    parser.add_argument(
        "--student",
        action="append",
        default=None,
        help="grade only this student (repeatable); everyone else's grades are kept",
    )
    args = parser.parse_args(argv)
    # numpy's RuntimeWarnings on students' outputs and SQLAlchemy's inside nbgrader say nothing
    # to an instructor: the grader reports what matters in one line per student
    warnings.simplefilter("ignore")
    root = args.root.resolve()
    if args.stock:
        grade_stock(args.assignment, root, rebuild=not args.no_rebuild)
        return
    limits = confine.Limits(wall_seconds=args.wall, cell_seconds=args.cell, call_seconds=args.call)
    only = [s for arg in args.student for s in arg.split(",") if s] if args.student else None
    grade(
        args.assignment,
        root,
        rebuild=not args.no_rebuild,
        limits=limits,
        jobs=args.jobs,
        only=only,
    )


if __name__ == "__main__":
    main()
