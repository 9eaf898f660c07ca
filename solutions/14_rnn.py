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
# # 14 · Recurrent networks and backpropagation through time
#
# **Why this matters.** Every network so far took an input of a fixed size and forgot it the
# moment it answered. Text, speech, prices and sensor readings are **sequences**: what comes next
# depends on what came before, and the length varies. A **recurrent neural network** (RNN) reads a
# sequence one element at a time and carries a **hidden state** from each step to the next, a
# running summary of everything it has read so far. The same weights are used at every step, so
# one small network handles sequences of any length.
#
# In this module you write the RNN step and the whole sequence, forward and backward
# (**backpropagation through time**), see why gradients **vanish or explode** over long
# distances and how **clipping** tames the explosions, then train a character-level language
# model on the text of Python's own documentation and make it write, hotter or colder, with a
# **temperature**.
#
# **Conventions** (CS231n). A batch of sequences is `(N, T, D)`: N sequences of T steps, D
# features per step. Hidden states are `(N, H)`; the weights are `Wx` `(D, H)`, `Wh` `(H, H)` and
# `b` `(H,)`. A forward pass returns `(out, cache)`, its backward pass takes `(dout, cache)` and
# returns the gradients in the order of the forward inputs.
#
# **Exercises:** `rnn_step_forward` (2 points), `rnn_step_backward` (3), `rnn_forward` (2),
# `rnn_backward` (4), `clip_by_global_norm` (2), `temporal_softmax_loss` (3),
# `temperature_probs` (2): **18 points**.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo
from autograder.modules.rnn import doc_corpus
from autograder.checking.numerics import numerical_gradient, rel_error

check = load_checks("14_rnn")

# %% [markdown]
# ## 1. One step of a recurrent network
#
# At step $t$ the network reads $x_t$ (one row per sequence of the batch) and the previous hidden
# state $h_{t-1}$, and computes the next one:
#
# $$a_t = x_t W_x + h_{t-1} W_h + b, \qquad h_t = \tanh(a_t).$$
#
# $W_x$ mixes in the new input, $W_h$ carries the memory forward, and $\tanh$ keeps every entry of
# the state between $-1$ and $1$. A worked example with one sequence ($N = 1$), $D = 2$ input
# features and $H = 3$ hidden units:

# %%
x_example = np.array([[1.0, 2.0]])
prev_h_example = np.array([[0.5, -0.5, 0.0]])
Wx_example = np.array([[0.1, 0.2, 0.3], [0.0, -0.1, 0.2]])
Wh_example = np.array([[0.5, 0.0, 0.0], [0.0, 0.5, 0.0], [0.1, 0.1, 0.1]])
b_example = np.array([0.0, 0.1, -0.1])
a_example = x_example @ Wx_example + prev_h_example @ Wh_example + b_example
print("a      =", a_example)
print("next_h =", np.tanh(a_example))

# %% [markdown]
# ### Exercise 1: `rnn_step_forward` (2 points)
#
# Compute `next_h` and return `(next_h, cache)`. What goes in the cache is up to you: whatever
# your backward pass will need (`(x, prev_h, Wx, Wh, next_h)` is enough, as the next exercise
# shows). Do not change any input in place.


# %% nbgrader={"grade": false, "grade_id": "rnn-step-forward", "locked": false, "schema_version": 3, "solution": true}
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One step of a vanilla RNN with a tanh non-linearity.

    x: (N, D) inputs of this step; prev_h: (N, H) previous hidden state;
    Wx: (D, H), Wh: (H, H), b: (H,).
    Returns next_h (N, H) = tanh(x Wx + prev_h Wh + b), and a cache for rnn_step_backward.
    """
    ### BEGIN SOLUTION
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _step_inputs(rng, N, D, H, scale=1.0, digits=None):
    arrays = [
        rng.normal(size=(N, D)),
        rng.uniform(-1.0, 1.0, size=(N, H)),
        scale * rng.normal(size=(D, H)) / np.sqrt(D),
        scale * rng.normal(size=(H, H)) / np.sqrt(H),
        0.5 * rng.normal(size=H),
    ]
    return [np.round(a, digits) for a in arrays] if digits else arrays


def _step_case(rng, N, D, H, note, scale=1.0, digits=None):
    return case(*_step_inputs(rng, N, D, H, scale, digits), note=note)


_STEP_EXAMPLE = (
    np.array([[1.0, 2.0]]),
    np.array([[0.5, -0.5, 0.0]]),
    np.array([[0.1, 0.2, 0.3], [0.0, -0.1, 0.2]]),
    np.array([[0.5, 0.0, 0.0], [0.0, 0.5, 0.0], [0.1, 0.1, 0.1]]),
    np.array([0.0, 0.1, -0.1]),
)


def _step_no_bias(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def _step_no_tanh(x, prev_h, Wx, Wh, b):
    next_h = x @ Wx + prev_h @ Wh + b
    return next_h, (x, prev_h, Wx, Wh, next_h)


def _step_tanh_on_input_only(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + b) + prev_h @ Wh
    return next_h, (x, prev_h, Wx, Wh, next_h)


_step_rng = np.random.default_rng(1401)
exercise(
    "rnn_step_forward",
    private_cache=True,  # what goes in the cache is the learner's design
    public=[
        case(*_STEP_EXAMPLE, note="the worked example: N=1, D=2, H=3"),
        _step_case(_step_rng, 3, 4, 2, "N=3, D=4, H=2", digits=2),
        _step_case(_step_rng, 2, 3, 3, "N=2, D=H=3", digits=2),
    ],
    hidden=lambda rng: [
        _step_case(rng, 1, 3, 5, "a batch of one, D=3, H=5"),
        _step_case(rng, 4, 6, 3, "N=4, D=6, H=3"),
        _step_case(rng, 5, 2, 7, "N=5, D=2, H=7"),
        _step_case(rng, 3, 4, 4, "large weights: a saturated tanh", scale=20.0),
    ],
    mistakes=[
        mistake(
            "forgot the bias",
            _step_no_bias,
            "the pre-activation is x Wx + prev_h Wh + b: add b (shape (H,)) before the tanh.",
        ),
        mistake(
            "forgot the tanh",
            _step_no_tanh,
            "next_h = np.tanh(x Wx + prev_h Wh + b): without the tanh the state is not bounded "
            "and the network is linear.",
        ),
        mistake(
            "tanh on the input term only",
            _step_tanh_on_input_only,
            "the tanh takes the whole sum: np.tanh(x @ Wx + prev_h @ Wh + b), the memory term "
            "included.",
        ),
    ],
    driver="autograder.modules.deep_network:layer_forward",
    outputs=("returns", "next_h", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "rnn-step-forward-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""rnn_step_forward: next_h = tanh(x Wx + prev_h Wh + b), returned with a cache, inputs unchanged."""
