"""Drivers of module 15 (LSTM, GRU and word embeddings).

The cells' forward passes keep a cache whose contents are the learner's design, so their checks
look at the new states only. Each backward check runs the learner's own forward pass for the cache,
compares the gradients with the expected ones, and adds a numerical gradient verdict per input,
computed on the learner's forward pass (advisory: it explains, it never decides).
"""

from __future__ import annotations

import numpy as np

from autograder.checking.drivers import advisory, describe, shows_call, with_values
from autograder.checking.numerics import gradient_verdict, numerical_gradient
from autograder.modules.deep_network import _changed_inputs


def _triple_or_pair(result, count: int) -> str:
    if isinstance(result, tuple | list) and len(result) == count:
        return {2: "a pair (next_h, cache)", 3: "a triple (next_h, next_c, cache)"}[count]
    return describe(result)


def lstm_forward(fns, args, kwargs):
    """``lstm_step_forward``: what it returns, next_h, next_c, and its inputs left unchanged."""
    before = [a.copy() for a in args]
    result = fns[0](*args, **kwargs)
    returns = _triple_or_pair(result, 3)
    if returns.startswith("a triple"):
        next_h, next_c = result[0], result[1]
    else:
        next_h = next_c = None
    return returns, next_h, next_c, _changed_inputs(fns[0], args, before)


def gru_forward(fns, args, kwargs):
    """``gru_step_forward``: what it returns, next_h, and its inputs left unchanged."""
    before = [a.copy() for a in args]
    result = fns[0](*args, **kwargs)
    returns = _triple_or_pair(result, 2)
    next_h = result[0] if returns.startswith("a pair") else result
    return returns, next_h, _changed_inputs(fns[0], args, before)


def _unpack(result, count: int, who: str, what: str):
    if not isinstance(result, tuple | list) or len(result) != count:
        raise TypeError(f"{who} should return {what}; it returned {describe(result)}")
    return result


LSTM_INPUTS = ("x", "prev_h", "prev_c", "Wx", "Wh", "b")
GRU_INPUTS = ("x", "prev_h", "Wx", "Wh", "b")


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dnext_h, dnext_c, cache), with "
        "next_h, next_c, cache = lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)",
        [*LSTM_INPUTS, "dnext_h", "dnext_c"],
        args,
    )
)
def lstm_gradients(fns, args, kwargs):
    """``lstm_step_backward`` on the cache of the learner's ``lstm_step_forward``.

    args: (x, prev_h, prev_c, Wx, Wh, b, dnext_h, dnext_c). Returns dx, dprev_h, dprev_c, dWx,
    dWh, db and the numerical gradient verdict of each (of sum(next_h dnext_h + next_c dnext_c)).
    """
    backward, forward = fns
    inputs, (dnext_h, dnext_c) = list(args[:6]), args[6:]
    result = forward(*[a.copy() for a in inputs])
    _, _, cache = _unpack(result, 3, "lstm_step_forward", "(next_h, next_c, cache)")
    grads = _unpack(
        backward(dnext_h.copy(), dnext_c.copy(), cache),
        6,
        "lstm_step_backward",
        "(dx, dprev_h, dprev_c, dWx, dWh, db)",
    )
    names = ["d" + n for n in LSTM_INPUTS]

    def scalar(values):
        next_h, next_c, _ = forward(*[v.copy() for v in values])
        return float(np.sum(next_h * dnext_h) + np.sum(next_c * dnext_c))

    def checks_now():
        verdicts = {}
        for i, name in enumerate(names):
            values = [a.copy() for a in inputs]
            numerical = numerical_gradient(lambda _, v=values: scalar(v), values[i])
            verdicts[name] = gradient_verdict(grads[i], numerical)
        return verdicts

    return (*grads, advisory(checks_now, names))


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dnext_h, cache), with next_h, cache = gru_step_forward(x, prev_h, Wx, Wh, b)",
        [*GRU_INPUTS, "dnext_h"],
        args,
    )
)
def gru_gradients(fns, args, kwargs):
    """``gru_step_backward`` on the cache of the learner's ``gru_step_forward``.

    args: (x, prev_h, Wx, Wh, b, dnext_h). Returns dx, dprev_h, dWx, dWh, db and the numerical
    gradient verdict of each (of sum(next_h dnext_h)).
    """
    backward, forward = fns
    inputs, dnext_h = list(args[:5]), args[5]
    _, cache = _unpack(
        forward(*[a.copy() for a in inputs]), 2, "gru_step_forward", "(next_h, cache)"
    )
    grads = _unpack(
        backward(dnext_h.copy(), cache), 5, "gru_step_backward", "(dx, dprev_h, dWx, dWh, db)"
    )
    names = ["d" + n for n in GRU_INPUTS]

    def scalar(values):
        next_h, _ = forward(*[v.copy() for v in values])
        return float(np.sum(next_h * dnext_h))

    def checks_now():
        verdicts = {}
        for i, name in enumerate(names):
            values = [a.copy() for a in inputs]
            numerical = numerical_gradient(lambda _, v=values: scalar(v), values[i])
            verdicts[name] = gradient_verdict(grads[i], numerical)
        return verdicts

    return (*grads, advisory(checks_now, names))


def skipgram_gradients(fns, args, kwargs):
    """``skipgram_neg_loss``: loss, dcenter, dU, the numerical verdicts of dcenter and dU, and
    whether the inputs were left unchanged. args: (center, outside_idx, negative_idx, U)."""
    fn = fns[0]
    center, outside_idx, negative_idx, U = args
    before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    loss, dcenter, dU = _unpack(
        fn(center.copy(), outside_idx, np.array(negative_idx), U.copy()),
        3,
        "skipgram_neg_loss",
        "(loss, dcenter, dU)",
    )
    unchanged = _changed_inputs(fn, [center, outside_idx, negative_idx, U], before)

    def checks_now():
        c, u = center.copy(), U.copy()

        def value(_):
            return float(fn(c, outside_idx, np.array(negative_idx), u)[0])

        return {
            "dcenter": gradient_verdict(dcenter, numerical_gradient(value, c)),
            "dU": gradient_verdict(dU, numerical_gradient(value, u)),
        }

    try:
        loss = float(np.asarray(loss))
    except (TypeError, ValueError):
        pass
    return loss, dcenter, dU, advisory(checks_now, ["dcenter", "dU"]), unchanged


def _as_ints(result):
    try:
        arr = np.asarray(result)
    except (TypeError, ValueError):
        return result
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    return arr


def indices(fns, args, kwargs):
    """``nearest_neighbours``: the indices it returns (as an int array when they are ints), and
    whether E was left unchanged."""
    E = args[0]
    before = E.copy()
    result = _as_ints(fns[0](*args, **kwargs))
    return result, "yes" if np.array_equal(E, before) else "no: E changed in place"


def index(fns, args, kwargs):
    """``analogy``: the index it returns, as a plain int when it is an integer, and whether E was
    left unchanged."""
    E = args[0]
    before = E.copy()
    result = fns[0](*args, **kwargs)
    arr = _as_ints(result)
    if isinstance(arr, np.ndarray) and arr.ndim == 0 and arr.dtype.kind in "iu":
        result = int(arr)
    return result, "yes" if np.array_equal(E, before) else "no: E changed in place"
