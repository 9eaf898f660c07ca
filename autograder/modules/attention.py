"""Drivers of module 16 (attention): layer pairs whose caches are the learner's own design.

``attention_forward`` and ``layer_norm_forward`` return ``(out, cache)``; what goes in the cache is
the learner's business, so their checks look at ``out`` (and that the inputs were left alone), and
their backward checks run the learner's own forward pass to get a cache. Each backward check also
compares the learner's gradients with centred differences of the learner's forward pass: advisory
verdicts that explain a wrong backward pass and never fail a right one.

Functions that call earlier exercises by their global names (``attention_forward`` calls
``scaled_dot_product_attention``; ``multi_head_attention_forward`` calls ``split_heads``,
``merge_heads`` and ``scaled_dot_product_attention``) are run with those names bound to the
functions the check was handed, behind ``autograder.checking.replay``'s stand-ins: a wrong earlier exercise
costs its own points only.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.drivers import advisory, describe, shows_call, unpack, with_values
from autograder.checking.numerics import gradient_verdict, numerical_gradient_array
from autograder.modules.deep_network import seen_as


def _copies(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


def _unchanged(names, args, before) -> str:
    changed = [
        name
        for name, now, then in zip(names, args, before)
        if isinstance(then, np.ndarray) and not np.array_equal(now, then, equal_nan=True)
    ]
    return "yes" if not changed else f"no: {', '.join(changed)} changed in place"


def _pair(result, who: str):
    if isinstance(result, tuple | list) and len(result) == 2:
        return "a pair (out, cache)", result[0]
    return describe(result), None


def _out(result, who: str):
    out, _ = unpack(result, 2, who, "(out, cache)")
    return np.asarray(out, dtype=float)


def boolean_mask(fns, args, kwargs):
    """A mask-making function's result, as 0/1 numbers when it is an array of booleans (or of
    0s and 1s): the comparison then names a transposed or shifted mask like any wrong array."""
    mask = fns[0](*args, **kwargs)
    try:
        arr = np.asarray(mask)
    except (TypeError, ValueError):
        return mask
    if arr.dtype.kind == "b" or (arr.dtype.kind in "iuf" and np.isin(arr, [0, 1]).all()):
        return arr.astype(float)
    if arr.dtype.kind in "iuf":
        return f"not a mask of booleans: an array of dtype {arr.dtype} holding other values"
    return mask


def attention_weights(fns, args, kwargs):
    """``scaled_dot_product_attention(q, k, v, mask)``: its out, its weights, and whether the
    inputs were left unchanged."""
    before = _copies(args)
    out, weights = unpack(fns[0](*args, **kwargs), 2, fns[0].__name__, "(out, weights)")
    return out, weights, _unchanged(["q", "k", "v", "mask"], args, before)


def attention_layer(fns, args, kwargs):
    """``attention_forward(q, k, v, mask)`` on the ``scaled_dot_product_attention`` given to the
    check: what it returns, its out, and whether the inputs were left unchanged."""
    forward, *used = fns
    before = _copies(args)
    with seen_as([forward], dict(zip(["scaled_dot_product_attention"], used))):
        result = forward(*args, **kwargs)
    returns, out = _pair(result, forward.__name__)
    return returns, out, _unchanged(["q", "k", "v", "mask"], args, before)


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = attention_forward(q, k, v, mask)[1]",
        "q k v mask dout".split(),
        args,
    )
)
def attention_gradients(fns, args, kwargs):
    """``attention_backward`` on the cache of the learner's ``attention_forward``.

    args: (q, k, v, mask, dout). Returns dq, dk, dv and the numerical check of each.
    """
    backward, forward = fns
    q, k, v, mask, dout = args

    def mask_copy():
        return None if mask is None else mask.copy()

    _, cache = unpack(
        forward(q.copy(), k.copy(), v.copy(), mask_copy()), 2, "attention_forward", "(out, cache)"
    )
    grads = unpack(backward(dout.copy(), cache), 3, "attention_backward", "(dq, dk, dv)")
    mine = dict(zip(("dq", "dk", "dv"), grads))

    def out_of(q_, k_, v_):
        return _out(forward(q_.copy(), k_.copy(), v_.copy(), mask_copy()), "attention_forward")

    def verdicts_now():
        numerical = {
            "dq": numerical_gradient_array(lambda z: out_of(z, k, v), q.copy(), dout),
            "dk": numerical_gradient_array(lambda z: out_of(q, z, v), k.copy(), dout),
            "dv": numerical_gradient_array(lambda z: out_of(q, k, z), v.copy(), dout),
        }
        return {key: gradient_verdict(mine[key], numerical[key]) for key in mine}

    return (*grads, advisory(verdicts_now, mine))


def multi_head(fns, args, kwargs):
    """``multi_head_attention_forward(x, Wq, Wk, Wv, Wo, num_heads, mask)`` on the
    ``split_heads``, ``merge_heads`` and ``scaled_dot_product_attention`` given to the check:
    its out, and whether the inputs were left unchanged."""
    mha, *used = fns
    names = ["split_heads", "merge_heads", "scaled_dot_product_attention"]
    before = _copies(args)
    with seen_as([mha], dict(zip(names, used))):
        out = mha(*args, **kwargs)
    return out, _unchanged("x Wq Wk Wv Wo num_heads mask".split(), args, before)


def layer_norm_layer(fns, args, kwargs):
    """``layer_norm_forward(x, gamma, beta, eps)``: what it returns, its out, and whether the
    inputs were left unchanged."""
    before = _copies(args)
    result = fns[0](*args, **kwargs)
    returns, out = _pair(result, fns[0].__name__)
    return returns, out, _unchanged(["x", "gamma", "beta"], args, before)


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = layer_norm_forward(x, gamma, beta, eps)[1]",
        "x gamma beta dout".split(),
        args,
        kwargs,
    )
)
def layer_norm_gradients(fns, args, kwargs):
    """``layer_norm_backward`` on the cache of the learner's ``layer_norm_forward``.

    args: (x, gamma, beta, dout); kwargs: eps. Returns dx, dgamma, dbeta and the numerical
    check of each.
    """
    backward, forward = fns
    x, gamma, beta, dout = args
    _, cache = unpack(
        forward(x.copy(), gamma.copy(), beta.copy(), **kwargs),
        2,
        "layer_norm_forward",
        "(out, cache)",
    )
    grads = unpack(backward(dout.copy(), cache), 3, "layer_norm_backward", "(dx, dgamma, dbeta)")
    mine = dict(zip(("dx", "dgamma", "dbeta"), grads))

    def out_of(x_, gamma_, beta_):
        return _out(forward(x_.copy(), gamma_.copy(), beta_.copy(), **kwargs), "layer_norm_forward")

    def verdicts_now():
        numerical = {
            "dx": numerical_gradient_array(lambda z: out_of(z, gamma, beta), x.copy(), dout),
            "dgamma": numerical_gradient_array(lambda z: out_of(x, z, beta), gamma.copy(), dout),
            "dbeta": numerical_gradient_array(lambda z: out_of(x, gamma, z), beta.copy(), dout),
        }
        return {key: gradient_verdict(mine[key], numerical[key]) for key in mine}

    return (*grads, advisory(verdicts_now, mine))
