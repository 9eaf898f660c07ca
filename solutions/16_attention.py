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
# # 16 · Attention and a tiny transformer
#
# **Why this matters.** The recurrent networks of modules 14 and 15 read a sequence one step at
# a time and squeeze everything seen so far into one hidden state. To relate the last word of a
# sentence to the first, the information has to survive every step in between. **Attention**
# does away with that bottleneck: every position looks at every other position directly, and
# decides for itself, from the content, where to look. Stack attention with small feed-forward
# layers, add a sense of position and a normalisation, and you have the **transformer**, the
# architecture behind today's language models.
#
# In this module you write scaled dot-product attention (with the masks that hide padding and
# the future), its backward pass, multi-head self-attention, sinusoidal positional encodings and
# layer normalisation, forward and backward. Then a tiny transformer, trained from scratch in
# NumPy with **your** backward passes, learns to reverse sequences of digits, and you look at
# where its heads attend.
#
# **Conventions.** Shapes follow CS231n: a batch is the first axis; a layer's
# `out, cache = layer_forward(...)` and `d... = layer_backward(dout, cache)` returns the
# gradients in the order of the forward inputs. A sequence batch is `(N, T, D)`.
#
# **Exercises:** `scaled_dot_product_attention` (3 points), `causal_mask` (1),
# `attention_forward` (1), `attention_backward` (5), `split_heads` (1), `merge_heads` (1),
# `multi_head_attention_forward` (3), `positional_encoding` (2), `layer_norm_forward` (2),
# `layer_norm_backward` (4): **23 points**.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo
from autograder.checking.numerics import numerical_gradient_array, rel_error

check = load_checks("16_attention")

# %% [markdown]
# ## 1. Attention as a soft dictionary look-up
#
# A Python dict maps a **key** to a **value**: ask with a key, get exactly one value back.
# Attention is the soft version. A **query** $q$ is compared with every key $k_j$ by a dot
# product; the scores are turned into weights by a softmax; the answer is the weighted average
# of the values:
#
# $$\text{scores}_j = \frac{q \cdot k_j}{\sqrt{d}}, \qquad
# w = \operatorname{softmax}(\text{scores}), \qquad \text{out} = \sum_j w_j\, v_j .$$
#
# With many queries at once, stacked as the rows of $Q$ $(T_q, d)$, keys $K$ $(T_k, d)$ and values
# $V$ $(T_k, d_v)$, that is two matrix products and a softmax **along each row**:
#
# $$\text{out} = \operatorname{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) V
# \quad \in \mathbb{R}^{T_q \times d_v}.$$
#
# Row $i$ of the weight matrix $(T_q, T_k)$ says how query $i$ shares its attention among the
# keys; it sums to 1. A worked example: two queries, three keys. The first query points the same
# way as the second key, so most of its weight goes there.

# %%
q_example = np.array([[0.0, 3.0], [1.0, 1.0]])
k_example = np.array([[3.0, 0.0], [0.0, 3.0], [0.0, -3.0]])
v_example = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
scores_example = q_example @ k_example.T / np.sqrt(2)
weights_example = np.exp(scores_example) / np.exp(scores_example).sum(axis=1, keepdims=True)
print("scores\n", scores_example.round(3))
print("weights (each row sums to 1)\n", weights_example.round(3))
print("out = weights @ v\n", (weights_example @ v_example).round(3))

# %% [markdown]
# ### Why divide by $\sqrt{d}$?
#
# If the entries of $q$ and $k$ are independent with mean 0 and variance 1, their dot product
# is a sum of $d$ such products: its variance is $d$. With $d = 64$ the scores spread over
# $\pm 16$, the softmax puts nearly all the weight on one key, and its gradient vanishes (a
# saturated softmax is flat almost everywhere). Dividing by $\sqrt{d}$ brings the variance back
# to 1 whatever $d$ is. Move the slider: without the scaling, the weights of one query over 10
# random keys become a spike as $d$ grows; with it they stay spread out.


# %%
def show_scaling(d=64):
    rng = np.random.default_rng(0)
    q, k = rng.normal(size=d), rng.normal(size=(10, d))
    fig, axes = plt.subplots(1, 2, figsize=(9, 2.6), sharey=True)
    for ax, scale, title in [(axes[0], 1.0, "q . k"), (axes[1], np.sqrt(d), "q . k / sqrt(d)")]:
        s = k @ q / scale
        w = np.exp(s - s.max())
        w /= w.sum()
        ax.bar(range(10), w, color="tab:blue")
        ax.set_title(f"softmax of {title}: largest weight {w.max():.2f}")
        ax.set_xlabel("key")
    axes[0].set_ylabel("weight")
    axes[0].set_ylim(0, 1)
    plt.show()


scaling_viewer = widgets.interact(
    show_scaling, d=widgets.SelectionSlider(options=[2, 8, 32, 128, 512], value=32, description="d")
)

# %% [markdown]
# ### Masks: keys a query may not see
#
# Two situations forbid some keys. **Padding**: sequences of different lengths are padded to
# the same length to make a batch, and nobody should attend to the padding. **Causality**: a
# model that predicts the next token may only look at the past, so query $i$ must ignore the
# keys $j > i$. Both are given as a boolean `mask`, **True where attending is allowed**.
#
# The mask acts on the **scores, before the softmax**: a forbidden score becomes $-\infty$, its
# exponential $0$, and the softmax shares the whole weight among the allowed keys, so each row
# still sums to 1. (Zeroing the weights *after* the softmax leaves rows that no longer sum to 1.)
# Every query is guaranteed at least one allowed key.
#
# The mask only has to **broadcast** to the scores' shape $(\dots, T_q, T_k)$: a padding mask for
# a batch can be `(N, 1, Tk)` (the same for every query), a causal mask `(Tq, Tk)` (the same for
# every sequence of the batch).
#
# ### Exercise 1: `scaled_dot_product_attention` (3 points)
#
# Any number of leading axes (a batch, heads) ride along: use `q @ np.swapaxes(k, -1, -2)` rather
# than `k.T`, and take the softmax along the last axis (the keys), shifted by its maximum for
# stability (module 05). Return `(out, weights)`. Leave the inputs unchanged.


# %% nbgrader={"grade": false, "grade_id": "scaled-dot-product-attention", "locked": false, "schema_version": 3, "solution": true}
def scaled_dot_product_attention(q, k, v, mask=None):
    """Scaled dot-product attention.

    q: (..., Tq, d) queries; k: (..., Tk, d) keys; v: (..., Tk, dv) values;
    mask: None or booleans broadcastable to (..., Tq, Tk), True where attending is allowed
    (every query keeps at least one key).
    Returns out (..., Tq, dv) and weights (..., Tq, Tk), each row of weights summing to 1.
    """
    ### BEGIN SOLUTION
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _padding_mask(rng, shape, keep):
    """A random padding mask in which every query keeps at least its first key."""
    mask = rng.random(shape) < keep
    mask[..., 0] = True
    return mask


def _softmax_rows(scores, axis=-1):
    scores = scores - scores.max(axis=axis, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=axis, keepdims=True)


def _sdpa_mask_after_softmax(q, k, v, mask=None):
    weights = _softmax_rows(q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1]))
    if mask is not None:
        weights = weights * mask
    return weights @ v, weights


