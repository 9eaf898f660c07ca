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
# # 10 · Optimisation: from plain SGD to Adam, schedules and batch normalisation
#
# **Why this matters.** Every network in this course so far was trained by the same rule:
# take a step against the gradient. That rule is simple, and on real loss surfaces it is slow.
# Loss surfaces are **ill-conditioned**: steep in some directions and nearly flat in others, so
# a learning rate small enough not to blow up along the steep directions crawls along the flat
# ones. The optimisers that train today's models (momentum, RMSprop, Adam) are small changes to
# the update rule that fix exactly this, and batch normalisation reshapes the surface itself so
# that a deep network trains at a learning rate that would otherwise wreck it.
#
# In this module you write the four update rules used in practice, race them on a ravine-shaped
# surface (with a slider for the learning rate) and on the digits, write a learning-rate
# schedule, and write the batch-normalisation layer, forward and backward.
#
# **Conventions** (Stanford's CS231n). An update rule is a function
# `next_w, config = update(w, dw, config)`: it receives the weights, their gradient, and a
# `config` dict holding its hyperparameters and its **state** (what it remembers between steps).
# It fills in missing hyperparameters with `config.setdefault(name, default)` and returns the
# config with the updated state. A training loop keeps one config per parameter array and hands
# each back at the next step.
#
# **Exercises:** `sgd` (1 point), `sgd_momentum` (2), `rmsprop` (2), `adam` (3),
# `cosine_decay` (2), `batchnorm_forward` (3), `batchnorm_backward` (4): **17 points**.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("10_optimization")

# %% [markdown]
# ## 1. Mini-batches: a cheap, noisy gradient
#
# The loss of a network is an average over the training set,
# $L(\theta) = \frac{1}{N}\sum_{i=1}^{N} \ell_i(\theta)$, and so is its gradient. Computing it
# exactly costs a pass over all $N$ examples for a single step. A **mini-batch** of $B$ examples
# drawn at random gives an unbiased estimate of the same gradient at a fraction of the cost:
#
# $$\hat g = \frac{1}{B}\sum_{i \in \text{batch}} \nabla_\theta \ell_i(\theta), \qquad
# \mathbb{E}[\hat g] = \nabla_\theta L(\theta), \qquad
# \text{its error shrinks like } 1/\sqrt{B}.$$
#
# *Stochastic gradient descent* (SGD) takes a step with $\hat g$. With $B = 1$ each step is
# very cheap and very noisy; with $B = N$ it is exact and expensive. Practice sits in between
# (32 to 512), where a step is cheap, the noise is moderate, and the matrix products keep the
# hardware busy. Let us measure the noise on the digits.

# %%
digits = load_digits()
images_train, images_test, y_train, y_test = train_test_split(
    digits.images, digits.target, test_size=0.25, random_state=0, stratify=digits.target
)
X_train = images_train.reshape(len(images_train), -1)
X_test = images_test.reshape(len(images_test), -1)
pixel_mean = X_train.mean(axis=0)
pixel_std = X_train.std(axis=0) + 0.1  # the corner pixels are almost always blank
X_train = (X_train - pixel_mean) / pixel_std
X_test = (X_test - pixel_mean) / pixel_std
print("X_train", X_train.shape, "| X_test", X_test.shape)

# %% [markdown]
# The helpers below are the layers of module 07, rewritten compactly so that this notebook
# stands on its own: an affine layer, a ReLU, and the softmax cross-entropy loss.


# %% tags=["lib"]
def softmax_cross_entropy(scores, y):
    """Mean softmax cross-entropy. scores: (N, C); y: (N,). Returns (loss, dscores (N, C))."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(y)
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1.0
    return loss, dscores / n


def minibatches(n, batch_size, rng):
    """Index arrays of the full batches of batch_size in a random order of range(n).

    The few examples left over by a shuffle wait for the next epoch's shuffle: a tiny last batch
    would give one very noisy step, and batch normalisation nonsense statistics.
    """
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n - batch_size + 1, batch_size)]


# %% [markdown]
# A softmax classifier with random weights: its exact gradient, then 300 mini-batch estimates for
# each batch size, and how far they land from the exact one on average.

# %%
rng = np.random.default_rng(0)
W_probe = rng.normal(scale=0.1, size=(64, 10))


def weight_gradient(rows):
    _, dscores = softmax_cross_entropy(X_train[rows] @ W_probe, y_train[rows])
    return X_train[rows].T @ dscores


exact = weight_gradient(np.arange(len(X_train)))
batch_sizes = [1, 4, 16, 64, 256, 1024]
noise = []
for size in batch_sizes:
    errors = [
        np.linalg.norm(weight_gradient(rng.choice(len(X_train), size, replace=False)) - exact)
        for _ in range(300)
    ]
    noise.append(np.mean(errors) / np.linalg.norm(exact))

plt.figure(figsize=(5, 3))
plt.loglog(batch_sizes, noise, "o-", label="measured")
plt.loglog(batch_sizes, noise[0] / np.sqrt(batch_sizes), "--", label=r"$\propto 1/\sqrt{B}$")
plt.xlabel("batch size B")
plt.ylabel("relative error of the gradient")
plt.legend()
plt.show()

# %% [markdown]
# Sixteen times the batch buys only four times less noise. (The largest batch does a little
# better than $1/\sqrt{B}$ because it samples a sizeable share of the 1,347 images without
# replacement.) That is why nobody uses the whole data set per step: many cheap noisy steps beat
# few exact ones.
#
# ## 2. An ill-conditioned surface
#
# To see what an optimiser does, we watch it on a surface we can draw, a long narrow ravine:
#
# $$f(w) = \tfrac12\left(w_1^2 + 25\, w_2^2\right), \qquad
# \nabla f(w) = \begin{pmatrix} w_1 \\ 25\, w_2 \end{pmatrix}.$$
#
# Its curvature is 25 across the ravine and 1 along it: its **condition number** is 25.
# Gradient descent $w \leftarrow w - \eta \nabla f(w)$ multiplies $w_2$ by $1 - 25\eta$ at every
# step: beyond $\eta = 2/25 = 0.08$ that factor is below $-1$ and the steps across the ravine
# grow until they explode. Below it, $w_1$ shrinks by a factor $1 - \eta \geq 0.92$ per step:
# progress along the ravine is slow. **The steep direction caps the learning rate, the flat one
# pays for it.** A network's loss has millions of directions and condition numbers far above 25.

# %%
CURVATURE = np.array([1.0, 25.0])
START = np.array([-4.0, 1.0])


def ravine_loss(w):
    """f(w) = (w1**2 + 25 w2**2) / 2 for w of shape (..., 2)."""
    return 0.5 * np.sum(CURVATURE * np.asarray(w) ** 2, axis=-1)


def ravine_gradient(w):
    return CURVATURE * w


grid_x, grid_y = np.meshgrid(np.linspace(-5, 5, 200), np.linspace(-2, 2, 120))
grid_loss = ravine_loss(np.stack([grid_x, grid_y], axis=-1))


def draw_ravine(ax):
    levels = np.geomspace(0.02, 60, 12)
    ax.contour(grid_x, grid_y, grid_loss, levels=levels, colors="0.7", linewidths=0.8)
    ax.plot(0, 0, "k*", markersize=10)
    ax.set_xlim(-5, 5)
    ax.set_ylim(-2, 2)
    ax.set_xlabel("$w_1$ (flat)")
    ax.set_ylabel("$w_2$ (steep)")


fig, axes = plt.subplots(1, 3, figsize=(13, 3))
for ax, eta in zip(axes, [0.02, 0.07, 0.083]):
    w = START.copy()
    path = [w]
    for _ in range(30):
        w = w - eta * ravine_gradient(w)
        path.append(w)
    path = np.array(path)
    draw_ravine(ax)
    ax.plot(path[:, 0], path[:, 1], ".-", color="tab:blue")
    ax.set_title(f"gradient descent, $\\eta$ = {eta}: loss {ravine_loss(path[-1]):.3g}")
fig.tight_layout()
plt.show()

# %% [markdown]
# Too small: a slow crawl. Close to the limit: a zigzag across the ravine. Just past it: the
# zigzag grows without bound. Each optimiser below is a way out of this dilemma.
#
# ## 3. Update rules
#
# ### Exercise 1: `sgd` (1 point)
#
# The vanilla update, $w \leftarrow w - \eta\, \mathrm{d}w$, in the course's format. Read the
# learning rate from `config` after `config.setdefault("learning_rate", 1e-2)`, so that a config
# without one gets the default **and** says which rate it used. Return `(next_w, config)`.
#
# The checks call your function several times in a row on one config, as a training loop does,
# and compare the weights after every step and the config after the last one.


# %% nbgrader={"grade": false, "grade_id": "sgd", "locked": false, "schema_version": 3, "solution": true}
def sgd(w, dw, config):
    """Vanilla stochastic gradient descent.

    w: weights, any shape; dw: gradient of the loss with respect to w, same shape.
    config: dict with "learning_rate" (default 1e-2, written into config with setdefault).
    Returns next_w (shape of w) and config.
    """
    ### BEGIN SOLUTION
    config.setdefault("learning_rate", 1e-2)
    next_w = w - config["learning_rate"] * dw
    return next_w, config
    ### END SOLUTION


# %% tags=["spec"]
from autograder.modules.optimization import ravine_grad, shifted_bowl_grad, tilted_plane_grad
from autograder.authoring.spec import case, exercise, mistake

STEPS = "autograder.modules.optimization:update_steps"
STEP_OUTPUTS = ("weights after each step (row i: after step i + 1)", "config after the last step")


def _sgd_ascent(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    return w + config["learning_rate"] * dw, config


def _sgd_fixed_rate(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    return w - 1e-2 * dw, config


exercise(
    "sgd",
    public=[
        case(
            np.array([1.0, -2.0, 3.0]),
            np.array([[0.5, 0.5, -1.0]]),
            {"learning_rate": 0.1},
            1,
            note="one step, learning rate 0.1, given gradient [0.5, 0.5, -1]",
        ),
        case(
            np.array([0.5, -0.5, 2.0]),
            shifted_bowl_grad,
            {"learning_rate": 0.25},
            3,
            note="three steps down f(w) = sum((w - 1)**2), whose gradient is 2 (w - 1)",
        ),
        case(
            np.array([[1.0, 2.0], [3.0, 4.0]]),
            ravine_grad,
            {},
            2,
            note="an empty config: the default learning rate 1e-2, set with setdefault",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 5)), ravine_grad, {"learning_rate": 0.03}, 4, note="(1, 5)"),
        case(
            rng.normal(size=(3, 4, 2)),
            shifted_bowl_grad,
            {"learning_rate": 0.2},
            3,
            note="rank 3",
        ),
        case(
            rng.normal(size=4) * 1e6,
            rng.normal(size=(2, 4)) * 1e6,
            {"learning_rate": 1e-3},
            2,
            note="huge weights and gradients",
        ),
        case(rng.normal(size=(2, 3)), tilted_plane_grad, {}, 3, note="default learning rate"),
    ],
    mistakes=[
        mistake(
            "gradient ascent",
            _sgd_ascent,
            "the gradient points uphill; step against it: w - learning_rate * dw.",
        ),
        mistake(
            "learning rate ignored",
            _sgd_fixed_rate,
            "the step used 1e-2 whatever the config said: read config['learning_rate'] after "
            "setting its default.",
        ),
    ],
    driver=STEPS,
    outputs=STEP_OUTPUTS,
)

# %% nbgrader={"grade": true, "grade_id": "sgd-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""sgd: several steps on one config; the weights after each and the final config."""
check("sgd", sgd)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("10_optimization", "sgd", sgd)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: `sgd_momentum` (2 points)
#
# A ball rolling down the ravine does not stop and turn at every step: it keeps a **velocity**.
# Momentum keeps a running sum of past steps, with a friction factor $\mu$ (typically 0.9):
#
# $$v \leftarrow \mu\, v - \eta\, \mathrm{d}w, \qquad w \leftarrow w + v.$$
#
# Across the ravine the gradients alternate in sign and cancel out in $v$; along the ravine they
# agree and add up, so with a constant gradient the velocity grows towards
# $\eta\,\mathrm{d}w / (1 - \mu)$: ten times the plain step for $\mu = 0.9$.
#
# A worked example, $\eta = 0.1$, $\mu = 0.9$, a constant gradient $\mathrm{d}w = 1$ and $v = 0$
# at the start: $v = -0.1, -0.19, -0.271, \dots$, so $w$ moves by $0.1$, then $0.19$, then
# $0.271$: the steps lengthen.
#
# Defaults: `learning_rate` 1e-2 and `momentum` 0.9 (with `setdefault`). The velocity is state:
# read it with `config.get("velocity", np.zeros_like(w))`, and store the new one in
# `config["velocity"]` so the next call continues from it.


