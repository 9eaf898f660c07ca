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
# # 06 · A shallow network: one hidden layer, backpropagation by hand
#
# **Why this matters.** In module 05 one neuron drew one straight line. Most problems are not
# that kind: the classes curl around each other, and no line separates them. The remedy is the
# idea behind all of deep learning: put a **layer of neurons** between the input and the output.
# Each hidden neuron draws its own soft line; the output neuron combines them, and the combination
# can bend around any shape, given enough neurons. (With enough hidden units, one hidden layer can
# approximate any continuous function: the *universal approximation theorem*.)
#
# Training it needs the gradient of the cost with respect to *every* weight, including those
# of the hidden layer, which the cost only reaches through the output layer. Getting them is
# **backpropagation**: the chain rule, applied layer by layer from the output back to the input.
# Today you do it by hand, on a network small enough to hold in your head; module 07 turns it
# into reusable layers and module 08 automates it.
#
# **Six graded exercises, 16 points:**
#
# | exercise | points |
# |---|---|
# | 1. `init_params` | 2 |
# | 2. `forward` | 3 |
# | 3. `compute_cost` | 2 |
# | 4. `backward` | 5 |
# | 5. `update` | 2 |
# | 6. `predict` | 2 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("06_shallow_network")


# %% nbgrader={"grade": false, "grade_id": "helpers", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
def sigmoid(z):
    """Logistic sigmoid, written with tanh: sigma(z) = (1 + tanh(z / 2)) / 2.

    Same function as your sigmoid of module 05, and just as stable: tanh never overflows.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def make_flower(num_points=200, petals=4, noise=0.3, seed=0):
    """A planar "flower": two classes interleaved along the petals of a rose curve.

    Points of class k lie along the angles [k pi, (k + 1) pi], at radius 4 sin(petals t), with
    Gaussian noise on the angle and on the radius.
    Returns X (num_points, 2), the coordinates, and y (num_points,), integer labels 0 or 1.
    """
    rng = np.random.default_rng(seed)
    per_class = num_points // 2
    X = np.zeros((2 * per_class, 2))
    y = np.repeat([0, 1], per_class)
    for label in (0, 1):
        angle = np.linspace(label * np.pi, (label + 1) * np.pi, per_class)
        angle = angle + rng.normal(scale=noise, size=per_class)
        radius = 4.0 * np.sin(petals * angle) + rng.normal(scale=noise, size=per_class)
        X[y == label] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return X, y


# %% [markdown]
# ## 1. A problem no line can solve
#
# Here is the flower: 200 training points in two classes that alternate petal by petal, and 1,000
# more from the same generator (another seed) kept aside as a test set.

# %%
X_train, y_train = make_flower(200, seed=0)
X_test, y_test = make_flower(1000, seed=1)
Y_train, Y_test = y_train[:, None], y_test[:, None]  # labels as (N, 1) columns, like the outputs
print("X_train", X_train.shape, "Y_train", Y_train.shape, "| X_test", X_test.shape)


def plot_decision_boundary(ax, predict_proba, X, y, title=""):
    """Shade the plane by a model's probability of class 1; draw the 0.5 line and the points.

    predict_proba: a function from (M, 2) points to M probabilities (any shape with M values).
    """
    x1, x2 = np.meshgrid(np.linspace(-5, 5, 160), np.linspace(-5, 5, 160))
    probs = np.asarray(predict_proba(np.column_stack([x1.ravel(), x2.ravel()]))).reshape(x1.shape)
    ax.contourf(x1, x2, probs, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
    ax.contour(x1, x2, probs, levels=[0.5], colors="black", linewidths=1)
    ax.scatter(*X[y == 0].T, s=9, c="tab:blue", edgecolors="white", linewidths=0.3)
    ax.scatter(*X[y == 1].T, s=9, c="tab:orange", edgecolors="white", linewidths=0.3)
    ax.set_xlim(-5, 5)
    ax.set_ylim(-5, 5)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=10)


# %% [markdown]
# First, the model of module 05. We borrow scikit-learn's logistic regression (the same model you
# wrote) to save a few lines. Whatever line it picks, whole petals end up on the wrong side:

# %%
linear_model = LogisticRegression().fit(X_train, y_train)
linear_accuracy = linear_model.score(X_test, y_test)
fig, ax = plt.subplots(figsize=(4.5, 4.5))
plot_decision_boundary(
    ax,
    lambda P: linear_model.predict_proba(P)[:, 1],
    X_train,
    y_train,
    f"logistic regression: test accuracy {linear_accuracy:.2f}",
)
plt.show()
print(f"a coin toss would score about 0.5; logistic regression scores {linear_accuracy:.2f}")

# %% [markdown]
# ## 2. The network
#
# One hidden layer of $H$ **tanh** units, then one sigmoid output unit. For a batch $X$ of $N$
# points with $D = 2$ coordinates (one point per row, as everywhere in this course):
#
# $$
# \begin{aligned}
# Z_1 &= X W_1 + b_1, & A_1 &= \tanh(Z_1), \\
# Z_2 &= A_1 W_2 + b_2, & A_2 &= \sigma(Z_2) = \hat Y.
# \end{aligned}
# $$
#
# | name | shape | meaning |
# |---|---|---|
# | `X` | $(N, D)$ | inputs |
# | `W1`, `b1` | $(D, H)$, $(H,)$ | hidden layer: column $j$ of `W1` is unit $j$'s weights |
# | `Z1`, `A1` | $(N, H)$ | hidden scores and activations, one row per point |
# | `W2`, `b2` | $(H, n_y)$, $(n_y,)$ | output layer |
# | `Z2`, `A2` | $(N, n_y)$ | output scores and probabilities |
# | `Y` | $(N, n_y)$ | labels, 0 or 1 |
#
# Our flower has one output, $n_y = 1$: the probability of orange. We keep $n_y$ general so the
# shapes read as they will in module 07. The parameters travel together in a dictionary,
# `params = {"W1": ..., "b1": ..., "W2": ..., "b2": ...}`.
#
# **Why tanh?** It is a sigmoid stretched to $(-1, 1)$, centred on zero, which keeps the hidden
# activations balanced around zero and makes learning faster than with a sigmoid hidden layer.
# Its derivative is tidy: $\tanh'(z) = 1 - \tanh^2(z)$. Module 07 switches to ReLU,
# $\max(0, z)$, today's default for deep networks.
#
# ### Exercise 1: `init_params` (2 points)
#
# Weights must start **random**. If all hidden units started equal, they would compute the same
# thing, receive the same gradient and stay equal forever: $H$ units would be worth one (you will
# see this happen at the end of the notebook). Biases can start at zero.
#
# The scale matters too: we draw standard normal numbers and divide by $\sqrt{\text{fan-in}}$
# (the number of inputs of the layer), so that each unit's score starts with a variance near 1,
# neither saturating the tanh nor vanishing. Module 09 explains why in detail.
#
# Precisely, so that everyone gets the same numbers: make `rng = np.random.default_rng(seed)`,
# draw `W1` first, with `rng.standard_normal((n_x, n_h)) / np.sqrt(n_x)`, then `W2` with
# `rng.standard_normal((n_h, n_y)) / np.sqrt(n_h)`; `b1` and `b2` are zero vectors of shapes
# `(n_h,)` and `(n_y,)`.


# %% nbgrader={"grade": false, "grade_id": "init-params", "locked": false, "schema_version": 3, "solution": true}
def init_params(n_x, n_h, n_y, seed):
    """Random initial parameters of a network with one hidden layer.

    n_x: number of inputs D; n_h: hidden units H; n_y: outputs; seed: an int for default_rng.
    Returns {"W1": (n_x, n_h), "b1": (n_h,), "W2": (n_h, n_y), "b2": (n_y,)}: weights standard
    normal divided by sqrt(fan-in), W1 drawn before W2; biases zero.
    """
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_x, n_h)) / np.sqrt(n_x)
    W2 = rng.standard_normal((n_h, n_y)) / np.sqrt(n_h)
    return {"W1": W1, "b1": np.zeros(n_h), "W2": W2, "b2": np.zeros(n_y)}
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _init_zeros(n_x, n_h, n_y, seed):
    return {
        "W1": np.zeros((n_x, n_h)),
        "b1": np.zeros(n_h),
        "W2": np.zeros((n_h, n_y)),
        "b2": np.zeros(n_y),
    }


def _init_w2_first(n_x, n_h, n_y, seed):
    rng = np.random.default_rng(seed)
    W2 = rng.standard_normal((n_h, n_y)) / np.sqrt(n_h)
    W1 = rng.standard_normal((n_x, n_h)) / np.sqrt(n_x)
    return {"W1": W1, "b1": np.zeros(n_h), "W2": W2, "b2": np.zeros(n_y)}


def _init_unscaled(n_x, n_h, n_y, seed):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_x, n_h))
    W2 = rng.standard_normal((n_h, n_y))
    return {"W1": W1, "b1": np.zeros(n_h), "W2": W2, "b2": np.zeros(n_y)}


def _init_column_biases(n_x, n_h, n_y, seed):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_x, n_h)) / np.sqrt(n_x)
    W2 = rng.standard_normal((n_h, n_y)) / np.sqrt(n_h)
    return {"W1": W1, "b1": np.zeros((1, n_h)), "W2": W2, "b2": np.zeros((1, n_y))}


exercise(
    "init_params",
    public=[
        case(2, 4, 1, 0, note="the flower's network with 4 hidden units"),
        case(3, 2, 2, 7, note="3 inputs, 2 hidden units, 2 outputs"),
    ],
    hidden=[
        case(1, 1, 1, 3, note="the smallest network"),
        case(5, 8, 1, 11, note="5 inputs, 8 hidden units"),
        case(4, 3, 3, 12, note="3 outputs"),
        case(2, 50, 1, 2024, note="a wide hidden layer"),
    ],
    mistakes=[
        mistake(
            "all weights zero",
            _init_zeros,
            "with zero weights every hidden unit computes the same thing and gets the same "
            "gradient: they never become different. Draw the weights from rng.standard_normal.",
        ),
        mistake(
            "W2 drawn before W1",
            _init_w2_first,
            "a generator gives its numbers in order: draw W1 first, then W2, so that a seed always "
            "gives the same network.",
        ),
        mistake(
            "weights not scaled",
            _init_unscaled,
            "divide each layer's weights by the square root of its fan-in: W1 by np.sqrt(n_x), "
            "W2 by np.sqrt(n_h).",
        ),
        mistake(
            "biases as (1, n) rows",
            _init_column_biases,
            "in this course a bias is a vector, b1 of shape (n_h,) and b2 of shape (n_y,), "
            "which broadcasts over the rows of a batch. Use np.zeros(n_h).",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "init-params-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""init_params: seeded scaled normal weights (W1 then W2), zero bias vectors."""
