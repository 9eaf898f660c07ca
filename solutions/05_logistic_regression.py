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
# # 05 · Logistic regression: a neural network with one neuron
#
# **Why this matters.** Every neuron in every network of this course does the same two things:
# it takes a weighted sum of its inputs, $z = w \cdot x + b$, and passes it through a
# non-linearity. Put a single such neuron behind a sigmoid and train it with gradient descent on
# the cross-entropy loss, and you have **logistic regression**, the classifier doctors, banks and
# spam filters have used for decades. It is also the smallest network there is: the forward
# pass, the loss, the backward pass and the training loop you write today have exactly the shape
# of those you will write for deep networks in modules 06 to 08. Only the middle gets bigger.
#
# By the end of this notebook your neuron will read thirty measurements of a breast tumour and
# say whether it is malignant, right about 97 times in 100 on patients it never saw.
#
# **Five graded exercises, 12 points:**
#
# | exercise | points |
# |---|---|
# | 1. `sigmoid` | 2 |
# | 2. `logistic_forward_backward` | 4 |
# | 3. `train_logistic` | 3 |
# | 4. `predict` | 2 |
# | 5. `accuracy` | 1 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("05_logistic_regression")

# %% [markdown]
# ## 1. A problem a straight line can solve
#
# Two kinds of points in the plane, labelled $y = 0$ (blue) and $y = 1$ (orange). We want a rule
# that, given a new point $x = (x_1, x_2)$, says how likely it is to be orange. The clouds
# overlap, so no rule is always right: a good one is *confident* far from the overlap and
# *unsure* in it. That is what a probability is for.

# %%
rng = np.random.default_rng(0)
num_per_class = 100
X_toy = np.vstack(
    [
        rng.normal(loc=[-1.0, -0.5], scale=1.0, size=(num_per_class, 2)),
        rng.normal(loc=[1.2, 1.0], scale=1.0, size=(num_per_class, 2)),
    ]
)
y_toy = np.repeat([0, 1], num_per_class)
print("X_toy", X_toy.shape, "y_toy", y_toy.shape, "share of ones:", y_toy.mean())

plt.figure(figsize=(4.5, 4))
plt.scatter(*X_toy[y_toy == 0].T, s=14, label="y = 0")
plt.scatter(*X_toy[y_toy == 1].T, s=14, label="y = 1")
plt.xlabel("$x_1$")
plt.ylabel("$x_2$")
plt.legend()
plt.title("two overlapping classes")
plt.show()

# %% [markdown]
# ### The model
#
# One neuron computes a **score** and squashes it into a probability:
#
# $$z = w \cdot x + b = w_1 x_1 + w_2 x_2 + b, \qquad \hat y = \sigma(z) = \frac{1}{1 + e^{-z}}.$$
#
# $\hat y$ is the model's probability that $y = 1$. The **sigmoid** $\sigma$ maps any real score
# to $(0, 1)$: a score of $0$ gives $0.5$, large positive scores approach $1$, large negative ones
# approach $0$. The points where $z = 0$ form a straight line, the **decision boundary**: on one
# side the neuron says "more likely 1", on the other "more likely 0".
#
# **A worked example.** With $w = (0.5, -0.25)$, $b = 0.1$ and the point $x = (1, 2)$:
# $z = 0.5 \cdot 1 - 0.25 \cdot 2 + 0.1 = 0.1$, so $\hat y = \sigma(0.1) = 1/(1 + e^{-0.1}) \approx 0.525$:
# barely more likely orange than blue. The point sits just on the orange side of the line.
#
# **Batches.** We never score one point at a time. Stack $N$ points as the rows of a matrix
# $X$ of shape $(N, D)$; then all $N$ scores are one matrix-vector product,
# $z = X w + b$, of shape $(N,)$ (the scalar $b$ is broadcast to every row).
#
# ### Exercise 1: `sigmoid` (2 points)
#
# The formula $1/(1 + e^{-z})$ has a trap. For $z = -1000$ it computes $e^{1000}$, which is far
# beyond the largest float64 ($\approx 1.8 \times 10^{308}$): NumPy returns `inf` with an
# overflow warning. Here the final answer happens to come out right ($1/\infty = 0$), but the
# `inf` is a bug waiting for its moment: in float32, or followed by a log, it becomes a NaN.
#
# The fix uses the two equivalent forms of the sigmoid,
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}},$$
#
# and always exponentiates a **non-positive** number, which can only underflow harmlessly to 0:
# with $e = e^{-|z|}$, $\sigma(z) = 1/(1 + e)$ when $z \ge 0$ and $e/(1 + e)$ when $z < 0$.
#
# Requirements: any shape of input, including a plain Python number and integer arrays (the
# output is always float); no overflow anywhere (the check turns overflow warnings into errors).
# Careful: `np.where(cond, a, b)` computes **both** `a` and `b` for every element before choosing,
# so the dangerous exponential must not appear in either branch.


