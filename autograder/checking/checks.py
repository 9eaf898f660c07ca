"""The learner-facing checks: one call after each exercise, ``check("name", fn)``.

The checker owns the inputs, the tolerances and the messages. Expected outputs were computed from
the reference when the course was built and ship as data, so no reference code is here. When the
learner's answer is wrong, the message shows what was expected and what came back, and when the
answer matches a wrong implementation from the exercise's catalogue, it names that mistake and
gives its hint.
"""

from __future__ import annotations

import re
import sys
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from autograder.checking import replay
from autograder.checking.compare import Mismatch, compare, input_quantities, short
from autograder.checking.drivers import resolve_driver
from autograder.checking.replay import stand_ins
from autograder.checking.serialize import Raised, load, materialise

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


PACKAGE_DIR = str(Path(__file__).resolve().parent)
RED, BOLD, RESET = "\x1b[0;31m", "\x1b[1m", "\x1b[0m"


def message_first(error: BaseException, frames: list | None = None) -> list[str]:
    """How IPython shows ``error`` (its ``_render_traceback_``): the error's name and message
    first, then, when the learner's own code raised, the frames of their code, and never a frame
    of the checker. nbgrader's Validate shows these same lines."""
    text = str(error)
    head, _, rest = text.partition("\n")
    lines = (
        [f"{RED}{BOLD}{type(error).__name__}{RESET}: {head}", *rest.split("\n")]
        if rest
        else [f"{RED}{BOLD}{type(error).__name__}{RESET}: {head}"]
    )
    if frames:
        lines += ["", "Where it happened, in your code (most recent call last):"]
        lines += [line.rstrip("\n") for line in traceback.format_list(frames)]
    return lines


def learner_frames(tb) -> list:
    """The frames of ``tb`` outside this package (the learner's code, NumPy), named as IPython
    names a notebook cell ("Cell In[4]") when it can."""
    frames = [f for f in traceback.extract_tb(tb) if not f.filename.startswith(PACKAGE_DIR)]
    try:
        shell = get_ipython()  # type: ignore[name-defined]  # noqa: F821 - in a notebook only
        for frame in frames:
            name = shell.compile.format_code_name(frame.filename)
            if name:
                frame.filename = " ".join(name)
    except Exception:  # noqa: BLE001 - plain Python, or another IPython
        pass
    return frames


class NotImplementedYet(NotImplementedError):
    """Raised by an exercise stub the learner has not filled in yet."""

    def _render_traceback_(self) -> list[str]:
        return message_first(self)


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message says where and, if it can, why."""

    def _render_traceback_(self) -> list[str]:
        return message_first(self)


def fail(error: Exception):
    # The check stopped here; in a notebook, the message is all that shows (_render_traceback_)
    raise error from None


def shown_with_its_case(error: BaseException, exercise: dict, case: dict, index: int, total: int):
    """The learner's own error, left as it is (type, traceback), but shown in a notebook with what
    happened first: which exercise raised on which case, the call, then the learner's frames."""
    note = case_note(exercise, case)
    header = [
        f"{exercise['name']} raised {type(error).__name__} on public case {index + 1} of "
        f"{total}{note}: {error}",
        f"Call: {format_args(exercise, case)}",
        "The check did not get an answer: the error is in your code, at the line shown below.",
    ]
    error.add_note(f"(raised by {exercise['name']} on check case: {case['note'] or 'unnamed'})")
    frames = learner_frames(error.__traceback__)

    def render() -> list[str]:
        lines = [f"{RED}{BOLD}{type(error).__name__}{RESET}: {header[0]}", *header[1:]]
        lines += ["", "Where it happened, in your code (most recent call last):"]
        lines += [line.rstrip("\n") for line in traceback.format_list(frames)]
        return lines

    try:
        error._render_traceback_ = render
    except AttributeError:  # an exception type without a __dict__
        pass
    return error


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
    got: Any = None


