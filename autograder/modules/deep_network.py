"""Module 07 (deep network): layers and networks.

Every backward check here does two things with the learner's code. Its gradients are compared with
the reference's (the comparison names the parameter, the first differing element and the shape of
the error: a transpose, a sign flip, a factor N or 1/N). And they are compared with the numerical
gradient of the learner's *own* forward pass (``autograder.checking.numerics``), reported per
parameter as "agrees" or as a short diagnosis. Where it runs an earlier exercise
(affine_backward's runs affine_forward) it is advisory: it explains, it does not decide.

``seen_as`` runs a class or function with some of its global names bound to the objects the check
was handed: the learner's earlier functions behind the stand-ins of ``autograder.checking.replay``,
so that a mistake in an earlier exercise costs that exercise alone. ``recursion_budget`` pins
Python's recursion limit a fixed distance above the current depth, so that a recursive graph walk
fails on a deep graph whatever limit the kernel was started with (module 08 uses both).
"""

from __future__ import annotations

import contextlib
import inspect
import sys

import numpy as np

from autograder.checking.drivers import advisory, describe, shows_call, unpack, with_values
from autograder.checking.numerics import (
    gradient_verdict,
    numerical_gradient,
    numerical_gradient_array,
)

_MISSING = object()


def _namespaces(obj) -> list[dict]:
    """The global namespaces that the code of a function, or of a class and its bases, reads."""
    found: dict[int, dict] = {}

    def add(fn):
        fn = getattr(fn, "__func__", fn)
        if isinstance(fn, property):
            fn = fn.fget
        namespace = getattr(fn, "__globals__", None)
        if isinstance(namespace, dict):
            found[id(namespace)] = namespace

    if isinstance(obj, type):
        for klass in obj.__mro__:
            if klass is not object:
                for attr in vars(klass).values():
                    add(attr)
    else:
        add(obj)
    return list(found.values())


@contextlib.contextmanager
def seen_as(objects, names: dict):
    """Bind ``names`` in the globals that ``objects`` read, for the duration of the block."""
    saved = []
    for namespace in {id(n): n for obj in objects for n in _namespaces(obj)}.values():
        for key, value in names.items():
            saved.append((namespace, key, namespace.get(key, _MISSING)))
            namespace[key] = value
    try:
        yield
    finally:
        for namespace, key, value in reversed(saved):
            if value is _MISSING:
                namespace.pop(key, None)
            else:
                namespace[key] = value


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


@contextlib.contextmanager
def recursion_budget(frames: int = 1000):
    """Allow ``frames`` more nested Python calls than are on the stack now, and no more."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth() + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _numeric(value) -> np.ndarray | None:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _scalar_or_array(value):
    arr = _numeric(value)
    if arr is None:
        return value
    return float(arr) if arr.ndim == 0 else arr


def _returns(result) -> str:
    if isinstance(result, tuple | list) and len(result) == 2:
        return "a pair (out, cache)"
    return describe(result)


def _out(result):
    return result[0] if isinstance(result, tuple | list) else result


def _changed_inputs(fn, args, before) -> str:
    """ "yes" if the array arguments still hold what they held before the call, else which not."""
    try:
        names = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        names = []
    changed = [
        names[i] if i < len(names) else f"argument {i + 1}"
        for i, (now, then) in enumerate(zip(args, before))
        if isinstance(then, np.ndarray) and not np.array_equal(now, then, equal_nan=True)
    ]
    return "yes" if not changed else f"no: {', '.join(changed)} changed in place"


def layer_forward(fns, args, kwargs):
    """A forward layer: does it return a pair, what is its ``out`` (the cache is the learner's
    business), and did it leave its inputs as they were?"""
    before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    result = fns[0](*args, **kwargs)
    returns = _returns(result)
    out = result[0] if returns == "a pair (out, cache)" else result
    return returns, out, _changed_inputs(fns[0], args, before)


def layer_forward_and_cache(fns, args, kwargs):
    """``layer_forward`` and the cache itself, for a layer whose exercise says what to cache
    (the affine layer's ``(x, w, b)``, with ``x`` as given, so that ``dx`` can take its shape)."""
    before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    result = fns[0](*args, **kwargs)
    returns = _returns(result)
    out, cache = result if returns == "a pair (out, cache)" else (result, None)
    return returns, out, cache, _changed_inputs(fns[0], args, before)


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = affine_forward(x, w, b)[1]", "x w b dout".split(), args
    )
)
def affine_gradients(fns, args, kwargs):
    """``affine_backward`` on the cache of the learner's ``affine_forward``.

    args: (x, w, b, dout). Returns dx, dw, db and the numerical gradient check of each.
    """
    backward, forward = fns
    x, w, b, dout = args
    _, cache = unpack(forward(x.copy(), w.copy(), b.copy()), 2, "affine_forward", "(out, cache)")
    dx, dw, db = unpack(backward(dout.copy(), cache), 3, "affine_backward", "(dx, dw, db)")
    batch = x.shape[0]
    grads = {"dx": dx, "dw": dw, "db": db}

    def checks_now():
        numerical = {
            "dx": numerical_gradient_array(
                lambda z: _out(forward(z.copy(), w.copy(), b.copy())), x.copy(), dout
            ),
            "dw": numerical_gradient_array(
                lambda z: _out(forward(x.copy(), z.copy(), b.copy())), w.copy(), dout
            ),
            "db": numerical_gradient_array(
                lambda z: _out(forward(x.copy(), w.copy(), z.copy())), b.copy(), dout
            ),
        }
        return {k: gradient_verdict(grads[k], numerical[k], batch) for k in grads}

    return dx, dw, db, advisory(checks_now, grads)


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = relu_forward(x)[1]", ["x", "dout"], args
    )
)
def relu_gradients(fns, args, kwargs):
    """``relu_backward`` on the cache of the learner's ``relu_forward``. args: (x, dout).

    dx is reported in two parts, away from the kink and at it (inputs exactly 0, where the
    gradient is 0 by convention), so that an error confined to the kink says so. The numerical
    check skips inputs within 1e-4 of 0, where a centred difference straddles the kink, and
    inputs beyond 1e6, which a step of 1e-5 does not move.
    """
    backward, forward = fns
    x, dout = args
    _, cache = unpack(forward(x.copy()), 2, "relu_forward", "(out, cache)")
    dx = backward(dout.copy(), cache)
    out_of_reach = (np.abs(x) < 1e-4) | (np.abs(x) > 1e6)

    def check_now():
        numerical = numerical_gradient_array(lambda z: _out(forward(z.copy())), x.copy(), dout)
        return {"dx": gradient_verdict(dx, numerical, skip=out_of_reach)}

    check = advisory(check_now, ["dx"])
    arr = _numeric(dx)
    if arr is None or arr.shape != x.shape:
        return dx, None, check
    kinks = x == 0
    return np.where(kinks, 0.0, arr), arr[kinks], check


