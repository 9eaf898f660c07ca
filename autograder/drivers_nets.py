"""Drivers of modules 05 (logistic regression) and 06 (a shallow network).

Two things the plain ``call`` driver cannot do:

- **gradient checks.** A backward pass is compared with the expected gradients, and also with the
  centred-difference gradient of the learner's *own* cost (``autograder.numerics``). The verdict is
  a short string per parameter, ``"ok"`` when they agree, or which elements disagree and how: a
  constant factor (a missing 1/N), a flipped sign, a transpose, a wrong shape. The verdict names
  indices and patterns, never values, so it can be shown on hidden cases too.
- **calls through earlier exercises.** ``train_logistic`` calls ``logistic_forward_backward`` and
  ``predict`` calls ``forward`` by their global names. The check hands those functions over
  (``uses``), and the driver binds them under their names for the length of the call, so the
  graded function runs on exactly the functions the check was given: the learner's, behind the
  stand-ins of ``autograder.replay``, which give the expected answer wherever the learner's earlier
  function gets a recorded call wrong. A wrong ``forward`` costs ``forward``'s points, not
  ``predict``'s too.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .drivers import advisory
from .numerics import gradient_verdict, numerical_gradient


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


def no_overflow(fns, args, kwargs):
    """Call the graded function with floating-point overflow turned into an error.

    A sigmoid that computes exp(1000) on the way to a right answer is not numerically stable: it
    warns, and in other settings (float32, a log afterwards) the inf becomes a wrong answer.
    """
    with np.errstate(over="raise"):
        return fns[0](*args, **kwargs)


def _unpack(out, name: str, names: str, count: int) -> tuple:
    if not isinstance(out, tuple | list) or len(out) != count:
        got = f"{len(out)} values" if isinstance(out, tuple | list) else type(out).__name__
        raise TypeError(f"{name} must return a tuple ({names}), got {got}")
    return tuple(out)


def logistic_gradient_check(fns, args, kwargs):
    """``logistic_forward_backward(w, b, X, y)`` with a numerical check of its dw and db.

    Returns ({"dw": verdict, "db": verdict}, cost, dw, db); the verdicts compare the analytic
    gradients with centred differences of the cost the same function returns.
    """
    fn = fns[0]
    w, b, X, y = args
    cost, dw, db = _unpack(fn(w.copy(), b, X.copy(), y.copy()), fn.__name__, "cost, dw, db", 3)

    def cost_at_w(w_trial):
        return float(fn(w_trial.copy(), b, X.copy(), y.copy())[0])

    def cost_at_b(b_trial):
        return float(fn(w.copy(), float(b_trial), X.copy(), y.copy())[0])

    batch = X.shape[0]
    verdicts = {
        "dw": gradient_verdict(dw, numerical_gradient(cost_at_w, w.copy()), batch),
        "db": gradient_verdict(db, numerical_gradient(cost_at_b, np.array(float(b))), batch),
    }
    return verdicts, cost, dw, db


def train_logistic_run(fns, args, kwargs):
    """``train_logistic(X, y, lr, num_iters)`` run on the ``logistic_forward_backward`` given to
    the check; returns (w, b, costs as a float array)."""
    train, forward_backward = fns
    with rebound(train, logistic_forward_backward=forward_backward):
        out = train(*args, **kwargs)
    w, b, costs = _unpack(out, train.__name__, "w, b, costs", 3)
    return w, b, np.asarray(costs, dtype=float)


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


def predict_through_forward(fns, args, kwargs):
    """``predict(X, params)`` run on the ``forward`` given to the check."""
    predict, forward = fns
    with rebound(predict, forward=forward):
        return predict(*args, **kwargs)
