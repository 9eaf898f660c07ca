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
# # 09 · Initialisation and regularisation: start well, then don't memorise
#
# **Why this matters.** You can now build and train a network of any depth. Two things still
# decide whether it works:
#
# * **where training starts.** Weights drawn at the wrong scale make the signal vanish or explode
#   as it crosses layer after layer, and a deep network then learns nothing at all. Weights all
#   equal never learn to differ. The fix is one line, a square root in the right place, and you
#   will see why it is that one.
# * **what training is rewarded for.** A network with enough parameters can learn its training
#   set by heart, noise included, and do worse on new data than a smaller one. **Regularisation**
#   (weight decay, dropout, early stopping) trades a little fit on the training set for a lot of
#   fit on data the network has never seen.
#
# You will write the initialisers (Xavier, He), the L2 penalty, inverted dropout forward and
# backward, and early stopping, then watch each one close the gap between a training curve and a
# validation curve.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("09_regularization")

# %% [markdown]
# ## 1. Initialisation: keeping the signal alive through depth
#
# A layer computes $z_j = \sum_{i=1}^{n_\text{in}} a_i W_{ij}$ from the $n_\text{in}$ activations
# $a_i$ of the layer below (its **fan-in**). If the weights are drawn independently with mean 0
# and variance $\sigma^2$, and the inputs have mean 0 and variance $v$, the variances add up:
#
# $$\operatorname{Var}(z_j) = n_\text{in}\,\sigma^2\,v.$$
#
# Each layer multiplies the variance of the signal by $n_\text{in}\sigma^2$. Over ten layers that
# factor is raised to the tenth power: a little above 1 and the activations explode, a little
# below and they vanish, and the gradients, which flow back through the same weights, do the
# same. Let us watch it happen in a network of 10 layers of 256 units, on 500 random inputs.


# %%
def layer_activations(init, activation, num_layers=10, width=256, seed=0):
    """Activations of every layer of a deep, bias-free network on 500 standard normal inputs.

    init(fan_in, fan_out, rng) draws one weight matrix; activation is applied after each layer.
    Returns a list of num_layers arrays of shape (500, width).
    """
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((500, width))
    outputs = []
    for _ in range(num_layers):
        h = activation(h @ init(width, width, rng))
        outputs.append(h)
    return outputs


def relu(z):
    return np.maximum(z, 0.0)


def zeros_init(fan_in, fan_out, rng):
    """Every weight 0."""
    return np.zeros((fan_in, fan_out))


def large_init(fan_in, fan_out, rng):
    """Standard normal weights: a variance of 1, whatever the fan-in."""
    return rng.standard_normal((fan_in, fan_out))


for name, init in [("zeros", zeros_init), ("large random, std 1", large_init)]:
    stds = [h.std() for h in layer_activations(init, np.tanh)]
    print(f"{name:>20}: std of tanh activations, layers 1-10:", np.round(stds, 3))

# %% [markdown]
# Two failures, opposite and equally fatal:
#
# * **Zeros.** Every unit computes 0, and, worse, every unit of a layer computes *the same thing*,
#   so they all receive the same gradient and stay identical forever: a layer of 256 units is no
#   better than a layer of one. Random initialisation is there to **break the symmetry**.
# * **Standard normal.** With $n_\text{in} = 256$ and $\sigma^2 = 1$, each layer multiplies the
#   variance by 256: the tanh units are pushed to $\pm1$ and **saturate**, where their slope, and
#   so every gradient through them, is almost 0.
#
# The cure is to choose $\sigma^2$ so that the factor $n_\text{in}\sigma^2$ is 1.
#
# * **Xavier (Glorot) initialisation**, for tanh and sigmoid networks, compromises between
#   keeping the forward signal ($\sigma^2 = 1/n_\text{in}$) and the backward gradient
#   ($\sigma^2 = 1/n_\text{out}$):
#   $$W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{n_\text{in} + n_\text{out}}\right).$$
# * **He (Kaiming) initialisation**, for ReLU networks. A ReLU sets half of its inputs to 0, so it
#   halves the mean square of the signal, $\mathbb E[\mathrm{relu}(z)^2] = \tfrac12
#   \operatorname{Var}(z)$. He doubles the variance to make up for it:
#   $$W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{n_\text{in}}\right).$$
#
# **Worked example.** A layer with $n_\text{in} = 3$ inputs and $n_\text{out} = 2$ outputs:
# Xavier's standard deviation is $\sqrt{2/5} \approx 0.632$, He's is $\sqrt{2/3} \approx 0.816$.
# Careful: NumPy's `rng.normal(loc, scale, size)` takes the **standard deviation** as `scale`,
# not the variance.
#
# ### Exercise 1: `xavier_init` (2 points)
#
# Return a `(fan_in, fan_out)` matrix of Xavier-normal weights. So that your result can be
# compared with the reference number by number, draw them in one call,
# `rng.normal(0.0, std, size=(fan_in, fan_out))` (or `rng.standard_normal((fan_in, fan_out)) * std`,
# which gives the very same numbers). `rng` is a `np.random.Generator`: use it, never
# `np.random.*`.


# %% nbgrader={"grade": false, "grade_id": "xavier-init", "locked": false, "schema_version": 3, "solution": true}
def xavier_init(fan_in, fan_out, rng):
    """Xavier (Glorot) normal initialisation.

    fan_in, fan_out: ints, the sizes of the layer's input and output; rng: np.random.Generator.
    Returns W of shape (fan_in, fan_out), drawn as rng.normal(0, std, size=(fan_in, fan_out))
    with std = sqrt(2 / (fan_in + fan_out)).
    """
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return rng.normal(0.0, std, size=(fan_in, fan_out))
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import Seeded, case, exercise, mistake