def loss_gradients(fns, args, kwargs):
    """A loss layer ``(loss, dscores) = f(scores, y)``: both, and the numerical check of dscores."""
    fn = fns[0]
    scores, y = args
    loss, dscores = unpack(fn(scores.copy(), y.copy()), 2, "softmax_loss", "(loss, dscores)")
    numerical = numerical_gradient(
        lambda z: float(np.sum(_out(fn(z.copy(), y.copy())))), scores.copy()
    )
    check = {"dscores": gradient_verdict(dscores, numerical, batch=scores.shape[0])}
    return _scalar_or_array(loss), dscores, check


LAYERS = ("affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss")


def initial_summary(value, weight_scale: float | None = None) -> str:
    """How a freshly built parameter looks, in terms that do not depend on the order of random
    draws: its shape, whether it is all zero, and for a weight (``weight_scale`` given) whether
    its spread is the one weight_scale asks for (a standard deviation within a factor 2.5)."""
    arr = _numeric(value)
    if arr is None:
        return describe(value)
    if not arr.any():
        return f"shape {arr.shape}, all zero"
    text = f"shape {arr.shape}, not all zero"
    if weight_scale and arr.size >= 4:
        ratio = float(np.std(arr)) / weight_scale
        text += (
            ", spread as weight_scale asks"
            if 0.4 <= ratio <= 2.5
            else f", standard deviation {ratio:.2g} times weight_scale"
        )
    return text


def _network_call(name, args, kwargs):
    hidden_dims, input_dim, num_classes, params, X, y = args
    options = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    return with_values(
        f"net = {name}({list(hidden_dims)}, input_dim={input_dim}, num_classes={num_classes}"
        f"{options}); net.params[k] = params[k] for each k; net.loss(X); net.loss(X, y)",
        ["params", "X", "y"],
        args[3:],
    )


@shows_call(_network_call)
def network_loss(fns, args, kwargs):
    """Build a network with the learner's class (and layers), set its parameters, run ``loss``.

    args: (hidden_dims, input_dim, num_classes, params, X, y); kwargs go to the constructor.
    Returns the initial parameters' shapes, the scores, the loss, the gradients and the numerical
    check of each gradient.
    """
    cls, *layers = fns
    hidden_dims, input_dim, num_classes, params, X, y = args
    with seen_as([cls], dict(zip(LAYERS, layers))):
        net = cls(list(hidden_dims), input_dim=input_dim, num_classes=num_classes, **kwargs)
        scale = kwargs.get("weight_scale", 1e-2)
        initial = {
            k: initial_summary(v, scale if k.startswith("W") else None)
            for k, v in sorted(net.params.items())
        }
        for key, value in params.items():
            net.params[key] = value.copy()
        scores = net.loss(X.copy())
        loss, grads = unpack(net.loss(X.copy(), y.copy()), 2, "loss(X, y)", "(loss, grads)")
        grads = dict(grads) if isinstance(grads, dict) else grads

        def checks_now():
            checks = {}
            for key in params:
                numerical = numerical_gradient(
                    lambda _: float(_out(net.loss(X.copy(), y.copy()))), net.params[key]
                )
                mine = grads.get(key) if isinstance(grads, dict) else None
                checks[key] = gradient_verdict(mine, numerical, batch=X.shape[0])
            return checks

        checks = advisory(checks_now, params)
    return initial, _scalar_or_array(scores), _scalar_or_array(loss), grads, checks
