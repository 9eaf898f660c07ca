"""The learner-facing checks: one call after each exercise, ``check("name", fn)``.

The checker owns the inputs, the tolerances and the messages. Expected outputs were computed from
the reference when the course was built and ship as data, so no reference code is here. When the
learner's answer is wrong, the message shows what was expected and what came back, and when the
answer matches a wrong implementation from the exercise's catalogue, it names that mistake and
gives its hint.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from . import replay
from .compare import Mismatch, compare, short
from .replay import stand_ins
from .serialize import Raised, load, materialise, resolve_callable

DATA_DIR = Path(__file__).parent / "data"


class NotImplementedYet(NotImplementedError):
    """Raised by an exercise stub the learner has not filled in yet."""


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message says where and, if it can, why."""


def fail(error: Exception):
    # (IPython hides the checker's frames but shows the last one: this is it, kept short)
    # The check stopped here. The message below says what is wrong and what to do next.
    raise error from None


def todo() -> NotImplementedYet:
    """The error a stub raises: ``raise todo()`` names the function it sits in."""
    where = sys._getframe(1).f_code.co_qualname
    return NotImplementedYet(
        f"{where} is not written yet: replace `raise todo()` in its cell with your code, "
        "run that cell, then run the check below it."
    )


@cache
def module_data(module: str, directory: str | None = None) -> dict:
    path = Path(directory or DATA_DIR) / f"{module}.json"
    if not path.exists():
        raise FileNotFoundError(f"no check data for module {module!r} at {path}")
    return load(path)


@dataclass
class Outcome:
    """The first failing case of a run, or None for ``failure`` when every case passed."""

    total: int
    failure: Mismatch | None = None
    case_index: int | None = None
    mistake: dict | None = None


def judge(exercise: dict, got: Any, expected: Any, batch: int | None = None) -> Mismatch | None:
    """``compare`` with the exercise's tolerances, output names and advisory outputs."""
    return compare(
        got,
        expected,
        exercise["rtol"],
        exercise["atol"],
        batch=batch,
        names=exercise["outputs"],
        advisory=exercise.get("advisory"),
    )


def batch_size(args: tuple) -> int | None:
    for a in args:
        if isinstance(a, np.ndarray) and a.ndim >= 1:
            return int(a.shape[0])
    return None


def run_case(exercise: dict, fns: tuple, case: dict, catch: bool = False) -> Any:
    """What the learner's code gives on one case: its output, or ``Raised`` if it raised.

    An unexpected error propagates (with a note naming the case) so the learner sees the traceback
    into their own code, unless ``catch`` is set, as it is for hidden tests.
    """
    __tracebackhide__ = True
    driver = resolve_callable(exercise["driver"])
    args = materialise(case["args"])
    kwargs = materialise(case["kwargs"])
    fns = stand_ins(exercise, fns, case)
    try:
        return driver(fns, args, kwargs)
    except NotImplementedYet:
        raise
    except Exception as error:  # the learner's bug, reported as an outcome
        raised = Raised(type(error).__name__, str(error))
        if catch or isinstance(case["expected"], Raised):
            return raised
        same_type = [
            info
            for info in exercise["mistakes"]
            if isinstance(case["mistakes"].get(info["name"]), Raised)
            and case["mistakes"][info["name"]].type_name == raised.type_name
        ]
        exact = [i for i in same_type if case["mistakes"][i["name"]] == raised]
        # the same error message is a match; the same error type is one when only one mistake fits
        for info in exact or (same_type if len(same_type) == 1 else []):
            lines = [
                f"{exercise['name']} raised {raised.type_name} on a public case"
                + (f" ({case['note']})" if case["note"] else "")
                + ":",
                f"  {raised.message}",
                f"Call: {format_args(exercise, case)}",
                *mistake_lines(info),
            ]
            raise CheckFailed("\n".join(lines)) from error
        error.add_note(f"(raised by {exercise['name']} on check case: {case['note'] or 'unnamed'})")
        raise


def evaluate(exercise: dict, fns: tuple, cases: list[dict], catch: bool = False) -> Outcome:
    """Run every case; on the first mismatch, look for a catalogued mistake that explains it."""
    __tracebackhide__ = True
    outputs = []
    failure = None
    for i, case in enumerate(cases):
        got = run_case(exercise, fns, case, catch)
        outputs.append(got)
        if failure is None:
            found = judge(exercise, got, case["expected"], batch_size(case["args"]))
            if found:
                failure = (i, found)
    if failure is None:
        return Outcome(total=len(cases))
    index, mismatch = failure
    return Outcome(len(cases), mismatch, index, match_mistake(exercise, cases, outputs))