# %% nbgrader={"grade": false, "grade_id": "sigmoid", "locked": false, "schema_version": 3, "solution": true}
def sigmoid(z):
    """Numerically stable logistic sigmoid, elementwise.

    z: a number or an array of any shape (ints or floats).
    Returns a float array of the same shape (0-d for a number), values in [0, 1].
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _sigmoid_overflow(z):
    return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_masked_empty_like(z):
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def _sigmoid_astype(z):
    z = z.astype(np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


exercise(
    "sigmoid",
    public=[
        case(np.array([-2.0, 0.0, 2.0]), note="a few ordinary scores"),
        case(np.array([[-1000.0, -30.0], [30.0, 1000.0]]), note="huge scores: no overflow allowed"),
        case(np.array([-3, 0, 5]), note="an integer array: the result is float"),
        case(1.5, note="a plain Python number"),
        case(0.1, note="the worked example: sigmoid(0.1) is about 0.525"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(4, 5)) * 3.0, note="random scores, 4 x 5"),
        case(rng.normal(size=(1, 1)), note="a batch of one"),
        case(np.array([-745.5, -710.0, -100.0, 710.0, 1e4]), note="scores near float64's limits"),
        case(rng.integers(-20, 20, size=7), note="random integers"),
        case(-2.5, note="a negative Python number"),
        case(rng.normal(size=(2, 3, 4)) * 50.0, note="a 3-d array of large scores"),
    ],
    mistakes=[
        mistake(
            "exp overflows for large |z|",
            _sigmoid_overflow,
            "1 / (1 + np.exp(-z)) computes exp(1000) when z = -1000 (and e^z / (1 + e^z) does the "
            "same for z = +1000). Exponentiate only non-positive numbers: e = np.exp(-np.abs(z)), "
            "then 1 / (1 + e) where z >= 0 and e / (1 + e) elsewhere. np.where evaluates both "
            "branches, so neither may contain the overflowing exponential.",
        ),
        mistake(
            "output takes the input's dtype",
            _sigmoid_masked_empty_like,
            "np.empty_like(z) has z's dtype, so integer scores give an integer array and every "
            "probability is truncated to 0; indexing also fails on a plain number. Convert first: "
            "z = np.asarray(z, dtype=float).",
        ),
        mistake(
            "fails on a plain number",
            _sigmoid_astype,
            "a Python float has no .astype method. np.asarray(z, dtype=float) converts numbers, "
            "lists and arrays alike.",
        ),
    ],
    driver="autograder.modules.logistic_regression:no_overflow",
)

# %% nbgrader={"grade": true, "grade_id": "sigmoid-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""sigmoid: elementwise, any shape, float output, no overflow for huge |z|."""
check("sigmoid", sigmoid)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("05_logistic_regression", "sigmoid", sigmoid)
### END HIDDEN TESTS

# %% [markdown]
# Here is your sigmoid with its derivative. The derivative has a tidy form,
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, at most $1/4$ (at $z = 0$) and nearly zero once
# $|z| > 5$: a neuron that is very sure of itself learns slowly. Keep that in mind for module 09.

