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
# # 00 · Orientation: a classifier first, then the tools to build one
#
# **Why this matters.** By the end of this course you will have written, in plain NumPy, every
# piece of the model in the next few cells. Before opening the black box, let us watch it work:
# a small neural network that learns to read handwritten digits in a couple of seconds.
#
# This notebook also shows how the course works: you write a function where it says
# `raise todo()`, run the **check** right below it, and read what the check tells you. Checks
# compare your answer with expected answers on examples, and when your answer looks like a
# mistake people often make, they say which one.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from autograder import load_checks, needs, todo

check = load_checks("00_orientation")

# %% [markdown]
# ## 1. A first encounter: a neural network reads digits
#
# scikit-learn ships 1,797 handwritten digits, each an 8×8 grey image. We keep a quarter of them
# aside as a **test set** the network never sees during training, so that its score tells us how
# well it *generalises*.

# %%
digits = load_digits()
X_train, X_test, y_train, y_test = train_test_split(
    digits.data / 16.0, digits.target, test_size=0.25, random_state=0, stratify=digits.target
)
print("training images:", X_train.shape, " test images:", X_test.shape)

fig, axes = plt.subplots(1, 10, figsize=(10, 1.4))
for ax, image, label in zip(axes, digits.images, digits.target):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(str(label))
    ax.axis("off")
plt.show()

# %% [markdown]
# Three lines train a network with one hidden layer of 64 units. Later modules rebuild each part:
# the layers (module 07), the gradients (modules 02 and 08), the optimiser (module 10).

# %%
start = time.perf_counter()
classifier = MLPClassifier(hidden_layer_sizes=(64,), max_iter=300, random_state=0)
classifier.fit(X_train, y_train)
print(f"trained in {time.perf_counter() - start:.1f} s")
print(f"test accuracy: {classifier.score(X_test, y_test):.3f}")

# %% [markdown]
# What does it get wrong? Red titles are mistakes. Most are digits a person could misread too.

# %%
predictions = classifier.predict(X_test)
wrong = np.flatnonzero(predictions != y_test)
shown = np.concatenate([wrong[:6], np.flatnonzero(predictions == y_test)[:6]])
fig, axes = plt.subplots(1, len(shown), figsize=(12, 1.6))
for ax, i in zip(axes, shown):
    ax.imshow(X_test[i].reshape(8, 8), cmap="gray_r")
    ok = predictions[i] == y_test[i]
    ax.set_title(f"{predictions[i]} ({y_test[i]})", color="black" if ok else "red", fontsize=9)
    ax.axis("off")
fig.suptitle("predicted (true)", fontsize=9)
plt.show()

# %% [markdown]
# The network does not just pick a digit: it gives a probability to each of the ten. Move the
# slider to look at other test images and see how sure the network is. Confident and right,
# hesitant between two similar digits, confidently wrong: you will find all three.

# %%
probabilities = classifier.predict_proba(X_test)


def show_prediction(index=0):
    fig, (ax_image, ax_bars) = plt.subplots(1, 2, figsize=(7, 2.4))
    ax_image.imshow(X_test[index].reshape(8, 8), cmap="gray_r")
    ax_image.set_title(f"test image {index}: true label {y_test[index]}")
    ax_image.axis("off")
    colors = ["tab:green" if d == y_test[index] else "tab:gray" for d in range(10)]
    ax_bars.bar(range(10), probabilities[index], color=colors)
    ax_bars.set_xticks(range(10))
    ax_bars.set_ylim(0, 1)
    ax_bars.set_title("network's probabilities")
    plt.show()


prediction_viewer = widgets.interact(
    show_prediction, index=widgets.IntSlider(0, 0, len(X_test) - 1, description="image")
)

# %% [markdown]
# ## 2. How this course works
#
# * **Run cells** with Shift+Enter. Run them in order: later cells use names earlier ones define.
# * **Exercises** are functions whose body is `raise todo()`. Replace that line with your code,
#   run the cell, then run the check cell under it.
# * **Checks** print a ✔ line when your function is right on the public examples. When it is
#   wrong they tell you the call, what was expected, what came back, where the first difference
#   is, and, when they recognise a common mistake, its name and a hint.
# * **Grading** runs the same functions on hidden inputs (other shapes, edge cases). Passing the
#   public check is necessary, not sufficient: write the general function, not one that fits the
#   examples.
# * **Each exercise is judged on its own.** When a later exercise calls an earlier one (a
#   network's `predict` calls your `forward`), its check uses your earlier function where it gives
#   the expected answers and the expected answers where it does not: one mistake costs the points
#   of the exercise it is in, never those of the exercises built on it.
# * **Validate** (the button in the toolbar) runs the whole notebook as the grader will.
#
# ## 3. NumPy essentials
#
# Everything in this course is an **array**: a block of numbers with a **shape** and a **dtype**.