def _xavier_fan_in_only(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


def _xavier_variance_as_std(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / (fan_in + fan_out), size=(fan_in, fan_out))


def _xavier_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


exercise(
    "xavier_init",
    public=[
        case(3, 2, Seeded(0), note="fan_in 3, fan_out 2"),
        case(4, 6, Seeded(1), note="fan_in 4, fan_out 6"),
        case(5, 5, Seeded(2), note="square"),
    ],
    hidden=lambda rng: [
        case(1, 1, Seeded(int(rng.integers(1000, 2000))), note="one input, one output"),
        case(64, 10, Seeded(int(rng.integers(2000, 3000))), note="a wide input layer"),
        case(2, 300, Seeded(int(rng.integers(3000, 4000))), note="a very wide output"),
        case(128, 128, Seeded(int(rng.integers(4000, 5000))), note="square and large"),
    ],
    mistakes=[
        mistake(
            "fan-in only",
            _xavier_fan_in_only,
            "you used variance 1/fan_in (LeCun's rule). Xavier averages both fans: "
            "variance 2 / (fan_in + fan_out).",
        ),
        mistake(
            "variance passed as std",
            _xavier_variance_as_std,
            "rng.normal takes the standard deviation: pass np.sqrt(2 / (fan_in + fan_out)), "
            "not 2 / (fan_in + fan_out).",
        ),
        mistake(
            "uniform draw",
            _xavier_uniform,
            "that is Xavier-uniform (Keras' default). This exercise asks for the normal version, "
            "drawn with rng.normal(0, std, size=(fan_in, fan_out)).",
        ),
    ],
    rtol=1e-9,
    atol=1e-12,
)

# %% nbgrader={"grade": true, "grade_id": "xavier-init-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""xavier_init: shape (fan_in, fan_out), std sqrt(2 / (fan_in + fan_out)), the documented draw."""
check("xavier_init", xavier_init)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("09_regularization", "xavier_init", xavier_init)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: `he_init` (2 points)
#
# The same for ReLU layers: standard deviation $\sqrt{2/n_\text{in}}$, drawn as
# `rng.normal(0.0, std, size=(fan_in, fan_out))`. Only the fan-in counts here: it is the number of
# terms summed into each unit in the forward pass.


# %% nbgrader={"grade": false, "grade_id": "he-init", "locked": false, "schema_version": 3, "solution": true}
def he_init(fan_in, fan_out, rng):
    """He (Kaiming) normal initialisation for ReLU layers.

    fan_in, fan_out: ints; rng: np.random.Generator.
    Returns W of shape (fan_in, fan_out), drawn as rng.normal(0, std, size=(fan_in, fan_out))
    with std = sqrt(2 / fan_in).
    """
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / fan_in)
    return rng.normal(0.0, std, size=(fan_in, fan_out))
    ### END SOLUTION


# %% tags=["spec"]
def _he_variance_one_over_fan_in(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


def _he_fan_out(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))


def _he_no_sqrt(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))


exercise(
    "he_init",
    public=[
        case(3, 2, Seeded(0), note="fan_in 3, fan_out 2"),
        case(8, 4, Seeded(1), note="fan_in 8, fan_out 4"),
        case(2, 5, Seeded(2), note="more outputs than inputs"),
    ],
    hidden=lambda rng: [
        case(1, 1, Seeded(int(rng.integers(1000, 2000))), note="one input, one output"),
        case(64, 100, Seeded(int(rng.integers(2000, 3000))), note="64 inputs, 100 units"),
        case(300, 3, Seeded(int(rng.integers(3000, 4000))), note="a very wide input"),
        case(50, 50, Seeded(int(rng.integers(4000, 5000))), note="square"),
    ],
    mistakes=[
        mistake(
            "variance 1/fan_in",
            _he_variance_one_over_fan_in,
            "variance 1/fan_in is right for tanh, but a ReLU zeroes half of its inputs: He "
            "doubles the variance to 2/fan_in.",
        ),
        mistake(
            "used fan_out",
            _he_fan_out,
            "each unit sums fan_in terms in the forward pass, so the variance is 2/fan_in.",
        ),
        mistake(
            "variance passed as std",
            _he_no_sqrt,
            "rng.normal takes the standard deviation: pass np.sqrt(2 / fan_in), not 2 / fan_in.",
        ),
    ],
    rtol=1e-9,
    atol=1e-12,
)

# %% nbgrader={"grade": true, "grade_id": "he-init-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""he_init: shape (fan_in, fan_out), std sqrt(2 / fan_in), the documented draw."""
check("he_init", he_init)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("09_regularization", "he_init", he_init)
### END HIDDEN TESTS

# %% [markdown]
# ### Four initialisations, layer by layer
#
# Each row below is one initialisation, each column one layer of the 10-layer tanh network: the
# histogram of its 128,000 activations. Zeros collapse to a spike at 0, large weights pile up at
# $\pm1$ (saturated), Xavier keeps a spread all the way down, narrowing slowly because tanh
# squashes a little at every layer.

# %%
needs("xavier_init", "he_init")
schemes = {
    "zeros": zeros_init,
    "large (std 1)": large_init,
    "Xavier": xavier_init,
    "He": he_init,
}
shown_layers = [0, 2, 5, 9]
tanh_runs = {name: layer_activations(init, np.tanh) for name, init in schemes.items()}

fig, axes = plt.subplots(len(schemes), len(shown_layers), figsize=(11, 7), sharex=True)
for row, (name, activations) in enumerate(tanh_runs.items()):
    for col, layer in enumerate(shown_layers):
        ax = axes[row, col]
        ax.hist(activations[layer].ravel(), bins=60, range=(-1, 1), color=f"C{row}")
        ax.set_yticks([])
        if row == 0:
            ax.set_title(f"layer {layer + 1}")
        if col == 0:
            ax.set_ylabel(name)
fig.suptitle("tanh activations, layer by layer")
plt.tight_layout()
plt.show()

# %% [markdown]
# For ReLU networks the contrast is between Xavier and He. The plot follows the standard deviation
# of the activations through the 10 layers: with Xavier ($\sigma^2 = 1/256$ here, since fan-in
# and fan-out are equal) each ReLU layer halves the mean square, so after 10 layers the signal is
# $2^{-5} \approx 3\%$ of its size; large weights blow it up by $\sqrt{128}$ per layer; He holds it
# steady.

# %%
needs("xavier_init", "he_init")
fig, (ax_tanh, ax_relu) = plt.subplots(1, 2, figsize=(11, 3.6))
layers = np.arange(1, 11)
for name, init in list(schemes.items())[1:]:
    ax_tanh.semilogy(layers, [h.std() for h in tanh_runs[name]], "o-", label=name)
    ax_relu.semilogy(layers, [h.std() for h in layer_activations(init, relu)], "o-", label=name)
