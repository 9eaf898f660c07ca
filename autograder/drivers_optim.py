"""Drivers of module 04 (gradient descent): what a returned value cannot show.

``descend_watching_start`` also reports whether ``gradient_descent`` left the caller's starting
point untouched: a descent that overwrites ``theta0`` returns the right path, then spoils the next
run that starts from the same array (a learning-rate sweep, a widget).
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
