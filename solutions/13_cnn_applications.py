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
# # 13 · Convolutional networks at work
#
# **Why this matters.** Module 12 built the two layers that made computer vision work: the
# convolution, which slides one small set of weights over the whole image, and max pooling, which
# keeps the strongest response in each neighbourhood. Here you put them to work. You build a
# small convolutional network and train it to read handwritten digits better than the fully
# connected network of module 07; then you open it up (what its filters look for, which pixels
# decide its answer) and write the building blocks of the systems that followed:
#
# * **residual blocks** (ResNet), the skip connection that lets networks be hundreds of layers deep;
# * **data augmentation**, teaching invariance by showing shifted copies of the training images;
# * **intersection over union** and **non-max suppression**, how an object detector turns
#   thousands of candidate boxes into one box per object;
# * the **triplet loss** of face recognition, which learns a distance rather than classes;
# * the **Gram matrix** of neural style transfer, a picture's texture without its layout.
#
# **Points: 27, in 10 exercises.** Each exercise is checked by the cell below it; hidden tests
# run the same checks on other inputs when the notebook is graded.
#
# Conventions (module 12's, as in CS231n): images are `(N, C, H, W)`, filters `(F, C, HH, WW)`,
# `conv_param = {"stride": s, "pad": p}` (zeros on all four sides), `pool_param =
# {"pool_height": ph, "pool_width": pw, "stride": s}`; layers come in pairs `out, cache =
# layer_forward(...)` and `dx, ... = layer_backward(dout, cache)`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from numpy.lib.stride_tricks import as_strided
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("13_cnn_applications")

# %% [markdown]
# ## 1. The layers you already have
#
# The cell below gives the layers of modules 07 and 12, written for speed: a convolution whose
# windows are a strided *view* of the padded input (no copy until the product), contracted with
# the filters in one `np.tensordot`, and a max pool that compares the cells of all windows at
# once. They compute exactly what your `conv_forward_naive` and `max_pool_forward_naive` did
# (the pool sends a window's gradient to its first maximum, in row-major order, as `np.argmax`
# picks it). Read them if you like; you will call them, not change them.


# %% tags=["lib"]
def _windows(padded, height, width, stride):
    """A read-only view (N, C, H_out, W_out, height, width) of every window of padded."""
    n, c, rows, cols = padded.shape
    s_n, s_c, s_h, s_w = padded.strides
    shape = (n, c, (rows - height) // stride + 1, (cols - width) // stride + 1, height, width)
    steps = (s_n, s_c, s_h * stride, s_w * stride, s_h, s_w)
    return as_strided(padded, shape=shape, strides=steps, writeable=False)


def _padded(x, pad):
    """x with pad zeros on all four sides of each map."""
    if not pad:
        return x
    n, c, h, w = x.shape
    padded = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    padded[:, :, pad : pad + h, pad : pad + w] = x
    return padded


def conv_forward_fast(x, w, b, conv_param):
    """Convolution layer (a cross-correlation). x (N, C, H, W), w (F, C, HH, WW), b (F,).

    Returns out (N, F, H_out, W_out) and cache (x, w, b, conv_param).
    """
    windows = _windows(_padded(x, conv_param["pad"]), w.shape[2], w.shape[3], conv_param["stride"])
    # contract every window with every filter over (c, di, dj): (N, H_out, W_out, F)
    out = np.tensordot(windows, w, axes=((1, 4, 5), (1, 2, 3))) + b
    return out.transpose(0, 3, 1, 2), (x, w, b, conv_param)


def conv_backward_fast(dout, cache):
    """Gradients of conv_forward_fast. dout (N, F, H_out, W_out). Returns dx, dw, db."""
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    padded = _padded(x, pad)
    height, width = w.shape[2:]
    h_out, w_out = dout.shape[2:]
    dw = np.tensordot(dout, _windows(padded, height, width, stride), axes=((0, 2, 3), (0, 2, 3)))
    # what each window position sends back to the pixels it covered: (N, C, H_out, W_out, HH, WW)
    spread = np.tensordot(w, dout, axes=((0,), (1,))).transpose(3, 0, 4, 5, 1, 2)
    dpadded = np.zeros(padded.shape)
    for i in range(height):
        for j in range(width):  # overlapping windows add up
            rows = slice(i, i + stride * (h_out - 1) + 1, stride)
            cols = slice(j, j + stride * (w_out - 1) + 1, stride)
            dpadded[:, :, rows, cols] += spread[..., i, j]
    h, w_in = x.shape[2:]
    return dpadded[:, :, pad : pad + h, pad : pad + w_in], dw, dout.sum(axis=(0, 2, 3))


def _pool_cells(pool_param, out_shape):
    """For each cell (i, j) of the window, row-major, the index that picks it in every window."""
    stride = pool_param["stride"]
    h_out, w_out = out_shape[2:]
    for i in range(pool_param["pool_height"]):
        for j in range(pool_param["pool_width"]):
            rows = slice(i, i + stride * (h_out - 1) + 1, stride)
            cols = slice(j, j + stride * (w_out - 1) + 1, stride)
            yield (Ellipsis, rows, cols)


def max_pool_forward_fast(x, pool_param):
    """Max pooling. x (N, C, H, W). Returns out (N, C, H_out, W_out) and cache (x, pool_param, out)."""
    stride = pool_param["stride"]
    h_out = (x.shape[2] - pool_param["pool_height"]) // stride + 1
    w_out = (x.shape[3] - pool_param["pool_width"]) // stride + 1
    out = np.full((*x.shape[:2], h_out, w_out), -np.inf)
    for cell in _pool_cells(pool_param, out.shape):
        np.maximum(out, x[cell], out=out)
    return out, (x, pool_param, out)


def max_pool_backward_fast(dout, cache):
    """Gradient of max_pool_forward_fast: each window's gradient goes to its first maximum."""
    x, pool_param, out = cache
    dx = np.zeros(x.shape)
    routed = np.zeros(out.shape, dtype=bool)
    for cell in _pool_cells(pool_param, out.shape):
        first = (x[cell] == out) & ~routed
        routed |= first
        dx[cell] += np.where(first, dout, 0.0)
    return dx


POOL_2X2 = {"pool_height": 2, "pool_width": 2, "stride": 2}  # the pool of every network here


def affine_forward(x, w, b):
    """x (N, d1, ..., dk), w (D, M), b (M,). Returns out (N, M) and cache (x, w, b)."""
    flat = x.reshape(len(x), -1)
    return flat @ w + b, (x, w, b)


def affine_backward(dout, cache):
    """dout (N, M). Returns dx (shape of x), dw (D, M), db (M,)."""
    x, w, _ = cache
    dx = np.reshape(dout @ w.T, x.shape)
    dw = x.reshape(len(x), -1).T @ dout
    return dx, dw, dout.sum(axis=0)


def relu_forward(x):
    """Elementwise max(x, 0). Returns out and cache x."""
    return np.maximum(x, 0.0), x


def relu_backward(dout, cache):
    """dout where the layer's input was positive, 0 elsewhere."""
    return np.where(cache > 0, dout, 0.0)


def softmax_loss(scores, y):
    """Mean softmax cross-entropy. scores (N, C), y (N,). Returns loss and dscores (N, C)."""
    rows = np.arange(len(y))
    z = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(z)
    probs /= probs.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[rows, y]))
    probs[rows, y] -= 1.0
    return float(loss), probs / len(y)


# %% [markdown]
# ## 2. The data: digits as one-channel images
#
# The 1,797 digits of scikit-learn are 8×8 images with pixel values 0 to 16. A convolutional
# layer wants `(N, C, H, W)`, so each image becomes one channel: `(N, 1, 8, 8)`, scaled to
# [0, 1]. The background stays exactly 0, like the zero padding around it, and like the pixels
# that a shift will leave empty in section 6.


# %% tags=["lib"]
def load_digit_images():
    """Train/test split of the digits as (N, 1, 8, 8) images in [0, 1], with their labels."""
    digits = load_digits()
    images_train, images_test, y_train, y_test = train_test_split(
        digits.images, digits.target, test_size=0.25, random_state=0, stratify=digits.target
    )
    return images_train[:, None] / 16.0, images_test[:, None] / 16.0, y_train, y_test


# %%
X_train, X_test, y_train, y_test = load_digit_images()
print("X_train", X_train.shape, "| X_test", X_test.shape)
fig, axes = plt.subplots(1, 10, figsize=(10, 1.3))
for digit, ax in enumerate(axes):
    ax.imshow(X_train[np.flatnonzero(y_train == digit)[0], 0], cmap="gray_r")
    ax.set_title(str(digit))
    ax.axis("off")
plt.show()

# %% [markdown]
# ## 3. A sandwich layer: conv - ReLU - pool
#
# Convolutional networks repeat one motif: a convolution, a ReLU, a max pool. Writing it once
# as a layer pair of its own keeps the network's code short, and is exactly what CS231n's
# `conv_relu_pool_forward` and PyTorch's `nn.Sequential(nn.Conv2d(...), nn.ReLU(),
# nn.MaxPool2d(2))` do. With a 3×3 filter, stride 1 and padding 1, an 8×8 image gives 8×8 maps
# after the convolution and 4×4 after a 2×2 pool of stride 2:

# %%
x_demo = np.arange(16.0).reshape(1, 1, 4, 4) / 4 - 2
w_demo = np.array([[[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]])  # the identity filter
conv_out, _ = conv_forward_fast(x_demo, w_demo, np.array([0.5]), {"stride": 1, "pad": 1})
pooled_demo, _ = max_pool_forward_fast(
    np.maximum(conv_out, 0), {"pool_height": 2, "pool_width": 2, "stride": 2}
)
print("x:\n", x_demo[0, 0], "\nconv (identity filter, bias 0.5):\n", conv_out[0, 0])
print("relu then 2x2 max pool:\n", pooled_demo[0, 0])

# %% [markdown]
# ### Exercise 1: `conv_relu_pool_forward` (2 points)
#
# Chain `conv_forward_fast`, `relu_forward` and `max_pool_forward_fast`, passing `conv_param`
# to the convolution and `pool_param` to the pool. Return `(out, cache)`; what you put in the
# cache is your design: whatever your backward pass will need (the three layers' caches is the
# usual choice). Leave the inputs unchanged.


# %% nbgrader={"grade": false, "grade_id": "conv-relu-pool-forward", "locked": false, "schema_version": 3, "solution": true}
def conv_relu_pool_forward(x, w, b, conv_param, pool_param):
    """Convolution, then ReLU, then max pooling.

    x: (N, C, H, W); w: (F, C, HH, WW); b: (F,); conv_param, pool_param: dicts as above.
    Returns out (N, F, H_pool, W_pool) and a cache for conv_relu_pool_backward.
    """
    ### BEGIN SOLUTION
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    r, relu_cache = relu_forward(a)
    out, pool_cache = max_pool_forward_fast(r, pool_param)
    return out, (conv_cache, relu_cache, pool_cache)
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


# the wrong forward passes keep the reference's cache layout: a submission that makes one of
# them is graded with the reference's backward pass, which reads that cache
def _crp_no_relu(x, w, b, conv_param, pool_param):
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    out, pool_cache = max_pool_forward_fast(a, pool_param)
    return out, (conv_cache, a, pool_cache)


def _crp_relu_first(x, w, b, conv_param, pool_param):
    r, relu_cache = relu_forward(x)
    a, conv_cache = conv_forward_fast(r, w, b, conv_param)
    out, pool_cache = max_pool_forward_fast(a, pool_param)
    return out, (conv_cache, a, pool_cache)


def _crp_fixed_pool(x, w, b, conv_param, pool_param):
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    r, relu_cache = relu_forward(a)
    out, pool_cache = max_pool_forward_fast(r, POOL_2X2)
    return out, (conv_cache, relu_cache, pool_cache)


def _crp_case(rng, x_shape, w_shape, conv_param, pool_param, shift=0.0, note=""):
    x = rng.normal(size=x_shape)
    w = rng.normal(size=w_shape)
    b = rng.normal(size=w_shape[0]) + shift
    return case(x, w, b, dict(conv_param), dict(pool_param), note=note)


_crp_rng = np.random.default_rng(13)
exercise(
    "conv_relu_pool_forward",
    private_cache=True,  # what goes in the cache is the learner's design
    public=[
        case(
            np.arange(16.0).reshape(1, 1, 4, 4) / 4 - 2,
            np.array([[[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]]),
            np.array([0.5]),
            {"stride": 1, "pad": 1},
            dict(POOL_2X2),
            note="the worked example above: identity filter, bias 0.5",
        ),
        _crp_case(
            _crp_rng,
            (2, 2, 4, 6),
            (3, 2, 3, 3),
            {"stride": 1, "pad": 1},
            POOL_2X2,
            shift=-1.0,
            note="N=2, C=2, F=3, 4x6 images, 2x2 pool",
        ),
        _crp_case(
            _crp_rng,
            (1, 1, 7, 6),
            (2, 1, 3, 2),
            {"stride": 2, "pad": 2},
            {"pool_height": 3, "pool_width": 2, "stride": 1},
            note="conv stride 2, pad 2; a 3x2 pool of stride 1",
        ),
    ],
    hidden=lambda rng: [
        _crp_case(
            rng,
            (1, 1, 6, 6),
            (2, 1, 3, 3),
            {"stride": 1, "pad": 1},
            POOL_2X2,
            shift=-0.5,
            note="a batch of one",
        ),
        _crp_case(
            rng,
            (3, 3, 6, 4),
            (4, 3, 3, 3),
            {"stride": 1, "pad": 0},
            POOL_2X2,
            shift=-1.0,
            note="pad 0, non-square, C=3, F=4",
        ),
        _crp_case(
            rng,
            (2, 2, 9, 7),
            (3, 2, 5, 3),
            {"stride": 2, "pad": 2},
            {"pool_height": 2, "pool_width": 3, "stride": 1},
            note="stride 2, pad 2, 2x3 pool",
        ),
    ],
    mistakes=[
        mistake(
            "forgot the ReLU",
            _crp_no_relu,
            "between the convolution and the pool comes relu_forward: a window whose values are "
            "all negative must pool to 0, not to its largest negative value.",
        ),
        mistake(
            "ReLU on the input instead of the convolution's output",
            _crp_relu_first,
            "the order is conv, then ReLU, then pool: apply relu_forward to what "
            "conv_forward_fast returns, not to x.",
        ),
        mistake(
            "pool_param ignored (always a 2x2 pool of stride 2)",
            _crp_fixed_pool,
            "pass the pool_param you were given to max_pool_forward_fast: the window size and "
            "stride are the caller's choice.",
        ),
    ],
    driver="autograder.modules.deep_network:layer_forward",
    outputs=("returns", "out", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "conv-relu-pool-forward-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""conv_relu_pool_forward: conv, ReLU, max pool with the given parameters; returns (out, cache)."""
check("conv_relu_pool_forward", conv_relu_pool_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("13_cnn_applications", "conv_relu_pool_forward", conv_relu_pool_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: `conv_relu_pool_backward` (3 points)
#
# The backward pass runs the three backward passes in reverse: pool, ReLU, convolution, each
# one's gradient becoming the next one's `dout`. Return `(dx, dw, db)`, shaped like `x`, `w`
# and `b`. The check runs your forward pass, hands its cache to your backward pass, and also
# compares your gradients with the numerical gradient of your own forward pass.


# %% nbgrader={"grade": false, "grade_id": "conv-relu-pool-backward", "locked": false, "schema_version": 3, "solution": true}
def conv_relu_pool_backward(dout, cache):
    """Backward pass of conv_relu_pool_forward.

    dout: (N, F, H_pool, W_pool) upstream gradient; cache: from conv_relu_pool_forward.
    Returns dx (N, C, H, W), dw (F, C, HH, WW), db (F,).
    """
    ### BEGIN SOLUTION
    conv_cache, relu_cache, pool_cache = cache
    dr = max_pool_backward_fast(dout, pool_cache)
    da = relu_backward(dr, relu_cache)
    return conv_backward_fast(da, conv_cache)
    ### END SOLUTION


# %% tags=["spec"]
def _crp_backward_no_relu(dout, cache):
    conv_cache, relu_cache, pool_cache = cache
    return conv_backward_fast(max_pool_backward_fast(dout, pool_cache), conv_cache)


def _crp_backward_gate_on_dout(dout, cache):
    conv_cache, relu_cache, pool_cache = cache
    dr = max_pool_backward_fast(dout, pool_cache)
    return conv_backward_fast(np.maximum(dr, 0.0), conv_cache)


def _crp_backward_spread(dout, cache):
    conv_cache, relu_cache, pool_cache = cache
    _, pool_param, _ = pool_cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    copies = np.repeat(np.repeat(dout, ph, axis=2), pw, axis=3)  # dout in every cell of its window
    spread = np.zeros(relu_cache.shape)
    spread[:, :, : copies.shape[2], : copies.shape[3]] = copies
    return conv_backward_fast(relu_backward(spread, relu_cache), conv_cache)


def _crp_backward_case(rng, x_shape, w_shape, conv_param, shift=0.0, note=""):
    forward = _crp_case(rng, x_shape, w_shape, conv_param, POOL_2X2, shift=shift)
    x, w, b, cp, pp = forward.args
    out, _ = conv_relu_pool_forward(x, w, b, cp, pp)
    return case(x, w, b, cp, pp, rng.normal(size=out.shape), note=note)


_crpb_rng = np.random.default_rng(31)
exercise(
    "conv_relu_pool_backward",
    public=[
        _crp_backward_case(
            _crpb_rng,
            (2, 1, 4, 4),
            (2, 1, 3, 3),
            {"stride": 1, "pad": 1},
            note="N=2, C=1, F=2, 4x4 images",
        ),
        _crp_backward_case(
            _crpb_rng,
            (1, 2, 4, 6),
            (3, 2, 3, 3),
            {"stride": 1, "pad": 1},
            shift=-0.5,
            note="C=2, F=3, 4x6 images",
        ),
        _crp_backward_case(
            _crpb_rng,
            (2, 1, 6, 5),
            (2, 1, 3, 2),
            {"stride": 2, "pad": 1},
            note="conv stride 2, 3x2 filters",
        ),
    ],
    hidden=lambda rng: [
        _crp_backward_case(
            rng, (1, 1, 4, 4), (1, 1, 3, 3), {"stride": 1, "pad": 1}, note="a batch of one"
        ),
        _crp_backward_case(
            rng,
            (2, 3, 6, 4),
            (2, 3, 3, 3),
            {"stride": 1, "pad": 0},
            shift=-0.5,
            note="pad 0, C=3, non-square",
        ),
        _crp_backward_case(
            rng, (2, 2, 5, 7), (3, 2, 3, 3), {"stride": 2, "pad": 2}, note="stride 2, pad 2"
        ),
    ],
    mistakes=[
        mistake(
            "skipped the ReLU in the backward pass",
            _crp_backward_no_relu,
            "every forward layer needs its backward pass: between the pool's and the "
            "convolution's, call relu_backward with the ReLU's cache.",
        ),
        mistake(
            "gated on the upstream gradient",
            _crp_backward_gate_on_dout,
            "the ReLU lets the gradient through where its *input* was positive (its cache), "
            "whatever the sign of the gradient: use relu_backward(d, relu_cache).",
        ),
        mistake(
            "spread the gradient over the whole pooling window",
            _crp_backward_spread,
            "only the maximum of each window reached the output, so only it receives the "
            "window's gradient: use max_pool_backward_fast with the pool's cache, not a copy of "
            "dout in every cell.",
        ),
    ],
    uses=("conv_relu_pool_forward",),
    driver="autograder.modules.cnn_applications:conv_relu_pool_gradients",
    outputs=("dx", "dw", "db", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "conv-relu-pool-backward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""conv_relu_pool_backward: dx, dw, db as expected and as the numerical gradient of the forward pass."""
check("conv_relu_pool_backward", conv_relu_pool_backward, conv_relu_pool_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "13_cnn_applications",
    "conv_relu_pool_backward",
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. A three-layer convolutional network
#
# $$\text{conv} \to \text{ReLU} \to \text{2×2 max pool} \to \text{affine} \to \text{ReLU}
# \to \text{affine} \to \text{softmax}$$
#
# * The convolution has `num_filters` filters of `filter_size × filter_size` (odd), stride 1 and
#   padding `(filter_size - 1) // 2`, which keeps the maps `H × W` ("same" padding); the pool is
#   2×2 with stride 2, so the maps become `H/2 × W/2` (H and W are even).
# * `self.params` holds `W1` `(F, C, fs, fs)`, `b1` `(F,)`, `W2` `(F·H/2·W/2, hidden_dim)`,
#   `b2` `(hidden_dim,)`, `W3` `(hidden_dim, num_classes)`, `b3` `(num_classes,)`. The first
#   affine layer flattens the pooled maps with `reshape(N, -1)`, as `affine_forward` does.
# * Weights start as `weight_scale` times standard normal draws from
#   `np.random.default_rng(seed)`, biases at zero.
# * `loss(X)` returns the scores `(N, num_classes)`; `loss(X, y)` returns `(loss, grads)`: the
#   mean softmax loss over the batch plus module 09's L2 penalty on the **weights**
#   $\tfrac12\,\text{reg}\,(\lVert W_1\rVert^2 + \lVert W_2\rVert^2 + \lVert W_3\rVert^2)$, never on
#   the biases; `grads[k]` has the shape of `self.params[k]`.
# * `loss` reads `self.params` and `self.reg` at every call (a trainer changes them in place).
#
# ### Exercise 3: `ThreeLayerConvNet` (5 points)
#
# Fill in `__init__` and `loss`, calling your `conv_relu_pool_forward`/`backward` and the given
# `affine_*`, `relu_*` and `softmax_loss`.


# %% nbgrader={"grade": false, "grade_id": "three-layer-conv-net", "locked": false, "schema_version": 3, "solution": true}
class ThreeLayerConvNet:
    """conv - relu - 2x2 max pool - affine - relu - affine - softmax."""

    def __init__(
        self,
        input_dim=(1, 8, 8),
        num_filters=16,
        filter_size=3,
        hidden_dim=64,
        num_classes=10,
        weight_scale=1e-2,
        reg=0.0,
        seed=0,
    ):
        """input_dim: (C, H, W) with H and W even; filter_size odd; weights drawn from
        np.random.default_rng(seed), scaled by weight_scale; biases zero."""
        self.reg = reg
        self.params = {}
        ### BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        channels, height, width = input_dim
        pooled = num_filters * (height // 2) * (width // 2)
        self.params["W1"] = weight_scale * rng.normal(
            size=(num_filters, channels, filter_size, filter_size)
        )
        self.params["b1"] = np.zeros(num_filters)
        self.params["W2"] = weight_scale * rng.normal(size=(pooled, hidden_dim))
        self.params["b2"] = np.zeros(hidden_dim)
        self.params["W3"] = weight_scale * rng.normal(size=(hidden_dim, num_classes))
        self.params["b3"] = np.zeros(num_classes)
        ### END SOLUTION

    def loss(self, X, y=None):
        """Scores, or the loss and its gradients.

        X: (N, C, H, W) images; y: (N,) labels, or None.
        Returns scores (N, num_classes) if y is None, else (loss, grads) where grads[name] has
        the shape of self.params[name].
        """
        ### BEGIN SOLUTION
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]
        conv_param = {"stride": 1, "pad": (W1.shape[2] - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        pooled, pool_cache = conv_relu_pool_forward(X, W1, b1, conv_param, pool_param)
        hidden, hidden_cache = affine_forward(pooled, W2, b2)
        active, active_cache = relu_forward(hidden)
        scores, scores_cache = affine_forward(active, W3, b3)
        if y is None:
            return scores

        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * sum(np.sum(W * W) for W in (W1, W2, W3))
        grads = {}
        dactive, grads["W3"], grads["b3"] = affine_backward(dscores, scores_cache)
        dhidden = relu_backward(dactive, active_cache)
        dpooled, grads["W2"], grads["b2"] = affine_backward(dhidden, hidden_cache)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, pool_cache)
        for name in ("W1", "W2", "W3"):
            grads[name] = grads[name] + self.reg * self.params[name]
        return float(loss), grads
        ### END SOLUTION


# %% tags=["spec"]
def _convnet_case(rng, input_dim, num_filters, filter_size, hidden_dim, num_classes, n, reg, note):
    c, h, w = input_dim
    params = {
        "W1": rng.normal(size=(num_filters, c, filter_size, filter_size)),
        "b1": 0.5 * rng.normal(size=num_filters),
        "W2": 0.5 * rng.normal(size=(num_filters * (h // 2) * (w // 2), hidden_dim)),
        "b2": 0.5 * rng.normal(size=hidden_dim),
        "W3": rng.normal(size=(hidden_dim, num_classes)),
        "b3": 0.5 * rng.normal(size=num_classes),
    }
    X = rng.normal(size=(n, *input_dim))
    y = rng.integers(0, num_classes, size=n)
    return case(
        params,
        X,
        y,
        reg,
        input_dim=tuple(input_dim),
        num_filters=num_filters,
        filter_size=filter_size,
        hidden_dim=hidden_dim,
        num_classes=num_classes,
        weight_scale=0.1,
        seed=0,
        note=note,
    )


class _ConvNetRegOnBiases(ThreeLayerConvNet):
    def loss(self, X, y=None):
        if y is None:
            return super().loss(X)
        reg, self.reg = self.reg, 0.0
        loss, grads = super().loss(X, y)
        self.reg = reg
        for name, value in self.params.items():
            loss += 0.5 * reg * np.sum(value * value)
            grads[name] = grads[name] + reg * value
        return loss, grads


class _ConvNetNoHiddenRelu(ThreeLayerConvNet):
    def loss(self, X, y=None):
        p = self.params
        conv_param = {"stride": 1, "pad": (p["W1"].shape[2] - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        pooled, pool_cache = conv_relu_pool_forward(X, p["W1"], p["b1"], conv_param, pool_param)
        hidden, hidden_cache = affine_forward(pooled, p["W2"], p["b2"])
        scores, scores_cache = affine_forward(hidden, p["W3"], p["b3"])
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * sum(np.sum(p[k] ** 2) for k in ("W1", "W2", "W3"))
        grads = {}
        dhidden, grads["W3"], grads["b3"] = affine_backward(dscores, scores_cache)
        dpooled, grads["W2"], grads["b2"] = affine_backward(dhidden, hidden_cache)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, pool_cache)
        for k in ("W1", "W2", "W3"):
            grads[k] = grads[k] + self.reg * p[k]
        return loss, grads


class _ConvNetChannelsLast(ThreeLayerConvNet):
    def loss(self, X, y=None):
        p = self.params
        conv_param = {"stride": 1, "pad": (p["W1"].shape[2] - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        pooled, pool_cache = conv_relu_pool_forward(X, p["W1"], p["b1"], conv_param, pool_param)
        last = pooled.transpose(0, 2, 3, 1)  # (N, H, W, F), then flattened
        hidden, hidden_cache = affine_forward(last, p["W2"], p["b2"])
        active, active_cache = relu_forward(hidden)
        scores, scores_cache = affine_forward(active, p["W3"], p["b3"])
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * sum(np.sum(p[k] ** 2) for k in ("W1", "W2", "W3"))
        grads = {}
        dactive, grads["W3"], grads["b3"] = affine_backward(dscores, scores_cache)
        dlast, grads["W2"], grads["b2"] = affine_backward(
            relu_backward(dactive, active_cache), hidden_cache
        )
        dpooled = dlast.transpose(0, 3, 1, 2)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, pool_cache)
        for k in ("W1", "W2", "W3"):
            grads[k] = grads[k] + self.reg * p[k]
        return loss, grads


_convnet_rng = np.random.default_rng(17)
exercise(
    "ThreeLayerConvNet",
    public=[
        _convnet_case(_convnet_rng, (1, 4, 4), 2, 3, 5, 3, 3, 0.0, "1x4x4 images, F=2, reg 0"),
        _convnet_case(_convnet_rng, (2, 4, 6), 3, 3, 4, 3, 2, 0.1, "2x4x6 images, F=3, reg 0.1"),
        _convnet_case(
            _convnet_rng, (1, 6, 4), 2, 5, 4, 4, 2, 0.05, "5x5 filters (pad 2), reg 0.05"
        ),
    ],
    hidden=lambda rng: [
        _convnet_case(rng, (1, 4, 4), 2, 3, 3, 3, 1, 0.2, "a batch of one, reg 0.2"),
        _convnet_case(rng, (3, 4, 6), 2, 3, 4, 5, 3, 0.0, "C=3, non-square, reg 0"),
        _convnet_case(rng, (1, 6, 4), 3, 5, 3, 4, 2, 0.1, "5x5 filters, non-square, reg 0.1"),
    ],
    mistakes=[
        mistake(
            "L2 penalty on the biases too",
            _ConvNetRegOnBiases,
            "the penalty 0.5 * reg * sum(W**2) is on W1, W2 and W3 only: biases are not "
            "penalised (module 09), in the loss or in their gradients.",
        ),
        mistake(
            "no ReLU after the hidden affine layer",
            _ConvNetNoHiddenRelu,
            "the architecture is ... - affine - relu - affine: without the ReLU, two affine "
            "layers collapse into one. Add relu_forward after the first affine layer and "
            "relu_backward in the backward pass.",
        ),
        mistake(
            "flattened the pooled maps channels-last",
            _ConvNetChannelsLast,
            "W2's rows follow pooled.reshape(N, -1) of the (N, F, H/2, W/2) maps: pass the "
            "pooled maps to affine_forward as they are, without a transpose.",
        ),
    ],
    uses=("conv_relu_pool_forward", "conv_relu_pool_backward"),
    driver="autograder.modules.cnn_applications:conv_net_loss",
    harmless={
        "(W1.shape[2] - 1) / 2": "not harmless but out of the check's reach: a pad of 1.0 "
        "for 1 reaches layers answered from their record, which compares numbers by value "
        "(replay), so 1.0 is 1 there; a learner whose own layer refuses a float pad sees it "
        "fail in the training cell",
    },
    outputs=("initial parameters", "scores", "loss", "grads", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "three-layer-conv-net-tests", "locked": true, "points": 5, "schema_version": 3, "solution": false}
"""ThreeLayerConvNet: parameter shapes, scores, loss with L2 on the weights, and gradients."""
check("ThreeLayerConvNet", ThreeLayerConvNet, conv_relu_pool_forward, conv_relu_pool_backward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "13_cnn_applications",
    "ThreeLayerConvNet",
    ThreeLayerConvNet,
    conv_relu_pool_forward,
    conv_relu_pool_backward,
)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Training it on the digits
#
# The trainer is module 07's: mini-batches of 32, gradient descent with momentum, and a learning
# rate that shrinks by 10% after each epoch. Twenty epochs take a few seconds. (`augment`, used
# in section 9, may change each batch of images before the step.)

# %% tags=["lib"]
CNN_CONFIG = {"num_filters": 16, "filter_size": 3, "hidden_dim": 64, "weight_scale": 0.1, "seed": 0}
TRAIN_CONFIG = {"num_epochs": 20, "batch_size": 32, "learning_rate": 0.05, "decay": 0.9}


def accuracy(model, X, y, batch_size=500):
    """Share of examples whose highest score is the true class."""
    hits = [
        np.argmax(model.loss(X[i : i + batch_size]), axis=1) == y[i : i + batch_size]
        for i in range(0, len(X), batch_size)
    ]
    return float(np.mean(np.concatenate(hits)))


def train(
    model,
    X,
    y,
    X_val,
    y_val,
    num_epochs=20,
    batch_size=32,
    learning_rate=0.05,
    momentum=0.9,
    decay=0.9,
    augment=None,
    seed=0,
    progress=True,
    desc="training",
):
    """Mini-batch SGD with momentum; returns the history of losses and accuracies.

    augment: None, or a function (images, rng) -> images applied to each mini-batch.
    """
    rng = np.random.default_rng(seed)
    velocity = {name: np.zeros_like(value) for name, value in model.params.items()}
    history = {"loss": [], "train_acc": [], "val_acc": []}
    epochs = tqdm(range(num_epochs), desc=desc, disable=not progress)
    for _ in epochs:
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            images = X[batch] if augment is None else augment(X[batch], rng)
            loss, grads = model.loss(images, y[batch])
            for name in model.params:
                velocity[name] = momentum * velocity[name] - learning_rate * grads[name]
                model.params[name] += velocity[name]
            history["loss"].append(loss)
        learning_rate *= decay
        history["train_acc"].append(accuracy(model, X, y))
        history["val_acc"].append(accuracy(model, X_val, y_val))
        epochs.set_postfix(loss=f"{loss:.3f}", test_acc=f"{history['val_acc'][-1]:.3f}")
    return history


# %%
needs("ThreeLayerConvNet")
model = ThreeLayerConvNet(**CNN_CONFIG)
start = time.process_time()
history = train(model, X_train, y_train, X_test, y_test, **TRAIN_CONFIG)
seconds = time.process_time() - start
test_accuracy = accuracy(model, X_test, y_test)
print(f"trained in {seconds:.1f} s of CPU time, test accuracy: {test_accuracy:.3f}")
assert test_accuracy >= 0.98, (
    "the convolutional network should read at least 98% of the test digits"
)

# %%
needs("ThreeLayerConvNet")
steps_per_epoch = int(np.ceil(len(X_train) / TRAIN_CONFIG["batch_size"]))
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3))
ax_loss.plot(np.arange(len(history["loss"])) / steps_per_epoch, history["loss"], lw=0.7)
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("mini-batch loss")
ax_loss.set_yscale("log")
epochs_axis = np.arange(1, len(history["val_acc"]) + 1)
ax_acc.plot(epochs_axis, history["train_acc"], "o-", label="train")
ax_acc.plot(epochs_axis, history["val_acc"], "o-", label="test")
ax_acc.axhline(0.98, color="gray", lw=0.8, ls="--")
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("accuracy")
ax_acc.set_ylim(0.9, 1.001)
ax_acc.legend()
plt.show()

# %% [markdown]
# Module 07's fully connected network read about 97% of these test digits; this one reads over
# 98%, and its first layer is 16 filters of 9 weights (144 numbers, where module 07's first
# layer had 6,400). The convolution bakes in two facts about images: nearby pixels belong
# together, and a stroke means the same thing wherever it is.

# %% [markdown]
# ## 6. What did it learn? Filters and feature maps
#
# Each of the 16 filters is a 3×3 pattern of weights; the convolution reports, at every
# position, how well the neighbourhood matches it. Blue weights reward ink, red ones punish it:
# most filters are small edge and stroke detectors (ink on one side, none on the other).

# %%
needs("ThreeLayerConvNet")
filters = model.params["W1"][:, 0]
limit = np.abs(filters).max()
fig, axes = plt.subplots(2, 8, figsize=(9, 2.4))
for k, ax in enumerate(axes.ravel()):
    ax.imshow(filters[k], cmap="RdBu", vmin=-limit, vmax=limit)
    ax.set_title(f"filter {k}", fontsize=8)
    ax.axis("off")
fig.suptitle("the 16 learned 3x3 filters of W1")
plt.show()

# %% [markdown]
# The **feature maps** of one test digit: the ReLU of each filter's response (8×8), and the 4×4
# maps the pool keeps. Each map lights up where its filter's stroke appears: a map for the
# digit's left edges, one for its top, and so on. The affine layers read the digit from these.

# %%
needs("conv_relu_pool_forward", "ThreeLayerConvNet")
digit_index = int(np.flatnonzero(y_test == 4)[0])
one_digit = X_test[digit_index : digit_index + 1]
same_pad = {"stride": 1, "pad": 1}
responses, _ = conv_forward_fast(one_digit, model.params["W1"], model.params["b1"], same_pad)
maps = np.maximum(responses, 0)[0]
pooled_maps, _ = conv_relu_pool_forward(
    one_digit, model.params["W1"], model.params["b1"], same_pad, POOL_2X2
)
fig, axes = plt.subplots(3, 9, figsize=(11, 4))
axes[0, 0].imshow(one_digit[0, 0], cmap="gray_r")
axes[0, 0].set_title("input")
for row in range(3):
    for col in range(9):
        axes[row, col].axis("off")
for k in range(16):
    ax_map = axes[1 + k // 8, 1 + k % 8]
    ax_map.imshow(maps[k], cmap="viridis")
    ax_map.set_title(f"map {k}", fontsize=7)
for k in range(8):
    axes[0, 1 + k].imshow(pooled_maps[0, k], cmap="viridis")
    axes[0, 1 + k].set_title(f"pooled {k}", fontsize=7)
fig.suptitle("top: the first 8 pooled 4x4 maps; below: all 16 ReLU maps (8x8)")
plt.show()

# %% [markdown]
# ## 7. Which pixels decide? A saliency map
#
# The backward passes you wrote give the gradient of the loss with respect to the *parameters*;
# they give the gradient with respect to the *input* too (the `dx` that the network throws
# away). Set the upstream gradient to 1 on one class's score and 0 elsewhere, run the backward
# passes, and $\partial s_c / \partial x$ says how each pixel would move that class's score: the
# pixels with the largest $|\partial s_c / \partial x|$ are the ones the network looks at
# (Simonyan et al., 2014).


# %%
needs("conv_relu_pool_forward", "conv_relu_pool_backward", "ThreeLayerConvNet")


def saliency(net, images, classes):
    """d score[class] / d image for each image, through the network's own backward passes."""
    p = net.params
    conv_param = {"stride": 1, "pad": (p["W1"].shape[2] - 1) // 2}
    features, feature_cache = conv_relu_pool_forward(images, p["W1"], p["b1"], conv_param, POOL_2X2)
    hidden, hidden_cache = affine_forward(features, p["W2"], p["b2"])
    hidden_out, hidden_relu_cache = relu_forward(hidden)
    class_scores, out_cache = affine_forward(hidden_out, p["W3"], p["b3"])
    upstream = np.zeros_like(class_scores)
    upstream[np.arange(len(images)), classes] = 1.0
    d_hidden_out = affine_backward(upstream, out_cache)[0]
    d_features = affine_backward(relu_backward(d_hidden_out, hidden_relu_cache), hidden_cache)[0]
    return conv_relu_pool_backward(d_features, feature_cache)[0]


chosen = np.array([int(np.flatnonzero(y_test == d)[0]) for d in range(10)])
gradients = saliency(model, X_test[chosen], y_test[chosen])
fig, axes = plt.subplots(2, 10, figsize=(11, 2.6))
for k, i in enumerate(chosen):
    axes[0, k].imshow(X_test[i, 0], cmap="gray_r")
    axes[0, k].set_title(str(y_test[i]))
    axes[1, k].imshow(np.abs(gradients[k, 0]), cmap="hot")
    for ax in axes[:, k]:
        ax.axis("off")
fig.suptitle("digits (top) and |d score of their class / d pixel| (bottom)")
plt.show()

# %% [markdown]
# The bright pixels are mostly on and around the strokes that tell a digit from its neighbours:
# the gap that makes a 4 not a 9, the bar across a 7. A saliency map is a cheap first look
# inside a network; it is noisy, and it only says what *locally* moves a score.

# %% [markdown]
# ## 8. Residual blocks: depth without vanishing gradients
#
# Stacking more conv layers should never hurt: the extra layers could learn to copy their input.
# In practice plain deep networks train *worse* than shallow ones, because the gradient that
# reaches the first layers is a product of many small factors (module 09) and fades away. He
# et al. (2015) gave each pair of layers a **skip connection**: the block computes a correction
# $F(x)$ that is *added* to its input,
#
# $$\text{out} = \text{ReLU}\big(x + \text{conv}_2(\text{ReLU}(\text{conv}_1(x)))\big),$$
#
# with 3×3 filters, stride 1 and padding 1, and as many filters as input channels (`C = F`), so
# that $x$ and the correction have the same shape. A block that has nothing to add can leave
# its input almost as it is (weights near 0), and in the backward pass the gradient reaches $x$
# twice: through the convolutions, and straight through the sum. Note where the final ReLU sits:
# **after** the sum, as in the paper.
#
# ### Exercise 4: `residual_block_forward` (2 points)
#
# Use `conv_forward_fast` (with `{"stride": 1, "pad": 1}`) and `relu_forward`. The cache is
# yours to design.


# %% nbgrader={"grade": false, "grade_id": "residual-block-forward", "locked": false, "schema_version": 3, "solution": true}
def residual_block_forward(x, w1, b1, w2, b2):
    """out = relu(x + conv(relu(conv(x, w1, b1)), w2, b2)), 3x3 filters, stride 1, pad 1.

    x: (N, C, H, W); w1, w2: (C, C, 3, 3); b1, b2: (C,).
    Returns out (N, C, H, W) and a cache for residual_block_backward.
    """
    ### BEGIN SOLUTION
    conv_param = {"stride": 1, "pad": 1}
    a1, conv1_cache = conv_forward_fast(x, w1, b1, conv_param)
    h, relu1_cache = relu_forward(a1)
    a2, conv2_cache = conv_forward_fast(h, w2, b2, conv_param)
    out, relu2_cache = relu_forward(x + a2)
    return out, (conv1_cache, relu1_cache, conv2_cache, relu2_cache)
    ### END SOLUTION


# %% tags=["spec"]
SAME = {"stride": 1, "pad": 1}


def _res_skip_after_relu(x, w1, b1, w2, b2):
    a1, conv1_cache = conv_forward_fast(x, w1, b1, SAME)
    h, relu1_cache = relu_forward(a1)
    a2, conv2_cache = conv_forward_fast(h, w2, b2, SAME)
    return x + relu_forward(a2)[0], (conv1_cache, relu1_cache, conv2_cache, x + a2)


def _res_no_inner_relu(x, w1, b1, w2, b2):
    a1, conv1_cache = conv_forward_fast(x, w1, b1, SAME)
    a2, conv2_cache = conv_forward_fast(a1, w2, b2, SAME)
    return relu_forward(x + a2)[0], (conv1_cache, a1, conv2_cache, x + a2)


def _res_no_final_relu(x, w1, b1, w2, b2):
    a1, conv1_cache = conv_forward_fast(x, w1, b1, SAME)
    h, relu1_cache = relu_forward(a1)
    a2, conv2_cache = conv_forward_fast(h, w2, b2, SAME)
    return x + a2, (conv1_cache, relu1_cache, conv2_cache, x + a2)


def _res_case(rng, shape, note, scale=0.5):
    c = shape[1]
    return case(
        rng.normal(size=shape),
        scale * rng.normal(size=(c, c, 3, 3)),
        scale * rng.normal(size=c),
        scale * rng.normal(size=(c, c, 3, 3)),
        scale * rng.normal(size=c),
        note=note,
    )


_res_rng = np.random.default_rng(23)
exercise(
    "residual_block_forward",
    private_cache=True,
    public=[
        case(
            np.arange(-8.0, 8.0).reshape(1, 1, 4, 4) / 4,
            np.array([[[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]]),
            np.array([0.0]),
            np.array([[[[0.0, 0.0, 0.0], [0.0, -2.0, 0.0], [0.0, 0.0, 0.0]]]]),
            np.array([0.5]),
            note="identity filters: out = relu(x - 2 relu(x) + 0.5)",
        ),
        _res_case(_res_rng, (2, 2, 4, 5), "N=2, C=2, 4x5 images"),
        _res_case(_res_rng, (1, 3, 3, 3), "C=3, 3x3 images"),
    ],
    hidden=lambda rng: [
        _res_case(rng, (1, 2, 5, 3), "a batch of one, non-square"),
        _res_case(rng, (3, 4, 4, 4), "C=4"),
        _res_case(rng, (2, 1, 6, 2), "C=1, 6x2 images", scale=1.0),
    ],
    mistakes=[
        mistake(
            "skip added after the relu",
            _res_skip_after_relu,
            "the skip joins before the last ReLU: out = relu(x + conv2(...)), not "
            "x + relu(conv2(...)). A block's output is then never negative.",
        ),
        mistake(
            "no ReLU between the convolutions",
            _res_no_inner_relu,
            "the correction is conv2(relu(conv1(x))): two convolutions with nothing between "
            "them are one convolution.",
        ),
        mistake(
            "forgot the final ReLU",
            _res_no_final_relu,
            "after adding the skip, apply relu_forward to the sum x + conv2(...).",
        ),
    ],
    driver="autograder.modules.deep_network:layer_forward",
    outputs=("returns", "out", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "residual-block-forward-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""residual_block_forward: relu(x + conv(relu(conv(x)))) with same padding; returns (out, cache)."""
check("residual_block_forward", residual_block_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("13_cnn_applications", "residual_block_forward", residual_block_forward)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5: `residual_block_backward` (4 points)
#
# Walk the block backwards: the final ReLU, then the sum, whose gradient goes *both* into the
# second convolution and straight to `x`; then the second convolution, the inner ReLU, the first
# convolution. `dx` adds the two paths. Return `(dx, dw1, db1, dw2, db2)`.


# %% nbgrader={"grade": false, "grade_id": "residual-block-backward", "locked": false, "schema_version": 3, "solution": true}
def residual_block_backward(dout, cache):
    """Backward pass of residual_block_forward.

    dout: (N, C, H, W); cache: from residual_block_forward.
    Returns dx (N, C, H, W), dw1 (C, C, 3, 3), db1 (C,), dw2 (C, C, 3, 3), db2 (C,).
    """
    ### BEGIN SOLUTION
    conv1_cache, relu1_cache, conv2_cache, relu2_cache = cache
    dsum = relu_backward(dout, relu2_cache)
    dh, dw2, db2 = conv_backward_fast(dsum, conv2_cache)
    da1 = relu_backward(dh, relu1_cache)
    dx_conv, dw1, db1 = conv_backward_fast(da1, conv1_cache)
    return dx_conv + dsum, dw1, db1, dw2, db2
    ### END SOLUTION


# %% tags=["spec"]
def _res_backward_paths(dout, cache, gate_skip=True, inner_relu=True):
    conv1_cache, relu1_cache, conv2_cache, relu2_cache = cache
    dsum = relu_backward(dout, relu2_cache)
    dh, dw2, db2 = conv_backward_fast(dsum, conv2_cache)
    da1 = relu_backward(dh, relu1_cache) if inner_relu else dh
    dx_conv, dw1, db1 = conv_backward_fast(da1, conv1_cache)
    return dx_conv, dsum if gate_skip else dout, dw1, db1, dw2, db2


def _res_backward_no_skip(dout, cache):
    dx_conv, _, dw1, db1, dw2, db2 = _res_backward_paths(dout, cache)
    return dx_conv, dw1, db1, dw2, db2


def _res_backward_ungated_skip(dout, cache):
    dx_conv, skip, dw1, db1, dw2, db2 = _res_backward_paths(dout, cache, gate_skip=False)
    return dx_conv + skip, dw1, db1, dw2, db2


def _res_backward_no_inner_relu(dout, cache):
    dx_conv, skip, dw1, db1, dw2, db2 = _res_backward_paths(dout, cache, inner_relu=False)
    return dx_conv + skip, dw1, db1, dw2, db2


def _res_backward_case(rng, shape, note, scale=0.5):
    forward = _res_case(rng, shape, note, scale)
    return case(*forward.args, rng.normal(size=shape), note=note)


_resb_rng = np.random.default_rng(29)
exercise(
    "residual_block_backward",
    public=[
        _res_backward_case(_resb_rng, (2, 1, 4, 4), "N=2, C=1, 4x4 images"),
        _res_backward_case(_resb_rng, (1, 2, 3, 5), "C=2, 3x5 images"),
        _res_backward_case(_resb_rng, (2, 3, 3, 3), "C=3, 3x3 images"),
    ],
    hidden=lambda rng: [
        _res_backward_case(rng, (1, 2, 4, 3), "a batch of one, non-square"),
        _res_backward_case(rng, (2, 3, 4, 4), "C=3"),
        _res_backward_case(rng, (3, 1, 2, 5), "C=1, 2x5 images", scale=1.0),
    ],
    mistakes=[
        mistake(
            "forgot the skip's gradient",
            _res_backward_no_skip,
            "x reaches the output twice, through the convolutions and through the sum: dx is "
            "the convolutions' dx plus the gradient of the sum (after the final ReLU's gate).",
        ),
        mistake(
            "skip gradient not gated by the final ReLU",
            _res_backward_ungated_skip,
            "the skip joins before the final ReLU, so its gradient is relu_backward(dout, ...) "
            "as for the convolution path, not dout itself.",
        ),
        mistake(
            "skipped the inner ReLU in the backward pass",
            _res_backward_no_inner_relu,
            "between the two convolutions' backward passes comes the inner ReLU's: "
            "relu_backward with its cache.",
        ),
    ],
    uses=("residual_block_forward",),
    driver="autograder.modules.cnn_applications:residual_gradients",
    outputs=("dx", "dw1", "db1", "dw2", "db2", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "residual-block-backward-tests", "locked": true, "points": 4, "schema_version": 3, "solution": false}
"""residual_block_backward: the five gradients, both paths into dx, and the numerical check."""
check("residual_block_backward", residual_block_backward, residual_block_forward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "13_cnn_applications",
    "residual_block_backward",
    residual_block_backward,
    residual_block_forward,
)
### END HIDDEN TESTS

# %% [markdown]
# ### A deep plain network against a deep residual one
#
# Two networks of the same depth on the digits: a first convolution to 4 channels, then 8
# blocks of two 3×3 convolutions (16 more conv layers), then an affine layer to the 10 scores.
# The **plain** blocks are `relu(conv(relu(conv(x))))`; the **residual** ones are your
# `residual_block_forward`. Both start from the same small weights. First, the gradient norm of
# every conv layer's weights on one batch, before any training:

# %%
needs(
    "conv_relu_pool_forward",
    "conv_relu_pool_backward",
    "ThreeLayerConvNet",
    "residual_block_forward",
    "residual_block_backward",
)
DEPTH, WIDTH = 8, 4
SAME_PADDING = {"stride": 1, "pad": 1}


def deep_init(seed=0, scale=0.1):
    rng = np.random.default_rng(seed)
    params = {"W0": np.sqrt(2 / 9) * rng.normal(size=(WIDTH, 1, 3, 3)), "b0": np.zeros(WIDTH)}
    for k in range(1, 2 * DEPTH + 1):
        params[f"W{k}"] = scale * rng.normal(size=(WIDTH, WIDTH, 3, 3))
        params[f"b{k}"] = np.zeros(WIDTH)
    params["Wout"] = 0.05 * rng.normal(size=(WIDTH * 64, 10))
    params["bout"] = np.zeros(10)
    return params


def plain_block(x, w1, b1, w2, b2):
    first, first_cache = conv_forward_fast(x, w1, b1, SAME_PADDING)
    middle, middle_cache = relu_forward(first)
    second, second_cache = conv_forward_fast(middle, w2, b2, SAME_PADDING)
    out, out_cache = relu_forward(second)
    return out, (first_cache, middle_cache, second_cache, out_cache)


def plain_block_backward(dout, cache):
    first_cache, middle_cache, second_cache, out_cache = cache
    dmiddle, dw2, db2 = conv_backward_fast(relu_backward(dout, out_cache), second_cache)
    dx, dw1, db1 = conv_backward_fast(relu_backward(dmiddle, middle_cache), first_cache)
    return dx, dw1, db1, dw2, db2


def deep_loss(params, X, y, residual):
    forward = residual_block_forward if residual else plain_block
    backward = residual_block_backward if residual else plain_block_backward
    stem, stem_conv = conv_forward_fast(X, params["W0"], params["b0"], SAME_PADDING)
    h, stem_relu = relu_forward(stem)
    caches = []
    for k in range(1, 2 * DEPTH, 2):
        h, cache = forward(
            h, params[f"W{k}"], params[f"b{k}"], params[f"W{k + 1}"], params[f"b{k + 1}"]
        )
        caches.append(cache)
    scores, out_cache = affine_forward(h, params["Wout"], params["bout"])
    loss, dscores = softmax_loss(scores, y)
    grads = {}
    dh, grads["Wout"], grads["bout"] = affine_backward(dscores, out_cache)
    for k, cache in zip(range(2 * DEPTH - 1, 0, -2), reversed(caches)):
        dh, grads[f"W{k}"], grads[f"b{k}"], grads[f"W{k + 1}"], grads[f"b{k + 1}"] = backward(
            dh, cache
        )
    _, grads["W0"], grads["b0"] = conv_backward_fast(relu_backward(dh, stem_relu), stem_conv)
    return loss, grads


batch = np.random.default_rng(1).choice(len(X_train), 64, replace=False)
norms = {}
for residual in (False, True):
    _, grads = deep_loss(deep_init(), X_train[batch], y_train[batch], residual)
    norms[residual] = [np.linalg.norm(grads[f"W{k}"]) for k in range(2 * DEPTH + 1)]
plt.figure(figsize=(7, 3))
plt.semilogy(norms[False], "o-", label="plain")
plt.semilogy(norms[True], "o-", label="residual")
plt.xlabel("conv layer (0 = nearest the input)")
plt.ylabel("|dL/dW| at initialisation")
plt.legend()
plt.show()

# %% [markdown]
# In the plain network every conv layer multiplies its input by small weights, and after 16 of
# them the signal has all but vanished, and with it every gradient: about a million times
# smaller than in the residual network, at every layer. The residual blocks start close to the
# identity (their corrections are small), so the skips carry the signal up and the gradient
# down intact. Now train both, three epochs on 600 digits with the same settings:


# %%
needs(
    "conv_relu_pool_forward",
    "conv_relu_pool_backward",
    "ThreeLayerConvNet",
    "residual_block_forward",
    "residual_block_backward",
)


def train_deep(residual, num_epochs=3, learning_rate=0.05, batch_size=32, seed=0):
    params = deep_init()
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    rng = np.random.default_rng(seed)
    losses = []
    subset = np.arange(600)
    name = "residual" if residual else "plain"
    for _ in tqdm(range(num_epochs), desc=f"{name} net"):
        order = rng.permutation(subset)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            loss, grads = deep_loss(params, X_train[rows], y_train[rows], residual)
            for k in params:
                velocity[k] = 0.9 * velocity[k] - learning_rate * grads[k]
                params[k] += velocity[k]
            losses.append(loss)
    return losses


deep_losses = {residual: train_deep(residual) for residual in (False, True)}
plt.figure(figsize=(7, 3))
plt.plot(deep_losses[False], label="plain, 17 conv layers")
plt.plot(deep_losses[True], label="residual, 17 conv layers")
plt.xlabel("step")
plt.ylabel("mini-batch loss")
plt.legend()
plt.show()

# %% [markdown]
# Same depth, same weights at the start, same data: the residual network learns and the plain
# one struggles to leave the loss of a guess, $\log 10 \approx 2.3$. That is why every deep
# vision network since 2015 is built from blocks with skips.

# %% [markdown]
# ## 9. Data augmentation: shifted digits
#
# A convolution responds to a stroke wherever it is, but the affine layers after the pool do not:
# they learned *where* the pooled features sit in the training images. Move a test digit by a
# pixel or two and the network can misread it. **Data augmentation** shows the network
# transformed copies of its training images (shifted, flipped, rotated, recoloured, whatever
# should not change the label), so that it learns to ignore the transformation.
#
# ### Exercise 6: `shift_images` (2 points)
#
# Shift every image of `images` (N, H, W) by `dy` whole pixels down and `dx` right (negative
# values: up and left). Pixels shifted out of the image are lost, pixels left empty are 0: no
# wrap-around. `dy` or `dx` may be 0, and as large as the image (then everything is gone).
# Return a new array of the same shape and dtype; leave `images` unchanged. For example, with
# `dy=1, dx=0`, `[[1, 2], [3, 4]]` becomes `[[0, 0], [1, 2]]`.


# %% nbgrader={"grade": false, "grade_id": "shift-images", "locked": false, "schema_version": 3, "solution": true}
def shift_images(images, dy, dx):
    """Shift images by whole pixels, filling with zeros.

    images: (N, H, W); dy: rows down (negative: up); dx: columns right (negative: left).
    Returns the shifted images, (N, H, W), same dtype.
    """
    ### BEGIN SOLUTION
    height, width = images.shape[1:]
    out = np.zeros_like(images)
    if abs(dy) >= height or abs(dx) >= width:
        return out
    rows_to = slice(max(dy, 0), height + min(dy, 0))
    rows_from = slice(max(-dy, 0), height - max(dy, 0))
    cols_to = slice(max(dx, 0), width + min(dx, 0))
    cols_from = slice(max(-dx, 0), width - max(dx, 0))
    out[:, rows_to, cols_to] = images[:, rows_from, cols_from]
    return out
    ### END SOLUTION


# %% tags=["spec"]
def _shift_roll(images, dy, dx):
    return np.roll(images, (dy, dx), axis=(1, 2))


def _shift_slices(images, dy, dx):
    out = np.zeros_like(images)
    h, w = images.shape[1:]
    for i in range(h):
        for j in range(w):
            if 0 <= i - dy < h and 0 <= j - dx < w:
                out[:, i, j] = images[:, i - dy, j - dx]
    return out


def _shift_swapped_axes(images, dy, dx):
    return _shift_slices(images.transpose(0, 2, 1), dy, dx).transpose(0, 2, 1)


def _shift_opposite(images, dy, dx):
    return _shift_slices(images, -dy, -dx)


_shift_image = np.arange(1.0, 13.0).reshape(1, 3, 4)
exercise(
    "shift_images",
    public=[
        case(np.array([[[1.0, 2.0], [3.0, 4.0]]]), 1, 0, note="the example: one row down"),
        case(_shift_image, 0, 1, note="one column right, 3x4 image"),
        case(_shift_image, -1, 2, note="up 1, right 2"),
        case(
            np.stack([_shift_image[0], -_shift_image[0]]), 2, -3, note="two images, down 2, left 3"
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 5, 3)), 1, -1, note="a batch of one"),
        case(rng.normal(size=(4, 6, 7)), -2, 0, note="up 2"),
        case(rng.normal(size=(2, 4, 4)), 3, 2, note="down 3, right 2"),
        case(rng.normal(size=(3, 5, 6)), 0, -4, note="left 4"),
        case(rng.normal(size=(2, 3, 3)), 3, 0, note="a shift as large as the image"),
    ],
    mistakes=[
        mistake(
            "wrapped around (np.roll)",
            _shift_roll,
            "np.roll brings the pixels that leave one side back on the other; here they are "
            "lost and the vacated pixels are 0. Start from np.zeros_like(images) and copy the "
            "overlapping part with slices.",
        ),
        mistake(
            "dy and dx swapped",
            _shift_swapped_axes,
            "images are (N, H, W): dy moves along axis 1 (rows, down), dx along axis 2 "
            "(columns, right).",
        ),
        mistake(
            "shifted the opposite way",
            _shift_opposite,
            "a positive dy moves the content down: out[:, i, j] = images[:, i - dy, j - dx].",
        ),
    ],
    driver="autograder.modules.cnn_applications:call_unchanged",
    outputs=("shifted images", "input left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "shift-images-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""shift_images: whole-pixel shifts down/right, zeros where pixels left, no wrap-around."""
check("shift_images", shift_images)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("13_cnn_applications", "shift_images", shift_images)
### END HIDDEN TESTS

# %% [markdown]
# Train the same network again, this time on shifted copies: every image of every mini-batch
# moves by its own random `dy` and `dx` between -1 and 1, so that the network never sees the
# same batch twice.


# %%
needs("conv_relu_pool_forward", "conv_relu_pool_backward", "ThreeLayerConvNet", "shift_images")


def random_shifts(images, rng):
    moves = rng.integers(-1, 2, size=(len(images), 2))
    moved = [
        shift_images(images[i : i + 1, 0], int(dy), int(dx)) for i, (dy, dx) in enumerate(moves)
    ]
    return np.concatenate(moved)[:, None]


augmented = ThreeLayerConvNet(**CNN_CONFIG)
augmented_history = train(
    augmented,
    X_train,
    y_train,
    X_test,
    y_test,
    augment=random_shifts,
    desc="with shifts",
    **TRAIN_CONFIG,
)
print(
    f"test accuracy: {accuracy(model, X_test, y_test):.3f} without augmentation, "
    f"{accuracy(augmented, X_test, y_test):.3f} with shifts"
)

# %% [markdown]
# On the test images as they are, the two networks read about as well. The difference shows
# when the test digits move. Below, each cell is the test accuracy when every test digit is
# shifted by (dy, dx). Move the sliders to see a shifted digit and both networks' accuracy on
# that shift: by one pixel, the network trained on shifted copies keeps reading and the other
# loses many digits; by two pixels, a shift neither was shown, both fail. Augmentation teaches
# the invariances it shows, no more.

# %%
needs("conv_relu_pool_forward", "conv_relu_pool_backward", "ThreeLayerConvNet", "shift_images")
shifts = range(-2, 3)
shifted_accuracy = {
    name: np.array(
        [
            [accuracy(net, shift_images(X_test[:, 0], dy, dx)[:, None], y_test) for dx in shifts]
            for dy in shifts
        ]
    )
    for name, net in (("plain training", model), ("with shifts", augmented))
}


def show_shift(dy=1, dx=0):
    moved = shift_images(X_test[:, 0], dy, dx)
    fig, axes = plt.subplots(
        1, 4, figsize=(12, 2.8), gridspec_kw={"width_ratios": [1, 1, 1.4, 1.4]}
    )
    for ax, i in zip(axes[:2], (0, 1)):
        ax.imshow(moved[i], cmap="gray_r")
        ax.set_title(f"test digit {y_test[i]}, shifted ({dy}, {dx})", fontsize=8)
        ax.axis("off")
    for ax, (name, grid) in zip(axes[2:], shifted_accuracy.items()):
        ax.imshow(grid, vmin=0, vmax=1, cmap="RdYlGn", extent=(-2.5, 2.5, 2.5, -2.5))
        for r, sy in enumerate(shifts):
            for c, sx in enumerate(shifts):
                ax.text(sx, sy, f"{grid[r, c]:.2f}", ha="center", va="center", fontsize=7)
        ax.add_patch(Rectangle((dx - 0.5, dy - 0.5), 1, 1, fill=False, lw=2.5))
        ax.set_title(f"{name}: {grid[dy + 2, dx + 2]:.3f}", fontsize=9)
        ax.set_xlabel("dx")
        ax.set_ylabel("dy")
    plt.show()


shift_viewer = widgets.interact(
    show_shift,
    dy=widgets.IntSlider(1, -2, 2, description="dy (down)"),
    dx=widgets.IntSlider(0, -2, 2, description="dx (right)"),
)

# %% [markdown]
# ## 10. Detection: intersection over union and non-max suppression
#
# An object detector (YOLO, Faster R-CNN) slides a classifier like yours over many positions and
# sizes and outputs **boxes** with scores, a great many of them around each object. Two tools
# turn them into one box per object.
#
# The **intersection over union** of two boxes measures how much they agree: the area of their
# overlap divided by the area they cover together, from 0 (disjoint) to 1 (the same box).
# A box is `(x1, y1, x2, y2)`, its top-left and bottom-right corners, in continuous coordinates
# (a box from 0 to 2 is 2 wide, no "+1"), with `x1 < x2` and `y1 < y2`. The overlap of two boxes
# runs from the larger of their left edges to the smaller of their right edges; when that is
# negative they do not overlap at all in x, and likewise in y.
#
# ### Exercise 7: `iou` (2 points)
#
# Return the IoU of two boxes as a float; 0 when they do not overlap (touching edges included).
# For example `iou((0, 0, 2, 2), (1, 1, 3, 3))` is `1 / 7`: an overlap of 1 over 4 + 4 - 1.


# %% nbgrader={"grade": false, "grade_id": "iou", "locked": false, "schema_version": 3, "solution": true}
def iou(box_a, box_b):
    """Intersection over union of two boxes (x1, y1, x2, y2), x1 < x2 and y1 < y2.

    box_a, box_b: sequences or arrays of 4 numbers. Returns a float in [0, 1].
    """
    ### BEGIN SOLUTION
    ax1, ay1, ax2, ay2 = (float(v) for v in box_a)
    bx1, by1, bx2, by2 = (float(v) for v in box_b)
    overlap_w = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    overlap_h = max(0.0, min(ay2, by2) - max(ay1, by1))
    inter = overlap_w * overlap_h
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    return inter / union
    ### END SOLUTION


# %% tags=["spec"]
def _iou_parts(box_a, box_b):
    ax1, ay1, ax2, ay2 = (float(v) for v in box_a)
    bx1, by1, bx2, by2 = (float(v) for v in box_b)
    w = min(ax2, bx2) - max(ax1, bx1)
    h = min(ay2, by2) - max(ay1, by1)
    return w, h, (ax2 - ax1) * (ay2 - ay1), (bx2 - bx1) * (by2 - by1)


def _iou_unclamped(box_a, box_b):
    w, h, area_a, area_b = _iou_parts(box_a, box_b)
    return w * h / (area_a + area_b - w * h)


def _iou_plus_one(box_a, box_b):
    w, h, area_a, area_b = _iou_parts(box_a, box_b)
    ax1, ay1, ax2, ay2 = (float(v) for v in box_a)
    bx1, by1, bx2, by2 = (float(v) for v in box_b)
    inter = max(0.0, w + 1) * max(0.0, h + 1)
    union = (ax2 - ax1 + 1) * (ay2 - ay1 + 1) + (bx2 - bx1 + 1) * (by2 - by1 + 1) - inter
    return inter / union


def _iou_sum_of_areas(box_a, box_b):
    w, h, area_a, area_b = _iou_parts(box_a, box_b)
    return max(0.0, w) * max(0.0, h) / (area_a + area_b)


def _random_box(rng, scale=4.0):
    x1, y1 = rng.uniform(0, scale, size=2)
    w, h = rng.uniform(0.5, scale, size=2)
    return np.array([x1, y1, x1 + w, y1 + h])


exercise(
    "iou",
    public=[
        case((0.0, 0.0, 2.0, 2.0), (1.0, 1.0, 3.0, 3.0), note="the example: 1/7"),
        case((0.0, 0.0, 4.0, 2.0), (1.0, -1.0, 2.0, 5.0), note="a cross: overlap 1 x 2"),
        case((0.0, 0.0, 1.0, 1.0), (2.0, 3.0, 4.0, 5.0), note="apart in x and in y"),
        case((0.0, 0.0, 2.0, 2.0), (2.0, 0.0, 3.0, 2.0), note="touching edges"),
        case((1.0, 1.0, 3.0, 4.0), (0.0, 0.0, 5.0, 5.0), note="one inside the other"),
    ],
    hidden=lambda rng: [
        case(_random_box(rng), _random_box(rng), note="random boxes"),
        case(_random_box(rng), _random_box(rng), note="random boxes"),
        case(np.array([0.5, 0.5, 1.5, 2.5]), np.array([3.0, 4.0, 5.5, 6.0]), note="far apart"),
        case((0.0, 0.0, 0.5, 0.25), (0.25, 0.0, 1.0, 0.25), note="small boxes"),
        case(np.array([2.0, 2.0, 6.0, 5.0]), np.array([2.0, 2.0, 6.0, 5.0]), note="the same box"),
    ],
    mistakes=[
        mistake(
            "negative overlap not clamped to 0",
            _iou_unclamped,
            "when the boxes are apart in both x and y, both overlap widths are negative and "
            "their product is positive: clamp each one, max(0, ...), before multiplying.",
        ),
        mistake(
            "added 1 to widths and heights",
            _iou_plus_one,
            "the '+1' belongs to integer pixel boxes; these are continuous: a box from 0 to 2 "
            "has width 2.",
        ),
        mistake(
            "union as the sum of the areas",
            _iou_sum_of_areas,
            "the overlap is inside both boxes: union = area_a + area_b - intersection.",
        ),
    ],
    driver="autograder.checking.drivers:call_float",
)

# %% nbgrader={"grade": true, "grade_id": "iou-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""iou: overlap over union of two boxes, 0 when apart."""
check("iou", iou)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("13_cnn_applications", "iou", iou)
### END HIDDEN TESTS

# %% [markdown]
# **Non-max suppression** keeps, among boxes that overlap a lot, only the best-scoring one.
# Greedily: take the highest-scoring box and keep it; go down the list by score, keeping a box
# unless its IoU with a box **already kept** is above the threshold. A box that was suppressed
# suppresses nothing.
#
# ### Exercise 8: `non_max_suppression` (3 points)
#
# `boxes` is (K, 4), `scores` (K,) (the checks use distinct scores). Return the indices of the
# kept boxes, highest score first, as a list of ints (or a 1-D integer array). A box whose IoU
# with a kept box equals the threshold is kept. Use your `iou`.


# %% nbgrader={"grade": false, "grade_id": "non-max-suppression", "locked": false, "schema_version": 3, "solution": true}
def non_max_suppression(boxes, scores, iou_threshold):
    """Greedy non-max suppression.

    boxes: (K, 4) rows (x1, y1, x2, y2); scores: (K,); iou_threshold: a float.
    Returns kept: a list of indices into boxes, highest score first (of two equal scores, the
    box that comes first in boxes goes first).
    """
    ### BEGIN SOLUTION
    kept = []
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        if all(iou(boxes[i], boxes[k]) <= iou_threshold for k in kept):
            kept.append(int(i))
    return kept
    ### END SOLUTION


# %% tags=["spec"]
def _nms_unsorted(boxes, scores, iou_threshold):
    kept = []
    for i in range(len(boxes)):
        if all(iou(boxes[i], boxes[k]) <= iou_threshold for k in kept):
            kept.append(i)
    return kept


def _nms_at_threshold(boxes, scores, iou_threshold):
    kept = []
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        if all(iou(boxes[i], boxes[k]) < iou_threshold for k in kept):
            kept.append(int(i))
    return kept


def _nms_suppressed_suppress(boxes, scores, iou_threshold):
    order = np.argsort(-np.asarray(scores), kind="stable")
    kept = []
    for rank, i in enumerate(order):
        if all(iou(boxes[i], boxes[j]) <= iou_threshold for j in order[:rank]):
            kept.append(int(i))
    return kept


def _nms_case(rng, objects, per_object, threshold, note):
    boxes = []
    for _ in range(objects):
        centre = _random_box(rng, scale=10.0)
        for _ in range(per_object):
            boxes.append(centre + rng.normal(scale=0.6, size=4))
    boxes = np.array(boxes)
    boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2] + 0.2)
    return case(boxes, rng.permutation(len(boxes)) / len(boxes) + 0.01, threshold, note=note)


_chain = np.array(
    [
        [0.0, 0.0, 4.0, 2.0],
        [2.0, 0.0, 6.0, 2.0],
        [4.0, 0.0, 8.0, 2.0],
        [0.2, 0.1, 4.1, 2.0],
        [10.0, 10.0, 12.0, 12.0],
    ]
)
exercise(
    "non_max_suppression",
    public=[
        case(
            _chain,
            np.array([0.5, 0.9, 0.3, 0.8, 0.6]),
            0.3,
            note="a chain: box 1 overlaps 0 and 2 (IoU 1/3), 0 and 2 are apart",
        ),
        case(
            _chain,
            np.array([0.9, 0.8, 0.7, 0.5, 0.6]),
            0.3,
            note="the chain, box 0 first: box 2 overlaps only the suppressed box 1",
        ),
        case(
            np.array([[0.0, 0.0, 4.0, 1.0], [0.0, 0.0, 2.0, 1.0], [5.0, 5.0, 6.0, 6.0]]),
            np.array([0.7, 0.9, 0.8]),
            0.5,
            note="an IoU exactly at the threshold (0.5)",
        ),
        case(np.array([[1.0, 1.0, 2.0, 2.0]]), np.array([0.3]), 0.5, note="one box"),
    ],
    hidden=lambda rng: [
        _nms_case(rng, 3, 4, 0.5, "3 objects, 4 boxes each, threshold 0.5"),
        _nms_case(rng, 2, 5, 0.3, "2 objects, 5 boxes each, threshold 0.3"),
        case(_chain[[2, 1, 0]], np.array([0.2, 0.4, 0.9]), 0.3, note="a chain of three"),
        case(
            np.array([[0.0, 0.0, 2.0, 2.0], [0.0, 0.0, 4.0, 1.0], [1.0, 0.0, 2.0, 2.0]]),
            np.array([0.9, 0.3, 0.6]),
            0.5,
            note="an IoU exactly at the threshold",
        ),
        case(
            np.array([[float(3 * i), 0.0, 3 * i + 2.0, 2.0] for i in range(20)]),
            np.array([0.5, 0.9] * 10),
            0.5,
            note="twenty apart boxes, scores tied in two groups: earlier boxes first",
        ),
        case(
            np.array([[0.0, 0.0, 2.0, 2.0], [0.0, 0.0, 2.0, 2.0], [5.0, 5.0, 6.0, 6.0]]),
            np.array([0.7, 0.7, 0.7]),
            0.5,
            note="two identical boxes with the same score: the first one is kept",
        ),
    ],
    mistakes=[
        mistake(
            "did not sort by score",
            _nms_unsorted,
            "go through the boxes from the highest score down (np.argsort(-scores)); in index "
            "order a weak box can suppress a better one.",
        ),
        mistake(
            "dropped boxes at exactly the threshold",
            _nms_at_threshold,
            "a box is dropped when its IoU with a kept box is *above* the threshold: keep it "
            "when iou <= iou_threshold.",
        ),
        mistake(
            "suppressed boxes still suppress",
            _nms_suppressed_suppress,
            "compare each box with the boxes already *kept*, not with every higher-scoring "
            "box: a suppressed box must not remove others.",
        ),
    ],
    uses=("iou",),
    driver="autograder.modules.cnn_applications:kept_boxes",
    outputs=("kept", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "non-max-suppression-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""non_max_suppression: kept boxes by score, each with IoU <= threshold with every kept box."""
check("non_max_suppression", non_max_suppression, iou)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("13_cnn_applications", "non_max_suppression", non_max_suppression, iou)
### END HIDDEN TESTS

# %% [markdown]
# A made-up detector's output: three objects, each found eight times with jittered boxes and
# scores. Move the threshold: at 0 only boxes that overlap no kept box at all survive; around
# 0.3 to 0.5 each object keeps one box; near 1 hardly anything is suppressed and the duplicates
# come back.

# %%
needs(
    "conv_relu_pool_forward", "conv_relu_pool_backward", "ThreeLayerConvNet", "non_max_suppression"
)
detection_rng = np.random.default_rng(4)
objects = np.array([[1.0, 1.0, 4.0, 5.0], [3.0, 3.5, 7.5, 7.0], [8.0, 1.0, 10.5, 3.5]])
noisy_boxes = np.concatenate(
    [obj + detection_rng.normal(scale=0.35, size=(8, 4)) for obj in objects]
)
noisy_scores = detection_rng.uniform(0.3, 1.0, size=len(noisy_boxes))


def show_nms(iou_threshold=0.4):
    kept = non_max_suppression(noisy_boxes, noisy_scores, iou_threshold)
    fig, (ax_all, ax_kept) = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, chosen, title in (
        (ax_all, range(len(noisy_boxes)), f"all {len(noisy_boxes)} candidate boxes"),
        (ax_kept, kept, f"kept {len(kept)} at IoU threshold {iou_threshold:.2f}"),
    ):
        for i in chosen:
            x1, y1, x2, y2 = noisy_boxes[i]
            ax.add_patch(
                Rectangle(
                    (x1, y1),
                    x2 - x1,
                    y2 - y1,
                    fill=False,
                    color=plt.cm.viridis(noisy_scores[i]),
                    lw=1 + 2 * noisy_scores[i],
                )
            )
            if ax is ax_kept:
                ax.text(x1, y1, f"{noisy_scores[i]:.2f}", fontsize=7, va="bottom")
        ax.set_xlim(0, 11.5)
        ax.set_ylim(8.5, 0)
        ax.set_aspect("equal")
        ax.set_title(title)
    plt.show()


nms_viewer = widgets.interact(
    show_nms,
    iou_threshold=widgets.FloatSlider(
        0.4, min=0.0, max=0.95, step=0.05, description="IoU threshold"
    ),
)

# %% [markdown]
# ## 11. Recognition by distance: the triplet loss
#
# A face-recognition system cannot have one output per person: people it has never seen must
# be recognised too. FaceNet (Schroff et al., 2015) instead learns an **embedding**, a vector
# per image, such that two images of the same person are close and two of different people are
# far apart. It is trained on triplets: an **anchor** $a$, a **positive** $p$ of the same
# identity, a **negative** $n$ of another, and asks the negative to be farther than the
# positive by a **margin** $\alpha$:
#
# $$L = \frac{1}{N}\sum_{i=1}^{N} \max\big(\lVert a_i - p_i\rVert^2 - \lVert a_i - n_i\rVert^2
# + \alpha,\; 0\big).$$
#
# Triplets that already satisfy the margin cost nothing; the others push $p$ towards $a$ and $n$
# away.
#
# ### Exercise 9: `triplet_loss` (2 points)
#
# `anchor`, `positive` and `negative` are (N, D) embeddings (row i of each forms triplet i).
# Return the mean over the batch as a float (squared Euclidean distances, no square root).


# %% nbgrader={"grade": false, "grade_id": "triplet-loss", "locked": false, "schema_version": 3, "solution": true}
def triplet_loss(anchor, positive, negative, margin):
    """Mean triplet loss with squared Euclidean distances.

    anchor, positive, negative: (N, D); margin: a float >= 0. Returns a float.
    """
    ### BEGIN SOLUTION
    d_pos = np.sum((anchor - positive) ** 2, axis=1)
    d_neg = np.sum((anchor - negative) ** 2, axis=1)
    return float(np.mean(np.maximum(d_pos - d_neg + margin, 0.0)))
    ### END SOLUTION


# %% tags=["spec"]
def _triplet_summed(anchor, positive, negative, margin):
    d_pos = ((anchor - positive) ** 2).sum(axis=1)
    d_neg = ((anchor - negative) ** 2).sum(axis=1)
    return float(np.maximum(d_pos - d_neg + margin, 0.0).sum())


def _triplet_not_squared(anchor, positive, negative, margin):
    d_pos = np.linalg.norm(anchor - positive, axis=1)
    d_neg = np.linalg.norm(anchor - negative, axis=1)
    return float(np.maximum(d_pos - d_neg + margin, 0.0).mean())


def _triplet_no_hinge(anchor, positive, negative, margin):
    d_pos = ((anchor - positive) ** 2).sum(axis=1)
    d_neg = ((anchor - negative) ** 2).sum(axis=1)
    return float((d_pos - d_neg + margin).mean())


exercise(
    "triplet_loss",
    public=[
        case(
            np.array([[0.0, 0.0], [1.0, 1.0]]),
            np.array([[1.0, 0.0], [1.0, 2.0]]),
            np.array([[0.0, 2.0], [1.0, 1.5]]),
            0.5,
            note="N=2, D=2: one triplet within the margin, one not",
        ),
        case(
            np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0], [2.0, -1.0, 0.0]]),
            np.array([[1.0, 2.0, 2.0], [0.5, 0.0, 1.0], [0.0, 0.0, 0.0]]),
            np.array([[3.0, 2.0, 3.0], [0.0, 0.2, 1.0], [2.0, -1.0, 1.0]]),
            0.2,
            note="N=3, D=3",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 4)),
            rng.normal(size=(1, 4)),
            rng.normal(size=(1, 4)),
            1.0,
            note="a batch of one",
        ),
        case(
            rng.normal(size=(6, 3)),
            rng.normal(size=(6, 3)),
            rng.normal(size=(6, 3)),
            0.5,
            note="N=6, D=3",
        ),
        case(
            rng.normal(size=(5, 8)),
            rng.normal(size=(5, 8)),
            rng.normal(size=(5, 8)),
            2.0,
            note="N=5, D=8, margin 2",
        ),
    ],
    mistakes=[
        mistake(
            "summed instead of averaged",
            _triplet_summed,
            "the loss is the mean over the N triplets: divide the sum by N (np.mean).",
        ),
        mistake(
            "distances not squared",
            _triplet_not_squared,
            "the loss compares squared distances, sum((a - p)**2), not norms: no square root.",
        ),
        mistake(
            "forgot the hinge max(..., 0)",
            _triplet_no_hinge,
            "a triplet that already satisfies the margin costs 0, not a negative amount: take "
            "np.maximum(..., 0) per triplet before averaging.",
        ),
    ],
    driver="autograder.checking.drivers:call_float",
)

# %% nbgrader={"grade": true, "grade_id": "triplet-loss-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""triplet_loss: mean of max(|a - p|^2 - |a - n|^2 + margin, 0)."""
check("triplet_loss", triplet_loss)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("13_cnn_applications", "triplet_loss", triplet_loss)
### END HIDDEN TESTS

# %% [markdown]
# Is the trained network's hidden layer already a good embedding? Take each test digit as an
# anchor, a random other digit of the same class as its positive and one of another class as
# its negative, and compare the triplet loss of raw pixels with that of the 64 hidden units
# (each embedding scaled to length 1, as FaceNet does, so that the margin means the same thing
# for both).


# %%
needs(
    "conv_relu_pool_forward",
    "conv_relu_pool_backward",
    "ThreeLayerConvNet",
    "residual_block_forward",
    "residual_block_backward",
    "shift_images",
    "triplet_loss",
)


def hidden_units(net, images):
    """The network's 64 hidden activations: its embedding of each image."""
    p = net.params
    pooled, _ = conv_relu_pool_forward(images, p["W1"], p["b1"], {"stride": 1, "pad": 1}, POOL_2X2)
    return relu_forward(affine_forward(pooled, p["W2"], p["b2"])[0])[0]


def unit_length(vectors):
    return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)


triplet_rng = np.random.default_rng(5)
positives = np.array(
    [
        triplet_rng.choice(np.flatnonzero((y_test == c) & (np.arange(len(y_test)) != i)))
        for i, c in enumerate(y_test)
    ]
)
negatives = np.array([triplet_rng.choice(np.flatnonzero(y_test != c)) for c in y_test])
embeddings = {
    "raw pixels": unit_length(X_test.reshape(len(X_test), -1)),
    "CNN hidden units": unit_length(hidden_units(model, X_test)),
}
fig, axes = plt.subplots(1, 2, figsize=(10, 3))
for ax, (name, emb) in zip(axes, embeddings.items()):
    loss = triplet_loss(emb, emb[positives], emb[negatives], margin=0.2)
    ax.hist(
        np.sum((emb - emb[positives]) ** 2, axis=1), bins=30, alpha=0.6, label="anchor-positive"
    )
    ax.hist(
        np.sum((emb - emb[negatives]) ** 2, axis=1), bins=30, alpha=0.6, label="anchor-negative"
    )
    ax.set_title(f"{name}: triplet loss {loss:.3f} (margin 0.2)")
    ax.set_xlabel("squared distance")
    ax.legend()
plt.show()

# %% [markdown]
# In pixel space, same-class and different-class pairs are at overlapping distances; in the
# network's hidden space they separate, and the triplet loss drops. A face recogniser trains
# its network on the triplet loss directly, so that the separation is the goal rather than a
# by-product of classification.
#
# ## 12. Style: the Gram matrix
#
# Neural style transfer (Gatys et al., 2015) paints one picture in the style of another. Its key
# observation: a conv layer's feature maps, $F \in \mathbb{R}^{C \times HW}$ (one row per
# channel, the map flattened), say *what* is *where*; the **Gram matrix** $G = F F^\top$
# ($C \times C$) keeps only which features occur *together*, summed over all positions, and
# forgets where. Two images with the same Gram matrices share their texture (strokes, their
# thickness and their angles) but not their layout.
#
# ### Exercise 10: `gram_matrix` (2 points)
#
# `features` is (C, H, W), one image's maps. Return $G = F F^\top$ with
# `F = features.reshape(C, -1)`, unnormalised: `G[i, j]` is the sum over all positions of
# channel i times channel j.


# %% nbgrader={"grade": false, "grade_id": "gram-matrix", "locked": false, "schema_version": 3, "solution": true}
def gram_matrix(features):
    """Gram matrix of one image's feature maps.

    features: (C, H, W). Returns G (C, C) = F @ F.T with F = features.reshape(C, -1).
    """
    ### BEGIN SOLUTION
    flat = features.reshape(features.shape[0], -1)
    return flat @ flat.T
    ### END SOLUTION


# %% tags=["spec"]
def _gram_transposed(features):
    flat = features.reshape(features.shape[0], -1)
    return flat.T @ flat


def _gram_normalised(features):
    flat = features.reshape(features.shape[0], -1)
    return flat @ flat.T / flat.shape[1]


def _gram_channels_last(features):
    flat = features.reshape(-1, features.shape[0])
    return flat.T @ flat


exercise(
    "gram_matrix",
    public=[
        case(np.arange(8.0).reshape(2, 2, 2) - 3, note="C=2, 2x2 maps"),
        case(np.linspace(-1.0, 2.0, 18).reshape(3, 2, 3), note="C=3, 2x3 maps"),
        case(np.array([[[1.0, 2.0, 0.0]]]), note="C=1, one 1x3 map"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 3, 2)), note="C=1"),
        case(rng.normal(size=(4, 3, 5)), note="C=4, 3x5 maps"),
        case(rng.normal(size=(3, 1, 1)), note="1x1 maps"),
        case(rng.normal(size=(2, 4, 4)), note="C=2, 4x4 maps"),
    ],
    mistakes=[
        mistake(
            "Gram matrix of the transposed features",
            _gram_transposed,
            "G compares channels with channels: F is (C, H*W), so F @ F.T is (C, C). F.T @ F "
            "is (H*W, H*W), positions against positions.",
        ),
        mistake(
            "normalised by H*W",
            _gram_normalised,
            "this Gram matrix is unnormalised: no division (style losses divide later).",
        ),
        mistake(
            "reshaped to (H*W, C)",
            _gram_channels_last,
            "features are (C, H, W), channels first: F = features.reshape(C, -1) keeps each "
            "channel's map in one row; reshape(-1, C) mixes channels.",
        ),
    ],
    driver="autograder.modules.cnn_applications:call_unchanged",
    outputs=("G", "input left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "gram-matrix-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""gram_matrix: F @ F.T of the (C, H*W) flattened features."""
check("gram_matrix", gram_matrix)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("13_cnn_applications", "gram_matrix", gram_matrix)
### END HIDDEN TESTS

# %% [markdown]
# **Style matching on the network's own feature maps.** Start from a blank image plus a little
# noise and change its *pixels* (not the weights) by gradient descent, so that the Gram matrix
# of its 16 ReLU feature maps (the first layer of the trained network) matches that of a style
# digit. The loss is $\lVert G(x) - G_{\text{style}}\rVert^2 / \lVert G_{\text{style}}\rVert^2$;
# its gradient with respect to the maps $F$ is $4 (G - G_s) F$ (divided by the same constant),
# which the ReLU's and the convolution's backward passes carry down to the pixels.


# %%
needs(
    "conv_relu_pool_forward",
    "conv_relu_pool_backward",
    "ThreeLayerConvNet",
    "residual_block_forward",
    "residual_block_backward",
    "shift_images",
    "triplet_loss",
    "gram_matrix",
)


def style_loss_and_grad(image, style_gram, W1, b1):
    maps, conv_cache = conv_forward_fast(image, W1, b1, {"stride": 1, "pad": 1})
    active, relu_cache = relu_forward(maps)
    channels = active.shape[1]
    G = gram_matrix(active[0])
    scale = np.sum(style_gram**2)
    loss = np.sum((G - style_gram) ** 2) / scale
    dF = 4 * (G - style_gram) @ active[0].reshape(channels, -1) / scale
    dmaps = relu_backward(dF.reshape(active.shape), relu_cache)
    return loss, conv_backward_fast(dmaps, conv_cache)[0]


style_image = X_test[np.flatnonzero(y_test == 8)[0]][None]
style_maps, _ = relu_forward(
    conv_forward_fast(style_image, model.params["W1"], model.params["b1"], {"stride": 1, "pad": 1})[
        0
    ]
)
style_gram = gram_matrix(style_maps[0])
image = 0.05 * np.random.default_rng(6).random((1, 1, 8, 8))
style_losses, snapshots = [], [image[0, 0].copy()]
for step in tqdm(range(300), desc="style matching"):
    loss, dimage = style_loss_and_grad(image, style_gram, model.params["W1"], model.params["b1"])
    image = np.clip(image - 0.5 * dimage, 0.0, 1.0)  # pixels stay in [0, 1]
    style_losses.append(loss)
    if step in (29, 99, 299):
        snapshots.append(image[0, 0].copy())

fig, axes = plt.subplots(1, 6, figsize=(13, 2.4))
axes[0].imshow(style_image[0, 0], cmap="gray_r")
axes[0].set_title("style digit")
for ax, snap, title in zip(axes[1:5], snapshots, ("start", "step 30", "step 100", "step 300")):
    ax.imshow(snap, cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(title)
for ax in axes[:5]:
    ax.axis("off")
axes[5].semilogy(style_losses)
axes[5].set_title("style loss")
axes[5].set_xlabel("step")
plt.show()

# %% [markdown]
# The image acquires the style digit's strokes (their thickness, their directions, how often
# they meet) but not its shape: the Gram matrix threw the layout away. Style transfer adds a
# second, *content* loss on the feature maps themselves (which keep the layout) of another
# picture, and balances the two.
#
# **What you built.** A convolutional network from layer pairs that reads 98% of the digits, its
# filters, feature maps and saliency, the residual block that makes deep networks trainable,
# augmentation, and the small functions at the heart of detection (IoU, non-max suppression),
# recognition (the triplet loss) and style transfer (the Gram matrix). **Next**, module 14 turns
# from images to sequences: recurrent networks.