# %% nbgrader={"grade": false, "grade_id": "sgd-momentum", "locked": false, "schema_version": 3, "solution": true}
def sgd_momentum(w, dw, config):
    """Stochastic gradient descent with momentum.

    w: weights, any shape; dw: gradient, same shape.
    config: "learning_rate" (default 1e-2), "momentum" (default 0.9), defaults written into
    config with setdefault, and the state
    "velocity" (shape of w, zeros when missing).
    Returns next_w (shape of w) and config, whose "velocity" is the new velocity.
    """
    ### BEGIN SOLUTION
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    return next_w, config
    ### END SOLUTION


# %% tags=["spec"]
def _momentum_raw_gradient(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = -config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def _momentum_not_stored(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    return w + v, config


def _momentum_old_velocity(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    next_w = w + v
    config["velocity"] = config["momentum"] * v - config["learning_rate"] * dw
    return next_w, config


exercise(
    "sgd_momentum",
    public=[
        case(
            np.array([0.0]),
            np.ones((3, 1)),
            {"learning_rate": 0.1, "momentum": 0.9},
            3,
            note="the worked example: dw = 1 three times, w moves by 0.1, 0.19, 0.271",
        ),
        case(
            np.array([0.0, 1.0]),
            tilted_plane_grad,
            {"learning_rate": 0.1},
            3,
            note="a constant gradient [1, 2]: the steps lengthen (momentum 0.9 by default)",
        ),
        case(
            np.array([[1.0, 2.0], [-1.0, 0.5]]),
            ravine_grad,
            {"learning_rate": 0.02, "momentum": 0.5},
            4,
            note="four steps in the ravine, momentum 0.5",
        ),
        case(
            np.array([1.0, -1.0, 0.0]),
            np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]),
            {"learning_rate": 0.1, "momentum": 0.9, "velocity": np.array([0.5, -0.5, 0.0])},
            2,
            note="a velocity already in the config: a zero gradient still moves w",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 6)), ravine_grad, {"learning_rate": 0.01}, 6, note="(1, 6)"),
        case(
            rng.normal(size=(3, 2, 2)),
            shifted_bowl_grad,
            {"learning_rate": 0.05, "momentum": 0.8},
            5,
            note="rank 3",
        ),
        case(
            rng.normal(size=5),
            rng.normal(size=(3, 5)) * 1e5,
            {"learning_rate": 1e-6, "velocity": rng.normal(size=5)},
            3,
            note="large gradients, a velocity given",
        ),
        case(rng.normal(size=(4, 3)), tilted_plane_grad, {}, 4, note="defaults"),
    ],
    mistakes=[
        mistake(
            "velocity from the raw gradient",
            _momentum_raw_gradient,
            "v = -learning_rate * dw forgets the past: this is plain SGD. The velocity is a "
            "running sum, v = momentum * v - learning_rate * dw, starting from the stored one.",
        ),
        mistake(
            "velocity not stored",
            _momentum_not_stored,
            "the new velocity must go back into config['velocity'], or the next call starts "
            "again from zero.",
        ),
        mistake(
            "stepped with the old velocity",
            _momentum_old_velocity,
            "update the velocity first, then move: w + v with the new v (your first step did "
            "not move w at all).",
        ),
    ],
    driver=STEPS,
    outputs=STEP_OUTPUTS,
)

