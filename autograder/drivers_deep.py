"""Drivers of modules 07 (deep network) and 08 (autograd): layers, networks and autodiff engines.

Every backward check here does two things with the learner's code. Its gradients are compared with
the reference's (the comparison names the parameter, the first differing element and the shape of
the error: a transpose, a sign flip, a factor N or 1/N). And they are compared with the numerical
gradient of the learner's *own* forward pass (``autograder.numerics``), reported per parameter as
"agrees" or as a short diagnosis: that second verdict catches a forward pass and a backward pass
that disagree with each other, the way CS231n's gradient checks do. Where it runs an earlier
exercise (affine_backward's runs affine_forward) it is advisory: it explains, it does not decide.

Two helpers make classes and later exercises testable on their own terms:

- ``seen_as`` runs a class or function with some of its global names bound to the objects the
  check was handed: the learner's earlier functions behind the stand-ins of ``autograder.replay``,
  so that a mistake in an earlier exercise costs that exercise alone. ``creation_order`` stands in
  for ``topological_order``, whose calls (on graphs of objects) cannot be recorded.
- ``recursion_budget`` pins Python's recursion limit a fixed distance above the current depth, so
  that a recursive graph walk fails on a deep graph whatever limit the kernel was started with.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import itertools
import sys

import numpy as np

from .drivers import advisory, describe, shows_call, unpack, with_values
from .fixtures_deep import build_chain, build_graph
from .numerics import gradient_verdict, numerical_gradient, numerical_gradient_array

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


def _initial(value) -> str:
    arr = _numeric(value)
    if arr is None:
        return describe(value)
    return f"shape {arr.shape}, " + ("all zero" if not arr.any() else "not all zero")


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
        initial = {k: _initial(v) for k, v in sorted(net.params.items())}
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


def _reachable(root) -> list:
    seen, stack = {id(root): root}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen[id(child)] = child
                stack.append(child)
    return list(seen.values())


@contextlib.contextmanager
def creation_order(cls, order_fn):
    """A stand-in for the learner's ``topological_order`` while a check runs programs of ``cls``.

    Every node of ``cls`` is numbered as it is created, and a node is always created after its
    inputs, so sorting the nodes reachable from the root by that number is a topological order.
    ``Value`` and ``Tensor`` are then checked on their own: a wrong ``topological_order`` costs its
    own exercise, not theirs too (the way ``autograder.replay`` stands in for earlier functions).
    Yields the stand-in; on a graph with a node created elsewhere it calls ``order_fn``.
    """
    created: dict[int, int] = {}
    counter = itertools.count()
    own = cls.__dict__.get("__init__", _MISSING)
    init = cls.__init__

    def __init__(self, *args, **kwargs):
        created[id(self)] = next(counter)
        init(self, *args, **kwargs)

    def topological_order(root):
        nodes = _reachable(root)
        if all(id(node) in created for node in nodes):
            return sorted(nodes, key=lambda node: created[id(node)])
        return order_fn(root)

    topological_order.__wrapped__ = order_fn
    cls.__init__ = __init__
    try:
        yield topological_order
    finally:
        if own is _MISSING:
            del cls.__init__
        else:
            cls.__init__ = own


def _order_verdict(order, root) -> str:
    position = {}
    for i, node in enumerate(order):
        position.setdefault(id(node), i)
    for node in order:
        for child in node._prev:
            if id(child) in position and position[id(child)] > position[id(node)]:
                return f"{node.name!r} comes before its input {child.name!r}"
    return "every node after its inputs"


def _membership(order, root) -> str:
    """Does ``order`` hold every node reachable from ``root``, each exactly once?"""
    counts: dict[int, int] = {}
    for node in order:
        counts[id(node)] = counts.get(id(node), 0) + 1
    for node in order:
        if counts[id(node)] > 1:
            return f"no: {node.name!r} appears {counts[id(node)]} times"
    for node in _reachable(root):
        if id(node) not in counts:
            return f"no: {node.name!r} is missing"
    return "yes"


def _graph_call(name, args, kwargs):
    if kwargs.get("chain"):
        n = kwargs["chain"]
        return f"{name}(root) on a chain n0 <- n1 <- ... <- n{n - 1} of {n} nodes, root n{n - 1}"
    edges, root = args
    inputs = "; ".join(f"{node} <- {', '.join(ins) or 'nothing'}" for node, ins in edges.items())
    return f"{name}(root) with root {root!r}, on the nodes and their inputs: {inputs}"


@shows_call(_graph_call)
def topological_order_check(fns, args, kwargs):
    """Sort a graph of plain nodes. args: (edges, root name), or kwargs chain=length.

    Returns whether it finished (a recursive walk hits the recursion limit on a deep chain),
    whether every reachable node came back exactly once, and whether every node comes after its
    inputs.
    """
    chain = kwargs.get("chain")
    root, _ = build_chain(chain) if chain else build_graph(*args)
    try:
        with recursion_budget():
            order = list(fns[0](root))
    except RecursionError:
        return {
            "finished": "no: RecursionError (a recursive walk on a deep graph)",
            "each node once": None,
            "order": None,
        }
    if not all(hasattr(node, "_prev") and hasattr(node, "name") for node in order):
        kinds = sorted({type(node).__name__ for node in order})
        return {"finished": "yes", "each node once": f"no: not nodes but {kinds}", "order": None}
    return {
        "finished": "yes",
        "each node once": _membership(order, root),
        "order": _order_verdict(order, root),
    }


def _program(source: str):
    """Compiled code and the names it assigns, in order; the last one is the output."""
    tree = ast.parse(source)
    stores = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id != "_"
    ]
    stores.sort(key=lambda node: (node.lineno, node.col_offset))
    names = list(dict.fromkeys(node.id for node in stores))
    return compile(tree, "<check program>", "exec"), names, stores[-1].id


def _run(code, cls, leaves: dict, extra: dict) -> dict:
    namespace = dict(extra)
    namespace.update({name: cls(value) for name, value in leaves.items()})
    exec(code, namespace)
    return namespace


def _backward_without_recursion(node, *args):
    """``node.backward(*args)``, with a short, clear error if it recurses through a deep graph."""
    try:
        node.backward(*args)
    except RecursionError:
        raise RecursionError(
            "backward() hit Python's recursion limit on a deep graph: walk the graph with a "
            "loop and a stack of your own (see topological_order), not with recursion"
        ) from None


def _field(node, cls, attr: str):
    if not isinstance(node, cls):
        return f"not a {cls.__name__} but {describe(node)}"
    return _scalar_or_array(getattr(node, attr))


def _program_call(kind: str, leaves: dict, program: str, seed: str) -> str:
    from .compare import short

    last = _program(program)[2]
    lines = [f"the program below, on leaves made with {kind}(...), then {last}.backward({seed}):"]
    lines += [f"    {line}" for line in program.strip().splitlines()]
    lines += [f"  {k} = {kind}({short(v)})" for k, v in leaves.items()]
    return "\n".join(lines)


@shows_call(lambda name, args, kwargs: _program_call("Value", args[1], args[0], ""))
def value_program(fns, args, kwargs):
    """Run a program of ``Value`` operations, then ``backward()`` from its last assignment.

    args: (program, leaves) with leaves a dict name -> number. Returns every node's data, every
    node's grad (from the output back to the leaves), and for each leaf the numerical check of
    its grad, from running the program again with that leaf moved by +-1e-6.
    """
    cls, order_fn = fns
    program, leaves = args
    code, names, last = _program(program)
    everything = [*leaves, *(n for n in names if n not in leaves)]
    h = 1e-6
    with (
        creation_order(cls, order_fn) as stand_in,
        seen_as([cls], {"Value": cls, "topological_order": stand_in}),
        recursion_budget(),
    ):
        ns = _run(code, cls, leaves, {})
        _backward_without_recursion(ns[last])
        values = {n: _field(ns[n], cls, "data") for n in everything}
        grads = {n: _field(ns[n], cls, "grad") for n in reversed(everything)}
        checks = {}
        for leaf in leaves:
            up = _run(code, cls, {**leaves, leaf: leaves[leaf] + h}, {})[last].data
            down = _run(code, cls, {**leaves, leaf: leaves[leaf] - h}, {})[last].data
            checks[leaf] = gradient_verdict(grads[leaf], (up - down) / (2 * h))
    return values, grads, checks


def _tensor_call(name, args, kwargs):
    from .compare import short

    program, arrays, dout = args
    text = _program_call("Tensor", arrays, program, "" if dout is None else "dout")
    return text if dout is None else f"{text}\n  dout = {short(dout)}"


@shows_call(_tensor_call)
def tensor_program(fns, args, kwargs):
    """Run a program of ``Tensor`` operations, then ``backward(dout)`` from its last assignment.

    args: (program, arrays, dout) with arrays a dict name -> array (each becomes a leaf Tensor)
    and dout the gradient to seed backward with, or None to call ``backward()`` bare.
    Returns the output's data, every node's grad (output first), and the numerical check of each
    leaf's grad.
    """
    cls, unbroadcast_fn, order_fn = fns
    program, arrays, dout = args
    code, names, last = _program(program)
    everything = [*arrays, *(n for n in names if n not in arrays)]
    with creation_order(cls, order_fn) as stand_in, recursion_budget():
        bound = {"Tensor": cls, "unbroadcast": unbroadcast_fn, "topological_order": stand_in}
        with seen_as([cls], bound):
            ns = _run(code, cls, {k: v.copy() for k, v in arrays.items()}, {"np": np})
            if dout is None:  # backward() with no argument seeds with ones
                _backward_without_recursion(ns[last])
                dout = np.ones_like(np.asarray(ns[last].data, dtype=float))
            else:
                _backward_without_recursion(ns[last], dout.copy())
            value = _field(ns[last], cls, "data")
            grads = {n: _field(ns[n], cls, "grad") for n in reversed(everything)}
            checks = {}
            for leaf in arrays:

                def output(z, leaf=leaf):
                    moved = {k: (z.copy() if k == leaf else v.copy()) for k, v in arrays.items()}
                    return _run(code, cls, moved, {"np": np})[last].data

                numerical = numerical_gradient_array(output, arrays[leaf].copy(), dout)
                checks[leaf] = gradient_verdict(grads[leaf], numerical)
    return value, grads, checks


@shows_call(
    lambda name, args, kwargs: with_values(
        f"loss = {name}(Tensor(logits), y); loss.backward(upstream)",
        ["logits", "y", "upstream"],
        args,
    )
)
def tensor_loss(fns, args, kwargs):
    """A loss op on Tensors: ``loss = fn(Tensor(logits), y)``, then ``loss.backward(upstream)``.

    args: (logits, y, upstream). Returns the loss, the logits' grad and its numerical check.
    """
    fn, cls, order_fn = fns
    logits, y, upstream = args
    upstream = np.asarray(upstream, dtype=float)
    with (
        creation_order(cls, order_fn) as stand_in,
        seen_as([fn, cls], {"Tensor": cls, "topological_order": stand_in}),
    ):
        leaf = cls(logits.copy())
        loss = fn(leaf, y.copy())
        loss.backward(upstream.copy())
        value = _field(loss, cls, "data")
        numerical = numerical_gradient(
            lambda z: float(upstream * np.sum(fn(cls(z.copy()), y.copy()).data)), logits.copy()
        )
        check = {"dlogits": gradient_verdict(leaf.grad, numerical, batch=logits.shape[0])}
    return value, _field(leaf, cls, "grad"), check
