"""Graphs for the checks of modules 07 and 08: plain nodes a topological sort can walk.

``Node`` has only what ``topological_order`` may rely on, a name and ``_prev`` (the nodes it was
computed from), so the sort can be checked before ``Value`` exists. Nothing here solves an exercise.
"""

from __future__ import annotations


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