def _sdpa_unscaled(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = _softmax_rows(scores)
    return weights @ v, weights


def _sdpa_query_axis(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    weights = _softmax_rows(scores, axis=-2)
    return weights @ v, weights


def _sdpa_mask_inverted(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, -1e9, scores)
    weights = _softmax_rows(scores)
    return weights @ v, weights


_q_public = np.array([[0.0, 3.0], [1.0, 1.0]])
_k_public = np.array([[3.0, 0.0], [0.0, 3.0], [0.0, -3.0]])
_v_public = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
_sdpa_rng = np.random.default_rng(16)

exercise(
    "scaled_dot_product_attention",
    public=[
        case(_q_public, _k_public, _v_public, note="the worked example: Tq=2, Tk=3, d=2, dv=3"),
        case(
            _q_public,
            _k_public,
            _v_public,
            np.array([[True, False, True], [True, True, False]]),
            note="the worked example with a mask (Tq, Tk): False keys get no weight",
        ),
        case(
            _sdpa_rng.normal(size=(2, 4, 3)),
            _sdpa_rng.normal(size=(2, 4, 3)),
            _sdpa_rng.normal(size=(2, 4, 2)),
            np.tril(np.ones((4, 4), dtype=bool)),
            note="a batch of 2, T=4, with a causal mask (4, 4) broadcast over the batch",
        ),
        case(
            _sdpa_rng.normal(size=(2, 3, 4)),
            _sdpa_rng.normal(size=(2, 5, 4)),
            _sdpa_rng.normal(size=(2, 5, 3)),
            np.array([[[True, True, True, False, False]], [[True, True, True, True, True]]]),
            note="a padding mask (N, 1, Tk): the first sequence has 3 real keys of 5",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 1, 3)),
            rng.normal(size=(1, 1, 3)),
            rng.normal(size=(1, 1, 5)),
            note="batch 1, sequence length 1: all the weight on the only key",
        ),
        case(
            rng.normal(size=(3, 2, 4, 8)),
            rng.normal(size=(3, 2, 6, 8)),
            rng.normal(size=(3, 2, 6, 3)),
            _padding_mask(rng, (3, 1, 1, 6), 0.6),
            note="batch and heads, Tq=4, Tk=6, d=8, dv=3, random padding mask",
        ),
        case(
            rng.normal(size=(5, 5)) * 3,
            rng.normal(size=(5, 5)) * 3,
            rng.normal(size=(5, 2)),
            np.tril(np.ones((5, 5), dtype=bool)),
            note="no batch axis, causal mask, large scores",
        ),
        case(
            rng.normal(size=(2, 6, 16)),
            rng.normal(size=(2, 3, 16)),
            rng.normal(size=(2, 3, 4)),
            note="Tq=6 > Tk=3, d=16",
        ),
        case(
            rng.normal(size=(2, 3, 4)) * 30,
            rng.normal(size=(2, 5, 4)) * 30,
            rng.normal(size=(2, 5, 2)),
            note="scores in the hundreds: exp overflows unless each row's max is subtracted",
        ),
    ],
    mistakes=[
        mistake(
            "mask applied after the softmax",
            _sdpa_mask_after_softmax,
            "mask the scores, before the softmax: np.where(mask, scores, -np.inf). Zeroing the "
            "weights afterwards leaves rows that no longer sum to 1.",
        ),
        mistake(
            "missing the 1/sqrt(d_k)",
            _sdpa_unscaled,
            "divide the scores q k^T by np.sqrt(d), d = q.shape[-1], the width of the queries "
            "and keys.",
        ),
        mistake(
            "softmax over the query axis",
            _sdpa_query_axis,
            "each query shares its attention among the keys: the softmax runs along the last "
            "axis (axis=-1), so that every row of weights sums to 1.",
        ),
        mistake(
            "mask inverted",
            _sdpa_mask_inverted,
            "the mask is True where attending is allowed: keep the scores where mask is True and "
            "set the others to -inf, np.where(mask, scores, -np.inf).",
        ),
    ],
    driver="autograder.modules.attention:attention_weights",
    outputs=("out", "weights", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "scaled-dot-product-attention-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""scaled_dot_product_attention: out and weights with and without masks, any leading axes."""
check("scaled_dot_product_attention", scaled_dot_product_attention)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "scaled_dot_product_attention", scaled_dot_product_attention)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: `causal_mask` (1 point)
#
# The mask of a model that may only look back: query $i$ sees the keys $0, \dots, i$, itself
# included. Return a `(T, T)` array of booleans, True on and below the diagonal.
# (`np.tril` does it.)


# %% nbgrader={"grade": false, "grade_id": "causal-mask", "locked": false, "schema_version": 3, "solution": true}
def causal_mask(T):
    """The causal attention mask of a sequence of length T.

    Returns a (T, T) array of booleans, mask[i, j] True when j <= i.
    """
    ### BEGIN SOLUTION
    return np.tril(np.ones((T, T), dtype=bool))
    ### END SOLUTION


# %% tags=["spec"]
def _causal_upper(T):
    return np.triu(np.ones((T, T), dtype=bool))


def _causal_strict(T):
    return np.tril(np.ones((T, T), dtype=bool), k=-1)


exercise(
    "causal_mask",
    public=[case(3, note="T=3"), case(5, note="T=5")],
    hidden=lambda rng: [case(1, note="T=1"), case(4, note="T=4"), case(9, note="T=9")],
    mistakes=[
        mistake(
            "mask of the future",
            _causal_upper,
            "row i is the query, column j the key: query i may see keys j <= i, on and below "
            "the diagonal, np.tril.",
        ),
        mistake(
            "excluded the diagonal",
            _causal_strict,
            "a position may attend to itself: keep the diagonal (np.tril with k=0).",
        ),
    ],
    driver="autograder.modules.attention:boolean_mask",
)

# %% nbgrader={"grade": true, "grade_id": "causal-mask-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""causal_mask: True on and below the diagonal."""
check("causal_mask", causal_mask)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "causal_mask", causal_mask)
### END HIDDEN TESTS

# %% [markdown]
# Both masks at work on a batch of two sequences of 5 positions, the first padded after 3. On
# the left, the padding mask: the first sequence's queries give nothing to its last two keys.
# On the right, the causal mask: each query's weights lie on or below the diagonal.

# %%
needs("scaled_dot_product_attention", "causal_mask")
rng = np.random.default_rng(0)
x_masks = rng.normal(size=(2, 5, 4))
lengths = np.array([3, 5])
padding = (np.arange(5) < lengths[:, None])[:, None, :]  # (N, 1, Tk)
_, w_padding = scaled_dot_product_attention(x_masks, x_masks, x_masks, padding)
_, w_causal = scaled_dot_product_attention(x_masks, x_masks, x_masks, causal_mask(5))
fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
for ax, w, title in [(axes[0], w_padding[0], "padding mask"), (axes[1], w_causal[0], "causal")]:
    ax.imshow(w, cmap="Blues", vmin=0, vmax=1)
    ax.set_title(f"sequence 0, {title}")
    ax.set_xlabel("key position")
    ax.set_ylabel("query position")
plt.show()
print("rows sum to", w_padding.sum(axis=-1).round(6).ravel())

# %% [markdown]
# ## 2. Attention's backward pass
#
# To train a transformer we need the gradients of the loss with respect to $Q$, $K$ and $V$,
# given `dout` $= \partial L / \partial\,\text{out}$. Follow the forward pass backwards. Write
# $S = QK^\top / \sqrt{d}$ for the (masked) scores and $A = \operatorname{softmax}(S)$ for the
# weights, so that $\text{out} = A V$:
#
# 1. $\text{out} = AV$ is a matrix product, like the affine layer:
#    $dV = A^\top\, \text{dout}$ and $dA = \text{dout}\; V^\top$.
# 2. The softmax of one row, $a = \operatorname{softmax}(s)$, has the Jacobian
#    $\partial a_j / \partial s_l = a_j(\delta_{jl} - a_l)$, so
#    $$dS_{il} = A_{il}\Big(dA_{il} - \sum_j dA_{ij} A_{ij}\Big).$$
#    The subtracted term is what makes the softmax a softmax: raising one score takes weight
#    from all the others. Masked scores have $A = 0$, so they get no gradient, as they should.
# 3. $S = QK^\top/\sqrt{d}$: $dQ = dS\, K / \sqrt{d}$ and $dK = dS^\top Q / \sqrt{d}$.
#
# With leading axes, every "transpose" swaps the last two axes only (`np.swapaxes(a, -1, -2)`),
# and every sum in step 2 runs along the last axis with `keepdims=True`.
#
# ### Exercise 3: `attention_forward` (1 point)
#
# The same attention as a layer pair. Call your `scaled_dot_product_attention` and return
# `(out, cache)`; the cache is yours to design: put in it what `attention_backward` will need
# (the inputs, and the weights so you need not recompute them). Only `out` is checked, and that
# the inputs are left unchanged.


# %% nbgrader={"grade": false, "grade_id": "attention-forward", "locked": false, "schema_version": 3, "solution": true}
def attention_forward(q, k, v, mask=None):
    """Forward pass of scaled dot-product attention, as a layer.

    q: (..., Tq, d); k: (..., Tk, d); v: (..., Tk, dv); mask: None or broadcastable booleans
    (..., Tq, Tk), True where attending is allowed.
    Returns out (..., Tq, dv) and a cache for attention_backward.
    """
    ### BEGIN SOLUTION
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    return out, (q, k, v, weights)
    ### END SOLUTION


# %% tags=["spec"]
def _attention_forward_no_mask(q, k, v, mask=None):
    out, weights = scaled_dot_product_attention(q, k, v)
    return out, (q, k, v, weights)


def _attention_forward_weights(q, k, v, mask=None):
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    return weights, (q, k, v, weights)


