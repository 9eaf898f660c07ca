"""Module 04 (gradient descent): what a returned value cannot show, and the surfaces descended.

``descend_watching_start`` also reports whether ``gradient_descent`` left the caller's starting
point untouched: a descent that overwrites ``theta0`` returns the right path, then spoils the next
run that starts from the same array (a learning-rate sweep, a widget).

The gradients handed to a learner's ``gradient_descent`` live here, since a check's data can only
name importable functions. Each is the gradient of a function whose minimum is known; none is a
course exercise.
"""

from __future__ import annotations

import numpy as np


def _what(out) -> str:
    if isinstance(out, tuple | list):
        return f"{len(out)} values"
    return f"a single {type(out).__name__}"


def descend_watching_start(fns, args, kwargs):
    """Call ``gradient_descent(grad_fn, theta0, lr, steps)``; return (theta, history, untouched).

    untouched is True when theta0 holds the same values after the call as before it.
    """
    grad_fn, theta0, lr, steps = args
    before = np.array(theta0, copy=True)
    out = fns[0](grad_fn, theta0, lr, steps, **kwargs)
    untouched = bool(np.array_equal(np.asarray(theta0), before))
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise TypeError(
            f"gradient_descent should return two values (theta, history), not {_what(out)}"
        )
    theta, history = out
    return theta, history, untouched


def bowl_grad(theta):
    """Gradient of f(theta) = (theta_0**2 + 10 * theta_1**2) / 2, an elongated bowl.

    theta: (2,). Minimum at the origin; stable for a learning rate below 2 / 10.
    """
    return np.array([1.0, 10.0]) * np.asarray(theta, dtype=float)


def shifted_parabola_grad(theta):
    """Gradient of f(theta) = sum((theta - 3)**2), any shape; the minimum is 3 everywhere."""
    return 2.0 * (np.asarray(theta, dtype=float) - 3.0)


def graded_bowl_grad(theta):
    """Gradient of f(theta) = sum_k (k + 1) * theta_k**2 / 2 over the flattened elements.

    theta: any shape. Each element has its own curvature, 1, 2, 3...: the larger the array, the
    smaller a learning rate must be.
    """
    theta = np.asarray(theta, dtype=float)
    curvature = np.arange(1, theta.size + 1, dtype=float).reshape(theta.shape)
    return curvature * theta


def rosenbrock_grad(theta):
    """Gradient of the Rosenbrock valley f(x, y) = (1 - x)**2 + 100 * (y - x**2)**2.

    theta: (2,) as (x, y). Minimum at (1, 1), at the end of a long curved valley.
    """
    x, y = np.asarray(theta, dtype=float)
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)])
