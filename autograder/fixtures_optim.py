"""Gradients that the checks of module 04 hand to a learner's ``gradient_descent``.

A check's data can only name importable functions, so the loss surfaces descended in the checks
live here. Each is the gradient of a function whose minimum is known; none is a course exercise.
"""

from __future__ import annotations

import numpy as np


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
