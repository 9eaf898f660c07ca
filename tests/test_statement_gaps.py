"""Wrong implementations that once earned full marks, or cost more than their own exercise, each
written as a learner would write it (not the catalogue's code) and graded as nbgrader grades the
test cells: each must lose its own exercise's points and no others."""

import numpy as np
import pytest

from autograder.authoring import course
from autograder.checking.checks import module_data
from autograder.grading import harness

TOPOLOGICAL_ORDER_VISITED_ON_PUSH = """
def topological_order(root):
    order, seen, expanded, stack = [], {id(root)}, set(), [root]
    while stack:
        node = stack[-1]
        if id(node) in expanded:
            stack.pop()
            order.append(node)
            continue
        expanded.add(id(node))
        for parent in node._prev:
            if id(parent) not in seen:  # marked when pushed, not when expanded
                seen.add(id(parent))
                stack.append(parent)
    return order
"""

UNBROADCAST_ONE_LEADING_AXIS = """
def unbroadcast(grad, shape):
    if grad.ndim != len(shape):
        grad = grad.sum(axis=0)  # one added axis only
    stretched = tuple(i for i, size in enumerate(shape) if size == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad
"""

SOFTMAX_CROSS_ENTROPY_OVERWRITES = """
def softmax_cross_entropy(logits, y):
    z = logits.data - logits.data.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    n = len(y)
    out = Tensor(np.mean(-np.log(p[np.arange(n), y])), (logits,), "ce")

    def _backward():
        g = p.copy()
        g[np.arange(n), y] -= 1
        logits.grad = g * out.grad / n  # assigned: another use's gradient is lost

    out._backward = _backward
    return out
"""

PREDICT_STRICT = """
def predict(w, b, X):
    return np.where(X @ w + b > 0, 1, 0)
"""

SIGMOID_ONE_BRANCH = """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 1.0 / (1.0 + np.exp(-np.abs(z)))  # right for z >= 0 only
"""

STANDARDIZE_STD_IS_ZERO = """
def standardize(X):
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    sd[sd == 0] = 1.0
    return (X - mu) / sd, mu, sd
"""

GAPS = [
    ("08_autograd", "topological_order", TOPOLOGICAL_ORDER_VISITED_ON_PUSH),
    ("08_autograd", "unbroadcast", UNBROADCAST_ONE_LEADING_AXIS),
    ("08_autograd", "softmax_cross_entropy", SOFTMAX_CROSS_ENTROPY_OVERWRITES),
    ("05_logistic_regression", "predict", PREDICT_STRICT),
    ("05_logistic_regression", "sigmoid", SIGMOID_ONE_BRANCH),
    ("04_gradient_descent", "standardize", STANDARDIZE_STD_IS_ZERO),
]


def graded(module: str, source: str) -> tuple[dict, dict]:
    """Points per exercise of the reference with ``source`` run after it, as in a notebook where
    the learner's cell defines the function (later cells call it by name), and the full points."""
    ns = harness.mistake_namespace(module, harness.Variant("reference"))
    exec(compile(source, "<learner>", "exec"), ns)
    tests = course.test_cells(course.read(module))
    return harness.score(ns, tests), {t.exercise: float(t.points) for t in tests}


@pytest.mark.parametrize(("unit", "name", "source"), GAPS, ids=[f"{m}-{n}" for m, n, _ in GAPS])
def test_the_mistake_costs_its_own_exercise_alone(unit, name, source):
    earned, full = graded(unit, source)
    lost = {n for n in full if earned[n] < full[n]}
    assert lost == {name}, f"{name}'s mistake cost {sorted(lost)}"


def test_the_reference_still_gets_full_marks():
    for unit in sorted({m for m, _, _ in GAPS}):
        earned, full = graded(unit, "")
        assert earned == full, unit


def test_standardize_states_its_constant_column_rule_and_checks_it_publicly():
    """A careful learner can meet the rule: the statement says how to find a constant column, and
    a public case has one whose np.std is not exactly 0."""
    text = (course.SOLUTIONS / "04_gradient_descent.py").read_text()
    assert "not by testing `std == 0`" in text
    cases = module_data("04_gradient_descent")["exercises"]["standardize"]["cases"]
    rounded = [
        c
        for c in cases
        if any(np.ptp(col) == 0 and np.std(col) != 0 for col in np.asarray(c["args"][0], float).T)
    ]
    assert rounded, "no public case has a constant column with a round-off std"
    for c in rounded:
        scaled, _, std = c["expected"]
        constant = np.ptp(np.asarray(c["args"][0], float), axis=0) == 0
        assert np.allclose(np.asarray(scaled)[:, constant], 0.0)
        assert np.all(np.asarray(std)[constant] == 1.0)