ax_tanh.set_title("tanh network")
ax_relu.set_title("ReLU network")
for ax in (ax_tanh, ax_relu):
    ax.set_xlabel("layer")
    ax.set_ylabel("std of activations")
    ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# **Try it.** The slider scales the weights' standard deviation by a factor times
# $1/\sqrt{n_\text{in}}$. Find the scale where the ReLU network neither explodes nor vanishes
# (it is $\sqrt2 \approx 1.41$, He), then switch to tanh and find its scale (1, Xavier's; tanh
# itself still shrinks the signal a little). Notice how narrow the healthy band is over 10 layers.


# %%
def show_scale(scale=1.0, activation="relu"):
    act = relu if activation == "relu" else np.tanh

    def scaled_init(fan_in, fan_out, rng):
        return rng.standard_normal((fan_in, fan_out)) * (scale / np.sqrt(fan_in))

    activations = layer_activations(scaled_init, act)
    fig, axes = plt.subplots(1, 5, figsize=(12, 2.4))
    for ax, layer in zip(axes, [0, 2, 4, 6, 9]):
        values = activations[layer].ravel()
        ax.hist(values, bins=50, color="C0")
        ax.set_title(f"layer {layer + 1}: std {values.std():.2g}", fontsize=9)
        ax.set_yticks([])
    fig.suptitle(f"{activation}, weights with std {scale:.2f} / sqrt(fan_in)", fontsize=10)
    plt.tight_layout()
    plt.show()


scale_explorer = widgets.interact(
    show_scale,
    scale=widgets.FloatSlider(1.0, min=0.5, max=2.5, step=0.05, description="scale"),
    activation=widgets.ToggleButtons(options=["relu", "tanh"], description="activation"),
)

# %% [markdown]
# ## 2. A network that memorises
#
# Now a learning problem with too little data: 80 points of two interleaved half-moons, with
# noise strong enough that the classes overlap. A **validation set** of 400 fresh points from the
# same distribution tells us how well a model does on data it has not trained on. (Module 11 says
# more about how to split data.)

# %%
X_train, y_train = make_moons(80, noise=0.35, random_state=1)
X_val, y_val = make_moons(400, noise=0.35, random_state=2)

plt.figure(figsize=(5, 3.5))
plt.scatter(*X_val.T, c=y_val, cmap="coolwarm", s=8, alpha=0.25, label="validation")
plt.scatter(*X_train.T, c=y_train, cmap="coolwarm", s=30, edgecolor="k", label="training")
plt.legend()
plt.title("80 training points, 400 validation points")
plt.show()

# %% [markdown]
# The network: two hidden ReLU layers of 64 units (4,500 parameters for 80 points), softmax
# output, trained by full-batch gradient descent. Its code is below; note where it calls *your*
# functions: `l2_penalty` when `reg > 0`, `dropout_forward`/`dropout_backward` after each hidden
# ReLU when `keep < 1` (you write them in sections 3 and 4).


# %%
needs("he_init")


def init_network(layer_sizes, init, rng):
    """[W1, b1, W2, b2, ...]: weights from init(fan_in, fan_out, rng), zero biases."""
    params = []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        params += [init(fan_in, fan_out, rng), np.zeros(fan_out)]
    return params


def network_forward(params, X, keep=1.0, mode="test", rng=None):
    """Scores (N, C) of an MLP with ReLU hidden layers, and what its backward pass needs."""
    num_layers = len(params) // 2
    inputs, pre_activations, drop_caches = [], [], []
    h = X
    for layer in range(num_layers):
        inputs.append(h)
        z = h @ params[2 * layer] + params[2 * layer + 1]
        if layer == num_layers - 1:
            return z, (inputs, pre_activations, drop_caches)
        pre_activations.append(z)
        h = np.maximum(z, 0.0)
        drop_cache = None
        if keep < 1.0:
            h, drop_cache = dropout_forward(h, keep, mode, rng)
        drop_caches.append(drop_cache)


