"""Where a learner stands: every exercise of every module, run against its public check.

``show_progress()`` in any course notebook reads the learner's *saved* notebooks in the folder of
modules that notebook sits in (the workspace that ``make lab`` opens, ``workspace/``; on Binder
too), runs each module's setup cells and the learner's exercise cells in a fresh Python process,
calls each exercise's public check (``autograder.Checker``) and shows a table of module, exercise,
points and status: pass, fail or not started. Nothing is sent anywhere and no server is needed.

The learner's code runs in a separate process with a time limit on every cell and every check, so
an infinite loop, an ``exit()`` or a crash costs one exercise its row, never the table: a step that
overruns is interrupted, and a process that stops answering is killed and a new one carries on
with the modules that are left. Hidden tests are not run: passing a public check is necessary for
the points, not sufficient. It also says when a module the learner started has a new release
(``autograder.checking.workspace``), and where the new version is.
"""

from __future__ import annotations

import ast
import html
import io
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

PASS = "pass"
FAIL = "fail"
NOT_STARTED = "not started"

MODULE_DIR = re.compile(r"^\d\d_\w+$")
STUB = "raise todo()"
SETUP_TIMEOUT = 120.0  # seconds the course's own setup cells may take (imports, data)
GRACE = 15.0  # seconds a worker may stay silent beyond a step's time limit before it is killed
MARK = "@@course-progress@@ "  # protocol lines from the worker; anything else it prints is noise


@dataclass
class Row:
    """One exercise of one module and what its public check said."""

    module: str
    exercise: str
    points: float
    status: str
    detail: str = ""


@dataclass
class Report:
    """The progress table: ``str(report)`` is text, Jupyter shows ``_repr_html_``."""

    folder: Path
    rows: list[Row] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # module -> why it has no rows
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)  # new releases, where the work is kept

    @property
    def modules(self) -> list[str]:
        return sorted({r.module for r in self.rows} | set(self.notes))

    def totals(self, module: str | None = None) -> tuple[float, float]:
        """(points whose public checks pass, points in all) for one module or the whole course."""
        rows = [r for r in self.rows if module is None or r.module == module]
        return (sum(r.points for r in rows if r.status == PASS), sum(r.points for r in rows))

    def status(self, module: str, exercise: str) -> str:
        for r in self.rows:
            if r.module == module and r.exercise == exercise:
                return r.status
        raise KeyError(f"no exercise {exercise!r} in module {module!r}")

    def headline(self, module: str) -> str:
        if module in self.notes:
            return self.notes[module]
        earned, total = self.totals(module)
        if self.untouched(module):
            count = len(self.shown(module, everything=True))
            return f"not started ({count} exercises, {fmt(total)} points)"
        return f"{fmt(earned)} of {fmt(total)} points pass"

    def untouched(self, module: str) -> bool:
        rows = [r for r in self.rows if r.module == module]
        return bool(rows) and all(r.status == NOT_STARTED and not r.detail for r in rows)

    def shown(self, module: str, everything: bool = False) -> list[Row]:
        """A module's rows in the table: none for a module not started yet (its headline says
        so), to keep the table about what the learner has done."""
        if self.untouched(module) and not everything:
            return []
        return [r for r in self.rows if r.module == module]

    def __str__(self) -> str:
        if not self.modules:
            return "\n".join([*self.notices, f"No course modules found in {self.folder}."])
        width = max([len("exercise")] + [len(r.exercise) for r in self.rows])
        lines = [*(f"Note: {n}" for n in self.notices), *([""] if self.notices else [])]
        lines += [f"Progress in {self.folder} (public checks of your saved notebooks)", ""]
        for module in self.modules:
            lines.append(f"{module}: {self.headline(module)}")
            for r in self.shown(module):
                mark = {PASS: "✔", FAIL: "✘"}.get(r.status, "·")
                tail = f"  {r.detail}" if r.detail else ""
                lines.append(
                    f"  {r.exercise:<{width}}  {fmt(r.points):>3} pt  {mark} {r.status}{tail}"
                )
        earned, total = self.totals()
        lines += ["", f"Total: {fmt(earned)} of {fmt(total)} points pass their public checks."]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        esc = html.escape
        if not self.modules:
            return f"<p>No course modules found in <code>{esc(str(self.folder))}</code>.</p>"
        colours = {PASS: "#1a7f37", FAIL: "#cf222e", NOT_STARTED: "#6e7781"}
        marks = {PASS: "✔ pass", FAIL: "✘ fail", NOT_STARTED: "· not started"}
        cell = "padding:2px 10px;text-align:left;"
        out = [
            '<div class="course-progress">',
            *(
                '<p class="course-notice" style="border-left:4px solid #bf8700;'
                f'padding:4px 8px;background:#fff8c5">{esc(n)}</p>'
                for n in self.notices
            ),
            '<table style="border-collapse:collapse">',
            f'<thead><tr><th style="{cell}">module</th><th style="{cell}">exercise</th>'
            f'<th style="{cell}">points</th><th style="{cell}">status</th>'
            f'<th style="{cell}">details</th></tr></thead><tbody>',
        ]
        for module in self.modules:
            out.append(
                f'<tr style="border-top:1px solid #d0d7de"><td style="{cell}" colspan="5">'
                f"<b>{esc(module)}</b>: {esc(self.headline(module))}</td></tr>"
            )
            for r in self.shown(module):
                colour = colours.get(r.status, "inherit")
                out.append(
                    f'<tr data-exercise="{esc(r.exercise)}" data-status="{esc(r.status)}">'
                    f'<td></td><td style="{cell}"><code>{esc(r.exercise)}</code></td>'
                    f'<td style="{cell}">{fmt(r.points)}</td>'
                    f'<td style="{cell}color:{colour};white-space:nowrap">'
                    f"{esc(marks.get(r.status, r.status))}</td>"
                    f'<td style="{cell}">{esc(r.detail)}</td></tr>'
                )
        earned, total = self.totals()
        out += [
            "</tbody></table>",
            f"<p><b>Total: {fmt(earned)} of {fmt(total)} points</b> pass their public checks, "
            f"computed from your saved notebooks in <code>{esc(str(self.folder))}</code> "
            f"in {self.seconds:.1f} s. Save (Ctrl+S) a notebook to count its latest code. Grading "
            "also runs hidden tests: a public check is necessary, not sufficient.</p>",
            "</div>",
        ]
        return "".join(out)