# %%
needs("sigmoid")
z_grid = np.linspace(-8, 8, 401)
s = sigmoid(z_grid)
plt.figure(figsize=(6, 3))
plt.plot(z_grid, s, label=r"$\sigma(z)$")
plt.plot(z_grid, s * (1 - s), label=r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$")
plt.axhline(0.5, color="gray", lw=0.5)
plt.axvline(0.0, color="gray", lw=0.5)
plt.xlabel("z")
plt.legend()
plt.show()
print("sigmoid at -1000, 0, 1000:", sigmoid(np.array([-1000.0, 0.0, 1000.0])))

# %% [markdown]
# ## 2. The cost and its gradient
#
# How wrong is a probability $\hat y$ for a label $y$? The **cross-entropy** (module 03) charges
# $-\log \hat y$ when $y = 1$ and $-\log(1 - \hat y)$ when $y = 0$; in one formula,
#
# $$\mathcal{L}(\hat y, y) = -\big[\, y \log \hat y + (1 - y) \log (1 - \hat y) \,\big].$$
#
# Saying 0.99 when the answer is 1 costs $0.01$; saying 0.01 costs $4.6$; saying 0 costs
# infinity. The **cost** of the parameters is the average over the $N$ examples,
#
# $$J(w, b) = \frac{1}{N} \sum_{i=1}^{N} \mathcal{L}\big(\sigma(x_i \cdot w + b),\, y_i\big).$$
#
# Why not the squared error we used for linear regression? Behind a sigmoid, the squared error is
# not convex and its gradient vanishes when the neuron is confidently wrong; the cross-entropy is
# convex in $(w, b)$ and punishes confident mistakes hardest. (A numerically tidy way to write the
# same loss is $\log(1 + e^{z}) - y z$, `np.logaddexp(0, z) - y * z`, which never takes $\log 0$.
# Either form passes the checks.)
#
# **The gradient, by the chain rule.** For one example, $\partial \mathcal{L}/\partial \hat y =
# -y/\hat y + (1 - y)/(1 - \hat y)$ and $\partial \hat y / \partial z = \hat y (1 - \hat y)$.
# Multiply them and almost everything cancels:
#
# $$\frac{\partial \mathcal{L}}{\partial z} = \hat y - y.$$
#
# The error signal is simply *prediction minus truth*. Since $z = x \cdot w + b$,
# $\partial z / \partial w = x$ and $\partial z / \partial b = 1$. Averaging over the batch and
# writing it with matrices (check the shapes: $X^\top$ is $(D, N)$, $\hat y - y$ is $(N,)$):
#
# $$dw = \frac{\partial J}{\partial w} = \frac{1}{N} X^\top (\hat y - y) \quad (D,), \qquad
#   db = \frac{\partial J}{\partial b} = \frac{1}{N} \sum_{i=1}^{N} (\hat y_i - y_i) \quad \text{(a number)}.$$
#
# ### Exercise 2: `logistic_forward_backward` (4 points)
#
# Write the **forward pass** (scores, probabilities, cost) and the **backward pass** (the two
# gradients) in one vectorised function: no loop over examples. Return the cost and `db` as
# plain numbers (`float(...)`), `dw` as an array shaped like `w`.
#
# The check compares your answers with the expected ones, and also runs a **gradient check**: it
# nudges each weight by $\pm h$, measures how your own cost changes,
# $\frac{J(w + h e_j) - J(w - h e_j)}{2h}$, and compares that with your `dw`. If the two
# disagree, your cost and your gradient cannot both be right, and the message says which element
# and how (a factor of $N$, a sign...).


# %% nbgrader={"grade": false, "grade_id": "logistic-forward-backward", "locked": false, "schema_version": 3, "solution": true}
def logistic_forward_backward(w, b, X, y):
    """Cost of logistic regression and its gradient, for a batch.

    w: (D,) weights; b: a number (the bias);
    X: (N, D) inputs, one example per row; y: (N,) labels in {0, 1}.
    Returns (cost, dw, db): cost, the mean cross-entropy (a float);
    dw (D,), the gradient of the cost with respect to w; db (a float), its gradient in b.
    """
    ### BEGIN SOLUTION
    num_examples = X.shape[0]
    scores = X @ w + b
    error = sigmoid(scores) - y
    cost = np.mean(np.logaddexp(0.0, scores) - y * scores)
    dw = X.T @ error / num_examples
    db = np.sum(error) / num_examples
    return float(cost), dw, float(db)
    ### END SOLUTION


# %% tags=["spec"]
def _lfb_cost_summed(w, b, X, y):
    a = sigmoid(X @ w + b)
    cost = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a))
    dz = (a - y) / X.shape[0]
    return float(cost), X.T @ dz, float(np.sum(dz))


def _lfb_gradients_not_averaged(w, b, X, y):
    a = sigmoid(X @ w + b)
    cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    dz = a - y
    return float(cost), X.T @ dz, float(np.sum(dz))


def _lfb_sign_flipped(w, b, X, y):
    a = sigmoid(X @ w + b)
    cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    dz = (y - a) / X.shape[0]
    return float(cost), X.T @ dz, float(np.sum(dz))


def _lfb_db_not_summed(w, b, X, y):
    a = sigmoid(X @ w + b)
    cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    dz = (a - y) / X.shape[0]
    return float(cost), X.T @ dz, dz


def _lfb_cases(rng):
    def one(n, d, scale=1.0, labels=None):
        X = rng.normal(size=(n, d))
        w = rng.normal(size=d) * scale
        y = rng.integers(0, 2, size=n) if labels is None else np.full(n, labels)
        return X, w, y

    cases = []
    for (n, d, scale, labels), note in [
        ((1, 4, 1.0, None), "a batch of one"),
        ((17, 3, 1.0, None), "random, 17 examples"),
        ((2, 6, 1.0, None), "more features than examples"),
        ((12, 2, 1.0, 1), "every label is 1"),
        ((8, 5, 2.0, None), "large weights: confident predictions"),
    ]:
        X, w, y = one(n, d, scale, labels)
        cases.append(case(w, float(rng.normal()), X, y, note=note))
    return cases


