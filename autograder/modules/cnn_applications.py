"""Drivers of module 13 (CNN applications): layer pairs, the convolutional network, detection boxes.

Every backward check runs the learner's own forward pass first and hands its cache, whatever the
learner put in it, to their backward pass; the gradients are compared with the reference's, and
with the numerical gradient of the learner's forward pass (advisory: it explains a wrong backward
pass and never fails a right one). The network and non-max suppression are run with their global
names (``conv_relu_pool_forward``, ``iou`` ...) bound to the functions the check was handed, so
that ``autograder.checking.replay`` can stand in for a wrong earlier exercise.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.drivers import advisory, describe, shows_call, unpack, with_values
from autograder.checking.numerics import gradient_verdict
from autograder.checking.replay import direct
from autograder.modules.deep_network import initial_summary, seen_as

SAMPLES = 8  # coordinates of each array that a numerical gradient check moves


def sampled_gradient(f, x, count=SAMPLES, h=1e-5):
    """Centred differences of the scalar function f at ``count`` coordinates of x spread evenly
    over it (every coordinate when x is smaller): ``(gradient, skip)``, with ``skip`` marking the
    coordinates not computed, for ``gradient_verdict``. Convolutions make every coordinate cost a
    whole forward pass; a wrong backward pass is wrong at most of them, so a sample finds it.

    x is changed in place one element at a time and restored; f runs the learner's own functions
    (``replay.direct``), as in ``autograder.checking.numerics``.
    """
    x = np.asarray(x, dtype=float)
    grad = np.zeros(x.shape)
    skip = np.ones(x.shape, dtype=bool)
    with direct():
        for flat in np.unique(np.linspace(0, x.size - 1, min(count, x.size)).round().astype(int)):
            i = np.unravel_index(flat, x.shape)
            saved = x[i]
            x[i] = saved + h
            plus = f(x)
            x[i] = saved - h
            minus = f(x)
            x[i] = saved
            grad[i] = (plus - minus) / (2 * h)
            skip[i] = False
    return grad, skip


def _first(result):
    return result[0] if isinstance(result, tuple | list) else result


def _copies(values):
    return [v.copy() if isinstance(v, np.ndarray) else v for v in values]


def _layer_pair(backward, forward, inputs, params, dout, names):
    """Forward with the learner's layer, backward on its cache, and the numerical check of each
    gradient with respect to each array input (``names`` are the gradients' names, in order)."""
    _, cache = unpack(forward(*_copies(inputs), *params), 2, forward.__name__, "(out, cache)")
    grads = backward(dout.copy(), cache)
    if not isinstance(grads, tuple | list) or len(grads) != len(names):
        raise TypeError(
            f"{getattr(backward, '__name__', 'backward')} should return "
            f"({', '.join(names)}); it returned {describe(grads)}"
        )
    batch = inputs[0].shape[0]

    def checks_now():
        verdicts = {}
        for k, name in enumerate(names):

            def moved(z, k=k):
                values = _copies(inputs)
                values[k] = z.copy()
                return _first(forward(*values, *params))

            numerical, skip = sampled_gradient(
                lambda z, moved=moved: float(np.sum(moved(z) * dout)), inputs[k].copy()
            )
            verdicts[name] = gradient_verdict(grads[k], numerical, batch, skip=skip)
        return verdicts

    return (*grads, advisory(checks_now, names))


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = "
        "conv_relu_pool_forward(x, w, b, conv_param, pool_param)[1]",
        "x w b conv_param pool_param dout".split(),
        args,
    )
)
def conv_relu_pool_gradients(fns, args, kwargs):
    """``conv_relu_pool_backward`` on the cache of the learner's ``conv_relu_pool_forward``.

    args: (x, w, b, conv_param, pool_param, dout). Returns dx, dw, db and their numerical check.
    """
    backward, forward = fns
    x, w, b, conv_param, pool_param, dout = args
    return _layer_pair(
        backward, forward, [x, w, b], [conv_param, pool_param], dout, ("dx", "dw", "db")
    )


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = residual_block_forward(x, w1, b1, w2, b2)[1]",
        "x w1 b1 w2 b2 dout".split(),
        args,
    )
)
def residual_gradients(fns, args, kwargs):
    """``residual_block_backward`` on the cache of the learner's ``residual_block_forward``.

    args: (x, w1, b1, w2, b2, dout). Returns dx, dw1, db1, dw2, db2 and their numerical check.
    """
    backward, forward = fns
    *inputs, dout = args
    return _layer_pair(
        backward, forward, list(inputs), [], dout, ("dx", "dw1", "db1", "dw2", "db2")
    )


