# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 08 · Automatic differentiation: let the computer do backprop
#
# **Why this matters.** In module 07 you wrote a backward pass by hand for every layer, and a
# gradient check to catch your mistakes. PyTorch, JAX and TensorFlow users almost never do: they
# write the forward pass, call `loss.backward()`, and get every gradient, exactly, for any
# architecture they can write down. The trick is **reverse-mode automatic differentiation**, and
# it is small enough to write in an afternoon:
#
# 1. while computing, record every operation in a **graph**: each result remembers its inputs and
#    how to pass a gradient back to them (its *local* derivative);
# 2. to differentiate, visit the graph from the output back to the inputs, in an order where each
#    node comes after everything that uses it, applying the chain rule one node at a time.
#
# You will build it twice: first for single numbers (a `Value` class, the idea at its clearest),
# then for NumPy arrays (a `Tensor` class, the idea at full speed), on which you rebuild module
# 07's network, check its gradients and train it on the digits again.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import math
import sys
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo
from autograder.checking.numerics import numerical_gradient

check = load_checks("08_autograd")

# %% [markdown]
# ## 1. A formula is a graph
#
# Take $L = (a \cdot b + c)^2$ with $a = 2$, $b = -3$, $c = 10$. Computing it creates two
# intermediate results, $d = a\cdot b = -6$ and $e = d + c = 4$, and then $L = e^2 = 16$. Drawn
# as a graph, each node points to the nodes it was computed from:
#
# ```
#  a ─┐
#     (*)─ d ─┐
#  b ─┘       (+)─ e ─(**2)─ L
#  c ─────────┘
# ```
#
# The **chain rule** walks this graph backwards. Write $\bar{x}$ for $\partial L / \partial x$,
# the *gradient* (or *adjoint*) of node $x$. Start with $\bar{L} = 1$, then each node hands its
# gradient to its inputs, multiplied by the local derivative:
#
# | operation | forward | backward (local rule) |
# |---|---|---|
# | $z = x + y$ | $x + y$ | $\bar x \mathrel{+}= \bar z$, $\;\bar y \mathrel{+}= \bar z$ |
# | $z = x \cdot y$ | $x y$ | $\bar x \mathrel{+}= y\,\bar z$, $\;\bar y \mathrel{+}= x\,\bar z$ |
# | $z = x^n$ ($n$ a number) | $x^n$ | $\bar x \mathrel{+}= n x^{n-1}\,\bar z$ |
# | $z = e^x$ | $e^x$ | $\bar x \mathrel{+}= z\,\bar z$ |
# | $z = \log x$ | $\log x$ | $\bar x \mathrel{+}= \bar z / x$ |
# | $z = \tanh x$ | $\tanh x$ | $\bar x \mathrel{+}= (1 - z^2)\,\bar z$ |
# | $z = \text{ReLU}(x)$ | $\max(0, x)$ | $\bar x \mathrel{+}= \mathbb{1}[x > 0]\,\bar z$ |
#
# Here: $\bar L = 1$, $\bar e = 2e\,\bar L = 8$, $\bar d = \bar c = \bar e = 8$,
# $\bar a = b\,\bar d = -24$, $\bar b = a\,\bar d = 16$. Check one: increasing $a$ by $0.001$
# changes $d$ by $-0.003$, $e$ to $3.997$ and $L$ to $15.976$: a slope of $-24$.
#
# Why $\mathrel{+}=$ and not $=$? Because a node can be used **more than once**. In
# $b = a + a$, the gradient reaches $a$ along two edges, and the multivariable chain rule says
# the contributions **add up**: $\partial b / \partial a = 2$.

# %%
a, b, c = 2.0, -3.0, 10.0
L = (a * b + c) ** 2
step = 1e-6
print("L =", L)
print("numerical dL/da =", ((((a + step) * b + c) ** 2) - L) / step)

# %% [markdown]
# ## 2. The order of the backward pass
#
# A node may pass its gradient back only once it has received **all** of it, from every node
# that uses it. So we need the nodes in a **topological order**: every node after its inputs.
# Reversed, that order visits each node after all its users, which is exactly what the backward
# pass needs.
#
# The textbook way is a recursive depth-first search: "visit my inputs, then add me". It is
# elegant, and it breaks on deep graphs. Python refuses to nest more than about a thousand calls:

# %%
print("Python's recursion limit:", sys.getrecursionlimit())

# %% [markdown]
# A recurrent network unrolled over 2,000 time steps, or any loop that updates a value many
# times, builds a graph deeper than that. So we walk the graph with **our own stack**, a Python
# list, which can grow as long as memory allows:
#
# * push the root; repeatedly look at the node on top of the stack;
# * the first time you see a node, mark it visited and push its unvisited inputs (keep the node
#   on the stack, or push a "finish me" marker for it);
# * when you come back to a node whose inputs are all done, append it to the order.
#
# Every node must appear **once**, even if several nodes use it.
#
# ### Exercise 1: `topological_order` (3 points)
#
# Nodes have an attribute `_prev`: the tuple of nodes they were computed from (it may list the
# same node twice, as in `a + a`). Return a list of every node reachable from `root`, each
# exactly once, every node after its inputs, so `root` is last. **No recursion**: the check
# runs it on a chain of 5,000 nodes.


# %% nbgrader={"grade": false, "grade_id": "topological-order", "locked": false, "schema_version": 3, "solution": true}
def topological_order(root):
    """Nodes reachable from root, inputs first, each once, without recursion.

    root: a node; every node has `_prev`, a tuple of the nodes it was computed from.
    Returns a list of nodes in which every node comes after all of its inputs (root last).
    """
    ### BEGIN SOLUTION
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev if child not in visited)
    return order
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _topo_recursive(root):
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)

    visit(root)
    return order


def _topo_no_visited_set(root):
    order, stack = [], [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev)
    return order


def _topo_preorder_reversed(root):
    order, visited, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node not in visited:
            visited.add(node)
            order.append(node)
            stack.extend(node._prev)
    return order[::-1]


def _topo_visited_on_push(root):
    order, visited = [], {root}
    stack = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        stack.append((node, True))
        for child in node._prev:
            if child not in visited:
                visited.add(child)
                stack.append((child, False))
    return order


def _random_dag(rng, size):
    edges = {}
    for i in range(size):
        earlier = [f"n{j}" for j in range(max(0, i - 4), i)]
        count = min(len(earlier), int(rng.integers(1, 3)))
        edges[f"n{i}"] = list(rng.choice(earlier, size=count, replace=False)) if count else []
    return edges


