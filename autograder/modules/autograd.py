"""Module 08 (autograd): graphs to sort, and programs run on the learner's Value and Tensor.

``Node`` has only what ``topological_order`` may rely on, a name and ``_prev`` (the nodes it was
computed from), so the sort can be checked before ``Value`` exists. ``creation_order`` stands in
for ``topological_order`` inside the Value and Tensor checks, whose calls (on graphs of objects)
cannot be recorded. The program drivers run a short program on leaves made with the learner's
class, call ``backward()`` and report every node's value and gradient, with the numerical
gradient of the learner's own forward computation as an advisory verdict.
"""

from __future__ import annotations

import ast
import contextlib
import itertools

import numpy as np

from autograder.checking.drivers import describe, shows_call, with_values
from autograder.checking.numerics import (
    gradient_verdict,
    numerical_gradient,
    numerical_gradient_array,
)
from autograder.modules.deep_network import _MISSING, _scalar_or_array, recursion_budget, seen_as


class Node:
    """A vertex of a computation graph: ``_prev`` holds its inputs, in order."""

    def __init__(self, name, prev=()):
        self.name = name
        self._prev = tuple(prev)

    def __repr__(self):
        return f"Node({self.name!r})"


def build_graph(edges: dict, root: str) -> tuple[Node, dict]:
    """Nodes from ``{name: [input names]}``; returns (the root, every node by name).

    Inputs must be listed before the nodes that use them, as a program would create them.
    """
    nodes: dict[str, Node] = {}
    for name, inputs in edges.items():
        nodes[name] = Node(name, [nodes[i] for i in inputs])
    return nodes[root], nodes


def build_chain(length: int) -> tuple[Node, dict]:
    """A chain n0 <- n1 <- ... <- n{length-1}: each node computed from the one before."""
    nodes = {"n0": Node("n0")}
    previous = nodes["n0"]
    for i in range(1, length):
        previous = nodes[f"n{i}"] = Node(f"n{i}", [previous])
    return previous, nodes


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
    own exercise, not theirs too (the way ``autograder.checking.replay`` stands in for earlier functions).
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
    from autograder.checking.compare import short

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
    from autograder.checking.compare import short

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


def _loss_call(name, args, kwargs):
    before = kwargs.get("grad_before")
    if before is None:
        call = f"loss = {name}(Tensor(logits), y); loss.backward(upstream)"
        return with_values(call, ["logits", "y", "upstream"], args)
    call = (
        f"leaf = Tensor(logits); leaf.grad = grad_before (another use of the leaf already put it "
        f"there); loss = {name}(leaf, y); loss.backward(upstream)"
    )
    return with_values(call, ["logits", "y", "upstream", "grad_before"], (*args, before))


@shows_call(_loss_call)
def tensor_loss(fns, args, kwargs):
    """A loss op on Tensors: ``loss = fn(Tensor(logits), y)``, then ``loss.backward(upstream)``.

    args: (logits, y, upstream); kwargs: ``grad_before``, a gradient the leaf holds before the
    loss's backward runs (as when the leaf is used elsewhere too): the backward must add to it.
    Returns the loss, the logits' grad and the numerical check of what backward added to it.
    """
    fn, cls, order_fn = fns
    logits, y, upstream = args
    before = kwargs.get("grad_before")
    upstream = np.asarray(upstream, dtype=float)
    with (
        creation_order(cls, order_fn) as stand_in,
        seen_as([fn, cls], {"Tensor": cls, "topological_order": stand_in}),
    ):
        leaf = cls(logits.copy())
        if before is not None:
            leaf.grad = np.array(before, dtype=float)
        loss = fn(leaf, y.copy())
        loss.backward(upstream.copy())
        value = _field(loss, cls, "data")
        numerical = numerical_gradient(
            lambda z: float(upstream * np.sum(fn(cls(z.copy()), y.copy()).data)), logits.copy()
        )
        added = _field(leaf, cls, "grad") - (0.0 if before is None else before)
        check = {"dlogits": gradient_verdict(added, numerical, batch=logits.shape[0])}
    return value, _field(leaf, cls, "grad"), check