# %% nbgrader={"grade": true, "grade_id": "sgd-momentum-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""sgd_momentum: a running velocity kept in the config across steps."""
check("sgd_momentum", sgd_momentum)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("10_optimization", "sgd_momentum", sgd_momentum)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3: `rmsprop` (2 points)
#
# Momentum keeps one learning rate for all directions. RMSprop gives **each weight its own**: it
# divides the step by a running root-mean-square of that weight's recent gradients. In the steep
# direction gradients are large, so steps shrink; in the flat direction they are small, so steps
# grow. The running average of squared gradients (the *cache*, $s$, elementwise) decays at rate
# $\rho$ (`decay_rate`, default 0.99):
#
# $$s \leftarrow \rho\, s + (1 - \rho)\, \mathrm{d}w^2, \qquad
# w \leftarrow w - \eta\, \frac{\mathrm{d}w}{\sqrt{s} + \epsilon}.$$
#
# $\epsilon$ (default $10^{-8}$) only guards against dividing by zero, and it goes **outside**
# the square root, as in CS231n and PyTorch. (Put inside, $\sqrt{s + \epsilon}$, it sets a floor
# of $10^{-4}$ under the denominator, which changes the step a lot when gradients are tiny.)
#
# Defaults: `learning_rate` 1e-2, `decay_rate` 0.99, `epsilon` 1e-8, each set with `setdefault`
# as before (the check looks for them in the returned config); state `cache`, zeros when missing.


# %% nbgrader={"grade": false, "grade_id": "rmsprop", "locked": false, "schema_version": 3, "solution": true}
def rmsprop(w, dw, config):
    """RMSprop: each weight's step divided by a running RMS of its gradients.

    w: weights, any shape; dw: gradient, same shape.
    config: "learning_rate" (1e-2), "decay_rate" (0.99), "epsilon" (1e-8), defaults written
    into config with setdefault, and the state
    "cache" (shape of w, zeros when missing): the running average of dw**2.
    Returns next_w (shape of w) and config with the new "cache".
    """
    ### BEGIN SOLUTION
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w))
    cache = config["decay_rate"] * cache + (1 - config["decay_rate"]) * dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return next_w, config
    ### END SOLUTION


# %% tags=["spec"]
def _rmsprop_defaults(config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    return config["learning_rate"], config["decay_rate"], config["epsilon"]


def _rmsprop_no_sqrt(w, dw, config):
    lr, rho, eps = _rmsprop_defaults(config)
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    config["cache"] = cache
    return w - lr * dw / (cache + eps), config


def _rmsprop_eps_inside(w, dw, config):
    lr, rho, eps = _rmsprop_defaults(config)
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    config["cache"] = cache
    return w - lr * dw / np.sqrt(cache + eps), config


def _rmsprop_decay_swapped(w, dw, config):
    lr, rho, eps = _rmsprop_defaults(config)
    cache = (1 - rho) * config.get("cache", np.zeros_like(w)) + rho * dw**2
    config["cache"] = cache
    return w - lr * dw / (np.sqrt(cache) + eps), config


exercise(
    "rmsprop",
    public=[
        case(
            np.array([1.0, -2.0, 3.0, 0.5]),
            ravine_grad,
            {"learning_rate": 0.01},
            3,
            note="three steps in the ravine (curvatures 1, 25, 1, 25)",
        ),
        case(
            np.array([[2.0, -1.0], [0.0, 3.0]]),
            shifted_bowl_grad,
            {"learning_rate": 0.1, "decay_rate": 0.9},
            4,
            note="decay rate 0.9",
        ),
        case(
            np.array([1.0, 2.0, 3.0]),
            np.array([[1e-6, -2e-6, 0.0], [1e-6, -2e-6, 0.0]]),
            {},
            2,
            note="tiny gradients (1e-6) and a zero one: where epsilon sits matters",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 4)), ravine_grad, {"learning_rate": 0.05}, 5, note="(1, 4)"),
        case(
            rng.normal(size=(2, 3, 2)),
            shifted_bowl_grad,
            {"learning_rate": 0.02, "decay_rate": 0.5},
            4,
            note="rank 3, decay 0.5",
        ),
        case(
            rng.normal(size=6),
            rng.normal(size=(3, 6)) * 1e-7,
            {"learning_rate": 1e-3},
            3,
            note="tiny gradients",
        ),
        case(
            rng.normal(size=(3, 3)),
            rng.normal(size=(2, 3, 3)) * 1e8,
            {"learning_rate": 1e-3, "cache": np.full((3, 3), 1e14)},
            2,
            note="huge gradients, a cache given",
        ),
    ],
    mistakes=[
        mistake(
            "no square root",
            _rmsprop_no_sqrt,
            "divide by the root of the running mean square, np.sqrt(cache) + epsilon: cache is "
            "a mean of squared gradients, so without the root the step has the wrong units.",
        ),
        mistake(
            "epsilon inside the square root",
            _rmsprop_eps_inside,
            "epsilon is added after the root, np.sqrt(cache) + epsilon; inside it, it puts a "
            "floor of sqrt(1e-8) = 1e-4 under the denominator and tiny gradients take tiny steps.",
        ),
        mistake(
            "decay weights swapped",
            _rmsprop_decay_swapped,
            "the cache keeps decay_rate of its old value and adds (1 - decay_rate) * dw**2.",
        ),
    ],
    driver=STEPS,
    outputs=STEP_OUTPUTS,
)

# %% nbgrader={"grade": true, "grade_id": "rmsprop-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""rmsprop: the running mean of squared gradients and the scaled steps, across steps."""
check("rmsprop", rmsprop)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("10_optimization", "rmsprop", rmsprop)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4: `adam` (3 points)
#
# Adam combines both ideas: a running mean of the gradients $m$ (momentum) and a running mean of
# their squares $v$ (RMSprop). Both start at zero, so early on they are biased towards zero:
# after one step $m = (1 - \beta_1)\,\mathrm{d}w$, a tenth of the gradient. Adam divides that
# bias out. With $t$ the number of steps taken **including this one**:
#
# $$\begin{aligned}
# t &\leftarrow t + 1,\\
# m &\leftarrow \beta_1 m + (1 - \beta_1)\, \mathrm{d}w, &
# v &\leftarrow \beta_2 v + (1 - \beta_2)\, \mathrm{d}w^2,\\
# \hat m &= \frac{m}{1 - \beta_1^{\,t}}, &
# \hat v &= \frac{v}{1 - \beta_2^{\,t}},\\
# w &\leftarrow w - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}.
# \end{aligned}$$
#
# The corrected $\hat m, \hat v$ are used for the step only: the config stores the **raw**
# running means $m$ and $v$, which the next step keeps averaging. A worked example: with a
# constant gradient $g$, $\hat m = g$ and $\hat v = g^2$ at every step, so every step moves each
# weight by exactly $\eta$ (ignoring $\epsilon$). Without the correction the first step would be
# $\eta \cdot 0.1 / \sqrt{0.001} \approx 3.2\,\eta$.
#
# Defaults: `learning_rate` 1e-3, `beta1` 0.9, `beta2` 0.999, `epsilon` 1e-8, each set with
# `setdefault` as before (the check looks for them in the returned config); state `m` and
# `v` (zeros shaped like `w` when missing) and `t` (0 when missing; use
# `config.setdefault("t", 0)`). Increment `t` **before** the correction, as above.


# %% nbgrader={"grade": false, "grade_id": "adam", "locked": false, "schema_version": 3, "solution": true}
def adam(w, dw, config):
    """Adam: momentum and RMSprop, with the bias of their zero start corrected.

    w: weights, any shape; dw: gradient, same shape.
    config: "learning_rate" (1e-3), "beta1" (0.9), "beta2" (0.999), "epsilon" (1e-8), defaults
    written into config with setdefault, and the state "m", "v" (shape of w, zeros when missing)
    and "t" (0 when missing).
    Returns next_w (shape of w) and config with the new raw "m", "v" and "t".
    """
    ### BEGIN SOLUTION
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("t", 0)
    beta1, beta2 = config["beta1"], config["beta2"]
    config["t"] += 1
    m = beta1 * config.get("m", np.zeros_like(w)) + (1 - beta1) * dw
    v = beta2 * config.get("v", np.zeros_like(w)) + (1 - beta2) * dw**2
    m_hat = m / (1 - beta1 ** config["t"])
    v_hat = v / (1 - beta2 ** config["t"])
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"], config["v"] = m, v
    return next_w, config
    ### END SOLUTION


# %% tags=["spec"]
def _adam_defaults(config):
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("t", 0)
    return config["learning_rate"], config["beta1"], config["beta2"], config["epsilon"]