exercise(
    "logistic_forward_backward",
    public=[
        case(
            np.array([0.5, -0.25]),
            0.1,
            np.array([[1.0, 2.0], [-1.0, 0.5], [0.5, -1.5], [2.0, 1.0]]),
            np.array([1, 0, 0, 1]),
            note="N=4 examples, D=2 features",
        ),
        case(
            np.array([1.0, -2.0, 0.5]),
            -0.3,
            np.array([[0.2, 0.1, -1.0], [1.5, -0.5, 0.0], [-0.7, 0.3, 2.0]]),
            np.array([0, 1, 1]),
            note="N=3, D=3",
        ),
        case(
            np.array([2.0]),
            0.0,
            np.array([[-1.0], [0.0], [1.0], [2.0], [-2.0]]),
            np.array([0, 1, 1, 1, 0]),
            note="one feature, zero bias",
        ),
    ],
    hidden=_lfb_cases,
    mistakes=[
        mistake(
            "cost summed instead of averaged",
            _lfb_cost_summed,
            "the cost is the mean of the per-example losses (np.mean), not their sum; "
            "your gradients are averages, so the cost must be too.",
        ),
        mistake(
            "gradients not averaged",
            _lfb_gradients_not_averaged,
            "the cost is an average over N examples, so its gradients are averages too: "
            "dw = X.T @ (y_hat - y) / N and db = np.sum(y_hat - y) / N.",
        ),
        mistake(
            "gradient sign flipped",
            _lfb_sign_flipped,
            "dL/dz = y_hat - y (prediction minus truth), not y - y_hat. With the sign flipped, "
            "gradient descent climbs the cost instead of descending it.",
        ),
        mistake(
            "db not summed over the batch",
            _lfb_db_not_summed,
            "b is one number, so db is one number: sum (y_hat - y) / N over the examples "
            "instead of returning one value per example.",
        ),
    ],
    uses=("sigmoid",),
    driver="autograder.modules.logistic_regression:logistic_gradient_check",
    outputs=("gradient check", "cost", "dw", "db"),
    advisory=("gradient check",),
    rtol=1e-6,
    atol=1e-9,
)

# %% nbgrader={"grade": true, "grade_id": "logistic-forward-backward-tests", "locked": true, "points": 4, "schema_version": 3, "solution": false}
"""logistic_forward_backward: mean cross-entropy, dw and db, checked numerically."""
check("logistic_forward_backward", logistic_forward_backward, sigmoid)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "05_logistic_regression", "logistic_forward_backward", logistic_forward_backward, sigmoid
)
### END HIDDEN TESTS

# %% [markdown]
# With all weights at zero, every $\hat y$ is $0.5$ and the cost is $\log 2 \approx 0.693$ whatever
# the data: the cost of a coin toss. That is where training starts.

# %%
needs("logistic_forward_backward")
cost0, dw0, db0 = logistic_forward_backward(np.zeros(2), 0.0, X_toy, y_toy)
print(f"cost at zero weights: {cost0:.4f} (log 2 = {np.log(2):.4f})")
print("gradient there:", dw0, db0, "-> the weights will move against it")

# %% [markdown]
# ## 3. Learning: gradient descent
#
# Start from $w = 0$, $b = 0$ and repeat: compute the cost and its gradient, then step against
# the gradient,
#
# $$w \leftarrow w - \alpha\, dw, \qquad b \leftarrow b - \alpha\, db,$$
#
# with the learning rate $\alpha$ (`lr`). Because the cost is convex, this slides down to the
# single best $(w, b)$ when $\alpha$ is not too large.
#
# ### Exercise 3: `train_logistic` (3 points)
#
# Run `num_iters` steps of gradient descent from zeros (`w` of shape `(D,)`, `b = 0.0`), calling
# your `logistic_forward_backward`. Record the cost of **every** iteration, computed *before*
# that iteration's step, so `costs[0]` is the cost at zero weights and `costs` has `num_iters`
# values. Nothing random: the same inputs always give the same result.


# %% nbgrader={"grade": false, "grade_id": "train-logistic", "locked": false, "schema_version": 3, "solution": true}
def train_logistic(X, y, lr, num_iters):
    """Fit logistic regression by batch gradient descent, starting from zero weights.

    X: (N, D) inputs; y: (N,) labels in {0, 1}; lr: learning rate (a positive number);
    num_iters: number of gradient steps.
    Returns (w, b, costs): w (D,) and b (a float) after the last step, and costs (num_iters,),
    the cost before each step.
    """
    ### BEGIN SOLUTION
    w = np.zeros(X.shape[1])
    b = 0.0
    costs = []
    for _ in range(num_iters):
        cost, dw, db = logistic_forward_backward(w, b, X, y)
        costs.append(cost)
        w = w - lr * dw
        b = b - lr * db
    return w, b, np.array(costs)
    ### END SOLUTION


