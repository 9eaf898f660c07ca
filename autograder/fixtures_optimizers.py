"""Loss surfaces that the checks of module 10 (optimisation) hand to a learner's update rules.

A check's data can only name importable functions, so the gradients descended in the checks live
here. Each is the gradient of a function whose minimum is known; none is a course exercise.
"""

from __future__ import annotations

import numpy as np


def ravine_grad(w):
    """Gradient of f(w) = sum_k c_k * w_k**2 / 2, with curvatures c = 1, 25, 1, 25, ...

    w: any shape (flattened order gives the curvatures). Minimum at 0; an ill-conditioned ravine,
    steep across and flat along, the surface where momentum and adaptive steps earn their keep.
    """
    w = np.asarray(w, dtype=float)
    curvature = np.where(np.arange(w.size) % 2 == 0, 1.0, 25.0).reshape(w.shape)
    return curvature * w


def shifted_bowl_grad(w):
    """Gradient of f(w) = sum((w - 1)**2): any shape, minimum 1 everywhere."""
    return 2.0 * (np.asarray(w, dtype=float) - 1.0)


def tilted_plane_grad(w):
    """Gradient of f(w) = sum_k (k + 1) * w_k over the flattened elements: constant, so every step
    sees the same gradient and the optimiser's state alone decides how the steps change."""
    w = np.asarray(w, dtype=float)
    return np.arange(1.0, w.size + 1.0).reshape(w.shape)
