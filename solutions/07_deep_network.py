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
# # 07 · A deep network from modular layers
#
# **Why this matters.** In module 06 you wrote the forward and backward passes of a two-layer
# network as one block of algebra. That does not scale: every new layer type or extra layer would
# mean re-deriving everything. Every deep-learning library instead builds networks from **layers**
# that each know two things:
#
# * `forward`: turn inputs into outputs, and remember (**cache**) whatever the backward pass will
#   need;
# * `backward`: given the gradient of the loss with respect to the layer's output, return the
#   gradients with respect to its inputs and parameters.
#
# The chain rule then does the rest: stack layers in the forward pass, call their backward passes
# in reverse order. In this module you write the three layers of a classifier (affine, ReLU,
# softmax loss), snap them together into a network of **any depth**, and train it to read
# handwritten digits with over 97% test accuracy.
#
# Conventions (the same as Stanford's CS231n): a batch is the first axis; `out, cache =
# layer_forward(...)`; `dx, dw, ... = layer_backward(dout, cache)` returns the gradients in the
# order of the forward inputs.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo
from autograder.checking.numerics import numerical_gradient, rel_error

check = load_checks("07_deep_network")

# %% [markdown]
# ## 1. The data: digits as 8×8 images
#
# We keep the images as images, an array of shape `(N, 8, 8)`, rather than flattening them by
# hand: the first layer of the network will flatten each example itself. Each pixel is then
# **standardised** with the mean and standard deviation of the training set (never the test set's:
# the test set stands for images we have not seen yet).

# %%
digits = load_digits()
images_train, images_test, y_train, y_test = train_test_split(
    digits.images, digits.target, test_size=0.25, random_state=0, stratify=digits.target
)
pixel_mean = images_train.mean(axis=0)
pixel_std = images_train.std(axis=0) + 0.1  # the corner pixels are almost always blank
X_train = (images_train - pixel_mean) / pixel_std
X_test = (images_test - pixel_mean) / pixel_std
print("X_train", X_train.shape, "| X_test", X_test.shape, "| classes", np.unique(y_train))

# %% [markdown]
# ## 2. The affine layer
#
# An affine (or *fully connected*) layer multiplies each example by a weight matrix and adds a
# bias. An example may come as an array of any shape $(d_1, \dots, d_k)$, an 8×8 image or a
# 3×32×32 colour image; the layer first flattens it to a vector of $D = d_1 \cdots d_k$ numbers.
# With the batch flattened to $X \in \mathbb{R}^{N \times D}$, $W \in \mathbb{R}^{D \times M}$ and
# $b \in \mathbb{R}^{M}$:
#
# $$\text{out} = X W + b \quad \in \mathbb{R}^{N \times M},$$
#
# where $+\,b$ is broadcast: the same bias row is added to each of the $N$ rows.
#
# A worked example with $N = 2$ examples of $D = 3$ features and $M = 2$ outputs:

# %%
x_example = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]])
w_example = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
b_example = np.array([0.5, -0.5])
print(x_example @ w_example + b_example)

# %% [markdown]
# ### Exercise 1: `affine_forward` (2 points)
#
# Flatten each example with `x.reshape(N, -1)`, then compute `out`. Return `(out, cache)` with
# `cache = (x, w, b)`: keep the **original** `x`, so that the backward pass can give `dx` the
# shape of the input.


# %% nbgrader={"grade": false, "grade_id": "affine-forward", "locked": false, "schema_version": 3, "solution": true}
def affine_forward(x, w, b):
    """Forward pass of an affine (fully connected) layer.

    x: (N, d1, ..., dk) inputs; w: (D, M) weights with D = d1 * ... * dk; b: (M,) biases.
    Returns out (N, M) and cache = (x, w, b).
    """
    ### BEGIN SOLUTION
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _affine_no_bias(x, w, b):
    return x.reshape(x.shape[0], -1) @ w, (x, w, b)


def _affine_no_flatten(x, w, b):
    return x @ w + b, (x, w, b)


def _affine_w_transposed(x, w, b):
    return x.reshape(x.shape[0], -1) @ w.T + b, (x, w, b)


def _affine_caches_flat_x(x, w, b):
    x = x.reshape(x.shape[0], -1)
    return x @ w + b, (x, w, b)


