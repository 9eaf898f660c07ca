"""One exercise graded on its own: calls into earlier exercises answered from the reference's record.

``predict`` calls the learner's ``forward``; ``FullyConnectedNet.loss`` calls their layers. Run
as is, a wrong ``forward`` would also fail ``predict``, and the learner would lose the points of
an exercise they got right. So when the course is built, every call that the reference of an
exercise makes into an earlier one (its ``uses``) on a check case is recorded with its arguments
and result, and stored with the case. When the learner's code runs on that case, the earlier
exercise is stood in for by a ``Replayer``: on a call with recorded arguments the learner's own
function runs, and its result is used if it agrees with the record, the recorded result (a fresh
copy) if not; any other call is the learner's function's alone. A correct ``predict`` makes the
recorded calls and so sees a correct ``forward`` whatever the learner's ``forward`` does; a wrong
``predict`` makes other calls, or does something else with the answers, and fails on its own.
A layer whose cache is the learner's own design (``exercise(..., private_cache=True)``) is judged
on ``out`` alone (on every value but the last, the cache, for ``(next_h, next_c, cache)``), and keeps the learner's cache whenever its ``out`` is right.

What is stored is the earlier exercise's *outputs* on a few inputs, as for any public case: no
reference code. A random generator among the arguments is recorded by its state, before and after
the call, and a replayed call leaves the learner's generator where the reference's call left it.
Inputs that cannot be stored (other objects) are not recorded: the learner's function answers them.

``direct()`` marks code that must see the learner's own functions: numerical gradients, which
check that a learner's backward pass agrees with *their* forward pass. Nothing is recorded or
replayed inside it (see ``autograder.checking.numerics``).
"""

from __future__ import annotations

import contextlib
import copy
import inspect
from typing import Any

import numpy as np

from autograder.checking.compare import compare
from autograder.checking.serialize import RngState, encode

_direct = 0
replaced: set[str] = set()  # the functions whose answers a record overrode since the last clear()


@contextlib.contextmanager
def direct():
    """Within this block, stand-ins call the learner's functions and record nothing."""
    global _direct
    _direct += 1
    try:
        yield
    finally:
        _direct -= 1


class Unkeyable(TypeError):
    """An argument that cannot be recorded (an object, a generator)."""


def key(value: Any):
    """A hashable, exact rendering of a call's argument. Numbers of any type and numeric arrays of
    any dtype are compared as float64 values, so ``0`` and ``0.0``, a Python float and a NumPy
    scalar, an int label array and a float one give the same key."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise Unkeyable(f"an array of dtype {value.dtype}")
        return ("a", value.shape, np.ascontiguousarray(value, dtype=np.float64).tobytes())
    if isinstance(value, bool | int | float | np.bool_ | np.integer | np.floating):
        return ("s", float(value))
    if value is None or isinstance(value, str):
        return ("v", value)
    if isinstance(value, np.random.Generator):
        return ("g", RngState.of(value).state)
    if isinstance(value, RngState):
        return ("g", value.state)
    if isinstance(value, tuple | list):
        return ("l", tuple(key(v) for v in value))
    if isinstance(value, dict):
        return ("d", tuple(sorted((str(k), key(v)) for k, v in value.items())))
    raise Unkeyable(type(value).__name__)


def generators(args: tuple, kwargs: dict) -> list:
    return [a for a in (*args, *kwargs.values()) if isinstance(a, np.random.Generator)]


def storable(value: Any) -> Any:
    """A copy of a call's argument that check data can hold: generators become their state."""
    if isinstance(value, np.random.Generator):
        return RngState.of(value)
    if isinstance(value, tuple):
        return tuple(storable(v) for v in value)
    if isinstance(value, list):
        return [storable(v) for v in value]
    if isinstance(value, dict):
        return {k: storable(v) for k, v in value.items()}
    return copy.deepcopy(value)


def bound(fn, args: tuple, kwargs: dict) -> tuple:
    """The call's arguments in the order of ``fn``'s parameters, defaults filled in."""
    try:
        call = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return (tuple(args), tuple(sorted(kwargs.items())))
    call.apply_defaults()
    return tuple(call.arguments.values())


