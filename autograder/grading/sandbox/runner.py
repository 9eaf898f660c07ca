"""The program that runs inside the confinement (``python -m autograder.grading.sandbox.runner``).

It reads its job, a JSON document, from the descriptor named by its first argument: the cells to run (source code) and, for
each graded exercise, the driver and the *inputs* of its public and hidden cases (never the expected
outputs), with the recorded answers of the earlier exercises it calls (``autograder.checking.replay``). It runs the cells in one namespace, each under a time bound, then calls every graded
function on every case under a per-call bound and writes one JSON line per call to the descriptor named by its second argument::

    {"kind": "cell", "index": 3, "ok": false, "error": "TimeoutError"}
    {"kind": "call", "exercise": "one_hot", "case": 2, "output": <serialize.encode(...)>}

Lines are flushed one by one, so what was written before a kill survives it. Nothing the student's
code does here can change a verdict: the grader judges the outputs in its own process.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys

MAX_LOG = 256 * 1024  # characters of the student's printed output that reach the log


class CellTimeout(BaseException):
    """A cell or a call ran past its time bound (a BaseException: ``except Exception`` won't eat it)."""


class CappedText(io.TextIOBase):
    """A text stream that keeps the first ``MAX_LOG`` characters and silently drops the rest."""

    def __init__(self, raw):
        self.raw = raw
        self.left = MAX_LOG

    def writable(self):
        return True

    def write(self, text):
        if self.left > 0:
            chunk = text[: self.left]
            self.left -= len(chunk)
            try:
                self.raw.write(chunk)
                self.raw.flush()
            except OSError:
                self.left = 0
        return len(text)

    def flush(self):
        pass


def _alarm(signum, frame):
    raise CellTimeout()


def bounded(seconds: float, fn, *args):
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def said(error: BaseException, source: str, index: int) -> str:
    """Python's own account of a cell's error: its type, message and line (with the code)."""
    lines = source.splitlines()
    if isinstance(error, SyntaxError):
        line = error.lineno or 0
        text = (error.text or (lines[line - 1] if 0 < line <= len(lines) else "")).strip()
        return f"{type(error).__name__}: {error.msg} (line {line}: {text[:120]})"
    line = 0
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == f"<cell {index}>":
            line = tb.tb_lineno
        tb = tb.tb_next
    where = f" (line {line}: {lines[line - 1].strip()[:120]})" if 0 < line <= len(lines) else ""
    return f"{type(error).__name__}: {str(error)[:300]}{where}"


def not_defined(name: str, cells: list[str], failed: dict[int, str]) -> str:
    """Why a graded name is missing: the cell meant to define it raised (and what it said)."""
    import re

    defines = re.compile(rf"^\s*(def|class)\s+{re.escape(name)}\b|^\s*{re.escape(name)}\s*=", re.M)
    for index, text in failed.items():
        if defines.search(cells[index]):
            return f"{name} is not defined, because its cell raised {text}"
    return f"{name} is not defined"


def main() -> None:
    main_pid = os.getpid()
    job_fd, out_fd = int(sys.argv[1]), int(sys.argv[2])
    job = json.loads(os.fdopen(job_fd, "r").read())
    out = os.fdopen(out_fd, "w", buffering=1)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the file-size limit, writes just fail
    sys.stdout = CappedText(sys.__stdout__)
    sys.stderr = CappedText(sys.__stderr__)

    def emit(record: dict) -> None:
        if os.getpid() != main_pid:  # a forked child of the student's code reports nothing
            os._exit(0)
        out.write(json.dumps(record) + "\n")
        out.flush()

    import numpy as np  # noqa: F401 - loaded before the student's code, like the setup cell would

    ns: dict = {"__name__": "__main__", "__builtins__": __builtins__}
    failed: dict[int, str] = {}  # cell index -> what Python said, with the line
    for index, source in enumerate(job["cells"]):
        try:
            code = compile(source, f"<cell {index}>", "exec")
            bounded(job["bounds"][index], exec, code, ns)
        except CellTimeout:
            failed[index] = f"TimeoutError: it ran past {job['bounds'][index]:g} s"
            emit({"kind": "cell", "index": index, "ok": False, "error": "TimeoutError"})
        except BaseException as error:  # noqa: BLE001 - a failing cell never stops the run
            failed[index] = said(error, source, index)
            emit(
                {
                    "kind": "cell",
                    "index": index,
                    "ok": False,
                    "error": type(error).__name__,
                    "message": failed[index],
                }
            )
        else:
            emit({"kind": "cell", "index": index, "ok": True})

    from autograder.checking.drivers import resolve_driver
    from autograder.checking.replay import stand_ins
    from autograder.checking.serialize import Raised, decode, encode, materialise

    for ex in job["exercises"]:
        names = [ex["name"], *ex["uses"]]
        missing = [n for n in names if n not in ns]
        timed_out = False
        for case_index, case in enumerate(ex["cases"]):
            if missing:
                result = Raised("NameError", not_defined(missing[0], job["cells"], failed))
            elif timed_out:
                result = Raised("TimeoutError", "skipped after an earlier case timed out")
            else:
                try:
                    driver = resolve_driver(ex["driver"])
                    args = materialise(decode(case["args"]))
                    kwargs = materialise(decode(case["kwargs"]))
                    fns = tuple(ns[n] for n in names)
                    fns = stand_ins(ex, fns, {"calls": decode(case.get("calls") or {})})
                    result = bounded(job["call_seconds"], driver, fns, args, kwargs)
                except CellTimeout:
                    timed_out = True
                    result = Raised(
                        "TimeoutError", f"one call took longer than {job['call_seconds']:g} s"
                    )
                except BaseException as error:  # noqa: BLE001
                    result = Raised(type(error).__name__, str(error)[:500])
            try:
                encoded = encode(result)
            except BaseException as error:  # noqa: BLE001 - e.g. an object array
                encoded = encode(Raised("UnencodableOutput", f"{type(error).__name__}: {error}"))
            emit({"kind": "call", "exercise": ex["name"], "case": case_index, "output": encoded})
    emit({"kind": "done"})
    out.close()
    os._exit(0)  # skip atexit hooks and finalisers the student may have registered


if __name__ == "__main__":
    main()