# %% tags=["spec"]
def _train_ascent(X, y, lr, num_iters):
    w, b, costs = np.zeros(X.shape[1]), 0.0, []
    for _ in range(num_iters):
        cost, dw, db = logistic_forward_backward(w, b, X, y)
        costs.append(cost)
        w, b = w + lr * dw, b + lr * db
    return w, b, np.array(costs)


def _train_bias_frozen(X, y, lr, num_iters):
    w, b, costs = np.zeros(X.shape[1]), 0.0, []
    for _ in range(num_iters):
        cost, dw, db = logistic_forward_backward(w, b, X, y)
        costs.append(cost)
        w = w - lr * dw
    return w, b, np.array(costs)


def _train_costs_every_100(X, y, lr, num_iters):
    w, b, costs = np.zeros(X.shape[1]), 0.0, []
    for i in range(num_iters):
        cost, dw, db = logistic_forward_backward(w, b, X, y)
        if i % 100 == 0:
            costs.append(cost)
        w, b = w - lr * dw, b - lr * db
    return w, b, np.array(costs)


def _train_cases(rng):
    out = []
    for n, d, lr, iters, note in [
        (1, 3, 0.3, 10, "a batch of one"),
        (30, 4, 1.0, 25, "30 examples, 4 features"),
        (9, 2, 5.0, 8, "a large learning rate"),
        (5, 7, 0.05, 3, "more features than examples"),
    ]:
        X = rng.normal(size=(n, d))
        y = (X @ rng.normal(size=d) + 0.5 * rng.normal(size=n) > 0).astype(int)
        out.append(case(X, y, lr, iters, note=note))
    return out


exercise(
    "train_logistic",
    public=[
        case(
            np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0], [-1.0, -1.0], [-2.0, 0.0], [0.0, -2.0]]),
            np.array([1, 1, 1, 0, 0, 0]),
            0.5,
            5,
            note="6 separable points, 5 steps",
        ),
        case(
            np.array([[1.0, 0.0, 2.0], [0.5, -1.0, 0.0], [-1.0, 2.0, 1.0], [0.0, 0.5, -0.5]]),
            np.array([0, 1, 1, 0]),
            0.1,
            3,
            note="3 features, 3 small steps",
        ),
    ],
    hidden=_train_cases,
    mistakes=[
        mistake(
            "stepped up the gradient",
            _train_ascent,
            "gradient descent moves against the gradient: w = w - lr * dw, b = b - lr * db. "
            "With + the cost goes up at every step.",
        ),
        mistake(
            "b never updated",
            _train_bias_frozen,
            "the bias is a parameter too: update it with b = b - lr * db at every step.",
        ),
        mistake(
            "costs recorded every 100 steps",
            _train_costs_every_100,
            "record the cost of every iteration (before its step): costs should have "
            "num_iters values.",
        ),
    ],
    uses=("logistic_forward_backward",),
    driver="autograder.modules.logistic_regression:train_logistic_run",
    outputs=("w", "b", "costs"),
)