exercise(
    "affine_forward",
    public=[
        case(
            np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]),
            np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [-0.1, -0.2, -0.3, -0.4]]),
            np.array([1.0, 0.0, -1.0, 2.0]),
            note="N=2, D=3, M=4",
        ),
        case(
            np.arange(12.0).reshape(2, 2, 3) / 10,
            np.linspace(-1.0, 1.0, 12).reshape(6, 2),
            np.array([0.5, -0.5]),
            note="x of shape (2, 2, 3): each example flattens to D = 6",
        ),
        case(
            np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [2.0, 1.0, 0.0]]),
            np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [-1.0, 0.0, 1.0]]),
            np.array([0.1, 0.2, 0.3]),
            note="D = M = 3, where a transposed w still runs",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 2, 3, 2)),
            rng.normal(size=(12, 5)),
            rng.normal(size=5),
            note="a batch of one, x of rank 4",
        ),
        case(
            rng.normal(size=(6, 4)),
            rng.normal(size=(4, 7)),
            rng.normal(size=7),
            note="random, N=6, D=4, M=7",
        ),
        case(
            rng.normal(size=(5, 5)),
            rng.normal(size=(5, 5)),
            rng.normal(size=5),
            note="square weights",
        ),
        case(
            rng.normal(size=(3, 2, 2, 2)),
            rng.normal(size=(8, 3)),
            rng.normal(size=3),
            note="x of rank 4",
        ),
        case(
            rng.normal(size=(4, 3)) * 1e8,
            rng.normal(size=(3, 2)),
            rng.normal(size=2) * 1e8,
            note="huge values",
        ),
    ],
    mistakes=[
        mistake(
            "forgot the bias",
            _affine_no_bias,
            "out is x w + b: add b (shape (M,)); broadcasting adds it to every row.",
        ),
        mistake(
            "did not flatten x",
            _affine_no_flatten,
            "an example can be an image: flatten each one first, x.reshape(x.shape[0], -1), "
            "so the batch becomes (N, D) before the product with w (D, M).",
        ),
        mistake(
            "used w transposed",
            _affine_w_transposed,
            "w has shape (D, M), inputs along its rows: x (N, D) @ w (D, M) gives (N, M) with "
            "no transpose.",
        ),
        mistake(
            "cached the flattened x",
            _affine_caches_flat_x,
            "cache the x you were given, not its flattened copy: affine_backward needs the "
            "original shape to give dx the shape of x. Flatten into a new name, "
            "x_flat = x.reshape(x.shape[0], -1), and return (out, (x, w, b)).",
        ),
    ],
    driver="autograder.modules.deep_network:layer_forward_and_cache",
    outputs=("returns", "out", "cache", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "affine-forward-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""affine_forward: flattens each example, out = x w + b, returns (out, cache = (x, w, b))."""
check("affine_forward", affine_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("07_deep_network", "affine_forward", affine_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### The backward pass of the affine layer
#
# The layer receives `dout` $= \partial L / \partial\,\text{out}$, of shape $(N, M)$, and must
# return the gradients of the loss with respect to each input. Write $X$ for the flattened input.
# Each output element is $\text{out}_{ij} = \sum_d X_{id} W_{dj} + b_j$, so by the chain rule
#
# $$\frac{\partial L}{\partial W_{dj}} = \sum_i X_{id}\,\text{dout}_{ij}
# \;\Rightarrow\; dW = X^\top \text{dout},
# \qquad
# \frac{\partial L}{\partial b_j} = \sum_i \text{dout}_{ij}
# \;\Rightarrow\; db = \textstyle\sum_i \text{dout}_{i,:},
# \qquad
# dX = \text{dout}\; W^\top .$$
#
# You do not have to remember these: **let the shapes guide you.** A gradient always has the
# shape of the thing it is the gradient of. $dW$ must be $(D, M)$, and the only way to make a
# $(D, M)$ matrix from $X$ $(N, D)$ and dout $(N, M)$ is $X^\top \text{dout}$. The bias was
# *broadcast* over the batch in the forward pass, so its gradient *sums* over the batch.
#
# No division by $N$ here: if the loss averages over the batch, that $1/N$ is already inside
# `dout`.
#
# ### Exercise 2: `affine_backward` (3 points)
#
# Return `dx` with the shape of the original `x` (reshape it back), `dw` and `db`. The check
# compares your gradients with the expected ones and also with the **numerical gradient** of your
# own `affine_forward` (centred differences, as in module 02): a backward pass must agree with
# its forward pass.


# %% nbgrader={"grade": false, "grade_id": "affine-backward", "locked": false, "schema_version": 3, "solution": true}
def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    dout: (N, M) upstream gradient; cache: (x, w, b) from affine_forward.
    Returns dx (N, d1, ..., dk), dw (D, M), db (M,).
    """
    x, w, b = cache
    ### BEGIN SOLUTION
    flat = x.reshape(x.shape[0], -1)
    dx = (dout @ w.T).reshape(x.shape)
    dw = flat.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
    ### END SOLUTION


# %% tags=["spec"]
def _affine_backward_db_axis(dout, cache):
    x, w, b = cache
    flat = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), flat.T @ dout, dout.sum(axis=1)


def _affine_backward_dx_flat(dout, cache):
    x, w, b = cache
    flat = x.reshape(x.shape[0], -1)
    return dout @ w.T, flat.T @ dout, dout.sum(axis=0)


def _affine_backward_averaged(dout, cache):
    x, w, b = cache
    flat = x.reshape(x.shape[0], -1)
    n = x.shape[0]
    return (dout @ w.T).reshape(x.shape), flat.T @ dout / n, dout.sum(axis=0) / n


def _affine_backward_dw_transposed(dout, cache):
    x, w, b = cache
    flat = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), dout.T @ flat, dout.sum(axis=0)


exercise(
    "affine_backward",
    public=[
        case(
            np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]),
            np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [-0.1, -0.2, -0.3, -0.4]]),
            np.array([1.0, 0.0, -1.0, 2.0]),
            np.array([[1.0, -1.0, 0.5, 2.0], [0.5, 0.0, -2.0, 1.0]]),
            note="N=2, D=3, M=4",
        ),
        case(
            np.linspace(-1.0, 1.0, 12).reshape(2, 1, 2, 3),
            np.arange(18.0).reshape(6, 3) / 10 - 0.8,
            np.array([0.1, 0.2, 0.3]),
            np.array([[1.0, 2.0, -1.0], [-0.5, 0.5, 1.5]]),
            note="x of rank 4, shape (2, 1, 2, 3): dx must have that shape too",
        ),
        case(
            np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]),
            np.array([[0.5, -1.0], [2.0, 1.0]]),
            np.array([0.0, 1.0]),
            np.array([[1.0, 0.0], [-1.0, 2.0], [0.5, -0.5]]),
            note="N=3, square w (2, 2)",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 3, 2, 2)),
            rng.normal(size=(12, 4)),
            rng.normal(size=4),
            rng.normal(size=(1, 4)),
            note="a batch of one, x of rank 4",
        ),
        case(
            rng.normal(size=(5, 7)),
            rng.normal(size=(7, 3)),
            rng.normal(size=3),
            rng.normal(size=(5, 3)),
            note="random, N=5, D=7, M=3",
        ),
        case(
            rng.normal(size=(4, 2, 3)),
            rng.normal(size=(6, 6)),
            rng.normal(size=6),
            rng.normal(size=(4, 6)),
            note="x of rank 3, square w",
        ),
        case(
            rng.normal(size=(3, 4)) * 1e4,
            rng.normal(size=(4, 5)),
            rng.normal(size=5),
            rng.normal(size=(3, 5)) * 1e-3,
            note="large inputs, small upstream gradient",
        ),
    ],
    mistakes=[
        mistake(
            "db summed over the wrong axis",
            _affine_backward_db_axis,
            "b has one entry per output unit: sum dout over the batch, axis=0, to get shape (M,).",
        ),
        mistake(
            "dx not reshaped back",
            _affine_backward_dx_flat,
            "dout @ w.T has shape (N, D); reshape it to x.shape so dx matches the input.",
        ),
        mistake(
            "divided by N",
            _affine_backward_averaged,
            "the layer does not average anything: the 1/N of the loss is already in dout. "
            "dw = X.T @ dout and db = dout.sum(axis=0), with no division.",
        ),
        mistake(
            "dw transposed",
            _affine_backward_dw_transposed,
            "dw must have the shape of w, (D, M): that is X.T @ dout, not dout.T @ X.",
        ),
    ],
    uses=("affine_forward",),
    driver="autograder.modules.deep_network:affine_gradients",
    outputs=("dx", "dw", "db", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "affine-backward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""affine_backward: dx, dw, db as expected and as the numerical gradient of affine_forward."""
check("affine_backward", affine_backward, affine_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("07_deep_network", "affine_backward", affine_backward, affine_forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. The ReLU layer
#
# Stack two affine layers and you get... one affine layer ($(XW_1 + b_1)W_2 + b_2$ is affine in
# $X$). A **non-linearity** between them is what lets depth pay off. The rectified linear unit is
# the simplest that works well:
#
# $$\text{ReLU}(x) = \max(0, x), \qquad
# \frac{\partial\,\text{ReLU}}{\partial x} = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}$$
#
# At $x = 0$ exactly (the **kink**) there is no derivative; the convention is to use 0. In the
# backward pass the ReLU is a **gate**: the upstream gradient flows through where the input was
# positive and is stopped where it was not.

# %%
z = np.linspace(-3, 3, 601)
fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(8, 2.5))
ax_f.plot(z, np.maximum(0, z))
ax_f.set_title("ReLU(x)")
ax_d.plot(z, (z > 0).astype(float))
ax_d.set_title("its derivative: a gate")
for ax in (ax_f, ax_d):
    ax.axvline(0, color="gray", lw=0.5)
plt.show()

# %% [markdown]
# ### Exercise 3: `relu_forward` (1 point)
#
# Elementwise $\max(0, x)$ for an array of any shape, returning `(out, cache)` with `cache = x`.
# Build a new array: do not change `x` in place, it may be needed elsewhere.


# %% nbgrader={"grade": false, "grade_id": "relu-forward", "locked": false, "schema_version": 3, "solution": true}
def relu_forward(x):
    """Forward pass of a layer of rectified linear units.

    x: inputs of any shape.
    Returns out (same shape as x) = max(0, x), and cache = x.
    """
    ### BEGIN SOLUTION
    return np.maximum(0, x), x
    ### END SOLUTION


# %% tags=["spec"]
def _relu_np_max(x):
    return np.max(x, 0), x


def _relu_in_place(x):
    x[x < 0] = 0
    return x, x


exercise(
    "relu_forward",
    private_cache=True,  # what goes in the cache is the learner's design
    public=[
        case(np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]]), note="shape (2, 3)"),
        case(
            np.array([[[1.0, -1.0], [0.0, 2.0]], [[-3.0, 0.25], [4.0, -0.1]]]),
            note="shape (2, 2, 2)",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 5)), note="a batch of one"),
        case(rng.normal(size=(3, 2, 2, 4)), note="rank 4"),
        case(rng.normal(size=(4, 3)) * 1e300, note="extreme values"),
        case(-np.abs(rng.normal(size=(3, 6))), note="all negative"),
    ],
    mistakes=[
        mistake(
            "np.max instead of np.maximum",
            _relu_np_max,
            "np.max(x, 0) is the largest entry along axis 0; np.maximum(0, x) compares "
            "elementwise.",
        ),
        mistake(
            "changed x in place",
            _relu_in_place,
            "x[x < 0] = 0 overwrites the caller's array (and your cache). Build a new array: "
            "np.maximum(0, x).",
        ),
    ],
    driver="autograder.modules.deep_network:layer_forward",
    outputs=("returns", "out", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "relu-forward-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""relu_forward: max(0, x) of any shape, x left as it was."""
check("relu_forward", relu_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("07_deep_network", "relu_forward", relu_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4: `relu_backward` (2 points)
#
# $dx = \text{dout} \odot \mathbb{1}[x > 0]$: the upstream gradient where the input was positive,
# 0 elsewhere, including at $x = 0$. The check reports `dx` in two parts, away from the kink and
# at it, so that an error confined to the kink says so.


# %% nbgrader={"grade": false, "grade_id": "relu-backward", "locked": false, "schema_version": 3, "solution": true}
def relu_backward(dout, cache):
    """Backward pass of a layer of rectified linear units.

    dout: upstream gradient, any shape; cache: x from relu_forward, same shape.
    Returns dx, same shape: dout where x > 0, else 0.
    """
    ### BEGIN SOLUTION
    x = cache
    return dout * (x > 0)
    ### END SOLUTION


# %% tags=["spec"]
def _relu_backward_kink(dout, cache):
    return dout * (cache >= 0)


def _relu_backward_times_activation(dout, cache):
    return dout * np.maximum(0, cache)


def _relu_backward_gate_on_dout(dout, cache):
    return np.maximum(0, dout)


exercise(
    "relu_backward",
    public=[
        case(
            np.array([[-1.0, 0.0, 2.0, 0.5], [3.0, -0.5, 0.0, 1.5]]),
            np.array([[1.0, 2.0, -3.0, 4.0], [-1.0, 0.5, 2.5, -2.0]]),
            note="x of shape (2, 4), with two kinks (x = 0)",
        ),
        case(
            np.array([[[0.5, -2.0, 0.0], [1.0, 2.0, -1.0]], [[-0.5, 0.0, 3.0], [0.25, -4.0, 1.0]]]),
            np.array([[[2.0, 1.0, -1.0], [-3.0, 0.5, 1.0]], [[1.0, 1.0, -2.0], [4.0, 2.0, -0.5]]]),
            note="x of shape (2, 2, 3)",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 6)), rng.normal(size=(1, 6)), note="a batch of one"),
        case(
            np.where(rng.random((2, 3, 2, 2)) < 0.2, 0.0, rng.normal(size=(2, 3, 2, 2))),
            rng.normal(size=(2, 3, 2, 2)),
            note="rank 4, with kinks",
        ),
        case(rng.normal(size=(4, 5)) * 1e200, rng.normal(size=(4, 5)), note="extreme inputs"),
        case(np.abs(rng.normal(size=(3, 3))) + 0.1, rng.normal(size=(3, 3)), note="all positive"),
    ],
    mistakes=[
        mistake(
            "passed the gradient at the kink",
            _relu_backward_kink,
            "x >= 0 lets the gradient through at x = 0; the convention is 0 there: use x > 0.",
        ),
        mistake(
            "multiplied by the activation",
            _relu_backward_times_activation,
            "the local derivative of ReLU is 1 or 0, not max(0, x): multiply dout by (x > 0).",
        ),
        mistake(
            "gated on the upstream gradient",
            _relu_backward_gate_on_dout,
            "the gate depends on the layer's input x (the cache), not on the sign of dout: "
            "dx = dout * (x > 0).",
        ),
    ],
    uses=("relu_forward",),
    driver="autograder.modules.deep_network:relu_gradients",
    outputs=("dx away from the kinks", "dx at the kinks (x == 0)", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "relu-backward-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""relu_backward: dout gated by x > 0, zero at the kinks."""
check("relu_backward", relu_backward, relu_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("07_deep_network", "relu_backward", relu_backward, relu_forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. The softmax loss
#
# The last affine layer gives each example one **score** per class, $s_i \in \mathbb{R}^C$.
# Softmax turns scores into probabilities, and the loss is the average negative log-probability
# of the true classes (the cross-entropy of module 03):
#
# $$p_{ij} = \frac{e^{s_{ij} - m_i}}{\sum_k e^{s_{ik} - m_i}}, \quad m_i = \max_k s_{ik},
# \qquad L = -\frac{1}{N}\sum_{i=1}^{N} \log p_{i, y_i}.$$
#
# Subtracting the row maximum $m_i$ changes nothing mathematically and keeps $e^{(\cdot)}$ from
# overflowing. The gradient is remarkably simple:
#
# $$\frac{\partial L}{\partial s_{ij}} = \frac{1}{N}\left(p_{ij} - \mathbb{1}[j = y_i]\right):$$
#
# push every class's score down in proportion to its probability, and the true class's up by 1.
# A worked example: scores $(2, 1, 0)$ with true class 0 give $p \approx (0.665, 0.245, 0.090)$,
# a loss of $-\log 0.665 \approx 0.408$ and a gradient $(-0.335, 0.245, 0.090)$.
#
# ### Exercise 5: `softmax_loss` (3 points)
#
# Compute the stable probabilities, the loss averaged over the batch, and `dscores`. Use
# `np.arange(N)` with `y` to pick the true classes; no loops.


# %% nbgrader={"grade": false, "grade_id": "softmax-loss", "locked": false, "schema_version": 3, "solution": true}
def softmax_loss(scores, y):
    """Softmax cross-entropy loss, averaged over the batch, and its gradient.

    scores: (N, C) class scores; y: (N,) integer labels in [0, C).
    Returns loss (a float) and dscores (N, C) = d loss / d scores.
    """
    ### BEGIN SOLUTION
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1.0
    return float(loss), dscores / n
    ### END SOLUTION


# %% tags=["spec"]
def _softmax_loss_summed(scores, y):
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    rows = np.arange(scores.shape[0])
    dscores = probs.copy()
    dscores[rows, y] -= 1.0
    return float(-np.log(probs[rows, y]).sum()), dscores


def _softmax_loss_no_minus_one(scores, y):
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    rows = np.arange(scores.shape[0])
    return float(-np.log(probs[rows, y]).mean()), probs / scores.shape[0]


def _softmax_loss_unstable(scores, y):
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    rows = np.arange(scores.shape[0])
    dscores = probs.copy()
    dscores[rows, y] -= 1.0
    return float(-np.log(probs[rows, y]).mean()), dscores / scores.shape[0]


def _softmax_loss_grad_not_averaged(scores, y):
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    rows = np.arange(scores.shape[0])
    dscores = probs.copy()
    dscores[rows, y] -= 1.0
    return float(-np.log(probs[rows, y]).mean()), dscores


exercise(
    "softmax_loss",
    public=[
        case(
            np.array([[2.0, 1.0, 0.0]]),
            np.array([0]),
            note="the worked example: loss 0.408, gradient (-0.335, 0.245, 0.090)",
        ),
        case(np.array([[2.0, 1.0, 0.0], [0.5, 1.5, -1.0]]), np.array([0, 2]), note="N=2, C=3"),
        case(
            np.array(
                [[1000.0, 999.0, 998.0, 990.0], [-5.0, 3.0, 800.0, 2.0], [0.0, 0.0, 0.0, 1.0]]
            ),
            np.array([1, 2, 3]),
            note="N=3, C=4, scores near 1000",
        ),
        case(
            np.array([[0.2, -0.3], [1.0, 1.0], [-2.0, 2.0], [0.5, 0.0]]),
            np.array([1, 0, 1, 0]),
            note="N=4, C=2",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 5)), np.array([3]), note="a batch of one"),
        case(rng.normal(size=(6, 10)) * 3, rng.integers(0, 10, size=6), note="ten classes"),
        case(1e4 + 5 * rng.normal(size=(4, 3)), rng.integers(0, 3, size=4), note="huge scores"),
        case(np.zeros((3, 4)), np.array([0, 1, 3]), note="all scores equal"),
    ],
    mistakes=[
        mistake(
            "summed instead of averaged",
            _softmax_loss_summed,
            "the loss is the mean over the batch: divide the sum by N, and dscores with it.",
        ),
        mistake(
            "forgot to subtract 1 at the true class",
            _softmax_loss_no_minus_one,
            "d loss / d s_ij = (p_ij - [j == y_i]) / N: subtract 1 at column y_i of each row, "
            "e.g. dscores[np.arange(N), y] -= 1.",
        ),
        mistake(
            "not stabilised",
            _softmax_loss_unstable,
            "np.exp(1000) overflows to inf, and inf / inf is NaN. Subtract each row's maximum "
            "from the scores first: the probabilities do not change.",
        ),
        mistake(
            "gradient not divided by N",
            _softmax_loss_grad_not_averaged,
            "the loss is averaged over the batch, so its gradient carries the same 1/N.",
        ),
    ],
    driver="autograder.modules.deep_network:loss_gradients",
    outputs=("loss", "dscores", "numerical gradient check"),
)

# %% nbgrader={"grade": true, "grade_id": "softmax-loss-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""softmax_loss: stable mean cross-entropy and its gradient (p - onehot) / N."""
check("softmax_loss", softmax_loss)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("07_deep_network", "softmax_loss", softmax_loss)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. A network of any depth
#
# With three layers written, a network is bookkeeping. For $L$ layers (`hidden_dims` lists the
# sizes of the $L - 1$ hidden ones):
#
# $$\underbrace{\text{affine} \to \text{ReLU}}_{\text{layer } 1} \to \cdots \to
# \underbrace{\text{affine} \to \text{ReLU}}_{\text{layer } L-1} \to
# \underbrace{\text{affine}}_{\text{layer } L} \to \text{softmax loss}$$
#
# * **forward**: run the layers in order, keeping each layer's cache;
# * **backward**: start from `dscores`, run the backward passes **in reverse**, each one's `dx`
#   becoming the `dout` of the layer below, and store each `dw`, `db` under the name of its
#   parameter.
#
# The parameters live in one dictionary, `self.params`, with keys `"W1"`, `"b1"`, ..., `"WL"`,
# `"bL"`; `W1` has shape `(input_dim, hidden_dims[0])` and `WL` has shape
# `(hidden_dims[-1], num_classes)`. Weights start as `weight_scale` times standard normal draws
# from `np.random.default_rng(seed)`, biases at zero (module 09 shows how to choose the scale).
#
# ### Exercise 6: `FullyConnectedNet` (5 points)
#
# Fill in `__init__` and `loss`. `loss(X)` returns the scores (no softmax: the largest score is
# the prediction); `loss(X, y)` returns the loss and a dictionary of gradients with the same keys
# and shapes as `self.params`. Call the functions you wrote above.


# %% nbgrader={"grade": false, "grade_id": "fully-connected-net", "locked": false, "schema_version": 3, "solution": true}
class FullyConnectedNet:
    """{affine - relu} x (L - 1) - affine - softmax, with L = len(hidden_dims) + 1 layers.

    self.params holds "W1" (input_dim, H1), "b1" (H1,), ..., "WL" (H_{L-1}, num_classes),
    "bL" (num_classes,).
    """

    def __init__(self, hidden_dims, input_dim=64, num_classes=10, weight_scale=1e-2, seed=0):
        """hidden_dims: list of hidden layer sizes (may be empty); weights drawn from
        np.random.default_rng(seed), scaled by weight_scale; biases zero."""
        self.num_layers = len(hidden_dims) + 1
        self.params = {}
        ### BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        sizes = [input_dim, *hidden_dims, num_classes]
        for layer in range(1, self.num_layers + 1):
            fan_in, fan_out = sizes[layer - 1], sizes[layer]
            self.params[f"W{layer}"] = weight_scale * rng.normal(size=(fan_in, fan_out))
            self.params[f"b{layer}"] = np.zeros(fan_out)
        ### END SOLUTION

    def loss(self, X, y=None):
        """Scores, or the loss and its gradients.

        X: (N, d1, ..., dk) inputs with d1 * ... * dk = input_dim; y: (N,) labels, or None.
        Returns scores (N, num_classes) if y is None, else (loss, grads) where grads[name] has
        the shape of self.params[name].
        """
        ### BEGIN SOLUTION
        last = self.num_layers
        hidden, caches = X, []
        for layer in range(1, last):
            a, affine_cache = affine_forward(
                hidden, self.params[f"W{layer}"], self.params[f"b{layer}"]
            )
            hidden, relu_cache = relu_forward(a)
            caches.append((affine_cache, relu_cache))
        scores, scores_cache = affine_forward(
            hidden, self.params[f"W{last}"], self.params[f"b{last}"]
        )
        if y is None:
            return scores

        loss, dout = softmax_loss(scores, y)
        grads = {}
        dout, grads[f"W{last}"], grads[f"b{last}"] = affine_backward(dout, scores_cache)
        for layer in range(last - 1, 0, -1):
            affine_cache, relu_cache = caches[layer - 1]
            da = relu_backward(dout, relu_cache)
            dout, grads[f"W{layer}"], grads[f"b{layer}"] = affine_backward(da, affine_cache)
        return loss, grads
        ### END SOLUTION


# %% tags=["spec"]
def _net_case_defaults(rng, hidden_dims, input_dim, num_classes, n):
    """A network built with the constructor's defaults (weight_scale 1e-2, seed 0)."""
    case_ = _net_case(rng, hidden_dims, (n, input_dim), num_classes)
    case_.kwargs.clear()
    case_.note = case_.note + ", weight_scale and seed left at their defaults"
    return case_


def _net_case(rng, hidden_dims, input_shape, num_classes, scale=1.0):
    sizes = [int(np.prod(input_shape[1:])), *hidden_dims, num_classes]
    params = {}
    for layer in range(1, len(sizes)):
        params[f"W{layer}"] = scale * rng.normal(size=(sizes[layer - 1], sizes[layer]))
        params[f"b{layer}"] = 0.5 * rng.normal(size=sizes[layer])
    X = rng.normal(size=input_shape)
    y = rng.integers(0, num_classes, size=input_shape[0])
    note = f"hidden_dims={list(hidden_dims)}, X of shape {input_shape}, {num_classes} classes"
    return case(
        list(hidden_dims), sizes[0], num_classes, params, X, y, weight_scale=0.1, seed=0, note=note
    )


class _NetReluOnScores(FullyConnectedNet):
    def loss(self, X, y=None):
        last = self.num_layers
        hidden, caches = X, []
        for layer in range(1, last + 1):
            a, affine_cache = affine_forward(
                hidden, self.params[f"W{layer}"], self.params[f"b{layer}"]
            )
            hidden, relu_cache = relu_forward(a)
            caches.append((affine_cache, relu_cache))
        if y is None:
            return hidden
        loss, dout = softmax_loss(hidden, y)
        grads = {}
        for layer in range(last, 0, -1):
            affine_cache, relu_cache = caches[layer - 1]
            da = relu_backward(dout, relu_cache)
            dout, grads[f"W{layer}"], grads[f"b{layer}"] = affine_backward(da, affine_cache)
        return loss, grads


class _NetProbabilities(FullyConnectedNet):
    def loss(self, X, y=None):
        if y is not None:
            return super().loss(X, y)
        scores = super().loss(X)
        exp = np.exp(scores - scores.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)


class _NetNoReluBackward(FullyConnectedNet):
    def loss(self, X, y=None):
        last = self.num_layers
        hidden, caches = X, []
        for layer in range(1, last):
            a, affine_cache = affine_forward(
                hidden, self.params[f"W{layer}"], self.params[f"b{layer}"]
            )
            hidden, _ = relu_forward(a)
            caches.append(affine_cache)
        scores, scores_cache = affine_forward(
            hidden, self.params[f"W{last}"], self.params[f"b{last}"]
        )
        if y is None:
            return scores
        loss, dout = softmax_loss(scores, y)
        grads = {}
        dout, grads[f"W{last}"], grads[f"b{last}"] = affine_backward(dout, scores_cache)
        for layer in range(last - 1, 0, -1):
            dout, grads[f"W{layer}"], grads[f"b{layer}"] = affine_backward(dout, caches[layer - 1])
        return loss, grads


_net_rng = np.random.default_rng(7)
exercise(
    "FullyConnectedNet",
    public=[
        _net_case(_net_rng, [4], (4, 5), 3),
        _net_case(_net_rng, [6, 5], (3, 4), 3),
        _net_case(_net_rng, [], (2, 3), 4),
    ],
    hidden=lambda rng: [
        _net_case(rng, [7], (1, 6), 4),
        _net_case(rng, [5, 4], (5, 2, 3), 3),
        _net_case(rng, [5, 5, 5, 5], (6, 3), 2),
        _net_case(rng, [8, 6], (4, 5), 5, scale=3.0),
        _net_case_defaults(rng, [10], 64, 10, 3),
    ],
    mistakes=[
        mistake(
            "ReLU on the scores",
            _NetReluOnScores,
            "the last layer is affine only: scores can be negative. Apply ReLU after the "
            "hidden layers, not after the last one.",
        ),
        mistake(
            "returned probabilities",
            _NetProbabilities,
            "loss(X) returns the raw scores of the last affine layer; the softmax belongs to "
            "the loss.",
        ),
        mistake(
            "skipped the ReLU in the backward pass",
            _NetNoReluBackward,
            "every layer of the forward pass needs its backward pass: between two affine "
            "backward passes, call relu_backward with that layer's ReLU cache.",
        ),
    ],
    uses=("affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss"),
    driver="autograder.modules.deep_network:network_loss",
    outputs=("initial parameters", "scores", "loss", "grads", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "fully-connected-net-tests", "locked": true, "points": 5, "schema_version": 3, "solution": false}
"""FullyConnectedNet: parameter shapes, scores, loss and gradients of networks of several depths."""
check(
    "FullyConnectedNet",
    FullyConnectedNet,
    affine_forward,
    affine_backward,
    relu_forward,
    relu_backward,
    softmax_loss,
)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "07_deep_network",
    "FullyConnectedNet",
    FullyConnectedNet,
    affine_forward,
    affine_backward,
    relu_forward,
    relu_backward,
    softmax_loss,
)
### END HIDDEN TESTS

# %% [markdown]
# ## 6. Trust, but verify: a gradient check of the whole network
#
# The check above compared your network with centred differences. Here is the same test in the
# open, on a small network with two hidden layers. For every parameter, the largest relative
# error between your backward pass and the numerical gradient should be around $10^{-7}$ or
# smaller; an error near 1 means a bug, not round-off.

# %%
needs("FullyConnectedNet")
rng = np.random.default_rng(0)
small_net = FullyConnectedNet([6, 5], input_dim=8, num_classes=4, weight_scale=0.5, seed=1)
X_small = rng.normal(size=(5, 2, 4))
y_small = rng.integers(0, 4, size=5)
loss_small, grads_small = small_net.loss(X_small, y_small)
print(f"loss {loss_small:.4f} (a guess at random would give log(4) = {np.log(4):.4f})")
for name in sorted(small_net.params):
    numerical = numerical_gradient(
        lambda _: small_net.loss(X_small, y_small)[0], small_net.params[name]
    )
    print(f"{name}: relative error {rel_error(grads_small[name], numerical):.1e}")

# %% [markdown]
# ## 7. Training on the digits
#
# Training is now a loop: take a **mini-batch** of examples, compute the loss and gradients, and
# move every parameter a little against its gradient. We use gradient descent with **momentum**
# (module 10 explains it in depth): a velocity $v$ accumulates past gradients and the parameter
# follows the velocity,
#
# $$v \leftarrow \mu v - \eta\, \nabla_\theta L, \qquad \theta \leftarrow \theta + v,$$
#
# which smooths the noise of small batches. Each **epoch** visits every training image once, in
# a new random order.


# %%
def accuracy(model, X, y):
    """Share of examples whose highest score is the true class."""
    return float(np.mean(np.argmax(model.loss(X), axis=1) == y))


def train(
    model,
    X,
    y,
    X_val,
    y_val,
    learning_rate=0.05,
    momentum=0.9,
    batch_size=32,
    num_epochs=10,
    seed=0,
    progress=True,
):
    """Mini-batch gradient descent with momentum; returns the history of loss and accuracy."""
    rng = np.random.default_rng(seed)
    velocity = {name: np.zeros_like(value) for name, value in model.params.items()}
    history = {"loss": [], "train_acc": [], "val_acc": []}
    epochs = tqdm(range(num_epochs), desc="training", disable=not progress)
    for _ in epochs:
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            loss, grads = model.loss(X[batch], y[batch])
            for name in model.params:
                velocity[name] = momentum * velocity[name] - learning_rate * grads[name]
                model.params[name] += velocity[name]
            history["loss"].append(loss)
        history["train_acc"].append(accuracy(model, X, y))
        history["val_acc"].append(accuracy(model, X_val, y_val))
        epochs.set_postfix(loss=f"{loss:.3f}", test_acc=f"{history['val_acc'][-1]:.3f}")
    return history


# %% [markdown]
# A network with one hidden layer of 100 units, ten epochs: a fraction of a second.
# (We report accuracy on the test set as we go to draw the curves; choosing settings by looking
# at the test set would be cheating, and module 11 sets a separate *dev* set aside for that.)

# %%
needs("FullyConnectedNet")
model = FullyConnectedNet([100], input_dim=64, num_classes=10, weight_scale=0.1, seed=0)
start = time.perf_counter()
history = train(model, X_train, y_train, X_test, y_test, learning_rate=0.05, num_epochs=10)
seconds = time.perf_counter() - start
test_accuracy = accuracy(model, X_test, y_test)
print(f"trained 10 epochs in {seconds:.1f} s, test accuracy: {test_accuracy:.3f}")
assert test_accuracy >= 0.97, "the network should read at least 97% of the test digits"

# %%
needs("FullyConnectedNet")
steps_per_epoch = int(np.ceil(len(X_train) / 32))
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3))
ax_loss.plot(np.arange(len(history["loss"])) / steps_per_epoch, history["loss"], lw=0.7)
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("mini-batch loss")
ax_loss.set_yscale("log")
epochs_axis = np.arange(1, len(history["val_acc"]) + 1)
ax_acc.plot(epochs_axis, history["train_acc"], "o-", label="train")
ax_acc.plot(epochs_axis, history["val_acc"], "o-", label="test")
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("accuracy")
ax_acc.legend()
plt.show()

# %% [markdown]
# The mini-batch loss is noisy (each point is a different batch of 32) but falls steadily. The
# gap between the train and test curves is the network *memorising* its training images a little:
# module 09 is about shrinking it.
#
# ## 8. What does it get wrong?

# %%
needs("FullyConnectedNet")
test_scores = model.loss(X_test)
shifted = test_scores - test_scores.max(axis=1, keepdims=True)
test_probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
predicted = test_probs.argmax(axis=1)
wrong = np.flatnonzero(predicted != y_test)
print(f"{len(wrong)} of {len(y_test)} test digits misread")

fig, axes = plt.subplots(1, len(wrong), figsize=(1.3 * len(wrong), 1.8), squeeze=False)
for ax, i in zip(axes[0], wrong):
    ax.imshow(images_test[i], cmap="gray_r")
    ax.set_title(f"{predicted[i]} ({y_test[i]})", color="red", fontsize=9)
    ax.axis("off")
fig.suptitle("predicted (true)", fontsize=9)
plt.show()

# %% [markdown]
# Browse the mistakes with the slider, with the probabilities the network gave each class. Some
# are confident and wrong, others a close call between two digits that look alike.


# %%
needs("FullyConnectedNet")


def show_mistake(k=0):
    i = wrong[k]
    fig, (ax_image, ax_bars) = plt.subplots(1, 2, figsize=(7, 2.4))
    ax_image.imshow(images_test[i], cmap="gray_r")
    ax_image.set_title(f"true {y_test[i]}, predicted {predicted[i]}")
    ax_image.axis("off")
    colors = ["tab:gray"] * 10
    colors[y_test[i]], colors[predicted[i]] = "tab:green", "tab:red"
    ax_bars.bar(range(10), test_probs[i], color=colors)
    ax_bars.set_xticks(range(10))
    ax_bars.set_ylim(0, 1)
    ax_bars.set_title("probabilities (green: true, red: predicted)")
    plt.show()


mistake_viewer = widgets.interact(
    show_mistake, k=widgets.IntSlider(0, 0, max(len(wrong) - 1, 0), description="mistake")
)

# %% [markdown]
# ## 9. The learning rate decides everything
#
# The same network, trained with seven learning rates (a few seconds). Move the slider: too small
# and it learns slowly; too large and the loss jumps around or blows up (a line that leaves the
# top of the chart is a loss on its way to infinity).

# %%
needs("FullyConnectedNet")
learning_rates = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]


