"""Hidden tests: the same checks on inputs the learner never sees, run only at grading time.

The hidden cases and the reference's outputs on them are written by the build into the grading
folder (``build/grading`` in the course repository, never into curriculum/ or this package). A
failure message says which hidden case failed and why in general terms (the shape, the size of the
error, a named mistake), never the hidden inputs or the expected values.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.checking.checks import (
    Checker,
    CheckFailed,
    NotImplementedYet,
    evaluate,
    fail,
    failure_lines,
)

ENV_VAR = "COURSE_GRADING_DIR"


def grading_dir() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return Path(__file__).resolve().parents[2] / "build" / "grading"


def check_hidden(module: str, name: str, *fns) -> None:
    __tracebackhide__ = True
    directory = grading_dir()
    if not (directory / f"{module}.json").exists():
        raise RuntimeError(
            f"hidden tests of {module} are not available here: they run only at grading time"
        )
    checker = Checker(module, str(directory))
    ex = checker.exercise(name, fns)
    try:
        outcome = evaluate(ex, fns, ex["cases"], catch=True)
    except NotImplementedYet:
        raise NotImplementedYet(f"{name}: not implemented") from None
    if outcome.failure is None:
        print(f"\u2714 {name} passes its {outcome.total} hidden tests.")
        return
    fail(CheckFailed("\n".join(failure_lines(ex, outcome, hidden=True))))
