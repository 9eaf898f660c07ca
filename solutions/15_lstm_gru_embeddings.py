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
# # 15 · LSTM, GRU and word embeddings
#
# **Why this matters.** Module 14's recurrent network multiplies its gradient by the same matrix
# at every step back in time, so the gradient from a character fifty steps ago either vanishes or
# explodes: the network cannot learn to remember. The **LSTM** (Hochreiter and Schmidhuber, 1997)
# and the **GRU** (Cho et al., 2014) fix this with *gates*: small sigmoid layers that decide, at
# every step, how much of a memory to keep, how much to overwrite and how much to show. A memory
# that is kept is *added* to, not multiplied, and its gradient flows back through a sum. For
# twenty years these cells were how machines read text, translated and recognised speech.
#
# The second half of the module turns from characters to **words**. A network cannot read the
# word "list"; it reads a vector. **Word embeddings** learned by skip-gram with negative sampling
# (word2vec, Mikolov et al., 2013) give each word a vector such that words used in the same
# contexts get similar vectors. You will learn them on the text of Python's own documentation,
# find each word's nearest neighbours, try analogies, and look at the vectors in a 2-D picture.
#
# Conventions (CS231n): a batch is the first axis; `x` (N, D), hidden states (N, H); a step's
# forward pass returns its new states and a `cache`, whose contents are **your design**: the
# checks look only at the states, and your backward pass receives your own cache.
#
# **Exercises:** `lstm_step_forward` (3 points), `lstm_step_backward` (5),
# `gru_step_forward` (3), `gru_step_backward` (5), `skipgram_neg_loss` (4),
# `nearest_neighbours` (2), `analogy` (2): **24 points**.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import collections
import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from pydoc_data.topics import topics
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("15_lstm_gru_embeddings")


# %% [markdown]
# The logistic sigmoid is used by every gate. Written as $\sigma(a) = \tfrac12(1 + \tanh(a/2))$
# it is exactly the usual $1/(1 + e^{-a})$, and never overflows, however large $|a|$ is.


# %% tags=["lib"]
def sigmoid(a):
    """Logistic sigmoid 1 / (1 + exp(-a)), elementwise, without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


# %% [markdown]
# ## 1. The LSTM cell
#
# An LSTM carries **two** states from step to step: the hidden state $h$ (what it shows to the
# next layer) and the **cell state** $c$ (its memory). From the input $x$ and the previous $h$
# it computes one affine map of width $4H$, cut into four blocks of $H$ columns, **in this
# order**:
#
# $$a = x W_x + h_{\text{prev}} W_h + b \in \mathbb{R}^{N \times 4H}, \qquad
# a = [\,a_i \mid a_f \mid a_o \mid a_g\,]$$
#
# $$i = \sigma(a_i)\ \text{(input gate)},\quad f = \sigma(a_f)\ \text{(forget gate)},\quad
# o = \sigma(a_o)\ \text{(output gate)},\quad g = \tanh(a_g)\ \text{(candidate)}$$
#
# $$c_{\text{next}} = f \odot c_{\text{prev}} + i \odot g, \qquad
# h_{\text{next}} = o \odot \tanh(c_{\text{next}}).$$
#
# The forget gate decides how much of the old memory survives, the input gate how much of the
# candidate is written, the output gate how much of the memory is shown. Every gate is a number
# between 0 and 1 per unit and per example. The order of the four blocks is a convention of the
# weight layout (this course's is $i, f, o, g$, as in CS231n; PyTorch uses $i, f, g, o$): a cell
# that cuts $a$ in another order computes a different function of the same weights.
#
# A worked example with $N = 1$, $D = 1$, $H = 1$: $a = [0, 2, 1, -1]$ gives $i = 0.5$,
# $f \approx 0.881$, $o \approx 0.731$, $g \approx -0.762$; with $c_{\text{prev}} = 1$:

# %%
gates_example = np.array([0.0, 2.0, 1.0, -1.0])
i_ex, f_ex, o_ex = sigmoid(gates_example[:3])
g_ex = np.tanh(gates_example[3])
c_ex = f_ex * 1.0 + i_ex * g_ex
print(f"next_c = {c_ex:.4f}, next_h = {o_ex * np.tanh(c_ex):.4f}")

# %% [markdown]
# ### Exercise 1: `lstm_step_forward` (3 points)
#
# One step for a batch. Compute $a$ with one product per weight matrix, cut it into the four
# blocks in the order $i, f, o, g$, and return `(next_h, next_c, cache)`. Put in `cache` whatever
# your backward pass will need (it is checked only through your `lstm_step_backward`). Use the
# `sigmoid` above, and leave the inputs unchanged.


# %% nbgrader={"grade": false, "grade_id": "lstm-step-forward", "locked": false, "schema_version": 3, "solution": true}
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """Forward pass of one LSTM step.

    x: (N, D) inputs; prev_h: (N, H) and prev_c: (N, H) previous hidden and cell states;
    Wx: (D, 4H), Wh: (H, 4H), b: (4H,), gate blocks in the order i, f, o, g.
    Returns next_h (N, H), next_c (N, H), cache (your design).
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H : 2 * H])
    o = sigmoid(a[:, 2 * H : 3 * H])
    g = np.tanh(a[:, 3 * H :])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _lstm_blocks(x, prev_h, prev_c, Wx, Wh, b, order):
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    block = {name: a[:, k * H : (k + 1) * H] for k, name in enumerate(order)}
    return sigmoid(block["i"]), sigmoid(block["f"]), sigmoid(block["o"]), np.tanh(block["g"])


def _lstm_ifgo(x, prev_h, prev_c, Wx, Wh, b):
    i, f, o, g = _lstm_blocks(x, prev_h, prev_c, Wx, Wh, b, "ifgo")
    next_c = f * prev_c + i * g
    return o * np.tanh(next_c), next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)


def _lstm_fiog(x, prev_h, prev_c, Wx, Wh, b):
    i, f, o, g = _lstm_blocks(x, prev_h, prev_c, Wx, Wh, b, "fiog")
    next_c = f * prev_c + i * g
    return o * np.tanh(next_c), next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)


def _lstm_no_tanh_on_c(x, prev_h, prev_c, Wx, Wh, b):
    i, f, o, g = _lstm_blocks(x, prev_h, prev_c, Wx, Wh, b, "ifog")
    next_c = f * prev_c + i * g
    return o * next_c, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)


def _lstm_case(rng, n, d, h, scale=1.0):
    return case(
        rng.normal(size=(n, d)),
        rng.normal(size=(n, h)),
        rng.normal(size=(n, h)),
        rng.normal(scale=scale, size=(d, 4 * h)),
        rng.normal(scale=scale, size=(h, 4 * h)),
        rng.normal(scale=scale, size=4 * h),
        note=f"N={n}, D={d}, H={h}",
    )


def _lstm_public():
    # D=1, H=1 worked example: x Wx + prev_h Wh + b = [0, 2, 1, -1], prev_c = 1
    example = case(
        np.array([[1.0]]),
        np.array([[0.0]]),
        np.array([[1.0]]),
        np.array([[0.0, 2.0, 1.0, -1.0]]),
        np.array([[0.5, -0.5, 0.25, 1.0]]),
        np.zeros(4),
        note="the worked example: N=1, D=1, H=1, a = [0, 2, 1, -1], prev_c = 1",
    )
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    prev_h = np.array([[0.1, -0.2], [0.3, 0.4]])
    prev_c = np.array([[1.0, -1.0], [0.5, 2.0]])
    Wx = np.linspace(-1.0, 1.0, 24).reshape(3, 8)
    Wh = np.linspace(0.8, -0.6, 16).reshape(2, 8)
    b = np.array([0.1, -0.1, 1.0, 1.0, 0.2, -0.3, 0.5, -0.5])
    return [example, case(x, prev_h, prev_c, Wx, Wh, b, note="N=2, D=3, H=2")]