def run_with(learning_rate):
    net = FullyConnectedNet([100], input_dim=64, num_classes=10, weight_scale=0.1, seed=0)
    with np.errstate(all="ignore"):  # the largest rates overflow on purpose
        return train(
            net,
            X_train,
            y_train,
            X_test,
            y_test,
            learning_rate=learning_rate,
            num_epochs=6,
            progress=False,
        )


runs = {lr: run_with(lr) for lr in tqdm(learning_rates, desc="learning rates")}


def show_learning_rate(learning_rate=0.03):
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3))
    for lr, run in runs.items():
        chosen = lr == learning_rate
        per_epoch = np.array(run["loss"]).reshape(len(run["val_acc"]), -1).mean(axis=1)
        style = {"lw": 2.5, "color": "tab:red"} if chosen else {"lw": 0.8, "color": "tab:gray"}
        ax_loss.plot(np.arange(1, len(per_epoch) + 1), per_epoch, **style)
        ax_acc.plot(np.arange(1, len(per_epoch) + 1), run["val_acc"], **style)
    ax_loss.set_yscale("log")
    ax_loss.set_ylim(1e-3, 1e2)
    ax_loss.set_title(f"mean training loss per epoch, learning rate {learning_rate}")
    ax_acc.set_title(f"test accuracy: {runs[learning_rate]['val_acc'][-1]:.3f} after 6 epochs")
    ax_acc.set_ylim(0, 1)
    for ax in (ax_loss, ax_acc):
        ax.set_xlabel("epoch")
    plt.show()


lr_viewer = widgets.interact(
    show_learning_rate,
    learning_rate=widgets.SelectionSlider(
        options=learning_rates, value=0.03, description="learning rate"
    ),
)

# %% [markdown]
# **What you built.** Three layers, each a forward and a backward pass you checked on its own,
# and a network that composes them to any depth. That modularity is exactly how PyTorch's
# `nn.Module`s work. What you still do by hand is *write* each backward pass. **Next**, module 08
# makes the computer derive backward passes for you: automatic differentiation.