def fmt(points: float) -> str:
    return f"{points:g}"


# --- finding the learner's modules and cells -----------------------------------------------------


def module_dirs(folder: Path) -> list[Path]:
    """Module folders (``NN_slug``) that hold their notebook (``NN_slug/NN_slug.ipynb``)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if MODULE_DIR.match(p.name) and (p / f"{p.name}.ipynb").is_file()
    )


def default_folder(start: Path | None = None) -> Path:
    """The curriculum folder of the calling notebook: its module folder's parent.

    A kernel's working directory is its notebook's folder, so this is ``cwd.parent``; a notebook
    kept in the curriculum folder itself finds the modules beside it.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here.parent, here, here / "workspace", here / "curriculum"):
        if module_dirs(folder):
            return folder
    return here.parent


def notices(folder: Path) -> list[str]:
    """What the learner must hear about where their work is: new releases of the modules they
    started (in a workspace), or that they work in the curriculum a build or a pull replaces."""
    from autograder.checking import workspace

    found = workspace.pending(folder)
    if folder.name == "curriculum" and (folder.parent / "solutions").is_dir():
        found.append(
            "these are the released notebooks in curriculum/, which `make build` and `git pull` "
            "replace (a build first keeps your edits in workspace/). Work in workspace/, which "
            "`make lab` opens: nothing ever writes over a notebook there."
        )
    return found


