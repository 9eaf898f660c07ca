"""Drivers: how a check calls the learner's code on one case and turns the result into plain data.

A driver receives the functions or classes handed to ``check`` (the graded one first, then those
named in the exercise's ``uses``), and the case's arguments, already copied, so that a function
that mutates its input cannot spoil the next case. It returns plain values: arrays, numbers,
tuples, dicts. The same driver runs the reference at build time and the learner's code in the check,
so both are judged by the same yardstick.
"""

from __future__ import annotations

import numpy as np


def call(fns, args, kwargs):
    """Call the graded function with the case's arguments and return what it returns."""
    return fns[0](*args, **kwargs)


def call_float(fns, args, kwargs):
    """Call the graded function and return its result as a float (a scalar answer)."""
    return float(np.asarray(fns[0](*args, **kwargs)))


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
    from .compare import short

    lines = [call] + [f"  {n} = {short(a)}" for n, a in zip(names, args)]
    lines += [f"  {k} = {short(v)}" for k, v in (kwargs or {}).items()]
    return "\n".join(lines)
