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

from autograder.checking.serialize import Seeded

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


def mistake(name: str, fn: Callable, hint: str) -> Mistake:
    """A wrong implementation learners write, with the hint that gets them out of it."""
    return Mistake(name=name, fn=fn, hint=hint)


@dataclass
class Exercise:
    name: str
    public: list[Case]
    hidden: list[Case] | Callable[[Any], list[Case]]
    mistakes: list[Mistake] = field(default_factory=list)
    uses: tuple[str, ...] = ()
    driver: str = "autograder.checking.drivers:call"
    outputs: tuple[str, ...] | None = None
    advisory: tuple[str, ...] = ()
    private_cache: bool = False
    rtol: float = 1e-6
    atol: float = 1e-9
    battery: Callable[[Any], list[Case]] | None = None
    harmless: dict[str, str] = field(default_factory=dict)


REGISTRY: dict[str, Exercise] = {}


def exercise(
    name: str,
    public: Sequence[Case],
    hidden: Sequence[Case] | Callable[[Any], list[Case]],
    mistakes: Sequence[Mistake] = (),
    uses: Sequence[str] = (),
    driver: str = "autograder.checking.drivers:call",
    outputs: Sequence[str] | None = None,
    advisory: Sequence[str] = (),
    private_cache: bool = False,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    keeps_inputs: bool | Sequence[str] = False,
    battery: Callable[[Any], list[Case]] | None = None,
    harmless: dict[str, str] | None = None,
) -> Exercise:
    """Declare the checks of the graded function or class ``name``.

    public: cases the learner's check runs (inputs shown in messages).
    hidden: cases for grading only, or a function of a seeded generator returning them.
    uses: further names the check is given, in order (e.g. the forward pass a backward check needs).
        On a check case, the calls the reference makes into them are recorded at build time and
        replayed for the learner (``autograder.checking.replay``), so the exercise is judged on its own.
    driver: "module:function" that calls the learner's code on a case and returns plain outputs.
    outputs: names of the returned values, used in messages ("dw", "db", ...).
    advisory: outputs (by name) shown in messages but never deciding pass or fail, such as a
        numerical gradient check that runs the learner's *own* forward pass: it would otherwise
        fail a right backward pass because of a wrong forward one.
    private_cache: the function returns ``(out, cache)`` and what goes in the cache is the
        learner's design; when a later exercise calls it, only ``out`` is held against the record.
    keeps_inputs: the statement says to leave the inputs unchanged: True for every argument, or the
        names of those to watch. The check copies them before each call and compares after it; a
        change fails the case with a message naming the argument ("update changed its argument
        params in place: ..."), in the public check and at grading alike (``drivers.keeping``).
    battery: for ``make mutation`` only, never graded: a function of a seeded generator giving
        more inputs on which a mutant of the reference must agree with it to count as equivalent
        (the public and hidden cases, and the hidden generator at further seeds, are used anyway).
    harmless: for ``make mutation`` only: a surviving mutant whose changed line contains a key is
        reported with the value, the reason it costs a learner nothing (``autograder.authoring.mutation``).
    """
    if keeps_inputs:
        watched = "*" if keeps_inputs is True else ",".join(keeps_inputs)
        driver = f"{driver}?keeps={watched}"
    if name in REGISTRY:
        raise ValueError(f"exercise {name!r} is declared twice")
    if set(advisory) - set(outputs or ()):
        raise ValueError(f"{name}: advisory outputs {sorted(advisory)} must be among outputs")
    ex = Exercise(
        name=name,
        public=list(public),
        hidden=hidden if callable(hidden) else list(hidden),
        mistakes=list(mistakes),
        uses=tuple(uses),
        driver=driver,
        outputs=tuple(outputs) if outputs else None,
        advisory=tuple(advisory),
        private_cache=private_cache,
        rtol=rtol,
        atol=atol,
        battery=battery,
        harmless=dict(harmless or {}),
    )
    REGISTRY[name] = ex
    return ex