exercise(
    "attention_forward",
    private_cache=True,  # what goes in the cache is the learner's design
    public=[
        case(_q_public, _k_public, _v_public, None, note="the worked example, no mask"),
        case(
            _q_public,
            _k_public,
            _v_public,
            np.array([[True, False, True], [True, True, False]]),
            note="the worked example with a mask",
        ),
        case(
            _sdpa_rng.normal(size=(2, 3, 4)),
            _sdpa_rng.normal(size=(2, 5, 4)),
            _sdpa_rng.normal(size=(2, 5, 2)),
            np.array([[[True, True, True, False, False]], [[True, True, True, True, True]]]),
            note="Tq=3, Tk=5, dv=2, a padding mask (N, 1, Tk)",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 1, 2)),
            rng.normal(size=(1, 1, 2)),
            rng.normal(size=(1, 1, 4)),
            None,
            note="batch 1, length 1",
        ),
        case(
            rng.normal(size=(2, 3, 4, 2)),
            rng.normal(size=(2, 3, 4, 2)),
            rng.normal(size=(2, 3, 4, 5)),
            np.tril(np.ones((4, 4), dtype=bool)),
            note="batch and heads, causal mask",
        ),
    ],
    mistakes=[
        mistake(
            "ignored the mask",
            _attention_forward_no_mask,
            "pass the mask on: scaled_dot_product_attention(q, k, v, mask).",
        ),
        mistake(
            "returned the weights as out",
            _attention_forward_weights,
            "out is the weighted average of the values, shape (..., Tq, dv): the first thing "
            "scaled_dot_product_attention returns. The weights belong in the cache.",
        ),
    ],
    uses=("scaled_dot_product_attention",),
    driver="autograder.modules.attention:attention_layer",
    outputs=("returns", "out", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "attention-forward-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""attention_forward: returns (out, cache) with out the masked attention of q, k, v."""
check("attention_forward", attention_forward, scaled_dot_product_attention)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "attention_forward", attention_forward, scaled_dot_product_attention)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4: `attention_backward` (5 points)
#
# Return `(dq, dk, dv)`, each with the shape of its input, from the three steps above. The check
# compares them with the expected gradients and with the numerical gradient of your own
# `attention_forward` (centred differences), and tells you which of the three disagrees.


# %% nbgrader={"grade": false, "grade_id": "attention-backward", "locked": false, "schema_version": 3, "solution": true}
def attention_backward(dout, cache):
    """Backward pass of scaled dot-product attention.

    dout: (..., Tq, dv) upstream gradient; cache: from attention_forward.
    Returns dq (..., Tq, d), dk (..., Tk, d), dv (..., Tk, dv).
    """
    ### BEGIN SOLUTION
    q, k, v, weights = cache
    dv = np.swapaxes(weights, -1, -2) @ dout
    dweights = dout @ np.swapaxes(v, -1, -2)
    dscores = weights * (dweights - (dweights * weights).sum(axis=-1, keepdims=True))
    dscores = dscores / np.sqrt(q.shape[-1])
    dq = dscores @ k
    dk = np.swapaxes(dscores, -1, -2) @ q
    return dq, dk, dv
    ### END SOLUTION


# %% tags=["spec"]
def _attention_backward_no_subtraction(dout, cache):
    q, k, v, weights = cache
    dv = np.swapaxes(weights, -1, -2) @ dout
    dscores = weights * (dout @ np.swapaxes(v, -1, -2)) / np.sqrt(q.shape[-1])
    return dscores @ k, np.swapaxes(dscores, -1, -2) @ q, dv


def _attention_backward_unscaled(dout, cache):
    q, k, v, weights = cache
    dv = np.swapaxes(weights, -1, -2) @ dout
    dweights = dout @ np.swapaxes(v, -1, -2)
    dscores = weights * (dweights - (dweights * weights).sum(axis=-1, keepdims=True))
    return dscores @ k, np.swapaxes(dscores, -1, -2) @ q, dv


def _attention_backward_query_axis(dout, cache):
    q, k, v, weights = cache
    dv = np.swapaxes(weights, -1, -2) @ dout
    dweights = dout @ np.swapaxes(v, -1, -2)
    dscores = weights * (dweights - (dweights * weights).sum(axis=-2, keepdims=True))
    dscores = dscores / np.sqrt(q.shape[-1])
    return dscores @ k, np.swapaxes(dscores, -1, -2) @ q, dv


_ab_rng = np.random.default_rng(61)
exercise(
    "attention_backward",
    public=[
        case(
            _q_public,
            _k_public,
            _v_public,
            None,
            np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -1.0]]),
            note="the worked example: Tq=2, Tk=3, d=2, dv=3",
        ),
        case(
            _ab_rng.normal(size=(2, 4, 3)),
            _ab_rng.normal(size=(2, 4, 3)),
            _ab_rng.normal(size=(2, 4, 2)),
            np.tril(np.ones((4, 4), dtype=bool)),
            _ab_rng.normal(size=(2, 4, 2)),
            note="a batch of 2, T=4, causal mask",
        ),
        case(
            _ab_rng.normal(size=(2, 3, 4)),
            _ab_rng.normal(size=(2, 5, 4)),
            _ab_rng.normal(size=(2, 5, 3)),
            np.array([[[True, True, True, False, False]], [[True, True, True, True, True]]]),
            _ab_rng.normal(size=(2, 3, 3)),
            note="Tq=3, Tk=5, padding mask (N, 1, Tk)",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 1, 3)),
            rng.normal(size=(1, 1, 3)),
            rng.normal(size=(1, 1, 2)),
            None,
            rng.normal(size=(1, 1, 2)),
            note="batch 1, sequence length 1",
        ),
        case(
            rng.normal(size=(2, 2, 3, 4)),
            rng.normal(size=(2, 2, 5, 4)),
            rng.normal(size=(2, 2, 5, 6)),
            _padding_mask(rng, (2, 1, 1, 5), 0.7),
            rng.normal(size=(2, 2, 3, 6)),
            note="batch and heads, Tq=3, Tk=5, dv=6, random padding mask",
        ),
        case(
            rng.normal(size=(1, 6, 2)),
            rng.normal(size=(1, 6, 2)),
            rng.normal(size=(1, 6, 3)),
            np.tril(np.ones((6, 6), dtype=bool)),
            rng.normal(size=(1, 6, 3)),
            note="batch 1, causal mask, T=6",
        ),
        case(
            rng.normal(size=(4, 2, 5)),
            rng.normal(size=(4, 3, 5)),
            rng.normal(size=(4, 3, 1)),
            None,
            rng.normal(size=(4, 2, 1)),
            note="Tq=2, Tk=3, dv=1",
        ),
    ],
    mistakes=[
        mistake(
            "missing the softmax Jacobian's subtraction term",
            _attention_backward_no_subtraction,
            "the softmax's Jacobian is a_j (delta_jl - a_l): dscores = weights * (dweights - "
            "(dweights * weights).sum(axis=-1, keepdims=True)). Raising one score lowers all the "
            "other weights of its row.",
        ),
        mistake(
            "forgot the 1/sqrt(d) in dq and dk",
            _attention_backward_unscaled,
            "the scores were q k^T / sqrt(d): their gradient reaches q and k through the same "
            "1/sqrt(d).",
        ),
        mistake(
            "softmax Jacobian summed over the query axis",
            _attention_backward_query_axis,
            "the softmax ran along each row (over the keys), so the sum in its Jacobian runs "
            "along the last axis too: .sum(axis=-1, keepdims=True).",
        ),
    ],
    uses=("attention_forward",),
    driver="autograder.modules.attention:attention_gradients",
    outputs=("dq", "dk", "dv", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "attention-backward-tests", "locked": true, "points": 5, "schema_version": 3, "solution": false}
"""attention_backward: dq, dk, dv as expected and as the numerical gradient of attention_forward."""
check("attention_backward", attention_backward, attention_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "attention_backward", attention_backward, attention_forward)
### END HIDDEN TESTS

# %% [markdown]
# A gradient check in the open, with a causal mask: the relative errors between your backward
# pass and centred differences of your forward pass should be $10^{-8}$ or so.

# %%
needs("scaled_dot_product_attention", "causal_mask", "attention_forward", "attention_backward")
rng = np.random.default_rng(1)
q_check, k_check, v_check = (
    rng.normal(size=(2, 4, 3)),
    rng.normal(size=(2, 4, 3)),
    rng.normal(size=(2, 4, 5)),
)
dout_check = rng.normal(size=(2, 4, 5))
_, cache_check = attention_forward(q_check, k_check, v_check, causal_mask(4))
analytic = attention_backward(dout_check, cache_check)
inputs = {"q": q_check, "k": k_check, "v": v_check}
for i, name in enumerate(inputs):

    def out_with(z, name=name):
        trial = {**inputs, name: z}
        return attention_forward(trial["q"], trial["k"], trial["v"], causal_mask(4))[0]

    numerical = numerical_gradient_array(out_with, inputs[name].copy(), dout_check)
    print(f"d{name}: relative error {rel_error(analytic[i], numerical):.1e}")

