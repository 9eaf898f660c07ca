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
# # 12 · Convolutions: sliding windows, by hand and fast
#
# **Why this matters.** The networks of modules 07 to 10 treat an image as a list of unrelated
# numbers: move a digit one pixel to the right and, for an affine layer, it is a different input
# altogether. A **convolutional layer** looks at an image the way you do, through a small window
# that slides across it, using the *same* weights at every position. An edge is an edge wherever
# it is, and a 3×3 filter needs 9 weights, not 9 weights per position. Every vision network since
# 2012 is built from this layer and from **pooling**, which summarises each small window by its
# largest value.
#
# You will write both layers forward and backward with plain loops, where every index is visible,
# then rewrite the convolution as one matrix product (**im2col**), the trick that made
# convolutions fast on CPUs and GPUs alike, and time the two against PyTorch.
#
# Conventions (CS231n's): images are `(N, C, H, W)` (batch, channels, height, width); filters are
# `(F, C, HH, WW)`; `conv_param = {"stride": s, "pad": p}` with zero padding on all four sides;
# `pool_param = {"pool_height": ph, "pool_width": pw, "stride": s}`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import importlib.util
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from numpy.lib.stride_tricks import as_strided, sliding_window_view
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo
from autograder.checking.numerics import numerical_gradient_array, rel_error

check = load_checks("12_convolutions")

# %% [markdown]
# ## 1. A filter sliding over an image
#
# Put a small grid of weights, the **filter** (or kernel), on the top-left corner of the image,
# multiply each weight by the pixel under it, add everything up (and a bias): that is one output
# number. Slide the filter one step and do it again. The outputs form a new image, the **feature
# map**, bright wherever the image looks like the filter.
#
# A worked example: a 4×4 image, a 2×2 filter, no bias. The top-left output covers the pixels
# `[[0, 1], [4, 5]]`: $0 \cdot 1 + 1 \cdot 2 + 4 \cdot 3 + 5 \cdot 4 = 34$.

# %%
image = np.arange(16.0).reshape(4, 4)
kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
print("image\n", image)
print("the window at the top-left corner\n", image[0:2, 0:2])
print("output[0, 0] =", np.sum(image[0:2, 0:2] * kernel))
print("output[0, 1] =", np.sum(image[0:2, 1:3] * kernel), "(one step to the right)")

# %% [markdown]
# **Cross-correlation, not convolution.** In mathematics a *convolution* flips the kernel
# (`kernel[::-1, ::-1]`) before sliding it. Every deep-learning library skips the flip, and so do
# we: the layer computes a cross-correlation. The network learns its filters anyway, so the flip
# would change nothing but the bookkeeping; a flip in your code is a bug here.
#
# With colour images or the outputs of an earlier layer, the input has $C$ channels, and a filter
# has $C$ channels too: it covers a $C \times HH \times WW$ block and still gives one number per
# position. A layer has $F$ filters, hence $F$ output channels:
#
# $$\text{out}[n, f, i, j] = b_f + \sum_{c}\sum_{d_i < HH}\sum_{d_j < WW}
# w[f, c, d_i, d_j]\; x_{\text{pad}}[n, c,\; i s + d_i,\; j s + d_j].$$
#
# ## 2. Output size, stride and padding
#
# Two settings control the slide. The **stride** $s$ is the step between two positions. The
# **padding** $p$ adds $p$ rows and columns of zeros on *every* side of the image before sliding,
# so that the filter can be centred on the border pixels too. Along one axis of length $H$, with a
# filter of length $HH$, the padded axis has $H + 2p$ pixels, the first window starts at 0 and the
# last one must still fit, so there are
#
# $$H_\text{out} = \left\lfloor \frac{H + 2p - HH}{s} \right\rfloor + 1$$
#
# positions. Examples: $H = 5$, $HH = 3$, $s = 1$, $p = 1$ gives $5$ (the "same" padding of a 3×3
# filter); $H = 7$, $HH = 3$, $s = 2$, $p = 0$ gives $3$. When the stride does not divide
# $H + 2p - HH$, the floor drops the last pixels: $H = 8$, $HH = 3$, $s = 2$, $p = 1$ gives 4.
#
# ### Exercise 1: `conv_output_size` (1 point)
#
# Return the number of positions as a Python `int` (use integer division `//`).


# %% nbgrader={"grade": false, "grade_id": "conv-output-size", "locked": false, "schema_version": 3, "solution": true}
def conv_output_size(size, kernel, stride, pad):
    """Number of window positions along one axis.

    size: length of the axis (H or W); kernel: length of the window (HH or WW);
    stride: step between positions; pad: zeros added on each side.
    Returns (size + 2 pad - kernel) // stride + 1, an int.
    """
    ### BEGIN SOLUTION
    return (size + 2 * pad - kernel) // stride + 1
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import Seeded, case, exercise, mistake


def _size_off_by_one(size, kernel, stride, pad):
    return (size + 2 * pad - kernel) // stride


def _size_pad_once(size, kernel, stride, pad):
    return (size + pad - kernel) // stride + 1


def _size_rounded_up(size, kernel, stride, pad):
    return (size + 2 * pad - kernel + stride - 1) // stride + 1


exercise(
    "conv_output_size",
    public=[
        case(5, 3, 1, 1, note="H=5, 3x3 filter, stride 1, pad 1: 'same' size"),
        case(7, 3, 2, 0, note="H=7, stride 2, no padding"),
        case(8, 3, 2, 1, note="H=8, stride 2, pad 1: the floor drops a pixel"),
        case(4, 4, 1, 0, note="the filter as large as the image"),
    ],
    hidden=[
        case(9, 2, 2, 0, note="stride 2, pad 0, the floor at work"),
        case(6, 5, 3, 2, note="pad 2, stride 3"),
        case(28, 5, 1, 2, note="a 28-pixel image, pad 2"),
        case(3, 1, 1, 0, note="a 1x1 filter"),
    ],
    mistakes=[
        mistake(
            "output-size formula off by one",
            _size_off_by_one,
            "count the first position too: (size + 2 * pad - kernel) // stride is the number "
            "of steps after it, so add 1.",
        ),
        mistake(
            "padding counted once",
            _size_pad_once,
            "padding adds pad zeros on each side, before and after: the padded length is "
            "size + 2 * pad.",
        ),
        mistake(
            "rounded up: kept a window that does not fit",
            _size_rounded_up,
            "a window must fit entirely inside the padded input: round the division down, "
            "(size + 2 * pad - kernel) // stride, then add 1 for the first position.",
        ),
    ],
    driver="autograder.modules.convolutions:output_size",
    outputs=("size", "type"),
)

# %% nbgrader={"grade": true, "grade_id": "conv-output-size-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""conv_output_size: (size + 2 pad - kernel) // stride + 1, an int."""
check("conv_output_size", conv_output_size)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("12_convolutions", "conv_output_size", conv_output_size)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: `zero_pad` (1 point)
#
# Add `pad` rows of zeros above and below each image and `pad` columns of zeros left and right,
# in every channel, leaving the batch and channel axes alone. `np.pad` does it with one
# `(before, after)` pair per axis. `pad = 0` gives the images back unchanged.


# %% nbgrader={"grade": false, "grade_id": "zero-pad", "locked": false, "schema_version": 3, "solution": true}
def zero_pad(x, pad):
    """Zero padding on all four sides of each image.

    x: (N, C, H, W); pad: an int >= 0.
    Returns (N, C, H + 2 pad, W + 2 pad), with x in the middle and zeros around it.
    """
    ### BEGIN SOLUTION
    return np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ### END SOLUTION


# %% tags=["spec"]
def _pad_one_side(x, pad):
    N, C, H, W = x.shape
    out = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    out[:, :, :H, :W] = x
    return out


def _pad_every_axis(x, pad):
    return np.pad(x, pad)


def _pad_edge_values(x, pad):
    return np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="edge")


