"""``make grade ASSIGNMENT=<id>``: grade every submission of one assignment, safely and in parallel.

Submissions sit in nbgrader's layout, ``submitted/<student>/<assignment>/<assignment>.ipynb``
(``make collect`` puts them there). For each one, in a pool of one worker per core:

1. the notebook is read and compared with the release (curriculum/): edited or deleted locked cells
   are put back and the submission is flagged with the reason; an unreadable, missing or misnamed
   notebook scores 0 with the reason, and nobody else is affected;
2. the student's cells run in a confined runner (``autograder.sandbox``): an unprivileged user of
   its own, no view of solutions/, build/, the gradebook or other students, no network, bounds on
   time (per cell, per call, per submission), memory, processes and file size;
3. the runner calls each graded function on the *inputs* of the public and hidden cases and sends
   the outputs back as plain data; the verdict (outputs against the reference's, catalogued mistake
   named) is reached here, in the grader, where the student's code never ran.

It writes ``reports/<assignment>/grades.csv`` (student, score, max_score, flagged, reason, and the
points of each exercise under its test cell's grade_id), ``reports/<assignment>/details.json``, the
class report (``autograder.class_report``), one feedback page per student in
``feedback/<student>/<assignment>/feedback.html`` (pass or fail, points, message and hint per
exercise; never a hidden input, expected value or test source), and the scores into nbgrader's
gradebook so that ``nbgrader export`` sees them.

``grade_stock`` keeps the stock path (``nbgrader autograde``) for comparison.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import build, course
from .checks import case_lines, judge, match_mistake
from .sandbox import confine, notebook
from .serialize import Raised, decode, encode, load

# ------------------------------------------------------------------------------------------------
# stock nbgrader


def nbgrader(*args: str, root: Path) -> subprocess.CompletedProcess:
    cmd = [str(Path(sys.executable).parent / "nbgrader"), *args]
    return subprocess.run(cmd, cwd=root, env=build.nbgrader_env(), capture_output=True, text=True)


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
    sys.stderr.write(done.stderr[-4000:] if done.returncode else "")
    out = root / "reports" / assignment / "grades.csv"
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
    """Markdown and HTML feedback of one student: outcomes, messages, hints; no hidden test."""
    row = detail["row"]
    md = [f"# {assignment}: {row['score']:g} / {row['max_score']:g}", ""]
    if row["reason"]:
        md += [f"**Note from the grader:** {row['reason']}", ""]
    for v in detail["exercises"]:
        mark = "passed" if v["passed"] else "not yet"
        md += [f"## {v['exercise']} ({v['points']:g} / {v['max_points']:g} points): {mark}", ""]
        md += ["```", v["message"], "```", ""]
        if v["hint"]:
            md += [f"**Hint:** {v['hint']}", ""]
    if detail["cells"]:
        md += ["## Cells that raised an error while grading", ""]
        md += [f"- {c}" for c in detail["cells"]] + [""]
    text = "\n".join(md)
    body = []
    for line in md:
        esc = html.escape(line)
        if line.startswith("# "):
            body.append(f"<h1>{esc[2:]}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{esc[3:]}</h2>")
        elif line == "```":
            body.append("<pre>" if body.count("<pre>") == body.count("</pre>") else "</pre>")
        else:
            body.append(esc.replace("**", "") + ("<br>" if line else ""))
    page = (
        "<!doctype html><meta charset='utf-8'><title>"
        + html.escape(f"{assignment}: {row['student']}")
        + "</title><body style='font-family:sans-serif;max-width:50em'>\n"
        + "\n".join(body)
        + "\n</body>\n"
    )
    return text, page


def write_gradebook(root: Path, assignment: str, details: list[dict]) -> None:
    """Put the scores into nbgrader's gradebook (as autograde would) so ``nbgrader export`` works."""
    from nbgrader.api import Gradebook, MissingEntry

    os.environ["PATH"] = build.nbgrader_env()["PATH"]  # nbgrader runs alembic
    with Gradebook(db_url(root)) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return
        for d in details:
            student = d["row"]["student"]
            gb.update_or_create_student(student)
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                sub = gb.add_submission(assignment, student)
            nb = next((n for n in sub.notebooks if n.name == assignment), None)
            if nb is None:
                continue
            points = {k: v for k, v in d["row"].items() if k in {g.name for g in nb.grades}}
            for g in nb.grades:
                g.auto_score = float(points.get(g.name, 0.0))
            if d["row"]["flagged"]:
                sub.flagged = True
            gb.db.commit()


def grade(
    assignment: str,
    root: Path = course.ROOT,
    rebuild: bool = True,
    limits: confine.Limits | None = None,
    jobs: int | None = None,
    gradebook: bool = True,
) -> Path:
    """Grade the class confined and in parallel; returns the CSV's path."""
    if rebuild:
        build.build([assignment])
        build.generate_assignment(assignment)  # the gradebook entry export reads
    if not students(root, assignment):
        raise SystemExit(f"no submissions in {root / 'submitted'}/*/{assignment}/")
    start = time.monotonic()
    details = grade_class(assignment, root, limits, jobs)
    seconds = time.monotonic() - start
    rows = [d["row"] for d in details]
    reports = root / "reports" / assignment
    out = reports / "grades.csv"
    write_csv(rows, out)
    (reports / "details.json").write_text(json.dumps(details, indent=1, default=str))
    for d in details:
        md, page = feedback_page(assignment, d)
        folder = root / "feedback" / d["row"]["student"] / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "feedback.md").write_text(md)
        (folder / "feedback.html").write_text(page)
    if gradebook:
        try:
            write_gradebook(root, assignment, details)
        except Exception as error:  # noqa: BLE001 - the CSV is the record; say what went wrong
            print(f"could not write the gradebook: {error}", file=sys.stderr)
    from . import class_report

    class_report.write(reports, details)
    flagged = sum(r["flagged"] for r in rows)
    print(
        f"grades of {assignment}: {out} ({len(rows)} submissions in {seconds:.1f} s, "
        f"{flagged} flagged)"
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
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.stock:
        grade_stock(args.assignment, root, rebuild=not args.no_rebuild)
        return
    limits = confine.Limits(wall_seconds=args.wall, cell_seconds=args.cell, call_seconds=args.call)
    grade(args.assignment, root, rebuild=not args.no_rebuild, limits=limits, jobs=args.jobs)


if __name__ == "__main__":
    main()
