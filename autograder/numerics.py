"""Numerical gradients: the course's trusted yardstick for every backward pass.

These are the centred differences that module 02 has learners write themselves; the checks use
this copy so that a learner's own bug in module 02 cannot make a later check lie.
"""

from __future__ import annotations

import numpy as np

from .replay import direct


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
