"""Drivers of module 12 (convolutions): layers with caches, and helpers the layers call.

Each exercise of the module may call earlier ones by their global names (a convolution pads with
``zero_pad`` and sizes its output with ``conv_output_size``; ``conv_forward_fast`` calls
``im2col``). A driver binds those names, for the length of the call, to the functions the check
was handed (``uses``): the learner's own, behind the stand-ins of ``autograder.checking.replay``, so that a
wrong ``zero_pad`` costs ``zero_pad``'s points alone.

A backward check builds its cache with the learner's own forward pass, whatever its format, and
adds the numerical gradient of that forward pass (advisory: it explains, it never decides), as in
module 07.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.drivers import advisory, describe, shows_call, unpack, with_values
from autograder.checking.numerics import gradient_verdict, numerical_gradient_array
from autograder.modules.deep_network import _changed_inputs, _out, _returns, seen_as


def _bound(fn, names, fns):
    """``fn`` run with the global ``names`` bound to ``fns`` (the check's ``uses``)."""
    return seen_as([fn], dict(zip(names, fns)))


def _copies(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


def output_size(fns, args, kwargs):
    """``conv_output_size``: the number it returns, and whether it is a whole number (an int)."""
    value = fns[0](*args, **kwargs)
    kind = "an int" if isinstance(value, int | np.integer) else f"not an int but {describe(value)}"
    return value, kind


def _array_call(names):
    """A driver for a function of arrays that calls the earlier exercises ``names``: its result
    and whether it left its array arguments as they were."""

    def driver(fns, args, kwargs):
        before = _copies(args)
        with _bound(fns[0], names, fns[1:]):
            result = fns[0](*args, **kwargs)
        return result, _changed_inputs(fns[0], args, before)

    driver.__doc__ = f"Call the graded function with {', '.join(names)} bound to the check's."
    return driver


im2col_call = _array_call(("conv_output_size", "zero_pad"))
col2im_call = _array_call(("conv_output_size",))


def _forward(names, with_cache: bool):
    def driver(fns, args, kwargs):
        before = _copies(args)
        with _bound(fns[0], names, fns[1:]):
            result = fns[0](*args, **kwargs)
        returns = _returns(result)
        out, cache = result if returns == "a pair (out, cache)" else (result, None)
        unchanged = _changed_inputs(fns[0], args, before)
        if with_cache:
            return returns, out, cache, unchanged
        return returns, out, unchanged

    return driver


conv_forward = _forward(("conv_output_size", "zero_pad"), with_cache=True)
fast_forward = _forward(("im2col", "conv_output_size"), with_cache=False)
pool_forward = _forward(("conv_output_size",), with_cache=True)


def _conv_call(name, args, kwargs):
    forward = "conv_forward_fast" if name.endswith("fast") else "conv_forward_naive"
    return with_values(
        f"{name}(dout, cache), with cache = {forward}(x, w, b, conv_param)[1]",
        "x w b conv_param dout".split(),
        args,
    )


def _conv_gradients(fns, args, names):
    backward, forward, *helpers = fns
    x, w, b, conv_param, dout = args
    _, cache = unpack(
        forward(x.copy(), w.copy(), b.copy(), dict(conv_param)),
        2,
        getattr(forward, "__name__", "the forward pass"),
        "(out, cache)",
    )
    with _bound(backward, names, helpers):
        dx, dw, db = unpack(backward(dout.copy(), cache), 3, "the backward pass", "(dx, dw, db)")
    grads = {"dx": dx, "dw": dw, "db": db}

    def checks_now():
        def out(xx, ww, bb):
            return _out(forward(xx.copy(), ww.copy(), bb.copy(), dict(conv_param)))

        numerical = {
            "dx": numerical_gradient_array(lambda z: out(z, w, b), x.copy(), dout),
            "dw": numerical_gradient_array(lambda z: out(x, z, b), w.copy(), dout),
            "db": numerical_gradient_array(lambda z: out(x, w, z), b.copy(), dout),
        }
        return {k: gradient_verdict(grads[k], numerical[k], x.shape[0]) for k in grads}

    return dx, dw, db, advisory(checks_now, grads)


@shows_call(_conv_call)
def conv_gradients(fns, args, kwargs):
    """``conv_backward_naive`` on the cache of the learner's ``conv_forward_naive``, with
    ``zero_pad`` bound to the check's. args: (x, w, b, conv_param, dout).

    Returns dx, dw, db and the numerical gradient check of each against the learner's forward.
    """
    return _conv_gradients(fns, args, ("zero_pad",))


@shows_call(_conv_call)
def fast_conv_gradients(fns, args, kwargs):
    """``conv_backward_fast`` on the cache of the learner's ``conv_forward_fast`` (whatever it
    holds), with ``col2im`` bound to the check's. args: (x, w, b, conv_param, dout)."""
    return _conv_gradients(fns, args, ("col2im",))


def _near_ties(x: np.ndarray, gap: float = 1e-4) -> np.ndarray:
    """Elements within ``gap`` of another element of the same channel of the same image: where a
    max pool may have a tie, so that a centred difference straddles a kink."""
    flat = x.reshape(x.shape[0] * x.shape[1], -1)
    order = np.argsort(flat, axis=1)
    ranked = np.take_along_axis(flat, order, axis=1)
    close = np.zeros(ranked.shape, dtype=bool)
    step = np.diff(ranked, axis=1) < gap
    close[:, 1:] |= step
    close[:, :-1] |= step
    skip = np.zeros(flat.shape, dtype=bool)
    np.put_along_axis(skip, order, close, axis=1)
    return skip.reshape(x.shape)


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = max_pool_forward_naive(x, pool_param)[1]",
        ["x", "pool_param", "dout"],
        args,
    )
)
def pool_gradients(fns, args, kwargs):
    """``max_pool_backward_naive`` on the cache of the learner's ``max_pool_forward_naive``.

    args: (x, pool_param, dout). Returns dx and its numerical check, which skips the inputs that
    tie (or nearly tie) with another input of their channel: there the gradient has a kink.
    """
    backward, forward = fns
    x, pool_param, dout = args
    _, cache = unpack(forward(x.copy(), dict(pool_param)), 2, "max_pool_forward_naive", "a pair")
    dx = backward(dout.copy(), cache)

    def check_now():
        numerical = numerical_gradient_array(
            lambda z: _out(forward(z.copy(), dict(pool_param))), x.copy(), dout
        )
        return {"dx": gradient_verdict(dx, numerical, skip=_near_ties(x))}

    return dx, advisory(check_now, ["dx"])