# %% [markdown]
# ## 3. Multi-head self-attention
#
# In **self-attention** the queries, keys and values all come from the same sequence
# $x$ $(N, T, D)$, through three learned projections: $Q = xW_q$, $K = xW_k$, $V = xW_v$. One
# attention can only take one weighted average per position; a position often needs several
# things at once (the previous word, the subject of the sentence...). **Multi-head** attention
# splits the $D$ features of the projections into $h$ heads of $D/h$ features each, runs
# attention in every head independently, puts the heads' outputs back side by side and mixes
# them with a last projection $W_o$:
#
# $$\text{head}_i = \operatorname{attention}\big(Q_{[:, :, i]}, K_{[:, :, i]}, V_{[:, :, i]}\big),
# \qquad \text{out} = \big[\text{head}_1, \dots, \text{head}_h\big]\, W_o ,$$
#
# where $Q_{[:, :, i]}$ are the features $iD/h$ to $(i+1)D/h$. The cost is that of one head of
# width $D$; each head scales its scores by $1/\sqrt{D/h}$, its own width.
#
# Splitting is a **reshape then a transpose**: `(N, T, D)` becomes `(N, T, h, D/h)` (the last axis
# cut into $h$ consecutive blocks), then `(N, h, T, D/h)` so that the heads sit with the batch on
# the leading axes, where attention lets them ride along. Merging undoes both, in reverse order.
# Reshaping `(N, T, D)` straight to `(N, h, T, D/h)` runs, and mixes positions and features.
#
# ### Exercise 5: `split_heads` (1 point)