def defines(source: str, name: str) -> bool:
    """Whether a cell defines ``name`` at its top level (or, if it does not parse, seems to)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return re.search(rf"^\s*(def|class)\s+{re.escape(name)}\b", source, re.M) is not None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name:
                return True
        elif isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                return True
    return False


def cell_kind(cell: dict) -> str | None:
    if cell.get("cell_type") != "code":
        return None
    meta = cell.get("metadata", {})
    nbg = meta.get("nbgrader", {})
    if nbg.get("solution"):
        return "solution"
    if nbg.get("grade"):
        return None  # test cells: the checks are called from the course's data instead
    if "lib" in meta.get("tags", []) or nbg.get("grade_id") == "setup":
        return "lib"
    return None


def source_of(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def plan(module_dir: Path) -> tuple[dict | None, list[Row], str | None]:
    """What to run for one module: (job for the worker or None, rows decided without running,
    a note when the module cannot be checked)."""
    from autograder.checking.checks import Checker

    module = module_dir.name
    try:
        exercises = Checker(module).exercises
    except FileNotFoundError:
        return None, [], "no checks installed for this module"
    try:
        nb = json.loads((module_dir / f"{module}.ipynb").read_text(encoding="utf-8"))
        cells = [(cell_kind(c), source_of(c)) for c in nb.get("cells", [])]
    except (OSError, ValueError, AttributeError) as error:
        return None, [], f"could not read the notebook: {error}"
    cells = [(k, s) for k, s in cells if k]
    solutions = [s for k, s in cells if k == "solution"]

    rows, jobs = [], []
    for name, ex in exercises.items():
        where = next(
            (i for i, (k, s) in enumerate(cells) if k == "solution" and defines(s, name)), None
        )
        row = Row(module, name, float(ex["points"]), NOT_STARTED)
        if where is None:
            row.status, row.detail = FAIL, f"no exercise cell defines {name} any more"
        rows.append(row)
        jobs.append({"name": name, "uses": list(ex["uses"]), "cell": where})
    if all(STUB in s for s in solutions):
        return None, rows, None  # untouched: every exercise still raises todo()
    job = {
        "module": module,
        "dir": str(module_dir),
        "cells": [{"kind": k, "source": s} for k, s in cells],
        "exercises": jobs,
    }
    return job, rows, None


# --- running the learner's code, in a process of its own -----------------------------------------


class StepTimeout(BaseException):
    """A cell or a check ran past its time limit (BaseException: ``except Exception`` in the
    learner's code must not swallow it)."""


def first_line(text: str, limit: int = 200) -> str:
    line = next((x for x in str(text).splitlines() if x.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def describe_failure(error: BaseException) -> str:
    from autograder.checking.checks import CheckFailed

    if isinstance(error, CheckFailed):
        lines = str(error).splitlines()
        known = [x for x in lines if x.startswith("Known mistake:")]
        return " ".join([first_line(str(error)), *known])
    if isinstance(error, SystemExit):
        return "the code called exit()"
    return f"{type(error).__name__}: {first_line(str(error))}"


def _run_step(fn, timeout: float):
    """Run fn() with stdout/stderr swallowed and an alarm after ``timeout`` seconds."""
    sink = io.StringIO()

    def on_alarm(signum, frame):
        raise StepTimeout()

    use_alarm = (
        hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with redirect_stdout(sink), redirect_stderr(sink):
            return fn()
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def run_module(job: dict, timeout: float, emit) -> None:
    """In the worker: run one module's cells, then each exercise's public check."""
    from autograder.checking.checks import Checker, NotImplementedYet

    module = job["module"]
    os.chdir(job["dir"])
    sys.path[0] = job["dir"]
    ns: dict = {"__name__": "__main__"}
    cell_errors: dict[int, str] = {}
    setup_error = None
    for index, cell in enumerate(job["cells"]):
        limit = max(timeout, SETUP_TIMEOUT) if cell["kind"] == "lib" else timeout
        emit({"module": module, "cell": index, "limit": limit})
        try:
            code = compile(cell["source"], f"<{module} cell {index}>", "exec")
            _run_step(lambda code=code: exec(code, ns), limit)
        except StepTimeout:
            cell_errors[index] = f"the cell ran for more than {limit:g} s: an infinite loop?"
        except BaseException as error:  # noqa: BLE001 - any failure is the learner's to see
            cell_errors[index] = f"its cell raises {describe_failure(error)}"
        if index in cell_errors and cell["kind"] == "lib" and setup_error is None:
            setup_error = f"the module's setup cell fails: {cell_errors[index]}"

    checker = Checker(module)
    for ex in job["exercises"]:
        name, status, detail = ex["name"], FAIL, ""
        if setup_error:
            detail = setup_error
        elif ex["cell"] is None:
            detail = f"no exercise cell defines {name} any more"
        elif ex["cell"] in cell_errors:
            detail = cell_errors[ex["cell"]]
        elif any(n not in ns for n in [name, *ex["uses"]]):
            missing = [n for n in [name, *ex["uses"]] if n not in ns]
            detail = f"{', '.join(missing)} not defined"
        else:
            fns = [ns[n] for n in [name, *ex["uses"]]]
            emit({"module": module, "check": name, "limit": timeout})
            try:
                _run_step(lambda fns=fns, name=name: checker(name, *fns), timeout)
            except StepTimeout:
                detail = f"its check ran for more than {timeout:g} s: an infinite loop?"
            except NotImplementedYet as error:
                stub = str(error).split(" ", 1)[0]
                if stub.split(".")[0] == name:
                    status = NOT_STARTED
                else:
                    detail = f"it needs {stub}, which is not written yet"
            except BaseException as error:  # noqa: BLE001
                detail = describe_failure(error)
            else:
                status = PASS
        emit(
            {
                "module": module,
                "exercise": name,
                "status": status,
                "detail": detail,
                "limit": timeout,
            }
        )
    emit({"module": module, "done": True, "limit": SETUP_TIMEOUT})


def worker() -> None:
    """Entry point of the worker process: jobs as JSON on stdin, results as marked lines on
    stdout."""
    request = json.loads(sys.stdin.read())
    sys.stdin = io.StringIO("")  # input() in a learner's code must not wait for anyone
    out = sys.stdout
    lock = threading.Lock()

    def emit(message: dict) -> None:
        with lock:
            out.write(MARK + json.dumps(message) + "\n")
            out.flush()

    for job in request["jobs"]:
        run_module(job, request["timeout"], emit)


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except ProcessLookupError:
            pass
    process.wait()


def run_jobs(jobs: list[dict], timeout: float, on_module_done=None) -> dict:
    """Run the jobs in worker processes; returns {module: {exercise: (status, detail)}}.

    A worker that goes quiet for longer than a step may take (a loop the alarm cannot interrupt,
    a crash) is killed; the exercises it had not reached fail, and a new worker takes the rest.
    """
    results: dict[str, dict[str, tuple[str, str]]] = {}
    remaining = list(jobs)
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONIOENCODING="utf-8")
    while remaining:
        process = subprocess.Popen(
            [sys.executable, "-m", "autograder.checking.progress", "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=remaining[0]["dir"],
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=hasattr(os, "killpg"),
        )
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
        try:
            process.stdin.write(json.dumps({"jobs": remaining, "timeout": timeout}))
            process.stdin.close()
        except BrokenPipeError:
            pass
        current = remaining[0]["module"]
        limit = max(timeout, SETUP_TIMEOUT)  # the worker starts by importing numpy and the course
        stalled = None
        try:
            while True:
                try:
                    line = lines.get(timeout=limit + GRACE)
                except queue.Empty:
                    stalled = f"stopped answering (over {limit + GRACE:g} s): an infinite loop?"
                    break
                if line is None:
                    stalled = "the process running it stopped (exit or crash)"
                    break
                if not line.startswith(MARK):
                    continue
                message = json.loads(line[len(MARK) :])
                current, limit = message["module"], message["limit"]
                if "exercise" in message:
                    results.setdefault(current, {})[message["exercise"]] = (
                        message["status"],
                        message["detail"],
                    )
                elif message.get("done"):
                    remaining = [j for j in remaining if j["module"] != current]
                    if on_module_done:
                        on_module_done(current)
                    if not remaining:
                        break
        finally:
            _stop(process)
        if stalled and remaining:
            job = next(j for j in remaining if j["module"] == current)
            done = results.setdefault(current, {})
            for ex in job["exercises"]:
                done.setdefault(ex["name"], (FAIL, stalled))
            remaining = [j for j in remaining if j["module"] != current]
            if on_module_done:
                on_module_done(current)
    return results


# --- the learner's entry points --------------------------------------------------------------


def progress(folder: str | Path | None = None, timeout: float = 20.0, bar: bool = True) -> Report:
    """Run the public checks of every module under ``folder`` (default: the calling notebook's
    curriculum folder) on the learner's saved notebooks and return the report.

    timeout: seconds any one cell or check may run before it counts as failed.
    """
    start = time.perf_counter()
    folder = Path(folder).resolve() if folder is not None else default_folder()
    report = Report(folder, notices=notices(folder))
    jobs, planned = [], {}
    for module_dir in module_dirs(folder):
        job, rows, note = plan(module_dir)
        planned[module_dir.name] = rows
        if note:
            report.notes[module_dir.name] = note
        if job:
            jobs.append(job)

    if jobs:
        progress_bar = None
        if bar:
            from tqdm.auto import tqdm

            progress_bar = tqdm(
                total=len(jobs), desc="running your code", unit="module", leave=False
            )
        try:
            tick = (lambda module: progress_bar.update(1)) if progress_bar is not None else None
            results = run_jobs(jobs, timeout, tick)
        finally:
            if progress_bar is not None:
                progress_bar.close()
        for module, done in results.items():
            for row in planned.get(module, []):
                if row.exercise in done:
                    row.status, row.detail = done[row.exercise]
    for rows in planned.values():
        report.rows.extend(rows)
    report.seconds = time.perf_counter() - start
    return report


def show_progress(folder: str | Path | None = None, timeout: float = 20.0) -> None:
    """Show which exercises of every module pass their public checks: a table in Jupyter, text
    elsewhere. Reads your *saved* notebooks, so save first (Ctrl+S)."""
    kernel = _kernel()
    if kernel is not None and not getattr(kernel, "_allow_stdin", True):
        # nbconvert, nbgrader and nbval run notebooks with no one to read them (and no stdin):
        # grading a notebook must not spend its time re-running every module's checks
        print("Progress is shown when you run this cell yourself, in Jupyter.")
        return
    report = progress(folder, timeout)
    if kernel is not None:
        from IPython.display import display

        display(report)
    else:
        print(report)


def _kernel():
    """The Jupyter kernel running this code, or None outside one."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return getattr(shell, "kernel", None)


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder", nargs="?", help="the folder of modules (default: ./workspace, else ./curriculum)"
    )
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per cell or check")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker()
        return
    folder = args.folder or next(
        (f for f in ("workspace", "curriculum") if module_dirs(Path(f))), None
    )
    print(progress(folder, args.timeout, bar=sys.stderr.isatty()))


if __name__ == "__main__":
    main()