def cross_entropy(scores, y):
    """Mean softmax cross-entropy, and its gradient with respect to the scores."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(y))
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1.0
    return -log_probs[rows, y].mean(), dscores / len(y)


def network_loss(params, X, y, reg=0.0, keep=1.0, rng=None):
    """Training loss (data loss + L2 penalty) and its gradients, shaped like params."""
    scores, (inputs, pre_activations, drop_caches) = network_forward(params, X, keep, "train", rng)
    loss, dz = cross_entropy(scores, y)
    grads = [None] * len(params)
    for layer in reversed(range(len(params) // 2)):
        grads[2 * layer] = inputs[layer].T @ dz
        grads[2 * layer + 1] = dz.sum(axis=0)
        if layer > 0:
            dh = dz @ params[2 * layer].T
            if drop_caches[layer - 1] is not None:
                dh = dropout_backward(dh, drop_caches[layer - 1])
            dz = dh * (pre_activations[layer - 1] > 0)
    if reg > 0:
        penalty, penalty_grads = l2_penalty(params, reg)
        loss += penalty
        grads = [g + pg for g, pg in zip(grads, penalty_grads)]
    return loss, grads


def evaluate(params, X, y, keep=1.0):
    """(data loss, accuracy) in test mode: no dropout noise, no penalty."""
    scores, _ = network_forward(params, X, keep, "test", np.random.default_rng(0))
    return cross_entropy(scores, y)[0], float(np.mean(scores.argmax(axis=1) == y))


def train_network(
    init=None, reg=0.0, keep=1.0, num_epochs=600, lr=0.5, hidden=(64, 64), seed=0, desc=None
):
    """Full-batch gradient descent on the moons; returns (params, history of losses/accuracies)."""
    rng = np.random.default_rng(seed)
    params = init_network([2, *hidden, 2], init or he_init, rng)
    history = {key: [] for key in ("train_loss", "val_loss", "train_acc", "val_acc")}
    for _ in tqdm(range(num_epochs), desc=desc or "training", leave=False):
        _, grads = network_loss(params, X_train, y_train, reg, keep, rng)
        params = [p - lr * g for p, g in zip(params, grads)]
        for split, (X, y) in {"train": (X_train, y_train), "val": (X_val, y_val)}.items():
            loss, acc = evaluate(params, X, y, keep)
            history[f"{split}_loss"].append(loss)
            history[f"{split}_acc"].append(acc)
    return params, {key: np.array(values) for key, values in history.items()}


grid_x, grid_y = np.meshgrid(np.linspace(-2.2, 3.2, 120), np.linspace(-1.7, 2.2, 120))
grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])


def boundary(params, keep=1.0):
    """Probability of class 1 on the plotting grid, in test mode."""
    scores, _ = network_forward(params, grid, keep, "test", np.random.default_rng(0))
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return (shifted[:, 1] / shifted.sum(axis=1)).reshape(grid_x.shape)


def draw_run(ax_curves, ax_boundary, history, probs, title):
    ax_curves.plot(history["train_loss"], label="training loss")
    ax_curves.plot(history["val_loss"], label="validation loss")
    ax_curves.set_ylim(0, 1.0)
    ax_curves.set_xlabel("epoch")
    ax_curves.set_title(
        f"{title}: accuracy {history['train_acc'][-1]:.2f} train, "
        f"{history['val_acc'][-1]:.2f} validation",
        fontsize=9,
    )
    ax_curves.legend()
    ax_boundary.contourf(grid_x, grid_y, probs, levels=20, cmap="coolwarm", alpha=0.6)
    ax_boundary.contour(grid_x, grid_y, probs, levels=[0.5], colors="k")
    ax_boundary.scatter(*X_train.T, c=y_train, cmap="coolwarm", s=20, edgecolor="k")
    ax_boundary.set_title("decision boundary and training points", fontsize=9)


# %% [markdown]
# First, initialisation again, this time in training: 150 epochs of the same network with each
# of the four schemes. Zeros never leave the starting line (every hidden unit is identical, and with
# ReLU even their gradients are 0). Large weights start with a loss in the hundreds and lurch
# about before settling: this network has only two hidden layers, so it recovers, where a deep one
# would not. Xavier and He start at a sensible loss and train at once.

# %%
needs("xavier_init", "he_init")
fig, ax = plt.subplots(figsize=(6, 3.2))
for name, init in tqdm(schemes.items(), desc="initialisations"):
    _, run = train_network(init, num_epochs=150, desc=name)
    ax.semilogy(run["train_loss"], label=f"{name}: final {run['train_loss'][-1]:.3f}")
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.legend()
plt.show()

# %% [markdown]
# Now 600 epochs with He initialisation and no regularisation. Watch the two curves part ways:
# the training loss keeps falling towards 0 while the validation loss, after a minimum, **rises**.
# The network is fitting the noise: the boundary bends around individual training points, and
# the model becomes ever more confident of predictions that are wrong on new data. This gap
# between training and validation performance is **variance**, or **overfitting**.

# %%
needs("he_init")
baseline_params, baseline = train_network(desc="no regularisation")
fig, (ax_curves, ax_boundary) = plt.subplots(1, 2, figsize=(11, 3.8))
draw_run(ax_curves, ax_boundary, baseline, boundary(baseline_params), "no regularisation")
plt.tight_layout()
plt.show()
best = int(np.argmin(baseline["val_loss"]))
print(
    f"lowest validation loss {baseline['val_loss'][best]:.3f} at epoch {best}; "
    f"after 600 epochs: {baseline['val_loss'][-1]:.3f}"
)

# %% [markdown]
# ## 3. L2 regularisation (weight decay)
#
# Large weights are what let a network draw sharp, wiggly boundaries. **L2 regularisation** adds
# a penalty on their size to the loss:
#
# $$L = L_\text{data} + \frac{\lambda}{2} \sum_{\ell} \lVert W^{[\ell]} \rVert_F^2,
# \qquad \lVert W \rVert_F^2 = \sum_{i,j} W_{ij}^2 .$$
#
# The $\tfrac12$ is a convention that makes the gradient clean:
# $\partial L / \partial W = \partial L_\text{data}/\partial W + \lambda W$. A gradient step then
# reads $W \leftarrow (1 - \eta\lambda) W - \eta\,\partial L_\text{data}/\partial W$: every step
# first shrinks the weights by a constant factor, hence the name **weight decay**.
#
# Only **weights** are penalised, not biases: a bias shifts a unit without making the function it
# computes any steeper, so penalising it only costs fit.
#
# **Worked example.** `weights = [W, b]` with $W = \begin{pmatrix}1 & 2\\ 0 & -1\end{pmatrix}$,
# $b = (3, 3)$ and $\lambda = 0.1$: the loss is $\tfrac{0.1}{2}(1 + 4 + 0 + 1) = 0.3$, the
# gradients are $0.1\,W$ and $(0, 0)$.
#
# ### Exercise 3: `l2_penalty` (3 points)
#
# `weights` is the list of *all* the network's parameter arrays, in order, e.g.
# `[W1, b1, W2, b2]`. Penalise the arrays with two or more dimensions (weight matrices, and
# convolution kernels later in the course); leave the 1-D arrays (biases) alone: their gradient is
# an array of zeros of the same shape. Return the loss as a float and a list with one gradient per
# entry of `weights`.


# %% nbgrader={"grade": false, "grade_id": "l2-penalty", "locked": false, "schema_version": 3, "solution": true}
def l2_penalty(weights, reg):
    """L2 penalty on the weight arrays of a network, and its gradients.

    weights: list of arrays, e.g. [W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)]; arrays with ndim >= 2
        are penalised, 1-D arrays (biases) are not.
    reg: the regularisation strength lambda >= 0.
    Returns (loss, grads): loss = 0.5 * reg * (sum of the squares of every penalised array), a
    float; grads a list shaped like weights: reg * W for penalised arrays, zeros for biases.
    """
    ### BEGIN SOLUTION
    loss = 0.0
    grads = []
    for W in weights:
        if W.ndim >= 2:
            loss += 0.5 * reg * np.sum(W * W)
            grads.append(reg * W)
        else:
            grads.append(np.zeros_like(W))
    return float(loss), grads
    ### END SOLUTION


# %% tags=["spec"]
def _l2_biases_too(weights, reg):
    loss = 0.5 * reg * sum(np.sum(W**2) for W in weights)
    return float(loss), [reg * W for W in weights]


def _l2_gradient_doubled(weights, reg):
    loss = 0.5 * reg * sum(np.sum(W**2) for W in weights if W.ndim >= 2)
    return float(loss), [2 * reg * W if W.ndim >= 2 else np.zeros_like(W) for W in weights]


def _l2_loss_without_half(weights, reg):
    loss = reg * sum(np.sum(W**2) for W in weights if W.ndim >= 2)
    return float(loss), [reg * W if W.ndim >= 2 else np.zeros_like(W) for W in weights]


def _l2_gradient_without_reg(weights, reg):
    loss = 0.5 * reg * sum(np.sum(W**2) for W in weights if W.ndim >= 2)
    return float(loss), [W.copy() if W.ndim >= 2 else np.zeros_like(W) for W in weights]


def _l2_public_net():
    W1 = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    W2 = np.array([[1.0, -1.0], [2.0, 0.0], [0.0, 1.0]])
    return [W1, np.array([3.0, 3.0, -1.0]), W2, np.array([0.5, -2.0])]


exercise(
    "l2_penalty",
    public=[
        case(
            [np.array([[1.0, 2.0], [0.0, -1.0]]), np.array([3.0, 3.0])],
            0.1,
            note="the worked example",
        ),
        case(_l2_public_net(), 0.5, note="[W1, b1, W2, b2], W1 2x3, W2 3x2"),
        case(
            [np.array([[2.0, -1.0, 0.0, 1.0]]), np.array([[1.0], [3.0], [-2.0], [0.0]])],
            0.01,
            note="two matrices, no biases",
        ),
    ],
    hidden=lambda rng: [
        case(
            [
                rng.normal(size=(64, 100)),
                np.zeros(100),
                rng.normal(size=(100, 10)),
                rng.normal(size=10),
            ],
            1e-3,
            note="a 64-100-10 network",
        ),
        case([rng.normal(size=(1, 1)), rng.normal(size=1)], 2.0, note="one weight, one bias"),
        case([rng.normal(size=(5, 3)), rng.normal(size=3)], 0.0, note="reg = 0"),
        case(
            [rng.normal(size=(8, 3, 3, 3)), rng.normal(size=8)],
            0.05,
            note="a 4-D convolution kernel and its bias",
        ),
        case([rng.normal(size=(4, 7)) * 1e3, rng.normal(size=7) * 1e3], 0.3, note="huge weights"),
    ],
    mistakes=[
        mistake(
            "penalised the biases",
            _l2_biases_too,
            "only arrays with ndim >= 2 are weights. Biases (1-D) get no penalty and a zero "
            "gradient: np.zeros_like(b).",
        ),
        mistake(
            "gradient twice too large",
            _l2_gradient_doubled,
            "with the 1/2 in the loss, the derivative of 0.5 * reg * W**2 is reg * W, "
            "not 2 * reg * W.",
        ),
        mistake(
            "loss without the 1/2",
            _l2_loss_without_half,
            "the convention here is loss = 0.5 * reg * sum(W**2): it is what makes the gradient "
            "exactly reg * W.",
        ),
        mistake(
            "gradient missing reg",
            _l2_gradient_without_reg,
            "the gradient of 0.5 * reg * sum(W**2) is reg * W: multiply by the strength.",
        ),
    ],
    outputs=("loss", "grads"),
    rtol=1e-9,
    atol=1e-12,
)

# %% nbgrader={"grade": true, "grade_id": "l2-penalty-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""l2_penalty: 0.5 * reg * sum of squares of the weights (not biases), gradients reg * W."""
check("l2_penalty", l2_penalty)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("09_regularization", "l2_penalty", l2_penalty)
### END HIDDEN TESTS

