"""Demo cells that wait for an exercise: ``needs("train_logistic")`` as a cell's first line.

A cell that plots, trains or shows a widget with the learner's functions starts with
``needs(...)`` naming the exercises it runs (directly or through earlier cells). While one of them
is still a stub (it contains ``raise todo()``) or has not been run, the cell stops there with one
line, and no traceback, no half-drawn figure:

    This cell needs train_logistic: finish that exercise and run its cell first.
"""

from __future__ import annotations

import sys
import types


class NeedsExercise(Exception):
    """A demo cell ran before the exercises it uses were written. IPython shows only the lines
    of ``_render_traceback_()``: the message, without the frames."""

    def __init__(self, names: list[str]):
        self.names = list(names)
        super().__init__(message(self.names))

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def message(names: list[str]) -> str:
    shown = [f"{n}" for n in names]
    if len(shown) == 1:
        return f"This cell needs {shown[0]}: finish that exercise and run its cell first."
    listed = ", ".join(shown[:-1]) + " and " + shown[-1]
    return f"This cell needs {listed}: finish those exercises and run their cells first."


def _codes(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _functions(obj) -> list:
    """The plain functions of a function, a method, a property or (every method of) a class."""
    if isinstance(obj, type):
        return [f for v in vars(obj).values() if not isinstance(v, type) for f in _functions(v)]
    if isinstance(obj, staticmethod | classmethod):
        obj = obj.__func__
    if isinstance(obj, property):
        return [f for f in (obj.fget, obj.fset, obj.fdel) if f is not None]
    obj = getattr(obj, "__func__", obj)
    return [obj] if isinstance(getattr(obj, "__code__", None), types.CodeType) else []


def _names_used(obj) -> set[str]:
    return {n for f in _functions(obj) for c in _codes(f.__code__) for n in c.co_names}


def is_stub(obj) -> bool:
    """Whether a function (or any method of a class) still calls ``todo()``."""
    return "todo" in _names_used(obj)


def unfinished(names, namespace: dict) -> list[str]:
    """The names among ``names`` that are not defined in ``namespace`` or are still stubs, and
    the stubs of the notebook they call (a finished network whose layers are not written)."""
    found, seen, todo = [], set(), list(names)
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if name not in namespace:
            found.append(name)
            continue
        obj = namespace[name]
        if is_stub(obj):
            found.append(name)
        elif not getattr(obj, "__module__", None) or obj.__module__ == namespace.get("__name__"):
            # the notebook's own functions: follow the names they call
            todo += sorted(n for n in _names_used(obj) if callable(namespace.get(n)))
    return found


def needs(*names: str) -> None:
    """Stop this cell, with one line saying which exercises to finish first, while any of
    ``names`` (exercises of this notebook) is undefined or still raises ``todo()``."""
    caller = sys._getframe(1).f_globals
    missing = unfinished(names, caller)
    if missing:
        raise NeedsExercise(missing)