def judge(
    exercise: dict, got: Any, expected: Any, batch: int | None = None, args=None
) -> Mismatch | None:
    """``compare`` with the exercise's tolerances, output names and advisory outputs; ``args``
    (the case's inputs) lets a constant factor be named after a size or a norm of them."""
    return compare(
        got,
        expected,
        exercise["rtol"],
        exercise["atol"],
        batch=batch,
        names=exercise["outputs"],
        advisory=exercise.get("advisory"),
        quantities=input_quantities(args) if args is not None else None,
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
    driver = resolve_driver(exercise["driver"])
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
        note = case_note(exercise, case)
        for info in exact or (same_type if len(same_type) == 1 else []):
            if raised.type_name == "InputChanged":
                head = [f"{raised.message}", f"  (on a public case{note})"]
            else:
                head = [
                    f"{exercise['name']} raised {raised.type_name} on a public case{note}:",
                    f"  {raised.message}",
                ]
            lines = [*head, f"Call: {format_args(exercise, case)}", *mistake_lines(info)]
            raise CheckFailed("\n".join(lines)) from None
        if raised.type_name == "InputChanged":
            lines = [raised.message, f"  (on a public case{note})"]
            raise CheckFailed("\n".join([*lines, f"Call: {format_args(exercise, case)}"])) from None
        raise


def evaluate(exercise: dict, fns: tuple, cases: list[dict], catch: bool = False) -> Outcome:
    """Run every case; on the first mismatch, look for a catalogued mistake that explains it."""
    __tracebackhide__ = True
    outputs = []
    failure = None
    for i, case in enumerate(cases):
        try:
            got = run_case(exercise, fns, case, catch)
        except (NotImplementedYet, CheckFailed):
            raise
        except Exception as error:  # the learner's own code raised: shown with its case
            if not learner_frames(error.__traceback__):  # the check refused what came back
                note = case_note(exercise, case)
                lines = [
                    f"{exercise['name']} returned something the check cannot use, on public "
                    f"case {i + 1} of {len(cases)}{note}:",
                    f"  {error}",
                    f"Call: {format_args(exercise, case)}",
                ]
                raise CheckFailed("\n".join(lines)) from None
            shown_with_its_case(error, exercise, case, i, len(cases))
            raise
        outputs.append(got)
        if failure is None:
            found = judge(exercise, got, case["expected"], batch_size(case["args"]), case["args"])
            if found:
                failure = (i, found)
    if failure is None:
        return Outcome(total=len(cases))
    index, mismatch = failure
    mistake = match_mistake(exercise, cases, outputs)
    return Outcome(len(cases), mismatch, index, mistake, outputs[index])


def _plain(value: Any) -> Any:
    """A value with the differences that do not make a mistake another one taken out: a 0-d or
    one-element array is its number, a list is a tuple, a NumPy scalar a float."""
    if isinstance(value, tuple | list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray | np.generic | float | int) and not isinstance(value, bool):
        arr = np.asarray(value)
        if arr.dtype.kind in "biuf" and arr.size == 1:
            return float(arr.reshape(()))
    return value


def _parts(value: Any, names) -> list:
    """The outputs of a result that has several (named), else the result itself as one."""
    if isinstance(value, tuple | list) and names and len(value) == len(names):
        return list(value)
    return [value]


def agrees_with(exercise: dict, got: Any, made: Any, expected: Any) -> int:
    """How far the learner's output on one case is the mistake's: 2 when equal up to round-off
    (ten times the exercise's tolerance, a float for a one-element array), 1 when equal on every
    output the mistake gets wrong (the learner may have another bug in another output), else 0."""
    if isinstance(made, Raised) or isinstance(got, Raised):
        same = isinstance(made, Raised) and isinstance(got, Raised)
        return 2 if same and made.type_name == got.type_name else 0
    rtol, atol = max(10 * exercise["rtol"], 1e-5), max(10 * exercise["atol"], 1e-8)
    got, made, expected = _plain(got), _plain(made), _plain(expected)

    def same(x, y) -> bool:
        try:
            return compare(x, y, rtol, atol) is None
        except Exception:  # noqa: BLE001 - whatever the learner returned
            return False

    if same(got, made):
        return 2
    names = exercise.get("outputs")
    advisory = set(exercise.get("advisory") or ())
    g, m, e = _parts(got, names), _parts(made, names), _parts(expected, names)
    if len(g) == 1 or not len(g) == len(m) == len(e):
        return 0
    affected = [i for i in range(len(e)) if names[i] not in advisory and not same(m[i], e[i])]
    return 1 if affected and all(same(g[i], m[i]) for i in affected) else 0


def match_mistake(exercise: dict, cases: list[dict], outputs: list) -> dict | None:
    """The catalogued mistake that best explains the failing cases, if one explains any.

    A mistake explains a failing case when the learner's output there is the mistake's (see
    ``agrees_with``). The one that explains most failing cases (a case it explains on every
    output counting twice), then contradicts fewest, is named, with the cases it explains (``"cases"``,
    1-based) and whether it explains them all (``"all"``)."""
    failing = [
        i
        for i, (got, case) in enumerate(zip(outputs, cases))
        if judge(exercise, got, case["expected"], batch_size(case["args"])) is not None
    ]
    best, best_key = None, None
    for order, info in enumerate(exercise["mistakes"]):
        name = info["name"]
        explained, whole, against = [], 0, 0
        for i, (got, case) in enumerate(zip(outputs, cases)):
            if name not in case["mistakes"]:
                continue
            made = case["mistakes"][name]
            agreement = agrees_with(exercise, got, made, case["expected"])
            if agreement and i in failing:
                explained.append(i)
                whole += agreement == 2
            elif not agreement and (i not in failing or judge(exercise, made, case["expected"])):
                against += 1
        if not explained:
            continue
        rank = (len(explained) + whole, -against, -order)
        if best_key is None or rank > best_key:
            best_key = rank
            complete = against == 0 and explained == failing
            best = {
                **info,
                "cases": [i + 1 for i in explained],
                "other": [i + 1 for i in failing if i not in explained],
                "all": complete,
            }
    return best


def _numbers(cases: list[int]) -> str:
    text = ", ".join(str(c) for c in cases[:-1])
    return f"{text} and {cases[-1]}" if text else str(cases[-1])


def mistake_lines(info: dict, public: int | None = None) -> list[str]:
    """ "Known mistake: ..." and its hint; when it explains only some of the failing public
    cases, which ones, and which fail in another way too."""
    lines = [f"Known mistake: {info['name']}."]
    cases = [c for c in info.get("cases") or () if public is None or c <= public]
    if cases and not info.get("all", True):
        other = [c for c in info.get("other") or () if public is None or c <= public]
        text = f"  (your answers are this mistake's on public case{'s' * (len(cases) > 1)} "
        text += _numbers(cases)
        if other:
            text += (
                f"; on public case{'s' * (len(other) > 1)} {_numbers(other)} they are wrong in "
                "another way too: look for a second problem, such as an edge case)"
            )
        else:
            text += ")"
        lines.append(text)
    lines.append(f"Hint: {info['hint']}")
    return lines


def case_note(exercise: dict, case: dict, wrong: str | None = None) -> str:
    """The case's note, as " (note)", without a part that speaks of an output other than the one
    that is wrong ("...: dx must have that shape too" when dw is the wrong one)."""
    note = case["note"] or ""
    head, sep, tail = note.partition(": ")
    names = [n for n in exercise.get("outputs") or () if re.search(rf"\b{re.escape(n)}\b", tail)]
    if sep and names and not (wrong and any(wrong.split("[")[0].strip() == n for n in names)):
        note = head
    return f" ({note})" if note else ""


TIMEOUT_CAUSES = (
    "What usually causes it: a loop that never ends (a `while` whose condition never changes), "
    "or a Python loop over every element where one NumPy operation on the whole array would do."
)


def case_lines(
    exercise: dict,
    index: int,
    got: Any,
    mismatch: Mismatch,
    where: str,
    hidden: bool,
) -> list[str]:
    """The account of one failing case: what happened (a wrong answer, an error, a time-out), the
    call (public cases only) and how the answer differs. ``where`` is e.g. "public case 2 of 3"."""
    name = exercise["name"]
    case = exercise["cases"][index]
    wrong = None if isinstance(got, Raised) or mismatch is None else mismatch.where
    where = f"{where}{case_note(exercise, case, wrong)}"
    call = [] if hidden else [f"Call: {format_args(exercise, case)}"]
    if isinstance(got, Raised) and got.type_name == "TimeoutError":
        return [f"{name} did not finish in time on {where}: {got.message}.", TIMEOUT_CAUSES, *call]
    if isinstance(got, Raised) and got.type_name == "InputChanged":
        return [got.message, f"  (on {where})", *call]
    if isinstance(got, Raised) and "its cell raised" in got.message:
        return [f"{name} could not be checked on {where}: {got.message}", *call]
    if isinstance(got, Raised):
        head = f"{name} raised {got.type_name} on {where}"
        if hidden:
            return [f"{head}, instead of returning an answer."]
        return [f"{head}, instead of returning an answer:", f"  {got.message[:300]}", *call]
    lines = [f"{name} gives a wrong answer on {where}.", *call]
    return lines + mismatch.lines(reveal_values=not hidden)


def failure_lines(exercise: dict, outcome: Outcome, hidden: bool) -> list[str]:
    """What a failed check says: which case, how the answer differs, the mistake it matches.
    A hidden case is named by its note alone: never its inputs nor the expected values."""
    kind = "hidden test" if hidden else "public case"
    where = f"{kind} {outcome.case_index + 1} of {outcome.total}"
    lines = case_lines(
        exercise, outcome.case_index, outcome.got, outcome.failure, where, hidden=hidden
    )
    if outcome.mistake:
        lines += mistake_lines(outcome.mistake, public=None if not hidden else 0)
    return lines


def format_args(exercise: dict, case: dict) -> str:
    """The "Call:" line of a message: the call the check makes on this case, with its values."""
    describe_call = getattr(resolve_driver(exercise["driver"]), "describe_call", None)
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