# %% [markdown]
# Your penalty at work: the same network trained with five strengths $\lambda$. Small values
# change little, $\lambda \approx 0.01$ keeps the validation loss from climbing and smooths the
# boundary, and too much regularisation **underfits**: the boundary is too simple for the moons
# and both losses stay high (that is **bias**).

# %%
needs("he_init", "l2_penalty")
l2_strengths = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1]
runs = {"none": (baseline, boundary(baseline_params))}
for reg in tqdm(l2_strengths, desc="L2 strengths"):
    params, history = train_network(reg=reg, desc=f"L2 {reg:g}")
    runs[f"L2 {reg:g}"] = (history, boundary(params))

fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
for name, (history, _) in runs.items():
    line = axes[0].plot(history["val_loss"], label=name)[0]
    axes[1].bar(name, history["train_acc"][-1] - history["val_acc"][-1], color=line.get_color())
axes[0].set_ylim(0.2, 1.0)
axes[0].set_xlabel("epoch")
axes[0].set_title("validation loss")
axes[0].legend()
axes[1].set_title("final gap: train accuracy - validation accuracy")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4. Inverted dropout
#
# **Dropout** switches each hidden unit off at random at every training step: with probability
# $1 - p$ its activation is set to 0, with probability $p$ (the **keep probability**) it is kept.
# No unit can rely on any particular other unit being there, so the network cannot build the
# fragile co-adapted detectors that memorise single points; it is like training a huge ensemble of
# thinned networks that share their weights.
#
# At test time every unit is on. For the next layer to see inputs of the same size on average as
# in training, where only a share $p$ of the units were on, **inverted dropout** scales the kept
# activations by $1/p$ *during training*:
#
# $$\text{mask}_i = \frac{\mathbb 1[u_i < p]}{p}, \quad u_i \sim \mathcal U[0, 1), \qquad
# \text{out} = x \odot \text{mask} \quad\text{(train)}, \qquad \text{out} = x \quad\text{(test)}.$$
#
# Then $\mathbb E[\text{out}_i] = x_i$ and the test-time network needs no change at all.
#
# **Worked example.** $x = (2, 4, 6, 8)$, $p = 0.5$ and uniform draws $u = (0.1, 0.7, 0.4, 0.9)$:
# the mask is $(2, 0, 2, 0)$ and the output $(4, 0, 12, 0)$. Its mean, 4, is close to the mean of
# $x$, 5; the average over many draws is exactly $x$.
#
# ### Exercise 4: `dropout_forward` (3 points)
#
# `p` is the **keep** probability. In `"train"` mode draw the mask in one call,
# `mask = (rng.random(x.shape) < p) / p`, so that your result can be compared with the
# reference's; in `"test"` mode return `x` unchanged (and draw nothing). Return `(out, cache)`
# with `cache = (mode, mask)`: the mask as you applied it, $1/p$ included, or `None` in test mode.
# The check compares both.