exercise(
    "topological_order",
    public=[
        case({"a": [], "b": [], "c": ["a", "b"], "d": ["c", "a"]}, "d", note="a diamond"),
        case(None, "n4999", chain=5000, note="a chain of 5000 nodes, n0 <- n1 <- ... <- n4999"),
        case(
            {
                "x": [],
                "w1": [],
                "w2": [],
                "h1": ["x", "w1"],
                "h2": ["x", "w2"],
                "s": ["h1", "h2"],
                "loss": ["s", "h1"],
            },
            "loss",
            note="shared inputs",
        ),
        case({"a": [], "unused": [], "b": ["a", "a"]}, "b", note="a + a, and a node not reached"),
        case(
            {"x": [], "y": ["x"], "r": ["x", "y"]},
            "r",
            note="x reached along two paths of different lengths, r <- x and r <- y <- x",
        ),
    ],
    hidden=lambda rng: [
        case({"a": []}, "a", note="a single node"),
        case(None, "n7999", chain=8000, note="a chain of 8000 nodes"),
        case(_random_dag(rng, 12), "n11", note="a random graph of 12 nodes"),
        case(_random_dag(rng, 20), "n19", note="a random graph of 20 nodes"),
        case(
            {"a": [], "b": ["a"], "c": ["b", "a"], "d": ["c", "b"], "e": ["d", "c", "a"]},
            "e",
            note="each node used by the next two",
        ),
        case({"x": [], "y": ["x"], "r": ["y", "x"]}, "r", note="r <- (y, x), y <- x"),
        case(
            {"x": [], "a": ["x"], "b": ["a"], "c": ["b"], "r": ["x", "c"]},
            "r",
            note="x used by r directly and at the end of a chain of three",
        ),
    ],
    mistakes=[
        mistake(
            "recursion",
            _topo_recursive,
            "a recursive search nests one call per node of a path and stops at Python's "
            "recursion limit. Keep your own stack (a list) and loop while it is not empty.",
        ),
        mistake(
            "no visited set",
            _topo_no_visited_set,
            "a node used by two others was added twice, and its backward pass would run twice. "
            "Keep a set of the nodes already visited.",
        ),
        mistake(
            "pre-order, reversed",
            _topo_preorder_reversed,
            "adding a node when you first meet it, then reversing, is not a topological order: "
            "a node reached early by a short path can end up before one of its inputs. Add a "
            "node only after all its inputs are done (post-order).",
        ),
        mistake(
            "marked visited when pushed",
            _topo_visited_on_push,
            "a node marked visited when it is pushed can be skipped by a node that needs it "
            "before it is added: with r <- (x, y) and y <- x, y is finished while x still waits "
            "on the stack. Mark a node visited when you expand it (pop it the first time), and "
            "add it to the order only when all its inputs are in the order.",
        ),
    ],
    driver="autograder.modules.autograd:topological_order_check",
)

# %% nbgrader={"grade": true, "grade_id": "topological-order-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""topological_order: each node once, after its inputs, no recursion on deep chains."""
check("topological_order", topological_order)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("08_autograd", "topological_order", topological_order)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. A scalar autodiff engine: `Value`
#
# A `Value` wraps one number, `data`, and carries `grad`, the derivative of the final output
# with respect to it (0 until `backward()` runs). Each operation returns a new `Value` that
# records its inputs in `_prev` and stores, in `_backward`, a small function applying the local
# rule of the table above. Here is the pattern on an operation that is *not* in the exercise,
# the sine (section 4 adds it to your class and checks it):
#
# ```python
# def sin(self):
#     out = Value(math.sin(self.data), (self,), "sin")
#
#     def _backward():  # the chain rule, one node: d out / d self = cos(self)
#         self.grad += math.cos(self.data) * out.grad
#
#     out._backward = _backward
#     return out
# ```
#
# `_backward` is a *closure*: it remembers `self` and `out`, and it runs later, during the
# backward pass, when `out.grad` is known.
#
# The bookkeeping (storing `data`, `grad`, `_prev`, `_backward`) is in the class `ScalarNode`
# below, which `Value` extends: you write the mathematics.
#
# ### Exercise 2: `Value` (6 points)
#
# Write the operations and `backward`:
#
# * `+`, `*` between Values, or a Value and a plain number (wrap the number in a `Value`);
# * `**` with a number exponent, `exp()`, `log()`, `tanh()`, `relu()`;
# * the rest in terms of those: `-a` is `a * -1`; `a - b` is `a + (-b)`; `a / b` is
#   `a * b**-1`; and the *reflected* versions Python calls for `2 + a`, `2 * a`, `2 - a`, `2 / a`
#   (`__radd__`, `__rmul__`, `__rsub__`, `__rtruediv__`);
# * `backward()`: set this node's `grad` to 1, then call `_backward` of every node in
#   **reversed** `topological_order(self)`.
#
# Always **accumulate** (`+=`) into `grad`. The check builds small programs, runs `backward()`
# and compares every node's `data` and `grad`, and each leaf's gradient with a numerical one.


