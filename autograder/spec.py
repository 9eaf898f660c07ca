"""How an author declares an exercise's checks, in the spec cells of a solutions/ source file.

A spec cell sits beside the reference it describes and never reaches the learner: the build drops
it, runs it with the reference, and stores only the outputs. ::

    def _norm_columns(X):  # a wrong implementation a learner is likely to write
        return X / np.linalg.norm(X, axis=0, keepdims=True)

    exercise(
        "normalize_rows",
        public=[case(np.array([[3.0, 4.0], [1.0, 0.0]]), note="two rows")],
        hidden=lambda rng: [case(rng.normal(size=(1, 5)), note="a batch of one")],
        mistakes=[mistake("normalised the columns", _norm_columns, "Rows are axis 1 ...")],
    )
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .serialize import Seeded

__all__ = ["Case", "Exercise", "Mistake", "Seeded", "case", "exercise", "mistake", "REGISTRY"]


@dataclass
class Case:
    args: tuple
    kwargs: dict = field(default_factory=dict)
    note: str = ""


def case(*args, note: str = "", **kwargs) -> Case:
    """One set of inputs: the positional and keyword arguments of a call, and what it tests."""
    return Case(args=args, kwargs=kwargs, note=note)


@dataclass
class Mistake:
    name: str
    fn: Callable
    hint: str
    also_breaks: tuple[str, ...] = ()


def mistake(name: str, fn: Callable, hint: str, also_breaks: Sequence[str] = ()) -> Mistake:
    """A wrong implementation learners write, with the hint that gets them out of it.

    ``also_breaks`` names later exercises of the module that call this one, and so fail with it.
    """
    return Mistake(name=name, fn=fn, hint=hint, also_breaks=tuple(also_breaks))


@dataclass
class Exercise:
    name: str
    public: list[Case]
    hidden: list[Case] | Callable[[Any], list[Case]]
    mistakes: list[Mistake] = field(default_factory=list)
    uses: tuple[str, ...] = ()
    driver: str = "autograder.drivers:call"
    outputs: tuple[str, ...] | None = None
    rtol: float = 1e-6
    atol: float = 1e-9


REGISTRY: dict[str, Exercise] = {}


def exercise(
    name: str,
    public: Sequence[Case],
    hidden: Sequence[Case] | Callable[[Any], list[Case]],
    mistakes: Sequence[Mistake] = (),
    uses: Sequence[str] = (),
    driver: str = "autograder.drivers:call",
    outputs: Sequence[str] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> Exercise:
    """Declare the checks of the graded function or class ``name``.

    public: cases the learner's check runs (inputs shown in messages).
    hidden: cases for grading only, or a function of a seeded generator returning them.
    uses: further names the check is given, in order (e.g. the forward pass a backward check needs).
    driver: "module:function" that calls the learner's code on a case and returns plain outputs.
    outputs: names of the returned values, used in messages ("dw", "db", ...).
    """
    if name in REGISTRY:
        raise ValueError(f"exercise {name!r} is declared twice")
    ex = Exercise(
        name=name,
        public=list(public),
        hidden=hidden if callable(hidden) else list(hidden),
        mistakes=list(mistakes),
        uses=tuple(uses),
        driver=driver,
        outputs=tuple(outputs) if outputs else None,
        rtol=rtol,
        atol=atol,
    )
    REGISTRY[name] = ex
    return ex