# %% nbgrader={"grade": true, "grade_id": "train-logistic-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""train_logistic: deterministic gradient descent from zeros, one cost per step."""
check("train_logistic", train_logistic, logistic_forward_backward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("05_logistic_regression", "train_logistic", train_logistic, logistic_forward_backward)
### END HIDDEN TESTS

# %% [markdown]
# Train on the two clouds and watch the cost fall from $\log 2$. The right-hand picture is the
# neuron's probability $\hat y$ over the whole plane: the black line is the decision boundary
# $w \cdot x + b = 0$, where $\hat y = 0.5$.

# %%
needs("sigmoid", "train_logistic")
w_toy, b_toy, costs_toy = train_logistic(X_toy, y_toy, lr=0.5, num_iters=200)
print("w =", w_toy, " b =", round(b_toy, 4), " final cost =", round(costs_toy[-1], 4))


def plot_boundary(ax, w, b, X, y, title=""):
    """Probability map of a logistic regression in 2-D, with the data and the line z = 0."""
    x1, x2 = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-4.5, 4.5, 200))
    grid = np.column_stack([x1.ravel(), x2.ravel()])
    probs = sigmoid(grid @ w + b).reshape(x1.shape)
    ax.contourf(x1, x2, probs, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(x1, x2, probs, levels=[0.5], colors="black")
    ax.scatter(*X[y == 0].T, s=10, c="tab:blue", edgecolors="white", linewidths=0.3)
    ax.scatter(*X[y == 1].T, s=10, c="tab:orange", edgecolors="white", linewidths=0.3)
    ax.set_xlim(-4.5, 4.5)
    ax.set_ylim(-4.5, 4.5)
    ax.set_title(title)


fig, (ax_cost, ax_map) = plt.subplots(1, 2, figsize=(10, 4))
ax_cost.plot(costs_toy)
ax_cost.axhline(np.log(2), color="gray", ls="--", lw=0.8, label="log 2 (a coin toss)")
ax_cost.set_xlabel("iteration")
ax_cost.set_ylabel("cost J(w, b)")
ax_cost.set_title("the loss curve")
ax_cost.legend()
plot_boundary(ax_map, w_toy, b_toy, X_toy, y_toy, "probability of y = 1 and the decision boundary")
plt.show()

# %% [markdown]
# ## 4. From probabilities to answers
#
# ### Exercise 4: `predict` (2 points)
#
# Turn probabilities into labels: predict $1$ when $\hat y \ge 0.5$, else $0$. Return an integer
# array of shape `(N,)`. (Since $\sigma(z) \ge 0.5$ exactly when $z \ge 0$, you could also
# threshold the score at $0$; thresholding the *score* at $0.5$ would be a different rule.)


# %% nbgrader={"grade": false, "grade_id": "predict", "locked": false, "schema_version": 3, "solution": true}
def predict(w, b, X):
    """Labels predicted by logistic regression.

    w: (D,) weights; b: a number; X: (N, D) inputs.
    Returns an (N,) integer array: 1 where sigmoid(X @ w + b) >= 0.5, else 0.
    """
    ### BEGIN SOLUTION
    return (sigmoid(X @ w + b) >= 0.5).astype(int)
    ### END SOLUTION


# %% tags=["spec"]
def _predict_probabilities(w, b, X):
    return sigmoid(X @ w + b)


def _predict_score_threshold(w, b, X):
    return (X @ w + b > 0.5).astype(int)


def _predict_no_bias(w, b, X):
    return (sigmoid(X @ w) >= 0.5).astype(int)


def _predict_strict(w, b, X):
    return (sigmoid(X @ w + b) > 0.5).astype(int)


def _predict_cases(rng):
    out = []
    for n, d, scale, note in [
        (40, 3, 1.0, "40 random points"),
        (1, 5, 1.0, "a batch of one"),
        (25, 2, 0.3, "scores close to zero"),
        (6, 4, 100.0, "huge scores"),
    ]:
        X = rng.normal(size=(n, d)) * scale
        out.append(case(rng.normal(size=d), float(rng.uniform(0.1, 0.4)), X, note=note))
    X = rng.integers(-2, 3, size=(12, 2)).astype(float)
    out.append(case(np.array([1.0, 2.0]), -1.0, X, note="integer scores, several exactly 0"))
    return out


exercise(
    "predict",
    public=[
        case(
            np.array([1.0, -1.0]),
            0.2,
            np.array([[0.1, 0.1], [1.0, 0.0], [-1.0, 0.5], [0.3, 0.4], [0.0, 0.5]]),
            note="scores 0.2, 1.2, -1.3, 0.1, -0.3",
        ),
        case(
            np.array([0.5, 0.5, -1.0]),
            -0.25,
            np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0], [2.0, 0.0, 0.5], [0.2, 0.2, -0.1]]),
            note="scores 0.75, -1.25, 0.25, 0.05",
        ),
        case(
            np.array([1.0, -1.0]),
            0.0,
            np.array([[1.0, 1.0], [2.0, 3.0], [0.0, 0.0]]),
            note="scores 0, -1, 0: a probability of exactly 0.5 is label 1",
        ),
    ],
    hidden=_predict_cases,
    mistakes=[
        mistake(
            "returned probabilities",
            _predict_probabilities,
            "predict returns labels 0 or 1: compare the probabilities with 0.5 and convert, "
            "e.g. (probs >= 0.5).astype(int).",
        ),
        mistake(
            "thresholded the score at 0.5",
            _predict_score_threshold,
            "0.5 is the threshold for the probability sigmoid(z), which corresponds to z >= 0 "
            "for the score. A score of 0.2 is a probability of 0.55: label 1.",
        ),
        mistake(
            "forgot the bias",
            _predict_no_bias,
            "the score is X @ w + b: without b the decision boundary is forced through the origin.",
        ),
        mistake(
            "strict > at the threshold",
            _predict_strict,
            "the rule is 1 where the probability is >= 0.5: a score of exactly 0 gives a "
            "probability of exactly 0.5, and its label is 1. Compare with >=, not >.",
        ),
    ],
    uses=("sigmoid",),
    driver="autograder.modules.logistic_regression:through_sigmoid",
)

# %% nbgrader={"grade": true, "grade_id": "predict-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""predict: 0/1 labels from the probability threshold 0.5."""
check("predict", predict, sigmoid)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("05_logistic_regression", "predict", predict, sigmoid)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5: `accuracy` (1 point)
#
# The share of predictions that equal the true labels, a float between 0 and 1:
# $\text{accuracy} = \frac{1}{N} \sum_i [\hat y_i = y_i]$. A comparison of two arrays gives
# booleans, and the mean of booleans counts the `True`s as ones.