# %% tags=["lib"]
class ScalarNode:
    """The bookkeeping of a node of a scalar graph; Value adds the mathematics.

    data: the number; grad: d(output)/d(this), filled in by output.backward();
    _prev: the nodes it was computed from; _backward: passes grad on to them; _op: a label.
    """

    def __init__(self, data, _prev=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None  # a leaf has nothing to pass on
        self._prev = tuple(_prev)
        self._op = _op

    def __repr__(self):
        return f"{type(self).__name__}(data={self.data:.6g}, grad={self.grad:.6g})"


# %% nbgrader={"grade": false, "grade_id": "value", "locked": false, "schema_version": 3, "solution": true}
class Value(ScalarNode):
    """A scalar that remembers how it was computed, for reverse-mode differentiation.

    Value(data, _prev=(), _op="") as in ScalarNode; each operation returns a new Value.
    """

    def __add__(self, other):
        ### BEGIN SOLUTION
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def __mul__(self, other):
        ### BEGIN SOLUTION
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def __pow__(self, exponent):
        """self ** exponent, for a number (int or float) exponent."""
        ### BEGIN SOLUTION
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def exp(self):
        ### BEGIN SOLUTION
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def log(self):
        ### BEGIN SOLUTION
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out
        ### END SOLUTION

    def tanh(self):
        ### BEGIN SOLUTION
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def relu(self):
        ### BEGIN SOLUTION
        out = Value(max(0.0, self.data), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def __neg__(self):
        ### BEGIN SOLUTION
        return self * -1
        ### END SOLUTION

    def __sub__(self, other):
        ### BEGIN SOLUTION
        return self + (-other)
        ### END SOLUTION

    def __truediv__(self, other):
        ### BEGIN SOLUTION
        return self * other**-1
        ### END SOLUTION

    def __radd__(self, other):
        ### BEGIN SOLUTION
        return self + other
        ### END SOLUTION

    def __rmul__(self, other):
        ### BEGIN SOLUTION
        return self * other
        ### END SOLUTION

    def __rsub__(self, other):
        ### BEGIN SOLUTION
        return (-self) + other
        ### END SOLUTION

    def __rtruediv__(self, other):
        ### BEGIN SOLUTION
        return self**-1 * other
        ### END SOLUTION

    def backward(self):
        """Fill in .grad of every Value this one depends on: d(self)/d(node)."""
        ### BEGIN SOLUTION
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            node._backward()
        ### END SOLUTION


# %% tags=["spec"]
class _ValueOverwrites(Value):
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = out.grad
            other.grad = out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = _backward
        return out


class _ValueTanhNotSquared(Value):
    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data) * out.grad

        out._backward = _backward
        return out


class _ValuePowerPrecedence(Value):
    def __pow__(self, exponent):
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += (exponent * self.data**exponent - 1) * out.grad

        out._backward = _backward
        return out


class _ValueNoSeed(Value):
    def backward(self):
        for node in reversed(topological_order(self)):
            node._backward()


EVERY_OPERATION = """c = a * b - 1
d = (c / 4).tanh()
e = 2 - a / b
f = (a ** 2).log() + e.relu()
g = 3 * f + d.exp() + f * d
out = 1 / (1 + (-g).exp())"""

CHAIN = """y = a
for _ in range(5000):
    y = y * 1.0001"""

exercise(
    "Value",
    public=[
        case("b = a + a", {"a": 3.0}, note="a node used twice: db/da = 2"),
        case(
            "n = x * w + bias\nout = n.tanh()",
            {"x": 0.5, "w": -1.5, "bias": 0.8},
            note="a neuron with tanh",
        ),
        case(EVERY_OPERATION, {"a": 1.5, "b": -2.0}, note="every operation"),
        case(CHAIN, {"a": 0.5}, note="a chain of 5000 multiplications"),
        case(
            "p = a.relu() * 2 + b.relu() * 3\nout = p * a + p",
            {"a": -1.5, "b": 0.7},
            note="ReLU of a negative and of a positive number",
        ),
    ],
    hidden=lambda rng: [
        case(
            "n = x1 * w1 + x2 * w2 + bias\nout = n.relu() + n.tanh() * 2",
            {k: float(v) for k, v in zip(["x1", "x2", "w1", "w2", "bias"], rng.normal(size=5))},
            note="a neuron with ReLU and tanh",
        ),
        case("b = a * a * a + a\nc = b * b", {"a": float(rng.uniform(0.5, 1.5))}, note="reuse"),
        case(
            "h = (a * b).relu() + (a - b).relu()\nout = h * h",
            {"a": float(rng.uniform(-2.0, -0.5)), "b": float(rng.uniform(0.5, 2.0))},
            note="ReLU at a negative and a positive input",
        ),
        case(
            "b = a ** -2 + a ** 0.5 - 2 / a\nc = b.exp().log() * b",
            {"a": float(rng.uniform(1.0, 2.0))},
            note="negative and fractional powers",
        ),
        case(
            "y = a\nfor _ in range(8000):\n    y = y * 0.9999 + a * 0.0001",
            {"a": float(rng.uniform(0.5, 1.0))},
            note="a chain of 8000 steps reusing a leaf",
        ),
        case(
            "s = (a.exp() + b.exp() + c.exp()).log()\nout = (s - a) * (s - b)",
            {k: float(v) for k, v in zip("abc", rng.normal(size=3))},
            note="log-sum-exp",
        ),
        case(
            "h = (u * v).tanh() - (u / v).tanh()\nout = -h * h + 1 / h",
            {"u": float(rng.uniform(0.5, 1.0)), "v": float(rng.uniform(1.5, 2.5))},
            note="tanh twice, a node used twice",
        ),
    ],
    mistakes=[
        mistake(
            "overwrote grad instead of accumulating",
            _ValueOverwrites,
            "a node used twice receives gradient along two edges and both count: "
            "self.grad += ..., never self.grad = ...",
        ),
        mistake(
            "tanh derivative not squared",
            _ValueTanhNotSquared,
            "d tanh(x)/dx = 1 - tanh(x)**2, and out.data already holds tanh(x).",
        ),
        mistake(
            "power rule precedence",
            _ValuePowerPrecedence,
            "n * x**n - 1 is (n * x**n) - 1; the power rule is n * x**(n - 1): parentheses.",
        ),
        mistake(
            "backward did not start from 1",
            _ValueNoSeed,
            "d(self)/d(self) = 1: set self.grad = 1.0 before the loop, or every gradient stays 0.",
        ),
    ],
    uses=("topological_order",),
    driver="autograder.modules.autograd:value_program",
    outputs=("data", "grad", "numerical gradient check"),
)

# %% nbgrader={"grade": true, "grade_id": "value-tests", "locked": true, "points": 6, "schema_version": 3, "solution": false}
"""Value: data and grad of every node of small programs, deep chains and reused nodes."""
check("Value", Value, topological_order)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("08_autograd", "Value", Value, topological_order)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Your engine at work
#
# The $L = (ab + c)^2$ example of section 1, by your engine:

# %%
needs("Value")
a, b, c = Value(2.0), Value(-3.0), Value(10.0)
L = (a * b + c) ** 2
L.backward()
print(L)
print("dL/da =", a.grad, "| dL/db =", b.grad, "| dL/dc =", c.grad)


# %% [markdown]
# The sine from the pattern above, added to the class after the fact, and checked against
# $\cos$:


# %%
needs("Value")


def sin(self):
    out = Value(math.sin(self.data), (self,), "sin")

    def _backward():
        self.grad += math.cos(self.data) * out.grad

    out._backward = _backward
    return out


Value.sin = sin
x = Value(0.7)
y = x.sin() * x
y.backward()
print(
    f"d(x sin x)/dx = {x.grad:.6f}, expected sin x + x cos x = {math.sin(0.7) + 0.7 * math.cos(0.7):.6f}"
)

# %% [markdown]
# A graph far deeper than Python's recursion limit: ten thousand multiplications by $1.0001$.
# The derivative of $1.0001^{10000}\,x$ with respect to $x$ is $1.0001^{10000} \approx e$.

# %%
needs("topological_order", "Value")
x = Value(1.0)
y = x
for _ in range(10_000):
    y = y * 1.0001
y.backward()
print(f"{len(topological_order(y))} nodes, dy/dx = {x.grad:.6f}, e = {math.e:.6f}")

# %% [markdown]
# ### A neuron, and where its gradients go
#
# One neuron, $\text{out} = \tanh(x_1 w_1 + x_2 w_2 + b)$, drawn as the graph your engine
# recorded: each box shows an operation, its value (`data`) and $\partial\,\text{out}/\partial$ it
# (`grad`). Move the sliders. When the weighted sum $n$ is large in either direction, $\tanh$
# **saturates**, its local derivative $1 - \tanh^2 n$ is nearly 0, and so are all the gradients
# behind it: this neuron has stopped learning. With ReLU, a negative $n$ gives gradients that are
# exactly 0 (a "dead" unit); a positive one passes them through unchanged.


# %%
needs("topological_order", "Value")


def draw_graph(root, labels, ax):
    """Draw the graph behind root, inputs on the left; labels names some of its nodes."""
    nodes = topological_order(root)
    depth = {}
    for node in nodes:
        depth[node] = 1 + max((depth[child] for child in node._prev), default=-1)
    columns = {}
    for node in nodes:
        columns.setdefault(depth[node], []).append(node)
    position = {}
    for column, members in columns.items():
        for row, node in enumerate(members):
            position[node] = (column, row - (len(members) - 1) / 2)
    for node in nodes:
        for child in set(node._prev):
            (x0, y0), (x1, y1) = position[child], position[node]
            ax.annotate("", (x1 - 0.3, y1), (x0 + 0.3, y0), arrowprops={"arrowstyle": "->"})
    for node in nodes:
        name = labels.get(node, node._op)
        strength = min(1.0, abs(node.grad))
        ax.text(
            *position[node],
            f"{name}\n{node.data:.3f}\ngrad {node.grad:.3f}",
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round", "fc": plt.cm.Oranges(0.1 + 0.6 * strength)},
        )
    ax.set_xlim(-0.6, max(columns) + 0.6)
    ax.set_ylim(-2.6, 2.6)
    ax.axis("off")


def show_neuron(w1=1.0, b=0.5, activation="tanh"):
    x1, x2, weight1, weight2, bias = (Value(v) for v in (1.5, -0.5, w1, 0.8, b))
    n = x1 * weight1 + x2 * weight2 + bias
    out = n.tanh() if activation == "tanh" else n.relu()
    out.backward()
    names = {x1: "x1", x2: "x2", weight1: "w1", weight2: "w2", bias: "b", n: "n (+)"}
    fig, ax = plt.subplots(figsize=(9, 3.6))
    draw_graph(out, names, ax)
    ax.set_title(f"out = {activation}(n): n = {n.data:.2f}, d out/d w1 = {weight1.grad:.4f}")
    plt.show()


neuron_viewer = widgets.interact(
    show_neuron,
    w1=widgets.FloatSlider(value=1.0, min=-4.0, max=4.0, step=0.1),
    b=widgets.FloatSlider(value=0.5, min=-4.0, max=4.0, step=0.1),
    activation=widgets.ToggleButtons(options=["tanh", "relu"]),
)

# %% [markdown]
# ## 5. From numbers to arrays
#
# `Value` is a fine teacher and a hopeless worker: a product of a $(32, 64)$ batch with a
# $(64, 100)$ weight matrix would create over 400,000 `Value` objects. Real engines put a whole
# **array** in each node, so one node is one NumPy operation. The local rules become the matrix
# rules you derived in module 07. For $C = A B$ (a matrix product), with $\bar C$ of the shape
# of $C$:
#
# $$\bar A \mathrel{+}= \bar C\, B^\top, \qquad \bar B \mathrel{+}= A^\top \bar C .$$
#
# One new difficulty: **broadcasting**. In `x @ W + b`, `b` has shape `(M,)` but the sum has
# shape `(N, M)`: `b` was silently repeated over the $N$ rows. Each copy received a gradient, and
# by the multivariable chain rule the copies' gradients **add up**. So the gradient flowing back
# to a broadcast input must be summed over the axes that broadcasting created or stretched,
# until it has the input's shape again.

# %%
b = np.array([1.0, 2.0, 3.0])
upstream = np.array([[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]])  # d loss / d (x @ W + b)
print("shape of b:", b.shape, "| shape of the gradient reaching it:", upstream.shape)
print("gradient of b, summed over the broadcast axis:", upstream.sum(axis=0))

# %% [markdown]
# ### Exercise 3: `unbroadcast` (2 points)
#
# Reduce `grad` to `shape` by summing. NumPy's broadcasting does two things, and you undo both:
#
# 1. it **prepends** axes: `(M,)` against `(N, M)` acts as `(1, M)`. Sum away the leading axes
#    until `grad` has as many axes as `shape`;
# 2. it **stretches** axes of length 1: `(N, 1)` against `(N, M)`. For each axis where `shape`
#    has 1 but `grad` has more, sum over it with `keepdims=True`.
#
# `unbroadcast(np.ones((2, 3)), (3,))` is `[2., 2., 2.]`; `unbroadcast(np.ones((2, 3)), (2, 1))`
# is `[[3.], [3.]]`; a `shape` of `()` sums everything.


# %% nbgrader={"grade": false, "grade_id": "unbroadcast", "locked": false, "schema_version": 3, "solution": true}
def unbroadcast(grad, shape):
    """Sum a gradient back to the shape of an input that was broadcast.

    grad: array whose shape is the broadcast of `shape` with something else;
    shape: tuple, the shape of the input. Returns an array of exactly `shape`.
    """
    ### BEGIN SOLUTION
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad
    ### END SOLUTION


# %% tags=["spec"]
def _unbroadcast_leading_only(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    return grad


def _unbroadcast_one_leading(grad, shape):
    if grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _unbroadcast_no_keepdims(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis)
    return grad


def _unbroadcast_averaged(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.mean(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.mean(axis=axis, keepdims=True)
    return grad


exercise(
    "unbroadcast",
    public=[
        case(np.ones((2, 3)), (3,), note="the statement's example: [2., 2., 2.]"),
        case(np.ones((2, 3)), (2, 1), note="the statement's example: [[3.], [3.]]"),
        case(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), (3,), note="(2, 3) back to (3,)"),
        case(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), (2, 1), note="(2, 3) back to (2, 1)"),
        case(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), (1, 3), note="(2, 3) back to (1, 3)"),
        case(np.arange(24.0).reshape(4, 2, 3), (2, 1), note="(4, 2, 3) back to (2, 1)"),
        case(np.array([[1.0, -1.0], [2.0, 0.5]]), (2, 2), note="nothing was broadcast"),
        case(np.arange(24.0).reshape(2, 3, 4), (4,), note="(2, 3, 4) back to (4,): two axes added"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=5), (), note="back to a scalar"),
        case(rng.normal(size=(1, 4)), (4,), note="a batch of one"),
        case(rng.normal(size=(3, 1, 5)), (1, 5), note="(3, 1, 5) back to (1, 5)"),
        case(rng.normal(size=(2, 3, 4)), (3, 1), note="(2, 3, 4) back to (3, 1)"),
        case(rng.normal(size=(6, 7)), (1, 1), note="(6, 7) back to (1, 1)"),
        case(rng.normal(size=(2, 1, 3, 2)), (2, 1, 3, 2), note="rank 4, nothing broadcast"),
        case(rng.normal(size=(2, 2, 3, 4)), (3, 1), note="(2, 2, 3, 4) back to (3, 1)"),
        case(rng.normal(size=(3, 2, 5)), (), note="a rank-3 gradient back to a scalar"),
    ],
    mistakes=[
        mistake(
            "summed only the leading axes",
            _unbroadcast_leading_only,
            "an input of shape (N, 1) was stretched along axis 1: sum that axis too "
            "(keepdims=True), wherever shape has a 1 and grad does not.",
        ),
        mistake(
            "summed away only one leading axis",
            _unbroadcast_one_leading,
            "broadcasting can add several leading axes: (4,) against (2, 3, 4) gains two. Sum "
            "axis 0 while grad has more dimensions than shape (a while loop, not an if).",
        ),
        mistake(
            "forgot keepdims",
            _unbroadcast_no_keepdims,
            "summing an axis of length 1 in shape must keep it: grad.sum(axis=i, keepdims=True).",
        ),
        mistake(
            "averaged instead of summed",
            _unbroadcast_averaged,
            "every broadcast copy contributes its whole gradient: sum over the broadcast axes, "
            "do not average.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "unbroadcast-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""unbroadcast: sums a gradient back to the shape of a broadcast input."""
check("unbroadcast", unbroadcast)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("08_autograd", "unbroadcast", unbroadcast)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4: `Tensor` (5 points)
#
# The same engine over arrays. `ArrayNode` below holds the bookkeeping: `data` is a float array
# and `grad` an array of zeros of the same shape. Write, in `Tensor`:
#
# * `+` and `*` (elementwise, with broadcasting; `other` may be a number or an array, wrap it in
#   a `Tensor`): their backward passes `unbroadcast` each gradient to its input's shape;
# * `@`, a product of two 2-D Tensors, with the rules above;
# * `relu()`;
# * `sum()`: the sum of all elements, a Tensor of shape `()`; every element receives the
#   output's gradient;
# * `backward(grad=None)`: seed this node's `grad` with `grad` (the gradient of whatever comes
#   next with respect to this tensor; an array of ones when `None`, as for a sum), then run the
#   `_backward` of every node in reversed `topological_order(self)`.


# %% tags=["lib"]
class ArrayNode:
    """The bookkeeping of a node of an array graph; Tensor adds the mathematics.

    data: float array of any shape; grad: d(output)/d(data), same shape, zeros until backward;
    _prev: the nodes it was computed from; _backward: passes grad on to them; _op: a label.
    """

    def __init__(self, data, _prev=(), _op=""):
        self.data = np.asarray(data, dtype=float)
        self.grad = np.zeros_like(self.data)
        self._backward = lambda: None
        self._prev = tuple(_prev)
        self._op = _op

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        return f"{type(self).__name__}(shape={self.data.shape}, op={self._op!r})"


# %% nbgrader={"grade": false, "grade_id": "tensor", "locked": false, "schema_version": 3, "solution": true}
class Tensor(ArrayNode):
    """An array that remembers how it was computed, for reverse-mode differentiation.

    Tensor(data, _prev=(), _op="") as in ArrayNode; each operation returns a new Tensor.
    """

    def __add__(self, other):
        ### BEGIN SOLUTION
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += unbroadcast(out.grad, self.data.shape)
            other.grad += unbroadcast(out.grad, other.data.shape)

        out._backward = _backward
        return out
        ### END SOLUTION

    def __mul__(self, other):
        ### BEGIN SOLUTION
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += unbroadcast(other.data * out.grad, self.data.shape)
            other.grad += unbroadcast(self.data * out.grad, other.data.shape)

        out._backward = _backward
        return out
        ### END SOLUTION

    def __matmul__(self, other):
        """Matrix product of two 2-D Tensors: (N, D) @ (D, M) -> (N, M)."""
        ### BEGIN SOLUTION
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward():
            self.grad += out.grad @ other.data.T
            other.grad += self.data.T @ out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def relu(self):
        ### BEGIN SOLUTION
        out = Tensor(np.maximum(0.0, self.data), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def sum(self):
        """The sum of all elements, a Tensor of shape ()."""
        ### BEGIN SOLUTION
        out = Tensor(self.data.sum(), (self,), "sum")

        def _backward():
            self.grad += np.ones_like(self.data) * out.grad

        out._backward = _backward
        return out
        ### END SOLUTION

    def backward(self, grad=None):
        """Fill in .grad of every Tensor this one depends on.

        grad: d(something)/d(self), shaped like self.data; ones when None.
        """
        ### BEGIN SOLUTION
        self.grad = np.ones_like(self.data) if grad is None else np.asarray(grad, dtype=float)
        for node in reversed(topological_order(self)):
            node._backward()
        ### END SOLUTION


# %% tags=["spec"]
class _TensorAddNotUnbroadcast(Tensor):
    def __add__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out


class _TensorMatmulWeightsTransposed(Tensor):
    def __matmul__(self, other):
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward():
            self.grad += out.grad @ other.data.T
            other.grad += out.grad.T @ self.data

        out._backward = _backward
        return out


class _TensorOverwrites(Tensor):
    def __add__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = unbroadcast(out.grad, self.data.shape)
            other.grad = unbroadcast(out.grad, other.data.shape)

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = unbroadcast(other.data * out.grad, self.data.shape)
            other.grad = unbroadcast(self.data * out.grad, other.data.shape)

        out._backward = _backward
        return out


class _TensorReluGatedOnGrad(Tensor):
    def relu(self):
        out = Tensor(np.maximum(0.0, self.data), (self,), "relu")

        def _backward():
            self.grad += (out.grad > 0) * out.grad

        out._backward = _backward
        return out


_tensor_rng = np.random.default_rng(8)


def _arrays(rng, **shapes):
    return {name: np.round(rng.normal(size=shape), 2) for name, shape in shapes.items()}


exercise(
    "Tensor",
    public=[
        case(
            "out = x @ W + b",
            _arrays(_tensor_rng, x=(2, 3), W=(3, 4), b=(4,)),
            np.round(_tensor_rng.normal(size=(2, 4)), 2),
            note="an affine layer: b broadcast over the batch",
        ),
        case(
            "h = (x @ W + b).relu()\nout = (h * h).sum()",
            _arrays(_tensor_rng, x=(3, 2), W=(2, 2), b=(1, 2)),
            np.array(1.5),
            note="ReLU, a node used twice, and a sum",
        ),
        case(
            "h = (x @ W1 + b1).relu()\nout = h @ W2 + b2",
            _arrays(_tensor_rng, x=(4, 3), W1=(3, 5), b1=(5,), W2=(5, 2), b2=(2,)),
            np.round(_tensor_rng.normal(size=(4, 2)), 2),
            note="module 07's network, two layers",
        ),
        case(
            "out = x * c + x",
            _arrays(_tensor_rng, x=(2, 3), c=(2, 1)),
            np.round(_tensor_rng.normal(size=(2, 3)), 2),
            note="a column broadcast along the rows, x used twice",
        ),
        case(
            "h = x + c\nout = h * x",
            _arrays(_tensor_rng, x=(2, 2), c=(2, 2)),
            np.round(_tensor_rng.normal(size=(2, 2)), 2),
            note="x used by + and then by *: both gradients reach it",
        ),
    ],
    hidden=lambda rng: [
        case(
            "out = (x @ W + b).relu()",
            _arrays(rng, x=(1, 5), W=(5, 3), b=(3,)),
            rng.normal(size=(1, 3)),
            note="a batch of one",
        ),
        case(
            "h = x\nfor _ in range(30):\n    h = (h @ W + b).relu() + h\nout = h.sum()",
            {
                "x": rng.normal(size=(3, 4)),
                "W": 0.1 * rng.normal(size=(4, 4)),
                "b": rng.normal(size=(1, 4)),
            },
            np.array(0.5),
            note="thirty residual layers sharing weights",
        ),
        case(
            "out = (x * s + t) * x",
            {
                "x": rng.normal(size=(2, 3, 4)),
                "s": rng.normal(size=(3, 1)),
                "t": rng.normal(size=4),
            },
            rng.normal(size=(2, 3, 4)),
            note="rank 3 with broadcasting from the left and in the middle",
        ),
        case(
            "out = (x @ W) * 1e3 + 2.0",
            _arrays(rng, x=(4, 6), W=(6, 6)),
            rng.normal(size=(4, 6)),
            note="square weights, numbers as operands",
        ),
        case(
            "h = (x @ W1 + b1).relu()\nout = (h @ W2 + b2).sum()",
            _arrays(rng, x=(7, 8), W1=(8, 3), b1=(3,), W2=(3, 9), b2=(1, 9)),
            None,
            note="backward() with no argument",
        ),
    ],
    mistakes=[
        mistake(
            "did not unbroadcast in +",
            _TensorAddNotUnbroadcast,
            "b of shape (M,) was added to an (N, M) array: its gradient is out.grad summed back "
            "to b's shape, unbroadcast(out.grad, b.shape).",
        ),
        mistake(
            "matmul weight gradient transposed",
            _TensorMatmulWeightsTransposed,
            "for out = A @ B, B's gradient has B's shape (D, M): A.T @ out.grad, not "
            "out.grad.T @ A.",
        ),
        mistake(
            "overwrote grad instead of accumulating",
            _TensorOverwrites,
            "a tensor used twice (h * h, x * c + x) receives two gradients that add up: +=, not =.",
        ),
        mistake(
            "ReLU gated on the upstream gradient",
            _TensorReluGatedOnGrad,
            "the gate is where the ReLU's input was positive: (self.data > 0) * out.grad.",
        ),
    ],
    uses=("unbroadcast", "topological_order"),
    driver="autograder.modules.autograd:tensor_program",
    outputs=("out", "grad", "numerical gradient check"),
)

# %% nbgrader={"grade": true, "grade_id": "tensor-tests", "locked": true, "points": 5, "schema_version": 3, "solution": false}
"""Tensor: output and every gradient of small array programs, checked numerically too."""
check("Tensor", Tensor, unbroadcast, topological_order)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("08_autograd", "Tensor", Tensor, unbroadcast, topological_order)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5: `softmax_cross_entropy` (3 points)
#
# The loss of module 07 as **one** operation on Tensors. We could build it from smaller ones
# (exp, sum, log, indexing), but a fused operation is faster, and its backward pass is the
# simple $(p - \text{onehot}(y)) / N$ you derived there. Since it is now a node in a graph, its
# backward pass multiplies by the gradient arriving from above, `out.grad` (1 when the loss is
# the output, but not when, say, the loss is scaled or added to another):
#
# $$\text{logits.grad} \mathrel{+}= \text{out.grad} \cdot \frac{p - \text{onehot}(y)}{N}.$$
#
# Compute it stably (subtract each row's maximum) and return a Tensor of shape `()` whose
# `_prev` is `(logits,)`.


# %% nbgrader={"grade": false, "grade_id": "softmax-cross-entropy", "locked": false, "schema_version": 3, "solution": true}
def softmax_cross_entropy(logits, y):
    """Mean softmax cross-entropy of a batch, as one operation on Tensors.

    logits: Tensor of shape (N, C); y: (N,) integer labels in [0, C).
    Returns a Tensor of shape () whose backward adds out.grad * (p - onehot(y)) / N to
    logits.grad, p being the softmax of each row.
    """
    ### BEGIN SOLUTION
    n = logits.data.shape[0]
    rows = np.arange(n)
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    out = Tensor(-log_probs[rows, y].mean(), (logits,), "cross-entropy")

    def _backward():
        dlogits = np.exp(log_probs)
        dlogits[rows, y] -= 1.0
        logits.grad += out.grad * dlogits / n

    out._backward = _backward
    return out
    ### END SOLUTION


# %% tags=["spec"]
def _sce_ignores_upstream(logits, y):
    n = logits.data.shape[0]
    rows = np.arange(n)
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    out = Tensor(-log_probs[rows, y].mean(), (logits,), "cross-entropy")

    def _backward():
        dlogits = np.exp(log_probs)
        dlogits[rows, y] -= 1.0
        logits.grad += dlogits / n

    out._backward = _backward
    return out


def _sce_overwrites_grad(logits, y):
    n = logits.data.shape[0]
    rows = np.arange(n)
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    out = Tensor(-log_probs[rows, y].mean(), (logits,), "cross-entropy")

    def _backward():
        dlogits = np.exp(log_probs)
        dlogits[rows, y] -= 1.0
        logits.grad = out.grad * dlogits / n

    out._backward = _backward
    return out


def _sce_no_minus_one(logits, y):
    n = logits.data.shape[0]
    rows = np.arange(n)
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    out = Tensor(-log_probs[rows, y].mean(), (logits,), "cross-entropy")

    def _backward():
        logits.grad += out.grad * np.exp(log_probs) / n

    out._backward = _backward
    return out


def _sce_summed(logits, y):
    n = logits.data.shape[0]
    rows = np.arange(n)
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    out = Tensor(-log_probs[rows, y].sum(), (logits,), "cross-entropy")

    def _backward():
        dlogits = np.exp(log_probs)
        dlogits[rows, y] -= 1.0
        logits.grad += out.grad * dlogits

    out._backward = _backward
    return out


def _sce_unstable(logits, y):
    n = logits.data.shape[0]
    rows = np.arange(n)
    probs = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    out = Tensor(-np.log(probs[rows, y]).mean(), (logits,), "cross-entropy")

    def _backward():
        dlogits = probs.copy()
        dlogits[rows, y] -= 1.0
        logits.grad += out.grad * dlogits / n

    out._backward = _backward
    return out


exercise(
    "softmax_cross_entropy",
    public=[
        case(
            np.array([[2.0, 1.0, 0.0], [0.5, 1.5, -1.0]]),
            np.array([0, 2]),
            1.0,
            note="N=2, C=3, the loss is the output (upstream gradient 1)",
        ),
        case(
            np.array([[0.2, -0.3, 1.0, 0.0], [1.0, 1.0, -2.0, 0.5], [3.0, -1.0, 0.0, 0.0]]),
            np.array([3, 0, 0]),
            2.5,
            note="upstream gradient 2.5",
        ),
        case(
            np.array([[1000.0, 999.0, 998.0], [-400.0, 600.0, 599.0]]),
            np.array([1, 2]),
            1.0,
            note="logits near 1000",
        ),
        case(
            np.array([[0.5, -0.5, 1.0], [2.0, 0.0, -1.0]]),
            np.array([2, 0]),
            1.0,
            grad_before=np.array([[0.25, 0.25, 0.25], [-1.0, 0.5, 0.0]]),
            note="the leaf already holds a gradient from another use: backward adds to it",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 4)), np.array([2]), 1.0, note="a batch of one"),
        case(
            rng.normal(size=(6, 10)) * 2,
            rng.integers(0, 10, size=6),
            -0.5,
            note="ten classes, negative upstream gradient",
        ),
        case(
            5e3 + 3 * rng.normal(size=(3, 5)), rng.integers(0, 5, size=3), 1.0, note="huge logits"
        ),
        case(
            np.vstack([1e3 + rng.normal(size=4), rng.normal(size=4)]),
            np.array([1, 3]),
            1.0,
            note="one row near 1000, the other near 0: each row is shifted by its own max",
        ),
        case(np.zeros((4, 3)), np.array([0, 1, 2, 0]), 3.0, note="equal logits"),
        case(
            rng.normal(size=(5, 4)),
            rng.integers(0, 4, size=5),
            -1.5,
            grad_before=rng.normal(size=(5, 4)),
            note="a leaf that already holds a gradient",
        ),
    ],
    mistakes=[
        mistake(
            "ignored the upstream gradient",
            _sce_ignores_upstream,
            "a node's backward multiplies its local gradient by out.grad, the gradient arriving "
            "from above; it is 1 only when the loss is the last node.",
        ),
        mistake(
            "forgot to subtract 1 at the true class",
            _sce_no_minus_one,
            "the gradient is (p - onehot(y)) / N: subtract 1 at column y_i of each row.",
        ),
        mistake(
            "overwrote the leaf's gradient",
            _sce_overwrites_grad,
            "logits.grad may already hold gradient from another use of the same Tensor: add to "
            "it (logits.grad += ...), never assign it, as every backward rule does.",
        ),
        mistake(
            "summed instead of averaged",
            _sce_summed,
            "the loss is the mean over the batch, and its gradient carries the 1/N too.",
        ),
        mistake(
            "not stabilised",
            _sce_unstable,
            "np.exp(1000) overflows: subtract each row's maximum before exponentiating.",
        ),
    ],
    uses=("Tensor", "topological_order"),
    driver="autograder.modules.autograd:tensor_loss",
    outputs=("loss", "logits.grad", "numerical gradient check"),
)

# %% nbgrader={"grade": true, "grade_id": "softmax-cross-entropy-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""softmax_cross_entropy: stable mean loss, gradient (p - onehot) / N times the upstream one."""
check("softmax_cross_entropy", softmax_cross_entropy, Tensor, topological_order)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "08_autograd", "softmax_cross_entropy", softmax_cross_entropy, Tensor, topological_order
)
### END HIDDEN TESTS

# %% [markdown]
# ## 6. Module 07's network, with no backward pass written by hand
#
# The network of module 07, {affine - ReLU} × (L − 1) - affine - softmax, is now just its forward
# pass. Compare it with the `loss` method you wrote there: all the backward bookkeeping is gone.


# %%
needs("Tensor", "softmax_cross_entropy")


class TensorNet:
    """{affine - relu} x (L - 1) - affine, on Tensors; parameters in self.params."""

    def __init__(self, sizes, weight_scale=0.1, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {}
        for layer in range(1, len(sizes)):
            shape = (sizes[layer - 1], sizes[layer])
            self.params[f"W{layer}"] = Tensor(weight_scale * rng.normal(size=shape))
            self.params[f"b{layer}"] = Tensor(np.zeros(sizes[layer]))
        self.num_layers = len(sizes) - 1

    def scores(self, X):
        hidden = Tensor(X.reshape(len(X), -1))
        for layer in range(1, self.num_layers + 1):
            hidden = hidden @ self.params[f"W{layer}"] + self.params[f"b{layer}"]
            if layer < self.num_layers:
                hidden = hidden.relu()
        return hidden

    def loss(self, X, y):
        for p in self.params.values():
            p.grad = np.zeros_like(p.data)  # gradients accumulate: start each pass from zero
        loss = softmax_cross_entropy(self.scores(X), y)
        loss.backward()
        return float(loss.data), {name: p.grad for name, p in self.params.items()}


# %% [markdown]
# **Gradient check.** For a small network with two hidden layers, the gradients your engine
# found, against centred differences (`autograder.checking.numerics`). We compare each parameter as a
# whole, $\lVert g_{\text{engine}} - g_{\text{numerical}}\rVert /
# (\lVert g_{\text{engine}}\rVert + \lVert g_{\text{numerical}}\rVert)$: element by element,
# gradients as small as $10^{-8}$ would drown in the round-off of the centred differences
# (about $10^{-11}$) and hide what matters. It should be far below $10^{-6}$.

# %%
needs("Tensor", "softmax_cross_entropy")
digits = load_digits()
images_train, images_test, y_train, y_test = train_test_split(
    digits.images, digits.target, test_size=0.25, random_state=0, stratify=digits.target
)
pixel_mean = images_train.mean(axis=0)
pixel_std = images_train.std(axis=0) + 0.1
X_train = (images_train - pixel_mean) / pixel_std
X_test = (images_test - pixel_mean) / pixel_std

small = TensorNet([64, 16, 12, 10], weight_scale=0.3, seed=1)
X_check, y_check = X_train[:8], y_train[:8]
_, engine_grads = small.loss(X_check, y_check)
for name, param in small.params.items():
    numerical = numerical_gradient(
        lambda _: float(softmax_cross_entropy(small.scores(X_check), y_check).data), param.data
    )
    difference = np.linalg.norm(engine_grads[name] - numerical)
    error = difference / (np.linalg.norm(engine_grads[name]) + np.linalg.norm(numerical))
    print(f"{name}: relative error {error:.1e}")
    assert error < 1e-6, f"the engine's gradient of {name} disagrees with centred differences"

# %% [markdown]
# **Two engines, one answer.** The same tiny network, differentiated by your scalar `Value`
# engine (every multiplication a node: the graph has hundreds of them) and by your `Tensor`
# engine (about a dozen nodes). The gradients agree to round-off.

# %%
needs("topological_order", "Value", "Tensor", "softmax_cross_entropy")
tiny = TensorNet([6, 3, 4], weight_scale=0.5, seed=2)
X_tiny, y_tiny = np.random.default_rng(3).normal(size=(2, 6)), np.array([1, 3])
_, tensor_grads = tiny.loss(X_tiny, y_tiny)

scalar = {
    name: [[Value(v) for v in row] for row in np.atleast_2d(p.data)]
    for name, p in tiny.params.items()
}


def scalar_scores(x):
    hidden = [Value(v) for v in x]
    for layer in (1, 2):
        W, b = scalar[f"W{layer}"], scalar[f"b{layer}"][0]
        hidden = [sum((h * W[i][j] for i, h in enumerate(hidden)), b[j]) for j in range(len(b))]
        if layer == 1:
            hidden = [h.relu() for h in hidden]
    return hidden


losses = []
for x, label in zip(X_tiny, y_tiny):
    s = scalar_scores(x)
    losses.append(sum(v.exp() for v in s).log() - s[label])
scalar_loss = sum(losses) / len(losses)
scalar_loss.backward()
print(f"scalar graph: {len(topological_order(scalar_loss))} nodes")
for name, p in tiny.params.items():
    grads = np.array([[v.grad for v in row] for row in scalar[name]]).reshape(p.data.shape)
    print(f"{name}: largest difference {np.max(np.abs(grads - tensor_grads[name])):.1e}")

# %% [markdown]
# ## 7. Training on the digits again
#
# Mini-batch gradient descent with momentum, as in module 07, but with gradients from your
# engine. One hidden layer of 100 units, ten epochs.


# %%
needs("Tensor", "softmax_cross_entropy")


def accuracy(net, X, y):
    return float(np.mean(np.argmax(net.scores(X).data, axis=1) == y))


def train(
    net, X, y, X_val, y_val, learning_rate=0.05, momentum=0.9, batch_size=32, num_epochs=10, seed=0
):
    """Mini-batch gradient descent with momentum on a TensorNet; returns the history."""
    rng = np.random.default_rng(seed)
    velocity = {name: np.zeros_like(p.data) for name, p in net.params.items()}
    history = {"loss": [], "val_acc": []}
    epochs = tqdm(range(num_epochs), desc="training")
    for _ in epochs:
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            loss, grads = net.loss(X[batch], y[batch])
            for name, p in net.params.items():
                velocity[name] = momentum * velocity[name] - learning_rate * grads[name]
                p.data += velocity[name]
            history["loss"].append(loss)
        history["val_acc"].append(accuracy(net, X_val, y_val))
        epochs.set_postfix(loss=f"{loss:.3f}", test_acc=f"{history['val_acc'][-1]:.3f}")
    return history


start = time.perf_counter()
net = TensorNet([64, 100, 10], weight_scale=0.1, seed=0)
history = train(net, X_train, y_train, X_test, y_test)
test_accuracy = accuracy(net, X_test, y_test)
print(f"trained in {time.perf_counter() - start:.1f} s, test accuracy {test_accuracy:.3f}")
assert test_accuracy >= 0.97, "the network should read at least 97% of the test digits"

# %%
needs("Tensor", "softmax_cross_entropy")
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3))
steps_per_epoch = len(history["loss"]) / len(history["val_acc"])
ax_loss.plot(np.arange(len(history["loss"])) / steps_per_epoch, history["loss"], lw=0.7)
ax_loss.set_yscale("log")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("mini-batch loss")
ax_acc.plot(np.arange(1, len(history["val_acc"]) + 1), history["val_acc"], "o-")
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("test accuracy")
plt.show()

# %% [markdown]
# If you still have module 07 open, compare: the curves and the final accuracy are the same to
# the last digit. Same initial weights, same mini-batches, and gradients that agree to round-off:
# the engine found, on its own, the backward pass you wrote by hand.
#
# **Why arrays.** One gradient of that network for a single image, by each engine:

# %%
needs("topological_order", "Value", "Tensor", "softmax_cross_entropy")
big = {
    name: [[Value(v) for v in row] for row in np.atleast_2d(p.data)]
    for name, p in net.params.items()
}
start = time.perf_counter()
hidden = [Value(v) for v in X_train[0].ravel()]
for layer in (1, 2):
    W, b = big[f"W{layer}"], big[f"b{layer}"][0]
    hidden = [sum((h * W[i][j] for i, h in enumerate(hidden)), b[j]) for j in range(len(b))]
    if layer == 1:
        hidden = [h.relu() for h in hidden]
scalar_out = sum(v.exp() for v in hidden).log() - hidden[y_train[0]]
scalar_out.backward()
value_time = time.perf_counter() - start

start = time.perf_counter()
tensor_out = softmax_cross_entropy(net.scores(X_train[:1]), y_train[:1])
tensor_out.backward()
tensor_time = time.perf_counter() - start
print(f"Value engine: {len(topological_order(scalar_out)):,} nodes, {value_time * 1e3:.0f} ms")
print(f"Tensor engine: {len(topological_order(tensor_out))} nodes, {tensor_time * 1e3:.2f} ms")

# %% [markdown]
# Same mathematics, same gradients, thousands of times fewer nodes: the Tensor engine hands
# each node's work to NumPy's compiled loops, and a batch of 32 images costs it barely more than
# one.

# %% [markdown]
# **What you built.** A complete reverse-mode autodiff engine, twice. PyTorch's `autograd` is the
# same idea with hundreds of operations, GPU arrays, and care for memory: each `torch.Tensor`
# records its `grad_fn` (your `_backward`) and its inputs (your `_prev`), and `loss.backward()`
# runs them in reverse topological order, accumulating into `.grad`, just like yours. From now
# on, when you add a new layer you only need its forward pass and its local derivative.
#
# **Next**, module 09: why the same network can train well or not at all depending on how its
# weights start, and how to keep it from memorising its training set.