def _adam_no_correction(w, dw, config):
    lr, b1, b2, eps = _adam_defaults(config)
    config["t"] += 1
    config["m"] = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    config["v"] = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    return w - lr * config["m"] / (np.sqrt(config["v"]) + eps), config


def _adam_corrected_stored(w, dw, config):
    lr, b1, b2, eps = _adam_defaults(config)
    config["t"] += 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    config["m"] = m / (1 - b1 ** config["t"])
    config["v"] = v / (1 - b2 ** config["t"])
    return w - lr * config["m"] / (np.sqrt(config["v"]) + eps), config


def _adam_t_not_stored(w, dw, config):
    lr, b1, b2, eps = _adam_defaults(config)
    t = config["t"] + 1
    config["m"] = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    config["v"] = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    m_hat = config["m"] / (1 - b1**t)
    v_hat = config["v"] / (1 - b2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), config


exercise(
    "adam",
    public=[
        case(
            np.array([1.0, -2.0, 3.0]),
            tilted_plane_grad,
            {"learning_rate": 0.1},
            3,
            note="a constant gradient [1, 2, 3]: every step moves each weight by 0.1",
        ),
        case(
            np.array([[-4.0, 1.0], [2.0, -0.5]]),
            ravine_grad,
            {"learning_rate": 0.1},
            5,
            note="five steps in the ravine",
        ),
        case(
            np.array([0.0, 2.0, -1.0, 0.5]),
            shifted_bowl_grad,
            {"learning_rate": 0.05, "beta1": 0.5, "beta2": 0.9},
            4,
            note="beta1 0.5 and beta2 0.9",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 7)), ravine_grad, {"learning_rate": 0.01}, 6, note="(1, 7)"),
        case(
            rng.normal(size=(2, 2, 3)),
            shifted_bowl_grad,
            {"learning_rate": 0.03, "beta1": 0.8, "beta2": 0.95},
            5,
            note="rank 3, other betas",
        ),
        case(
            rng.normal(size=5),
            rng.normal(size=(4, 5)) * 1e8,
            {"learning_rate": 1e-3},
            4,
            note="huge gradients",
        ),
        case(
            rng.normal(size=4),
            rng.normal(size=(3, 4)) * 1e-8,
            {"learning_rate": 1e-3},
            3,
            note="tiny gradients, where epsilon matters",
        ),
        case(
            rng.normal(size=(3, 2)),
            tilted_plane_grad,
            {"m": rng.normal(size=(3, 2)), "v": np.full((3, 2), 2.0), "t": 5},
            3,
            note="defaults, a state carried over from 5 earlier steps",
        ),
    ],
    mistakes=[
        mistake(
            "no bias correction",
            _adam_no_correction,
            "m and v start at zero and underestimate the first gradients: divide them by "
            "1 - beta1**t and 1 - beta2**t before the step.",
        ),
        mistake(
            "bias correction stored back",
            _adam_corrected_stored,
            "use the corrected m_hat, v_hat for the step only; store the raw running means m "
            "and v in the config, or the next step averages already-corrected values.",
        ),
        mistake(
            "step count t not stored",
            _adam_t_not_stored,
            "config['t'] must grow by one at each call: store it back, or every step corrects "
            "as if it were the first.",
        ),
    ],
    driver=STEPS,
    outputs=STEP_OUTPUTS,
)

# %% nbgrader={"grade": true, "grade_id": "adam-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""adam: moments, step count and bias correction across steps."""
check("adam", adam)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("10_optimization", "adam", adam)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. The race on the ravine
#
# Your four update rules, from the same start, on the ravine of section 2. Plain SGD and momentum
# share one learning rate $\eta$ (a step is $\eta$ times a gradient); RMSprop and Adam share
# another (their steps are about $\eta$ long whatever the gradient's size, so their rates are
# not comparable with the first two).
#
# Move the sliders and watch for:
# * SGD beyond $\eta = 0.08$: the divergence we predicted; momentum diverges later, near
#   $\eta = 2(1 + \mu)/25 = 0.152$;
# * momentum overshooting and swinging back: a ball with too little friction;
# * RMSprop cutting across the ravine in one move and then running straight along its floor:
#   each coordinate gets its own step size, so the flat direction is no longer slow;
# * Adam, which carries momentum too, curving and circling the minimum before it settles; at
#   large rates both adaptive methods take steps of about $\eta$ near the minimum, a reason to
#   lower the rate over time (section 6).


# %%
needs("sgd", "sgd_momentum", "rmsprop", "adam")


def descend(update, config, steps):
    """Path of `update` from START on the ravine: an array (steps + 1, 2)."""
    w, config = START.copy(), dict(config)
    path = [w]
    for _ in range(steps):
        w, config = update(w, ravine_gradient(w), config)
        path.append(w)
    return np.array(path)


def race(sgd_rate=0.02, adaptive_rate=0.1, steps=60):
    contenders = {
        "SGD": (sgd, {"learning_rate": sgd_rate}),
        "momentum": (sgd_momentum, {"learning_rate": sgd_rate}),
        "RMSprop": (rmsprop, {"learning_rate": adaptive_rate}),
        "Adam": (adam, {"learning_rate": adaptive_rate}),
    }
    fig, (ax_paths, ax_loss) = plt.subplots(1, 2, figsize=(13, 3.6), width_ratios=[1.6, 1])
    draw_ravine(ax_paths)
    with np.errstate(all="ignore"):
        for label, (update, config) in contenders.items():
            path = descend(update, config, steps)
            ax_paths.plot(path[:, 0], path[:, 1], ".-", markersize=3, lw=1, label=label)
            ax_loss.semilogy(ravine_loss(path), label=f"{label}: {ravine_loss(path[-1]):.2g}")
    ax_paths.legend(loc="lower right", fontsize=8)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("loss")
    ax_loss.set_ylim(1e-8, 1e3)
    ax_loss.legend(fontsize=8, title="loss at the end", title_fontsize=8)
    plt.show()


race_viewer = widgets.interact(
    race,
    sgd_rate=widgets.FloatLogSlider(
        0.02, base=10, min=-3, max=-0.7, step=0.05, description="η SGD/mom."
    ),
    adaptive_rate=widgets.FloatLogSlider(
        0.1, base=10, min=-3, max=0, step=0.05, description="η RMS/Adam"
    ),
    steps=widgets.IntSlider(60, 10, 200, step=10, description="steps"),
)

# %% [markdown]
# ## 5. The race on the digits
#
# A ravine with two directions is a cartoon. Now a real network: one hidden layer of 100 ReLU
# units on the digits, the same initial weights for every optimiser, eight epochs of
# mini-batches of 64, each optimiser at a learning rate that suits it. The helpers below run the
# network and train it with any update rule, keeping **one config per parameter array** (each
# has its own velocity or moments).