class Recorder:
    """Wraps a reference function at build time and keeps ``(args, kwargs, result)`` of each call.

    A call whose arguments or result cannot be stored is not kept; a class passes through."""

    def __init__(self, fn):
        self.fn = fn
        self.calls: list = []
        self.__name__ = getattr(fn, "__name__", "dependency")
        self.__signature__ = inspect.signature(fn)

    def __call__(self, *args, **kwargs):
        # copies: the caller may change the arguments or the result in place afterwards
        before = (storable(tuple(args)), storable(dict(kwargs))) if not _direct else None
        result = self.fn(*args, **kwargs)
        if before is not None:
            try:
                key(bound(self.fn, *before))
                encode(result)  # it must be storable as check data
            except (Unkeyable, TypeError):
                return result
            after = [RngState.of(g) for g in generators(args, kwargs)]
            self.calls.append((*before, copy.deepcopy(result), after))
        return result


def _near(a: Any, b: Any) -> bool:
    """The same call up to rounding: a correct caller may compute its arguments in another order."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        except (TypeError, ValueError):
            return False
        return x.shape == y.shape and bool(np.allclose(x, y, rtol=1e-9, atol=1e-12))
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_near(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_near(a[k], b[k]) for k in a)
    try:
        return key(a) == key(b)
    except Unkeyable:
        return False


class Replayer:
    """Stands in for a learner's function on the calls the reference made.

    On a recorded call the learner's function runs first; if its result agrees with the recorded
    one (on ``out`` alone for a layer whose cache is the learner's own business), the learner's
    result is used, and otherwise the recorded one. Any other call is the learner's function's.
    """

    def __init__(self, fn, calls: list, private_cache: bool = False, name: str | None = None):
        self.fn = fn
        self.private_cache = private_cache
        self.table: dict = {}
        self.entries: list = []
        for args, kwargs, result, after in calls:
            with contextlib.suppress(Unkeyable):
                call = bound(fn, tuple(args), dict(kwargs))
                self.table.setdefault(key(call), (result, after))
                self.entries.append((call, (result, after)))
        self.__name__ = name or getattr(fn, "__name__", "dependency")
        self.__wrapped__ = fn

    def lookup(self, args: tuple, kwargs: dict):
        try:
            call = bound(self.fn, args, kwargs)
            found = self.table.get(key(call))
        except Unkeyable:
            return None
        if found is None:
            found = next((rec for c, rec in self.entries if _near(c, call)), None)
        return found

    def agrees(self, mine: Any, recorded: Any) -> bool:
        if self.private_cache:  # the cache is the last value: (out, cache), (h, c, cache)
            if not isinstance(mine, tuple | list) or len(mine) != len(recorded) or len(mine) < 2:
                return False
            if len(mine) == 2:
                mine, recorded = mine[0], recorded[0]
            else:
                mine, recorded = tuple(mine[:-1]), tuple(recorded[:-1])
        try:
            return compare(mine, recorded) is None
        except Exception:  # noqa: BLE001 - whatever the learner returned
            return False

    def __call__(self, *args, **kwargs):
        found = None if _direct or not self.table else self.lookup(args, kwargs)
        if found is None:
            return self.fn(*args, **kwargs)
        result, after = found
        try:
            mine = self.fn(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a raising function is simply not right here
            mine = _MISSING
        if mine is not _MISSING and self.agrees(mine, result):
            return mine
        for rng, state in zip(generators(args, kwargs), after):
            state.apply(rng)  # as if the call had drawn the reference's numbers
        replaced.add(self.__name__)
        return copy.deepcopy(result)


_MISSING = object()


def recorders(fns: tuple) -> tuple:
    """The graded function, then each function it uses wrapped in a ``Recorder`` (build time)."""
    return (fns[0], *(f if isinstance(f, type) else Recorder(f) for f in fns[1:]))


def recorded(exercise_uses, fns: tuple) -> dict:
    """What the recorders of ``recorders(...)`` kept, by the name of the function they wrap."""
    return {
        name: f.calls
        for name, f in zip(exercise_uses, fns[1:])
        if isinstance(f, Recorder) and f.calls
    }


def stand_ins(exercise: dict, fns: tuple, case: dict) -> tuple:
    """``fns`` with each used function that has recorded calls on this case behind a Replayer."""
    calls = case.get("calls") or {}
    if not calls:
        return fns
    uses = exercise.get("uses") or ()
    private = set(exercise.get("private_caches") or ())
    out = [fns[0]]
    for name, fn in zip(uses, fns[1:]):
        if name in calls and callable(fn) and not isinstance(fn, type):
            out.append(Replayer(fn, calls[name], private_cache=name in private, name=name))
        else:
            out.append(fn)
    return tuple(out)
