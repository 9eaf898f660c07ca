"""Drivers of module 02 (calculus): results a return value alone cannot show.

``gradient_and_input`` returns a numerical gradient together with the array it was taken at, as
the call left it: a numerical gradient perturbs x in place and must put every element back.
"""

from __future__ import annotations

import numpy as np


def gradient_and_input(fns, args, kwargs):
    """Call numerical_gradient(f, x, ...) and return (its result, a copy of x after the call)."""
    x = args[1]
    grad = fns[0](*args, **kwargs)
    return grad, np.array(x, copy=True)
