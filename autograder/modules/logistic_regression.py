"""Module 05 (logistic regression): a gradient check, a stability check, and calls through earlier
exercises.

- **gradient checks.** A backward pass is compared with the expected gradients, and also with the
  centred-difference gradient of the learner's *own* cost (``autograder.checking.numerics``), whose
  verdict names indices and patterns, never values, so it can be shown on hidden cases too.
- **calls through earlier exercises.** ``train_logistic`` calls ``logistic_forward_backward`` by
  its global name. The check hands that function over (``uses``) and ``rebound`` binds it under
  its name for the length of the call, so the graded function runs on exactly the functions the
  check was given: the learner's, behind the stand-ins of ``autograder.checking.replay``.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.drivers import advisory, calling_through, rebound
from autograder.checking.numerics import gradient_verdict, numerical_gradient


def no_overflow(fns, args, kwargs):
    """Call the graded function with floating-point overflow turned into an error.

    A sigmoid that computes exp(1000) on the way to a right answer is not numerically stable: it
    warns, and in other settings (float32, a log afterwards) the inf becomes a wrong answer.
    """
    with np.errstate(over="raise"):
        return fns[0](*args, **kwargs)


# ``predict(w, b, X)`` calls ``sigmoid`` by its global name
through_sigmoid = calling_through("sigmoid")


def _unpack(out, name: str, names: str, count: int) -> tuple:
    if not isinstance(out, tuple | list) or len(out) != count:
        got = f"{len(out)} values" if isinstance(out, tuple | list) else type(out).__name__
        raise TypeError(f"{name} must return a tuple ({names}), got {got}")
    return tuple(out)


def logistic_gradient_check(fns, args, kwargs):
    """``logistic_forward_backward(w, b, X, y)`` with a numerical check of its dw and db.

    Returns ({"dw": verdict, "db": verdict}, cost, dw, db); the verdicts compare the analytic
    gradients with centred differences of the cost the same function returns. The ``sigmoid``
    given to the check (``uses``) is bound under its name while it runs.
    """
    fn, *used = fns
    with rebound(fn, **({"sigmoid": used[0]} if used else {})):
        return _gradient_check(fn, *args)


def _gradient_check(fn, w, b, X, y):
    cost, dw, db = _unpack(fn(w.copy(), b, X.copy(), y.copy()), fn.__name__, "cost, dw, db", 3)

    def cost_at_w(w_trial):
        return float(fn(w_trial.copy(), b, X.copy(), y.copy())[0])

    def cost_at_b(b_trial):
        return float(fn(w.copy(), float(b_trial), X.copy(), y.copy())[0])

    batch = X.shape[0]

    def verdicts():
        return {
            "dw": gradient_verdict(dw, numerical_gradient(cost_at_w, w.copy()), batch),
            "db": gradient_verdict(db, numerical_gradient(cost_at_b, np.array(float(b))), batch),
        }

    return advisory(verdicts, ["dw", "db"]), cost, dw, db


def train_logistic_run(fns, args, kwargs):
    """``train_logistic(X, y, lr, num_iters)`` run on the ``logistic_forward_backward`` given to
    the check; returns (w, b, costs as a float array)."""
    train, forward_backward = fns
    with rebound(train, logistic_forward_backward=forward_backward):
        out = train(*args, **kwargs)
    w, b, costs = _unpack(out, train.__name__, "w, b, costs", 3)
    return w, b, np.asarray(costs, dtype=float)