# %%
a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print("shape", a.shape, "| dtype", a.dtype, "| ndim", a.ndim, "| size", a.size)
print("as integers:", a.astype(np.int64).dtype, "| as booleans:", (a > 2).dtype)

# %% [markdown]
# Reductions take an `axis`: the axis that **disappears**. `axis=0` collapses the rows (one
# result per column), `axis=1` collapses the columns (one result per row). `keepdims=True` keeps
# the collapsed axis with length 1, which is what you need to **broadcast** the result back
# against the original array.

# %%
print("sum over axis 0:", a.sum(axis=0), "shape", a.sum(axis=0).shape)
print("sum over axis 1:", a.sum(axis=1), "shape", a.sum(axis=1).shape)
row_sums = a.sum(axis=1, keepdims=True)
print("keepdims shape:", row_sums.shape)
print("each row divided by its sum:\n", a / row_sums)

# %% [markdown]
# **Broadcasting** stretches axes of length 1 so that shapes line up, without copying data.
# Shapes are compared from the right: `(2, 3)` with `(3,)` works, `(2, 3)` with `(2, 1)` works,
# `(2, 3)` with `(2,)` does not.

# %%
column = np.array([[10.0], [20.0]])  # shape (2, 1)
row = np.array([1.0, 2.0, 3.0])  # shape (3,)
print((column + row).shape)
print(column + row)

# %% [markdown]
# **Vectorise.** A Python loop over array elements is slow: each step goes through the
# interpreter. The same computation as one NumPy expression runs in compiled code.

# %%
values = np.random.default_rng(0).normal(size=200_000)

start = time.perf_counter()
total = 0.0
for v in values:
    total += v * v
loop_time = time.perf_counter() - start

start = time.perf_counter()
total_vectorised = np.dot(values, values)
vector_time = time.perf_counter() - start

print(
    f"loop {loop_time * 1e3:.1f} ms, vectorised {vector_time * 1e3:.2f} ms, "
    f"{loop_time / vector_time:.0f}x faster; same result: {np.isclose(total, total_vectorised)}"
)

# %% [markdown]
# ## 4. Exercises
#
# ### Exercise 1: `normalize_rows` (2 points)
#
# Scale each row of a matrix to unit Euclidean length: row $i$ becomes
# $x_i / \lVert x_i \rVert_2$. A row of zeros has no direction: leave it as zeros (no NaN).
# No Python loops: use `np.linalg.norm` with the right `axis` and `keepdims`, and `np.where`
# (or a safe divisor) for zero rows.


# %% nbgrader={"grade": false, "grade_id": "normalize-rows", "locked": false, "schema_version": 3, "solution": true}
def normalize_rows(X):
    """Scale each row of X to unit L2 norm; rows of zeros stay zero.

    X: (N, D) array of floats.
    Returns an (N, D) array whose non-zero rows have norm 1.
    """
    ### BEGIN SOLUTION
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _normalize_columns(X):
    norms = np.linalg.norm(X, axis=0, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)


def _normalize_no_keepdims(X):
    norms = np.linalg.norm(X, axis=1)
    return X / np.where(norms == 0, 1.0, norms)


def _normalize_zero_rows_nan(X):
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def _normalize_squared_norm(X):
    norms = np.sum(X**2, axis=1, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)