check("init_params", init_params)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("06_shallow_network", "init_params", init_params)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: `forward` (3 points)
#
# Compute the four equations above for the whole batch, with matrix products and broadcasting
# (no loops). Return the probabilities `A2` and a **cache**: the intermediate values the backward
# pass will need, in a dictionary `{"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}`. Use `np.tanh` and
# the `sigmoid` defined at the top of the notebook.
#
# *Worked example.* With one input point $x = (1, -1)$, one hidden unit with $W_1 = (0.5, 0.5)^\top$,
# $b_1 = 0.2$, and $W_2 = 2$, $b_2 = -0.5$: $z_1 = 0.5 - 0.5 + 0.2 = 0.2$,
# $a_1 = \tanh 0.2 \approx 0.197$, $z_2 = 2 \times 0.197 - 0.5 \approx -0.105$,
# $\hat y = \sigma(-0.105) \approx 0.474$.


# %% nbgrader={"grade": false, "grade_id": "forward", "locked": false, "schema_version": 3, "solution": true}
def forward(X, params):
    """Forward pass of the network: tanh hidden layer, sigmoid output.

    X: (N, D) inputs; params: {"W1": (D, H), "b1": (H,), "W2": (H, n_y), "b2": (n_y,)}.
    Returns (probs, cache): probs (N, n_y), the output probabilities A2, and
    cache = {"Z1": (N, H), "A1": (N, H), "Z2": (N, n_y), "A2": (N, n_y)}.
    """
    ### BEGIN SOLUTION
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.tanh(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    ### END SOLUTION


# %% tags=["spec"]
def _forward_sigmoid_hidden(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _forward_no_b1(X, params):
    Z1 = X @ params["W1"]
    A1 = np.tanh(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _forward_scores(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.tanh(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return Z2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": Z2}


def _random_params(rng, n_x, n_h, n_y, scale=1.0):
    return {
        "W1": rng.normal(size=(n_x, n_h)) * scale,
        "b1": rng.normal(size=n_h) * scale,
        "W2": rng.normal(size=(n_h, n_y)) * scale,
        "b2": rng.normal(size=n_y) * scale,
    }


_PUBLIC_PARAMS = {
    "W1": np.array([[0.5, -1.0, 0.3], [0.5, 0.8, -0.6]]),
    "b1": np.array([0.2, 0.0, -0.1]),
    "W2": np.array([[2.0], [-1.0], [0.5]]),
    "b2": np.array([-0.5]),
}
_PUBLIC_X = np.array([[1.0, -1.0], [0.0, 2.0], [-1.5, 0.5], [2.0, 1.0]])


def _forward_cases(rng):
    out = []
    for n, d, h, n_y, scale, note in [
        (1, 3, 4, 1, 1.0, "a batch of one"),
        (15, 2, 5, 1, 1.0, "15 points, 5 hidden units"),
        (6, 4, 3, 2, 1.0, "two outputs"),
        (9, 2, 7, 1, 4.0, "large weights: saturated units"),
    ]:
        out.append(case(rng.normal(size=(n, d)), _random_params(rng, d, h, n_y, scale), note=note))
    return out


exercise(
    "forward",
    public=[
        case(
            np.array([[1.0, -1.0]]),
            {
                "W1": np.array([[0.5], [0.5]]),
                "b1": np.array([0.2]),
                "W2": np.array([[2.0]]),
                "b2": np.array([-0.5]),
            },
            note="the worked example: one point, one hidden unit, y_hat about 0.474",
        ),
        case(_PUBLIC_X, _PUBLIC_PARAMS, note="N=4 points, D=2, H=3 hidden units, one output"),
        case(
            np.array([[0.5, 1.0, -1.0], [2.0, 0.0, 1.0]]),
            {
                "W1": np.array([[1.0, 0.0], [-0.5, 0.5], [0.25, 1.0]]),
                "b1": np.array([0.1, -0.2]),
                "W2": np.array([[1.0, -1.0], [0.5, 2.0]]),
                "b2": np.array([0.0, 0.3]),
            },
            note="N=2, D=3, H=2, two outputs",
        ),
    ],
    hidden=_forward_cases,
    mistakes=[
        mistake(
            "sigmoid in the hidden layer",
            _forward_sigmoid_hidden,
            "the hidden layer uses np.tanh; the sigmoid is only for the output probabilities.",
        ),
        mistake(
            "forgot the hidden bias",
            _forward_no_b1,
            "Z1 = X @ W1 + b1: without b1 every hidden unit's line passes through the origin.",
        ),
        mistake(
            "returned scores, not probabilities",
            _forward_scores,
            "the output layer ends with a sigmoid: A2 = sigmoid(Z2), and probs is A2.",
        ),
    ],
    outputs=("probs", "cache"),
)

# %% nbgrader={"grade": true, "grade_id": "forward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""forward: tanh hidden layer, sigmoid output, and the cache Z1, A1, Z2, A2."""
check("forward", forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("06_shallow_network", "forward", forward)
### END HIDDEN TESTS

# %% [markdown]
# An untrained network already has a curved probability map, a random mixture of four soft
# lines, but it knows nothing about the flower yet.

# %%
needs("init_params", "forward")
untrained = init_params(2, 4, 1, seed=0)
fig, ax = plt.subplots(figsize=(4.5, 4.5))
plot_decision_boundary(
    ax,
    lambda P: forward(P, untrained)[0],
    X_train,
    y_train,
    "an untrained network (4 hidden units)",
)
plt.show()

# %% [markdown]
# ### Exercise 3: `compute_cost` (2 points)
#
# The cross-entropy of module 05, for every output unit, averaged over the **batch**:
#
# $$J = -\frac{1}{N} \sum_{i=1}^{N} \sum_{k=1}^{n_y} \Big[\, Y_{ik} \log \hat Y_{ik}
#       + (1 - Y_{ik}) \log (1 - \hat Y_{ik}) \,\Big].$$
#
# With one output this is exactly the mean cross-entropy. With several outputs (each its own
# yes/no question), the losses of the outputs **add up** and only the batch is averaged: divide by
# $N$, not by $N \cdot n_y$. Return a float.
#
# Compute the formula exactly as written: no clipping and no small epsilon inside the logs. The
# probabilities you are given are strictly between 0 and 1, so every log is finite, and the checks
# include very confident predictions (probabilities like $10^{-9}$) where an epsilon would change
# the cost.


# %% nbgrader={"grade": false, "grade_id": "compute-cost", "locked": false, "schema_version": 3, "solution": true}
def compute_cost(probs, Y):
    """Cross-entropy cost, summed over the outputs and averaged over the batch.

    probs: (N, n_y) predicted probabilities, strictly between 0 and 1; Y: (N, n_y) labels 0 or 1.
    Returns the cost as a float.
    """
    ### BEGIN SOLUTION
    log_likelihood = Y * np.log(probs) + (1 - Y) * np.log(1 - probs)
    return float(-np.sum(log_likelihood) / probs.shape[0])
    ### END SOLUTION


# %% tags=["spec"]
def _cost_summed(probs, Y):
    return float(-np.sum(Y * np.log(probs) + (1 - Y) * np.log(1 - probs)))


def _cost_positive_term_only(probs, Y):
    return float(-np.sum(Y * np.log(probs)) / probs.shape[0])


def _cost_mean_over_outputs(probs, Y):
    return float(-np.mean(Y * np.log(probs) + (1 - Y) * np.log(1 - probs)))


exercise(
    "compute_cost",
    public=[
        case(
            np.array([[0.9], [0.2], [0.6], [0.3]]),
            np.array([[1], [0], [1], [1]]),
            note="N=4, one output",
        ),
        case(
            np.array([[0.7, 0.1], [0.4, 0.8], [0.5, 0.5]]),
            np.array([[1, 0], [0, 1], [1, 0]]),
            note="N=3, two outputs",
        ),
        case(
            np.array([[1e-9], [1 - 1e-6], [0.5]]),
            np.array([[1], [0], [1]]),
            note="confidently wrong, probabilities 1e-9 and 1 - 1e-6: no epsilon, no clipping",
        ),
    ],
    hidden=lambda rng: [
        case(np.array([[0.35]]), np.array([[0]]), note="a batch of one"),
        case(
            rng.uniform(0.01, 0.99, size=(30, 1)),
            rng.integers(0, 2, size=(30, 1)),
            note="30 random probabilities",
        ),
        case(
            np.array([[1e-10], [1 - 1e-10], [0.5], [1e-10]]),
            np.array([[0], [1], [1], [1]]),
            note="extreme probabilities",
        ),
        case(
            rng.uniform(0.05, 0.95, size=(5, 3)),
            rng.integers(0, 2, size=(5, 3)),
            note="three outputs",
        ),
    ],
    mistakes=[
        mistake(
            "summed over the batch",
            _cost_summed,
            "the cost is an average over the N examples: divide the sum by N = probs.shape[0].",
        ),
        mistake(
            "dropped the (1 - Y) term",
            _cost_positive_term_only,
            "the cross-entropy has two terms: Y log(probs) for the ones and (1 - Y) log(1 - probs) "
            "for the zeros. Without the second, predicting 1 everywhere costs nothing.",
        ),
        mistake(
            "averaged over the outputs too",
            _cost_mean_over_outputs,
            "np.mean divides by N * n_y. Sum the losses of the outputs and divide by N only, "
            "e.g. np.sum(...) / probs.shape[0].",
        ),
    ],
    driver="autograder.checking.drivers:call_float",
)

# %% nbgrader={"grade": true, "grade_id": "compute-cost-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""compute_cost: cross-entropy summed over outputs, averaged over the batch."""
check("compute_cost", compute_cost)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("06_shallow_network", "compute_cost", compute_cost)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Backpropagation
#
# We need $\partial J / \partial W_1$, $\partial J / \partial b_1$, $\partial J / \partial W_2$ and
# $\partial J / \partial b_2$. Write $dV$ for $\partial J / \partial V$; **every $dV$ has the shape
# of $V$**, which is the best check of a formula you have. Go backwards through the equations of
# the forward pass, one at a time.
#
# **Output layer.** Sigmoid and cross-entropy together give the same tidy error signal as in
# module 05, prediction minus truth, divided by $N$ because the cost is a batch average:
#
# $$dZ_2 = \frac{1}{N}(A_2 - Y) \quad (N, n_y).$$
#
# $Z_2 = A_1 W_2 + b_2$ is the affine map of logistic regression with $A_1$ as its input, so
#
# $$dW_2 = A_1^\top dZ_2 \quad (H, n_y), \qquad db_2 = \sum_{i} dZ_{2,i} \quad (n_y,)
#   \text{ (sum over the rows, the batch)}.$$
#
# **Into the hidden layer.** $A_1$ reaches the cost through every output, weighted by $W_2$:
#
# $$dA_1 = dZ_2\, W_2^\top \quad (N, H).$$
#
# **Through the tanh.** $A_1 = \tanh(Z_1)$ elementwise, and $\tanh'(z) = 1 - \tanh^2(z)$, which
# we already have in the cache as $1 - A_1^2$ (a product elementwise, `*`, not a matrix product):
#
# $$dZ_1 = dA_1 \odot (1 - A_1^2) \quad (N, H).$$
#
# **First layer**, the same affine rule with $X$ as the input:
#
# $$dW_1 = X^\top dZ_1 \quad (D, H), \qquad db_1 = \sum_{i} dZ_{1,i} \quad (H,).$$
#
# Notice the pattern: in a product $U V$, the gradient of one factor is the upstream gradient
# multiplied by the *transpose of the other factor*, on the side that makes the shapes fit.
# The sum over the batch happens inside $A_1^\top dZ_2$ and $X^\top dZ_1$, and explicitly for the
# biases.
#
# ### Exercise 4: `backward` (5 points)
#
# Implement the six formulas, taking `A1` and `A2` from the cache rather than recomputing them
# (`Z1` is not needed: the tanh derivative is written with `A1`).
# Return `{"dW1": ..., "db1": ..., "dW2": ..., "db2": ...}`.
#
# The check gives your `backward` a cache made by a correct forward pass, compares your
# gradients with the expected ones, and runs a **gradient check**: for every element of every
# parameter, it measures how your `compute_cost(forward(X, params)[0], Y)` changes when that
# element moves by $\pm 10^{-5}$, and tells you which parameter and element disagree with your
# formula, and whether the disagreement is a factor of $N$, a sign or a transpose. The gradient
# check differentiates *your* `forward` and `compute_cost`, so it explains a wrong `backward`
# but never fails a right one: the points of `backward` depend on its gradients alone.


# %% nbgrader={"grade": false, "grade_id": "backward", "locked": false, "schema_version": 3, "solution": true}
def backward(params, cache, X, Y):
    """Backward pass: gradients of the mean cross-entropy with respect to every parameter.

    params: {"W1": (D, H), "b1": (H,), "W2": (H, n_y), "b2": (n_y,)};
    cache: {"Z1", "A1": (N, H), "Z2", "A2": (N, n_y)} from forward(X, params);
    X: (N, D) inputs; Y: (N, n_y) labels 0 or 1.
    Returns {"dW1": (D, H), "db1": (H,), "dW2": (H, n_y), "db2": (n_y,)}.
    """
    ### BEGIN SOLUTION
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / X.shape[0]
    dW2 = A1.T @ dZ2
    db2 = np.sum(dZ2, axis=0)
    dZ1 = (dZ2 @ params["W2"].T) * (1.0 - A1**2)
    dW1 = X.T @ dZ1
    db1 = np.sum(dZ1, axis=0)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    ### END SOLUTION


# %% tags=["spec"]
def _backward_no_tanh_derivative(params, cache, X, Y):
    dZ2 = (cache["A2"] - Y) / X.shape[0]
    dZ1 = dZ2 @ params["W2"].T
    return {
        "dW1": X.T @ dZ1,
        "db1": dZ1.sum(axis=0),
        "dW2": cache["A1"].T @ dZ2,
        "db2": dZ2.sum(axis=0),
    }


def _backward_derivative_of_z(params, cache, X, Y):
    dZ2 = (cache["A2"] - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"].T) * (1 - cache["Z1"] ** 2)
    return {
        "dW1": X.T @ dZ1,
        "db1": dZ1.sum(axis=0),
        "dW2": cache["A1"].T @ dZ2,
        "db2": dZ2.sum(axis=0),
    }


def _backward_bias_wrong_axis(params, cache, X, Y):
    dZ2 = (cache["A2"] - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"].T) * (1 - cache["A1"] ** 2)
    return {
        "dW1": X.T @ dZ1,
        "db1": dZ1.sum(axis=1),
        "dW2": cache["A1"].T @ dZ2,
        "db2": dZ2.sum(axis=1),
    }


def _backward_missing_mean(params, cache, X, Y):
    dZ2 = cache["A2"] - Y
    dZ1 = (dZ2 @ params["W2"].T) * (1 - cache["A1"] ** 2)
    return {
        "dW1": X.T @ dZ1,
        "db1": dZ1.sum(axis=0),
        "dW2": cache["A1"].T @ dZ2,
        "db2": dZ2.sum(axis=0),
    }


def _backward_case(X, params, Y, note):
    return case(params, forward(X, params)[1], X, Y, note=note)


def _backward_cases(rng):
    out = []
    for n, d, h, n_y, note in [
        (1, 2, 3, 1, "a batch of one"),
        (12, 2, 4, 1, "12 points, 4 hidden units"),
        (3, 5, 7, 1, "wide: 5 inputs, 7 hidden units, 3 points"),
        (8, 3, 2, 2, "two outputs"),
    ]:
        X = rng.normal(size=(n, d))
        Y = rng.integers(0, 2, size=(n, n_y))
        out.append(_backward_case(X, _random_params(rng, d, h, n_y), Y, note))
    return out


exercise(
    "backward",
    public=[
        _backward_case(
            _PUBLIC_X, _PUBLIC_PARAMS, np.array([[1], [0], [0], [1]]), "N=4, D=2, H=3, one output"
        ),
        _backward_case(
            np.array([[0.3, -1.2], [1.0, 0.4], [-0.6, 0.9], [0.0, -0.5], [1.4, 1.1]]),
            {
                "W1": np.array([[0.8, -0.4], [0.3, 0.9]]),
                "b1": np.array([0.1, -0.3]),
                "W2": np.array([[1.5], [-0.7]]),
                "b2": np.array([0.2]),
            },
            np.array([[0], [1], [1], [0], [1]]),
            "N=5, D=2, H=2",
        ),
    ],
    hidden=_backward_cases,
    mistakes=[
        mistake(
            "forgot the derivative of tanh",
            _backward_no_tanh_derivative,
            "dA1 has to pass through the tanh on its way to Z1: dZ1 = dA1 * (1 - A1**2).",
        ),
        mistake(
            "tanh derivative taken at Z1",
            _backward_derivative_of_z,
            "tanh'(z) = 1 - tanh(z)**2, and tanh(Z1) is A1: use 1 - A1**2, not 1 - Z1**2.",
        ),
        mistake(
            "biases summed over the wrong axis",
            _backward_bias_wrong_axis,
            "a bias gradient has one value per unit: sum over the batch, the rows, "
            "with axis=0. db1 has shape (H,), db2 shape (n_y,).",
        ),
        mistake(
            "missing 1/N",
            _backward_missing_mean,
            "the cost averages over the batch, so dZ2 = (A2 - Y) / N; every gradient below "
            "inherits the 1/N from it.",
        ),
    ],
    uses=("forward", "compute_cost"),
    driver="autograder.modules.shallow_network:network_gradient_check",
    outputs=("gradient check", "grads"),
    advisory=("gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "backward-tests", "locked": true, "points": 5, "schema_version": 3, "solution": false}
"""backward: dW1, db1, dW2, db2, checked against the expected values and numerically."""
check("backward", backward, forward, compute_cost)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("06_shallow_network", "backward", backward, forward, compute_cost)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5: `update` (2 points)
#
# One step of gradient descent on every parameter, $V \leftarrow V - \alpha\, dV$, where the
# gradient of `params["W1"]` is `grads["dW1"]` and so on. Return a **new** dictionary with the
# same keys as `params`; leave the one you were given unchanged.


# %% nbgrader={"grade": false, "grade_id": "update", "locked": false, "schema_version": 3, "solution": true}
def update(params, grads, lr):
    """One gradient descent step.

    params: dict of arrays ("W1", "b1", "W2", "b2"); grads: the same arrays' gradients under
    "dW1", "db1", ...; lr: the learning rate.
    Returns a new dict with the keys of params: each parameter moved by -lr times its gradient.
    """
    ### BEGIN SOLUTION
    return {name: value - lr * grads["d" + name] for name, value in params.items()}
    ### END SOLUTION


# %% tags=["spec"]
def _update_ascent(params, grads, lr):
    return {name: value + lr * grads["d" + name] for name, value in params.items()}


def _update_weights_only(params, grads, lr):
    return {
        name: value - lr * grads["d" + name] if name.startswith("W") else value
        for name, value in params.items()
    }


def _update_same_keys(params, grads, lr):
    return {name: value - lr * grads[name] for name, value in params.items()}


def _update_in_place(params, grads, lr):
    for name in params:
        params[name] -= lr * grads["d" + name]
    return params


def _update_cases(rng):
    out = []
    for d, h, n_y, lr, note in [
        (1, 1, 1, 0.1, "the smallest network"),
        (3, 6, 1, 2.5, "a large learning rate"),
        (2, 4, 3, 0.01, "three outputs"),
    ]:
        params = _random_params(rng, d, h, n_y)
        grads = {"d" + k: v for k, v in _random_params(rng, d, h, n_y).items()}
        out.append(case(params, grads, lr, note=note))
    return out


exercise(
    "update",
    public=[
        case(
            {
                "W1": np.array([[1.0, -1.0]]),
                "b1": np.array([0.0, 0.5]),
                "W2": np.array([[2.0], [1.0]]),
                "b2": np.array([-1.0]),
            },
            {
                "dW1": np.array([[0.5, 0.5]]),
                "db1": np.array([1.0, -1.0]),
                "dW2": np.array([[-2.0], [0.0]]),
                "db2": np.array([0.25]),
            },
            0.1,
            note="D=1, H=2, lr=0.1",
        ),
        case(
            {
                "W1": np.array([[0.5], [-0.5]]),
                "b1": np.array([1.0]),
                "W2": np.array([[1.0, -1.0]]),
                "b2": np.array([0.0, 0.0]),
            },
            {
                "dW1": np.array([[0.2], [0.4]]),
                "db1": np.array([-0.5]),
                "dW2": np.array([[1.0, 2.0]]),
                "db2": np.array([0.1, -0.1]),
            },
            2.0,
            note="D=2, H=1, two outputs, lr=2",
        ),
    ],
    hidden=_update_cases,
    mistakes=[
        mistake(
            "stepped up the gradient",
            _update_ascent,
            "descent goes against the gradient: params[name] - lr * grads['d' + name].",
        ),
        mistake(
            "biases not updated",
            _update_weights_only,
            "every parameter takes a step, the biases b1 and b2 too.",
        ),
        mistake(
            "looked up the gradient by the parameter's name",
            _update_same_keys,
            "the gradient of params['W1'] is stored under 'dW1': use grads['d' + name].",
        ),
        mistake(
            "changed params in place",
            _update_in_place,
            "params[name] -= lr * grads['d' + name] overwrites the caller's arrays: the training "
            "loop (and anyone comparing old and new parameters) loses the old ones. Build a new "
            "dict: {name: value - lr * grads['d' + name] for name, value in params.items()}.",
        ),
    ],
    keeps_inputs=("params", "grads"),
)

# %% nbgrader={"grade": true, "grade_id": "update-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""update: V - lr * dV for every parameter, in a new dict."""
check("update", update)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("06_shallow_network", "update", update)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 6: `predict` (2 points)
#
# Labels from your `forward`: 1 where the output probability is at least 0.5, else 0, as an
# integer array of shape `(N, n_y)`, the shape of `Y`.


# %% nbgrader={"grade": false, "grade_id": "predict", "locked": false, "schema_version": 3, "solution": true}
def predict(X, params):
    """Labels predicted by the network.

    X: (N, D) inputs; params: the network's parameters.
    Returns an (N, n_y) integer array: 1 where forward's probability is >= 0.5, else 0.
    """
    ### BEGIN SOLUTION
    probs, _ = forward(X, params)
    return (probs >= 0.5).astype(int)
    ### END SOLUTION


# %% tags=["spec"]
def _predict_probabilities(X, params):
    return forward(X, params)[0]


def _predict_scores_threshold(X, params):
    _, cache = forward(X, params)
    return (cache["Z2"] > 0.5).astype(int)


def _predict_argmax(X, params):
    return np.argmax(forward(X, params)[0], axis=1)


def _zero_bias_params(rng, d, h, n_y):
    """Random weights with zero biases: an input row of zeros scores exactly 0, probability 0.5."""
    params = _random_params(rng, d, h, n_y)
    params["b1"] = np.zeros(h)
    params["b2"] = np.zeros(n_y)
    return params


def _predict_cases(rng):
    out = []
    for n, d, h, n_y, note in [
        (40, 2, 4, 1, "40 random points"),
        (1, 3, 5, 1, "a batch of one"),
        (25, 2, 3, 2, "two outputs"),
    ]:
        out.append(case(rng.normal(size=(n, d)) * 2, _random_params(rng, d, h, n_y), note=note))
    X, _ = make_flower(60, seed=int(rng.integers(1000)))
    out.append(case(X, _random_params(rng, 2, 6, 1), note="flower points"))
    X = rng.normal(size=(8, 3))
    X[[1, 4, 5]] = 0.0
    out.append(
        case(X, _zero_bias_params(rng, 3, 4, 2), note="zero rows, zero biases: probabilities 0.5")
    )
    X = np.array([[0.0, 0.0], [1.0, 2.0], [0.0, 0.0], [-1.0, 0.5]])
    out.append(case(X, _zero_bias_params(rng, 2, 3, 1), note="two rows scoring exactly 0"))
    return out


exercise(
    "predict",
    public=[
        case(_PUBLIC_X, _PUBLIC_PARAMS, note="the 4 points and network of forward's first check"),
        case(
            np.array([[0.0, 0.0], [1.0, 2.0], [-2.0, 0.5], [0.5, -0.5], [3.0, -1.0], [-1.0, -1.0]]),
            {
                "W1": np.array([[1.0, -0.5], [0.5, 1.0]]),
                "b1": np.array([0.3, -0.2]),
                "W2": np.array([[0.8], [0.6]]),
                "b2": np.array([0.1]),
            },
            note="6 points, 2 hidden units",
        ),
    ],
    hidden=_predict_cases,
    mistakes=[
        mistake(
            "returned probabilities",
            _predict_probabilities,
            "predict returns labels: (probs >= 0.5).astype(int).",
        ),
        mistake(
            "thresholded the scores at 0.5",
            _predict_scores_threshold,
            "0.5 is a threshold on the probability A2 = sigmoid(Z2), not on the score Z2 "
            "(a score of 0.2 is a probability of 0.55).",
        ),
        mistake(
            "argmax over the outputs",
            _predict_argmax,
            "each output is its own yes/no probability (a sigmoid, not a softmax): threshold "
            "every one at 0.5 and keep the shape (N, n_y). With one output, argmax is always 0.",
        ),
    ],
    uses=("forward",),
    driver="autograder.modules.shallow_network:predict_through_forward",
)

# %% nbgrader={"grade": true, "grade_id": "predict-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""predict: (N, n_y) labels 0/1 from forward's probabilities."""
check("predict", predict, forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("06_shallow_network", "predict", predict, forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Training the network
#
# Your five functions make a training loop. Each iteration is one **forward** pass (predictions
# and cost), one **backward** pass (gradients) and one **update**:


# %%
needs("init_params", "forward", "compute_cost", "backward", "update", "predict")


def fit(X, Y, n_h, learning_rate=1.2, num_iters=5000, seed=0, progress=True):
    """Train a one-hidden-layer network by batch gradient descent; returns (params, costs)."""
    params = init_params(X.shape[1], n_h, Y.shape[1], seed)
    costs = np.zeros(num_iters)
    for i in tqdm(range(num_iters), desc=f"{n_h} hidden units", disable=not progress):
        probs, cache = forward(X, params)
        costs[i] = compute_cost(probs, Y)
        grads = backward(params, cache, X, Y)
        params = update(params, grads, learning_rate)
    return params, costs


params, costs = fit(X_train, Y_train, n_h=4)

train_accuracy = np.mean(predict(X_train, params) == Y_train)
test_accuracy = np.mean(predict(X_test, params) == Y_test)
print(f"4 hidden units: training accuracy {train_accuracy:.3f}, test accuracy {test_accuracy:.3f}")
assert train_accuracy > 0.85 and test_accuracy > 0.85, "the network should learn the flower"
assert test_accuracy > linear_accuracy + 0.2, "and beat logistic regression by far"

# %%
needs("init_params", "forward", "compute_cost", "backward", "update", "predict")
fig, (ax_cost, ax_map) = plt.subplots(1, 2, figsize=(10, 4.2))
ax_cost.plot(costs)
ax_cost.set_xlabel("iteration")
ax_cost.set_ylabel("cost")
ax_cost.set_title("training cost")
plot_decision_boundary(
    ax_map,
    lambda P: forward(P, params)[0],
    X_test,
    y_test,
    f"4 hidden units on the test set: accuracy {test_accuracy:.2f}",
)
plt.show()

# %% [markdown]
# **A look inside.** Each hidden unit is a logistic-regression-like neuron: its activation
# $\tanh(x \cdot W_1[:, j] + b_1[j])$ changes sign along a straight line. The output unit weighs
# the four (by $W_2$) and adds them up; the curved boundary on the right above is that weighted
# sum crossing zero.

# %%
needs("init_params", "forward", "compute_cost", "backward", "update", "predict")
grid_1, grid_2 = np.meshgrid(np.linspace(-5, 5, 120), np.linspace(-5, 5, 120))
grid = np.column_stack([grid_1.ravel(), grid_2.ravel()])
_, grid_cache = forward(grid, params)
fig, axes = plt.subplots(1, 4, figsize=(13, 3.3))
for j, ax in enumerate(axes):
    activation = grid_cache["A1"][:, j].reshape(grid_1.shape)
    ax.contourf(grid_1, grid_2, activation, levels=np.linspace(-1, 1, 11), cmap="PuOr_r")
    ax.contour(grid_1, grid_2, activation, levels=[0.0], colors="black", linewidths=0.8)
    ax.set_title(f"unit {j}: output weight {params['W2'][j, 0]:+.2f}", fontsize=9)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("activation of each hidden unit (purple = -1, orange = +1)", fontsize=10)
plt.show()

# %% [markdown]
# ## 5. How many hidden units?
#
# The cell below trains one network per hidden-layer size (a few seconds in all); the slider then
# shows each one. Things to notice:
#
# * **1 or 2 units** are too few: one or two lines cannot wrap around four petals (but already
#   beat logistic regression);
# * **3 to 5 units** get the flower's shape, with test accuracy close to training accuracy;
# * **20 or 50 units** reach a higher *training* accuracy, with boundaries that bend around
#   individual noisy points, and their *test* accuracy drops: the network has begun to memorise
#   its 200 training points instead of learning the flower. That is **overfitting**, and
#   module 09 is about fighting it.

# %%
needs("init_params", "forward", "compute_cost", "backward", "update", "predict")
hidden_sizes = [1, 2, 3, 4, 5, 10, 20, 50]


def train_and_score(n_h):
    """Probability map over the grid, training and test accuracy of a fresh network."""
    size_params, _ = fit(X_train, Y_train, n_h, progress=False)
    return (
        forward(grid, size_params)[0].reshape(grid_1.shape),
        np.mean(predict(X_train, size_params) == Y_train),
        np.mean(predict(X_test, size_params) == Y_test),
    )


trained_sizes = {n_h: train_and_score(n_h) for n_h in tqdm(hidden_sizes, desc="hidden-layer sizes")}


def show_hidden_size(n_h=4):
    fig, (ax_map, ax_bars) = plt.subplots(1, 2, figsize=(10, 4.2))
    probs_map, train_acc, test_acc = trained_sizes[n_h]
    ax_map.contourf(
        grid_1, grid_2, probs_map, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55
    )
    ax_map.contour(grid_1, grid_2, probs_map, levels=[0.5], colors="black", linewidths=1)
    ax_map.scatter(*X_train[y_train == 0].T, s=9, c="tab:blue")
    ax_map.scatter(*X_train[y_train == 1].T, s=9, c="tab:orange")
    ax_map.set_aspect("equal")
    ax_map.set_title(f"{n_h} hidden units: train {train_acc:.2f}, test {test_acc:.2f}", fontsize=10)
    positions = np.arange(len(hidden_sizes))
    ax_bars.bar(positions - 0.2, [trained_sizes[h][1] for h in hidden_sizes], 0.4, label="train")
    ax_bars.bar(positions + 0.2, [trained_sizes[h][2] for h in hidden_sizes], 0.4, label="test")
    ax_bars.axvspan(
        hidden_sizes.index(n_h) - 0.5, hidden_sizes.index(n_h) + 0.5, color="gold", alpha=0.3
    )
    ax_bars.set_xticks(positions, [str(h) for h in hidden_sizes])
    ax_bars.set_xlabel("hidden units")
    ax_bars.set_ylim(0.5, 1.0)
    ax_bars.set_title("accuracy")
    ax_bars.legend(loc="lower right")
    plt.show()


size_explorer = widgets.interact(
    show_hidden_size,
    n_h=widgets.SelectionSlider(options=hidden_sizes, value=4, description="units"),
)

# %% [markdown]
# ## 6. Why the weights must start random
#
# Start every weight at the same value, here 0.5, and train as before. Every hidden unit computes
# the same function, so every one receives the same gradient, and they stay identical: the
# columns of `W1` below are equal after 2,000 steps, and 4 units are no better than 1.

# %%
needs("forward", "backward", "update", "predict")
same_start = {
    "W1": np.full((2, 4), 0.5),
    "b1": np.zeros(4),
    "W2": np.full((4, 1), 0.5),
    "b2": np.zeros(1),
}
for _ in tqdm(range(2000), desc="identical start"):
    probs, cache = forward(X_train, same_start)
    same_start = update(same_start, backward(same_start, cache, X_train, Y_train), 1.2)
print("W1 after training, one column per hidden unit:\n", same_start["W1"].round(4))
print("training accuracy:", np.mean(predict(X_train, same_start) == Y_train).round(3))

# %% [markdown]
# **Next:** module 07 cuts this network into reusable layers, each with its own forward and
# backward pass, swaps tanh for ReLU and the single output for a softmax over ten classes, and
# stacks as many layers as you like to read handwritten digits.