# %% nbgrader={"grade": false, "grade_id": "accuracy", "locked": false, "schema_version": 3, "solution": true}
def accuracy(y_true, y_pred):
    """Fraction of correct predictions.

    y_true, y_pred: (N,) integer labels.
    Returns a float in [0, 1].
    """
    ### BEGIN SOLUTION
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))
    ### END SOLUTION


# %% tags=["spec"]
def _accuracy_count(y_true, y_pred):
    return float(np.sum(y_true == y_pred))


def _accuracy_percent(y_true, y_pred):
    return float(100 * np.mean(y_true == y_pred))


def _accuracy_error_rate(y_true, y_pred):
    return float(np.mean(y_true != y_pred))


exercise(
    "accuracy",
    public=[
        case(np.array([1, 0, 1, 1]), np.array([1, 0, 0, 1]), note="3 right out of 4"),
        case(np.array([0, 0, 1]), np.array([0, 0, 1]), note="all right"),
        case(np.array([0, 1, 1, 0, 1]), np.array([1, 1, 0, 0, 0]), note="2 right out of 5"),
    ],
    hidden=lambda rng: [
        case(rng.integers(0, 2, size=50), rng.integers(0, 2, size=50), note="50 random labels"),
        case(np.array([1]), np.array([0]), note="a batch of one, wrong"),
        case(np.zeros(7, dtype=int), np.zeros(7, dtype=int), note="all zeros, all right"),
        case(rng.integers(0, 2, size=13), rng.integers(0, 2, size=13), note="13 random labels"),
    ],
    mistakes=[
        mistake(
            "counted instead of averaged",
            _accuracy_count,
            "accuracy is the fraction of correct predictions: divide the count by N (np.mean).",
        ),
        mistake(
            "a percentage",
            _accuracy_percent,
            "return a fraction between 0 and 1, not a percentage.",
        ),
        mistake(
            "error rate",
            _accuracy_error_rate,
            "that is the share of *wrong* predictions: compare with ==, not !=.",
        ),
    ],
    driver="autograder.checking.drivers:call_float",
)

# %% nbgrader={"grade": true, "grade_id": "accuracy-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""accuracy: the fraction of equal labels."""
check("accuracy", accuracy)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("05_logistic_regression", "accuracy", accuracy)
### END HIDDEN TESTS

# %%
needs("sigmoid", "train_logistic", "predict", "accuracy")
print(f"accuracy on the two clouds: {accuracy(y_toy, predict(w_toy, b_toy, X_toy)):.3f}")

# %% [markdown]
# ## 5. Play with the learning rate
#
# Each move of a slider retrains the neuron from zero on the two clouds. Things to try:
#
# * a tiny learning rate (0.001): after 100 steps the line has barely moved and the cost is still
#   near $\log 2$;
# * 0.5 to 10: fast, smooth descent to the same final cost (about 0.25) and the same line;
# * the right end of the slider (about 30): the first step overshoots, the cost jumps *above*
#   $\log 2$, and it never settles: it keeps bouncing around the minimum. A convex cost has one
#   valley, but a step longer than the valley is wide jumps over it. (Module 10 returns to this.)
# * very few iterations with a good rate: the boundary is already roughly right after 10 steps.


# %%
needs("sigmoid", "train_logistic", "predict", "accuracy")


def explore_training(learning_rate=0.5, num_iters=100):
    w, b, costs = train_logistic(X_toy, y_toy, learning_rate, num_iters)
    fig, (ax_cost, ax_map) = plt.subplots(1, 2, figsize=(10, 3.8))
    ax_cost.plot(costs)
    ax_cost.axhline(np.log(2), color="gray", ls="--", lw=0.8)
    ax_cost.set_ylim(0.0, 1.0)
    ax_cost.set_xlabel("iteration")
    ax_cost.set_title(f"final cost {costs[-1]:.3f}")
    acc = accuracy(y_toy, predict(w, b, X_toy))
    plot_boundary(ax_map, w, b, X_toy, y_toy, f"lr = {learning_rate:g}: accuracy {acc:.2f}")
    plt.show()


training_explorer = widgets.interact(
    explore_training,
    learning_rate=widgets.FloatLogSlider(value=0.5, base=10, min=-3, max=1.5, step=0.25),
    num_iters=widgets.IntSlider(value=100, min=1, max=300, step=1),
)

# %% [markdown]
# ## 6. A real problem: is this tumour malignant?
#
# scikit-learn ships the Wisconsin breast cancer data: 569 tumours, 30 measurements each
# (radius, texture, smoothness... of the cell nuclei in a biopsy image), 212 of them malignant.
# We set $y = 1$ for malignant and keep a quarter of the tumours aside as a **test set**.