exercise(
    "normalize_rows",
    public=[
        case(np.array([[3.0, 4.0], [1.0, 0.0], [0.0, -2.0]]), note="three rows, non-square"),
        case(np.array([[1.0, 2.0, 2.0], [0.0, 0.0, 0.0], [2.0, 3.0, 6.0]]), note="a row of zeros"),
        case(np.array([[2.0, 1.0, 2.0], [4.0, 0.0, 3.0], [1.0, 1.0, 1.0]]), note="square"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 5)), note="a batch of one"),
        case(rng.normal(size=(7, 3)), note="random, tall"),
        case(rng.normal(size=(4, 4)), note="random, square"),
        case(rng.normal(size=(2, 9)) * 1e150, note="huge values"),
        case(np.vstack([np.zeros(6), rng.normal(size=(3, 6))]), note="a zero row first"),
    ],
    mistakes=[
        mistake(
            "normalised the columns",
            _normalize_columns,
            "each column came out with norm 1, not each row. Rows are reduced along axis=1.",
        ),
        mistake(
            "zero row gives NaN",
            _normalize_zero_rows_nan,
            "0 / 0 is NaN. Divide zero rows by 1 instead, e.g. np.where(norms == 0, 1.0, norms).",
        ),
        mistake(
            "divided by the squared norm",
            _normalize_squared_norm,
            "the L2 norm is the square root of the sum of squares; np.linalg.norm computes it.",
        ),
        mistake(
            "forgot keepdims",
            _normalize_no_keepdims,
            "norms of shape (N,) broadcast along the columns, not the rows. Use keepdims=True "
            "so they have shape (N, 1).",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "normalize-rows-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""normalize_rows: unit rows, zero rows kept, any shape."""
check("normalize_rows", normalize_rows)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("00_orientation", "normalize_rows", normalize_rows)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: `one_hot` (2 points)
#
# Classifiers in this course output one score per class. To compare them with the labels we
# encode label $y_i$ as a row of zeros with a single one in column $y_i$:
# `one_hot(np.array([2, 0]), 3)` is `[[0, 0, 1], [1, 0, 0]]`.
# Return floats, and use indexing rather than a loop: `M[np.arange(N), y] = 1` sets one element
# in each row.


# %% nbgrader={"grade": false, "grade_id": "one-hot", "locked": false, "schema_version": 3, "solution": true}
def one_hot(y, num_classes):
    """One-hot encode integer labels.

    y: (N,) integer labels in [0, num_classes).
    Returns an (N, num_classes) float array with a single 1.0 per row, at column y[i].
    """
    ### BEGIN SOLUTION
    y = np.asarray(y)
    encoded = np.zeros((y.shape[0], num_classes))
    encoded[np.arange(y.shape[0]), y] = 1.0
    return encoded
    ### END SOLUTION


# %% tags=["spec"]
def _one_hot_transposed(y, num_classes):
    y = np.asarray(y)
    encoded = np.zeros((num_classes, y.shape[0]))
    encoded[y, np.arange(y.shape[0])] = 1.0
    return encoded


def _one_hot_from_max(y, num_classes):
    y = np.asarray(y)
    width = int(y.max()) + 1
    encoded = np.zeros((y.shape[0], width))
    encoded[np.arange(y.shape[0]), y] = 1.0
    return encoded


def _one_hot_slice(y, num_classes):
    y = np.asarray(y)
    encoded = np.zeros((y.shape[0], num_classes))
    encoded[:, y] = 1.0
    return encoded


exercise(
    "one_hot",
    public=[
        case(np.array([2, 0]), 3, note="the statement's example: [[0, 0, 1], [1, 0, 0]]"),
        case(np.array([2, 0, 1]), 3, note="three labels, three classes"),
        case(np.array([1, 1, 0, 3]), 5, note="a class that never appears"),
        case(np.array([4]), 6, note="a single label"),
    ],
    hidden=lambda rng: [
        case(rng.integers(0, 10, size=50), 10, note="fifty digit labels"),
        case(np.array([0]), 1, note="one class"),
        case(np.array([0, 0, 0]), 4, note="all the same label, unused classes"),
        case(rng.integers(0, 3, size=7), 12, note="many unused classes"),
    ],
    mistakes=[
        mistake(
            "transposed",
            _one_hot_transposed,
            "the result should have one row per label, shape (N, num_classes).",
        ),
        mistake(
            "width from the labels",
            _one_hot_from_max,
            "use num_classes for the width: a batch need not contain the largest class.",
        ),
        mistake(
            "set whole columns",
            _one_hot_slice,
            "M[:, y] = 1 sets every row of those columns. Pair each row with its own label: "
            "M[np.arange(N), y] = 1.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "one-hot-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""one_hot: shape (N, num_classes), a single 1 per row."""
check("one_hot", one_hot)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("00_orientation", "one_hot", one_hot)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3: `pairwise_sq_dists` (3 points)
#
# Nearest-neighbour classifiers, k-means and attention all need the squared distance between
# every row of `A` (shape `(M, D)`) and every row of `B` (shape `(N, D)`): an `(M, N)` matrix with
# $D_{ij} = \lVert a_i - b_j \rVert^2$. **No Python loops.** Two ways:
#
# * broadcasting `A[:, None, :] - B[None, :, :]` builds an `(M, N, D)` array: simple, but memory
#   grows with all three sizes;
# * expanding the square, $\lVert a - b \rVert^2 = \lVert a\rVert^2 - 2\,a\cdot b + \lVert b\rVert^2$,
#   needs only one matrix product `A @ B.T`. Round-off can make a few results slightly negative:
#   clip them at zero.


# %% nbgrader={"grade": false, "grade_id": "pairwise-sq-dists", "locked": false, "schema_version": 3, "solution": true}
def pairwise_sq_dists(A, B):
    """Squared Euclidean distances between the rows of A and the rows of B.

    A: (M, D); B: (N, D).
    Returns an (M, N) array with D[i, j] = ||A[i] - B[j]||^2, never negative.
    """
    ### BEGIN SOLUTION
    sq_a = np.sum(A**2, axis=1)[:, None]
    sq_b = np.sum(B**2, axis=1)[None, :]
    return np.maximum(sq_a - 2.0 * A @ B.T + sq_b, 0.0)
    ### END SOLUTION


# %% tags=["spec"]
def _dists_not_squared(A, B):
    return np.sqrt(np.maximum(np.sum(A**2, 1)[:, None] - 2 * A @ B.T + np.sum(B**2, 1), 0.0))


def _dists_transposed(A, B):
    return np.maximum(np.sum(B**2, 1)[:, None] - 2 * B @ A.T + np.sum(A**2, 1), 0.0)


def _dists_sign_error(A, B):
    return np.sum(A**2, 1)[:, None] + 2 * A @ B.T + np.sum(B**2, 1)


def _dists_rowwise(A, B):
    return np.sum((A - B) ** 2, axis=1)


exercise(
    "pairwise_sq_dists",
    public=[
        case(
            np.array([[0.0, 0.0], [1.0, 1.0], [3.0, 4.0]]),
            np.array([[0.0, 0.0], [1.0, 0.0]]),
            note="3 points against 2",
        ),
        case(
            np.array([[1.0, 2.0, 3.0]]),
            np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [2.0, 2.0, 2.0]]),
            note="one point against three, including itself",
        ),
        case(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[2.0, 0.0], [0.0, 3.0]]), note="square"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(5, 3)), rng.normal(size=(8, 3)), note="random 5 x 8"),
        case(rng.normal(size=(1, 4)), rng.normal(size=(1, 4)), note="one point each"),
        case(rng.normal(size=(6, 2)), rng.normal(size=(6, 2)), note="same size sets"),
        case(
            np.full((3, 5), 1e3) + rng.normal(size=(3, 5)) * 1e-4,
            np.full((2, 5), 1e3),
            note="nearly identical large points, where round-off can go negative",
        ),
    ],
    mistakes=[
        mistake(
            "forgot to square",
            _dists_not_squared,
            "you returned distances; the exercise asks for squared distances.",
        ),
        mistake(
            "A and B swapped",
            _dists_transposed,
            "row i of the result belongs to A[i] and column j to B[j]: shape (M, N).",
        ),
        mistake(
            "sign of the cross term",
            _dists_sign_error,
            "||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2: the cross term is subtracted.",
        ),
        mistake(
            "matched rows one to one",
            _dists_rowwise,
            "A - B pairs A[i] with B[i] only. Every row of A needs every row of B: "
            "an (M, N) result.",
        ),
    ],
    rtol=1e-6,
    atol=1e-6,
)

# %% nbgrader={"grade": true, "grade_id": "pairwise-sq-dists-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""pairwise_sq_dists: (M, N) squared distances, never negative."""
check("pairwise_sq_dists", pairwise_sq_dists)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("00_orientation", "pairwise_sq_dists", pairwise_sq_dists)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Your functions at work: a nearest-neighbour classifier
#
# With `pairwise_sq_dists` you can already classify digits: give each test image the label of
# the closest training image. No training at all, and it does about as well as the network
# above. Normalising the rows first (your `normalize_rows`) compares the *shapes* of the strokes
# rather than their ink.

# %%
needs("normalize_rows", "pairwise_sq_dists")
distances = pairwise_sq_dists(normalize_rows(X_test), normalize_rows(X_train))
nearest = np.argmin(distances, axis=1)
knn_accuracy = np.mean(y_train[nearest] == y_test)
print(f"1-nearest-neighbour test accuracy: {knn_accuracy:.3f}")

# %% [markdown]
# And `one_hot` turns labels into the targets a network is trained on. The average one-hot
# vector is the share of each class in the training set:

# %%
needs("one_hot")
targets = one_hot(y_train, 10)
plt.figure(figsize=(5, 2))
plt.bar(range(10), targets.mean(axis=0))
plt.xticks(range(10))
plt.title("share of each digit in the training set")
plt.show()

# %% [markdown]
# **Next:** module 01 takes the linear algebra behind `A @ B.T` apart, and uses it to find the
# directions in which the digits vary most.

# %% [markdown]
# ## 6. Your progress, whenever you want it
#
# The cell below runs the public check of every exercise, in every module of the course, on your
# **saved** notebooks (save with Ctrl+S first), and shows which pass. Your code runs in a separate
# process with a time limit, so an unfinished loop cannot freeze it. Come back to it as the course
# goes on: it is the course's whole map, with what you have done marked on it.

# %%
from autograder.checking.progress import show_progress

show_progress()