exercise(
    "zero_pad",
    public=[
        case(np.arange(1.0, 7.0).reshape(1, 1, 2, 3), 1, note="one 2x3 image, pad 1"),
        case(np.linspace(-1, 1, 24).reshape(2, 2, 3, 2), 2, note="N=2, C=2, pad 2"),
        case(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), 0, note="pad 0"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 3, 4, 5)), 2, note="a batch of one, 3 channels, pad 2"),
        case(rng.normal(size=(2, 1, 3, 3)), 1, note="random, pad 1"),
        case(rng.normal(size=(2, 2, 2, 4)), 0, note="pad 0"),
    ],
    mistakes=[
        mistake(
            "padding on one side only",
            _pad_one_side,
            "the image must sit in the middle: pad rows above and below, columns left and right "
            "(x goes to [pad:pad + H, pad:pad + W] of the padded array), not all at the end.",
        ),
        mistake(
            "padded every axis",
            _pad_every_axis,
            "np.pad(x, pad) pads the batch and channel axes too: give one pair per axis, "
            "((0, 0), (0, 0), (pad, pad), (pad, pad)).",
        ),
        mistake(
            "padded with edge values",
            _pad_edge_values,
            "the padding is zeros (np.pad's default mode, 'constant'), not copies of the border.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "zero-pad-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""zero_pad: pad zeros on the four sides of each image, batch and channels untouched."""
check("zero_pad", zero_pad)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("12_convolutions", "zero_pad", zero_pad)
### END HIDDEN TESTS

# %% [markdown]
# ### See it slide
#
# Move the sliders: the grey border is the padding, the red square the window at the output
# position you pick, and on the right the output grid it fills; hatched pixels are reached by no
# window at all (the floor of the formula). The number of positions is counted by sliding the
# window until it no longer fits, and compared with your `conv_output_size`. Try a stride of 2
# with an even image, or a kernel larger than the padded image.


# %%
needs("conv_output_size")


def window_starts(size, kernel, stride, pad):
    """Where the window starts along one padded axis, found by sliding it until it falls off."""
    starts, start = [], 0
    while start + kernel <= size + 2 * pad:
        starts.append(start)
        start += stride
    return starts


def show_sliding(size=5, kernel=3, stride=1, pad=1, position=0):
    starts = window_starts(size, kernel, stride, pad)
    n_out, padded = len(starts), size + 2 * pad
    try:
        yours = f"your conv_output_size says {conv_output_size(size, kernel, stride, pad)}"
    except NotImplementedError:
        yours = "write conv_output_size above to compare"
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(9, 4.2))
    ax_in.add_patch(Rectangle((0, 0), padded, padded, color="0.85"))
    ax_in.add_patch(Rectangle((pad, pad), size, size, facecolor="white", edgecolor="black"))
    if n_out and starts[-1] + kernel < padded:  # pixels no window reaches: the floor at work
        edge = starts[-1] + kernel
        for strip in ((edge, 0, padded - edge, padded), (0, edge, padded, padded - edge)):
            ax_in.add_patch(
                Rectangle(strip[:2], *strip[2:], hatch="//", fill=False, color="tab:red")
            )
    if n_out:
        k = min(position, n_out * n_out - 1)
        top, left = starts[k // n_out], starts[k % n_out]
        ax_in.add_patch(
            Rectangle((left, top), kernel, kernel, fill=False, edgecolor="tab:red", lw=3)
        )
        for i in range(n_out):
            for j in range(n_out):
                chosen = (i, j) == (k // n_out, k % n_out)
                ax_out.add_patch(
                    Rectangle(
                        (j, i), 1, 1, facecolor="tab:red" if chosen else "white", edgecolor="k"
                    )
                )
        ax_out.set_title(f"output {n_out}x{n_out}: position ({k // n_out}, {k % n_out})")
    else:
        ax_out.set_title("no position: the kernel does not fit")
    for ax, extent in ((ax_in, padded), (ax_out, max(n_out, 1))):
        ax.set_xlim(0, extent)
        ax.set_ylim(extent, 0)
        ax.set_aspect("equal")
        ax.set_xticks(range(extent + 1))
        ax.set_yticks(range(extent + 1))
        ax.grid(True, color="0.6", lw=0.5)
    ax_in.set_title(f"padded input {padded}x{padded} (image {size}x{size}, pad {pad})")
    fig.suptitle(f"{n_out} positions per axis, counted by sliding; {yours}")
    plt.show()


sliders = {
    "size": widgets.IntSlider(5, 2, 9, description="image size"),
    "kernel": widgets.IntSlider(3, 1, 5, description="kernel"),
    "stride": widgets.IntSlider(1, 1, 3, description="stride"),
    "pad": widgets.IntSlider(1, 0, 3, description="padding"),
    "position": widgets.IntSlider(0, 0, 80, description="position"),
}
slide_view = widgets.interactive_output(show_sliding, sliders)
display(
    widgets.VBox(
        [
            widgets.HBox(list(sliders.values())[:2]),
            widgets.HBox(list(sliders.values())[2:]),
            slide_view,
        ]
    )
)

# %% [markdown]
# ## 3. The convolution layer, forward
#
# ### Exercise 3: `conv_forward_naive` (3 points)
#
# Compute `out` with the formula of section 1, with loops: over the output positions `(i, j)` at
# least (you may also loop over images and filters, or let NumPy handle them at once, e.g. with
# `np.tensordot`). The window at `(i, j)` starts at row `i * stride` and column `j * stride` of
# the **padded** input. Use your `zero_pad` and `conv_output_size`. Do not flip the filter, and
# do not change `x`.
#
# Return `(out, cache)` with `cache = (x, w, b, conv_param)`, the inputs as given: the backward
# pass needs them.


# %% nbgrader={"grade": false, "grade_id": "conv-forward-naive", "locked": false, "schema_version": 3, "solution": true}
def conv_forward_naive(x, w, b, conv_param):
    """Forward pass of a convolutional layer (a cross-correlation), with loops.

    x: (N, C, H, W) inputs; w: (F, C, HH, WW) filters; b: (F,) biases;
    conv_param: {"stride": s, "pad": p}.
    Returns out (N, F, H_out, W_out) with H_out = (H + 2p - HH) // s + 1 (W_out likewise),
    and cache = (x, w, b, conv_param).
    """
    ### BEGIN SOLUTION
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = conv_output_size(H, HH, stride, pad)
    W_out = conv_output_size(W, WW, stride, pad)
    x_pad = zero_pad(x, pad)
    out = np.zeros((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            top, left = i * stride, j * stride
            window = x_pad[:, :, top : top + HH, left : left + WW]  # (N, C, HH, WW)
            # every image against every filter: sum over c, di, dj
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, conv_param)
    ### END SOLUTION


# %% tags=["spec"]
def _correlate(x_pad, w, b, stride, H_out, W_out):
    out = np.zeros((x_pad.shape[0], w.shape[0], H_out, W_out))
    HH, WW = w.shape[2:]
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride : i * stride + HH, j * stride : j * stride + WW]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


def _conv_sizes(x, w, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    H, W = x.shape[2:]
    HH, WW = w.shape[2:]
    return stride, pad, (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1


def _conv_flipped(x, w, b, conv_param):
    stride, pad, H_out, W_out = _conv_sizes(x, w, conv_param)
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = _correlate(x_pad, w[:, :, ::-1, ::-1], b, stride, H_out, W_out)
    return out, (x, w, b, conv_param)


def _conv_one_side_pad(x, w, b, conv_param):
    stride, pad, H_out, W_out = _conv_sizes(x, w, conv_param)
    N, C, H, W = x.shape
    x_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    x_pad[:, :, :H, :W] = x
    return _correlate(x_pad, w, b, stride, H_out, W_out), (x, w, b, conv_param)


def _conv_stride_ignored(x, w, b, conv_param):
    stride, pad, H_out, W_out = _conv_sizes(x, w, conv_param)
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    return _correlate(x_pad, w, b, 1, H_out, W_out), (x, w, b, conv_param)


def _conv_caches_padded_x(x, w, b, conv_param):
    stride, pad, H_out, W_out = _conv_sizes(x, w, conv_param)
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    return _correlate(x_pad, w, b, stride, H_out, W_out), (x_pad, w, b, conv_param)


def _conv_case(rng, x_shape, w_shape, stride, pad, dout=False, note=""):
    x = np.round(rng.normal(size=x_shape), 3)
    w = np.round(rng.normal(size=w_shape), 3)
    b = np.round(rng.normal(size=w_shape[0]), 3)
    conv_param = {"stride": stride, "pad": pad}
    args = [x, w, b, conv_param]
    if dout:
        h = (x_shape[2] + 2 * pad - w_shape[2]) // stride + 1
        v = (x_shape[3] + 2 * pad - w_shape[3]) // stride + 1
        args.append(np.round(rng.normal(size=(x_shape[0], w_shape[0], h, v)), 3))
    shape = f"x {x_shape}, w {w_shape}, stride {stride}, pad {pad}"
    return case(*args, note=f"{note}: {shape}" if note else shape)


_CONV_EXAMPLE = case(
    np.arange(16.0).reshape(1, 1, 4, 4),
    np.array([[[[1.0, 2.0], [3.0, 4.0]]]]),
    np.array([0.0]),
    {"stride": 1, "pad": 0},
    note="the worked example of section 1",
)


def _conv_cases_public(dout=False):
    rng = np.random.default_rng(12)
    cases = [
        _conv_case(rng, (2, 2, 5, 4), (3, 2, 3, 2), 2, 1, dout, "stride 2, pad 1"),
        _conv_case(rng, (1, 2, 3, 4), (2, 2, 3, 3), 1, 2, dout, "pad 2"),
    ]
    if not dout:
        return [_CONV_EXAMPLE, *cases]
    example = case(
        *_CONV_EXAMPLE.args, np.arange(9.0).reshape(1, 1, 3, 3) / 4, note=_CONV_EXAMPLE.note
    )
    return [example, *cases]


def _conv_cases_hidden(rng, dout=False):
    return [
        _conv_case(rng, (1, 2, 5, 7), (3, 2, 3, 2), 2, 2, dout, "a batch of one"),
        _conv_case(rng, (2, 3, 4, 5), (2, 3, 2, 3), 1, 0, dout, "pad 0"),
        _conv_case(rng, (2, 2, 7, 6), (4, 2, 3, 3), 2, 0, dout, "stride 2, pad 0"),
        _conv_case(rng, (2, 1, 3, 3), (2, 1, 1, 1), 1, 1, dout, "a 1x1 filter"),
    ]


exercise(
    "conv_forward_naive",
    public=_conv_cases_public(),
    hidden=_conv_cases_hidden,
    mistakes=[
        mistake(
            "kernel flipped (a true convolution)",
            _conv_flipped,
            "the layer is a cross-correlation: multiply w[f, c, di, dj] by the pixel at offset "
            "(di, dj) of the window, without flipping the filter (no [::-1]).",
        ),
        mistake(
            "padding on one side only",
            _conv_one_side_pad,
            "pad on all four sides, with the image in the middle of the padded array: "
            "zero_pad(x, pad) puts x at [pad:pad + H, pad:pad + W].",
        ),
        mistake(
            "stride ignored",
            _conv_stride_ignored,
            "output position (i, j) looks at the window starting at row i * stride and column "
            "j * stride of the padded input, not at row i and column j.",
        ),
        mistake(
            "cached the padded x",
            _conv_caches_padded_x,
            "cache the inputs as given, (x, w, b, conv_param), not the padded x: the backward "
            "pass pads it again and returns dx with the shape of x.",
        ),
    ],
    uses=("conv_output_size", "zero_pad"),
    driver="autograder.modules.convolutions:conv_forward",
    outputs=("returns", "out", "cache", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "conv-forward-naive-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""conv_forward_naive: cross-correlation with stride and zero padding, cache (x, w, b, conv_param)."""
check("conv_forward_naive", conv_forward_naive, conv_output_size, zero_pad)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "12_convolutions", "conv_forward_naive", conv_forward_naive, conv_output_size, zero_pad
)
### END HIDDEN TESTS

# %% [markdown]
# ### What a filter sees
#
# Two hand-made 3×3 filters on a handwritten digit: one responds to vertical edges (dark on the
# left, light on the right), the other to horizontal ones. Padding 1 keeps the 8×8 size. Red is a
# strong positive response, blue a strong negative one: the same edge seen from the other side.

# %%
needs("conv_forward_naive")
digits = load_digits()
digit = digits.images[0][None, None] / 16.0  # (N=1, C=1, 8, 8)
edge_filters = np.array(
    [
        [[[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]],
        [[[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]],
    ]
)  # (F=2, C=1, 3, 3)
edge_maps, _ = conv_forward_naive(digit, edge_filters, np.zeros(2), {"stride": 1, "pad": 1})
fig, axes = plt.subplots(1, 3, figsize=(9, 3))
axes[0].imshow(digit[0, 0], cmap="gray_r")
axes[0].set_title("input")
for ax, fmap, name in zip(axes[1:], edge_maps[0], ["vertical edges", "horizontal edges"]):
    limit = np.abs(fmap).max()
    ax.imshow(fmap, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(name)
for ax in axes:
    ax.axis("off")
plt.show()

# %% [markdown]
# ## 4. The convolution layer, backward
#
# Every output number is a sum of products, $\text{out}[n, f, i, j] = b_f + \sum
# w[f, c, d_i, d_j]\, x_{\text{pad}}[n, c, is + d_i, js + d_j]$, so each term sends the upstream
# gradient $g = \text{dout}[n, f, i, j]$ to both of its factors, as in the affine layer:
#
# * $dw[f] \mathrel{+}= g \cdot$ (the window at $(i, j)$ of image $n$);
# * $dx_{\text{pad}}[n, :, \text{window}] \mathrel{+}= g \cdot w[f]$;
# * $db_f \mathrel{+}= g$: the bias was added at every position of every image, so its gradient
#   sums over $n$, $i$ and $j$.
#
# **Add, never assign**: with a stride smaller than the filter, windows overlap, and a pixel that
# sits in several windows collects a gradient from each. And the window is the *same one as in the
# forward pass*, starting at $(is, js)$: a backward pass that forgets the stride sends the
# gradients to the wrong pixels. Finally, $dx$ is $dx_{\text{pad}}$ without its border (the
# padding is not an input).
#
# ### Exercise 4: `conv_backward_naive` (4 points)
#
# Loop over the output positions as in the forward pass. The check builds `cache` with your
# `conv_forward_naive`, and compares your gradients with the expected ones and with the numerical
# gradient of your forward pass.


# %% nbgrader={"grade": false, "grade_id": "conv-backward-naive", "locked": false, "schema_version": 3, "solution": true}
def conv_backward_naive(dout, cache):
    """Backward pass of a convolutional layer, with loops.

    dout: (N, F, H_out, W_out) upstream gradient; cache: (x, w, b, conv_param) from
    conv_forward_naive.
    Returns dx (N, C, H, W), dw (F, C, HH, WW), db (F,).
    """
    x, w, b, conv_param = cache
    ### BEGIN SOLUTION
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, F, H_out, W_out = dout.shape
    HH, WW = w.shape[2:]
    x_pad = zero_pad(x, pad)
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    for i in range(H_out):
        for j in range(W_out):
            top, left = i * stride, j * stride
            window = x_pad[:, :, top : top + HH, left : left + WW]  # (N, C, HH, WW)
            g = dout[:, :, i, j]  # (N, F)
            dw += np.tensordot(g, window, axes=([0], [0]))
            dx_pad[:, :, top : top + HH, left : left + WW] += np.tensordot(g, w, axes=([1], [0]))
    db = dout.sum(axis=(0, 2, 3))
    H, W = x.shape[2:]
    return dx_pad[:, :, pad : pad + H, pad : pad + W], dw, db
    ### END SOLUTION


# %% tags=["spec"]
def _conv_backward(dout, cache, stride_used=None, add=True, crop=True, db_axes=(0, 2, 3)):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    step = stride if stride_used is None else stride_used
    N, F, H_out, W_out = dout.shape
    HH, WW = w.shape[2:]
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    for i in range(H_out):
        for j in range(W_out):
            rows, cols = slice(i * step, i * step + HH), slice(j * step, j * step + WW)
            g = dout[:, :, i, j]
            dw += np.tensordot(g, x_pad[:, :, rows, cols], axes=([0], [0]))
            if add:
                dx_pad[:, :, rows, cols] += np.tensordot(g, w, axes=([1], [0]))
            else:
                dx_pad[:, :, rows, cols] = np.tensordot(g, w, axes=([1], [0]))
    H, W = x.shape[2:]
    dx = dx_pad[:, :, pad : pad + H, pad : pad + W] if crop else dx_pad
    return dx, dw, dout.sum(axis=db_axes)


def _conv_backward_stride_ignored(dout, cache):
    return _conv_backward(dout, cache, stride_used=1)


def _conv_backward_overwrites(dout, cache):
    return _conv_backward(dout, cache, add=False)


def _conv_backward_padded_dx(dout, cache):
    return _conv_backward(dout, cache, crop=False)


def _conv_backward_db_batch_only(dout, cache):
    return _conv_backward(dout, cache, db_axes=0)


exercise(
    "conv_backward_naive",
    public=_conv_cases_public(dout=True),
    hidden=lambda rng: _conv_cases_hidden(rng, dout=True),
    mistakes=[
        mistake(
            "stride ignored in the backward pass",
            _conv_backward_stride_ignored,
            "output (i, j) came from the window starting at (i * stride, j * stride): send its "
            "gradient back to that same window, in dw and in dx.",
        ),
        mistake(
            "overwrote dx where windows overlap",
            _conv_backward_overwrites,
            "a pixel inside several windows gets a gradient from each of them: accumulate with "
            "dx_pad[...] += ..., never dx_pad[...] = ....",
        ),
        mistake(
            "returned the gradient of the padded x",
            _conv_backward_padded_dx,
            "the padding is not an input: crop the border, dx_pad[:, :, pad:pad + H, pad:pad + W], "
            "so that dx has the shape of x.",
        ),
        mistake(
            "db summed over the batch only",
            _conv_backward_db_batch_only,
            "each filter's bias was added at every output position of every image: "
            "db = dout.sum(axis=(0, 2, 3)), shape (F,).",
        ),
    ],
    uses=("conv_forward_naive", "zero_pad"),
    driver="autograder.modules.convolutions:conv_gradients",
    outputs=("dx", "dw", "db", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "conv-backward-naive-tests", "locked": true, "points": 4, "schema_version": 3, "solution": false}
"""conv_backward_naive: dx, dw, db of the convolution, windows at the stride, overlaps added."""
check("conv_backward_naive", conv_backward_naive, conv_forward_naive, zero_pad)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "12_convolutions", "conv_backward_naive", conv_backward_naive, conv_forward_naive, zero_pad
)
### END HIDDEN TESTS

# %% [markdown]
# The same test in the open: the numerical gradient of the loss $\sum \text{out} \odot
# \text{dout}$ against your backward pass, with a stride of 2 and overlapping 3×3 windows. Every
# relative error should be around $10^{-8}$ or smaller.

# %%
needs("conv_forward_naive", "conv_backward_naive")
rng = np.random.default_rng(0)
x_check = rng.normal(size=(2, 3, 7, 6))
w_check = rng.normal(size=(4, 3, 3, 3))
b_check = rng.normal(size=4)
param_check = {"stride": 2, "pad": 1}
out_check, cache_check = conv_forward_naive(x_check, w_check, b_check, param_check)
dout_check = rng.normal(size=out_check.shape)
dx_check, dw_check, db_check = conv_backward_naive(dout_check, cache_check)


def conv_out_of(x, w, b):
    return conv_forward_naive(x, w, b, param_check)[0]


numerical = {
    "dx": numerical_gradient_array(lambda z: conv_out_of(z, w_check, b_check), x_check, dout_check),
    "dw": numerical_gradient_array(lambda z: conv_out_of(x_check, z, b_check), w_check, dout_check),
    "db": numerical_gradient_array(lambda z: conv_out_of(x_check, w_check, z), b_check, dout_check),
}
for name, mine in zip(numerical, (dx_check, dw_check, db_check)):
    print(f"{name}: relative error {rel_error(mine, numerical[name]):.1e}")

# %% [markdown]
# ## 5. Max pooling
#
# A pooling layer shrinks each channel on its own: every window of `pool_height × pool_width`
# pixels (moved by `stride`, no padding) is replaced by its largest value. A 2×2 pool with stride 2
# halves the height and the width; the network keeps *whether* a feature is there and forgets
# exactly where, within a pixel or two. It has no weights.
#
# Example: the 4×4 channel `[[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 2], [2, 6, 1, 1]]` with a 2×2
# pool and stride 2 gives `[[4, 5], [6, 3]]`.
#
# ### Exercise 5: `max_pool_forward_naive` (2 points)
#
# Loop over the output positions; the window at `(i, j)` starts at `(i * stride, j * stride)`;
# take the maximum over its rows and columns only, for every image and channel. Return
# `(out, cache)` with `cache = (x, pool_param)`.


# %% nbgrader={"grade": false, "grade_id": "max-pool-forward-naive", "locked": false, "schema_version": 3, "solution": true}
def max_pool_forward_naive(x, pool_param):
    """Forward pass of a max-pooling layer, with loops.

    x: (N, C, H, W); pool_param: {"pool_height": ph, "pool_width": pw, "stride": s}.
    Returns out (N, C, H_out, W_out) with H_out = (H - ph) // s + 1 (W_out likewise),
    and cache = (x, pool_param).
    """
    ### BEGIN SOLUTION
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    H_out = conv_output_size(H, ph, stride, 0)
    W_out = conv_output_size(W, pw, stride, 0)
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            top, left = i * stride, j * stride
            out[:, :, i, j] = x[:, :, top : top + ph, left : left + pw].max(axis=(2, 3))
    return out, (x, pool_param)
    ### END SOLUTION


# %% tags=["spec"]
def _pool(x, pool_param, step=None, reduce="max", axes=(2, 3)):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = (H - ph) // stride + 1, (W - pw) // stride + 1
    step = stride if step is None else step
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * step : i * step + ph, j * step : j * step + pw]
            value = window.max(axis=axes) if reduce == "max" else window.mean(axis=axes)
            out[:, :, i, j] = value if axes == (2, 3) else value[:, None]
    return out, (x, pool_param)


def _pool_stride_ignored(x, pool_param):
    return _pool(x, pool_param, step=1)


def _pool_over_channels(x, pool_param):
    return _pool(x, pool_param, axes=(1, 2, 3))


def _pool_average(x, pool_param):
    return _pool(x, pool_param, reduce="mean")


_POOL_EXAMPLE = np.array(
    [[[[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 3.0, 2.0], [2.0, 6.0, 1.0, 1.0]]]]
)


def _pool_param(ph, pw, stride):
    return {"pool_height": ph, "pool_width": pw, "stride": stride}


exercise(
    "max_pool_forward_naive",
    public=[
        case(_POOL_EXAMPLE, _pool_param(2, 2, 2), note="the example above: 2x2, stride 2"),
        case(
            np.round(np.random.default_rng(5).normal(size=(2, 2, 5, 6)), 2),
            _pool_param(3, 2, 1),
            note="N=2, C=2, 3x2 windows, stride 1 (overlapping)",
        ),
        case(
            np.round(np.random.default_rng(6).normal(size=(1, 3, 6, 7)), 2),
            _pool_param(2, 3, 2),
            note="2x3 windows, stride 2",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 2, 6, 4)), _pool_param(2, 2, 2), note="a batch of one"),
        case(rng.normal(size=(3, 3, 5, 7)), _pool_param(3, 3, 2), note="3x3, stride 2"),
        case(rng.normal(size=(2, 2, 4, 6)), _pool_param(1, 2, 1), note="1x2 windows, stride 1"),
    ],
    mistakes=[
        mistake(
            "stride ignored",
            _pool_stride_ignored,
            "output (i, j) is the maximum of the window starting at (i * stride, j * stride).",
        ),
        mistake(
            "took the maximum over the channels too",
            _pool_over_channels,
            "pooling works on each channel separately: take the maximum over the window's rows "
            "and columns only, axis=(2, 3).",
        ),
        mistake(
            "averaged instead of taking the maximum",
            _pool_average,
            "this is max pooling: each output is the largest value of its window, .max(...), "
            "not its mean.",
        ),
    ],
    uses=("conv_output_size",),
    driver="autograder.modules.convolutions:pool_forward",
    outputs=("returns", "out", "cache", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "max-pool-forward-naive-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""max_pool_forward_naive: the maximum of each window, per channel, cache (x, pool_param)."""
check("max_pool_forward_naive", max_pool_forward_naive, conv_output_size)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("12_convolutions", "max_pool_forward_naive", max_pool_forward_naive, conv_output_size)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 6: `max_pool_backward_naive` (3 points)
#
# The maximum of a window depends on one input only, the largest: a small change of any other
# input changes nothing. So the whole gradient of an output goes to the position of its window's
# maximum, and every other input of the window gets nothing from it. Two rules:
#
# * **ties**: when several inputs share the maximum, the whole gradient goes to the **first** of
#   them in row-major order, the one `np.argmax` of the flattened window picks
#   (`np.unravel_index` turns that index back into a row and a column);
# * **overlaps add**: with a stride smaller than the window, an input can be the maximum of
#   several windows, and collects the gradient of each.
#
# Loop over images, channels and positions (or vectorise over images and channels, if you like).


# %% nbgrader={"grade": false, "grade_id": "max-pool-backward-naive", "locked": false, "schema_version": 3, "solution": true}
def max_pool_backward_naive(dout, cache):
    """Backward pass of a max-pooling layer, with loops.

    dout: (N, C, H_out, W_out) upstream gradient; cache: (x, pool_param) from
    max_pool_forward_naive.
    Returns dx (N, C, H, W): each dout[n, c, i, j] added at the first maximum (np.argmax
    order) of its window, zero elsewhere.
    """
    x, pool_param = cache
    ### BEGIN SOLUTION
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i * stride, j * stride
                    window = x[n, c, top : top + ph, left : left + pw]
                    di, dj = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, top + di, left + dj] += dout[n, c, i, j]
    return dx
    ### END SOLUTION


# %% tags=["spec"]
def _pool_backward(dout, cache, step=None, route="first", add=True):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    step = stride if step is None else step
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    rows, cols = slice(i * step, i * step + ph), slice(j * step, j * step + pw)
                    window = x[n, c, rows, cols]
                    if route == "first":
                        mask = np.zeros(window.shape)
                        mask[np.unravel_index(np.argmax(window), window.shape)] = 1.0
                    elif route == "ties":
                        mask = (window == window.max()).astype(float)
                    else:
                        mask = np.ones(window.shape)
                    if add:
                        dx[n, c, rows, cols] += mask * dout[n, c, i, j]
                    else:
                        dx[n, c, rows, cols] = mask * dout[n, c, i, j]
    return dx


def _pool_backward_whole_window(dout, cache):
    return _pool_backward(dout, cache, route="all")


def _pool_backward_every_tie(dout, cache):
    return _pool_backward(dout, cache, route="ties")


def _pool_backward_stride_ignored(dout, cache):
    return _pool_backward(dout, cache, step=1)


def _pool_backward_overwrites(dout, cache):
    return _pool_backward(dout, cache, add=False)


def _pool_backward_case(x, pool_param, seed, note):
    """A case with dout drawn from ``seed``: a number for a public case, the hidden generator itself
    for a hidden one (a fixed seed there would repeat draws the public cases show)."""
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    shape = (x.shape[0], x.shape[1], (x.shape[2] - ph) // s + 1, (x.shape[3] - pw) // s + 1)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    dout = np.round(rng.normal(size=shape), 2)
    return case(x, pool_param, dout, note=note)


exercise(
    "max_pool_backward_naive",
    public=[
        _pool_backward_case(_POOL_EXAMPLE, _pool_param(2, 2, 2), 1, "the example above"),
        _pool_backward_case(
            np.random.default_rng(7).integers(0, 4, size=(2, 2, 4, 5)).astype(float),
            _pool_param(2, 2, 1),
            2,
            "whole numbers 0 to 3, so ties; 2x2 windows, stride 1 (overlapping)",
        ),
        _pool_backward_case(
            np.round(np.random.default_rng(8).normal(size=(1, 2, 7, 6)), 2),
            _pool_param(3, 2, 2),
            3,
            "3x2 windows, stride 2",
        ),
    ],
    hidden=lambda rng: [
        _pool_backward_case(
            rng.normal(size=(1, 3, 6, 6)), _pool_param(2, 2, 2), rng, "a batch of one, 2x2 stride 2"
        ),
        _pool_backward_case(
            rng.integers(0, 3, size=(2, 2, 5, 6)).astype(float),
            _pool_param(3, 3, 1),
            rng,
            "ties, overlapping 3x3 windows",
        ),
        _pool_backward_case(
            rng.normal(size=(2, 2, 7, 5)), _pool_param(3, 2, 2), rng, "3x2 windows, stride 2"
        ),
        _pool_backward_case(
            rng.integers(0, 2, size=(1, 2, 6, 4)).astype(float),
            _pool_param(2, 2, 2),
            rng,
            "many ties, stride 2",
        ),
    ],
    mistakes=[
        mistake(
            "sent the gradient to every cell of the window",
            _pool_backward_whole_window,
            "only the maximum reached the output: put dout[n, c, i, j] at the position of the "
            "window's maximum and leave the other cells at 0.",
        ),
        mistake(
            "sent the gradient to every tied maximum",
            _pool_backward_every_tie,
            "window == window.max() marks every tie, and the gradient would count several "
            "times: use np.argmax on the window, which picks the first maximum only.",
        ),
        mistake(
            "stride ignored in the backward pass",
            _pool_backward_stride_ignored,
            "output (i, j) pooled the window starting at (i * stride, j * stride): look for its "
            "maximum there, not at (i, j).",
        ),
        mistake(
            "overwrote dx where windows overlap",
            _pool_backward_overwrites,
            "an input that is the maximum of several windows collects all their gradients: "
            "dx[...] += ..., and only at the maximum (assigning a whole window erases the "
            "gradient an earlier window left there).",
        ),
    ],
    uses=("max_pool_forward_naive",),
    driver="autograder.modules.convolutions:pool_gradients",
    outputs=("dx", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "max-pool-backward-naive-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""max_pool_backward_naive: each gradient to its window's first maximum, overlaps added."""
check("max_pool_backward_naive", max_pool_backward_naive, max_pool_forward_naive)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden(
    "12_convolutions", "max_pool_backward_naive", max_pool_backward_naive, max_pool_forward_naive
)
### END HIDDEN TESTS

# %% [markdown]
# A convolution followed by a pool, on the digit: the edge maps of section 3 shrink to 4×4 and
# keep their strongest responses. And the backward pass of the pool, with an upstream gradient of
# ones: the inputs that won their window, one per window.

# %%
needs("conv_forward_naive", "max_pool_forward_naive", "max_pool_backward_naive")
pooled, pool_cache = max_pool_forward_naive(
    edge_maps, {"pool_height": 2, "pool_width": 2, "stride": 2}
)
winners = max_pool_backward_naive(np.ones_like(pooled), pool_cache)
fig, axes = plt.subplots(1, 3, figsize=(9, 3))
limit = np.abs(edge_maps[0, 0]).max()
axes[0].imshow(edge_maps[0, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
axes[0].set_title("vertical edges, 8x8")
axes[1].imshow(pooled[0, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
axes[1].set_title("max pooled, 4x4")
axes[2].imshow(winners[0, 0], cmap="Greens")
axes[2].set_title("where the gradient goes")
for ax in axes:
    ax.axis("off")
plt.show()

# %% [markdown]
# ## 6. im2col: a convolution is one matrix product
#
# Your naive layer runs a Python loop over the output positions, and Python loops are slow. But
# look at what each step does: it takes one window, flattened to $C \cdot HH \cdot WW$ numbers,
# and takes its dot product with each flattened filter. Put every window of every image as a
# **row** of one matrix `cols`, and every filter as a row of `w.reshape(F, -1)`: then *all* the
# dot products are a single matrix product, which NumPy hands to an optimised BLAS library.
#
# $$\underbrace{\texttt{cols}}_{(N H_\text{out} W_\text{out}) \times (C\,HH\,WW)} \;\cdot\;
# \underbrace{\texttt{w.reshape(F, -1).T}}_{(C\,HH\,WW) \times F}
# \;=\; \text{out, as a } (N H_\text{out} W_\text{out}) \times F \text{ matrix.}$$
#
# The price is memory: a pixel inside nine 3×3 windows is copied nine times. The orders must
# match exactly:
#
# * **rows** in C order of `(n, i, j)`: image 0's positions first, row by row;
# * **columns** in C order of `(c, di, dj)`: the order of `w[f].reshape(-1)`, which is what
#   `w.reshape(F, -1)` uses.
#
# For example, one 3×3 image `[[0, 1, 2], [3, 4, 5], [6, 7, 8]]` with 2×2 windows, stride 1, no
# padding gives four rows `[0, 1, 3, 4]`, `[1, 2, 4, 5]`, `[3, 4, 6, 7]`, `[4, 5, 7, 8]`.
#
# ### Exercise 7: `im2col` (3 points)
#
# Pad the images with your `zero_pad`, and compute the sizes with `conv_output_size`. Loops over
# the window offsets `(di, dj)` or the positions `(i, j)` are fine; so is
# `sliding_window_view` (imported above, it gives every window as a view, without copying), or
# `as_strided` if you are brave. Whatever you use, mind the order of the rows and the columns.


# %% nbgrader={"grade": false, "grade_id": "im2col", "locked": false, "schema_version": 3, "solution": true}
def im2col(x, HH, WW, stride, pad):
    """Every (padded) window of every image as a row of a matrix.

    x: (N, C, H, W); HH, WW: window size; stride, pad: as in conv_param.
    Returns cols (N * H_out * W_out, C * HH * WW): row (n, i, j) in C order holds the window
    at output position (i, j) of image n, flattened in (c, di, dj) C order.
    """
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    H_out = conv_output_size(H, HH, stride, pad)
    W_out = conv_output_size(W, WW, stride, pad)
    x_pad = zero_pad(x, pad)
    sn, sc, sh, sw = x_pad.strides
    # windows[c, di, dj, n, i, j] = x_pad[n, c, i * stride + di, j * stride + dj], a view
    windows = as_strided(
        x_pad,
        shape=(C, HH, WW, N, H_out, W_out),
        strides=(sc, sh, sw, sn, stride * sh, stride * sw),
        writeable=False,
    )
    # one copy, whose inner loop runs along a row of the image, then .T, which moves nothing:
    # the matrix (N H_out W_out, C HH WW), stored column by column (BLAS reads it just as fast)
    return windows.reshape(C * HH * WW, N * H_out * W_out).T
    ### END SOLUTION


# %% tags=["spec"]
def _windows(x, HH, WW, stride, pad):
    """(N, H_out, W_out, C, HH, WW): every window, by loops."""
    N, C, H, W = x.shape
    H_out, W_out = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, H_out, W_out, C, HH, WW))
    for i in range(H_out):
        for j in range(W_out):
            out[:, i, j] = x_pad[:, :, i * stride : i * stride + HH, j * stride : j * stride + WW]
    return out


def _im2col_channels_last(x, HH, WW, stride, pad):
    win = _windows(x, HH, WW, stride, pad)
    return win.transpose(0, 1, 2, 4, 5, 3).reshape(win.shape[0] * win.shape[1] * win.shape[2], -1)


def _im2col_positions_first(x, HH, WW, stride, pad):
    win = _windows(x, HH, WW, stride, pad)
    n, h, v = win.shape[:3]
    return win.transpose(1, 2, 0, 3, 4, 5).reshape(n * h * v, -1)


def _im2col_transposed(x, HH, WW, stride, pad):
    win = _windows(x, HH, WW, stride, pad)
    n, h, v = win.shape[:3]
    return win.reshape(n * h * v, -1).T


def _im2col_no_padding(x, HH, WW, stride, pad):
    win = _windows(x, HH, WW, stride, 0)
    n, h, v = win.shape[:3]
    return win.reshape(n * h * v, -1)


exercise(
    "im2col",
    public=[
        case(np.arange(9.0).reshape(1, 1, 3, 3), 2, 2, 1, 0, note="the example above"),
        case(np.arange(24.0).reshape(2, 2, 2, 3), 2, 3, 1, 1, note="N=2, C=2, 2x3 windows, pad 1"),
        case(
            np.round(np.random.default_rng(9).normal(size=(1, 3, 5, 4)), 2),
            3,
            2,
            2,
            1,
            note="C=3, 3x2 windows, stride 2, pad 1",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 2, 5, 7)), 3, 2, 2, 2, note="a batch of one, stride 2, pad 2"),
        case(rng.normal(size=(3, 2, 4, 4)), 2, 2, 1, 0, note="N=3, C=2, pad 0"),
        case(rng.normal(size=(2, 3, 6, 5)), 3, 3, 2, 1, note="3x3 windows, stride 2"),
    ],
    mistakes=[
        mistake(
            "columns ordered (di, dj, c), not as w.reshape(F, -1)",
            _im2col_channels_last,
            "w.reshape(F, -1) flattens each filter in (c, di, dj) order, channel first: flatten "
            "each window the same way, window.reshape(-1) of its (C, HH, WW) block.",
        ),
        mistake(
            "rows ordered by position first, not image first",
            _im2col_positions_first,
            "row (n, i, j) in C order: all the positions of image 0 first, then image 1's, so "
            "that the result reshapes to (N, H_out, W_out, F).",
        ),
        mistake(
            "returned the transpose (one window per column)",
            _im2col_transposed,
            "here each window is a row: the shape is (N * H_out * W_out, C * HH * WW) (some "
            "texts use the transpose; this course does not).",
        ),
        mistake(
            "forgot the padding",
            _im2col_no_padding,
            "take the windows of the padded images, zero_pad(x, pad), and size the output with "
            "the padding included.",
        ),
    ],
    uses=("conv_output_size", "zero_pad"),
    driver="autograder.modules.convolutions:im2col_call",
    outputs=("cols", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "im2col-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""im2col: each padded window as a row, rows (n, i, j) and columns (c, di, dj) in C order."""
check("im2col", im2col, conv_output_size, zero_pad)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("12_convolutions", "im2col", im2col, conv_output_size, zero_pad)
### END HIDDEN TESTS

# %% [markdown]
# The matrix of the example, and of the same image with padding 1 and stride 2: each row is a
# window, the zeros at the borders are the padding.

# %%
needs("im2col")
small = np.arange(9.0).reshape(1, 1, 3, 3)
print("2x2 windows, stride 1, no padding:\n", im2col(small, 2, 2, 1, 0))
print("2x2 windows, stride 2, padding 1:\n", im2col(small, 2, 2, 2, 1))

# %% [markdown]
# ## 7. col2im: the way back
#
# The backward pass of the product gives `dcols`, the gradient of every window's copy of every
# pixel. A pixel that was copied into several windows influenced the output through each copy, so
# its gradient is the **sum** of the gradients of its copies. `col2im` does that: it walks over the
# windows as `im2col` did and **adds** each row back where it came from, then drops the padding.
#
# It is not the inverse of `im2col` (`col2im(im2col(x))` counts a pixel once per window it is
# in): it is its *adjoint*, the transpose of the linear map `im2col`, which is exactly what a
# backward pass needs. For every `x` and `cols` of the right shapes,
# $\langle \texttt{im2col}(x), \texttt{cols} \rangle = \langle x, \texttt{col2im}(\texttt{cols})
# \rangle$.
#
# ### Exercise 8: `col2im` (3 points)
#
# Start from zeros of the padded shape, add each window's row (reshaped to `(C, HH, WW)`) at its
# place, with `+=`, then return the middle `(N, C, H, W)`.


# %% nbgrader={"grade": false, "grade_id": "col2im", "locked": false, "schema_version": 3, "solution": true}
def col2im(cols, x_shape, HH, WW, stride, pad):
    """The adjoint of im2col: every row added back to the window it came from.

    cols: (N * H_out * W_out, C * HH * WW), laid out as im2col's; x_shape: (N, C, H, W);
    HH, WW, stride, pad: as in im2col.
    Returns (N, C, H, W): the padded sum of the windows, without its border.
    """
    ### BEGIN SOLUTION
    N, C, H, W = x_shape
    H_out = conv_output_size(H, HH, stride, pad)
    W_out = conv_output_size(W, WW, stride, pad)
    # blocks[c, di, dj] is (N, H_out, W_out): what goes to x_pad[n, c, i * stride + di, ...]
    blocks = cols.T.reshape(C, HH, WW, N, H_out, W_out)
    x_pad = np.zeros((C, N, H + 2 * pad, W + 2 * pad), dtype=cols.dtype)
    for di in range(HH):
        for dj in range(WW):
            rows = slice(di, di + stride * H_out, stride)
            columns = slice(dj, dj + stride * W_out, stride)
            x_pad[:, :, rows, columns] += blocks[:, di, dj]  # overlapping windows add up
    return x_pad[:, :, pad : pad + H, pad : pad + W].transpose(1, 0, 2, 3)
    ### END SOLUTION


# %% tags=["spec"]
def _col2im(cols, x_shape, HH, WW, stride, pad, add=True, crop=True, order="c", average=False):
    N, C, H, W = x_shape
    H_out, W_out = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    rows = cols.reshape(N, H_out, W_out, -1)
    x_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    count = np.zeros_like(x_pad)
    for i in range(H_out):
        for j in range(W_out):
            if order == "c":
                window = rows[:, i, j].reshape(N, C, HH, WW)
            else:
                window = rows[:, i, j].reshape(N, HH, WW, C).transpose(0, 3, 1, 2)
            place = (
                slice(None),
                slice(None),
                slice(i * stride, i * stride + HH),
                slice(j * stride, j * stride + WW),
            )
            if add:
                x_pad[place] += window
            else:
                x_pad[place] = window
            count[place] += 1
    if average:
        x_pad = x_pad / np.maximum(count, 1)
    return x_pad[:, :, pad : pad + H, pad : pad + W] if crop else x_pad


def _col2im_overwrites(cols, x_shape, HH, WW, stride, pad):
    return _col2im(cols, x_shape, HH, WW, stride, pad, add=False)


def _col2im_averages(cols, x_shape, HH, WW, stride, pad):
    return _col2im(cols, x_shape, HH, WW, stride, pad, average=True)


def _col2im_padded(cols, x_shape, HH, WW, stride, pad):
    return _col2im(cols, x_shape, HH, WW, stride, pad, crop=False)


def _col2im_channels_last(cols, x_shape, HH, WW, stride, pad):
    return _col2im(cols, x_shape, HH, WW, stride, pad, order="channels last")


def _col2im_case(rng, x_shape, HH, WW, stride, pad, note):
    N, C, H, W = x_shape
    rows = N * ((H + 2 * pad - HH) // stride + 1) * ((W + 2 * pad - WW) // stride + 1)
    cols = np.round(rng.normal(size=(rows, C * HH * WW)), 2)
    return case(cols, x_shape, HH, WW, stride, pad, note=f"{note}: x_shape {x_shape}")


exercise(
    "col2im",
    public=[
        case(
            np.ones((4, 4)),
            (1, 1, 3, 3),
            2,
            2,
            1,
            0,
            note="ones for the example of im2col: how many windows hold each pixel",
        ),
        _col2im_case(
            np.random.default_rng(10), (2, 2, 3, 3), 2, 2, 1, 1, "2x2 windows, stride 1, pad 1"
        ),
        _col2im_case(
            np.random.default_rng(11), (1, 3, 5, 4), 3, 2, 2, 1, "3x2 windows, stride 2, pad 1"
        ),
    ],
    hidden=lambda rng: [
        _col2im_case(rng, (1, 2, 5, 7), 3, 2, 2, 2, "a batch of one, stride 2, pad 2"),
        _col2im_case(rng, (3, 2, 4, 4), 2, 2, 1, 0, "pad 0"),
        _col2im_case(rng, (2, 3, 6, 5), 3, 3, 1, 1, "3x3 windows, stride 1"),
    ],
    mistakes=[
        mistake(
            "overwrote where overlapping windows must add",
            _col2im_overwrites,
            "a pixel copied into several windows gets the sum of their gradients: add each "
            "window back with +=, never =.",
        ),
        mistake(
            "averaged the overlapping windows",
            _col2im_averages,
            "col2im is not the inverse of im2col but its adjoint: sum the copies of a pixel, "
            "do not divide by how many there are.",
        ),
        mistake(
            "returned the padded images",
            _col2im_padded,
            "the padding is not part of x: return the middle, x_pad[:, :, pad:pad + H, "
            "pad:pad + W], of shape x_shape.",
        ),
        mistake(
            "read the columns in (di, dj, c) order",
            _col2im_channels_last,
            "a row of cols is a window flattened in (c, di, dj) order, as im2col made it: "
            "reshape it to (C, HH, WW).",
        ),
    ],
    uses=("conv_output_size",),
    driver="autograder.modules.convolutions:col2im_call",
    outputs=("x", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "col2im-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""col2im: the adjoint of im2col, overlapping windows added, padding dropped."""
check("col2im", col2im, conv_output_size)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("12_convolutions", "col2im", col2im, conv_output_size)
### END HIDDEN TESTS

# %% [markdown]
# The adjoint property, tested on random inputs: the two inner products agree to rounding.

# %%
needs("im2col", "col2im")
rng = np.random.default_rng(1)
x_random = rng.normal(size=(2, 3, 6, 5))
cols_random = rng.normal(size=im2col(x_random, 3, 3, 2, 1).shape)
left = np.sum(im2col(x_random, 3, 3, 2, 1) * cols_random)
right = np.sum(x_random * col2im(cols_random, x_random.shape, 3, 3, 2, 1))
print(f"<im2col(x), cols> = {left:.10f}\n<x, col2im(cols)> = {right:.10f}")

# %% [markdown]
# ## 8. The fast layer
#
# With `im2col` and `col2im`, the convolution layer is three lines each way. Forward: one matrix
# product, plus the bias, reshaped from `(N H_out W_out, F)` rows to `(N, H_out, W_out, F)` and
# then moved to `(N, F, H_out, W_out)` with a transpose (a reshape alone would scramble it).
# Backward, the affine layer's formulas on the flattened windows, with `dout` flattened the same
# way, `dout_rows` of shape `(N H_out W_out, F)`:
#
# $$dw = \texttt{dout\_rows}^\top\, \texttt{cols} \text{ (reshaped to w's shape)}, \qquad
# d\,\texttt{cols} = \texttt{dout\_rows}\; \texttt{w.reshape(F, -1)}, \qquad
# dx = \texttt{col2im}(d\,\texttt{cols}), \qquad db = \textstyle\sum \texttt{dout\_rows}.$$
#
# ### Exercise 9: `conv_forward_fast` (2 points)
#
# The same numbers as `conv_forward_naive`, through your `im2col` and one matrix product; no loop.
# The cache is yours to design: keep what your `conv_backward_fast` needs (keeping `cols` saves
# building it again).


# %% nbgrader={"grade": false, "grade_id": "conv-forward-fast", "locked": false, "schema_version": 3, "solution": true}
def conv_forward_fast(x, w, b, conv_param):
    """Forward pass of a convolutional layer by im2col and one matrix product.

    x: (N, C, H, W); w: (F, C, HH, WW); b: (F,); conv_param: {"stride": s, "pad": p}.
    Returns out (N, F, H_out, W_out), the same as conv_forward_naive's, and a cache of your
    design for conv_backward_fast.
    """
    ### BEGIN SOLUTION
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = conv_output_size(H, HH, stride, pad)
    W_out = conv_output_size(W, WW, stride, pad)
    cols = im2col(x, HH, WW, stride, pad)
    # the transpose of cols @ w.reshape(F, -1).T: the same numbers, laid out (F, N H_out W_out),
    # which BLAS computes faster from the way im2col stores cols
    out = w.reshape(F, -1) @ cols.T
    out += b[:, None]
    out = out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
    return out, (x, w, b, conv_param, cols)
    ### END SOLUTION


# %% tags=["spec"]
def _fast_forward(x, w, b, conv_param, flat_w=None, layout="right", bias=True):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out, W_out = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    cols = im2col(x, HH, WW, stride, pad)
    rows = cols @ (w.reshape(F, -1) if flat_w is None else flat_w).T + (b if bias else 0.0)
    if layout == "right":
        out = rows.reshape(N, H_out, W_out, F).transpose(0, 3, 1, 2)
    else:
        out = rows.reshape(N, F, H_out, W_out)
    return out, (x, w, b, conv_param, cols)


def _fast_forward_no_transpose(x, w, b, conv_param):
    return _fast_forward(x, w, b, conv_param, layout="reshape only")


def _fast_forward_w_channels_last(x, w, b, conv_param):
    return _fast_forward(
        x, w, b, conv_param, flat_w=w.transpose(0, 2, 3, 1).reshape(w.shape[0], -1)
    )


def _fast_forward_no_bias(x, w, b, conv_param):
    return _fast_forward(x, w, b, conv_param, bias=False)


exercise(
    "conv_forward_fast",
    private_cache=True,  # what goes in the cache is the learner's design
    public=_conv_cases_public(),
    hidden=_conv_cases_hidden,
    mistakes=[
        mistake(
            "reshaped to (N, F, H_out, W_out) without a transpose",
            _fast_forward_no_transpose,
            "the rows of cols @ w.reshape(F, -1).T are (n, i, j) and its columns f: reshape to "
            "(N, H_out, W_out, F), then .transpose(0, 3, 1, 2).",
        ),
        mistake(
            "flattened w in another order than im2col's columns",
            _fast_forward_w_channels_last,
            "im2col's columns are (c, di, dj), the order of w.reshape(F, -1) on w as it is: do "
            "not transpose w before flattening it.",
        ),
        mistake(
            "forgot the bias",
            _fast_forward_no_bias,
            "add b (shape (F,)) to the (N H_out W_out, F) product: broadcasting adds b[f] to "
            "column f.",
        ),
    ],
    uses=("im2col", "conv_output_size"),
    driver="autograder.modules.convolutions:fast_forward",
    outputs=("returns", "out", "inputs left unchanged"),
)

# %% nbgrader={"grade": true, "grade_id": "conv-forward-fast-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""conv_forward_fast: the naive layer's numbers, by im2col and one matrix product."""
check("conv_forward_fast", conv_forward_fast, im2col, conv_output_size)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("12_convolutions", "conv_forward_fast", conv_forward_fast, im2col, conv_output_size)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 10: `conv_backward_fast` (3 points)
#
# The formulas above, with your `col2im`; no loop (other than col2im's). The check builds the
# cache with your `conv_forward_fast`.


# %% nbgrader={"grade": false, "grade_id": "conv-backward-fast", "locked": false, "schema_version": 3, "solution": true}
def conv_backward_fast(dout, cache):
    """Backward pass of the im2col convolution.

    dout: (N, F, H_out, W_out); cache: from conv_forward_fast.
    Returns dx (N, C, H, W), dw (F, C, HH, WW), db (F,), the same as conv_backward_naive's.
    """
    ### BEGIN SOLUTION
    x, w, b, conv_param, cols = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    F, _, HH, WW = w.shape
    # dout_rows.T: column (n, i, j) of it goes with row (n, i, j) of cols
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)  # (F, N H_out W_out)
    db = dout_t.sum(axis=1)
    dw = (dout_t @ cols).reshape(w.shape)
    # dcols = dout_rows @ w.reshape(F, -1), computed transposed: col2im then reads each
    # offset (c, di, dj) as one contiguous block
    dcols = (w.reshape(F, -1).T @ dout_t).T
    dx = col2im(dcols, x.shape, HH, WW, stride, pad)
    return dx, dw, db
    ### END SOLUTION


# %% tags=["spec"]
def _fast_backward(dout, cache, rows="right", dw_order="right", db_axes=(0, 2, 3)):
    x, w, b, conv_param, cols = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    F, _, HH, WW = w.shape
    if rows == "right":
        dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)
    else:
        dout_rows = dout.reshape(-1, F)
    if dw_order == "right":
        dw = (dout_rows.T @ cols).reshape(w.shape)
    else:
        dw = (cols.T @ dout_rows).reshape(w.shape)
    dx = col2im(dout_rows @ w.reshape(F, -1), x.shape, HH, WW, stride, pad)
    return dx, dw, dout.sum(axis=db_axes)


def _fast_backward_dout_not_transposed(dout, cache):
    return _fast_backward(dout, cache, rows="reshape only")


def _fast_backward_dw_transposed(dout, cache):
    return _fast_backward(dout, cache, dw_order="transposed")


def _fast_backward_db_batch_only(dout, cache):
    return _fast_backward(dout, cache, db_axes=0)


exercise(
    "conv_backward_fast",
    public=_conv_cases_public(dout=True),
    hidden=lambda rng: _conv_cases_hidden(rng, dout=True),
    mistakes=[
        mistake(
            "flattened dout without moving F last",
            _fast_backward_dout_not_transposed,
            "dout is (N, F, H_out, W_out); its rows must match cols' rows (n, i, j): "
            "dout.transpose(0, 2, 3, 1).reshape(-1, F), not dout.reshape(-1, F).",
        ),
        mistake(
            "dw transposed before reshaping",
            _fast_backward_dw_transposed,
            "cols.T @ dout_rows has shape (C HH WW, F) and reshapes to w's shape without an "
            "error, but with the numbers in the wrong places: dw = (dout_rows.T @ cols), shape "
            "(F, C HH WW), then .reshape(w.shape).",
        ),
        mistake(
            "db summed over the batch only",
            _fast_backward_db_batch_only,
            "each filter's bias was added at every position of every image: sum dout over "
            "axes (0, 2, 3), shape (F,).",
        ),
    ],
    uses=("conv_forward_fast", "col2im"),
    driver="autograder.modules.convolutions:fast_conv_gradients",
    outputs=("dx", "dw", "db", "numerical gradient check"),
    advisory=("numerical gradient check",),
)

# %% nbgrader={"grade": true, "grade_id": "conv-backward-fast-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""conv_backward_fast: the naive layer's gradients, through col2im."""
check("conv_backward_fast", conv_backward_fast, conv_forward_fast, col2im)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("12_convolutions", "conv_backward_fast", conv_backward_fast, conv_forward_fast, col2im)
### END HIDDEN TESTS

# %% [markdown]
# ## 9. The same numbers, much faster
#
# First the two versions side by side on a random layer with stride 2 and padding 2: the largest
# differences are rounding errors.

# %%
needs("conv_forward_naive", "conv_backward_naive", "conv_forward_fast", "conv_backward_fast")
rng = np.random.default_rng(2)
x_same = rng.normal(size=(4, 3, 9, 8))
w_same = rng.normal(size=(5, 3, 3, 2))
b_same = rng.normal(size=5)
param_same = {"stride": 2, "pad": 2}
out_naive, cache_naive = conv_forward_naive(x_same, w_same, b_same, param_same)
out_fast, cache_fast = conv_forward_fast(x_same, w_same, b_same, param_same)
dout_same = rng.normal(size=out_naive.shape)
grads_naive = conv_backward_naive(dout_same, cache_naive)
grads_fast = conv_backward_fast(dout_same, cache_fast)
print(f"out: largest difference {np.abs(out_naive - out_fast).max():.1e}")
for name, g_naive, g_fast in zip(["dx", "dw", "db"], grads_naive, grads_fast):
    print(f"{name}: largest difference {np.abs(g_naive - g_fast).max():.1e}")

# %% [markdown]
# Now the clock, forward and backward together, on two shapes: the first layer of module 13's
# network on a batch of 50 digits, and a middle layer of a small image network. PyTorch's
# `conv2d` is timed too if it is installed (it is not part of this course's environment; the
# course's own benchmark, `make bench`, installs it on the side). Everything runs on one thread,
# in float64, so that the comparison is fair. The best of a few runs is kept.


# %%
needs("conv_forward_naive", "conv_backward_naive", "conv_forward_fast", "conv_backward_fast")


def best_time(fn, args, repeats):
    """The fastest of `repeats` runs of fn(*args), in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def naive_step(x, w, b, param, dout):
    _, cache = conv_forward_naive(x, w, b, param)
    conv_backward_naive(dout, cache)


def fast_step(x, w, b, param, dout):
    _, cache = conv_forward_fast(x, w, b, param)
    conv_backward_fast(dout, cache)


def torch_step(x, w, b, param, dout):
    x.grad = w.grad = b.grad = None
    out = torch.nn.functional.conv2d(x, w, b, stride=param["stride"], padding=param["pad"])
    out.backward(dout)


shapes = {
    "digits (50, 1, 8, 8), 16 filters 3x3": ((50, 1, 8, 8), (16, 1, 3, 3)),
    "a middle layer (32, 16, 16, 16), 32 filters 3x3": ((32, 16, 16, 16), (32, 16, 3, 3)),
}
has_torch = importlib.util.find_spec("torch") is not None
if has_torch:
    import torch

    torch.set_num_threads(1)
else:
    print(
        "PyTorch is not installed here: its column is left out "
        "(nothing to install for this course)."
    )

rng = np.random.default_rng(3)
param = {"stride": 1, "pad": 1}
timings = {}
with threadpool_limits(1):
    for label, (x_shape, w_shape) in tqdm(shapes.items(), desc="timing"):
        x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
        dout = rng.normal(size=(x_shape[0], w_shape[0], *x_shape[2:]))
        row = {
            "naive": best_time(naive_step, (x, w, b, param, dout), 1),
            "im2col": best_time(fast_step, (x, w, b, param, dout), 5),
        }
        if has_torch:
            tensors = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
            row["torch"] = best_time(torch_step, (*tensors, param, torch.tensor(dout)), 5)
        timings[label] = row

print(f"{'forward + backward, ms':<50}" + "".join(f"{k:>10}" for k in next(iter(timings.values()))))
for label, row in timings.items():
    print(f"{label:<50}" + "".join(f"{v:>10.2f}" for v in row.values()))
for label, row in timings.items():
    speedup = row["naive"] / row["im2col"]
    line = f"{label}: im2col is {speedup:.0f}x faster than the loops"
    if has_torch:
        line += f", and takes {row['im2col'] / row['torch']:.2f}x PyTorch's time"
    print(line)

fig, ax = plt.subplots(figsize=(8, 2.8))
names = list(next(iter(timings.values())))
for k, name in enumerate(names):
    ax.barh(
        np.arange(len(timings)) + 0.25 * k,
        [row[name] for row in timings.values()],
        height=0.25,
        label=name,
    )
ax.set_yticks(np.arange(len(timings)) + 0.25)
ax.set_yticklabels([label.split(",")[0] for label in timings])
ax.set_xscale("log")
ax.set_xlabel("milliseconds, forward + backward (log scale)")
ax.legend()
plt.show()

# %% [markdown]
# **What you built.** A convolutional layer and a max-pooling layer, forward and backward, twice:
# once with loops that show every index, once as a matrix product that runs several times to a
# hundred times faster (the more loops your naive version has, the larger the gap), close to what
# a deep-learning library does on a CPU: on one thread, in float64, this course's reference im2col
# layer takes between 1.0 and 1.4 times PyTorch's time on the two shapes above. The loops are the
# specification; the fast version is checked against them. **Next**, module 13 stacks these layers into a network
# that reads digits, and looks at what its filters learned.