# %% tags=["lib"]
def init_network(dims, batchnorm=False, seed=0):
    """He-initialised weights W0, b0, W1, ... for layer sizes dims = [D, H1, ..., C].

    With batchnorm, each hidden layer also gets gamma{i} (ones) and beta{i} (zeros).
    """
    rng = np.random.default_rng(seed)
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:])):
        params[f"W{i}"] = rng.normal(scale=np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        params[f"b{i}"] = np.zeros(fan_out)
        if batchnorm and i < len(dims) - 2:
            params[f"gamma{i}"] = np.ones(fan_out)
            params[f"beta{i}"] = np.zeros(fan_out)
    return params


def network_loss(params, X, y=None, bn_params=None, mode="train"):
    """Scores (y None) or (loss, grads) of an MLP: affine [-> batchnorm] -> ReLU, ..., affine.

    Batch normalisation is used when params holds gamma0; bn_params is then one dict per hidden
    layer (running averages live there) and mode is "train" or "test".
    """
    layers = sum(name.startswith("W") for name in params)
    hidden, caches = X, []
    for i in range(layers - 1):
        z = hidden @ params[f"W{i}"] + params[f"b{i}"]
        bn_cache = None
        if f"gamma{i}" in params:
            bn_params[i]["mode"] = mode
            z, bn_cache = batchnorm_forward(
                z, params[f"gamma{i}"], params[f"beta{i}"], bn_params[i]
            )
        caches.append((hidden, bn_cache, z > 0))
        hidden = np.maximum(z, 0.0)
    last = layers - 1
    scores = hidden @ params[f"W{last}"] + params[f"b{last}"]
    if y is None:
        return scores
    loss, dscores = softmax_cross_entropy(scores, y)
    grads = {f"W{last}": hidden.T @ dscores, f"b{last}": dscores.sum(axis=0)}
    dhidden = dscores @ params[f"W{last}"].T
    for i in reversed(range(last)):
        layer_input, bn_cache, active = caches[i]
        dz = dhidden * active
        if bn_cache is not None:
            dz, grads[f"gamma{i}"], grads[f"beta{i}"] = batchnorm_backward(dz, bn_cache)
        grads[f"W{i}"] = layer_input.T @ dz
        grads[f"b{i}"] = dz.sum(axis=0)
        dhidden = dz @ params[f"W{i}"].T
    return loss, grads


def train(
    update,
    config,
    dims,
    batchnorm=False,
    num_epochs=8,
    batch_size=64,
    schedule=None,
    seed=0,
    desc="training",
):
    """Train an MLP on the digits with an update rule; returns the history of the run.

    schedule: None, or a function (step, total_steps) -> learning rate, applied at every step.
    A run whose loss becomes inf or NaN stops there.
    """
    params = init_network(dims, batchnorm, seed)
    configs = {name: dict(config) for name in params}
    bn_params = [{} for _ in dims]
    rng = np.random.default_rng(seed)
    steps_per_epoch = len(X_train) // batch_size
    total_steps, step = num_epochs * steps_per_epoch, 0
    history = {"loss": [], "test_acc": [], "lr": []}
    bar = tqdm(range(num_epochs), desc=desc, leave=False)
    with np.errstate(all="ignore"):  # large learning rates overflow on purpose
        for _ in bar:
            for rows in minibatches(len(X_train), batch_size, rng):
                loss, grads = network_loss(params, X_train[rows], y_train[rows], bn_params)
                if schedule is not None:
                    for cfg in configs.values():
                        cfg["learning_rate"] = schedule(step, total_steps)
                for name in params:
                    params[name], configs[name] = update(params[name], grads[name], configs[name])
                history["loss"].append(loss)
                history["lr"].append(configs["W0"].get("learning_rate"))
                step += 1
                if not np.isfinite(loss):
                    return history
            scores = network_loss(params, X_test, bn_params=bn_params, mode="test")
            history["test_acc"].append(float(np.mean(scores.argmax(axis=1) == y_test)))
            bar.set_postfix(loss=f"{loss:.3f}", test_acc=f"{history['test_acc'][-1]:.3f}")
    return history


def smooth(values, width=10):
    """Moving average over `width` points (mini-batch losses are noisy)."""
    values = np.asarray(values, dtype=float)
    if len(values) < width:
        return values
    return np.convolve(values, np.ones(width) / width, mode="valid")


# %%
needs("sgd", "sgd_momentum", "rmsprop", "adam")
contenders = {
    "SGD, η=0.1": (sgd, {"learning_rate": 0.1}),
    "momentum, η=0.05": (sgd_momentum, {"learning_rate": 0.05}),
    "RMSprop, η=3e-3": (rmsprop, {"learning_rate": 3e-3}),
    "Adam, η=3e-3": (adam, {"learning_rate": 3e-3}),
}
digit_runs = {
    label: train(update, config, [64, 100, 10], desc=label)
    for label, (update, config) in contenders.items()
}

fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(12, 3.5))
for label, run in digit_runs.items():
    epochs_axis = np.arange(len(smooth(run["loss"]))) / (len(X_train) // 64)
    ax_loss.semilogy(epochs_axis, smooth(run["loss"]), label=label)
    ax_acc.plot(np.arange(1, len(run["test_acc"]) + 1), run["test_acc"], "o-", label=label)
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("training loss (moving average)")
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("test accuracy")
ax_acc.set_ylim(0.8, 1.0)
ax_acc.legend(fontsize=8)
plt.show()
for label, run in digit_runs.items():
    print(f"{label:18s} final test accuracy {run['test_acc'][-1]:.3f}")

# %% [markdown]
# On this small, well-scaled problem every optimiser ends up reading more than nine digits in
# ten; momentum and the adaptive methods drive the training loss down several times faster than
# plain SGD at its best rate. (Each rate here was picked from a short sweep: try others, the
# ranking moves.) The gap widens with deeper networks and worse-conditioned data, which is why
# Adam, with a rate between $10^{-4}$ and $10^{-2}$, is the usual first choice, and SGD with
# momentum, carefully tuned, often the final one for vision models.
#
# ## 6. Learning-rate schedules
#
# Near a minimum a fixed step size keeps jittering (you saw RMSprop and Adam do it on the
# ravine; on mini-batches the gradient noise does it to every optimiser). Lowering the rate over
# training lets the weights settle. Two schedules are common:
#
# * **step decay**: multiply the rate by, say, 0.1 at a few chosen epochs;
# * **cosine decay**: glide from $\eta_{\max}$ down to $\eta_{\min}$ along half a cosine wave.
#
# Large models also start with a **warm-up**: the rate climbs linearly from 0 during the first
# steps, while Adam's moment estimates and the weights are still wild.
#
# ### Exercise 5: `cosine_decay` (2 points)
#
# With $W$ warm-up steps and $T$ steps in total, the rate at step $s$ (counted from 0) is
#
# $$\eta(s) = \begin{cases}
# \eta_{\max}\, \dfrac{s}{W} & s < W,\\[2ex]
# \eta_{\min} + \dfrac{\eta_{\max} - \eta_{\min}}{2}\left(1 + \cos(\pi p)\right),
# \quad p = \min\!\left(1, \dfrac{s - W}{\max(1, T - W)}\right) & s \geq W.
# \end{cases}$$
#
# So the rate is $\eta_{\max}$ when the warm-up ends ($p = 0$), $\eta_{\min}$ at step $T$
# ($p = 1$), and stays at $\eta_{\min}$ after it. For example, with $T = 10$, no warm-up and
# $\eta_{\max} = 2$: $\eta(5) = 1$, halfway down.
#
# `step` may be a single integer or a NumPy array of steps: write it with `np.where`,
# `np.minimum` or `np.clip`, not with `if` on `step`. Beware that `np.where(cond, a, b)` computes
# both `a` and `b` for every step: with no warm-up (`warmup_steps = 0`) the warm-up branch
# `step / warmup_steps` divides by zero, which raises `ZeroDivisionError` on a plain int. Divide
# by `max(1, warmup_steps)` instead, as the formula does for $T - W$.


# %% nbgrader={"grade": false, "grade_id": "cosine-decay", "locked": false, "schema_version": 3, "solution": true}
def cosine_decay(step, total_steps, lr_max, lr_min=0.0, warmup_steps=0):
    """Learning rate of a linear warm-up followed by a cosine decay.

    step: an int or an integer array of any shape (steps counted from 0).
    total_steps, warmup_steps: ints; lr_max, lr_min: floats.
    Returns the learning rate at each step: a float array shaped like step.
    """
    ### BEGIN SOLUTION
    step = np.asarray(step, dtype=float)
    progress = np.clip((step - warmup_steps) / max(1, total_steps - warmup_steps), 0.0, 1.0)
    decayed = lr_min + 0.5 * (lr_max - lr_min) * (1.0 + np.cos(np.pi * progress))
    warming = lr_max * step / max(1, warmup_steps)
    return np.where(step < warmup_steps, warming, decayed)
    ### END SOLUTION


# %% tags=["spec"]
def _cosine_full_period(step, total_steps, lr_max, lr_min=0.0, warmup_steps=0):
    step = np.asarray(step, dtype=float)
    p = np.clip((step - warmup_steps) / max(1, total_steps - warmup_steps), 0.0, 1.0)
    decayed = lr_min + 0.5 * (lr_max - lr_min) * (1.0 + np.cos(2 * np.pi * p))
    return np.where(step < warmup_steps, lr_max * step / max(1, warmup_steps), decayed)


def _cosine_warmup_in_decay(step, total_steps, lr_max, lr_min=0.0, warmup_steps=0):
    step = np.asarray(step, dtype=float)
    p = np.clip(step / total_steps, 0.0, 1.0)
    decayed = lr_min + 0.5 * (lr_max - lr_min) * (1.0 + np.cos(np.pi * p))
    return np.where(step < warmup_steps, lr_max * step / max(1, warmup_steps), decayed)


def _cosine_not_clamped(step, total_steps, lr_max, lr_min=0.0, warmup_steps=0):
    step = np.asarray(step, dtype=float)
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    decayed = lr_min + 0.5 * (lr_max - lr_min) * (1.0 + np.cos(np.pi * p))
    return np.where(step < warmup_steps, lr_max * step / max(1, warmup_steps), decayed)


exercise(
    "cosine_decay",
    public=[
        case(np.arange(13), 10, 1.0, note="10 steps from 1.0 down to 0, then 2 steps past the end"),
        case(
            np.arange(10),
            10,
            0.1,
            0.01,
            4,
            note="4 warm-up steps, then a decay from 0.1 to 0.01",
        ),
        case(5, 10, 2.0, note="a single step, halfway: 1.0"),
        case(
            np.array([[0, 25], [50, 100]]),
            80,
            3e-4,
            1e-5,
            10,
            note="a 2 x 2 array of steps, warm-up 10",
        ),
    ],
    hidden=lambda rng: [
        case(np.arange(40), 30, 0.5, 0.05, 6, note="warm-up 6, beyond the end"),
        case(int(rng.integers(0, 100)), 100, 1e-3, note="a single step"),
        case(rng.integers(0, 1200, size=(3, 5)), 1000, 0.3, 0.001, 50, note="random steps"),
        case(np.array([0, 1, 2, 3]), 3, 1.0, 0.5, 3, note="all warm-up: total equals warm-up"),
        case(np.arange(7), 5, 1e6, note="huge rate, past the end"),
    ],
    mistakes=[
        mistake(
            "a full cosine period",
            _cosine_full_period,
            "cos(2 pi p) comes back up to the top at the end; the decay is half a period, "
            "cos(pi p), going from +1 to -1.",
        ),
        mistake(
            "warm-up not subtracted",
            _cosine_warmup_in_decay,
            "the decay starts when the warm-up ends: p = (step - warmup_steps) / "
            "(total_steps - warmup_steps), so the rate is lr_max right after the warm-up.",
        ),
        mistake(
            "not clamped after the end",
            _cosine_not_clamped,
            "past total_steps the cosine climbs again; clip p at 1 so the rate stays at lr_min.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "cosine-decay-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""cosine_decay: warm-up, half-cosine decay and a floor after the end, on arrays of steps."""
check("cosine_decay", cosine_decay)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("10_optimization", "cosine_decay", cosine_decay)
### END HIDDEN TESTS

# %% [markdown]
# Your schedule next to a step decay, over a run of 400 steps:

# %%
needs("cosine_decay")
schedule_steps = np.arange(400)
step_schedule = 0.1 * 0.1 ** (schedule_steps // 150)
plt.figure(figsize=(6, 2.6))
plt.plot(schedule_steps, step_schedule, label="step decay: x0.1 every 150 steps")
plt.plot(schedule_steps, cosine_decay(schedule_steps, 400, 0.1), label="cosine decay")
plt.plot(
    schedule_steps,
    cosine_decay(schedule_steps, 400, 0.1, 0.005, warmup_steps=40),
    label="warm-up 40 + cosine to 0.005",
)
plt.xlabel("step")
plt.ylabel("learning rate")
plt.legend(fontsize=8)
plt.show()

# %% [markdown]
# Does it help? On the ravine with **noisy gradients** (each gradient plus Gaussian noise, as a
# mini-batch gives), momentum SGD at a constant rate stops improving: it reaches a level where
# the noise kicks it out as fast as the gradient pulls it in, and the height of that floor grows
# with the rate. The same run with the rate decayed along your cosine keeps going down.


# %%
needs("sgd_momentum", "cosine_decay")


def noisy_descent(config, steps=300, schedule=None, noise=2.0, seed=0):
    """Momentum SGD on the ravine with noisy gradients; returns the path (steps + 1, 2)."""
    rng = np.random.default_rng(seed)
    w, config = START.copy(), dict(config)
    path = [w]
    for step in range(steps):
        if schedule is not None:
            config["learning_rate"] = schedule(step, steps)
        noisy_gradient = ravine_gradient(w) + rng.normal(scale=noise, size=2)
        w, config = sgd_momentum(w, noisy_gradient, config)
        path.append(w)
    return np.array(path)


noisy_runs = {
    "constant η = 0.01": noisy_descent({"learning_rate": 0.01}),
    "cosine decay from 0.01": noisy_descent(
        {}, schedule=lambda step, total: float(cosine_decay(step, total, 0.01))
    ),
}
fig, (ax_paths, ax_loss) = plt.subplots(1, 2, figsize=(13, 3.4), width_ratios=[1.6, 1])
draw_ravine(ax_paths)
for label, path in noisy_runs.items():
    ax_paths.plot(path[-100:, 0], path[-100:, 1], ".-", markersize=3, lw=0.8, label=label)
    ax_loss.semilogy(smooth(ravine_loss(path), 20), label=label)
    print(f"{label:24s} mean loss over the last 50 steps {ravine_loss(path[-50:]).mean():.4f}")
ax_paths.set_xlim(-1.5, 1.5)
ax_paths.set_ylim(-0.6, 0.6)
ax_paths.set_title("the last 100 steps, zoomed in on the minimum")
ax_paths.legend(loc="lower right", fontsize=8)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (moving average)")
ax_loss.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 7. Batch normalisation
#
# Inside a deep network each layer's inputs are the previous layer's outputs, and their scale
# shifts every time earlier weights change. Batch normalisation (Ioffe and Szegedy, 2015) pins
# them down: for each feature (column) $j$ of a mini-batch $x \in \mathbb{R}^{N \times D}$, it
# subtracts the batch mean and divides by the batch standard deviation, then lets the network
# choose the scale $\gamma_j$ and shift $\beta_j$ it actually wants:
#
# $$\mu_j = \frac1N \sum_{i} x_{ij}, \qquad
# \sigma_j^2 = \frac1N \sum_{i} (x_{ij} - \mu_j)^2, \qquad
# \hat x_{ij} = \frac{x_{ij} - \mu_j}{\sqrt{\sigma_j^2 + \epsilon}}, \qquad
# y_{ij} = \gamma_j\, \hat x_{ij} + \beta_j.$$
#
# Statistics are taken **over the batch, axis 0**: one mean and one variance per feature.
#
# **Test time is different.** A prediction for one image must not depend on which other images
# share its batch. So during training the layer keeps **running averages** of the batch
# statistics, with a momentum $m$ (default 0.9),
#
# $$\mu_{\text{run}} \leftarrow m\, \mu_{\text{run}} + (1 - m)\, \mu, \qquad
# \sigma^2_{\text{run}} \leftarrow m\, \sigma^2_{\text{run}} + (1 - m)\, \sigma^2,$$
#
# and at test time it normalises with $\mu_{\text{run}}, \sigma^2_{\text{run}}$ and updates
# nothing.
#
# ### Exercise 6: `batchnorm_forward` (3 points)
#
# `bn_param` is a dict the layer keeps between calls: `mode` ("train" or "test"), `eps`
# (default 1e-5), `momentum` (default 0.9), and `running_mean`, `running_var` (zeros of shape
# `(D,)` when missing, as in CS231n). Read the defaults with `bn_param.get(...)`; in training
# mode store the updated running averages back into `bn_param`. The check runs your layer and
# then looks at the running averages it left in `bn_param`, and some cases follow a training
# call with a test call on another batch. Return `(out, cache)`; put in the cache whatever your
# backward pass will need.


# %% nbgrader={"grade": false, "grade_id": "batchnorm-forward", "locked": false, "schema_version": 3, "solution": true}
def batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of batch normalisation.

    x: (N, D) mini-batch; gamma, beta: (D,) scale and shift.
    bn_param: dict with "mode" ("train" or "test"), optional "eps" (1e-5), "momentum" (0.9),
    "running_mean" and "running_var" ((D,), zeros when missing), updated in training mode.
    Returns out (N, D) and a cache for batchnorm_backward (None is fine in test mode).
    """
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    ### BEGIN SOLUTION
    if mode == "train":
        mean = x.mean(axis=0)
        var = x.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (x - mean) * inv_std
        out = gamma * x_hat + beta
        cache = (x, x_hat, gamma, inv_std)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    else:
        raise ValueError(f'mode must be "train" or "test", not {mode!r}')
    return out, cache
    ### END SOLUTION


# %% tags=["spec"]
def _bn_setup(x, bn_param):
    D = x.shape[1]
    return (
        bn_param.get("eps", 1e-5),
        bn_param.get("momentum", 0.9),
        bn_param.get("running_mean", np.zeros(D, dtype=x.dtype)),
        bn_param.get("running_var", np.zeros(D, dtype=x.dtype)),
    )


def _bn_batch_stats_at_test(x, gamma, beta, bn_param):
    eps, momentum, running_mean, running_var = _bn_setup(x, bn_param)
    mean, var = x.mean(axis=0), x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    if bn_param["mode"] == "train":
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    return gamma * x_hat + beta, (x, x_hat, gamma, inv_std)


def _bn_momentum_swapped(x, gamma, beta, bn_param):
    eps, momentum, running_mean, running_var = _bn_setup(x, bn_param)
    if bn_param["mode"] == "test":
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, None
    mean, var = x.mean(axis=0), x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    bn_param["running_mean"] = (1 - momentum) * running_mean + momentum * mean
    bn_param["running_var"] = (1 - momentum) * running_var + momentum * var
    return gamma * x_hat + beta, (x, x_hat, gamma, inv_std)


def _bn_wrong_axis(x, gamma, beta, bn_param):
    eps, momentum, running_mean, running_var = _bn_setup(x, bn_param)
    if bn_param["mode"] == "test":
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, None
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    return gamma * x_hat + beta, (x, x_hat, gamma, inv_std)


exercise(
    "batchnorm_forward",
    private_cache=True,  # what goes in the cache is the learner's design
    public=[
        case(
            np.array([[1.0, 2.0, 0.0], [3.0, 6.0, 0.5], [5.0, 4.0, 1.0], [7.0, 0.0, 0.5]]),
            np.array([1.0, 2.0, 0.5]),
            np.array([0.0, 1.0, -1.0]),
            {"mode": "train"},
            note="train mode, N=4, D=3; running averages start at zero",
        ),
        case(
            np.array([[1.0, -1.0], [3.0, 1.0], [2.0, 0.0]]),
            np.array([2.0, 1.0]),
            np.array([0.5, 0.0]),
            {
                "mode": "test",
                "running_mean": np.array([1.0, 0.5]),
                "running_var": np.array([4.0, 0.25]),
            },
            note="test mode: normalise with the running averages given",
        ),
        case(
            np.array([[0.0, 1.0], [2.0, 3.0], [4.0, -1.0], [2.0, 1.0], [1.0, 0.0]]),
            np.array([1.0, 1.0]),
            np.array([0.0, 0.0]),
            {
                "mode": "train",
                "momentum": 0.5,
                "eps": 1e-3,
                "running_mean": np.array([1.0, -1.0]),
                "running_var": np.array([2.0, 0.5]),
            },
            np.array([[1.0, 1.0], [3.0, 0.0]]),
            note="a train call (momentum 0.5, eps 1e-3), then a test call on the last argument",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 4)),
            rng.normal(size=4),
            rng.normal(size=4),
            {"mode": "train"},
            note="a batch of one in train mode",
        ),
        case(
            rng.normal(loc=100.0, scale=10.0, size=(50, 7)),
            rng.normal(size=7),
            rng.normal(size=7),
            {"mode": "train", "momentum": 0.8},
            rng.normal(loc=100.0, scale=10.0, size=(3, 7)),
            note="large offset, train then test",
        ),
        case(
            rng.normal(size=(6, 6)),
            np.ones(6),
            np.zeros(6),
            {
                "mode": "train",
                "running_mean": rng.normal(size=6),
                "running_var": rng.uniform(0.5, 2.0, size=6),
            },
            rng.normal(size=(6, 6)),
            note="square, running averages given, train then test",
        ),
        case(
            rng.normal(size=(5, 3)),
            rng.normal(size=3),
            rng.normal(size=3),
            {
                "mode": "test",
                "eps": 1e-2,
                "running_mean": rng.normal(size=3),
                "running_var": rng.uniform(0.1, 3.0, size=3),
            },
            note="test mode, eps 1e-2",
        ),
    ],
    mistakes=[
        mistake(
            "batch statistics at test time",
            _bn_batch_stats_at_test,
            "in test mode, normalise with bn_param's running_mean and running_var, not with the "
            "batch's own mean and variance, and do not update them.",
        ),
        mistake(
            "running-average weights swapped",
            _bn_momentum_swapped,
            "the running average keeps momentum of its old value: momentum * running_mean + "
            "(1 - momentum) * mean.",
        ),
        mistake(
            "normalised over the wrong axis",
            _bn_wrong_axis,
            "statistics are per feature, over the batch: mean and var along axis=0, shape (D,).",
        ),
    ],
    driver="autograder.modules.optimization:batchnorm_run",
    outputs=("out", "running_mean", "running_var", "out of the test call that follows"),
)

# %% nbgrader={"grade": true, "grade_id": "batchnorm-forward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""batchnorm_forward: train and test modes, and the running averages left in bn_param."""
check("batchnorm_forward", batchnorm_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("10_optimization", "batchnorm_forward", batchnorm_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 7: `batchnorm_backward` (4 points)
#
# Every $\hat x_{ij}$ depends on **every** $x_{kj}$ of its column, through $\mu_j$ and
# $\sigma_j^2$, so the gradient has three paths: straight through $x_{ij}$, through the mean,
# and through the variance. With $g_{ij} = \partial L / \partial y_{ij}$ (`dout`) the
# parameters are easy,
#
# $$\frac{\partial L}{\partial \beta_j} = \sum_i g_{ij}, \qquad
# \frac{\partial L}{\partial \gamma_j} = \sum_i g_{ij}\, \hat x_{ij},$$
#
# and with $\hat g_{ij} = \gamma_j\, g_{ij}$, the three paths to $x$ add up to
#
# $$\frac{\partial L}{\partial x_{ij}} = \frac{1}{N \sqrt{\sigma_j^2 + \epsilon}}
# \left( N \hat g_{ij} - \sum_k \hat g_{kj} - \hat x_{ij} \sum_k \hat g_{kj}\, \hat x_{kj}
# \right).$$
#
# The first term alone is what you get if you treat $\mu$ and $\sigma^2$ as constants; the
# second comes from the mean, the third from the variance. (Derive it yourself on paper with a
# computation graph: $x \to \mu \to \sigma^2 \to \hat x \to y$; it is a rite of passage.) Each
# column of `dx` sums to zero: shifting a whole column of $x$ changes nothing after the
# normalisation.
#
# The check compares your gradients with the expected ones and with the **numerical gradient**
# of your own `batchnorm_forward` (centred differences), and says which of `dx`, `dgamma`,
# `dbeta` disagrees, and where.


# %% nbgrader={"grade": false, "grade_id": "batchnorm-backward", "locked": false, "schema_version": 3, "solution": true}
def batchnorm_backward(dout, cache):
    """Backward pass of batch normalisation (training mode).

    dout: (N, D) upstream gradient; cache: from batchnorm_forward in training mode.
    Returns dx (N, D), dgamma (D,), dbeta (D,).
    """
    ### BEGIN SOLUTION
    x, x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
    ### END SOLUTION


# %% tags=["spec"]
def _bn_backward_constants(dout, cache):
    x, x_hat, gamma, inv_std = cache
    return dout * gamma * inv_std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def _bn_backward_no_variance_path(dout, cache):
    x, x_hat, gamma, inv_std = cache
    dx_hat = dout * gamma
    dx = inv_std * (dx_hat - dx_hat.mean(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def _bn_backward_dgamma_raw_x(dout, cache):
    x, x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dx_hat = dout * gamma
    dx = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, (dout * x).sum(axis=0), dout.sum(axis=0)


BN_TRAIN = {"mode": "train"}

exercise(
    "batchnorm_backward",
    public=[
        case(
            np.array([[1.0, 2.0, 0.0], [3.0, 6.0, 0.5], [5.0, 4.0, 1.0], [7.0, 0.0, 0.5]]),
            np.array([1.0, 2.0, 0.5]),
            np.array([0.0, 1.0, -1.0]),
            BN_TRAIN,
            np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -1.0], [-0.5, 0.5, 1.0], [2.0, 0.0, 0.0]]),
            note="N=4, D=3",
        ),
        case(
            np.array([[0.0, 1.0], [2.0, 3.0], [4.0, -1.0], [2.0, 1.0], [1.0, 0.0]]),
            np.array([0.5, -1.0]),
            np.array([1.0, 0.0]),
            {"mode": "train", "eps": 1e-3},
            np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 2.0], [0.5, -0.5], [1.0, 1.0]]),
            note="N=5, D=2, eps 1e-3",
        ),
        case(
            np.array([[2.0, -1.0, 0.0, 1.0], [0.0, 1.0, 4.0, 1.5], [1.0, 3.0, -2.0, 0.5]]),
            np.ones(4),
            np.zeros(4),
            BN_TRAIN,
            np.array([[1.0, 1.0, 1.0, 1.0], [0.0, -1.0, 2.0, 0.5], [0.5, 0.0, -1.0, -2.0]]),
            note="N=3, D=4: more features than examples",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 4)),
            rng.normal(size=4),
            rng.normal(size=4),
            BN_TRAIN,
            rng.normal(size=(1, 4)),
            note="a batch of one: dx is zero",
        ),
        case(
            rng.normal(size=(8, 5)),
            rng.normal(size=5),
            rng.normal(size=5),
            BN_TRAIN,
            rng.normal(size=(8, 5)),
            note="random, N=8, D=5",
        ),
        case(
            rng.normal(size=(6, 6)),
            rng.normal(size=6),
            rng.normal(size=6),
            {"mode": "train", "eps": 1e-2},
            rng.normal(size=(6, 6)),
            note="square, eps 1e-2",
        ),
        case(
            rng.normal(loc=1e3, scale=50.0, size=(7, 3)),
            rng.normal(size=3),
            rng.normal(size=3),
            BN_TRAIN,
            rng.normal(size=(7, 3)) * 10.0,
            note="large offset and spread",
        ),
    ],
    mistakes=[
        mistake(
            "mean and variance treated as constants",
            _bn_backward_constants,
            "dx = dout * gamma / std is only the direct path: x also moves the batch mean and "
            "the batch variance, and both paths add terms (see the formula above). Each column "
            "of dx should sum to zero.",
        ),
        mistake(
            "path through the variance missing",
            _bn_backward_no_variance_path,
            "you subtracted the mean of the gradient (the path through mu) but not the term "
            "through sigma^2: - x_hat * sum(dx_hat * x_hat, axis=0) / N.",
        ),
        mistake(
            "dgamma from x instead of x_hat",
            _bn_backward_dgamma_raw_x,
            "gamma multiplies the normalised input: dgamma = sum(dout * x_hat, axis=0).",
        ),
    ],
    uses=("batchnorm_forward",),
    driver="autograder.modules.optimization:batchnorm_gradients",
    outputs=("dx", "dgamma", "dbeta", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "batchnorm-backward-tests", "locked": true, "points": 4, "schema_version": 3, "solution": false}
