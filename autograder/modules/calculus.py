"""Module 02 (calculus): its driver, and the functions its checks hand to the graded functions.

``gradient_and_input`` returns a numerical gradient together with the array it was taken at, as
the call left it: a numerical gradient perturbs x in place and must put every element back.

A check's data can only name importable functions, not lambdas, so the problems live here: scalar
functions to differentiate, functions of arrays to take gradients of, analytic gradients to check
(some right, some deliberately wrong), vector functions for Jacobians and the pieces of composite
functions for the chain rule. Nothing here solves an exercise.
"""

from __future__ import annotations

import numpy as np


def gradient_and_input(fns, args, kwargs):
    """Call numerical_gradient(f, x, ...) and return (its result, a copy of x after the call)."""
    x = args[1]
    grad = fns[0](*args, **kwargs)
    return grad, np.array(x, copy=True)


def logsumexp_all(x):
    """log(sum(exp(x))) over every element: smooth, and every input affects every partial."""
    x = np.asarray(x, dtype=float)
    top = np.max(x)
    return float(top + np.log(np.sum(np.exp(x - top))))


def quartic_bowl(x):
    """(sum(x^2))^2: a bowl steeper than a paraboloid, not a sum of one-variable terms."""
    return float(np.sum(np.asarray(x, dtype=float) ** 2) ** 2)


def sum_of_cubes(x):
    return float(np.sum(np.asarray(x, dtype=float) ** 3))


def sum_of_squares_grad(x):
    """The right gradient of fixtures.sum_of_squares."""
    return 2.0 * np.asarray(x, dtype=float)


def sum_of_squares_grad_halved(x):
    """A buggy gradient of sum_of_squares: the factor 2 of the power rule is missing."""
    return np.array(x, dtype=float)


def sum_of_squares_grad_flipped(x):
    """A buggy gradient of sum_of_squares: it points downhill."""
    return -2.0 * np.asarray(x, dtype=float)


def rosenbrock_grad(x):
    """The right gradient of fixtures.rosenbrock."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    inner = x[1:] - x[:-1] ** 2
    grad[:-1] += -400.0 * x[:-1] * inner - 2.0 * (1.0 - x[:-1])
    grad[1:] += 200.0 * inner
    return grad


def rosenbrock_grad_buggy(x):
    """A buggy gradient of rosenbrock: d/dx (1 - x)^2 lost the inner factor -1 (chain rule)."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    inner = x[1:] - x[:-1] ** 2
    grad[:-1] += -400.0 * x[:-1] * inner + 2.0 * (1.0 - x[:-1])
    grad[1:] += 200.0 * inner
    return grad


def softmax_all(x):
    """The right gradient of logsumexp_all: a softmax over every element."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def softmax_all_unnormalised(x):
    """A buggy gradient of logsumexp_all: exp(x) without dividing by the sum."""
    return np.exp(np.asarray(x, dtype=float))


def complex_square(x):
    """(a, b) -> (a^2 - b^2, 2ab): squaring the complex number a + ib, from R^2 to R^2."""
    a, b = x
    return np.array([a**2 - b**2, 2.0 * a * b])


def product_and_sine(x):
    """From R^3 to R^2: (x0 x1 x2, x0^2 + sin(x2))."""
    return np.array([x[0] * x[1] * x[2], x[0] ** 2 + np.sin(x[2])])


def exp_product_cube(x):
    """From R^2 to R^3: (exp(x0), x0 x1, x1^3)."""
    return np.array([np.exp(x[0]), x[0] * x[1], x[1] ** 3])


def tanh_layer(x):
    """tanh(W x + b) with 3 outputs, for an input of any length n; W and b are fixed by n."""
    x = np.asarray(x, dtype=float)
    rng = np.random.default_rng(x.size)
    W = rng.normal(size=(3, x.size))
    b = rng.normal(size=3)
    return np.tanh(W @ x + b)


def softmax_vector(x):
    """From R^n to R^n: the softmax of a vector."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def rosenbrock_as_vector(x):
    """The Rosenbrock function as a vector of length 1: its Jacobian is a single row."""
    x = np.asarray(x, dtype=float)
    return np.array([np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)])


def square(x):
    return x**2


def square_prime(x):
    return 2.0 * x


def three_x_minus_one(x):
    return 3.0 * x - 1.0


def three(x):
    """The derivative of three_x_minus_one: 3 everywhere, shaped like x."""
    return np.full_like(np.asarray(x, dtype=float), 3.0)


def tanh_prime(x):
    return 1.0 - np.tanh(x) ** 2


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_prime(x):
    s = 1.0 / (1.0 + np.exp(-x))
    return s * (1.0 - s)


def cube(x):
    return x**3


def sin_times_exp(x):
    return np.sin(x) * np.exp(0.5 * x)


def sum_of_squares(x):
    return float(np.sum(np.asarray(x) ** 2))


def rosenbrock(x):
    x = np.asarray(x, dtype=float)
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))
