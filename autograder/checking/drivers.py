"""Drivers: how a check calls the learner's code on one case and turns the result into plain data.

A driver receives the functions or classes handed to ``check`` (the graded one first, then those
named in the exercise's ``uses``), and the case's arguments, already copied, so that a function
that mutates its input cannot spoil the next case. It returns plain values: arrays, numbers,
tuples, dicts. The same driver runs the reference at build time and the learner's code in the check,
so both are judged by the same yardstick.
"""

from __future__ import annotations

import contextlib
import copy
import inspect

import numpy as np

from autograder.checking.serialize import resolve_callable


def resolve_driver(path: str):
    """The driver ``"module:qualname"`` names; one ending in ``?keeps=a,b`` (or ``*``) is wrapped
    so that a call that changes those arguments in place fails (``keeping``)."""
    path, _, keeps = path.partition("?keeps=")
    driver = resolve_callable(path)
    return keeping(driver, tuple(keeps.split(","))) if keeps else driver


def call(fns, args, kwargs):
    """Call the graded function with the case's arguments and return what it returns."""
    return fns[0](*args, **kwargs)


def call_float(fns, args, kwargs):
    """Call the graded function and return its result as a float (a scalar answer)."""
    value = fns[0](*args, **kwargs)
    try:
        return float(np.asarray(value))
    except (TypeError, ValueError):
        who = getattr(fns[0], "__name__", "the function")
        size = np.size(value) if isinstance(value, np.ndarray | list | tuple) else None
        fix = ": float(...) or .item() turns a one-element array into one" if size == 1 else ""
        raise TypeError(
            f"{who} should return a number; it returned {describe(value)}{fix}"
        ) from None


@contextlib.contextmanager
def rebound(fn, **replacements):
    """Bind names in ``fn``'s globals to the given objects while the block runs, then restore."""
    scope = getattr(fn, "__globals__", None)
    if scope is None:
        yield
        return
    missing = object()
    saved = {name: scope.get(name, missing) for name in replacements}
    scope.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                scope.pop(name, None)
            else:
                scope[name] = value


def calling_through(*names: str):
    """A driver for a graded function that calls earlier exercises by their global names: the
    functions given after it (the exercise's ``uses``, behind the stand-ins of
    ``autograder.checking.replay``) are bound under ``names`` while it runs, so a wrong earlier
    exercise costs its own points alone. ``predict_through_forward = calling_through("forward")``
    in a module's file gives the spec a driver name to use."""

    def driver(fns, args, kwargs):
        fn, *used = fns
        with rebound(fn, **dict(zip(names, used))):
            return fn(*args, **kwargs)

    driver.__doc__ = f"Call the graded function with {', '.join(names)} bound to those given."
    return driver


def describe(value) -> str:
    """How a driver names what a learner's function returned, in its error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"a {type(value).__name__}"


def unpack(result, count: int, who: str, what: str):
    """``result`` if it is a tuple or list of ``count`` values, else a TypeError saying so."""
    if not isinstance(result, tuple | list) or len(result) != count:
        raise TypeError(f"{who} should return {what}; it returned {describe(result)}")
    return result


def advisory(compute, keys) -> dict:
    """Verdicts of a numerical gradient check, ``compute()``, as a dict over ``keys``.

    The check differentiates the learner's *own* forward pass, so it is advisory (the exercise
    declares it so): it explains a wrong backward pass but never fails a right one. If the
    learner's forward pass raises, each verdict says so instead of the whole check failing.
    """
    try:
        return compute()
    except Exception as error:  # noqa: BLE001 - the learner's forward pass, whatever it raises
        return dict.fromkeys(keys, f"not computed: the forward pass raised {type(error).__name__}")


def shows_call(describe_call):
    """Mark a driver with how a failure message's "Call:" line shows one of its cases, when the
    case's arguments are not simply the graded function's: ``describe_call(name, args, kwargs)``
    returns the calls the check makes, in the learner's terms, and the values they use."""

    def mark(driver):
        driver.describe_call = describe_call
        return driver

    return mark


def with_values(call: str, names, args, kwargs=None) -> str:
    """``call``, then one line per named argument of the case (and per keyword argument)."""
    from autograder.checking.compare import short

    lines = [call] + [f"  {n} = {short(a)}" for n, a in zip(names, args)]
    lines += [f"  {k} = {short(v)}" for k, v in (kwargs or {}).items()]
    return "\n".join(lines)


class InputChanged(AssertionError):
    """A graded function changed an argument its statement says to leave unchanged."""


def argument_names(fn, args: tuple, kwargs: dict) -> list[tuple[str, object]]:
    """``(name, value)`` of each argument of the call, by ``fn``'s parameter names when it has them."""
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
        return list(bound.arguments.items())
    except (TypeError, ValueError):
        return [(f"argument {i + 1}", a) for i, a in enumerate(args)] + list(kwargs.items())


def what_changed(name: str, after, before) -> str | None:
    """How ``after`` differs from the copy ``before`` taken before the call, or None."""
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or after.shape != before.shape:
            return f"{name} changed shape"
        if before.dtype.kind in "fc":  # a perturbation undone in another order is still undone
            kept = np.isclose(after, before, rtol=1e-12, atol=0, equal_nan=True)
        else:
            kept = after == before
        if not np.all(kept):
            return f"{int(np.sum(~kept))} of {before.size} values of {name} changed"
        return None
    if isinstance(before, dict):
        if not isinstance(after, dict):
            return f"{name} is no longer a dict"
        if after.keys() != before.keys():
            added = [k for k in after if k not in before]
            removed = [k for k in before if k not in after]
            return (
                f"{name} {'gained keys ' + repr(added) if added else 'lost keys ' + repr(removed)}"
            )
        for k in before:
            found = what_changed(f"{name}[{k!r}]", after[k], before[k])
            if found:
                return found
        return None
    if isinstance(before, list):
        if not isinstance(after, list) or len(after) != len(before):
            return f"{name} changed length"
        for i, (a, b) in enumerate(zip(after, before)):
            found = what_changed(f"{name}[{i}]", a, b)
            if found:
                return found
    return None


WATCHED = (np.ndarray, dict, list)


def keeping(driver, names: tuple[str, ...]):
    """``driver``, failing a call that changes one of the arguments ``names`` (``("*",)``: any)
    in place. The arguments are copied before the call and compared with the copies after it."""

    def run(fns, args, kwargs):
        fn = fns[0]
        watched = [
            (n, v)
            for n, v in argument_names(fn, args, kwargs)
            if isinstance(v, WATCHED) and (names == ("*",) or n in names)
        ]
        saved = [(n, v, copy.deepcopy(v)) for n, v in watched]
        result = driver(fns, args, kwargs)
        for n, v, before in saved:
            change = what_changed(n, v, before)
            if change:
                who = getattr(fn, "__name__", "the function")
                raise InputChanged(
                    f"{who} changed its argument {n} in place: {change}. Leave the caller's "
                    f"{n} as it was: build new arrays (x = x - step, not x -= step or "
                    "x[...] = ...); a dict's .copy() is new but shares the arrays inside it."
                )
        return result

    describe_call = getattr(driver, "describe_call", None)
    if describe_call is not None:
        run.describe_call = describe_call
    run.__name__ = getattr(driver, "__name__", "driver")
    return run
