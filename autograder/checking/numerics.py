"""Numerical gradients: the course's trusted yardstick for every backward pass.

These are the centred differences that module 02 has learners write themselves; the checks use
this copy so that a learner's own bug in module 02 cannot make a later check lie.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.replay import direct


def numerical_gradient(f, x, h=1e-5):
    """Gradient of the scalar function f at x (any shape) by centred differences.

    x is changed in place one element at a time and restored; returns an array shaped like x.
    f runs the learner's own functions throughout (``replay.direct``): a numerical gradient checks
    that a learner's backward pass agrees with *their* forward pass.
    """
    with direct():
        return _centred(f, x, h)


def _centred(f, x, h):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        saved = x[i]
        x[i] = saved + h
        plus = f(x)
        x[i] = saved - h
        minus = f(x)
        x[i] = saved
        grad[i] = (plus - minus) / (2 * h)
        it.iternext()
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """Gradient of sum(f(x) * dout) with respect to x: the backward pass of an array function."""
    return numerical_gradient(lambda z: float(np.sum(f(z) * dout)), x, h)


def rel_error(a, b) -> float:
    """Largest elementwise relative error, |a - b| / (|a| + |b|), safe at zero."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


AGREES = "agrees"


def _shape_verdict(got: np.ndarray, num: np.ndarray) -> str:
    text = f"shape {got.shape}, but its parameter has shape {num.shape}"
    if got.ndim == 2 and got.shape == num.shape[::-1]:
        return text + ": transposed?"
    if got.size == num.size:
        return text + ": a reshape or keepdims issue?"
    if got.size > num.size:
        return text + ": summed over the wrong axis, or not at all?"
    return text


def _error_pattern(g, n, got, num, tol: dict, batch: int | None) -> str | None:
    """The shape of the disagreement, when it has one a learner can act on."""
    if np.isnan(g).any():
        return "yours has NaN"
    if not np.isfinite(n).all():
        return "the numerical gradient is not finite: a log of a number <= 0 in the forward pass?"
    if not g.any():
        return "yours is all zero"
    if np.allclose(g, -n, **tol):
        return "the sign is flipped"
    if got.ndim == 2 and got.shape[0] == got.shape[1] and np.allclose(got.T, num, **tol):
        return "it is the transpose of the numerical one"
    big = np.abs(n) > tol["atol"]
    if big.any():
        ratio = float(np.median(g[big] / n[big]))
        if np.isfinite(ratio) and ratio != 0 and np.allclose(g, ratio * n, **tol):
            if batch and batch > 1 and np.isclose(ratio, batch):
                return f"N = {batch} times too large: a missing 1/N?"
            if batch and batch > 1 and np.isclose(ratio, 1 / batch):
                return f"N = {batch} times too small: an extra 1/N, or a summed cost?"
            return f"{ratio:.4g} times the numerical one: a constant factor"
    return None


def gradient_verdict(analytic, numerical, batch: int | None = None, skip=None) -> str:
    """``"agrees"``, or where and how an analytic gradient differs from a numerical one.

    The account names how many elements are off, the first of them, and the shape of the error (a
    sign flip, a transpose, a constant factor such as N or 1/N, a wrong shape), never values, so
    hidden cases can show it too. ``batch`` is N, to recognise factors of N; ``skip`` masks
    elements where the numerical gradient means nothing (a ReLU's kink).
    """
    if analytic is None:
        return "missing"
    try:
        got = np.asarray(analytic, dtype=float)
    except (TypeError, ValueError):
        return f"not an array of numbers but a {type(analytic).__name__}"
    num = np.asarray(numerical, dtype=float)
    if got.shape != num.shape:
        return _shape_verdict(got, num)
    keep = np.ones(num.shape, dtype=bool) if skip is None else ~np.asarray(skip, dtype=bool)
    if not keep.any():
        return AGREES
    finite = num[keep][np.isfinite(num[keep])]
    scale = max(1.0, float(np.max(np.abs(finite)))) if finite.size else 1.0
    tol = {"rtol": 1e-5, "atol": 1e-7 * scale}
    close = np.ones(num.shape, dtype=bool)
    close[keep] = np.isclose(got[keep], num[keep], **tol)
    if close.all():
        return AGREES
    text = f"{int((~close).sum())} of {close.size} off the numerical gradient"
    if num.ndim:
        text += f", first at {[int(i) for i in np.argwhere(~close)[0]]}"
    pattern = _error_pattern(got[keep], num[keep], got, num, tol, batch)
    return f"{text}: {pattern}" if pattern else text