# %% nbgrader={"grade": false, "grade_id": "split-heads", "locked": false, "schema_version": 3, "solution": true}
def split_heads(x, num_heads):
    """Split the features of a sequence batch into heads.

    x: (N, T, D) with D divisible by num_heads.
    Returns (N, num_heads, T, D // num_heads): out[:, h] holds features h*D/num_heads to
    (h+1)*D/num_heads of x.
    """
    ### BEGIN SOLUTION
    N, T, D = x.shape
    return x.reshape(N, T, num_heads, D // num_heads).transpose(0, 2, 1, 3)
    ### END SOLUTION


# %% tags=["spec"]
def _split_no_transpose(x, num_heads):
    N, T, D = x.shape
    return x.reshape(N, num_heads, T, D // num_heads)


def _split_interleaved(x, num_heads):
    N, T, D = x.shape
    return x.reshape(N, T, D // num_heads, num_heads).transpose(0, 3, 1, 2)


exercise(
    "split_heads",
    public=[
        case(np.arange(12.0).reshape(1, 2, 6), 2, note="N=1, T=2, D=6, 2 heads of 3"),
        case(np.arange(48.0).reshape(2, 3, 8), 4, note="N=2, T=3, D=8, 4 heads of 2"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 1, 4)), 2, note="batch 1, length 1"),
        case(rng.normal(size=(3, 5, 6)), 3, note="N=3, T=5, 3 heads of 2"),
        case(rng.normal(size=(2, 4, 5)), 1, note="one head"),
        case(rng.normal(size=(2, 3, 12)), 4, note="4 heads of 3"),
    ],
    mistakes=[
        mistake(
            "reshaped without transposing",
            _split_no_transpose,
            "reshape to (N, T, num_heads, D // num_heads) first, so that each position keeps "
            "its own features, then move the head axis forward: .transpose(0, 2, 1, 3).",
        ),
        mistake(
            "heads take interleaved features",
            _split_interleaved,
            "head h takes a block of consecutive features, h*D/num_heads to (h+1)*D/num_heads: "
            "reshape the last axis to (num_heads, D // num_heads), in that order.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "split-heads-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""split_heads: (N, T, D) to (N, num_heads, T, D // num_heads), consecutive features per head."""
check("split_heads", split_heads)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "split_heads", split_heads)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 6: `merge_heads` (1 point)
#
# The inverse of `split_heads`: `merge_heads(split_heads(x, h))` gives `x` back exactly.


# %% nbgrader={"grade": false, "grade_id": "merge-heads", "locked": false, "schema_version": 3, "solution": true}
def merge_heads(x):
    """Put the heads' features back side by side.

    x: (N, num_heads, T, Dh).
    Returns (N, T, num_heads * Dh): out[:, :, h*Dh:(h+1)*Dh] is x[:, h].
    """
    ### BEGIN SOLUTION
    N, H, T, Dh = x.shape
    return x.transpose(0, 2, 1, 3).reshape(N, T, H * Dh)
    ### END SOLUTION


# %% tags=["spec"]
def _merge_no_transpose(x):
    N, H, T, Dh = x.shape
    return x.reshape(N, T, H * Dh)


def _merge_interleaved(x):
    N, H, T, Dh = x.shape
    return x.transpose(0, 2, 3, 1).reshape(N, T, H * Dh)


exercise(
    "merge_heads",
    public=[
        case(np.arange(12.0).reshape(1, 2, 2, 3), note="N=1, 2 heads, T=2, Dh=3"),
        case(np.arange(48.0).reshape(2, 4, 3, 2), note="N=2, 4 heads, T=3, Dh=2"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 2, 1, 2)), note="batch 1, length 1"),
        case(rng.normal(size=(3, 3, 5, 2)), note="N=3, 3 heads, T=5"),
        case(rng.normal(size=(2, 4, 3, 3)), note="4 heads of 3"),
    ],
    mistakes=[
        mistake(
            "merged without transposing back",
            _merge_no_transpose,
            "bring the positions back next to the batch first, .transpose(0, 2, 1, 3) to "
            "(N, T, num_heads, Dh), then reshape to (N, T, num_heads * Dh).",
        ),
        mistake(
            "merged the features interleaved",
            _merge_interleaved,
            "head h's features go back as one block, h*Dh to (h+1)*Dh: transpose to "
            "(N, T, num_heads, Dh), heads before features, then reshape.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "merge-heads-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""merge_heads: (N, num_heads, T, Dh) back to (N, T, num_heads * Dh), the inverse of split_heads."""
check("merge_heads", merge_heads)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "merge_heads", merge_heads)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 7: `multi_head_attention_forward` (3 points)
#
# Put the pieces together, with no biases: project $x$ with $W_q$, $W_k$, $W_v$ (each $(D, D)$),
# split each projection into `num_heads` heads, run your `scaled_dot_product_attention` on all
# heads at once (it scales by $1/\sqrt{D/h}$ by itself, since that is the width of each head's
# queries), merge the heads and project with $W_o$. The `mask` is passed on: it broadcasts to
# `(N, num_heads, T, T)`, so a causal `(T, T)` mask or a padding mask `(N, 1, 1, T)` both work.
# Leave the inputs unchanged. With `num_heads=1` it is plain self-attention of width $D$.


# %% nbgrader={"grade": false, "grade_id": "multi-head-attention-forward", "locked": false, "schema_version": 3, "solution": true}
def multi_head_attention_forward(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
    """Multi-head self-attention, no biases.

    x: (N, T, D); Wq, Wk, Wv, Wo: (D, D); num_heads divides D; mask: None or booleans
    broadcastable to (N, num_heads, T, T), True where attending is allowed.
    Returns out (N, T, D).
    """
    ### BEGIN SOLUTION
    q = split_heads(x @ Wq, num_heads)
    k = split_heads(x @ Wk, num_heads)
    v = split_heads(x @ Wv, num_heads)
    heads, _ = scaled_dot_product_attention(q, k, v, mask)
    return merge_heads(heads) @ Wo
    ### END SOLUTION


# %% tags=["spec"]
def _mha_scaled_by_D(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
    q = split_heads(x @ Wq, num_heads)
    k = split_heads(x @ Wk, num_heads)
    v = split_heads(x @ Wv, num_heads)
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(x.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    return merge_heads(_softmax_rows(scores) @ v) @ Wo


def _mha_no_output_projection(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
    q = split_heads(x @ Wq, num_heads)
    k = split_heads(x @ Wk, num_heads)
    v = split_heads(x @ Wv, num_heads)
    heads, _ = scaled_dot_product_attention(q, k, v, mask)
    return merge_heads(heads)


def _mha_one_head(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
    out, _ = scaled_dot_product_attention(x @ Wq, x @ Wk, x @ Wv, mask)
    return out @ Wo


def _mha_case(rng, N, T, D, num_heads, mask=None, note=""):
    ws = [rng.normal(size=(D, D)) / np.sqrt(D) for _ in range(4)]
    return case(rng.normal(size=(N, T, D)), *ws, num_heads, mask, note=note)


_mha_rng = np.random.default_rng(7)
exercise(
    "multi_head_attention_forward",
    public=[
        _mha_case(_mha_rng, 2, 3, 4, 2, note="N=2, T=3, D=4, 2 heads, no mask"),
        _mha_case(
            _mha_rng,
            1,
            4,
            6,
            3,
            np.tril(np.ones((4, 4), dtype=bool)),
            note="N=1, T=4, D=6, 3 heads, causal mask (T, T)",
        ),
        _mha_case(
            _mha_rng,
            2,
            3,
            8,
            2,
            np.array([True, True, False, True, True, True]).reshape(2, 1, 1, 3),
            note="padding mask (N, 1, 1, T): the first sequence's last position is padding",
        ),
    ],
    hidden=lambda rng: [
        _mha_case(rng, 1, 1, 4, 2, note="batch 1, length 1"),
        _mha_case(rng, 3, 5, 6, 1, note="one head"),
        _mha_case(
            rng, 2, 6, 8, 4, np.tril(np.ones((6, 6), dtype=bool)), note="4 heads, causal mask"
        ),
        _mha_case(
            rng, 2, 4, 12, 3, _padding_mask(rng, (2, 1, 1, 4), 0.8), note="random padding mask"
        ),
    ],
    mistakes=[
        mistake(
            "scaled by 1/sqrt(D) instead of 1/sqrt(D/num_heads)",
            _mha_scaled_by_D,
            "each head is an attention of width D // num_heads and scales by the square root of "
            "that width: scaled_dot_product_attention does it for you on the split heads.",
        ),
        mistake(
            "forgot the output projection",
            _mha_no_output_projection,
            "after merging the heads, mix them with the last projection: merge_heads(...) @ Wo.",
        ),
        mistake(
            "one head of width D",
            _mha_one_head,
            "split each projection into num_heads heads with split_heads before the attention, "
            "and merge them afterwards with merge_heads.",
        ),
    ],
    uses=("split_heads", "merge_heads", "scaled_dot_product_attention"),
    driver="autograder.modules.attention:multi_head",
    outputs=("out", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "multi-head-attention-forward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""multi_head_attention_forward: projections, heads, masked attention, merge, output projection."""
check(
    "multi_head_attention_forward",
    multi_head_attention_forward,
    split_heads,
    merge_heads,
    scaled_dot_product_attention,
)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "16_attention",
    "multi_head_attention_forward",
    multi_head_attention_forward,
    split_heads,
    merge_heads,
    scaled_dot_product_attention,
)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Where am I? Positional encodings
#
# Attention is blind to order: shuffle the positions of $x$ and the outputs are shuffled the same
# way, nothing else changes (each output is a weighted average over a *set*). To reverse a
# sequence, or read a sentence, a model must know where each token sits. The original
# transformer adds to each token's embedding a **positional encoding**, a fixed vector per
# position made of sines and cosines of geometrically spaced frequencies:
#
# $$PE_{p,\,2i} = \sin\!\left(\frac{p}{10000^{2i/d}}\right), \qquad
# PE_{p,\,2i+1} = \cos\!\left(\frac{p}{10000^{2i/d}}\right).$$
#
# Columns $2i$ and $2i+1$ share one frequency: the fast pair at $i = 0$ (period $2\pi$
# positions) tells neighbours apart, the slow pairs (periods up to $2\pi \cdot 10000$) tell far
# positions apart. And $PE_{p+k}$ is a rotation of $PE_p$ in each pair, the same rotation for
# every $p$, which makes "the position $k$ steps back" easy for a linear projection to find.
#
# ### Exercise 8: `positional_encoding` (2 points)
#
# Even columns sines, odd columns cosines, the pair $(2i, 2i+1)$ with the exponent $2i/d$ (the
# even column's index over $d$). `d_model` may be odd: the last column is then a sine. Build it
# without a Python loop: `np.arange(seq_len)[:, None]` and the even column indices broadcast.


# %% nbgrader={"grade": false, "grade_id": "positional-encoding", "locked": false, "schema_version": 3, "solution": true}
def positional_encoding(seq_len, d_model):
    """Sinusoidal positional encodings.

    Returns PE (seq_len, d_model) with PE[p, 2i] = sin(p / 10000**(2i/d_model)) and
    PE[p, 2i+1] = cos(p / 10000**(2i/d_model)).
    """
    ### BEGIN SOLUTION
    positions = np.arange(seq_len)[:, None]
    even = np.arange(0, d_model, 2)
    angles = positions / 10000.0 ** (even / d_model)
    pe = np.zeros((seq_len, d_model))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : d_model // 2])
    return pe
    ### END SOLUTION


# %% tags=["spec"]
def _pe_swapped(seq_len, d_model):
    positions = np.arange(seq_len)[:, None]
    even = np.arange(0, d_model, 2)
    angles = positions / 10000.0 ** (even / d_model)
    pe = np.zeros((seq_len, d_model))
    pe[:, 0::2] = np.cos(angles)
    pe[:, 1::2] = np.sin(angles[:, : d_model // 2])
    return pe


def _pe_column_exponent(seq_len, d_model):
    positions = np.arange(seq_len)[:, None]
    angles = positions / 10000.0 ** (np.arange(d_model) / d_model)
    pe = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, 1::2])
    return pe


def _pe_halves(seq_len, d_model):
    positions = np.arange(seq_len)[:, None]
    even = np.arange(0, d_model, 2)
    angles = positions / 10000.0 ** (even / d_model)
    return np.concatenate([np.sin(angles), np.cos(angles[:, : d_model // 2])], axis=1)


exercise(
    "positional_encoding",
    public=[
        case(4, 4, note="seq_len=4, d_model=4"),
        case(3, 6, note="seq_len=3, d_model=6"),
        case(5, 5, note="odd d_model: the last column is a sine"),
    ],
    hidden=lambda rng: [
        case(1, 8, note="sequence length 1"),
        case(10, 16, note="seq_len=10, d_model=16"),
        case(6, 7, note="odd d_model"),
        case(50, 2, note="d_model=2: one pair"),
    ],
    mistakes=[
        mistake(
            "sin and cos swapped",
            _pe_swapped,
            "even columns (0, 2, 4...) hold the sines, odd columns the cosines: "
            "pe[:, 0::2] = np.sin(angles), pe[:, 1::2] = np.cos(angles).",
        ),
        mistake(
            "exponent from each column's own index",
            _pe_column_exponent,
            "columns 2i and 2i+1 share one frequency, 1 / 10000**(2i/d): compute the angles for "
            "the even indices np.arange(0, d_model, 2) only, and use them for both columns.",
        ),
        mistake(
            "sines in the first half, cosines in the second",
            _pe_halves,
            "the sines and cosines alternate, column by column: fill pe[:, 0::2] and "
            "pe[:, 1::2] rather than concatenating two blocks.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "positional-encoding-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""positional_encoding: sines in even columns, cosines in odd ones, frequency 1/10000**(2i/d)."""
check("positional_encoding", positional_encoding)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "positional_encoding", positional_encoding)
### END HIDDEN TESTS

# %% [markdown]
# Each row below is one position, each column one feature. Left, the fast columns change from
# one position to the next and the slow ones hardly move; right, the dot product between
# positions: it depends on the distance between them alone, and falls as they move apart.

# %%
needs("positional_encoding")
pe_picture = positional_encoding(60, 64)
fig, (ax_pe, ax_sim) = plt.subplots(1, 2, figsize=(11, 3.6))
image = ax_pe.imshow(pe_picture, cmap="RdBu", aspect="auto", vmin=-1, vmax=1)
ax_pe.set_xlabel("feature (even: sin, odd: cos)")
ax_pe.set_ylabel("position")
ax_pe.set_title("positional encoding, d_model = 64")
fig.colorbar(image, ax=ax_pe)
ax_sim.imshow(pe_picture @ pe_picture.T, cmap="viridis")
ax_sim.set_title("PE[p] . PE[p']")
ax_sim.set_xlabel("position p'")
ax_sim.set_ylabel("position p")
plt.show()

# %% [markdown]
# ## 5. Layer normalisation
#
# Module 10's batch normalisation standardises each feature over the **batch**. That does not
# suit sequences: the statistics mix positions and sequences of different lengths, and at test
# time one sequence is a batch of one. **Layer normalisation** standardises each position's
# feature vector on its own, over the **last axis**, then rescales with learned $\gamma$ and
# $\beta$ (one of each per feature):
#
# $$\mu = \frac{1}{D}\sum_{j} x_j, \qquad \sigma^2 = \frac{1}{D}\sum_j (x_j - \mu)^2, \qquad
# \hat x_j = \frac{x_j - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \qquad
# \text{out}_j = \gamma_j \hat x_j + \beta_j .$$
#
# The variance is the **biased** one (divide by $D$, `np.var`'s default), and $\varepsilon$ sits
# **inside** the square root: it keeps the division safe when a row is constant. It works the
# same at training and test time, with no running averages. Any leading axes: `(N, D)` or
# `(N, T, D)` alike.
#
# ### Exercise 9: `layer_norm_forward` (2 points)
#
# Return `(out, cache)`; the cache is yours, for `layer_norm_backward`. Only `out` is checked, and
# that `x`, `gamma` and `beta` are left unchanged.


# %% nbgrader={"grade": false, "grade_id": "layer-norm-forward", "locked": false, "schema_version": 3, "solution": true}
def layer_norm_forward(x, gamma, beta, eps=1e-5):
    """Forward pass of layer normalisation over the last axis.

    x: (..., D); gamma, beta: (D,).
    Returns out (..., D) and a cache for layer_norm_backward.
    """
    ### BEGIN SOLUTION
    mean = x.mean(axis=-1, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)
    ### END SOLUTION


# %% tags=["spec"]
def _ln_batch_axis(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=0, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def _ln_unbiased(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=-1, ddof=1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def _ln_eps_outside(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    inv_std = 1.0 / (x.std(axis=-1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def _ln_no_affine(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    return x_hat, (x_hat, gamma, inv_std)


_ln_x = np.array([[1.0, 2.0, 3.0, 6.0], [0.0, 0.0, 1.0, -1.0], [2.0, 2.0, 2.0, 2.0]])
_ln_rng = np.random.default_rng(5)
exercise(
    "layer_norm_forward",
    private_cache=True,  # what goes in the cache is the learner's design
    public=[
        case(
            _ln_x, np.ones(4), np.zeros(4), note="N=3, D=4, gamma 1, beta 0; the last row constant"
        ),
        case(
            _ln_x,
            np.array([1.0, 2.0, 0.5, -1.0]),
            np.array([0.0, 1.0, -1.0, 0.5]),
            eps=0.5,
            note="the same x, other gamma and beta, eps=0.5",
        ),
        case(
            _ln_rng.normal(size=(2, 3, 5)),
            _ln_rng.normal(size=5),
            _ln_rng.normal(size=5),
            note="a sequence batch (N=2, T=3, D=5)",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 1, 6)),
            rng.normal(size=6),
            rng.normal(size=6),
            note="batch 1, length 1",
        ),
        case(
            rng.normal(size=(4, 3)) * 1e-3,
            rng.normal(size=3),
            rng.normal(size=3),
            note="tiny variance, comparable to eps",
        ),
        case(
            rng.normal(size=(3, 4, 8)) * 5 + 2,
            rng.normal(size=8),
            rng.normal(size=8),
            eps=1e-3,
            note="N=3, T=4, D=8, eps=1e-3",
        ),
        case(rng.normal(size=(5, 2)), rng.normal(size=2), rng.normal(size=2), note="D=2"),
    ],
    mistakes=[
        mistake(
            "normalised over the batch axis",
            _ln_batch_axis,
            "layer normalisation standardises each position's features: mean and variance over "
            "the last axis, axis=-1 with keepdims=True (axis 0 is batch normalisation).",
        ),
        mistake(
            "unbiased variance",
            _ln_unbiased,
            "use the biased variance, dividing by D: x.var(axis=-1) with the default ddof=0.",
        ),
        mistake(
            "eps outside the square root",
            _ln_eps_outside,
            "eps goes inside the square root: (x - mean) / np.sqrt(var + eps).",
        ),
        mistake(
            "forgot gamma and beta",
            _ln_no_affine,
            "after standardising, rescale and shift: out = gamma * x_hat + beta.",
        ),
    ],
    driver="autograder.modules.attention:layer_norm_layer",
    outputs=("returns", "out", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "layer-norm-forward-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""layer_norm_forward: standardises over the last axis (biased variance, eps inside), gamma, beta."""
check("layer_norm_forward", layer_norm_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "layer_norm_forward", layer_norm_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### The backward pass of layer normalisation
#
# It is batch normalisation's backward pass (module 10) turned on its side: the sums run over the
# features of each row instead of over the batch. With $g = \text{dout}\cdot\gamma$ the gradient
# reaching $\hat x$, and means taken along the last axis,
#
# $$d\gamma = \sum_{\text{rows}} \text{dout}\,\hat x, \qquad d\beta = \sum_{\text{rows}} \text{dout},
# \qquad dx = \frac{1}{\sqrt{\sigma^2 + \varepsilon}}\Big(g - \operatorname{mean}(g) -
# \hat x \operatorname{mean}(g\,\hat x)\Big).$$
#
# The two subtracted terms come from $\mu$ and $\sigma^2$ depending on every $x_j$ of the row.
# $d\gamma$ and $d\beta$ sum over **every** leading axis (batch and positions): they have shape
# $(D,)$.
#
# ### Exercise 10: `layer_norm_backward` (4 points)


# %% nbgrader={"grade": false, "grade_id": "layer-norm-backward", "locked": false, "schema_version": 3, "solution": true}
def layer_norm_backward(dout, cache):
    """Backward pass of layer normalisation.

    dout: (..., D) upstream gradient; cache: from layer_norm_forward.
    Returns dx (..., D), dgamma (D,), dbeta (D,).
    """
    ### BEGIN SOLUTION
    x_hat, gamma, inv_std = cache
    rows = tuple(range(dout.ndim - 1))
    dgamma = (dout * x_hat).sum(axis=rows)
    dbeta = dout.sum(axis=rows)
    g = dout * gamma
    dx = inv_std * (
        g - g.mean(axis=-1, keepdims=True) - x_hat * (g * x_hat).mean(axis=-1, keepdims=True)
    )
    return dx, dgamma, dbeta
    ### END SOLUTION


# %% tags=["spec"]
def _lnb_no_mean_terms(dout, cache):
    x_hat, gamma, inv_std = cache
    rows = tuple(range(dout.ndim - 1))
    return dout * gamma * inv_std, (dout * x_hat).sum(axis=rows), dout.sum(axis=rows)


def _lnb_no_variance_term(dout, cache):
    x_hat, gamma, inv_std = cache
    rows = tuple(range(dout.ndim - 1))
    g = dout * gamma
    dx = inv_std * (g - g.mean(axis=-1, keepdims=True))
    return dx, (dout * x_hat).sum(axis=rows), dout.sum(axis=rows)


def _lnb_params_axis0(dout, cache):
    x_hat, gamma, inv_std = cache
    g = dout * gamma
    dx = inv_std * (
        g - g.mean(axis=-1, keepdims=True) - x_hat * (g * x_hat).mean(axis=-1, keepdims=True)
    )
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


_lnb_rng = np.random.default_rng(50)
exercise(
    "layer_norm_backward",
    public=[
        case(
            _ln_x,
            np.array([1.0, 2.0, 0.5, -1.0]),
            np.array([0.0, 1.0, -1.0, 0.5]),
            np.array([[1.0, -1.0, 0.5, 0.0], [0.5, 2.0, -1.0, 1.0], [1.0, 0.0, 0.0, -1.0]]),
            note="N=3, D=4; the last row of x constant",
        ),
        case(
            _lnb_rng.normal(size=(2, 3, 4)),
            _lnb_rng.normal(size=4),
            _lnb_rng.normal(size=4),
            _lnb_rng.normal(size=(2, 3, 4)),
            note="a sequence batch (N=2, T=3, D=4)",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 1, 5)),
            rng.normal(size=5),
            rng.normal(size=5),
            rng.normal(size=(1, 1, 5)),
            note="batch 1, length 1",
        ),
        case(
            rng.normal(size=(3, 4, 6)) * 3 + 1,
            rng.normal(size=6),
            rng.normal(size=6),
            rng.normal(size=(3, 4, 6)),
            eps=1e-3,
            note="N=3, T=4, D=6, eps=1e-3",
        ),
        case(
            rng.normal(size=(5, 3)),
            rng.normal(size=3),
            rng.normal(size=3),
            rng.normal(size=(5, 3)),
            note="N=5, D=3",
        ),
    ],
    mistakes=[
        mistake(
            "dx without the mean and variance terms",
            _lnb_no_mean_terms,
            "mu and sigma depend on every x of the row: dx = inv_std * (g - mean(g) - "
            "x_hat * mean(g * x_hat)), the means along the last axis, g = dout * gamma.",
        ),
        mistake(
            "dx without the variance term",
            _lnb_no_variance_term,
            "the variance depends on x too: subtract x_hat * mean(g * x_hat, axis=-1) as well "
            "as mean(g, axis=-1).",
        ),
        mistake(
            "dgamma and dbeta summed over the batch axis only",
            _lnb_params_axis0,
            "gamma and beta are shared by every position of every sequence: sum over all the "
            "leading axes, tuple(range(dout.ndim - 1)), to get shape (D,).",
        ),
    ],
    uses=("layer_norm_forward",),
    driver="autograder.modules.attention:layer_norm_gradients",
    outputs=("dx", "dgamma", "dbeta", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "layer-norm-backward-tests", "locked": true, "points": 4, "schema_version": 3, "solution": false}
"""layer_norm_backward: dx, dgamma, dbeta as expected and as the numerical gradient."""
check("layer_norm_backward", layer_norm_backward, layer_norm_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("16_attention", "layer_norm_backward", layer_norm_backward, layer_norm_forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 6. A tiny transformer that reverses digits
#
# Time to train one. The task: read 8 digits, write them in reverse order. `3 1 4 1 5 9 2 6`
# becomes `6 2 9 5 1 4 1 3`. An RNN must carry the first digit across the whole sequence; a
# transformer just has output position $t$ **attend** to input position $7 - t$. Nothing in the
# digits says where that is: the model can only find it from the **positional encodings**.
#
# The model is one transformer block (pre-norm, as in GPT-2), on the whole sequence at once,
# with no mask (every output may look at every input):
#
# $$h_0 = \text{embed}(\text{digits}) + PE, \qquad
# h_1 = h_0 + \text{MultiHead}(\text{LN}_1(h_0)), \qquad
# h_2 = h_1 + \text{FFN}(\text{LN}_2(h_1)), \qquad
# \text{logits} = \text{LN}_3(h_2)\, W_\text{out} + b_\text{out},$$
#
# with $D = 32$, 2 heads, and a feed-forward network of 64 ReLU units. The loss is the softmax
# cross-entropy of each output digit. Its backward pass runs **your** `attention_backward` and
# `layer_norm_backward`, and your `split_heads` and `merge_heads`, which are each other's
# backward pass: splitting moves numbers around, so its gradient moves them back. The rest
# (embeddings, affine layers, the loss, Adam) are the helpers below.

# %% tags=["lib"]
SEQ_LEN, VOCAB, D_MODEL, NUM_HEADS, D_HIDDEN = 8, 10, 32, 2, 64


def reversal_batch(rng, n):
    """n random digit sequences (n, SEQ_LEN) and their reversals, the targets."""
    digits = rng.integers(0, VOCAB, size=(n, SEQ_LEN))
    return digits, digits[:, ::-1].copy()


def init_transformer(seed=0):
    """The parameters of a one-block transformer, scaled by 1/sqrt(fan-in)."""
    rng = np.random.default_rng(seed)

    def weight(fan_in, fan_out):
        return rng.normal(scale=1 / np.sqrt(fan_in), size=(fan_in, fan_out))

    params = {"embed": rng.normal(size=(VOCAB, D_MODEL))}
    for name in ("Wq", "Wk", "Wv", "Wo"):
        params[name] = weight(D_MODEL, D_MODEL)
    for i in (1, 2, 3):
        params[f"gamma{i}"], params[f"beta{i}"] = np.ones(D_MODEL), np.zeros(D_MODEL)
    params["W1"], params["b1"] = weight(D_MODEL, D_HIDDEN), np.zeros(D_HIDDEN)
    params["W2"], params["b2"] = weight(D_HIDDEN, D_MODEL), np.zeros(D_MODEL)
    params["W_out"], params["b_out"] = weight(D_MODEL, VOCAB), np.zeros(VOCAB)
    return params


def flat_product_grad(inputs, dout):
    """The gradient of W in (inputs @ W) with leading axes: every position is one example."""
    return inputs.reshape(-1, inputs.shape[-1]).T @ dout.reshape(-1, dout.shape[-1])


def sequence_cross_entropy(logits, targets):
    """Mean cross-entropy over every position. logits (N, T, V); targets (N, T) ints."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)
    dlogits = np.exp(log_probs)
    np.put_along_axis(dlogits, targets[..., None], np.exp(picked) - 1.0, axis=-1)
    return -picked.mean(), dlogits / targets.size


def transformer_loss(params, digits, targets=None, positions=True):
    """Logits and attention weights (targets None), or the loss and the gradients of params.

    positions=False leaves the positional encodings out, to see what they are for.
    """
    p = params
    h0 = p["embed"][digits]
    if positions:
        h0 = h0 + positional_encoding(digits.shape[1], D_MODEL)
    a, ln1 = layer_norm_forward(h0, p["gamma1"], p["beta1"])
    q, k, v = (split_heads(a @ p[name], NUM_HEADS) for name in ("Wq", "Wk", "Wv"))
    heads, attention_cache = attention_forward(q, k, v)
    merged = merge_heads(heads)
    h1 = h0 + merged @ p["Wo"]
    b, ln2 = layer_norm_forward(h1, p["gamma2"], p["beta2"])
    pre = b @ p["W1"] + p["b1"]
    hidden = np.maximum(pre, 0.0)
    h2 = h1 + hidden @ p["W2"] + p["b2"]
    c, ln3 = layer_norm_forward(h2, p["gamma3"], p["beta3"])
    logits = c @ p["W_out"] + p["b_out"]
    if targets is None:
        _, weights = scaled_dot_product_attention(q, k, v)
        return logits, weights

    loss, dlogits = sequence_cross_entropy(logits, targets)
    grads = {"W_out": flat_product_grad(c, dlogits), "b_out": dlogits.sum(axis=(0, 1))}
    dh2, grads["gamma3"], grads["beta3"] = layer_norm_backward(dlogits @ p["W_out"].T, ln3)
    grads["W2"], grads["b2"] = flat_product_grad(hidden, dh2), dh2.sum(axis=(0, 1))
    dpre = (dh2 @ p["W2"].T) * (pre > 0)
    grads["W1"], grads["b1"] = flat_product_grad(b, dpre), dpre.sum(axis=(0, 1))
    db, grads["gamma2"], grads["beta2"] = layer_norm_backward(dpre @ p["W1"].T, ln2)
    dh1 = dh2 + db  # the residual path and the feed-forward path both reach h1
    grads["Wo"] = flat_product_grad(merged, dh1)
    dq, dk, dv = attention_backward(split_heads(dh1 @ p["Wo"].T, NUM_HEADS), attention_cache)
    da = 0.0
    for name, dproj in (("Wq", dq), ("Wk", dk), ("Wv", dv)):
        dproj = merge_heads(dproj)
        grads[name] = flat_product_grad(a, dproj)
        da = da + dproj @ p[name].T
    dx, grads["gamma1"], grads["beta1"] = layer_norm_backward(da, ln1)
    dh0 = dh1 + dx
    grads["embed"] = np.zeros_like(p["embed"])
    np.add.at(grads["embed"], digits, dh0)  # a digit used twice collects both gradients
    return loss, grads


# %% [markdown]
# Before training, a gradient check of the whole model on three sequences: if one of your
# backward passes were wrong, one of these errors would be near 1 instead of $10^{-6}$ or less.

# %%
needs(
    "scaled_dot_product_attention",
    "causal_mask",
    "attention_forward",
    "attention_backward",
    "split_heads",
    "merge_heads",
    "positional_encoding",
    "layer_norm_forward",
    "layer_norm_backward",
)
rng = np.random.default_rng(3)
check_params = init_transformer(seed=1)
check_digits, check_targets = reversal_batch(rng, 3)
_, check_grads = transformer_loss(check_params, check_digits, check_targets)
for name in ("Wq", "Wk", "Wv", "gamma1", "embed"):
    original = check_params[name]
    picks = [tuple(rng.integers(0, s) for s in original.shape) for _ in range(6)]
    worst = 0.0
    for index in picks:
        saved = original[index]
        original[index] = saved + 1e-5
        up = transformer_loss(check_params, check_digits, check_targets)[0]
        original[index] = saved - 1e-5
        down = transformer_loss(check_params, check_digits, check_targets)[0]
        original[index] = saved
        worst = max(worst, rel_error(check_grads[name][index], (up - down) / 2e-5))
    print(f"{name}: largest relative error over 6 entries {worst:.1e}")

# %% [markdown]
# Adam (module 10) with a constant learning rate, mini-batches of 64 fresh random sequences, 600
# steps. The **held-out** sequences are drawn once, before training, from another generator; the
# chance that one of them also turns up among the 38 400 training sequences (out of $10^8$
# possible) is tiny, and the cell counts them to be sure.


# %% tags=["lib"]
def adam_step(params, grads, moments, step, learning_rate=3e-3, beta1=0.9, beta2=0.98):
    """One Adam update of every parameter, in place; moments holds (m, v) per name."""
    for name, grad in grads.items():
        m, v = moments.setdefault(name, (np.zeros_like(grad), np.zeros_like(grad)))
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        moments[name] = (m, v)
        m_hat, v_hat = m / (1 - beta1**step), v / (1 - beta2**step)
        params[name] -= learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)


def sequence_accuracy(params, digits, targets, positions=True):
    """Share of sequences reversed without a single wrong digit, and share of right digits."""
    predicted = transformer_loss(params, digits, positions=positions)[0].argmax(axis=-1)
    right = predicted == targets
    return float(right.all(axis=1).mean()), float(right.mean())


def train_transformer(num_steps, avoid=frozenset(), positions=True, seed=0, desc="training"):
    """Adam on fresh random batches of 64; returns the parameters, the losses, and how many
    training sequences were in the set ``avoid`` (of sequences as bytes)."""
    params, moments, losses, seen = init_transformer(seed), {}, [], 0
    rng = np.random.default_rng(seed)
    for step in tqdm(range(1, num_steps + 1), desc=desc):
        digits, targets = reversal_batch(rng, 64)
        seen += sum(row.tobytes() in avoid for row in digits)
        loss, grads = transformer_loss(params, digits, targets, positions=positions)
        adam_step(params, grads, moments, step)
        losses.append(loss)
    return params, losses, seen


# %%
needs(
    "scaled_dot_product_attention",
    "causal_mask",
    "attention_forward",
    "attention_backward",
    "split_heads",
    "merge_heads",
    "positional_encoding",
    "layer_norm_forward",
    "layer_norm_backward",
)
heldout_digits, heldout_targets = reversal_batch(np.random.default_rng(2026), 1000)
heldout_set = {row.tobytes() for row in heldout_digits}
num_steps = 600
start = time.process_time()
params, losses, seen_heldout = train_transformer(num_steps, avoid=heldout_set)
training_seconds = time.process_time() - start
heldout_sequence_accuracy, heldout_digit_accuracy = sequence_accuracy(
    params, heldout_digits, heldout_targets
)
print(f"{num_steps} steps in {training_seconds:.1f} s of CPU, final loss {losses[-1]:.4f}")
print(f"held-out sequences seen in training: {seen_heldout}")
print(
    f"held-out accuracy: {heldout_sequence_accuracy:.3f} of sequences reversed exactly, "
    f"{heldout_digit_accuracy:.4f} of digits"
)
assert heldout_sequence_accuracy >= 0.98, "the transformer should reverse 98% of held-out sequences"

# %%
needs(
    "scaled_dot_product_attention",
    "causal_mask",
    "attention_forward",
    "attention_backward",
    "split_heads",
    "merge_heads",
    "positional_encoding",
    "layer_norm_forward",
    "layer_norm_backward",
)
plt.figure(figsize=(6, 3))
plt.plot(losses, lw=0.8)
plt.yscale("log")
plt.xlabel("step")
plt.ylabel("training loss (cross-entropy per digit)")
plt.title(f"log(10) = {np.log(10):.2f} is a guess at random")
plt.show()

# %% [markdown]
# The model reverses **over 98%** of sequences it has never seen without a single mistake. (The
# exact figure is printed above; the course's tests hold it to that floor.) The loss stays near
# $\log 10$ for about a hundred steps, then falls steeply: the model first has nothing better
# than guessing (every digit is equally common), then *finds* the reversal pattern in its
# positional encodings, and from there on every step sharpens it.
#
# ### The same model without positional encodings
#
# Section 4 claimed that attention is blind to order. Here is the proof: the same model, the
# same 600 steps, with the positional encodings left out.

# %%
needs(
    "scaled_dot_product_attention",
    "causal_mask",
    "attention_forward",
    "attention_backward",
    "split_heads",
    "merge_heads",
    "positional_encoding",
    "layer_norm_forward",
    "layer_norm_backward",
)
blind_params, blind_losses, _ = train_transformer(num_steps, positions=False, desc="no positions")
blind_sequences, blind_digits = sequence_accuracy(
    blind_params, heldout_digits, heldout_targets, positions=False
)
print(
    f"without positional encodings: {blind_sequences:.3f} of held-out sequences, "
    f"{blind_digits:.3f} of digits right (with them: {heldout_digit_accuracy:.3f})"
)

plt.figure(figsize=(6, 3))
plt.plot(losses, lw=0.8, label="with positional encodings")
plt.plot(blind_losses, lw=0.8, label="without")
plt.yscale("log")
plt.xlabel("step")
plt.ylabel("training loss")
plt.legend()
plt.show()

# %% [markdown]
# Without positions, every output position sees the same *bag* of digits, and only its own
# digit to tell it apart from the others: it cannot know which digit belongs at its place. It
# still beats a guess at random (10% of digits) by betting on the digits that appear most often
# in the sequence (in 8 random digits, the most common one usually appears 2 or 3 times), and
# not one sequence comes out right.
#
# ## 7. Where do the heads look?
#
# Each map below shows, for one held-out sequence and one head, the attention weights: row $t$
# is output position $t$, column $j$ input position $j$. Pick a sequence and a head. The
# anti-diagonal is the reversal: position $t$ reads position $7 - t$. Both heads found it here,
# each with a little weight spilling onto a neighbour; the output projection $W_o$ combines the
# two, and the feed-forward layer turns what they read into a digit. Sequences with a repeated
# digit are worth a look: the weights do not care, they follow positions, not digits.


# %%
needs(
    "scaled_dot_product_attention",
    "causal_mask",
    "attention_forward",
    "attention_backward",
    "split_heads",
    "merge_heads",
    "positional_encoding",
    "layer_norm_forward",
    "layer_norm_backward",
)
heldout_logits, heldout_weights = transformer_loss(params, heldout_digits)
heldout_predicted = heldout_logits.argmax(axis=-1)


def show_attention(sequence=0, head=0):
    digits, weights = heldout_digits[sequence], heldout_weights[sequence, head]
    predicted = heldout_predicted[sequence]
    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    ax.imshow(weights, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(SEQ_LEN), [str(d) for d in digits])
    ax.set_yticks(range(SEQ_LEN), [str(d) for d in predicted])
    ax.set_xlabel("input digit (key)")
    ax.set_ylabel("predicted output digit (query)")
    verdict = "right" if (predicted == heldout_targets[sequence]).all() else "WRONG"
    ax.set_title(f"held-out sequence {sequence}, head {head}: {verdict}")
    plt.show()


attention_viewer = widgets.interact(
    show_attention,
    sequence=widgets.IntSlider(0, 0, len(heldout_digits) - 1, description="sequence"),
    head=widgets.ToggleButtons(options=list(range(NUM_HEADS)), description="head"),
)

# %% [markdown]
# And all heads, averaged over the 1000 held-out sequences: the pattern is the same for every
# sequence, because the task depends on positions alone.

# %%
needs(
    "scaled_dot_product_attention",
    "causal_mask",
    "attention_forward",
    "attention_backward",
    "split_heads",
    "merge_heads",
    "positional_encoding",
    "layer_norm_forward",
    "layer_norm_backward",
)
fig, axes = plt.subplots(1, NUM_HEADS, figsize=(4 * NUM_HEADS, 3.6))
for head, ax in enumerate(np.atleast_1d(axes)):
    ax.imshow(heldout_weights[:, head].mean(axis=0), cmap="Blues", vmin=0, vmax=1)
    ax.set_title(f"head {head}, mean over held-out sequences")
    ax.set_xlabel("input position")
    ax.set_ylabel("output position")
plt.show()

# %% [markdown]
# **What you built.** Attention with its masks, forward and backward; multi-head self-attention;
# positional encodings; layer normalisation; and a transformer block trained with your own
# backward passes. A language model like GPT is this block stacked a few dozen times, with a
# causal mask, far wider, and trained on text to predict the next token.