# %%
cancer = load_breast_cancer()
X_all = cancer.data
y_all = (cancer.target == 0).astype(int)  # scikit-learn codes malignant as 0: we want 1
X_train_raw, X_test_raw, y_train, y_test = train_test_split(
    X_all, y_all, test_size=0.25, random_state=0, stratify=y_all
)
print(
    "train", X_train_raw.shape, "test", X_test_raw.shape, "share malignant:", y_all.mean().round(3)
)
print(
    "feature scales range from",
    X_all.std(axis=0).min().round(4),
    "to",
    X_all.std(axis=0).max().round(1),
)

# %% [markdown]
# The features live on wildly different scales (a mean area in the hundreds, a smoothness around
# 0.1). One learning rate cannot suit them all: the gradient descent of module 04 zig-zags down a
# long narrow valley. So we **standardise** every feature to mean 0 and standard deviation 1,
# using the mean and standard deviation of the **training** set only, for both sets: the test
# set must stay unseen, even by the preprocessing.

# %%
mean, std = X_train_raw.mean(axis=0), X_train_raw.std(axis=0)
X_train = (X_train_raw - mean) / std
X_test = (X_test_raw - mean) / std
print(
    "train means ~0:",
    np.allclose(X_train.mean(axis=0), 0),
    "| stds ~1:",
    np.allclose(X_train.std(axis=0), 1),
)

# %% [markdown]
# Training is your `train_logistic`. To watch the *test* cost as well, the cell below runs the
# same steps one at a time, with your `logistic_forward_backward`, and then checks that it
# reached exactly the same weights as `train_logistic`.

# %%
needs("logistic_forward_backward", "train_logistic")
learning_rate = 0.5
num_iters = 500

w, b = np.zeros(X_train.shape[1]), 0.0
train_costs, test_costs = [], []
for _ in tqdm(range(num_iters), desc="gradient descent"):
    train_cost, dw, db = logistic_forward_backward(w, b, X_train, y_train)
    test_costs.append(logistic_forward_backward(w, b, X_test, y_test)[0])
    train_costs.append(train_cost)
    w, b = w - learning_rate * dw, b - learning_rate * db

w_cancer, b_cancer, costs_cancer = train_logistic(X_train, y_train, learning_rate, num_iters)
assert np.allclose(w, w_cancer) and np.allclose(train_costs, costs_cancer)

plt.figure(figsize=(6, 3.2))
plt.plot(train_costs, label="training cost")
plt.plot(test_costs, label="test cost")
plt.yscale("log")
plt.xlabel("iteration")
plt.legend()
plt.title("breast cancer: loss curves")
plt.show()

# %%
needs("logistic_forward_backward", "train_logistic", "predict", "accuracy")
train_accuracy = accuracy(y_train, predict(w_cancer, b_cancer, X_train))
test_accuracy = accuracy(y_test, predict(w_cancer, b_cancer, X_test))
print(f"training accuracy {train_accuracy:.3f}, test accuracy {test_accuracy:.3f}")
assert test_accuracy > 0.95, "one neuron should classify at least 95% of the test tumours right"

# %% [markdown]
# A one-neuron model is easy to read: each weight says how much a (standardised) measurement
# pushes the score towards "malignant". The largest ones:

# %%
needs("logistic_forward_backward", "train_logistic")
order = np.argsort(np.abs(w_cancer))[::-1][:10]
plt.figure(figsize=(6, 3.5))
plt.barh([cancer.feature_names[i] for i in order][::-1], w_cancer[order][::-1])
plt.axvline(0, color="gray", lw=0.5)
plt.xlabel("weight (towards malignant ->)")
plt.title("the ten largest weights")
plt.tight_layout()
plt.show()

# %% [markdown]
# Which test tumours does it get wrong, and how sure was it? Most mistakes sit near
# $\hat y = 0.5$, where the neuron itself says it is unsure: a probability is more useful than a
# bare label.

# %%
needs("sigmoid", "logistic_forward_backward", "train_logistic")
test_probs = sigmoid(X_test @ w_cancer + b_cancer)
plt.figure(figsize=(6, 2.8))
bins = np.linspace(0, 1, 21)
plt.hist(test_probs[y_test == 0], bins=bins, alpha=0.7, label="benign")
plt.hist(test_probs[y_test == 1], bins=bins, alpha=0.7, label="malignant")
plt.axvline(0.5, color="black", lw=0.8)
plt.xlabel("predicted probability of malignant")
plt.legend()
plt.show()

# %% [markdown]
# **What one neuron cannot do.** Its decision boundary is always a straight line (a flat
# hyperplane in 30 dimensions). That was enough here. It is hopeless when one class surrounds the
# other or when the classes interleave like the petals of a flower: in module 06 you add a hidden
# layer of neurons, and the boundary learns to bend.