# %% nbgrader={"grade": false, "grade_id": "dropout-forward", "locked": false, "schema_version": 3, "solution": true}
def dropout_forward(x, p, mode, rng):
    """Inverted dropout.

    x: array of any shape; p: keep probability in (0, 1]; mode: "train" or "test";
    rng: np.random.Generator.
    Train: mask = (rng.random(x.shape) < p) / p, out = x * mask. Test: out = x.
    Returns (out, cache): out shaped like x, cache = (mode, mask), mask None in test mode.
    """
    ### BEGIN SOLUTION
    if mode == "train":
        mask = (rng.random(x.shape) < p) / p
        out = x * mask
    else:
        mask = None
        out = x.copy()
    return out, (mode, mask)
    ### END SOLUTION


# %% tags=["spec"]
def _dropout_no_rescale(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) < p).astype(float)
        return x * mask, (mode, mask)
    return x.copy(), (mode, None)


def _dropout_scaled_at_test(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) < p).astype(float)
        return x * mask, (mode, mask)
    return x * p, (mode, None)


def _dropout_at_test_too(x, p, mode, rng):
    mask = (rng.random(x.shape) < p) / p
    return x * mask, (mode, mask)


def _dropout_caches_unscaled_mask(x, p, mode, rng):
    if mode == "train":
        keep = (rng.random(x.shape) < p).astype(float)
        return x * keep / p, (mode, keep)
    return x.copy(), (mode, None)


def _dropout_p_as_drop(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) < 1 - p) / (1 - p)
        return x * mask, (mode, mask)
    return x.copy(), (mode, None)


_x34 = np.arange(1.0, 13.0).reshape(3, 4)

exercise(
    "dropout_forward",
    public=[
        case(
            np.array([2.0, 4.0, 6.0, 8.0]),
            0.5,
            "train",
            Seeded(8),
            note="the worked example: seed 8 draws u = (0.33, 0.99, 0.32, 0.79), "
            "mask (2, 0, 2, 0), out (4, 0, 12, 0)",
        ),
        case(_x34, 0.5, "train", Seeded(0), note="3x4, keep half, train"),
        case(_x34, 0.5, "test", Seeded(0), note="the same in test mode"),
        case(
            np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]]),
            0.75,
            "train",
            Seeded(1),
            note="keep 0.75, train",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 10)),
            0.8,
            "train",
            Seeded(int(rng.integers(1000, 2000))),
            note="a batch of one",
        ),
        case(
            rng.normal(size=(2, 3, 4, 5)),
            0.3,
            "train",
            Seeded(int(rng.integers(2000, 3000))),
            note="4-D activations, keep 0.3",
        ),
        case(
            rng.normal(size=(6, 9)) * 1e8,
            0.9,
            "train",
            Seeded(int(rng.integers(3000, 4000))),
            note="huge activations",
        ),
        case(
            rng.normal(size=(5, 4)),
            0.6,
            "test",
            Seeded(int(rng.integers(4000, 5000))),
            note="test mode",
        ),
        case(
            rng.normal(size=(1, 7)),
            0.5,
            "test",
            Seeded(int(rng.integers(5000, 6000))),
            note="test mode, a batch of one",
        ),
        case(
            rng.normal(size=(4, 6)),
            1.0,
            "train",
            Seeded(int(rng.integers(6000, 7000))),
            note="keep everything",
        ),
    ],
    mistakes=[
        mistake(
            "forgot to rescale",
            _dropout_no_rescale,
            "inverted dropout divides the kept activations by p during training, so that their "
            "expected value is x: mask = (rng.random(x.shape) < p) / p.",
        ),
        mistake(
            "rescaled at test time",
            _dropout_scaled_at_test,
            "that is the original, non-inverted dropout. Inverted dropout scales by 1/p in "
            "training so that test mode returns x unchanged.",
        ),
        mistake(
            "dropout at test time",
            _dropout_at_test_too,
            'in "test" mode every unit is kept: return x as it is, with no random mask.',
        ),
        mistake(
            "p taken as the drop probability",
            _dropout_p_as_drop,
            "p is the probability of *keeping* a unit: keep where rng.random(x.shape) < p and "
            "divide by p.",
        ),
        mistake(
            "cached the mask without its 1/p",
            _dropout_caches_unscaled_mask,
            "cache the mask exactly as you applied it, 1/p included: dropout_backward multiplies "
            "dout by that same mask, so the kept units pass their gradient times 1/p.",
        ),
    ],
    driver="autograder.modules.regularization:dropout_output",
    outputs=("out", "cache"),
    rtol=1e-9,
    atol=1e-12,
)

