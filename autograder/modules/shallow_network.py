"""Module 06 (a shallow network): the network's gradient check, and ``predict`` through ``forward``.

``predict`` calls ``forward`` by its global name; the check binds the learner's ``forward``
(behind the replay stand-ins) under that name, so a wrong ``forward`` costs ``forward``'s points,
not ``predict``'s too.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.drivers import advisory, calling_through
from autograder.checking.numerics import gradient_verdict, numerical_gradient


def network_gradient_check(fns, args, kwargs):
    """``backward(params, cache, X, Y)``, with each gradient checked numerically.

    fns: (backward, forward, compute_cost). The numerical gradient of parameter P is the
    centred difference of compute_cost(forward(X, params)[0], Y) as P moves.
    Returns ({"dW1": verdict, ...}, grads).
    """
    backward, forward, compute_cost = fns
    params, cache, X, Y = args
    pristine = {k: np.array(v, dtype=float) for k, v in params.items()}
    grads = backward(params, cache, X, Y)
    if not isinstance(grads, dict):
        raise TypeError(f"{backward.__name__} must return a dict of gradients, got {type(grads)}")

    def cost_with(name):
        def cost(value):
            trial = {k: (value if k == name else v.copy()) for k, v in pristine.items()}
            probs, _ = forward(X.copy(), trial)
            with np.errstate(divide="ignore", invalid="ignore"):  # the verdict reports NaNs
                return float(compute_cost(probs, Y.copy()))

        return cost

    def verdicts_now():
        verdicts = {}
        for name, value in pristine.items():
            key = "d" + name
            if key not in grads:
                verdicts[key] = f"missing: grads has keys {sorted(grads)}"
                continue
            numerical = numerical_gradient(cost_with(name), value.copy())
            verdicts[key] = gradient_verdict(grads[key], numerical, X.shape[0])
        return verdicts

    return advisory(verdicts_now, ["d" + name for name in pristine]), grads


# ``predict(X, params)`` calls ``forward`` by its global name
predict_through_forward = calling_through("forward")
