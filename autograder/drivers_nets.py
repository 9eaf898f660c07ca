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
from .numerics import numerical_gradient

RTOL = 1e-5  # centred differences with h=1e-5 are good to about 1e-9 on these smooth costs
ATOL = 1e-8
OK = "ok"


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


def _pattern(analytic: np.ndarray, numerical: np.ndarray, batch: int | None) -> str:
    """The shape of the disagreement, when it has one a learner can act on."""
    if np.isnan(analytic).any():
        return "contains NaN"
    if not np.isfinite(numerical).all():
        return "NaN numerical gradient: a log of a number <= 0 in the cost?"
    if np.allclose(analytic, -numerical, rtol=RTOL, atol=ATOL):
        return "the sign is flipped"
    mask = np.abs(numerical) > 1e-6
    if mask.any():
        ratios = analytic[mask] / numerical[mask]
        ratio = float(np.median(ratios))
        if (
            np.isfinite(ratio)
            and ratio != 0
            and np.allclose(ratios, ratio, rtol=1e-4)
            and np.allclose(analytic, ratio * numerical, rtol=RTOL, atol=1e-7)
        ):
            if batch and batch > 1 and np.isclose(ratio, batch):
                return f"N = {batch} times too large: a missing 1/N?"
            if batch and batch > 1 and np.isclose(ratio, 1 / batch):
                return f"N = {batch} times too small: an extra 1/N, or a summed cost?"
            return f"{ratio:.3g} times the numerical one: a constant factor"
    if (
        analytic.ndim == 2
        and analytic.shape[0] == analytic.shape[1]
        and np.allclose(analytic, numerical.T, rtol=RTOL, atol=ATOL)
    ):
        return "it is the transpose of the numerical one"
    if np.allclose(analytic, 0.0) and not np.allclose(numerical, 0.0):
        return "all zero"
    return ""


def gradient_verdict(analytic, numerical, batch: int | None = None) -> str:
    """``"ok"`` if an analytic gradient agrees with a numerical one, else what is wrong with it."""
    try:
        a = np.asarray(analytic, dtype=float)
    except (TypeError, ValueError):
        return f"not an array of numbers but a {type(analytic).__name__}"
    g = np.asarray(numerical, dtype=float)
    if a.shape != g.shape:
        text = f"shape {a.shape}, but its parameter has shape {g.shape}"
        if a.ndim == 2 and a.shape == g.shape[::-1]:
            return text + ": transposed?"
        if a.size == g.size:
            return text + ": a reshape or keepdims issue?"
        if a.size > g.size:
            return text + ": summed over the wrong axis, or not at all?"
        return text
    close = np.isclose(a, g, rtol=RTOL, atol=ATOL)
    if close.all():
        return OK
    first = [int(i) for i in np.argwhere(~close)[0]] if a.ndim else []
    text = f"{int((~close).sum())} of {close.size} off the numerical gradient"
    if a.ndim:
        text += f", first at {first}"
    pattern = _pattern(a, g, batch)
    return f"{text}: {pattern}" if pattern else text


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