# %% nbgrader={"grade": true, "grade_id": "dropout-forward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""dropout_forward: inverted dropout, mask (rng.random(x.shape) < p) / p in train, identity in test."""
check("dropout_forward", dropout_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("09_regularization", "dropout_forward", dropout_forward)
### END HIDDEN TESTS

# %% [markdown]
# A quick sanity check of the "inverted" part: over a large array, the mean of the output in
# training should match the mean of the input, whatever the keep probability.

# %%
needs("dropout_forward")
ones = np.ones((1000, 100))
for p in [0.9, 0.5, 0.2]:
    out, _ = dropout_forward(ones, p, "train", np.random.default_rng(0))
    print(f"keep {p}: share of units kept {np.mean(out > 0):.3f}, mean output {out.mean():.3f}")

# %% [markdown]
# ### Exercise 5: `dropout_backward` (2 points)
#
# In training, `out = x * mask`, so $\partial L/\partial x = \partial L/\partial\,\text{out}
# \odot \text{mask}$, with the **same** mask, scaling included: the units that were switched off
# pass no gradient, the kept ones pass it times $1/p$. In test mode the layer is the identity and
# so is its gradient. The check first runs *your* `dropout_forward(x, p, mode, rng)`, then hands
# its cache, `(mode, mask)`, to your `dropout_backward(dout, cache)`.


# %% nbgrader={"grade": false, "grade_id": "dropout-backward", "locked": false, "schema_version": 3, "solution": true}
def dropout_backward(dout, cache):
    """Backward pass of inverted dropout.

    dout: upstream gradient, shaped like the forward input x; cache: from dropout_forward.
    Returns dx, shaped like dout.
    """
    ### BEGIN SOLUTION
    mode, mask = cache
    if mode == "train":
        return dout * mask
    return dout
    ### END SOLUTION


# %% tags=["spec"]
def _dropout_backward_unscaled(dout, cache):
    mode, mask = cache
    if mode == "train":
        return dout * (mask != 0)
    return dout


def _dropout_backward_ignores_mask(dout, cache):
    return dout


exercise(
    "dropout_backward",
    public=[
        case(_x34, 0.5, "train", Seeded(0), np.ones((3, 4)), note="3x4, keep half, dout all ones"),
        case(_x34, 0.5, "test", Seeded(0), np.arange(12.0).reshape(3, 4), note="test mode"),
        case(
            np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]]),
            0.75,
            "train",
            Seeded(1),
            np.array([[0.5, 1.0, -1.0], [2.0, -3.0, 1.5]]),
            note="keep 0.75, train",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 10)),
            0.8,
            "train",
            Seeded(int(rng.integers(1000, 2000))),
            rng.normal(size=(1, 10)),
            note="a batch of one",
        ),
        case(
            rng.normal(size=(2, 3, 4, 5)),
            0.3,
            "train",
            Seeded(int(rng.integers(2000, 3000))),
            rng.normal(size=(2, 3, 4, 5)),
            note="4-D activations, keep 0.3",
        ),
        case(
            rng.normal(size=(5, 4)),
            0.6,
            "test",
            Seeded(int(rng.integers(3000, 4000))),
            rng.normal(size=(5, 4)),
            note="test mode",
        ),
        case(
            rng.normal(size=(7, 3)),
            0.9,
            "train",
            Seeded(int(rng.integers(4000, 5000))),
            rng.normal(size=(7, 3)) * 1e6,
            note="huge gradients",
        ),
    ],
    mistakes=[
        mistake(
            "ignored the mask's scaling",
            _dropout_backward_unscaled,
            "the forward pass multiplied the kept units by 1/p, so the gradient is multiplied by "
            "1/p too: dx = dout * mask, with the scaled mask.",
        ),
        mistake(
            "ignored the mask",
            _dropout_backward_ignores_mask,
            "in training, units that were dropped received no signal and pass back no gradient: "
            "dx = dout * mask.",
        ),
    ],
    uses=("dropout_forward",),
    driver="autograder.modules.regularization:dropout_backward_after_forward",
    rtol=1e-9,
    atol=1e-12,
)