def match_mistake(exercise: dict, cases: list[dict], outputs: list) -> dict | None:
    """The catalogued mistake whose outputs the learner reproduced on every case, if any."""
    for info in exercise["mistakes"]:
        name = info["name"]
        agrees = [
            judge(exercise, got, case["mistakes"][name]) is None
            for got, case in zip(outputs, cases)
            if name in case["mistakes"]
        ]
        if agrees and all(agrees):
            return info
    return None


def mistake_lines(info: dict) -> list[str]:
    return [f"Known mistake: {info['name']}.", f"Hint: {info['hint']}"]


def failure_lines(exercise: dict, outcome: Outcome, hidden: bool) -> list[str]:
    """What a failed check says: which case, how the answer differs, the mistake it matches.
    A hidden case is named by its note alone: never its inputs nor the expected values."""
    case = exercise["cases"][outcome.case_index]
    note = f" ({case['note']})" if case["note"] else ""
    where = f"{outcome.case_index + 1} of {outcome.total}{note}."
    if hidden:
        lines = [f"{exercise['name']} fails hidden test {where}"]
    else:
        lines = [
            f"{exercise['name']} gives a wrong answer on public case {where}",
            f"Call: {format_args(exercise, case)}",
        ]
    lines += outcome.failure.lines(reveal_values=not hidden)
    if outcome.mistake:
        lines += mistake_lines(outcome.mistake)
    return lines


def format_args(exercise: dict, case: dict) -> str:
    """The "Call:" line of a message: the call the check makes on this case, with its values."""
    describe_call = getattr(resolve_callable(exercise["driver"]), "describe_call", None)
    if describe_call is not None:
        return describe_call(exercise["name"], tuple(case["args"]), dict(case["kwargs"]))
    parts = [short(a) for a in case["args"]]
    parts += [f"{k}={short(v)}" for k, v in case["kwargs"].items()]
    return f"{exercise['name']}({', '.join(parts)})"


class Checker:
    """``check = Checker("00_orientation")`` then ``check("normalize_rows", normalize_rows)``."""

    def __init__(self, module: str, directory: str | None = None):
        self.module = module
        self.directory = directory

    @property
    def data(self) -> dict:
        return module_data(self.module, self.directory)

    @property
    def exercises(self) -> dict:
        return self.data["exercises"]

    def summary(self) -> str:
        points = sum(ex["points"] for ex in self.exercises.values())
        return (
            f"{self.module}: {len(self.exercises)} graded exercises, {points} points. "
            "Run the check under each exercise as you go; hidden tests grade the same functions "
            "on other inputs."
        )

    def exercise(self, name: str, fns: tuple) -> dict:
        if name not in self.exercises:
            known = ", ".join(sorted(self.exercises))
            raise KeyError(f"{self.module} has no exercise {name!r}; its exercises are: {known}")
        ex = self.exercises[name]
        wanted = 1 + len(ex["uses"])
        if len(fns) != wanted:
            names = ", ".join([name, *ex["uses"]])
            raise TypeError(f"check({name!r}, ...) takes {wanted} function(s): {names}")
        return ex

    def __call__(self, name: str, *fns) -> None:
        __tracebackhide__ = True
        ex = self.exercise(name, fns)
        replay.replaced.clear()
        try:
            outcome = evaluate(ex, fns, ex["cases"])
        except NotImplementedYet as error:
            fail(NotImplementedYet(str(error)))
        if outcome.failure is None:
            print(f"\u2714 {name} passes its {outcome.total} public checks.")
            if replay.replaced:
                names = " and ".join(sorted(replay.replaced))
                its = "its own check" if len(replay.replaced) == 1 else "their own checks"
                print(
                    f"  (judged on its own: where your {names} gave a wrong answer, the check "
                    f"used the expected one. Make {names} pass {its} too.)"
                )
            return
        fail(CheckFailed("\n".join(failure_lines(ex, outcome, hidden=False))))


def load_checks(module: str) -> Checker:
    """The checker of one module; prints the module's exercises and points."""
    checker = Checker(module)
    try:
        print(checker.summary())
    except FileNotFoundError:  # while the course itself is being built
        pass
    return checker