exercise(
    "lstm_step_forward",
    private_cache=True,
    public=_lstm_public(),
    hidden=lambda rng: [
        _lstm_case(rng, 1, 3, 5),
        _lstm_case(rng, 4, 6, 2),
        _lstm_case(rng, 3, 2, 4, scale=3.0),
    ],
    mistakes=[
        mistake(
            "gates in the order i, f, g, o",
            _lstm_ifgo,
            "the weight layout of this course is i, f, o, g: a[:, 2H:3H] is the output gate "
            "and a[:, 3H:] the candidate (PyTorch's i, f, g, o is another layout).",
        ),
        mistake(
            "gates in the order f, i, o, g",
            _lstm_fiog,
            "the first block of H columns is the input gate i, the second the forget gate f.",
        ),
        mistake(
            "next_h without the tanh of next_c",
            _lstm_no_tanh_on_c,
            "next_h = o * tanh(next_c): the memory is squashed before the output gate shows it.",
        ),
    ],
    driver="autograder.modules.lstm_gru_embeddings:lstm_forward",
    outputs=("returns", "next_h", "next_c", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "lstm-step-forward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""lstm_step_forward: gates i, f, o, g from one affine map; next_c and next_h as stated."""
check("lstm_step_forward", lstm_step_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("15_lstm_gru_embeddings", "lstm_step_forward", lstm_step_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### The LSTM's backward pass
#
# The step receives two upstream gradients, `dnext_h` and `dnext_c` (the cell state goes on to
# the next step too). Go backwards through the forward pass, one line at a time:
#
# 1. $h_{\text{next}} = o \odot \tanh(c_{\text{next}})$ gives
#    $do = dh_{\text{next}} \odot \tanh(c_{\text{next}})$, and a **second path into the cell
#    state**: the total gradient of $c_{\text{next}}$ is
#    $dc = dc_{\text{next}} + dh_{\text{next}} \odot o \odot (1 - \tanh^2(c_{\text{next}}))$.
#    The derivative of $\tanh$ is $1 - \tanh^2$ of its **input**, that is $1 - t^2$ where
#    $t = \tanh(c_{\text{next}})$ is the output; not $1 - c_{\text{next}}^2$.
# 2. $c_{\text{next}} = f \odot c_{\text{prev}} + i \odot g$ gives $df = dc \odot c_{\text{prev}}$,
#    $di = dc \odot g$, $dg = dc \odot i$ and $dc_{\text{prev}} = dc \odot f$: the memory's
#    gradient flows back **multiplied by the forget gate**, nothing else.
# 3. Through the non-linearities: $da_i = di \odot i(1-i)$, likewise $da_f$, $da_o$, and
#    $da_g = dg \odot (1 - g^2)$; stacked as $da = [da_i \mid da_f \mid da_o \mid da_g]$, in the
#    order of the weight layout.
# 4. The affine map, as in module 07: $dx = da\,W_x^\top$, $dh_{\text{prev}} = da\,W_h^\top$,
#    $dW_x = x^\top da$, $dW_h = h_{\text{prev}}^\top da$, $db = \sum_n da$.
#
# ### Exercise 2: `lstm_step_backward` (5 points)
#
# Return `(dx, dprev_h, dprev_c, dWx, dWh, db)`, each with the shape of its input. The check
# runs your `lstm_step_forward` for the cache, and also compares your gradients with the
# numerical gradient of your forward pass (advisory).


# %% nbgrader={"grade": false, "grade_id": "lstm-step-backward", "locked": false, "schema_version": 3, "solution": true}
def lstm_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of one LSTM step.

    dnext_h: (N, H) and dnext_c: (N, H) upstream gradients; cache: from lstm_step_forward.
    Returns dx (N, D), dprev_h (N, H), dprev_c (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    ### BEGIN SOLUTION
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    t = np.tanh(next_c)
    do = dnext_h * t
    dc = dnext_c + dnext_h * o * (1 - t**2)
    da = np.hstack(
        [
            dc * g * i * (1 - i),
            dc * prev_c * f * (1 - f),
            do * o * (1 - o),
            dc * i * (1 - g**2),
        ]
    )
    dprev_c = dc * f
    return da @ Wx.T, da @ Wh.T, dprev_c, x.T @ da, prev_h.T @ da, da.sum(axis=0)
    ### END SOLUTION


# %% tags=["spec"]
def _lstm_back(dnext_h, dnext_c, cache, variant):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    t = np.tanh(next_c)
    do = dnext_h * t
    slope = 1 - next_c**2 if variant == "pre" else 1 - t**2
    dc = dnext_c if variant == "no h path" else dnext_c + dnext_h * o * slope
    blocks = {
        "i": dc * g * i * (1 - i),
        "f": dc * prev_c * f * (1 - f),
        "o": do * o * (1 - o),
        "g": dc * i * (1 - g**2),
    }
    order = "ifgo" if variant == "order" else "ifog"
    da = np.hstack([blocks[k] for k in order])
    dprev_c = dc if variant == "no f" else dc * f
    return da @ Wx.T, da @ Wh.T, dprev_c, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def _lstm_back_pre(dnext_h, dnext_c, cache):
    return _lstm_back(dnext_h, dnext_c, cache, "pre")


def _lstm_back_no_h_path(dnext_h, dnext_c, cache):
    return _lstm_back(dnext_h, dnext_c, cache, "no h path")


def _lstm_back_no_f(dnext_h, dnext_c, cache):
    return _lstm_back(dnext_h, dnext_c, cache, "no f")


def _lstm_back_order(dnext_h, dnext_c, cache):
    return _lstm_back(dnext_h, dnext_c, cache, "order")


def _with_upstream(c, rng, *shapes):
    return case(*c.args, *(rng.normal(size=s) for s in shapes), note=c.note)


def _lstm_back_public():
    cases = _lstm_public()
    rng = np.random.default_rng(15)
    return [
        case(*cases[0].args, np.array([[1.0]]), np.array([[0.5]]), note=cases[0].note),
        _with_upstream(cases[1], rng, (2, 2), (2, 2)),
    ]


def _lstm_back_hidden(rng):
    out = []
    for n, d, h in ((1, 3, 5), (4, 6, 2), (3, 2, 4)):
        out.append(_with_upstream(_lstm_case(rng, n, d, h), rng, (n, h), (n, h)))
    return out


exercise(
    "lstm_step_backward",
    public=_lstm_back_public(),
    hidden=_lstm_back_hidden,
    mistakes=[
        mistake(
            "tanh derivative at the pre-activation",
            _lstm_back_pre,
            "the slope of tanh at next_c is 1 - tanh(next_c)**2, the output squared, not "
            "1 - next_c**2.",
        ),
        mistake(
            "dprev_c missing the path through next_h",
            _lstm_back_no_h_path,
            "next_c also reaches the loss through next_h = o * tanh(next_c): "
            "dc = dnext_c + dnext_h * o * (1 - tanh(next_c)**2), before anything else.",
        ),
        mistake(
            "dprev_c not multiplied by the forget gate",
            _lstm_back_no_f,
            "next_c = f * prev_c + ..., so dprev_c = dc * f.",
        ),
        mistake(
            "gate gradients stacked in the order i, f, g, o",
            _lstm_back_order,
            "stack da in the order of the weight layout, i, f, o, g, so that column block k of "
            "dWx belongs to the same gate as column block k of Wx.",
        ),
    ],
    uses=("lstm_step_forward",),
    driver="autograder.modules.lstm_gru_embeddings:lstm_gradients",
    outputs=("dx", "dprev_h", "dprev_c", "dWx", "dWh", "db", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "lstm-step-backward-tests", "locked": true, "points": 5, "schema_version": 3, "solution": false}
"""lstm_step_backward: the six gradients, as expected and as the numerical gradient."""
check("lstm_step_backward", lstm_step_backward, lstm_step_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("15_lstm_gru_embeddings", "lstm_step_backward", lstm_step_backward, lstm_step_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### What the forget gate remembers
#
# How long does a memory last? Take a cell with 8 units and random weights, give it one input
# at step 0 and nothing afterwards, and run it twice: once from $c_0$, once from
# $c_0 + \varepsilon$. How far the two cell states stay apart at step $t$, divided by
# $\varepsilon$, is how much of step 0's memory is still there: it is the gradient
# $\partial c_t / \partial c_0$ that backpropagation sends to step 0. A plain RNN of module 14
# (dashed) is measured the same way, from $h_0$. Move the **forget-gate bias**: every unit's
# $b_f$ is shifted by it, which sets $f = \sigma(a_f)$ near 1 (remember) or near 0 (forget).
# This is why LSTMs are usually initialised with $b_f = 1$ or more.


# %%
needs("lstm_step_forward")
memory_rng = np.random.default_rng(3)
memory_H, memory_steps = 8, 60
memory_Wx = memory_rng.normal(scale=0.5, size=(1, 4 * memory_H))
memory_Wh = memory_rng.normal(scale=0.1 / np.sqrt(memory_H), size=(memory_H, 4 * memory_H))
memory_rnn_Wh = memory_rng.normal(size=(memory_H, memory_H))
memory_rnn_Wh *= 0.9 / np.max(np.abs(np.linalg.eigvals(memory_rnn_Wh)))  # spectral radius 0.9
memory_inputs = np.zeros((memory_steps, 1, 1))
memory_inputs[0] = 1.0


def lstm_memory(forget_bias, eps=1e-6):
    b = np.zeros(4 * memory_H)
    b[memory_H : 2 * memory_H] = forget_bias
    runs = []
    for c0 in (np.zeros((1, memory_H)), np.full((1, memory_H), eps)):
        h, c, states = np.zeros((1, memory_H)), c0, []
        for x in memory_inputs:
            h, c, _ = lstm_step_forward(x, h, c, memory_Wx, memory_Wh, b)
            states.append(c)
        runs.append(np.array(states))
    return np.abs(runs[1] - runs[0]).mean(axis=(1, 2)) / eps


def rnn_memory(eps=1e-6):
    runs = []
    for h0 in (np.full((1, memory_H), 0.1), np.full((1, memory_H), 0.1 + eps)):
        h, states = h0, []
        for _ in range(memory_steps):
            h = np.tanh(h @ memory_rnn_Wh)
            states.append(h)
        runs.append(np.array(states))
    return np.abs(runs[1] - runs[0]).mean(axis=(1, 2)) / eps


def show_memory(forget_bias=1.0):
    steps = np.arange(1, memory_steps + 1)
    plt.figure(figsize=(6, 3))
    plt.semilogy(steps, lstm_memory(forget_bias), label=f"LSTM, forget bias {forget_bias:+.1f}")
    plt.semilogy(steps, rnn_memory(), "--", color="gray", label="plain RNN, spectral radius 0.9")
    plt.ylim(1e-12, 10)
    plt.xlabel("steps after the memory was written")
    plt.ylabel("memory left (dc_t / dc_0)")
    plt.legend(loc="lower left")
    plt.show()


memory_explorer = widgets.interact(
    show_memory,
    forget_bias=widgets.FloatSlider(1.0, min=-3.0, max=6.0, step=0.5, description="forget b_f"),
)

# %% [markdown]
# With $b_f = 6$ the forget gate is about $\sigma(6) \approx 0.998$ and most of the memory is
# still there after 60 steps; with $b_f = -3$ it is gone in a handful. At $b_f = 1$ the gate is
# about $\sigma(1) \approx 0.73$ and the memory fades *faster* than this plain RNN's: the gate
# does not make memory free, it makes it **adjustable**, unit by unit and step by step, and
# training moves $b_f$ (and the weights that feed the gate) up where a memory is needed. The
# plain RNN's decay is fixed by its weight matrix, here about $0.9^t$, the same for everything
# it would have to remember.
#
# ## 2. The GRU cell
#
# The GRU keeps a single state $h$ and two gates, an **update gate** $z$ and a **reset gate**
# $r$. Its weights hold three blocks of $H$ columns, in the order $z, r, n$:
#
# $$z = \sigma(x W_x^{z} + h_{\text{prev}} W_h^{z} + b^{z}),\qquad
# r = \sigma(x W_x^{r} + h_{\text{prev}} W_h^{r} + b^{r}),$$
#
# $$n = \tanh\big(x W_x^{n} + (r \odot h_{\text{prev}})\,W_h^{n} + b^{n}\big),\qquad
# h_{\text{next}} = (1 - z) \odot n + z \odot h_{\text{prev}}.$$
#
# $W_x^{z}$ is `Wx[:, :H]`, $W_x^{r}$ is `Wx[:, H:2H]`, $W_x^{n}$ is `Wx[:, 2H:]`, and so on for
# $W_h$ and $b$. The new state is an **interpolation**: where $z$ is near 1 the unit keeps its old
# value (the GRU's "forget gate" is $1 - z$), where it is near 0 it takes the candidate $n$. The
# reset gate multiplies the previous state **before** it enters the candidate's product, letting
# the candidate ignore the past. (PyTorch puts $r$ after the product, $r \odot (h W_h^{n} + b)$:
# a different cell; this course follows the equations above.)
#
# ### Exercise 3: `gru_step_forward` (3 points)
#
# Return `(next_h, cache)`, with whatever your backward pass needs in `cache`, inputs unchanged.


# %% nbgrader={"grade": false, "grade_id": "gru-step-forward", "locked": false, "schema_version": 3, "solution": true}
def gru_step_forward(x, prev_h, Wx, Wh, b):
    """Forward pass of one GRU step.

    x: (N, D) inputs; prev_h: (N, H) previous hidden state;
    Wx: (D, 3H), Wh: (H, 3H), b: (3H,), blocks in the order z, r, n.
    Returns next_h (N, H), cache (your design).
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    ax = x @ Wx + b
    z = sigmoid(ax[:, :H] + prev_h @ Wh[:, :H])
    r = sigmoid(ax[:, H : 2 * H] + prev_h @ Wh[:, H : 2 * H])
    n = np.tanh(ax[:, 2 * H :] + (r * prev_h) @ Wh[:, 2 * H :])
    next_h = (1 - z) * n + z * prev_h
    return next_h, (x, prev_h, Wx, Wh, z, r, n)
    ### END SOLUTION


# %% tags=["spec"]
def _gru(x, prev_h, Wx, Wh, b, variant):
    H = prev_h.shape[1]
    ax = x @ Wx + b
    first = sigmoid(ax[:, :H] + prev_h @ Wh[:, :H])
    second = sigmoid(ax[:, H : 2 * H] + prev_h @ Wh[:, H : 2 * H])
    z, r = (second, first) if variant == "rzn" else (first, second)
    if variant == "reset after":
        n = np.tanh(ax[:, 2 * H :] + r * (prev_h @ Wh[:, 2 * H :]))
    else:
        n = np.tanh(ax[:, 2 * H :] + (r * prev_h) @ Wh[:, 2 * H :])
    cache = (x, prev_h, Wx, Wh, z, r, n)  # a mistake's cache, in the reference's format
    if variant == "reversed":
        return z * n + (1 - z) * prev_h, cache
    return (1 - z) * n + z * prev_h, cache


def _gru_reversed(x, prev_h, Wx, Wh, b):
    return _gru(x, prev_h, Wx, Wh, b, "reversed")


def _gru_reset_after(x, prev_h, Wx, Wh, b):
    return _gru(x, prev_h, Wx, Wh, b, "reset after")


def _gru_rzn(x, prev_h, Wx, Wh, b):
    return _gru(x, prev_h, Wx, Wh, b, "rzn")


def _gru_case(rng, n, d, h, scale=1.0):
    return case(
        rng.normal(size=(n, d)),
        rng.normal(size=(n, h)),
        rng.normal(scale=scale, size=(d, 3 * h)),
        rng.normal(scale=scale, size=(h, 3 * h)),
        rng.normal(scale=scale, size=3 * h),
        note=f"N={n}, D={d}, H={h}",
    )


def _gru_public():
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    prev_h = np.array([[0.6, -0.4], [0.3, 0.9]])
    Wx = np.linspace(-1.0, 1.0, 18).reshape(3, 6)
    Wh = np.linspace(0.9, -0.7, 12).reshape(2, 6)
    b = np.array([0.5, -0.5, 0.2, 0.3, -0.1, 0.1])
    one = case(
        np.array([[1.0]]),
        np.array([[0.5]]),
        np.array([[1.0, -1.0, 2.0]]),
        np.array([[0.5, 1.0, -1.0]]),
        np.zeros(3),
        note="N=1, D=1, H=1",
    )
    return [one, case(x, prev_h, Wx, Wh, b, note="N=2, D=3, H=2")]


exercise(
    "gru_step_forward",
    private_cache=True,
    public=_gru_public(),
    hidden=lambda rng: [
        _gru_case(rng, 1, 3, 5),
        _gru_case(rng, 4, 6, 2),
        _gru_case(rng, 3, 2, 4, scale=3.0),
    ],
    mistakes=[
        mistake(
            "GRU interpolation reversed",
            _gru_reversed,
            "next_h = (1 - z) * n + z * prev_h: z is the share of the old state that is kept.",
        ),
        mistake(
            "reset gate applied after the product with Wh_n",
            _gru_reset_after,
            "this course's candidate is tanh(x Wx_n + (r * prev_h) Wh_n + b_n): reset prev_h "
            "first, then multiply (PyTorch's r * (prev_h Wh_n) is another cell).",
        ),
        mistake(
            "blocks in the order r, z, n",
            _gru_rzn,
            "the first H columns of Wx, Wh and b belong to the update gate z, the next H to the "
            "reset gate r.",
        ),
    ],
    driver="autograder.modules.lstm_gru_embeddings:gru_forward",
    outputs=("returns", "next_h", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "gru-step-forward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""gru_step_forward: gates z, r, candidate n with r applied to prev_h, next_h interpolated."""
check("gru_step_forward", gru_step_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("15_lstm_gru_embeddings", "gru_step_forward", gru_step_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### The GRU's backward pass
#
# Backwards through the forward pass, writing $da_z, da_r, da_n$ for the gradients of the three
# pre-activations:
#
# 1. $h_{\text{next}} = (1 - z) \odot n + z \odot h_{\text{prev}}$: $dn = dh_{\text{next}} \odot
#    (1 - z)$, $dz = dh_{\text{next}} \odot (h_{\text{prev}} - n)$, and a **direct path**
#    $dh_{\text{next}} \odot z$ into $dh_{\text{prev}}$.
# 2. $da_n = dn \odot (1 - n^2)$ (the slope of tanh from its output). The candidate's product
#    gives $d(r \odot h_{\text{prev}}) = da_n\,(W_h^{n})^\top$, hence $dr = $ that $\odot\,
#    h_{\text{prev}}$ and a **second path** $r \odot$ that into $dh_{\text{prev}}$;
#    $dW_h^{n} = (r \odot h_{\text{prev}})^\top da_n$.
# 3. $da_z = dz \odot z(1 - z)$, $da_r = dr \odot r(1 - r)$; the gates' products give a **third
#    path** $[da_z \mid da_r]\,[W_h^{z} \mid W_h^{r}]^\top$ into $dh_{\text{prev}}$, and
#    $[dW_h^{z} \mid dW_h^{r}] = h_{\text{prev}}^\top [da_z \mid da_r]$.
# 4. With $da = [da_z \mid da_r \mid da_n]$: $dx = da\,W_x^\top$, $dW_x = x^\top da$,
#    $db = \sum_n da$.
#
# $dh_{\text{prev}}$ is the **sum of the three paths**.
#
# ### Exercise 4: `gru_step_backward` (5 points)
#
# Return `(dx, dprev_h, dWx, dWh, db)`, each with the shape of its input.


# %% nbgrader={"grade": false, "grade_id": "gru-step-backward", "locked": false, "schema_version": 3, "solution": true}
def gru_step_backward(dnext_h, cache):
    """Backward pass of one GRU step.

    dnext_h: (N, H) upstream gradient; cache: from gru_step_forward.
    Returns dx (N, D), dprev_h (N, H), dWx (D, 3H), dWh (H, 3H), db (3H,).
    """
    ### BEGIN SOLUTION
    x, prev_h, Wx, Wh, z, r, n = cache
    H = prev_h.shape[1]
    dan = dnext_h * (1 - z) * (1 - n**2)
    d_reset_h = dan @ Wh[:, 2 * H :].T
    daz = dnext_h * (prev_h - n) * z * (1 - z)
    dar = d_reset_h * prev_h * r * (1 - r)
    da_gates = np.hstack([daz, dar])
    da = np.hstack([da_gates, dan])
    dprev_h = dnext_h * z + d_reset_h * r + da_gates @ Wh[:, : 2 * H].T
    dWh = np.hstack([prev_h.T @ da_gates, (r * prev_h).T @ dan])
    return da @ Wx.T, dprev_h, x.T @ da, dWh, da.sum(axis=0)
    ### END SOLUTION


# %% tags=["spec"]
def _gru_back(dnext_h, cache, variant):
    x, prev_h, Wx, Wh, z, r, n = cache
    H = prev_h.shape[1]
    slope = 1 - np.arctanh(n) ** 2 if variant == "pre" else 1 - n**2
    dan = dnext_h * (1 - z) * slope
    d_reset_h = dan @ Wh[:, 2 * H :].T
    dz = dnext_h * (n - prev_h) if variant == "dz sign" else dnext_h * (prev_h - n)
    daz = dz * z * (1 - z)
    dar = d_reset_h * prev_h * r * (1 - r)
    da_gates = np.hstack([daz, dar])
    da = np.hstack([da_gates, dan])
    direct = 0.0 if variant == "no direct" else dnext_h * z
    through_n = 0.0 if variant == "no candidate path" else d_reset_h * r
    dprev_h = direct + through_n + da_gates @ Wh[:, : 2 * H].T
    dWh = np.hstack([prev_h.T @ da_gates, (r * prev_h).T @ dan])
    return da @ Wx.T, dprev_h, x.T @ da, dWh, da.sum(axis=0)


def _gru_back_pre(dnext_h, cache):
    return _gru_back(dnext_h, cache, "pre")


def _gru_back_no_direct(dnext_h, cache):
    return _gru_back(dnext_h, cache, "no direct")


def _gru_back_no_candidate_path(dnext_h, cache):
    return _gru_back(dnext_h, cache, "no candidate path")


def _gru_back_dz_sign(dnext_h, cache):
    return _gru_back(dnext_h, cache, "dz sign")


def _gru_back_public():
    cases = _gru_public()
    rng = np.random.default_rng(16)
    return [
        case(*cases[0].args, np.array([[1.0]]), note=cases[0].note),
        _with_upstream(cases[1], rng, (2, 2)),
    ]


def _gru_back_hidden(rng):
    out = []
    for n, d, h in ((1, 3, 5), (4, 6, 2), (3, 2, 4)):
        out.append(_with_upstream(_gru_case(rng, n, d, h), rng, (n, h)))
    return out


exercise(
    "gru_step_backward",
    public=_gru_back_public(),
    hidden=_gru_back_hidden,
    mistakes=[
        mistake(
            "tanh derivative at the pre-activation",
            _gru_back_pre,
            "the slope of n = tanh(a_n) is 1 - n**2, from the output n, not 1 - a_n**2.",
        ),
        mistake(
            "dprev_h missing the direct path z * dnext_h",
            _gru_back_no_direct,
            "next_h = ... + z * prev_h uses prev_h directly: add dnext_h * z to dprev_h.",
        ),
        mistake(
            "dprev_h missing the path through the candidate",
            _gru_back_no_candidate_path,
            "prev_h enters n through r * prev_h: add r * (da_n @ Wh_n.T) to dprev_h.",
        ),
        mistake(
            "dz with the sign of the reversed interpolation",
            _gru_back_dz_sign,
            "d next_h / dz = prev_h - n, since next_h = n + z * (prev_h - n).",
        ),
    ],
    uses=("gru_step_forward",),
    driver="autograder.modules.lstm_gru_embeddings:gru_gradients",
    outputs=("dx", "dprev_h", "dWx", "dWh", "db", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "gru-step-backward-tests", "locked": true, "points": 5, "schema_version": 3, "solution": false}
"""gru_step_backward: the five gradients, as expected and as the numerical gradient."""
check("gru_step_backward", gru_step_backward, gru_step_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("15_lstm_gru_embeddings", "gru_step_backward", gru_step_backward, gru_step_forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. A character-level language model with an LSTM
#
# Module 14 trained a plain RNN to predict the next character of Python's documentation. Here the
# same task is given to your LSTM and to a plain RNN side by side, on the **same text**, for the
# **same number of steps**, with about the **same number of parameters** (the RNN gets more
# hidden units to make up for the LSTM's four blocks), and both are judged on **held-out text**
# they never trained on: the average loss per character, $-\log p(\text{next character})$, in
# nats (a model that guesses uniformly among the 100 or so characters scores about 4.6).
#
# The text is the documentation of Python's statements and operators that ships with every Python
# (`pydoc_data.topics`): its first 200,000 characters for training, the next 30,000 held out.

# %% tags=["lib"]
corpus = "\n\n".join(topics[name] for name in sorted(topics))
train_text, heldout_text = corpus[:200_000], corpus[200_000:230_000]
alphabet = sorted(set(corpus[:230_000]))
char_index = {ch: k for k, ch in enumerate(alphabet)}
train_chars = np.array([char_index[ch] for ch in train_text])
heldout_chars = np.array([char_index[ch] for ch in heldout_text])


# %% [markdown]
# The helpers below make the model: characters are one-hot vectors of size $V$; a recurrent cell
# reads them one at a time; an affine layer turns each hidden state into scores for the next
# character; the loss is the mean softmax cross-entropy over all $N \times T$ predictions.
# Gradients go back through time the way module 14 did it, calling the cell's backward step from
# the last step to the first. The plain RNN's step is written in a few lines here; the LSTM's
# is yours. Training uses Adam (module 10) with the gradients clipped to a global norm of 5
# (module 14).


# %% tags=["lib"]
def tanh_cell(x, h, Wx, Wh, b):
    """Module 14's plain recurrent step h' = tanh(x Wx + h Wh + b), as a pair (h', memo)."""
    fresh = np.tanh(x @ Wx + h @ Wh + b)
    return fresh, (x, h, fresh, Wx, Wh)


def tanh_cell_back(d_fresh, memo):
    """Gradients (dx, dh, dWx, dWh, db) of the step above, from its memo."""
    x, h, fresh, Wx, Wh = memo
    d_pre = d_fresh * (1.0 - fresh * fresh)
    return d_pre @ Wx.T, d_pre @ Wh.T, x.T @ d_pre, h.T @ d_pre, d_pre.sum(axis=0)


def init_language_model(cell, hidden, vocab, seed=0):
    """Weights of a one-layer model; "lstm" blocks i, f, o, g with the forget bias at 1."""
    rng = np.random.default_rng(seed)
    width = {"lstm": 4, "rnn": 1}[cell] * hidden
    params = {
        "Wx": rng.normal(size=(vocab, width)) / np.sqrt(vocab),
        "Wh": rng.normal(size=(hidden, width)) / np.sqrt(hidden),
        "b": np.zeros(width),
        "Wy": rng.normal(size=(hidden, vocab)) / np.sqrt(hidden),
        "by": np.zeros(vocab),
    }
    if cell == "lstm":
        params["b"][hidden : 2 * hidden] = 1.0
    return params


def language_model_loss(cell, params, inputs, targets):
    """Mean cross-entropy per character and its gradients. inputs, targets: (N, T) ints."""
    N, T = inputs.shape
    V, H = params["Wy"].shape[1], params["Wh"].shape[0]
    onehot = np.eye(V)
    h, c = np.zeros((N, H)), np.zeros((N, H))
    caches, states = [], []
    for t in range(T):
        x = onehot[inputs[:, t]]
        if cell == "lstm":
            h, c, cache = lstm_step_forward(x, h, c, params["Wx"], params["Wh"], params["b"])
        else:
            h, cache = tanh_cell(x, h, params["Wx"], params["Wh"], params["b"])
        caches.append(cache)
        states.append(h)
    states = np.stack(states, axis=1)
    scores = states @ params["Wy"] + params["by"]
    scores -= scores.max(axis=-1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)
    loss = -picked.mean()
    dscores = np.exp(log_probs)
    np.put_along_axis(dscores, targets[..., None], np.exp(picked) - 1.0, axis=-1)
    dscores /= N * T
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    grads["Wy"] = states.reshape(-1, H).T @ dscores.reshape(-1, V)
    grads["by"] = dscores.sum(axis=(0, 1))
    dstates = dscores @ params["Wy"].T
    dh, dc = np.zeros((N, H)), np.zeros((N, H))
    for t in reversed(range(T)):
        if cell == "lstm":
            _, dh, dc, dWx, dWh, db = lstm_step_backward(dstates[:, t] + dh, dc, caches[t])
        else:
            _, dh, dWx, dWh, db = tanh_cell_back(dstates[:, t] + dh, caches[t])
        grads["Wx"] += dWx
        grads["Wh"] += dWh
        grads["b"] += db
    return loss, grads


def text_windows(chars, starts, length):
    """Inputs and next-character targets, (len(starts), length) each, from the given starts."""
    rows = np.asarray(starts)[:, None] + np.arange(length + 1)
    return chars[rows[:, :-1]], chars[rows[:, 1:]]


def heldout_loss(cell, params, length=64):
    """Loss per character on the held-out text, cut into windows of `length`."""
    starts = np.arange(0, len(heldout_chars) - length - 1, length)
    inputs, targets = text_windows(heldout_chars, starts, length)
    return float(language_model_loss(cell, params, inputs, targets)[0])


def train_language_model(cell, hidden, lr, steps, batch=32, length=32, seed=0):
    """Adam on random windows of the training text. Returns params and the losses per step."""
    params = init_language_model(cell, hidden, len(alphabet), seed)
    rng = np.random.default_rng(seed)
    first = {k: np.zeros_like(v) for k, v in params.items()}
    second = {k: np.zeros_like(v) for k, v in params.items()}
    losses = []
    for step in tqdm(range(1, steps + 1), desc=f"{cell} H={hidden}"):
        starts = rng.integers(0, len(train_chars) - length - 1, size=batch)
        loss, grads = language_model_loss(cell, params, *text_windows(train_chars, starts, length))
        norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
        scale = min(1.0, 5.0 / (norm + 1e-12))
        for k in params:
            g = grads[k] * scale
            first[k] = 0.9 * first[k] + 0.1 * g
            second[k] = 0.999 * second[k] + 0.001 * g * g
            m_hat, v_hat = first[k] / (1 - 0.9**step), second[k] / (1 - 0.999**step)
            params[k] -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)
        losses.append(loss)
    return params, np.array(losses)


def count_parameters(params):
    return sum(v.size for v in params.values())


# the two runs compared below; each learning rate was the best of 0.005, 0.01 and 0.02
LM_RUNS = {
    "LSTM": {"cell": "lstm", "hidden": 64, "lr": 0.02},
    "RNN": {"cell": "rnn", "hidden": 140, "lr": 0.01},
}
LM_STEPS = 300

# %% [markdown]
# Training both models takes about 12 seconds (the LSTM does four times the work per unit).


# %%
needs("lstm_step_forward", "lstm_step_backward")


def train_and_evaluate(run):
    params, losses = train_language_model(run["cell"], run["hidden"], run["lr"], LM_STEPS)
    return {"params": params, "losses": losses, "heldout": heldout_loss(run["cell"], params)}


lm_results = {name: train_and_evaluate(run) for name, run in LM_RUNS.items()}
for name, result in lm_results.items():
    print(
        f"{name}: {count_parameters(result['params']):,} parameters, "
        f"training loss (last 50 steps) {result['losses'][-50:].mean():.3f}, "
        f"held-out loss per character {result['heldout']:.3f}"
    )

# %%
needs("lstm_step_forward", "lstm_step_backward")
plt.figure(figsize=(6, 3))
for name, result in lm_results.items():
    smooth = np.convolve(result["losses"], np.ones(20) / 20, mode="valid")
    plt.plot(smooth, label=f"{name} (held-out {result['heldout']:.2f})")
plt.xlabel("step")
plt.ylabel("training loss per character")
plt.legend()
plt.show()

# %% [markdown]
# In our run, with 300 steps of 32 windows of 32 characters, the LSTM reached a held-out loss of
# about 1.94 nats per character and the plain RNN about 2.07, with about 49,000 and 48,000
# parameters. The LSTM also tolerates the larger learning rate: at 0.02 the plain RNN did worse
# (2.23) than at 0.01. The gap is modest at this size: windows of 32 characters rarely need a
# memory longer than a word or two, which a plain RNN can keep. It widens with longer contexts
# and longer training (try `length=64`, or 1,000 steps, if you have a minute). What the LSTM
# writes, sampled one character at a time with a temperature of 0.7 (module 14):


# %%
needs("lstm_step_forward", "lstm_step_backward")


def sample_lstm(params, prompt, length, temperature, seed=0):
    rng = np.random.default_rng(seed)
    H, V = params["Wh"].shape[0], len(alphabet)
    h, c, onehot = np.zeros((1, H)), np.zeros((1, H)), np.eye(V)
    out = list(prompt)
    for k in range(len(prompt) + length - 1):
        x = onehot[[char_index[out[k]]]]
        h, c, _ = lstm_step_forward(x, h, c, params["Wx"], params["Wh"], params["b"])
        if k >= len(prompt) - 1:
            logits = (h @ params["Wy"] + params["by"])[0] / temperature
            probs = np.exp(logits - logits.max())
            out.append(alphabet[rng.choice(V, p=probs / probs.sum())])
    return "".join(out)


print(sample_lstm(lm_results["LSTM"]["params"], "The ", 300, 0.7))

# %% [markdown]
# ## 4. Word embeddings: skip-gram with negative sampling
#
# **The idea.** "You shall know a word by the company it keeps" (Firth, 1957). Skip-gram
# trains two vectors per word: a **centre** vector $v_w$ (the rows of `W`) and an **outside**
# vector $u_w$ (the rows of `U`). For each word in the text and each word $o$ within a window of
# two positions around it, it wants $\sigma(u_o \cdot v_c)$, read as "the probability that $o$
# really occurs near $c$", to be high. A softmax over the whole vocabulary would be expensive;
# **negative sampling** instead draws $K$ random words $k_1, \dots, k_K$ (the *negatives*, which
# stand for "words that do not belong here") and wants $\sigma(u_k \cdot v_c)$ low:
#
# $$L = -\log \sigma(u_o \cdot v_c) - \sum_{j=1}^{K} \log \sigma(-u_{k_j} \cdot v_c).$$
#
# With $\sigma' = \sigma(1-\sigma)$ and $\frac{d}{ds}\log\sigma(s) = 1 - \sigma(s)$:
#
# $$\frac{\partial L}{\partial v_c} = -(1 - \sigma(u_o \cdot v_c))\,u_o
# + \sum_j (1 - \sigma(-u_{k_j} \cdot v_c))\,u_{k_j},$$
#
# $$\frac{\partial L}{\partial u_o} = -(1 - \sigma(u_o \cdot v_c))\,v_c,\qquad
# \frac{\partial L}{\partial u_{k_j}} = (1 - \sigma(-u_{k_j} \cdot v_c))\,v_c .$$
#
# The negatives are drawn at random, so the **same word can be drawn twice**; it then counts
# twice in the loss and its row of $\partial L/\partial U$ receives both contributions. Beware:
# `dU[negative_idx] += rows` keeps only **one** of them when an index repeats (NumPy's fancy
# indexing writes, it does not accumulate); `np.add.at(dU, negative_idx, rows)` adds them all.
#
# ### Exercise 5: `skipgram_neg_loss` (4 points)
#
# For one centre vector `center` (that is $v_c$), one outside word index `outside_idx` (an int),
# an int array `negative_idx` of $K$ indices (possibly repeated), and the outside vectors `U`:
# return `(loss, dcenter, dU)`, with `loss` a float, `dcenter` shaped like `center`, `dU`
# shaped like `U` (zero in the rows of words not involved). Leave the inputs unchanged. Use the
# `sigmoid` above.


# %% nbgrader={"grade": false, "grade_id": "skipgram-neg-loss", "locked": false, "schema_version": 3, "solution": true}
def skipgram_neg_loss(center, outside_idx, negative_idx, U):
    """Skip-gram loss with negative sampling for one (centre, outside) pair, and its gradients.

    center: (D,) centre vector; outside_idx: int; negative_idx: (K,) ints, repeats allowed;
    U: (V, D) outside vectors.
    Returns loss (float), dcenter (D,), dU (V, D).
    """
    ### BEGIN SOLUTION
    negative_idx = np.asarray(negative_idx)
    pos = sigmoid(U[outside_idx] @ center)
    neg = sigmoid(-(U[negative_idx] @ center))
    loss = float(-np.log(pos) - np.sum(np.log(neg)))
    dcenter = -(1 - pos) * U[outside_idx] + (1 - neg) @ U[negative_idx]
    dU = np.zeros_like(U)
    dU[outside_idx] -= (1 - pos) * center
    np.add.at(dU, negative_idx, np.outer(1 - neg, center))
    return loss, dcenter, dU
    ### END SOLUTION


# %% tags=["spec"]
def _skipgram(center, outside_idx, negative_idx, U, variant):
    negative_idx = np.asarray(negative_idx)
    pos = sigmoid(U[outside_idx] @ center)
    sign = 1.0 if variant == "negatives sign" else -1.0
    neg = sigmoid(sign * (U[negative_idx] @ center))
    scale = 1.0 / len(negative_idx) if variant == "mean" else 1.0
    loss = float(-np.log(pos) - scale * np.sum(np.log(neg)))
    dcenter = -(1 - pos) * U[outside_idx] - sign * scale * (1 - neg) @ U[negative_idx]
    dU = np.zeros_like(U)
    dU[outside_idx] -= (1 - pos) * center
    rows = -sign * scale * np.outer(1 - neg, center)
    if variant == "fancy":
        dU[negative_idx] += rows
    else:
        np.add.at(dU, negative_idx, rows)
    return loss, dcenter, dU


def _skipgram_fancy(center, outside_idx, negative_idx, U):
    return _skipgram(center, outside_idx, negative_idx, U, "fancy")


def _skipgram_negatives_sign(center, outside_idx, negative_idx, U):
    return _skipgram(center, outside_idx, negative_idx, U, "negatives sign")


def _skipgram_mean(center, outside_idx, negative_idx, U):
    return _skipgram(center, outside_idx, negative_idx, U, "mean")


def _skipgram_public():
    U = np.array([[0.5, -0.2], [0.1, 0.4], [-0.3, 0.8], [0.7, 0.7], [-0.6, -0.1]])
    return [
        case(np.array([1.0, -0.5]), 2, np.array([0, 4, 1]), U, note="V=5, D=2, K=3"),
        case(
            np.array([0.3, 0.9]),
            0,
            np.array([3, 1, 3]),
            U,
            note="K=3 with word 3 drawn twice: it counts twice",
        ),
    ]


def _skipgram_hidden(rng):
    return [
        case(rng.normal(size=1), 1, np.array([0]), rng.normal(size=(3, 1)), note="D=1, K=1"),
        case(
            rng.normal(size=4),
            5,
            np.array([2, 2, 7, 0, 2]),
            rng.normal(size=(8, 4)),
            note="V=8, D=4, K=5 with a word drawn three times",
        ),
        case(
            rng.normal(size=6),
            0,
            rng.permutation(np.arange(1, 10))[:4],
            rng.normal(size=(10, 6)),
            note="V=10, D=6, K=4, all different",
        ),
    ]


exercise(
    "skipgram_neg_loss",
    public=_skipgram_public(),
    hidden=_skipgram_hidden,
    mistakes=[
        mistake(
            "a repeated negative index counted once",
            _skipgram_fancy,
            "dU[negative_idx] += rows writes once per distinct index: a word drawn twice loses "
            "one of its contributions. Use np.add.at(dU, negative_idx, rows).",
        ),
        mistake(
            "negatives scored with +u_k . center",
            _skipgram_negatives_sign,
            "a negative should get a LOW score: its term is -log sigmoid(-u_k . center), with "
            "the minus inside the sigmoid.",
        ),
        mistake(
            "negatives averaged instead of summed",
            _skipgram_mean,
            "the loss sums the K negative terms; it does not divide them by K.",
        ),
    ],
    driver="autograder.modules.lstm_gru_embeddings:skipgram_gradients",
    outputs=("loss", "dcenter", "dU", "numerical gradient check", "inputs left unchanged"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "skipgram-neg-loss-tests", "locked": true, "points": 4, "schema_version": 3, "solution": false}
"""skipgram_neg_loss: the loss, dcenter and dU, repeated negatives counted each time."""
check("skipgram_neg_loss", skipgram_neg_loss)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("15_lstm_gru_embeddings", "skipgram_neg_loss", skipgram_neg_loss)
### END HIDDEN TESTS

# %% [markdown]
# ### The corpus, the vocabulary and the negatives
#
# The words of the whole documentation text, lower-cased, letters only, keeping the 500 most
# frequent. Very frequent words ("the", "a", "is") carry little about their neighbours, so each
# occurrence of a word of frequency $p$ is kept with probability $\min(1, \sqrt{10^{-3}/p})$
# (word2vec's **subsampling**), seeded. Negatives are drawn from the word frequencies raised to
# the power $3/4$ (word2vec's choice: rare words a little more often than their share).
#
# A sampler has one rule that is easy to miss: a negative must never be the **positive word
# itself**. If $k_j = o$, the loss asks for $\sigma(u_o \cdot v_c)$ to be high and low at once,
# and the two terms pull $u_o$ in opposite directions. `draw_negatives` below redraws any
# negative equal to its pair's outside word until none is left: that is an exact draw from the
# noise distribution with the positive word removed.

# %% tags=["lib"]
corpus_words = re.findall(r"[a-z]+", corpus.lower())
word_counts = collections.Counter(corpus_words)
vocab = [word for word, _ in word_counts.most_common(500)]
word_index = {word: k for k, word in enumerate(vocab)}
word_ids = np.array([word_index[w] for w in corpus_words if w in word_index])
word_freq = np.array([word_counts[w] for w in vocab], dtype=float)
word_freq /= word_freq.sum()
noise_cdf = np.cumsum(word_freq**0.75 / np.sum(word_freq**0.75))


def draw_negatives(rng, positives, k):
    """(len(positives), k) word indices from the noise distribution, none equal to its row's
    positive word."""
    draws = np.minimum(np.searchsorted(noise_cdf, rng.random((len(positives), k))), len(vocab) - 1)
    clash = draws == positives[:, None]
    while clash.any():
        draws[clash] = np.minimum(
            np.searchsorted(noise_cdf, rng.random(int(clash.sum()))), len(vocab) - 1
        )
        clash = draws == positives[:, None]
    return draws


def skipgram_pairs(ids, window):
    """All (centre, outside) pairs of word ids at most `window` positions apart."""
    centres, outsides = [], []
    for offset in range(-window, window + 1):
        if offset:
            lo, hi = max(0, -offset), min(len(ids), len(ids) - offset)
            centres.append(ids[lo:hi])
            outsides.append(ids[lo + offset : hi + offset])
    return np.concatenate(centres), np.concatenate(outsides)


def train_embeddings(dim=32, window=2, negatives=5, lr=0.05, seed=0):
    """One epoch of SGD over the subsampled text. Returns W (centre vectors), U and the mean
    loss of each 5% of the pairs."""
    rng = np.random.default_rng(seed)
    W = rng.normal(scale=0.1, size=(len(vocab), dim))
    U = np.zeros((len(vocab), dim))
    keep = rng.random(len(word_ids)) < np.minimum(1.0, np.sqrt(1e-3 / word_freq[word_ids]))
    centres, outsides = skipgram_pairs(word_ids[keep], window)
    order = rng.permutation(len(centres))
    centres, outsides = centres[order], outsides[order]
    negative_rows = draw_negatives(rng, outsides, negatives)
    losses = []
    for c, o, neg in zip(tqdm(centres, desc="skip-gram pairs"), outsides, negative_rows):
        loss, dcenter, dU = skipgram_neg_loss(W[c], o, neg, U)
        W[c] -= lr * dcenter
        touched = np.append(neg, o)
        U[touched] -= lr * dU[touched]
        losses.append(loss)
    chunks = np.array_split(np.array(losses), 20)
    return W, U, np.array([chunk.mean() for chunk in chunks])


# %% [markdown]
# About 110,000 pairs, one call of your `skipgram_neg_loss` each: about 6 seconds.

# %%
needs("skipgram_neg_loss")
W_words, U_words, embedding_losses = train_embeddings()
print(
    f"{len(vocab)} words; mean loss per pair: first 5% {embedding_losses[0]:.3f}, "
    f"last 5% {embedding_losses[-1]:.3f}"
)
plt.figure(figsize=(5, 2.5))
plt.plot(np.linspace(5, 100, 20), embedding_losses, "o-")
plt.xlabel("% of the epoch")
plt.ylabel("mean loss per pair")
plt.show()

# %% [markdown]
# ## 5. Nearest neighbours and analogies
#
# Two words are close when their vectors point the same way, whatever their lengths: the
# **cosine similarity** $\cos(u, v) = \frac{u \cdot v}{\|u\|\,\|v\|}$, between -1 and 1. (A plain
# dot product would favour long vectors, which word2vec gives to frequent words.)
#
# ### Exercise 6: `nearest_neighbours` (2 points)
#
# Return the indices of the `k` rows of `E` with the highest cosine similarity to row `index`,
# **most similar first**, never `index` itself, as an int array of shape `(k,)`. Rows with equal
# similarity come in the order of their indices (the smaller first): `np.argsort(..., kind=
# "stable")` keeps that order. No row of `E` is zero; leave `E` unchanged.


# %% nbgrader={"grade": false, "grade_id": "nearest-neighbours", "locked": false, "schema_version": 3, "solution": true}
def nearest_neighbours(E, index, k):
    """The k rows most cosine-similar to row `index`, most similar first, excluding it.

    E: (V, D) vectors, no zero row; index: int; k: int, 1 <= k < V.
    Returns an int array (k,); ties go to the smaller index.
    """
    ### BEGIN SOLUTION
    norms = np.linalg.norm(E, axis=1)
    similarity = (E @ E[index]) / (norms * norms[index])
    similarity[index] = -np.inf
    return np.argsort(-similarity, kind="stable")[:k]
    ### END SOLUTION


# %% tags=["spec"]
def _nn_dot(E, index, k):
    similarity = E @ E[index]
    similarity[index] = -np.inf
    return np.argsort(-similarity, kind="stable")[:k]


def _nn_with_itself(E, index, k):
    norms = np.linalg.norm(E, axis=1)
    similarity = (E @ E[index]) / (norms * norms[index])
    return np.argsort(-similarity, kind="stable")[:k]


def _nn_least_first(E, index, k):
    norms = np.linalg.norm(E, axis=1)
    similarity = (E @ E[index]) / (norms * norms[index])
    similarity[index] = -np.inf
    return np.argsort(-similarity, kind="stable")[:k][::-1]


def _nn_public():
    E = np.array([[1.0, 0.0], [10.0, 1.0], [0.9, 0.5], [0.0, 1.0], [-1.0, 0.2], [2.0, 0.1]])
    ties = np.array([[1.0, 1.0], [0.0, 1.0], [2.0, 2.0], [1.0, 0.0], [2.0, 2.0]])
    return [
        case(E, 0, 3, note="V=6, D=2, rows of different lengths"),
        case(E, 3, 2, note="the same E, row 3"),
        case(ties, 0, 3, note="rows 2 and 4 equal: a tie, the smaller index first"),
    ]


def _nn_hidden(rng):
    big = rng.normal(size=(12, 4)) * rng.uniform(0.2, 5.0, size=(12, 1))
    return [
        case(big, 3, 4, note="V=12, D=4, rows of different lengths"),
        case(rng.normal(size=(5, 1)) + 0.1, 0, 1, note="D=1, k=1"),
        case(big, 11, 11, note="k = V - 1: every other row"),
    ]


exercise(
    "nearest_neighbours",
    public=_nn_public(),
    hidden=_nn_hidden,
    mistakes=[
        mistake(
            "cosine replaced by the dot product",
            _nn_dot,
            "divide each dot product by both norms: a long vector is not more similar.",
        ),
        mistake(
            "the query word itself returned",
            _nn_with_itself,
            "a row is always most similar to itself: exclude `index` (set its similarity to "
            "-inf before sorting).",
        ),
        mistake(
            "least similar first",
            _nn_least_first,
            "sort by decreasing similarity: the most similar row comes first.",
        ),
    ],
    driver="autograder.modules.lstm_gru_embeddings:indices",
    outputs=("indices", "E left unchanged"),
    harmless={
        "norms / norms[index]": "dividing every similarity by norms[index] squared, a positive "
        "constant, leaves their order unchanged; it differs only when E has a zero row, which the "
        "statement excludes",
        "similarity[index] = None": "None becomes NaN in a float array, which argsort puts last: "
        "row index is excluded as with -inf while k < V",
    },
)

# %% nbgrader={"grade": true, "grade_id": "nearest-neighbours-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""nearest_neighbours: the k most cosine-similar rows, most similar first, never itself."""
check("nearest_neighbours", nearest_neighbours)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("15_lstm_gru_embeddings", "nearest_neighbours", nearest_neighbours)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 7: `analogy` (2 points)
#
# "a is to b as c is to ?": the word whose vector is most cosine-similar to
# $E_b - E_a + E_c$, the row of $c$ moved by the difference that took $a$ to $b$. Return its
# index as an int, **never one of a, b, c** (the target is usually closest to $b$ or $c$
# themselves). Ties go to the smaller index; leave `E` unchanged. In the toy example below
# (rows: man, woman, king, queen, apple), `analogy(E, 0, 1, 2)` is 3: man is to woman as king is
# to queen.


# %% nbgrader={"grade": false, "grade_id": "analogy", "locked": false, "schema_version": 3, "solution": true}
def analogy(E, a, b, c):
    """Index of the row most cosine-similar to E[b] - E[a] + E[c], excluding a, b and c.

    E: (V, D) vectors, no zero row; a, b, c: ints. Returns an int; ties go to the smaller index.
    """
    ### BEGIN SOLUTION
    target = E[b] - E[a] + E[c]
    similarity = (E @ target) / (np.linalg.norm(E, axis=1) * np.linalg.norm(target))
    similarity[[a, b, c]] = -np.inf
    return int(np.argmax(similarity))
    ### END SOLUTION


# %% tags=["spec"]
def _cos_to(E, target):
    return (E @ target) / (np.linalg.norm(E, axis=1) * np.linalg.norm(target))


def _analogy_not_excluded(E, a, b, c):
    return int(np.argmax(_cos_to(E, E[b] - E[a] + E[c])))


def _analogy_dot(E, a, b, c):
    similarity = E @ (E[b] - E[a] + E[c])
    similarity[[a, b, c]] = -np.inf
    return int(np.argmax(similarity))


def _analogy_reversed(E, a, b, c):
    similarity = _cos_to(E, E[a] - E[b] + E[c])
    similarity[[a, b, c]] = -np.inf
    return int(np.argmax(similarity))


def _analogy_public():
    toy = np.array(
        [[1.0, 0.0, 0.2], [1.0, 1.0, 0.2], [3.0, 0.0, 0.1], [3.0, 1.0, 0.1], [0.0, 0.0, 2.0]]
    )
    E = np.array(
        [
            [1.0, 0.2],
            [0.2, 1.0],
            [0.9, 0.6],
            [-1.0, 0.3],
            [0.1, 5.0],
            [0.5, -1.0],
            [-0.4, -0.8],
        ]
    )
    return [
        case(toy, 0, 1, 2, note="the toy example: man : woman :: king : ? (queen, 3)"),
        case(E, 3, 0, 1, note="V=7, D=2, rows of different lengths"),
        case(E, 5, 0, 2, note="the same E, another triple"),
    ]


def _analogy_hidden(rng):
    E = rng.normal(size=(9, 3)) * rng.uniform(0.3, 4.0, size=(9, 1))
    return [
        case(E, 0, 1, 2, note="V=9, D=3"),
        case(E, 4, 7, 8, note="V=9, D=3, another triple"),
        case(rng.normal(size=(6, 2)), 1, 3, 5, note="V=6, D=2"),
    ]


exercise(
    "analogy",
    public=_analogy_public(),
    hidden=_analogy_hidden,
    mistakes=[
        mistake(
            "a, b and c not excluded",
            _analogy_not_excluded,
            "the target is usually closest to b or c: set the similarity of a, b and c to -inf "
            "before taking the largest.",
        ),
        mistake(
            "cosine replaced by the dot product",
            _analogy_dot,
            "divide by both norms: compare directions, not lengths.",
        ),
        mistake(
            "moved by E[a] - E[b]",
            _analogy_reversed,
            "a is to b as c is to ?: move c by what took a to b, target = E[b] - E[a] + E[c].",
        ),
    ],
    driver="autograder.modules.lstm_gru_embeddings:index",
    outputs=("index", "E left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "analogy-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""analogy: the row most cosine-similar to E[b] - E[a] + E[c], never a, b or c."""
check("analogy", analogy)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("15_lstm_gru_embeddings", "analogy", analogy)
### END HIDDEN TESTS

# %% [markdown]
# ### What the embeddings learned
#
# The nearest neighbours of a few words, by your `nearest_neighbours` on the centre vectors:

# %%
needs("skipgram_neg_loss", "nearest_neighbours")
probe_words = ["class", "exception", "list", "int", "true", "return", "two", "method"]
for word in probe_words:
    neighbours = nearest_neighbours(W_words, word_index[word], 5)
    print(f"{word:>10}: {', '.join(vocab[k] for k in neighbours)}")

# %% [markdown]
# And a few analogies, by your `analogy`:

# %%
needs("skipgram_neg_loss", "analogy")
analogy_probes = [
    ("list", "lists", "string", "strings"),
    ("class", "classes", "method", "methods"),
    ("function", "functions", "object", "objects"),
    ("key", "keys", "value", "values"),
    ("true", "false", "and", "or"),
]
for a, b, c, expected in analogy_probes:
    answer = analogy(W_words, word_index[a], word_index[b], word_index[c])
    print(f"{a} : {b} :: {c} : {vocab[answer]:<12} (hoped for {expected})")

# %% [markdown]
# Be honest about what this shows. The neighbours make sense: words used in the same kind of
# sentence end up together (a class with its instances and base classes, an exception with its
# handler and `except`, `int` with `float` and `complex`). The analogies do **not** work: in our
# run not one of the five gives the hoped-for word. "king - man + woman = queen" needs a
# consistent *direction* for "plural" or "opposite" in the space, and that takes millions of
# words of text; ours has about 60,000 from one technical document, seen once.
#
# What does emerge is weaker, and uneven. Append the target vector $E_b - E_a + E_c$ to $E$ as
# an extra row, and your `nearest_neighbours` ranks every word by cosine to it; here is where the
# hoped-for word lands among the 497 candidates (rank 1 would be a solved analogy; a random
# guess lands around 250 on average):

# %%
needs("skipgram_neg_loss", "nearest_neighbours", "analogy")
for a, b, c, expected in analogy_probes:
    rows = [word_index[w] for w in (a, b, c)]
    target = W_words[rows[1]] - W_words[rows[0]] + W_words[rows[2]]
    ranking = nearest_neighbours(np.vstack([W_words, target]), len(vocab), len(vocab))
    candidates = [k for k in ranking if k not in rows]
    print(f"{a} : {b} :: {c} : {expected:<8} rank {candidates.index(word_index[expected]) + 1}")

# %% [markdown]
# In our run "strings" came 4th and "objects" 40th: the plurals carry a little of a shared
# direction. "methods" (149th) and "values" (75th) barely, and "or" (402nd) none at all: "true" and
# "false" are used in the same sentences, so the text gives no direction from one to the other.
# Real analogies emerge from word2vec trained on a billion words; the method is the same as yours.
#
# ### A picture of the vectors
#
# Vectors of 32 numbers cannot be drawn, but their two directions of largest variance can: the
# **principal components** of module 01, from the SVD of the centred matrix. Chosen words, by
# what they are: types, statements and keywords, ordinal and cardinal numbers.

# %%
needs("skipgram_neg_loss", "nearest_neighbours", "analogy")
picture_groups = {
    "types": ["int", "float", "str", "list", "tuple", "dict", "bytes", "set"],
    "statements": ["if", "else", "while", "for", "try", "except", "return", "yield", "import"],
    "numbers": ["one", "two", "three", "first", "second", "zero"],
}
picture_words = [w for group in picture_groups.values() for w in group if w in word_index]
centred = W_words - W_words.mean(axis=0)
_, singular_values, components = np.linalg.svd(centred, full_matrices=False)
projected = centred @ components[:2].T
explained = singular_values[:2] ** 2 / np.sum(singular_values**2)

plt.figure(figsize=(6, 5))
plt.scatter(projected[:, 0], projected[:, 1], s=4, color="lightgray")
for colour, (group, words) in zip(["C0", "C1", "C2"], picture_groups.items()):
    rows = [word_index[w] for w in words if w in word_index]
    plt.scatter(projected[rows, 0], projected[rows, 1], color=colour, label=group)
    for row in rows:
        plt.annotate(vocab[row], projected[row], fontsize=8, color=colour)
plt.xlabel(f"PC 1 ({explained[0]:.0%} of the variance)")
plt.ylabel(f"PC 2 ({explained[1]:.0%})")
plt.legend()
plt.title("500 word vectors, projected on their first two principal components")
plt.show()

# %% [markdown]
# Two dimensions keep only a small share of 32, so a picture shows less than the neighbours
# list does: groups that are close in 32 dimensions may overlap here. Choose a word below to
# see its neighbours (orange) on the same picture, and their cosine similarities.


# %%
needs("skipgram_neg_loss", "nearest_neighbours", "analogy")


def show_neighbours(word="exception", k=8):
    row = word_index[word]
    found = nearest_neighbours(W_words, row, k)
    norms = np.linalg.norm(W_words, axis=1)
    cosines = W_words[found] @ W_words[row] / (norms[found] * norms[row])
    plt.figure(figsize=(6, 4))
    plt.scatter(projected[:, 0], projected[:, 1], s=4, color="lightgray")
    plt.scatter(*projected[row], color="C3", s=40)
    plt.annotate(word, projected[row], color="C3")
    plt.scatter(projected[found, 0], projected[found, 1], color="C1", s=20)
    for k_row, cos in zip(found, cosines):
        plt.annotate(f"{vocab[k_row]} ({cos:.2f})", projected[k_row], fontsize=8, color="C1")
    plt.title(f"the {k} nearest neighbours of {word!r}")
    plt.show()


neighbour_explorer = widgets.interact(
    show_neighbours,
    word=widgets.Dropdown(options=sorted(vocab), value="exception", description="word"),
    k=widgets.IntSlider(8, min=1, max=20, description="k"),
)

# %% [markdown]
# ## Summary
#
# * An LSTM's cell state is updated by a **sum**, gated by the forget gate: its gradient flows
#   back multiplied by $f$, not by a weight matrix, so a memory lasts as long as $f$ stays near 1.
# * The GRU gets much of the same with one state and two gates: an interpolation
#   $h_{\text{next}} = (1-z)\,n + z\,h_{\text{prev}}$.
# * With the same budget, your LSTM language model beat a plain RNN of the same size on held-out
#   text (1.94 against 2.07 nats per character), and trained well at a learning rate that made
#   the RNN worse.
# * Skip-gram with negative sampling turns co-occurrence into geometry: cosine neighbours are
#   meaningful after one pass over 60,000 words; analogies need far more text.
#
# Next, module 16 replaces recurrence altogether with **attention**.