check("rnn_step_forward", rnn_step_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("14_rnn", "rnn_step_forward", rnn_step_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### The backward pass of one step
#
# Work backwards through $h_t = \tanh(a_t)$, $a_t = x_t W_x + h_{t-1} W_h + b$. The derivative of
# $\tanh$ is best written with its **output**: $\tanh'(a) = 1 - \tanh^2(a) = 1 - h_t^2$. So with
# `dnext_h` $= \partial L / \partial h_t$,
#
# $$da = \text{dnext\_h} \odot (1 - h_t^2), \qquad
# dx = da\, W_x^\top, \quad dh_{t-1} = da\, W_h^\top, \quad
# dW_x = x_t^\top da, \quad dW_h = h_{t-1}^\top da, \quad db = \textstyle\sum_i da_{i,:}.$$
#
# Everything after $da$ is module 07's affine layer, twice: once for the input, once for the
# previous state. As there, a gradient has the shape of what it is the gradient of.
#
# ### Exercise 2: `rnn_step_backward` (3 points)
#
# Return the five gradients in the order of the forward inputs,
# `(dx, dprev_h, dWx, dWh, db)`. The check runs your `rnn_step_forward` to make the cache, and
# compares your gradients with the expected ones and with the numerical gradient of your own
# forward pass.


# %% nbgrader={"grade": false, "grade_id": "rnn-step-backward", "locked": false, "schema_version": 3, "solution": true}
def rnn_step_backward(dnext_h, cache):
    """Backward pass of one RNN step.

    dnext_h: (N, H) gradient of the loss with respect to next_h; cache: from rnn_step_forward.
    Returns dx (N, D), dprev_h (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    ### BEGIN SOLUTION
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1.0 - next_h**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)
    ### END SOLUTION


# %% tags=["spec"]
def _step_backward_at_preactivation(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    a = np.arctanh(next_h)  # what a cache of the pre-activation would hold
    da = dnext_h * (1.0 - a**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def _step_backward_no_tanh(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def _step_backward_dwh_transposed(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1.0 - next_h**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, da.T @ prev_h, da.sum(axis=0)


def _step_backward_case(rng, N, D, H, note, scale=1.0, digits=None):
    inputs = _step_inputs(rng, N, D, H, scale, digits)
    dnext = rng.normal(size=(N, H))
    return case(*inputs, np.round(dnext, digits) if digits else dnext, note=note)


_step_back_rng = np.random.default_rng(1402)
exercise(
    "rnn_step_backward",
    public=[
        case(
            *_STEP_EXAMPLE, np.array([[1.0, -1.0, 0.5]]), note="the worked example: N=1, D=2, H=3"
        ),
        _step_backward_case(_step_back_rng, 3, 4, 2, "N=3, D=4, H=2", digits=2),
        _step_backward_case(_step_back_rng, 2, 3, 3, "N=2, D=H=3", digits=2),
    ],
    hidden=lambda rng: [
        _step_backward_case(rng, 1, 3, 5, "a batch of one, D=3, H=5"),
        _step_backward_case(rng, 4, 6, 3, "N=4, D=6, H=3"),
        _step_backward_case(rng, 5, 2, 4, "N=5, D=2, H=4"),
        _step_backward_case(rng, 3, 3, 3, "square, N=D=H=3"),
    ],
    mistakes=[
        mistake(
            "tanh's derivative at the pre-activation",
            _step_backward_at_preactivation,
            "tanh'(a) = 1 - tanh(a)^2 = 1 - next_h^2: square the output of the tanh (next_h), "
            "not its input a.",
        ),
        mistake(
            "forgot tanh's derivative",
            _step_backward_no_tanh,
            "the gradient passes through the tanh first: da = dnext_h * (1 - next_h**2), then "
            "the products with Wx.T, Wh.T, x.T and prev_h.T use da.",
        ),
        mistake(
            "dWh transposed",
            _step_backward_dwh_transposed,
            "Wh maps prev_h (N, H) to the pre-activation, so dWh = prev_h.T @ da, as dWx = "
            "x.T @ da; da.T @ prev_h is its transpose.",
        ),
    ],
    uses=("rnn_step_forward",),
    driver="autograder.modules.rnn:step_gradients",
    outputs=("dx", "dprev_h", "dWx", "dWh", "db", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "rnn-step-backward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""rnn_step_backward: the five gradients of one step, as expected and as the numerical gradient."""
check("rnn_step_backward", rnn_step_backward, rnn_step_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("14_rnn", "rnn_step_backward", rnn_step_backward, rnn_step_forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 2. A whole sequence
#
# Unrolled over $T$ steps, the RNN is a deep network whose layers all share the same weights:
#
# $$h_0 \xrightarrow{x_1} h_1 \xrightarrow{x_2} h_2 \;\cdots\; \xrightarrow{x_T} h_T .$$
#
# The input `x` is `(N, T, D)`: step `t` of every sequence is `x[:, t, :]`, a `(N, D)` array.
# The output `h` stacks every hidden state, `h[:, t, :]` $= h_{t+1}$ in the maths above (Python
# counts from 0): the state *after* reading `x[:, t]`. The initial state $h_0$ is not part of it.
#
# ### Exercise 3: `rnn_forward` (2 points)
#
# Loop over time, calling your `rnn_step_forward`, each step starting from the state the previous
# step produced. Fill an array `h` of shape `(N, T, H)` and keep every step's cache (a list of
# them is a good cache for the whole sequence).


# %% nbgrader={"grade": false, "grade_id": "rnn-forward", "locked": false, "schema_version": 3, "solution": true}
def rnn_forward(x, h0, Wx, Wh, b):
    """Forward pass of a vanilla RNN over a whole sequence.

    x: (N, T, D) inputs; h0: (N, H) initial hidden state; Wx: (D, H), Wh: (H, H), b: (H,).
    Returns h (N, T, H), the hidden state after each step, and a cache for rnn_backward.
    """
    ### BEGIN SOLUTION
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    caches = []
    prev_h = h0
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        caches.append(step_cache)
    return h, caches
    ### END SOLUTION


# %% tags=["spec"]
def _forward_always_from_h0(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    caches = []
    for t in range(T):
        next_h, step_cache = rnn_step_forward(x[:, t, :], h0, Wx, Wh, b)
        h[:, t, :] = next_h
        caches.append(step_cache)
    return h, caches


def _forward_states_before_step(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    caches = []
    prev_h = h0
    for t in range(T):
        h[:, t, :] = prev_h
        prev_h, step_cache = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        caches.append(step_cache)
    return h, caches


def _forward_time_first(x, h0, Wx, Wh, b):
    states, caches = [], []
    prev_h = h0
    for t in range(x.shape[1]):
        prev_h, step_cache = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        states.append(prev_h)
        caches.append(step_cache)
    return np.stack(states), caches


def _sequence_inputs(rng, N, T, D, H, scale=1.0, digits=None):
    arrays = [
        rng.normal(size=(N, T, D)),
        rng.uniform(-1.0, 1.0, size=(N, H)),
        scale * rng.normal(size=(D, H)) / np.sqrt(D),
        scale * rng.normal(size=(H, H)) / np.sqrt(H),
        0.5 * rng.normal(size=H),
    ]
    return [np.round(a, digits) for a in arrays] if digits else arrays


def _sequence_case(rng, N, T, D, H, note, scale=1.0, digits=None):
    return case(*_sequence_inputs(rng, N, T, D, H, scale, digits), note=note)


_seq_rng = np.random.default_rng(1403)
exercise(
    "rnn_forward",
    private_cache=True,  # what goes in the cache is the learner's design
    public=[
        _sequence_case(_seq_rng, 2, 3, 4, 3, "N=2, T=3, D=4, H=3", digits=2),
        _sequence_case(_seq_rng, 3, 3, 2, 4, "N=T=3, D=2, H=4", digits=2),
        _sequence_case(_seq_rng, 1, 5, 3, 2, "one sequence of T=5 steps, D=3, H=2", digits=2),
    ],
    hidden=lambda rng: [
        _sequence_case(rng, 2, 1, 3, 4, "a sequence of length 1"),
        _sequence_case(rng, 1, 6, 4, 3, "a batch of one, T=6"),
        _sequence_case(rng, 4, 7, 5, 6, "N=4, T=7, D=5, H=6"),
        _sequence_case(rng, 3, 4, 2, 5, "large weights", scale=5.0),
    ],
    mistakes=[
        mistake(
            "every step started from h0",
            _forward_always_from_h0,
            "each step starts from the state the previous step produced: keep prev_h, update "
            "it with the step's output, and pass it to the next step. Only the first step "
            "starts from h0.",
        ),
        mistake(
            "stored the state before the step",
            _forward_states_before_step,
            "h[:, t] is the state after reading x[:, t]: call the step first, then store its "
            "output. h0 is not part of h.",
        ),
        mistake(
            "time on the first axis",
            _forward_time_first,
            "np.stack(states) stacks along a new first axis and gives (T, N, H); h must be "
            "(N, T, H): use np.stack(states, axis=1), or fill h[:, t, :] at each step.",
        ),
    ],
    uses=("rnn_step_forward",),
    driver="autograder.modules.rnn:sequence_forward",
    outputs=("returns", "h", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "rnn-forward-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""rnn_forward: the hidden states (N, T, H) of a whole sequence, one step after another."""
check("rnn_forward", rnn_forward, rnn_step_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("14_rnn", "rnn_forward", rnn_forward, rnn_step_forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Backpropagation through time
#
# The loss reaches each hidden state $h_t$ by **two** roads: directly, through whatever the network
# computes from $h_t$ at step $t$ (a prediction: the upstream gradient `dh[:, t]`), and indirectly,
# through $h_{t+1}$, which was computed from $h_t$. The total gradient of $h_t$ is the sum:
#
# $$\frac{\partial L}{\partial h_t} = \underbrace{\text{dh}[:, t]}_{\text{from its own output}}
# + \underbrace{\frac{\partial L}{\partial h_{t+1}}
# \frac{\partial h_{t+1}}{\partial h_t}}_{\text{dprev\_h of step } t+1} .$$
#
# So walk backwards in time, from the last step to the first, carrying `dprev_h` from each step
# into the one before it (at the last step nothing comes from the future: start it at zero).
# Because the same $W_x$, $W_h$, $b$ are used at every step, their gradients are the **sums** of
# the steps' gradients. What is left in `dprev_h` after the first step is `dh0`.
#
# ### Exercise 4: `rnn_backward` (4 points)
#
# Call your `rnn_step_backward` on each step's cache, in reverse order. The check runs your
# `rnn_forward` to make the cache, and compares your five gradients with the expected ones and
# with the numerical gradient of your own `rnn_forward`.


# %% nbgrader={"grade": false, "grade_id": "rnn-backward", "locked": false, "schema_version": 3, "solution": true}
def rnn_backward(dh, cache):
    """Backpropagation through time over a whole sequence.

    dh: (N, T, H) upstream gradient of every hidden state (not counting the paths through later
    steps); cache: from rnn_forward.
    Returns dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    ### BEGIN SOLUTION
    N, T, H = dh.shape
    dx_steps = [None] * T
    dWx = dWh = db = 0.0
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t, :] + dprev_h, cache[t])
        dx_steps[t] = dx_t
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(dx_steps, axis=1), dprev_h, dWx, dWh, db
    ### END SOLUTION


# %% tags=["spec"]
def _backward_drops_future(dh, cache):
    N, T, H = dh.shape
    dx_steps = [None] * T
    dWx = dWh = db = 0.0
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t, :], cache[t])
        dx_steps[t] = dx_t
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(dx_steps, axis=1), dprev_h, dWx, dWh, db


def _backward_upstream_not_added(dh, cache):
    N, T, H = dh.shape
    dx_steps = [None] * T
    dWx = dWh = db = 0.0
    dnext_h = dh[:, T - 1, :]
    for t in reversed(range(T)):
        dx_t, dnext_h, dWx_t, dWh_t, db_t = rnn_step_backward(dnext_h, cache[t])
        dx_steps[t] = dx_t
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(dx_steps, axis=1), dnext_h, dWx, dWh, db


def _backward_weights_overwritten(dh, cache):
    N, T, H = dh.shape
    dx_steps = [None] * T
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx_t, dprev_h, dWx, dWh, db = rnn_step_backward(dh[:, t, :] + dprev_h, cache[t])
        dx_steps[t] = dx_t
    return np.stack(dx_steps, axis=1), dprev_h, dWx, dWh, db


def _backward_case(rng, N, T, D, H, note, scale=1.0, digits=None):
    inputs = _sequence_inputs(rng, N, T, D, H, scale, digits)
    dh = rng.normal(size=(N, T, H))
    return case(*inputs, np.round(dh, digits) if digits else dh, note=note)


_back_rng = np.random.default_rng(1404)
exercise(
    "rnn_backward",
    public=[
        _backward_case(_back_rng, 2, 3, 4, 3, "N=2, T=3, D=4, H=3", digits=2),
        _backward_case(_back_rng, 1, 4, 2, 3, "one sequence of T=4 steps, D=2, H=3", digits=2),
        _backward_case(_back_rng, 3, 2, 3, 2, "N=3, T=2, D=3, H=2", digits=2),
    ],
    hidden=lambda rng: [
        _backward_case(rng, 2, 1, 3, 4, "a sequence of length 1"),
        _backward_case(rng, 1, 5, 4, 3, "a batch of one, T=5"),
        _backward_case(rng, 4, 6, 5, 2, "N=4, T=6, D=5, H=2"),
        _backward_case(rng, 3, 4, 3, 3, "square weights, D=H=3"),
    ],
    mistakes=[
        mistake(
            "dropped the gradient from the next time step",
            _backward_drops_future,
            "h[:, t] also fed step t + 1: its gradient is dh[:, t] plus the dprev_h that step "
            "t + 1 sent back. Pass dh[:, t] + dprev_h to rnn_step_backward.",
        ),
        mistake(
            "hidden-state gradient not summed with the upstream one",
            _backward_upstream_not_added,
            "every step's state has its own upstream gradient dh[:, t], not only the last one: "
            "add it to the dprev_h coming back from step t + 1 before calling "
            "rnn_step_backward.",
        ),
        mistake(
            "weight gradients overwritten at each step",
            _backward_weights_overwritten,
            "Wx, Wh and b are shared by every step, so their gradients are sums over the steps: "
            "start them at zero and add each step's dWx, dWh, db.",
        ),
    ],
    uses=("rnn_forward", "rnn_step_backward"),
    driver="autograder.modules.rnn:sequence_gradients",
    outputs=("dx", "dh0", "dWx", "dWh", "db", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "rnn-backward-tests", "locked": true, "points": 4, "schema_version": 3, "solution": false}
"""rnn_backward: the gradients of a whole sequence, as expected and as the numerical gradient."""
check("rnn_backward", rnn_backward, rnn_forward, rnn_step_backward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("14_rnn", "rnn_backward", rnn_backward, rnn_forward, rnn_step_backward)
### END HIDDEN TESTS

# %% [markdown]
# **Trust, but verify.** The same gradient check in the open, on a batch of 2 sequences of 6
# steps: for every input and weight, the largest relative error between your backward pass and
# centred differences of your forward pass. Around $10^{-7}$ or smaller is right; near 1 is a bug.

# %%
needs("rnn_forward", "rnn_backward")
rng = np.random.default_rng(0)
x_check = rng.normal(size=(2, 6, 3))
h0_check = rng.normal(size=(2, 4))
Wx_check, Wh_check = 0.5 * rng.normal(size=(3, 4)), 0.5 * rng.normal(size=(4, 4))
b_check = rng.normal(size=4)
dh_check = rng.normal(size=(2, 6, 4))
inputs_check = {"x": x_check, "h0": h0_check, "Wx": Wx_check, "Wh": Wh_check, "b": b_check}
_, cache_check = rnn_forward(*inputs_check.values())
grads_check = dict(zip(inputs_check, rnn_backward(dh_check, cache_check)))
for name, value in inputs_check.items():

    def loss_of(_):
        return float(np.sum(rnn_forward(*inputs_check.values())[0] * dh_check))

    numerical = numerical_gradient(loss_of, value)
    print(f"d{name}: relative error {rel_error(grads_check[name], numerical):.1e}")

# %% [markdown]
# ## 4. Vanishing and exploding gradients
#
# Follow a gradient back from the last step. Each step multiplies it by the transposed Jacobian
# of that step, $\text{diag}(1 - h_t^2)\, W_h^\top$. After $k$ steps it has been multiplied by $k$
# such matrices. Their size is set by $W_h$'s **spectral radius** $\rho$, its largest absolute
# eigenvalue; the tanh factor can only shrink things. Roughly:
#
# * $\rho < 1$: the gradient shrinks like $\rho^k$, **vanishes**, and the network cannot learn
#   that something 50 steps ago matters;
# * $\rho > 1$: it can grow like $\rho^k$, **explodes**, and one update throws the weights far
#   away.
#
# Let us measure it with your functions. A network with $H = 32$ units reads 50 steps of small
# random inputs; $W_h$ is a random rotation scaled by $\rho$ (so that all of its eigenvalues
# have size $\rho$). We put a gradient on the **last** hidden state only and backpropagate: the
# size of `dx[:, t]` says how much the loss still hears of the input $k = T - 1 - t$ steps back.

# %%
needs("rnn_forward", "rnn_backward")
T_probe, H_probe, D_probe = 50, 32, 8
probe_rng = np.random.default_rng(14)
rotation, _ = np.linalg.qr(probe_rng.normal(size=(H_probe, H_probe)))
Wx_probe = 0.1 * probe_rng.normal(size=(D_probe, H_probe)) / np.sqrt(D_probe)
x_probe = probe_rng.normal(size=(1, T_probe, D_probe))
dh_last = np.zeros((1, T_probe, H_probe))
dh_last[0, -1] = probe_rng.normal(size=H_probe) / np.sqrt(H_probe)


def gradient_through_time(rho):
    """Norm of the gradient reaching the input k steps before the end, for k = 0 .. T-1,
    and the gradients of the weights."""
    h, cache = rnn_forward(
        x_probe, np.zeros((1, H_probe)), Wx_probe, rho * rotation, np.zeros(H_probe)
    )
    dx, _, dWx, dWh, db = rnn_backward(dh_last, cache)
    norms = np.linalg.norm(dx[0], axis=1)[::-1]  # k = 0 is the last step
    return norms, {"Wx": dWx, "Wh": dWh, "b": db}


radii = [0.5, 0.8, 1.0, 1.2, 1.5, 2.0]
profiles = {rho: gradient_through_time(rho)[0] for rho in radii}
plt.figure(figsize=(6, 3.2))
for rho, norms in profiles.items():
    plt.semilogy(norms, label=f"ρ = {rho}")
plt.xlabel("distance in time k (steps back from the end)")
plt.ylabel("‖gradient at the input‖")
plt.legend(fontsize=8, ncol=2)
plt.title("how much of the loss reaches k steps back")
plt.show()

# %% [markdown]
# Move the slider. Below $\rho = 1$ the line falls straight on this log scale: an exponential
# decay, ten orders of magnitude over 50 steps at $\rho = 0.5$. Above 1 it rises (more slowly than
# $\rho^k$, because the saturated tanh multiplies by $1 - h^2 < 1$). Only near $\rho = 1$ does a
# signal travel far and stay usable: that knife edge is what the LSTM of module 15 is built to
# escape.


# %%
needs("rnn_forward", "rnn_backward")


def show_radius(rho=1.0):
    norms, _ = gradient_through_time(rho)
    plt.figure(figsize=(6, 3.2))
    for profile in profiles.values():
        plt.semilogy(profile, color="tab:gray", lw=0.6)
    plt.semilogy(norms, color="tab:red", lw=2.5)
    plt.semilogy(norms[0] * rho ** np.arange(T_probe), "k--", lw=1, label="ρ^k (no tanh)")
    plt.ylim(1e-18, 1e4)
    plt.xlabel("distance in time k")
    plt.ylabel("‖gradient at the input‖")
    plt.title(f"ρ = {rho:.2f}: {norms[-1] / norms[0]:.1e} times the gradient at k = 0")
    plt.legend(fontsize=8)
    plt.show()


radius_viewer = widgets.interact(
    show_radius,
    rho=widgets.FloatSlider(value=1.0, min=0.3, max=2.5, step=0.05, description="ρ of Wh"),
)

# %% [markdown]
# ## 5. Clipping by global norm
#
# Vanishing gradients need a different architecture (module 15). Exploding ones have a cheap,
# universal fix: before each update, look at the size of the **whole** gradient, all parameter
# arrays together,
#
# $$\text{norm} = \sqrt{\textstyle\sum_{\text{arrays } g} \sum_{\text{entries}} g^2},$$
#
# and if it exceeds a threshold `max_norm`, multiply **every** array by `max_norm / norm`. The
# update keeps its direction and only its length is capped: a rare huge step becomes an ordinary
# one. (Clipping each array on its own would change the direction, since each array would be
# shrunk by a different factor.) A worked example: `{"W": [[3, 0], [0, 0]], "b": [4, 0]}` has
# norm $\sqrt{9 + 16} = 5$; with `max_norm = 1` both are multiplied by $0.2$, giving
# `W = [[0.6, 0], [0, 0]]` and `b = [0.8, 0]`.
#
# ### Exercise 5: `clip_by_global_norm` (2 points)
#
# Return a **new** dict with the same keys. Leave the dict you are given and its arrays as they
# were (a training loop may still need the raw gradients, for instance to plot their norm): no
# `*=` on them. When the norm is at most `max_norm`, the arrays come back unchanged.


# %% nbgrader={"grade": false, "grade_id": "clip-by-global-norm", "locked": false, "schema_version": 3, "solution": true}
def clip_by_global_norm(grads, max_norm):
    """Scale a set of gradients so that their global norm is at most max_norm.

    grads: dict of arrays of any shapes; max_norm: a positive float.
    Returns a new dict with the same keys: every array times max_norm / norm when the global norm
    (the square root of the sum of all squared entries) exceeds max_norm, else the arrays as they
    are. grads and its arrays are left unchanged.
    """
    ### BEGIN SOLUTION
    norm = np.sqrt(sum(float(np.sum(g**2)) for g in grads.values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}
    ### END SOLUTION


# %% tags=["spec"]
def _clip_each_array(grads, max_norm):
    clipped = {}
    for name, g in grads.items():
        norm = np.sqrt(np.sum(g**2))
        clipped[name] = g * (max_norm / norm) if norm > max_norm else g * 1.0
    return clipped


def _clip_in_place(grads, max_norm):
    norm = np.sqrt(sum(float(np.sum(g**2)) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return grads


def _clip_always_rescaled(grads, max_norm):
    norm = np.sqrt(sum(float(np.sum(g**2)) for g in grads.values()))
    return {name: g * (max_norm / norm) for name, g in grads.items()}


def _clip_summed_norms(grads, max_norm):
    norm = sum(float(np.sqrt(np.sum(g**2))) for g in grads.values())
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}


def _clip_case(rng, shapes, target_norm, max_norm, note):
    arrays = {name: rng.normal(size=shape) * rng.uniform(0.2, 3.0) for name, shape in shapes}
    norm = np.sqrt(sum(np.sum(g**2) for g in arrays.values()))
    return case({name: g * (target_norm / norm) for name, g in arrays.items()}, max_norm, note=note)


exercise(
    "clip_by_global_norm",
    public=[
        case(
            {"W": np.array([[3.0, 0.0], [0.0, 0.0]]), "b": np.array([4.0, 0.0])},
            1.0,
            note="the worked example: global norm 5, max_norm 1",
        ),
        case(
            {"W": np.array([[0.1, -0.2], [0.3, 0.0]]), "b": np.array([0.2, 0.1])},
            5.0,
            note="global norm below max_norm: nothing changes",
        ),
        case(
            {
                "Wx": np.array([[6.0, -2.0, 1.0]]),
                "Wh": np.array([[1.0, 0.0], [-3.0, 2.0]]),
                "b": np.array([0.5, -0.5, 4.0]),
            },
            2.0,
            note="three arrays of different sizes, global norm about 8.5",
        ),
    ],
    hidden=lambda rng: [
        _clip_case(rng, [("W", (4, 3))], 10.0, 1.0, "a single array"),
        _clip_case(rng, [("Wx", (3, 5)), ("Wh", (5, 5)), ("b", (5,))], 0.5, 1.0, "below max_norm"),
        _clip_case(
            rng, [("Wx", (2, 3)), ("Wh", (3, 3)), ("b", (3,)), ("Wy", (3, 2))], 50.0, 5.0, "four"
        ),
        _clip_case(rng, [("a", (2, 2, 2)), ("b", (1,))], 1e6, 0.1, "a huge gradient"),
    ],
    mistakes=[
        mistake(
            "clipped each array on its own",
            _clip_each_array,
            "the norm is global: one number for all the arrays together, "
            "sqrt(sum of every squared entry of every array), and one factor max_norm / norm "
            "for all of them, so that the direction of the whole gradient is kept.",
        ),
        mistake(
            "clipped the gradients in place",
            _clip_in_place,
            "g *= ... changes the caller's arrays. Build new ones: "
            "{name: g * scale for name, g in grads.items()}.",
        ),
        mistake(
            "rescaled small gradients too",
            _clip_always_rescaled,
            "clipping only shrinks: multiply by max_norm / norm only when norm > max_norm; "
            "otherwise the gradients come back as they are.",
        ),
        mistake(
            "added up the arrays' norms",
            _clip_summed_norms,
            "the global norm is sqrt(sum over arrays of sum(g**2)), the norm of all the entries "
            "laid end to end, not the sum of each array's norm.",
        ),
    ],
    driver="autograder.modules.rnn:clip_run",
    outputs=("clipped gradients", "grads left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "clip-by-global-norm-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""clip_by_global_norm: one factor for all arrays, only above max_norm, inputs left unchanged."""
check("clip_by_global_norm", clip_by_global_norm)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("14_rnn", "clip_by_global_norm", clip_by_global_norm)
### END HIDDEN TESTS

# %% [markdown]
# Clip the exploding gradients of $\rho = 2$ from the experiment above: the norm is capped and
# the direction (the cosine with the raw gradient) is untouched.

# %%
needs("rnn_forward", "rnn_backward", "clip_by_global_norm")
_, raw_grads = gradient_through_time(2.0)
clipped_grads = clip_by_global_norm(raw_grads, max_norm=1.0)


def global_norm(grads):
    return float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))


def flat(grads):
    return np.concatenate([g.ravel() for g in grads.values()])


cosine = (
    flat(raw_grads) @ flat(clipped_grads) / (global_norm(raw_grads) * global_norm(clipped_grads))
)
print(f"global norm before {global_norm(raw_grads):.3g}, after {global_norm(clipped_grads):.3g}")
print(f"cosine between the two: {cosine:.6f}")

# %% [markdown]
# ## 6. A character-level language model
#
# A **language model** gives the probability of the next symbol given the ones before it. Read a
# text one character at a time, and at each step let the RNN's hidden state score every
# character of the vocabulary: $s_t = h_t W_y + b_y$, a softmax over the scores, and the loss is
# the cross-entropy of the character that really comes next. Trained on a text, it learns its
# spelling, its words, its punctuation and, with enough capacity, some of its grammar.
#
# Our text: the reference pages of 23 Python statements (`for`, `while`, `class`, `try`, ...),
# from the documentation that ships inside every Python as `pydoc_data.topics`, so nothing is
# downloaded. `doc_corpus()` joins them in a fixed order; the first 90% of the characters are for
# training, the last 10% are **held out** to measure how well the model predicts text it has never
# seen. Each character becomes a one-hot vector of the vocabulary's size, so $D = V$.

# %%
train_text, heldout_text, vocab = doc_corpus()
char_to_id = {c: i for i, c in enumerate(vocab)}
train_ids = np.array([char_to_id[c] for c in train_text])
heldout_ids = np.array([char_to_id[c] for c in heldout_text])
V = len(vocab)
print(f"{len(train_text)} training characters, {len(heldout_text)} held out, vocabulary of {V}")
print(repr("".join(vocab)))
print(train_text[:300])

# %% [markdown]
# ### The loss over a sequence
#
# The scores are now `(N, T, V)`: one score vector per step of every sequence, and the targets
# `y` are `(N, T)` integer ids. Real batches mix sequences of different lengths, padded to a
# common $T$; a boolean `mask` `(N, T)` says which steps are real (`True`) and which are padding
# (`False`, ignored). The loss adds the cross-entropies of the real steps and divides by $N$
# only, as CS231n does: a loss per sequence, not per step.
#
# $$L = -\frac{1}{N} \sum_{i=1}^{N}\sum_{t=1}^{T} \text{mask}_{it}\, \log p_{it, y_{it}},
# \qquad
# \frac{\partial L}{\partial s_{itv}} = \frac{\text{mask}_{it}}{N}
# \left(p_{itv} - \mathbb{1}[v = y_{it}]\right).$$
#
# A masked step contributes nothing: neither to the loss, nor to the gradient. Worked example:
# one sequence of two steps with scores $(2, 1, 0)$ and $(0, 0, 0)$, targets $(0, 2)$ and mask
# (`True`, `False`): the loss is $-\log 0.665 \approx 0.408$, as in module 07, and the second
# step's gradient is zero.
#
# ### Exercise 6: `temporal_softmax_loss` (3 points)
#
# Reshape to `(N * T, V)` and reuse the stable softmax of module 07 if you like, but keep
# the division by $N$, not by $N T$ nor by the number of real steps. No loops.


# %% nbgrader={"grade": false, "grade_id": "temporal-softmax-loss", "locked": false, "schema_version": 3, "solution": true}
def temporal_softmax_loss(scores, y, mask):
    """Softmax cross-entropy summed over the unmasked steps and divided by the batch size.

    scores: (N, T, V) scores of every step; y: (N, T) integer targets in [0, V);
    mask: (N, T) booleans, True where a step counts.
    Returns loss (a float) and dscores (N, T, V) = d loss / d scores.
    """
    ### BEGIN SOLUTION
    N, T, V = scores.shape
    flat_scores = scores.reshape(N * T, V)
    flat_y = y.reshape(N * T)
    flat_mask = mask.reshape(N * T)
    shifted = flat_scores - flat_scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N * T)
    loss = -np.sum(log_probs[rows, flat_y] * flat_mask) / N
    dscores = np.exp(log_probs)
    dscores[rows, flat_y] -= 1.0
    dscores *= flat_mask[:, None] / N
    return float(loss), dscores.reshape(N, T, V)
    ### END SOLUTION


# %% tags=["spec"]
def _temporal_parts(scores, y, mask):
    N, T, V = scores.shape
    flat = scores.reshape(N * T, V)
    shifted = flat - flat.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N * T)
    picked = log_probs[rows, y.reshape(-1)]
    grad = np.exp(log_probs)
    grad[rows, y.reshape(-1)] -= 1.0
    return N, T, V, picked, grad, mask.reshape(-1).astype(float)


def _temporal_ignores_mask(scores, y, mask):
    N, T, V, picked, grad, m = _temporal_parts(scores, y, mask)
    return float(-picked.sum() / N), (grad / N).reshape(N, T, V)


def _temporal_divided_by_nt(scores, y, mask):
    N, T, V, picked, grad, m = _temporal_parts(scores, y, mask)
    return float(-(picked * m).sum() / (N * T)), (grad * m[:, None] / (N * T)).reshape(N, T, V)


def _temporal_divided_by_count(scores, y, mask):
    N, T, V, picked, grad, m = _temporal_parts(scores, y, mask)
    count = max(m.sum(), 1.0)
    return float(-(picked * m).sum() / count), (grad * m[:, None] / count).reshape(N, T, V)


def _temporal_gradient_not_masked(scores, y, mask):
    N, T, V, picked, grad, m = _temporal_parts(scores, y, mask)
    return float(-(picked * m).sum() / N), (grad / N).reshape(N, T, V)


def _temporal_case(rng, N, T, V, note, keep=0.7, scale=1.0, digits=None):
    scores = scale * rng.normal(size=(N, T, V))
    y = rng.integers(0, V, size=(N, T))
    mask = rng.random((N, T)) < keep
    return case(np.round(scores, digits) if digits else scores, y, mask, note=note)


_loss_rng = np.random.default_rng(1406)
exercise(
    "temporal_softmax_loss",
    public=[
        case(
            np.array([[[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]),
            np.array([[0, 2]]),
            np.array([[True, False]]),
            note="the worked example: N=1, T=2, V=3, the second step masked",
        ),
        case(
            np.round(_loss_rng.normal(size=(2, 3, 4)), 2),
            np.array([[1, 3, 0], [2, 2, 1]]),
            np.array([[True, True, False], [True, False, False]]),
            note="N=2, T=3, V=4: sequences of lengths 2 and 1, padded to 3",
        ),
        case(
            np.round(_loss_rng.normal(size=(3, 2, 3)), 2),
            np.array([[0, 1], [2, 0], [1, 1]]),
            np.array([[True, True], [False, True], [True, False]]),
            note="N=3, T=2, V=3",
        ),
    ],
    hidden=lambda rng: [
        _temporal_case(rng, 1, 1, 5, "one sequence of one step", keep=1.1),
        _temporal_case(rng, 3, 4, 6, "N=3, T=4, V=6"),
        _temporal_case(rng, 2, 5, 3, "scores near 1000: stability", scale=1000.0),
        case(
            rng.normal(size=(2, 3, 4)),
            rng.integers(0, 4, size=(2, 3)),
            np.array([[True, True, True], [False, False, False]]),
            note="a sequence entirely masked",
        ),
    ],
    mistakes=[
        mistake(
            "ignored the mask",
            _temporal_ignores_mask,
            "padded steps must not count: multiply each step's log-probability, and its row "
            "of dscores, by mask (as 0 or 1).",
        ),
        mistake(
            "divided by N*T",
            _temporal_divided_by_nt,
            "the loss is summed over the steps and divided by the batch size N alone, and "
            "dscores with it.",
        ),
        mistake(
            "divided by the number of real steps",
            _temporal_divided_by_count,
            "the convention here is a loss per sequence: sum over the unmasked steps, divide by "
            "N, not by mask.sum().",
        ),
        mistake(
            "gradient not masked",
            _temporal_gradient_not_masked,
            "a masked step contributes nothing to the loss, so its gradient is zero too: "
            "multiply dscores by mask[:, :, None].",
        ),
    ],
    driver="autograder.modules.rnn:temporal_loss_gradients",
    outputs=("loss", "dscores", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "temporal-softmax-loss-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""temporal_softmax_loss: masked cross-entropy summed over time, divided by N, and its gradient."""
check("temporal_softmax_loss", temporal_softmax_loss)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("14_rnn", "temporal_softmax_loss", temporal_softmax_loss)
### END HIDDEN TESTS

# %% [markdown]
# ### The model
#
# Five parameter arrays: `Wx` `(V, H)` (a one-hot input times `Wx` is one row of it: an
# embedding), `Wh` `(H, H)`, `b` `(H,)`, and the output layer `Wy` `(H, V)`, `by` `(V,)`. A
# training example is a window of $T + 1$ consecutive characters: the first $T$ are the inputs,
# the last $T$ the targets (the same text shifted by one). The forward pass is your `rnn_forward`
# then an affine layer at every step; the backward pass is the affine layer's (module 07), then
# your `rnn_backward`. Every window starts from $h_0 = 0$, and all steps are real (the mask is all
# `True`). We report the loss **per character**, in nats: the loss divided by $T$. Guessing
# uniformly among the $V$ characters would score $\log V$.

# %%
needs("rnn_forward", "rnn_backward", "temporal_softmax_loss")
hidden_size = 96
one_hot = np.eye(V)


def init_char_rnn(vocab_size, hidden_size, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "Wx": 0.1 * rng.normal(size=(vocab_size, hidden_size)),
        "Wh": 0.5 * rng.normal(size=(hidden_size, hidden_size)) / np.sqrt(hidden_size),
        "b": np.zeros(hidden_size),
        "Wy": rng.normal(size=(hidden_size, vocab_size)) / np.sqrt(hidden_size),
        "by": np.zeros(vocab_size),
    }


def char_rnn_loss(params, windows, with_grads=True):
    """windows: (N, T + 1) character ids. Returns the loss per character and, if asked, the
    gradients of temporal_softmax_loss (summed over the T steps, divided by N)."""
    inputs, targets = one_hot[windows[:, :-1]], windows[:, 1:]
    N, T = targets.shape
    h0 = np.zeros((N, params["Wh"].shape[0]))
    h, cache = rnn_forward(inputs, h0, params["Wx"], params["Wh"], params["b"])
    scores = h @ params["Wy"] + params["by"]
    loss, dscores = temporal_softmax_loss(scores, targets, np.ones((N, T), dtype=bool))
    if not with_grads:
        return loss / T
    grads = {
        "Wy": h.reshape(N * T, -1).T @ dscores.reshape(N * T, -1),
        "by": dscores.sum(axis=(0, 1)),
    }
    dh = dscores @ params["Wy"].T
    _, _, grads["Wx"], grads["Wh"], grads["b"] = rnn_backward(dh, cache)
    return loss / T, grads


params = init_char_rnn(V, hidden_size)
print(
    f"loss per character before training: {char_rnn_loss(params, train_ids[None, :200], False):.3f}"
)
print(f"uniform guessing, log V:             {np.log(V):.3f}")

# %% [markdown]
# ### Training
#
# Adam (module 10), learning rate 0.004, on mini-batches of 32 windows of 32 characters drawn at
# random from the training text, 1200 steps. Before each update, your `clip_by_global_norm` caps
# the gradient's global norm at 25: a typical gradient of this model has a norm of about 20, so
# only the largest are shrunk. About 15 seconds.

# %%
needs("rnn_forward", "rnn_backward", "clip_by_global_norm", "temporal_softmax_loss")
num_steps, batch_size, seq_length = 1200, 32, 32
learning_rate, max_norm = 4e-3, 25.0


def train_char_rnn(params, num_steps, seed=0):
    rng = np.random.default_rng(seed)
    first = {k: np.zeros_like(v) for k, v in params.items()}
    second = {k: np.zeros_like(v) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for step in tqdm(range(1, num_steps + 1), desc="training"):
        starts = rng.integers(0, len(train_ids) - seq_length - 1, size=batch_size)
        windows = train_ids[starts[:, None] + np.arange(seq_length + 1)]
        loss, grads = char_rnn_loss(params, windows)
        history["loss"].append(loss)
        history["norm"].append(global_norm(grads))
        grads = clip_by_global_norm(grads, max_norm)
        for k in params:  # Adam with bias correction
            first[k] = 0.9 * first[k] + 0.1 * grads[k]
            second[k] = 0.999 * second[k] + 0.001 * grads[k] ** 2
            m_hat, v_hat = first[k] / (1 - 0.9**step), second[k] / (1 - 0.999**step)
            params[k] = params[k] - learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)
    return history


start = time.process_time()
history = train_char_rnn(params, num_steps)
train_seconds = time.process_time() - start


def heldout_loss_of(params, ids):
    """Loss per character of one long sequence read from h0 = 0: predict ids[1:] from ids[:-1]."""
    return char_rnn_loss(params, ids[None, :], with_grads=False)


heldout_loss = heldout_loss_of(params, heldout_ids)
train_loss = heldout_loss_of(params, train_ids[: len(heldout_ids)])
print(f"trained {num_steps} steps in {train_seconds:.1f} s of CPU")
print(
    f"loss per character: {train_loss:.3f} on the first {len(heldout_ids)} training characters, "
    f"{heldout_loss:.3f} on the {len(heldout_ids)} held-out ones (log V = {np.log(V):.3f})"
)
assert heldout_loss < 1.9, "the trained model should predict held-out text well below log V"

# %% [markdown]
# The model reaches a loss per character of about 1.32 nats on training text and about 1.72 on the
# held-out text (its perplexity $e^{1.72} \approx 5.6$: as unsure as a choice among 5 or 6
# characters, against 96 at the start). The gap is the model learning its training pages by
# heart; the held-out pages (the end of `try`, `while`, `with` and `yield`) also use words the
# training pages barely do. Module 15 trains an LSTM on exactly this split, with the same budget,
# and compares it with this number.


# %%
needs("rnn_forward", "rnn_backward", "clip_by_global_norm", "temporal_softmax_loss")


def moving_average(values, width=50):
    return np.convolve(values, np.ones(width) / width, mode="valid")


fig, (ax_loss, ax_norm) = plt.subplots(1, 2, figsize=(10, 3))
ax_loss.plot(history["loss"], lw=0.4, color="tab:gray", label="mini-batch")
ax_loss.plot(np.arange(49, num_steps), moving_average(history["loss"]), label="moving average")
ax_loss.axhline(heldout_loss, color="tab:red", ls="--", label="held-out, after training")
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss per character (nats)")
ax_loss.legend(fontsize=8)
ax_norm.plot(history["norm"], lw=0.5)
ax_norm.axhline(max_norm, color="tab:red", ls="--", label=f"max_norm = {max_norm}")
ax_norm.set_xlabel("step")
ax_norm.set_ylabel("global norm of the raw gradient")
ax_norm.legend(fontsize=8)
fig.tight_layout()
plt.show()
clipped_share = np.mean(np.array(history["norm"]) > max_norm)
print(f"{clipped_share:.0%} of the steps were clipped")

# %% [markdown]
# ## 7. Writing with a temperature
#
# To make the model write, feed it a prompt, then repeatedly turn the scores of the next character
# into probabilities, draw a character, and feed it back in. The **temperature** $\tau$ decides how
# adventurous the draw is: divide the scores by $\tau$ before the softmax,
#
# $$p_v = \frac{e^{s_v / \tau}}{\sum_u e^{s_u / \tau}} .$$
#
# $\tau = 1$ is the model's own distribution; $\tau \to 0$ puts all the probability on the most
# likely character (safe, repetitive); a large $\tau$ flattens it towards uniform (varied, then
# gibberish). Worked example: scores $(2, 1, 0)$ at $\tau = 0.5$ are the scores $(4, 2, 0)$ at
# $\tau = 1$, giving $p \approx (0.867, 0.117, 0.016)$.
#
# ### Exercise 7: `temperature_probs` (2 points)
#
# Softmax of `logits / temperature` along the **last** axis, for an array of any shape, stable
# for large scores and small temperatures (subtract the maximum first).


# %% nbgrader={"grade": false, "grade_id": "temperature-probs", "locked": false, "schema_version": 3, "solution": true}
def temperature_probs(logits, temperature):
    """Probabilities of the next symbol at a given temperature.

    logits: (..., V) scores, any number of leading axes; temperature: a positive float.
    Returns probs of the same shape: softmax of logits / temperature along the last axis.
    """
    ### BEGIN SOLUTION
    scaled = logits / temperature
    exp = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)
    ### END SOLUTION


# %% tags=["spec"]
def _temperature_multiplied(logits, temperature):
    scaled = logits * temperature
    exp = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


def _temperature_unstable(logits, temperature):
    exp = np.exp(logits / temperature)
    return exp / exp.sum(axis=-1, keepdims=True)


def _temperature_first_axis(logits, temperature):
    scaled = logits / temperature
    exp = np.exp(scaled - scaled.max(axis=0, keepdims=True))
    return exp / exp.sum(axis=0, keepdims=True)


exercise(
    "temperature_probs",
    public=[
        case(np.array([2.0, 1.0, 0.0]), 0.5, note="the worked example: V=3, temperature 0.5"),
        case(
            np.array([[1.0, 0.0, -1.0, 2.0], [0.5, 0.5, 3.0, -2.0]]),
            2.0,
            note="two rows of V=4, temperature 2",
        ),
        case(np.array([[1000.0, 999.0, 990.0]]), 1.0, note="scores near 1000, temperature 1"),
        case(
            np.array([[[0.1, 0.4], [2.0, -1.0]], [[0.0, 0.0], [1.5, 1.0]]]),
            0.25,
            note="shape (2, 2, 2), temperature 0.25",
        ),
    ],
    hidden=lambda rng: [
        case(rng.uniform(5.0, 20.0, size=(1, 6)), 0.01, note="a batch of one, a tiny temperature"),
        case(rng.normal(size=7), 3.0, note="one vector, V=7, a hot temperature"),
        case(rng.normal(size=(5, 4)), 0.7, note="five rows, V=4"),
        case(rng.normal(size=(2, 3, 5)), 1.3, note="rank 3"),
    ],
    mistakes=[
        mistake(
            "multiplied by the temperature",
            _temperature_multiplied,
            "divide the scores by the temperature: a small temperature must sharpen the "
            "distribution, so logits / temperature.",
        ),
        mistake(
            "not stabilised",
            _temperature_unstable,
            "np.exp of a large score overflows to inf, and inf / inf is NaN. Subtract the "
            "maximum along the last axis (keepdims=True) before np.exp.",
        ),
        mistake(
            "softmax over the first axis",
            _temperature_first_axis,
            "the probabilities of one prediction sit along the last axis: max and sum with "
            "axis=-1, keepdims=True, so that every row sums to 1.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "temperature-probs-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""temperature_probs: a stable softmax of logits / temperature along the last axis."""
check("temperature_probs", temperature_probs)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("14_rnn", "temperature_probs", temperature_probs)
### END HIDDEN TESTS

# %% [markdown]
# Now let the model write. The prompt is read first (its last character is fed as the first
# input), then each character drawn is fed back in.


# %%
needs("rnn_step_forward", "rnn_forward", "rnn_backward", "temperature_probs")


def sample(params, prompt, length, temperature, seed=0):
    rng = np.random.default_rng(seed)
    h = np.zeros((1, params["Wh"].shape[0]))
    for c in prompt[:-1]:
        h, _ = rnn_step_forward(
            one_hot[[char_to_id[c]]], h, params["Wx"], params["Wh"], params["b"]
        )
    current, written = prompt[-1], []
    for _ in range(length):
        h, _ = rnn_step_forward(
            one_hot[[char_to_id[current]]], h, params["Wx"], params["Wh"], params["b"]
        )
        probs = temperature_probs(h @ params["Wy"] + params["by"], temperature)[0]
        current = vocab[rng.choice(V, p=probs / probs.sum())]
        written.append(current)
    return prompt + "".join(written)


prompt = "The "
for temperature in (0.3, 0.7, 1.0, 1.5):
    print(f"--- temperature {temperature} ---")
    print(sample(params, prompt, 240, temperature))
    print()

# %% [markdown]
# At 0.3 the model repeats its favourite words ("the", "statement", "is") in loops; at 0.7 to 1.0
# it writes plausible-looking documentation with invented words; at 1.5 it breaks into
# gibberish. Move the slider: the bars are the model's probabilities for the character after the
# prompt at that temperature (the eight likeliest), and below is a sample written at it.


# %%
needs("rnn_step_forward", "rnn_forward", "rnn_backward", "temperature_probs")


def next_char_probs(params, prompt):
    h = np.zeros((1, params["Wh"].shape[0]))
    for c in prompt:
        h, _ = rnn_step_forward(
            one_hot[[char_to_id[c]]], h, params["Wx"], params["Wh"], params["b"]
        )
    return h @ params["Wy"] + params["by"]


prompt_scores = next_char_probs(params, "The statement ")


def show_temperature(temperature=1.0):
    probs = temperature_probs(prompt_scores, temperature)[0]
    top = np.argsort(probs)[::-1][:8]
    plt.figure(figsize=(6, 2.4))
    plt.bar([repr(vocab[i]) for i in top], probs[top])
    plt.ylim(0, 1)
    plt.title(f"next character after 'The statement ', temperature {temperature:.2f}")
    plt.show()
    print(sample(params, "The statement ", 200, temperature, seed=1))


temperature_viewer = widgets.interact(
    show_temperature,
    temperature=widgets.FloatSlider(value=1.0, min=0.1, max=2.0, step=0.1, description="τ"),
)

# %% [markdown]
# **What you built.** A recurrent layer, forward and backward through time, the masked sequence
# loss, gradient clipping and temperature sampling: the whole of a 2015 char-RNN, in NumPy, and
# a model that writes pseudo-Python documentation after fifteen seconds of training. You also saw
# its weakness: a gradient that travels through many steps vanishes or explodes, and clipping
# only cures the second. **Next**, module 15 adds gates (the LSTM and the GRU) that let gradients
# travel far, and compares an LSTM with this RNN on the same held-out text.