# %% nbgrader={"grade": true, "grade_id": "dropout-backward-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""dropout_backward: dout times the scaled mask in training, dout in test mode."""
check("dropout_backward", dropout_backward, dropout_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("09_regularization", "dropout_backward", dropout_backward, dropout_forward)
### END HIDDEN TESTS

# %% [markdown]
# The network with dropout after both hidden layers, for three keep probabilities. Dropout makes
# training noisy (each step trains a different thinned network), so the training loss no longer
# dives to 0, and the validation loss climbs much less.

# %%
needs("he_init", "l2_penalty", "dropout_forward", "dropout_backward")
for keep in tqdm([0.8, 0.6, 0.4], desc="keep probabilities"):
    params, history = train_network(keep=keep, desc=f"dropout keep {keep}")
    runs[f"dropout keep {keep}"] = (history, boundary(params, keep))

fig, ax = plt.subplots(figsize=(6, 3.4))
for name in ["none", "dropout keep 0.8", "dropout keep 0.6", "dropout keep 0.4"]:
    history = runs[name][0]
    line = ax.plot(history["val_loss"], label=f"{name}, validation")[0]
    ax.plot(history["train_loss"], ":", color=line.get_color())
ax.set_ylim(0, 1.0)
ax.set_xlabel("epoch")
ax.set_title("validation (solid) and training (dotted) loss")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# **Compare them all.** Slide through the runs: the gap between the two curves, the shape of the
# boundary and the two accuracies. Look for the three regimes: overfitting (no regularisation,
# tiny $\lambda$), about right ($\lambda \approx 0.01$, keep 0.4 to 0.6), underfitting
# ($\lambda = 0.1$).

# %%
needs("he_init", "l2_penalty", "dropout_forward", "dropout_backward")
run_names = list(runs)


def show_run(run="none"):
    history, probs = runs[run]
    fig, (ax_curves, ax_boundary) = plt.subplots(1, 2, figsize=(11, 3.6))
    draw_run(ax_curves, ax_boundary, history, probs, run)
    plt.tight_layout()
    plt.show()


run_explorer = widgets.interact(
    show_run, run=widgets.SelectionSlider(options=run_names, value="none", description="run")
)

# %% [markdown]
# ## 5. Early stopping
#
# The cheapest regulariser is to stop in time. Keep an eye on the validation loss during training,
# remember the epoch where it was lowest, and stop once it has not improved for `patience` epochs
# in a row; then restore the weights of the best epoch. Patience guards against stopping at the
# first small bump of a noisy curve.
#
# **The rule, exactly.** Epochs are numbered from 0. An epoch **improves** when its loss is
# *strictly* lower than every loss before it. After the epoch $b$ of the best loss so far, if
# epochs $b+1, \dots, b+\text{patience}$ all fail to improve, training stops at epoch
# $b+\text{patience}$ and the answer is $b$. If the losses run out first, the answer is the best
# epoch seen.
#
# **Worked example.** Losses `[0.9, 0.7, 0.8, 0.75, 0.6, 0.65]` with patience 2: epoch 1 improves;
# epochs 2 and 3 do not, so training stops at epoch 3 and returns **1**. Epoch 4's 0.6 is never
# seen. With patience 3, epoch 4 improves, epoch 5 does not, the list ends: the answer is **4**.
#
# ### Exercise 6: `early_stopping_epoch` (2 points)


# %% nbgrader={"grade": false, "grade_id": "early-stopping-epoch", "locked": false, "schema_version": 3, "solution": true}
def early_stopping_epoch(val_losses, patience):
    """The epoch early stopping keeps.

    val_losses: sequence of floats, the validation loss after each epoch (epoch 0 first);
    patience: int >= 1, epochs without strict improvement tolerated before stopping.
    Returns the int index of the best epoch seen before training stops.
    """
    ### BEGIN SOLUTION
    best_epoch = 0
    best_loss = np.inf
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_epoch, best_loss = epoch, loss
        elif epoch - best_epoch >= patience:
            break
    return best_epoch
    ### END SOLUTION


# %% tags=["spec"]
def _early_stopping_stop_epoch(val_losses, patience):
    best_epoch, best_loss = 0, np.inf
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_epoch, best_loss = epoch, loss
        elif epoch - best_epoch >= patience:
            return epoch
    return len(val_losses) - 1


def _early_stopping_global_min(val_losses, patience):
    return int(np.argmin(val_losses))


def _early_stopping_ties_improve(val_losses, patience):
    best_epoch, best_loss = 0, np.inf
    for epoch, loss in enumerate(val_losses):
        if loss <= best_loss:
            best_epoch, best_loss = epoch, loss
        elif epoch - best_epoch >= patience:
            break
    return best_epoch


def _early_stopping_one_late(val_losses, patience):
    best_epoch, best_loss = 0, np.inf
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_epoch, best_loss = epoch, loss
        elif epoch - best_epoch > patience:
            break
    return best_epoch


def _noisy_curve(rng, n):
    """A validation curve that falls, then rises, with noise."""
    t = np.arange(n)
    return 1.0 / (1 + 0.2 * t) + 0.004 * t + rng.normal(scale=0.03, size=n)


exercise(
    "early_stopping_epoch",
    public=[
        case([0.9, 0.7, 0.8, 0.75, 0.6, 0.65], 2, note="the worked example, patience 2"),
        case([0.9, 0.7, 0.8, 0.75, 0.6, 0.65], 3, note="the worked example, patience 3"),
        case([1.0, 0.5, 0.6, 0.5, 0.7, 0.8, 0.9], 3, note="a tie with the best loss"),
        case([0.5, 0.4, 0.45, 0.46, 0.47, 0.3, 0.2], 4, note="a late minimum beyond patience"),
        case(
            [0.9, 0.5, 0.6, 0.7, 0.4, 0.8, 0.8, 0.8, 0.8, 0.1],
            2,
            note="a new best one epoch after the stop",
        ),
    ],
    hidden=lambda rng: [
        case([0.3], 1, note="a single epoch"),
        case(list(np.linspace(1.0, 0.1, 12)), 2, note="always improving"),
        case([0.5] * 6, 2, note="a flat curve"),
        case(list(_noisy_curve(rng, 200)), 10, note="a noisy U-shaped curve, patience 10"),
        case(list(_noisy_curve(rng, 200)), 3, note="a noisy U-shaped curve, patience 3"),
        case([2.0, 1.0, 1.5, 1.0, 1.2, 1.1, 0.5, 0.9], 4, note="a tie, then a late minimum"),
        case([0.8, 0.6, 0.7, 0.65, 0.9, 0.5], 3, note="new best exactly one epoch too late"),
    ],
    mistakes=[
        mistake(
            "returned the stopping epoch",
            _early_stopping_stop_epoch,
            "training stops at best + patience, but the weights you keep, and the epoch to "
            "return, are those of the best epoch.",
        ),
        mistake(
            "ignored the patience",
            _early_stopping_global_min,
            "np.argmin looks at the whole curve, including epochs that a stopped run never "
            "reaches. Scan the losses in order and stop after `patience` epochs without improvement.",
        ),
        mistake(
            "ties count as improvements",
            _early_stopping_ties_improve,
            "an epoch improves only when its loss is strictly lower than the best so far: "
            "use <, not <=.",
        ),
        mistake(
            "one epoch too many",
            _early_stopping_one_late,
            "after `patience` epochs without improvement, stop: the condition is "
            "epoch - best_epoch >= patience.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "early-stopping-epoch-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""early_stopping_epoch: the best epoch seen before `patience` epochs without strict improvement."""
check("early_stopping_epoch", early_stopping_epoch)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("09_regularization", "early_stopping_epoch", early_stopping_epoch)
### END HIDDEN TESTS

# %% [markdown]
# Early stopping on the unregularised run of section 2. Training is deterministic (it is seeded),
# so "restoring the weights of the best epoch" is the same as training again for that many epochs.
# Move the patience: too little and a noisy bump stops training too early; more costs epochs but
# finds the bottom of the valley.

# %%
needs("he_init", "l2_penalty", "dropout_forward", "dropout_backward", "early_stopping_epoch")
stop_epoch_default = early_stopping_epoch(baseline["val_loss"], 20)
print(f"patience 20: best epoch {stop_epoch_default}")


def show_patience(patience=20):
    best_epoch = early_stopping_epoch(baseline["val_loss"], patience)
    stopped = min(best_epoch + patience, len(baseline["val_loss"]) - 1)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot(baseline["train_loss"], label="training loss")
    ax.plot(baseline["val_loss"], label="validation loss")
    ax.axvspan(stopped, len(baseline["val_loss"]), color="grey", alpha=0.2, label="never run")
    ax.axvline(best_epoch, color="k", ls="--", label=f"kept: epoch {best_epoch}")
    ax.set_ylim(0, 1.0)
    ax.set_xlabel("epoch")
    ax.set_title(
        f"patience {patience}: stop at epoch {stopped}, validation loss "
        f"{baseline['val_loss'][best_epoch]:.3f} (accuracy {baseline['val_acc'][best_epoch]:.2f})"
    )
    ax.legend(fontsize=8)
    plt.show()


patience_explorer = widgets.interact(
    show_patience, patience=widgets.IntSlider(20, min=1, max=150, description="patience")
)

# %%
needs("he_init", "l2_penalty", "dropout_forward", "dropout_backward", "early_stopping_epoch")
early_params, early = train_network(num_epochs=stop_epoch_default + 1, desc="early stopped")
fig, (ax_curves, ax_boundary) = plt.subplots(1, 2, figsize=(11, 3.8))
draw_run(ax_curves, ax_boundary, early, boundary(early_params), "early stopped")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Summary
#
# | problem | symptom | remedy |
# |---|---|---|
# | weights all equal | every unit identical, nothing learns | random initialisation |
# | weights too large or small | activations saturate, explode or vanish with depth | Xavier (tanh), He (ReLU) |
# | overfitting (variance) | training loss ≪ validation loss, wiggly boundary | L2, dropout, early stopping, more data |
# | too much regularisation (bias) | both losses high | weaker regularisation, a bigger model |
#
# Every remedy here has a knob ($\lambda$, $p$, the patience) that you chose by looking at the
# validation set. **Next:** module 10 makes training itself faster (momentum, Adam, batch
# normalisation), and module 11 turns "look at the validation set" into a method: train/dev/test
# splits, bias and variance diagnosis, error analysis, hyperparameter search.