"""batchnorm_backward: dx, dgamma, dbeta as expected and as the numerical gradient."""
check("batchnorm_backward", batchnorm_backward, batchnorm_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("10_optimization", "batchnorm_backward", batchnorm_backward, batchnorm_forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 8. What batch normalisation buys: a deep network at a bold learning rate
#
# First, what it does to the signal. Push a batch of digits through six He-initialised layers
# and look at the spread of each hidden layer's pre-activations, with and without your layer.

# %%
needs("batchnorm_forward", "batchnorm_backward")
deep_dims = [64, 64, 64, 64, 64, 64, 10]
probe_rows = np.random.default_rng(1).choice(len(X_train), 256, replace=False)


def layer_spreads(params, batchnorm):
    hidden, spreads = X_train[probe_rows], []
    for i in range(len(deep_dims) - 2):
        z = hidden @ params[f"W{i}"] + params[f"b{i}"]
        if batchnorm:
            z, _ = batchnorm_forward(z, params[f"gamma{i}"], params[f"beta{i}"], {"mode": "train"})
        spreads.append(z.std())
        hidden = np.maximum(z, 0.0)
    return spreads


plain_params = init_network(deep_dims, batchnorm=False, seed=3)
plain_params["W2"] = plain_params["W2"] * 3.0  # one badly scaled layer, as training can make
bn_params_demo = {**init_network(deep_dims, batchnorm=True, seed=3), "W2": plain_params["W2"]}
plt.figure(figsize=(5, 2.8))
plt.semilogy(range(1, 6), layer_spreads(plain_params, False), "o-", label="without batchnorm")
plt.semilogy(range(1, 6), layer_spreads(bn_params_demo, True), "o-", label="with batchnorm")
plt.xlabel("hidden layer")
plt.ylabel("std of pre-activations")
plt.legend()
plt.show()

# %% [markdown]
# One layer whose weights grew three times too large, and every layer after it is three times
# louder, then the scores and the gradients. With batch normalisation the scale of the weights
# no longer reaches the next layer. This is what lets a deep network take large steps: a step
# that inflates some weights does not make the rest of the network explode.
#
# Now the experiment. A six-layer network (five hidden layers of 64) trained with momentum SGD
# for five epochs at five learning rates, with and without batch normalisation: ten short runs,
# a few seconds. Your `batchnorm_forward`, `batchnorm_backward` and `sgd_momentum` do
# all the work.

# %%
needs("sgd_momentum", "batchnorm_forward", "batchnorm_backward")
bn_rates = [0.01, 0.03, 0.1, 0.2, 0.4]
deep_runs = {}
for rate in tqdm(bn_rates, desc="learning rates"):
    for batchnorm in (False, True):
        deep_runs[rate, batchnorm] = train(
            sgd_momentum,
            {"learning_rate": rate},
            deep_dims,
            batchnorm=batchnorm,
            num_epochs=5,
            desc=f"η={rate}, batchnorm {'on' if batchnorm else 'off'}",
        )


def final_accuracy(run):
    return run["test_acc"][-1] if len(run["test_acc"]) == 5 else 0.1  # diverged: chance level


plt.figure(figsize=(5, 3))
for batchnorm, label in ((False, "without batchnorm"), (True, "with batchnorm")):
    plt.semilogx(
        bn_rates, [final_accuracy(deep_runs[r, batchnorm]) for r in bn_rates], "o-", label=label
    )
plt.xlabel("learning rate")
plt.ylabel("test accuracy after 5 epochs")
plt.ylim(0, 1)
plt.legend()
plt.show()

# %% [markdown]
# Pick a learning rate and compare the two training curves. A curve that stops early hit an
# infinite or NaN loss: that run diverged.


# %%
needs("sgd_momentum", "batchnorm_forward", "batchnorm_backward")


def show_deep_runs(learning_rate=0.1):
    plt.figure(figsize=(7, 3))
    for batchnorm, color in ((False, "tab:red"), (True, "tab:green")):
        run = deep_runs[learning_rate, batchnorm]
        label = (
            f"{'with' if batchnorm else 'without'} batchnorm: test acc {final_accuracy(run):.2f}"
        )
        plt.semilogy(smooth(run["loss"]), color=color, label=label)
    plt.xlabel("step")
    plt.ylabel("training loss (moving average)")
    plt.ylim(1e-2, 1e2)
    plt.title(f"6-layer network, momentum SGD, η = {learning_rate}")
    plt.legend(fontsize=8)
    plt.show()


deep_viewer = widgets.interact(
    show_deep_runs,
    learning_rate=widgets.SelectionSlider(options=bn_rates, value=0.1, description="η"),
)

# %% [markdown]
# At small rates both networks train about equally well. From $\eta = 0.1$ the plain network
# struggles, and beyond it its loss explodes to infinity within a few steps, while the normalised
# one trains at $\eta = 0.4$ as well as at $0.03$. That is the lasting effect of batch normalisation: it makes
# training far less sensitive to the learning rate and to the scale of the weights, so you can
# turn the rate up and stop worrying about initialisation.
#
# **What you built.** Four update rules that keep state across steps, a schedule, and a layer
# whose backward pass has to go through statistics of the whole batch. PyTorch's
# `torch.optim.SGD(momentum=...)`, `RMSprop`, `Adam`, `CosineAnnealingLR` and `BatchNorm1d` are
# these same few lines. **Next**, module 11 steps back from the code to the craft: how to split
# data, diagnose bias and variance, and decide what to try next.