NET_LAYERS = ("conv_relu_pool_forward", "conv_relu_pool_backward")


def _net_call(name, args, kwargs):
    options = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return with_values(
        f"net = {name}({options}); net.params[k] = params[k] for each k; net.reg = reg; "
        "net.loss(X); net.loss(X, y)",
        ["params", "X", "y", "reg"],
        args,
    )


@shows_call(_net_call)
def conv_net_loss(fns, args, kwargs):
    """Build the learner's ``ThreeLayerConvNet`` (kwargs go to the constructor), set its
    parameters and its ``reg``, then run ``loss`` without and with labels.

    args: (params, X, y, reg). Returns the initial parameters' shapes, the scores, the loss, the
    gradients and the numerical check of each gradient.
    """
    cls, *layers = fns
    params, X, y, reg = args
    with seen_as([cls], dict(zip(NET_LAYERS, layers))):
        net = cls(**kwargs)
        scale = kwargs.get("weight_scale", 1e-2)
        initial = {
            k: initial_summary(v, scale if k.startswith("W") else None)
            for k, v in sorted(net.params.items())
        }
        for key, value in params.items():
            net.params[key] = value.copy()
        net.reg = reg
        scores = net.loss(X.copy())
        loss, grads = unpack(net.loss(X.copy(), y.copy()), 2, "loss(X, y)", "(loss, grads)")
        grads = dict(grads) if isinstance(grads, dict) else grads

        def checks_now():
            checks = {}
            for key in params:
                numerical, skip = sampled_gradient(
                    lambda _: float(_first(net.loss(X.copy(), y.copy()))), net.params[key], 4
                )
                mine = grads.get(key) if isinstance(grads, dict) else None
                checks[key] = gradient_verdict(mine, numerical, batch=X.shape[0], skip=skip)
            return checks

        checks = advisory(checks_now, params)
    return initial, scores, float(np.asarray(loss)) if np.ndim(loss) == 0 else loss, grads, checks


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(boxes, scores, iou_threshold)", ["boxes", "scores", "iou_threshold"], args
    )
)
def kept_boxes(fns, args, kwargs):
    """``non_max_suppression`` with its global ``iou`` bound to the one the check was handed.

    Returns the kept indices as a list of ints, in the order returned, and the input left as is."""
    nms, iou_fn = fns
    boxes, scores, threshold = args
    before = boxes.copy(), scores.copy()
    with seen_as([nms], {"iou": iou_fn}):
        kept = nms(boxes, scores, threshold)
    try:
        indices = [int(i) for i in np.asarray(kept).ravel()]
    except (TypeError, ValueError):
        return describe(kept), None
    unchanged = np.array_equal(boxes, before[0]) and np.array_equal(scores, before[1])
    return indices, "yes" if unchanged else "no: boxes or scores changed in place"


def call_unchanged(fns, args, kwargs):
    """Call the graded function; return its result and whether its array inputs were left as is."""
    before = _copies(args)
    result = fns[0](*args, **kwargs)
    changed = [
        i + 1
        for i, (now, then) in enumerate(zip(args, before))
        if isinstance(then, np.ndarray) and not np.array_equal(now, then)
    ]
    return result, "yes" if not changed else f"no: argument {changed[0]} changed in place"
