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
# # 01 · Linear algebra: the language every layer speaks
#
# **Why this matters.** A layer of a neural network is a matrix multiplication followed by a
# simple function. A batch of images is a matrix, one row per image. Gradients, attention
# scores, word embeddings, the covariance of a data set: all vectors and matrices. When you can
# *see* what a matrix does (stretch, rotate, squash, project) the rest of the course reads like
# plain sentences.
#
# This notebook goes from vectors to **principal component analysis** (PCA). At the end you
# will compress each 64-pixel handwritten digit to a handful of numbers, look at the "eigen-digits"
# PCA discovers, and rebuild the images from them with a slider.
#
# | exercise | points |
# |---|---|
# | 1. `project_onto(u, v)` | 2 |
# | 2. `matmul_loops(A, B)` | 2 |
# | 3. `rotation_matrix(theta)` | 1 |
# | 4. `gram_schmidt(A)` | 3 |
# | 5. `pca(X, k)` | 4 |
# | **total** | **12** |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("01_linear_algebra")

# %% [markdown]
# ## 1. Vectors, dot products and norms
#
# A **vector** $v \in \mathbb{R}^D$ is a list of $D$ numbers. Read it as a point, or as an arrow
# from the origin to that point. An 8×8 grey image is a vector in $\mathbb{R}^{64}$; a word
# embedding is a vector in $\mathbb{R}^{300}$. The same few operations work in any dimension.
#
# The **dot product** multiplies matching entries and adds them up:
#
# $$u \cdot v = \sum_{i=1}^{D} u_i v_i = u^\top v .$$
#
# The **norm** (length) of a vector is the square root of its dot product with itself,
# $\lVert v \rVert_2 = \sqrt{v \cdot v}$, and the two are tied together by the angle $\theta$
# between the arrows:
#
# $$u \cdot v = \lVert u \rVert \, \lVert v \rVert \cos\theta .$$
#
# So the dot product is large when two vectors point the same way, zero when they are
# perpendicular (**orthogonal**), negative when they point apart. Dividing by the lengths gives
# the **cosine similarity**, which search engines and embeddings use to ask "how alike are
# these?".

# %%
u = np.array([3.0, 4.0])
v = np.array([4.0, -1.0])
print("u . v       =", u @ v, "=", np.dot(u, v), "=", np.sum(u * v))
print("||u||       =", np.linalg.norm(u), "=", np.sqrt(u @ u))
cos_theta = (u @ v) / (np.linalg.norm(u) * np.linalg.norm(v))
print(f"cos(theta)  = {cos_theta:.3f}, so theta = {np.degrees(np.arccos(cos_theta)):.1f} degrees")

# %% [markdown]
# The Euclidean norm is one way to measure length. The **L1 norm** $\lVert v\rVert_1 = \sum_i
# |v_i|$ (used by lasso regularisation) and the **max norm** $\lVert v\rVert_\infty = \max_i
# |v_i|$ are others. Each draws a different "unit circle", the set of vectors of length 1:

# %%
angles = np.linspace(0, 2 * np.pi, 400)
directions = np.stack([np.cos(angles), np.sin(angles)])  # (2, 400) arrows of every direction
plt.figure(figsize=(4, 4))
for order, label in [(1, "L1"), (2, "L2"), (np.inf, "max")]:
    lengths = np.linalg.norm(directions, ord=order, axis=0)
    unit = directions / lengths  # rescale each direction to length 1 in this norm
    plt.plot(unit[0], unit[1], label=f"{label} norm = 1")
plt.gca().set_aspect("equal")
plt.axhline(0, color="gray", lw=0.5)
plt.axvline(0, color="gray", lw=0.5)
plt.legend(loc="upper right", fontsize=8)
plt.title("three unit circles")
plt.show()

# %% [markdown]
# Cosine similarity already says something about the digits: two images of the same digit point
# in more similar directions of $\mathbb{R}^{64}$ than images of different digits.

# %%
digits = load_digits()
X_digits, y_digits = digits.data, digits.target
unit_digits = X_digits / np.linalg.norm(X_digits, axis=1, keepdims=True)
similarity = unit_digits @ unit_digits.T  # every cosine similarity at once: (1797, 1797)
same = y_digits[:, None] == y_digits[None, :]
print(f"mean cosine similarity, same digit:      {similarity[same].mean():.3f}")
print(f"mean cosine similarity, different digit: {similarity[~same].mean():.3f}")

# %% [markdown]
# ### Exercise 1: `project_onto` (2 points)
#
# The **projection** of $u$ onto $v$ is the multiple $c\,v$ of $v$ closest to $u$: the shadow
# $u$ casts on the line through $v$. What is left over, $u - c\,v$, must be perpendicular to $v$
# (otherwise sliding along the line would get closer), so
#
# $$ (u - c\,v) \cdot v = 0 \quad\Longrightarrow\quad c = \frac{u \cdot v}{v \cdot v},
# \qquad \operatorname{proj}_v(u) = \frac{u \cdot v}{v \cdot v}\, v .$$
#
# Worked example: $u = (2, 1)$, $v = (3, 0)$. Then $u\cdot v = 6$, $v \cdot v = 9$,
# $c = 2/3$ and the projection is $(2, 0)$: the shadow of $u$ on the $x$ axis.
#
# Note the square: dividing by $v \cdot v = \lVert v\rVert^2$ makes the answer the same whatever
# the length of $v$; only its direction matters. You may assume $v$ is not the zero vector.


# %% nbgrader={"grade": false, "grade_id": "project-onto", "locked": false, "schema_version": 3, "solution": true}
def project_onto(u, v):
    """Orthogonal projection of the vector u onto the line spanned by v.

    u: (D,) array; v: (D,) array, not all zeros.
    Returns a (D,) array: the multiple of v closest to u.
    """
    ### BEGIN SOLUTION
    coefficient = (u @ v) / (v @ v)
    return coefficient * v
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _project_norm_not_squared(u, v):
    return (u @ v) / np.linalg.norm(v) * v


def _project_swapped(u, v):
    return (u @ v) / (u @ u) * u


def _project_coefficient_only(u, v):
    return (u @ v) / (v @ v)


exercise(
    "project_onto",
    public=[
        case(np.array([2.0, 1.0]), np.array([3.0, 0.0]), note="onto the x axis"),
        case(np.array([3.0, 4.0]), np.array([2.0, 1.0]), note="2-D"),
        case(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0]), note="3-D, onto the diagonal"),
        case(np.array([4.0, -2.0]), np.array([1.0, 2.0]), note="orthogonal vectors"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=5), rng.normal(size=5), note="random, D=5"),
        case(np.array([3.0]), np.array([-2.0]), note="one dimension"),
        case(rng.normal(size=50), rng.normal(size=50) * 0.01, note="D=50, a short v"),
        case(np.array([5.0, -2.5, 10.0]), np.array([-2.0, 1.0, -4.0]), note="u parallel to v"),
        case(np.array([1.0, 2.0, 0.0, 0.0]), np.array([0.0, 0.0, 3.0, -1.0]), note="orthogonal"),
        case(rng.normal(size=4) * 1e80, rng.normal(size=4) * 1e-80, note="extreme scales"),
        case(rng.normal(size=3), np.array([0.6, 0.0, 0.8]), note="v of length 1"),
    ],
    mistakes=[
        mistake(
            "divided by the norm, not its square",
            _project_norm_not_squared,
            "the coefficient is (u . v) / (v . v): dividing by ||v|| only leaves the answer "
            "depending on the length of v.",
        ),
        mistake(
            "projected v onto u",
            _project_swapped,
            "project_onto(u, v) lands on the line through v, so the result is a multiple of v: "
            "(u . v) / (v . v) * v.",
        ),
        mistake(
            "returned the coefficient",
            _project_coefficient_only,
            "(u . v) / (v . v) is the number c; the projection is the vector c * v.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "project-onto-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""project_onto: the multiple of v closest to u, in any dimension."""
check("project_onto", project_onto)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("01_linear_algebra", "project_onto", project_onto)
### END HIDDEN TESTS

# %% [markdown]
# The picture: the projection (green) is the foot of the perpendicular dropped from $u$ onto the
# line through $v$, and the leftover $u - \operatorname{proj}_v(u)$ (dashed) meets that line at a
# right angle.

# %%
needs("project_onto")
u, v = np.array([1.0, 3.0]), np.array([4.0, 1.5])
shadow = project_onto(u, v)
print("projection:", shadow, "| leftover . v =", round(float((u - shadow) @ v), 12))

plt.figure(figsize=(5, 3.5))
plt.axline((0, 0), tuple(v), color="lightgray", lw=1)
for arrow, color, label in [
    (u, "tab:blue", "u"),
    (v, "tab:orange", "v"),
    (shadow, "tab:green", "proj"),
]:
    plt.annotate("", xy=arrow, xytext=(0, 0), arrowprops=dict(color=color, width=1.5))
    plt.text(*(arrow * 1.05), label, color=color)
plt.plot([u[0], shadow[0]], [u[1], shadow[1]], "k--", lw=1)
plt.xlim(-0.5, 4.5)
plt.ylim(-0.5, 3.5)
plt.gca().set_aspect("equal")
plt.title("projecting u onto the line through v")
plt.show()

# %% [markdown]
# ## 2. Matrix multiplication
#
# A matrix $A$ of shape $(M, K)$ times a matrix $B$ of shape $(K, N)$ is the $(M, N)$ matrix
#
# $$C_{ij} = \sum_{k=1}^{K} A_{ik} B_{kj} ,$$
#
# the dot product of **row $i$ of $A$** with **column $j$ of $B$**. The inner sizes must agree
# ($K$); the outer ones give the shape of the result. It helps to hold three views of the same
# product in mind:
#
# 1. **dot products**: $C_{ij}$ = row $i$ of $A$ · column $j$ of $B$;
# 2. **mixing columns**: column $j$ of $C$ is a combination of the columns of $A$, with the
#    weights in column $j$ of $B$;
# 3. **sum of outer products**: $C = \sum_k (\text{column } k \text{ of } A)(\text{row } k
#    \text{ of } B)$, each term a rank-one matrix.

# %%
A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])  # (3, 2)
B = np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.0]])  # (2, 3)
C = A @ B
print("C = A @ B, shape", C.shape)
print(C)
print("view 1, C[2, 0] as a dot product:", A[2] @ B[:, 0])
print("view 2, column 0 of C mixes A's columns:", 1.0 * A[:, 0] + (-1.0) * A[:, 1])
outer_sum = sum(np.outer(A[:, k], B[k, :]) for k in range(2))
print("view 3, sum of outer products equals C:", np.allclose(outer_sum, C))

# %% [markdown]
# Matrix multiplication is **not commutative**: here `B @ A` is $(2, 3)(3, 2) = (2, 2)$, not even
# the same shape as `A @ B`. It *is* associative, $(AB)C = A(BC)$, and transposing reverses the
# order: $(AB)^\top = B^\top A^\top$.
#
# ### Exercise 2: `matmul_loops` (2 points)
#
# Write the product with three nested Python loops, straight from the formula above: for each
# row $i$ and column $j$ of the result, add up $A_{ik} B_{kj}$ over $k$. The point is to see what
# `@` does for you, so **no `@`, `np.dot`, `np.matmul`, `np.einsum` or `np.inner`**: the check
# refuses them. Mind which index goes where in `B`: rows of `B` are indexed by $k$.


# %% nbgrader={"grade": false, "grade_id": "matmul-loops", "locked": false, "schema_version": 3, "solution": true}
def matmul_loops(A, B):
    """Matrix product with explicit loops, no built-in matrix product.

    A: (M, K); B: (K, N).
    Returns C: (M, N) float array with C[i, j] = sum over k of A[i, k] * B[k, j].
    """
    ### BEGIN SOLUTION
    M, K = A.shape
    N = B.shape[1]
    C = np.zeros((M, N))
    for i in range(M):
        for j in range(N):
            total = 0.0
            for k in range(K):
                total += A[i, k] * B[k, j]
            C[i, j] = total
    return C
    ### END SOLUTION


# %% tags=["spec"]
def _matmul_wrong_index(A, B):
    M, K = A.shape
    N = B.shape[1]
    C = np.zeros((M, N))
    for i in range(M):
        for j in range(N):
            for k in range(K):
                C[i, j] += A[i, k] * B[j, k]
    return C


def _matmul_overwrite(A, B):
    M, K = A.shape
    N = B.shape[1]
    C = np.zeros((M, N))
    for i in range(M):
        for j in range(N):
            for k in range(K):
                C[i, j] = A[i, k] * B[k, j]
    return C


def _matmul_total_not_reset(A, B):
    M, K = A.shape
    N = B.shape[1]
    C = np.zeros((M, N))
    total = 0.0
    for i in range(M):
        for j in range(N):
            for k in range(K):
                total += A[i, k] * B[k, j]
            C[i, j] = total
    return C


def _matmul_builtin(A, B):
    return A @ B


exercise(
    "matmul_loops",
    public=[
        case(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0], [7.0, 8.0]]), note="2 x 2"),
        case(
            np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]]),
            np.array([[1.0, 2.0], [0.0, 1.0], [3.0, 0.0]]),
            note="(2, 3) @ (3, 2)",
        ),
        case(
            np.array([[1.0, 2.0], [0.0, 1.0], [2.0, -1.0]]),
            np.array([[1.0, 0.0, 1.0, 2.0], [0.0, 3.0, 1.0, -1.0]]),
            note="(3, 2) @ (2, 4)",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 4)), rng.normal(size=(4, 3)), note="a batch of one row"),
        case(rng.normal(size=(5, 1)), rng.normal(size=(1, 4)), note="K=1, an outer product"),
        case(rng.normal(size=(4, 3)), rng.normal(size=(3, 1)), note="a single output column"),
        case(rng.normal(size=(6, 5)), rng.normal(size=(5, 7)), note="random (6, 5) @ (5, 7)"),
        case(rng.normal(size=(4, 4)), rng.normal(size=(4, 4)), note="random square"),
        case(rng.integers(-5, 6, size=(3, 3)), rng.integers(-5, 6, size=(3, 2)), note="integers"),
        case(rng.normal(size=(3, 4)) * 1e150, rng.normal(size=(4, 2)) * 1e-150, note="extreme"),
        case(np.array([[-2.0]]), np.array([[3.5]]), note="1 x 1"),
    ],
    mistakes=[
        mistake(
            "indexed B[j, k] instead of B[k, j]",
            _matmul_wrong_index,
            "the sum runs along a row of A and down a column of B: A[i, k] * B[k, j]. With B[j, k] "
            "you multiply by B's transpose, and non-square shapes run off the end of B.",
        ),
        mistake(
            "overwrote instead of adding",
            _matmul_overwrite,
            "C[i, j] = A[i, k] * B[k, j] keeps only the last term; accumulate with += over k.",
        ),
        mistake(
            "running total never reset",
            _matmul_total_not_reset,
            "start the sum at 0 for every (i, j), inside the j loop; otherwise each entry adds "
            "on top of all the previous ones.",
        ),
        mistake(
            "used a built-in matrix product",
            _matmul_builtin,
            "this exercise is the three loops themselves: index A[i, k] and B[k, j] and add up; "
            "A @ B comes back in the next cells.",
        ),
    ],
    driver="autograder.modules.linear_algebra:loops_only",
)

# %% nbgrader={"grade": true, "grade_id": "matmul-loops-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""matmul_loops: (M, K) @ (K, N) with Python loops only."""
check("matmul_loops", matmul_loops)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("01_linear_algebra", "matmul_loops", matmul_loops)
### END HIDDEN TESTS

# %% [markdown]
# ### Loops against `@`
#
# Your loops and NumPy's `@` compute the same numbers. How long does each take as the matrices
# grow? The loops do $n^3$ multiply-adds through the Python interpreter; `@` hands the whole job
# to an optimised library (BLAS) that uses vector instructions and the processor's caches. On a
# log-log plot the loop time is a straight line of slope 3.

# %%
needs("matmul_loops")
rng = np.random.default_rng(0)
sizes = [8, 16, 32, 64, 96]
loop_times, builtin_times = [], []
for n in tqdm(sizes, desc="timing n x n products"):
    P, Q = rng.normal(size=(n, n)), rng.normal(size=(n, n))
    start = time.perf_counter()
    C_loops = matmul_loops(P, Q)
    loop_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(20):
        C_builtin = P @ Q
    builtin_times.append((time.perf_counter() - start) / 20)
    assert np.allclose(C_loops, C_builtin)

plt.figure(figsize=(5, 3.5))
plt.loglog(sizes, loop_times, "o-", label="three Python loops")
plt.loglog(sizes, builtin_times, "s-", label="NumPy's @")
plt.xlabel("n")
plt.ylabel("seconds for one n x n product")
plt.legend()
plt.title("same answer, very different cost")
plt.show()
print(f"at n = {sizes[-1]}: @ is {loop_times[-1] / builtin_times[-1]:,.0f} times faster")

# %% [markdown]
# From here on we use `@`. A network layer applied to a batch is one product, `X @ W`, shape
# $(N, D) \times (D, H) \to (N, H)$: a hundred images at once cost barely more than one.
#
# ## 3. Broadcasting
#
# To add a bias vector $b$ of shape $(H,)$ to every row of `X @ W`, NumPy **broadcasts**: it
# lines shapes up from the right, and stretches any axis of length 1 (or missing) to match.
# No copy is made.
#
# | left | right | result |
# |---|---|---|
# | `(N, H)` | `(H,)` | `(N, H)`: the same row added to every row |
# | `(N, 1)` | `(1, H)` | `(N, H)`: an outer sum |
# | `(N, H)` | `(N,)` | error: the trailing sizes are $H$ and $N$ |

# %%
rng = np.random.default_rng(1)
X = rng.normal(size=(4, 3))
W = rng.normal(size=(3, 2))
b = np.array([10.0, -10.0])
scores = X @ W + b  # (4, 3) @ (3, 2) -> (4, 2), then b is added to each row
print("scores shape:", scores.shape)

X_centred = X - X.mean(axis=0)  # (4, 3) minus (3,): remove each column's mean
print("column means after centring:", np.round(X_centred.mean(axis=0), 12))

row = np.arange(3.0)
col = np.arange(4.0)[:, None]  # (4, 1)
print("outer sum (4, 1) + (3,) ->", (col + row).shape)

# %% [markdown]
# Broadcasting is convenient and also a classic source of silent bugs. A vector of shape `(N,)`
# and a column of shape `(N, 1)` look alike, but subtracting one from the other gives an
# $(N, N)$ matrix, not an error:

# %%
y = np.array([1.0, 2.0, 3.0])
y_hat = np.array([[1.5], [2.0], [2.5]])
print("y - y_hat has shape", (y - y_hat).shape, "<- probably not what was meant")
print("with matching shapes:", (y - y_hat[:, 0]).shape)

# %% [markdown]
# ## 4. Linear maps as pictures
#
# Multiplying by a matrix is a **linear map**: it sends straight lines to straight lines,
# keeps the origin fixed, and keeps evenly spaced grid lines evenly spaced. A $2\times 2$ matrix
# is completely described by where it sends the two basis vectors:
#
# $$\begin{pmatrix} a & b \\ c & d \end{pmatrix}
# \begin{pmatrix} 1 \\ 0 \end{pmatrix} = \begin{pmatrix} a \\ c \end{pmatrix}, \qquad
# \begin{pmatrix} a & b \\ c & d \end{pmatrix}
# \begin{pmatrix} 0 \\ 1 \end{pmatrix} = \begin{pmatrix} b \\ d \end{pmatrix} .$$
#
# **The columns are the images of the axes.** The unit square becomes the parallelogram they
# span, and its signed area is the **determinant**
#
# $$\det\begin{pmatrix} a & b \\ c & d \end{pmatrix} = ad - bc .$$
#
# Every area in the plane is scaled by $|\det|$. A negative determinant means the map flips the
# plane over (look at the letter F below), and $\det = 0$ means it squashes the plane onto a line
# or a point: information is lost and the map cannot be undone.


# %%
def draw_map(ax, M, title=""):
    """Draw the grid, the unit square, the letter F and the two basis vectors after the map M."""
    for t in np.linspace(-3, 3, 13):
        for start, end in [((-3, t), (3, t)), ((t, -3), (t, 3))]:
            ends = M @ np.array([start, end]).T  # a linear map sends a line to the line of its ends
            ax.plot(ends[0], ends[1], color="lightgray", lw=0.7, zorder=0)
    det = np.linalg.det(M)
    square = M @ np.array([[0, 1, 1, 0], [0, 0, 1, 1]])
    ax.fill(square[0], square[1], color="tab:green" if det >= 0 else "tab:purple", alpha=0.35)
    letter_f = M @ np.array([[0.25, 0.25, 0.75, 0.25, 0.25, 0.6], [0.1, 0.9, 0.9, 0.9, 0.5, 0.5]])
    ax.plot(letter_f[0], letter_f[1], color="black", lw=2)
    for column, color in [(M[:, 0], "tab:red"), (M[:, 1], "tab:blue")]:
        ax.quiver(0, 0, *column, color=color, angles="xy", scale_units="xy", scale=1, width=0.02)
    ax.set_xlim(-2.5, 2.5)
    ax.set_ylim(-2.5, 2.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{title}\ndet = {det:.2f}", fontsize=9)


gallery = {
    "identity": np.eye(2),
    "scale x by 2": np.array([[2.0, 0.0], [0.0, 1.0]]),
    "quarter turn": np.array([[0.0, -1.0], [1.0, 0.0]]),
    "shear": np.array([[1.0, 1.0], [0.0, 1.0]]),
    "mirror": np.array([[-1.0, 0.0], [0.0, 1.0]]),
    "squash to a line": np.array([[1.0, 0.5], [1.0, 0.5]]),
}
fig, axes = plt.subplots(1, len(gallery), figsize=(14, 2.8))
for ax, (name, M) in zip(axes, gallery.items()):
    draw_map(ax, M, name)
plt.show()

# %% [markdown]
# Now drive a map yourself. The red arrow is the first column $(a, c)$, the blue one the second
# $(b, d)$. Try to: double the area; make the determinant negative and watch the F turn into its
# mirror image; make the two arrows parallel and watch the square collapse (det = 0).


# %%
def show_map(a=1.0, b=0.5, c=0.0, d=1.0):
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    draw_map(ax, np.array([[a, b], [c, d]]), f"[[{a:.1f}, {b:.1f}], [{c:.1f}, {d:.1f}]]")
    plt.show()


entry = dict(min=-2.0, max=2.0, step=0.1)
map_explorer = widgets.interact(
    show_map,
    a=widgets.FloatSlider(1.0, **entry),
    b=widgets.FloatSlider(0.5, **entry),
    c=widgets.FloatSlider(0.0, **entry),
    d=widgets.FloatSlider(1.0, **entry),
)

# %% [markdown]
# Composing maps is multiplying matrices: `M2 @ M1` first applies `M1`, then `M2` (read right to
# left, as with functions: $M_2 M_1 x = M_2(M_1 x)$). Determinants multiply too:
# $\det(M_2 M_1) = \det M_2 \det M_1$.
#
# ### Exercise 3: `rotation_matrix` (1 point)
#
# Rotating by an angle $\theta$ counterclockwise sends $(1, 0)$ to $(\cos\theta, \sin\theta)$ and
# $(0, 1)$ to $(-\sin\theta, \cos\theta)$. Those are the columns:
#
# $$R(\theta) = \begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta
# \end{pmatrix} .$$
#
# Return it as a $(2, 2)$ NumPy array. The angle is in **radians** ($\pi$ radians = 180°);
# NumPy's `np.cos` and `np.sin` take radians too.


# %% nbgrader={"grade": false, "grade_id": "rotation-matrix", "locked": false, "schema_version": 3, "solution": true}
def rotation_matrix(theta):
    """The 2x2 matrix of a counterclockwise rotation by theta radians.

    theta: a float, in radians.
    Returns a (2, 2) array R such that R @ x is x rotated by theta about the origin.
    """
    ### BEGIN SOLUTION
    cos, sin = np.cos(theta), np.sin(theta)
    return np.array([[cos, -sin], [sin, cos]])
    ### END SOLUTION


# %% tags=["spec"]
def _rotation_clockwise(theta):
    cos, sin = np.cos(theta), np.sin(theta)
    return np.array([[cos, sin], [-sin, cos]])


def _rotation_degrees(theta):
    angle = np.deg2rad(theta)
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def _rotation_sin_cos_swapped(theta):
    cos, sin = np.cos(theta), np.sin(theta)
    return np.array([[sin, -cos], [cos, sin]])


exercise(
    "rotation_matrix",
    public=[
        case(np.pi / 2, note="a quarter turn"),
        case(np.pi / 6, note="30 degrees"),
        case(1.0, note="one radian"),
    ],
    hidden=lambda rng: [
        case(0.0, note="no rotation"),
        case(np.pi, note="half a turn"),
        case(-np.pi / 3, note="a negative angle"),
        case(7.5, note="more than a full turn"),
        case(1e-9, note="a tiny angle"),
        case(float(rng.uniform(-np.pi, np.pi)), note="a random angle"),
    ],
    mistakes=[
        mistake(
            "rotates clockwise",
            _rotation_clockwise,
            "the first column is where (1, 0) goes: (cos, sin), upwards for a small positive "
            "angle. The minus sign belongs to the top-right entry.",
        ),
        mistake(
            "treated theta as degrees",
            _rotation_degrees,
            "theta is already in radians; np.cos and np.sin take radians, so use it as it is.",
        ),
        mistake(
            "cos and sin swapped",
            _rotation_sin_cos_swapped,
            "at theta = 0 the rotation must be the identity: cos goes on the diagonal.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "rotation-matrix-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""rotation_matrix: counterclockwise, radians, shape (2, 2)."""
check("rotation_matrix", rotation_matrix)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("01_linear_algebra", "rotation_matrix", rotation_matrix)
### END HIDDEN TESTS

# %% [markdown]
# Rotations keep lengths and angles, so their determinant is 1 and undoing one is just
# transposing: $R^\top R = I$. Two rotations in a row add their angles. And any stretch followed
# by a rotation is a linear map too:

# %%
needs("rotation_matrix")
R30, R45 = rotation_matrix(np.pi / 6), rotation_matrix(np.pi / 4)
print("det R =", round(float(np.linalg.det(R30)), 12))
print("R^T R = I:", np.allclose(R30.T @ R30, np.eye(2)))
print("R(30) R(45) = R(75):", np.allclose(R30 @ R45, rotation_matrix(5 * np.pi / 12)))

fig, axes = plt.subplots(1, 3, figsize=(9, 3))
stretch = np.diag([1.5, 0.5])
draw_map(axes[0], stretch, "stretch")
draw_map(axes[1], R30, "rotate 30 degrees")
draw_map(axes[2], R30 @ stretch, "stretch, then rotate")
plt.show()

# %% [markdown]
# ## 5. Solving linear systems
#
# Many problems end in "find $x$ with $Ax = b$". With two unknowns, each equation is a line in
# the plane and the solution is where the lines cross:
#
# $$\begin{aligned} 2x_1 + x_2 &= 5 \\ x_1 - 3x_2 &= -1 \end{aligned}
# \qquad\Longleftrightarrow\qquad
# \begin{pmatrix} 2 & 1 \\ 1 & -3 \end{pmatrix} \begin{pmatrix} x_1 \\ x_2 \end{pmatrix} =
# \begin{pmatrix} 5 \\ -1 \end{pmatrix} .$$
#
# `np.linalg.solve(A, b)` finds $x$ by Gaussian elimination (an LU factorisation). It is faster
# and more accurate than computing the inverse `np.linalg.inv(A) @ b`; in numerical work you
# almost never form an inverse. When $\det A = 0$ the lines are parallel: no solution, or
# infinitely many.

# %%
A_sys = np.array([[2.0, 1.0], [1.0, -3.0]])
b_sys = np.array([5.0, -1.0])
x_sys = np.linalg.solve(A_sys, b_sys)
print("x =", x_sys, "| residual A x - b =", A_sys @ x_sys - b_sys)

# %% [markdown]
# Solving is easy; trusting the answer is harder. When the two lines are **nearly parallel**, a
# tiny change in $b$ (a measurement error, a rounding) moves the crossing point a long way. The
# **condition number** $\kappa(A)$ measures this amplification: relative errors in $b$ can grow
# by up to a factor $\kappa(A)$ in $x$. Below, the same small nudge of $b$ (dashed lines) barely
# moves the solution on the left and throws it far away on the right.


# %%
def draw_system(ax, A, b, nudge, title):
    x1 = np.linspace(-4, 6, 2)
    for rhs, style in [(b, "-"), (b + nudge, "--")]:
        for row, value, color in zip(A, rhs, ["tab:blue", "tab:orange"]):
            ax.plot(x1, (value - row[0] * x1) / row[1], style, color=color, lw=1)
        x = np.linalg.solve(A, rhs)
        ax.plot(*x, "ko" if style == "-" else "kx", ms=7)
    ax.set_xlim(-4, 6)
    ax.set_ylim(-4, 6)
    ax.set_title(f"{title}: condition number {np.linalg.cond(A):.1f}", fontsize=9)


nudge = np.array([0.0, 0.2])
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
draw_system(axes[0], A_sys, b_sys, nudge, "well conditioned")
A_bad = np.array([[1.0, 1.0], [1.0, 1.1]])
draw_system(axes[1], A_bad, np.array([2.0, 2.1]), nudge, "nearly parallel")
plt.show()

# %% [markdown]
# ## 6. Orthonormal bases and Gram–Schmidt
#
# Vectors $q_1, \dots, q_N$ are **orthonormal** when each has length 1 and each pair is
# orthogonal: $q_i \cdot q_j = 1$ if $i = j$, else $0$. Stacked as the columns of a matrix
# $Q$, that is $Q^\top Q = I$. Orthonormal bases are the friendliest coordinates there are:
#
# * the coordinates of a vector $x$ in the basis are just dot products, $c = Q^\top x$;
# * lengths and angles are kept, $\lVert Q c\rVert = \lVert c \rVert$, so nothing blows up
#   numerically;
# * solving $Qc = x$ needs no elimination: transpose instead of inverting.
#
# The **Gram–Schmidt** process turns any independent columns $a_1, \dots, a_N$ into orthonormal
# ones spanning the same space, one column at a time: remove from $a_j$ its projections on the
# $q$'s already built, then scale what is left to length 1,
#
# $$v_j = a_j - \sum_{i<j} (q_i \cdot a_j)\, q_i , \qquad q_j = \frac{v_j}{\lVert v_j \rVert} .$$
#
# (Because each $q_i$ has length 1, the projection $\operatorname{proj}_{q_i}(a_j)$ of
# exercise 1 simplifies to $(q_i \cdot a_j)\, q_i$.)
#
# Worked example: $a_1 = (3, 4)$, $a_2 = (2, 1)$. First $q_1 = a_1 / 5 = (0.6, 0.8)$. Then
# $q_1 \cdot a_2 = 2$, so $v_2 = (2, 1) - 2\,(0.6, 0.8) = (0.8, -0.6)$, which already has length
# 1: $q_2 = (0.8, -0.6)$.
#
# ### Exercise 4: `gram_schmidt` (3 points)
#
# Orthonormalise the **columns** of `A` (shape $(M, N)$ with $M \ge N$, independent columns) and
# return $Q$ of the same shape. Two traps: project onto the **new** vectors $q_i$, not the
# original columns $a_i$ (the $a_i$ are not orthogonal to each other), and normalise every column.
# Build $Q$ in a float array (`np.array(A, dtype=float)` makes a copy you may change).


# %% nbgrader={"grade": false, "grade_id": "gram-schmidt", "locked": false, "schema_version": 3, "solution": true}
def gram_schmidt(A):
    """Orthonormalise the columns of A with the Gram-Schmidt process.

    A: (M, N) array with M >= N and linearly independent columns.
    Returns Q: (M, N) with orthonormal columns (Q.T @ Q = I), where Q[:, :j+1] spans the same
    space as A[:, :j+1] for every j, and Q[:, j] @ A[:, j] > 0.
    """
    ### BEGIN SOLUTION
    Q = np.array(A, dtype=float)
    for j in range(Q.shape[1]):
        for i in range(j):
            Q[:, j] -= (Q[:, i] @ Q[:, j]) * Q[:, i]
        Q[:, j] /= np.linalg.norm(Q[:, j])
    return Q
    ### END SOLUTION


# %% tags=["spec"]
def _gs_not_normalised(A):
    Q = np.array(A, dtype=float)
    for j in range(Q.shape[1]):
        for i in range(j):
            q = Q[:, i]
            Q[:, j] -= (q @ A[:, j]) / (q @ q) * q
    return Q


def _gs_original_columns(A):
    A = np.array(A, dtype=float)
    Q = np.zeros_like(A)
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for i in range(j):
            a = A[:, i]
            v -= (a @ A[:, j]) / (a @ a) * a
        Q[:, j] = v / np.linalg.norm(v)
    return Q


def _gs_rows(A):
    Q = np.zeros(A.shape)
    for j in range(A.shape[1]):
        v = np.array(A[j], dtype=float)
        for i in range(j):
            v -= (Q[i] @ A[j]) * Q[i]
        Q[j] = v / np.linalg.norm(v)
    return Q


def _gs_integer_copy(A):
    Q = A.copy()
    for j in range(Q.shape[1]):
        for i in range(j):
            Q[:, j] -= (Q[:, i] @ Q[:, j]) * Q[:, i]
        Q[:, j] /= np.linalg.norm(Q[:, j])
    return Q


def _gs_numpy_qr(A):
    Q, _ = np.linalg.qr(A)
    return Q


def _nearly_parallel(rng):
    a = rng.normal(size=(6, 1))
    return np.hstack([a, a + 1e-3 * rng.normal(size=(6, 1)), rng.normal(size=(6, 1))])


exercise(
    "gram_schmidt",
    public=[
        case(np.array([[3.0, 2.0], [4.0, 1.0]]), note="2 x 2, the worked example"),
        case(np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]), note="3 x 2, tall"),
        case(np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]), note="3 x 3"),
        case(np.array([[1, 2], [0, 1], [2, 0]]), note="integer entries: build Q in a float array"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(5, 1)), note="a single column"),
        case(np.array([[-3.0]]), note="1 x 1, negative"),
        case(np.array([[3, 2], [4, 1]]), note="integer entries: Q must be a float array"),
        case(np.array([[2, 1, 0], [0, 1, 1], [1, 0, 3], [1, 1, 1]]), note="integers, 4 x 3"),
        case(rng.normal(size=(4, 4)), note="random square"),
        case(rng.normal(size=(7, 3)), note="random tall"),
        case(rng.normal(size=(6, 4)) * 1e100, note="huge values"),
        case(rng.normal(size=(5, 3)) * np.array([1e-6, 1.0, 1e6]), note="columns of unequal size"),
        case(_nearly_parallel(rng), note="two nearly parallel columns"),
        case(np.linalg.qr(rng.normal(size=(5, 5)))[0][:, :3], note="already orthonormal"),
    ],
    mistakes=[
        mistake(
            "forgot to normalise",
            _gs_not_normalised,
            "your columns are orthogonal but not of length 1: divide each v_j by its norm.",
        ),
        mistake(
            "projected onto the original columns",
            _gs_original_columns,
            "subtract the projections onto the q_i already built, not onto the original a_i: "
            "the a_i are not orthogonal to each other, so their projections overlap. Two columns "
            "hide this; the third shows it.",
        ),
        mistake(
            "worked on the rows",
            _gs_rows,
            "A[j] is row j; column j is A[:, j]. The same goes for Q: write Q[:, j].",
        ),
        mistake(
            "copied A without making it float",
            _gs_integer_copy,
            "A.copy() keeps A's dtype: for integer entries, Q[:, j] /= norm cannot store the "
            "fractions (NumPy refuses). Start from a float copy: Q = np.array(A, dtype=float).",
        ),
        mistake(
            "signs from np.linalg.qr",
            _gs_numpy_qr,
            "np.linalg.qr may return a column as -q_j. Gram-Schmidt keeps each q_j on the side "
            "of a_j (q_j . a_j > 0); write the loop from the formula.",
        ),
    ],
    atol=1e-8,
)

# %% nbgrader={"grade": true, "grade_id": "gram-schmidt-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""gram_schmidt: orthonormal columns spanning the same spaces as A's."""
check("gram_schmidt", gram_schmidt)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("01_linear_algebra", "gram_schmidt", gram_schmidt)
### END HIDDEN TESTS

# %% [markdown]
# What Gram–Schmidt gives you: $Q^\top Q = I$, and the coefficients it used, $R = Q^\top A$, form
# an **upper-triangular** matrix (column $j$ of $A$ only needs $q_1, \dots, q_j$). Together,
# $A = QR$: the **QR factorisation**, NumPy's `np.linalg.qr`, which least-squares solvers use.

# %%
needs("gram_schmidt")
A_cols = np.random.default_rng(2).normal(size=(5, 3))
Q_cols = gram_schmidt(A_cols)
R_coef = Q_cols.T @ A_cols
with np.printoptions(precision=3, suppress=True):
    print("Q^T Q =\n", Q_cols.T @ Q_cols)
    print("R = Q^T A (zeros below the diagonal) =\n", R_coef)
print("A = Q R:", np.allclose(Q_cols @ R_coef, A_cols))

# %% [markdown]
# ## 7. Eigenvectors: the directions a map only stretches
#
# Most vectors change direction when a matrix acts on them. An **eigenvector** $v \ne 0$ of a
# square matrix $A$ does not: $A$ only stretches it, by its **eigenvalue** $\lambda$,
#
# $$A v = \lambda v .$$
#
# Turn the vector $x$ below (black) and watch $Ax$ (red). The grey ellipse is the image of the
# whole unit circle. Find the two angles where $x$ and $Ax$ line up: those are the eigenvectors
# of $A = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix}$, and the stretch factor there is the
# eigenvalue.

# %%
A_sym = np.array([[2.0, 1.0], [1.0, 2.0]])
circle = np.stack([np.cos(angles), np.sin(angles)])


def show_eigen_search(angle=20):
    x = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    Ax = A_sym @ x
    between = np.degrees(np.arccos(np.clip(x @ Ax / np.linalg.norm(Ax), -1.0, 1.0)))
    image = A_sym @ circle
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.plot(circle[0], circle[1], color="lightgray")
    ax.plot(image[0], image[1], color="gray")
    ax.annotate("", xy=x, xytext=(0, 0), arrowprops=dict(color="black", width=1.5))
    ax.annotate("", xy=Ax, xytext=(0, 0), arrowprops=dict(color="tab:red", width=1.5))
    ax.set_xlim(-3.2, 3.2)
    ax.set_ylim(-3.2, 3.2)
    ax.set_aspect("equal")
    found = f"\nan eigenvector! stretched by {np.linalg.norm(Ax):.2f}" if between < 0.5 else ""
    ax.set_title(f"angle between x and Ax: {between:.1f} degrees{found}", fontsize=9)
    plt.show()


eigen_explorer = widgets.interact(
    show_eigen_search, angle=widgets.IntSlider(20, 0, 180, description="angle of x")
)

# %% [markdown]
# `np.linalg.eig` finds eigenvalues and eigenvectors of any square matrix; for a **symmetric**
# matrix ($A = A^\top$, like every covariance matrix) use `np.linalg.eigh`: the eigenvalues are
# real, returned in **ascending** order, and the eigenvectors (the columns of $V$) are
# orthonormal. Then $A = V \Lambda V^\top$: rotate into the eigenvector axes, stretch each axis by
# its eigenvalue, rotate back.

# %%
eigenvalues, V = np.linalg.eigh(A_sym)
print("eigenvalues (ascending):", eigenvalues)
print("eigenvectors (columns):\n", V)
print("A v = lambda v for each:", np.allclose(A_sym @ V, V * eigenvalues))
print("A = V diag(lambda) V^T:", np.allclose(V @ np.diag(eigenvalues) @ V.T, A_sym))

# %% [markdown]
# A sign is a matter of taste: if $v$ is an eigenvector, so is $-v$, and different libraries (or
# versions) may return either. Keep this in mind for PCA.
#
# **Power iteration.** Apply $A$ again and again to almost any starting vector, renormalising
# each time: the component along the eigenvector with the largest $|\lambda|$ grows fastest and
# takes over. This one-line idea is how Google's PageRank was first computed.

# %%
x = np.array([1.0, 0.0])
for step in range(1, 9):
    x = A_sym @ x
    x = x / np.linalg.norm(x)
    print(f"step {step}: x = {np.round(x, 5)}, stretch ||A x|| = {np.linalg.norm(A_sym @ x):.5f}")

# %% [markdown]
# ## 8. The singular value decomposition
#
# Eigenvectors need a square matrix, and can be complex for one that is not symmetric. The
# **singular value decomposition** (SVD) works for every matrix, of any shape:
#
# $$A = U \Sigma V^\top ,$$
#
# with $U$ and $V$ orthonormal and $\Sigma$ diagonal with the **singular values**
# $\sigma_1 \ge \sigma_2 \ge \dots \ge 0$. Read right to left it says that *every* linear map is a
# rotation (or reflection) $V^\top$, then a stretch of the axes by the $\sigma_i$, then another
# rotation $U$. The unit circle always becomes an ellipse whose half-axes are $\sigma_i u_i$.

# %%
A_any = np.array([[1.5, 0.8], [0.3, 1.0]])
U_svd, sigma, Vt_svd = np.linalg.svd(A_any)
print("singular values:", sigma)
stages = [
    ("x: the unit circle", np.eye(2)),
    ("V^T x: rotated", Vt_svd),
    ("Sigma V^T x: stretched", np.diag(sigma) @ Vt_svd),
    ("U Sigma V^T x = A x", A_any),
]
fig, axes = plt.subplots(1, 4, figsize=(13, 3.4))
for ax, (title, M) in zip(axes, stages):
    points = M @ circle
    ax.plot(points[0], points[1], color="tab:blue")
    marker = M @ np.array([[1.0, 0.0], [0.0, 0.0]])  # where (1, 0) is carried
    ax.plot(marker[0], marker[1], color="tab:red", lw=2)
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(-2.2, 2.2)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=9)
for s, axis in zip(sigma, U_svd.T):
    axes[3].plot([0, s * axis[0]], [0, s * axis[1]], "k--", lw=1)
plt.show()

# %% [markdown]
# SVD and eigenvectors are close relatives: $A^\top A = V \Sigma^2 V^\top$, so the right singular
# vectors of $A$ are the eigenvectors of $A^\top A$ and its eigenvalues are the $\sigma_i^2$.
#
# **Low-rank approximation.** Writing the product out, $A = \sum_i \sigma_i u_i v_i^\top$ is a
# sum of rank-one pictures, most important first. Keeping the first $k$ terms gives the best
# rank-$k$ approximation of $A$ there is (the Eckart–Young theorem). A picture with a little
# structure is well described by a few terms:

# %%
yy, xx = np.mgrid[-1:1:96j, -1:1:96j]
picture = (xx**2 + yy**2 < 0.5).astype(float) + 0.5 * (np.sin(8 * xx) > 0) * (yy > 0.2)
U_pic, s_pic, Vt_pic = np.linalg.svd(picture)
ranks = [1, 2, 5, 15]
fig, axes = plt.subplots(1, len(ranks) + 2, figsize=(15, 2.6))
axes[0].imshow(picture, cmap="gray")
axes[0].set_title(f"original: {picture.size} numbers", fontsize=9)
for ax, r in zip(axes[1:], ranks):
    ax.imshow((U_pic[:, :r] * s_pic[:r]) @ Vt_pic[:r], cmap="gray")
    ax.set_title(f"rank {r}: {r * (96 + 96 + 1)} numbers", fontsize=9)
for ax in axes[:-1]:
    ax.axis("off")
axes[-1].semilogy(s_pic, ".")
axes[-1].set_title("singular values", fontsize=9)
plt.show()

# %% [markdown]
# ## 9. Principal component analysis on the digits
#
# Each digit image is a point in $\mathbb{R}^{64}$, but the 1,797 points do not fill that space:
# pixels near the border are always blank and neighbouring pixels move together. **PCA** finds
# the directions along which the data varies most, so that a few coordinates along them
# describe each image almost as well as all 64 pixels.
#
# The recipe, for data $X$ of shape $(N, D)$ (one sample per row):
#
# 1. **centre**: subtract the mean image, $X_c = X - \bar{x}$ (PCA describes variation *around*
#    the mean);
# 2. the **covariance** matrix $C = \frac{1}{N-1} X_c^\top X_c$ is $(D, D)$ and symmetric; its
#    eigenvectors are the **principal directions** and its eigenvalues $\lambda_1 \ge \lambda_2
#    \ge \dots$ the variance of the data along each;
# 3. keep the top $k$ directions as the rows of `components`, shape $(k, D)$, and project:
#    $Z = X_c\,\text{components}^\top$, shape $(N, k)$, the new coordinates of each sample;
# 4. the **explained variance ratio** of direction $i$ is its share of the total variance,
#    $\lambda_i / \sum_{j=1}^{D} \lambda_j$ (the sum runs over **all** $D$ directions, not only the
#    $k$ kept).
#
# The SVD gives the same thing more accurately, without forming $C$: if $X_c = U \Sigma V^\top$
# then $C = V \frac{\Sigma^2}{N-1} V^\top$, so the principal directions are the rows of $V^\top$,
# already sorted, and $\lambda_i = \sigma_i^2 / (N - 1)$.
#
# Worked example: the points $(-1, -1), (0, 0), (1, 1)$ have mean $(0, 0)$ and all their
# variance along the diagonal: one component $(0.707, 0.707)$, explained variance ratio $1$, and
# coordinates $Z = (-1.414, 0, 1.414)$.
#
# ### Exercise 5: `pca` (4 points)
#
# Implement the recipe, with `np.linalg.svd(X_c, full_matrices=False)` or with `np.linalg.eigh`
# of the covariance (then sort: `eigh` returns ascending eigenvalues). **Signs:** a principal
# direction and its negative are equally valid, so return either; the check flips each row of
# `components` so that its largest-magnitude entry is positive, and the matching column of `Z`
# with it, before comparing. (`Z` must therefore use the same signs as your `components`.)


# %% nbgrader={"grade": false, "grade_id": "pca", "locked": false, "schema_version": 3, "solution": true}
def pca(X, k):
    """Principal component analysis of the rows of X.

    X: (N, D) data, one sample per row; k: number of components, 1 <= k <= min(N - 1, D).
    Returns (Z, components, explained_variance_ratio):
      Z: (N, k) coordinates of the centred samples along the components;
      components: (k, D), rows are unit-length principal directions, largest variance first;
      explained_variance_ratio: (k,) share of the total variance along each component.
    Each component's sign is arbitrary (the checks fix it: largest-magnitude entry positive,
    with Z's column flipped to match).
    """
    ### BEGIN SOLUTION
    X_c = X - X.mean(axis=0)
    _, singular_values, Vt = np.linalg.svd(X_c, full_matrices=False)
    components = Vt[:k]
    Z = X_c @ components.T
    variances = singular_values**2  # the common 1 / (N - 1) cancels in the ratio
    explained_variance_ratio = variances[:k] / variances.sum()
    return Z, components, explained_variance_ratio
    ### END SOLUTION


# %% tags=["spec"]
def _pca_not_centred(X, k):
    _, singular_values, Vt = np.linalg.svd(X, full_matrices=False)
    components = Vt[:k]
    variances = singular_values**2
    return X @ components.T, components, variances[:k] / variances.sum()


def _pca_ratio_of_kept(X, k):
    X_c = X - X.mean(axis=0)
    eigenvalues, vectors = np.linalg.eigh(np.cov(X_c, rowvar=False))
    order = np.argsort(eigenvalues)[::-1][:k]
    components = vectors[:, order].T
    return X_c @ components.T, components, eigenvalues[order] / eigenvalues[order].sum()


def _pca_columns(X, k):
    X_c = X - X.mean(axis=0)
    eigenvalues, vectors = np.linalg.eigh(np.cov(X_c, rowvar=False))
    order = np.argsort(eigenvalues)[::-1][:k]
    components = vectors[:, order]
    return X_c @ components, components, eigenvalues[order] / eigenvalues.sum()


def _pca_unsorted(X, k):
    X_c = X - X.mean(axis=0)
    eigenvalues, vectors = np.linalg.eigh(np.cov(X_c, rowvar=False))
    components = vectors[:, :k].T
    return X_c @ components.T, components, eigenvalues[:k] / eigenvalues.sum()


def _pca_data(rng, N, D, spread, offset):
    """N samples in D dimensions with exactly the variances `spread` along random directions."""
    r = len(spread)
    directions = np.linalg.qr(rng.normal(size=(D, D)))[0][:, :r]
    scores = rng.normal(size=(N, r))
    scores = np.linalg.qr(scores - scores.mean(axis=0))[0] * np.sqrt(N - 1)
    return (scores * np.sqrt(spread)) @ directions.T + offset


exercise(
    "pca",
    public=[
        case(
            np.array(
                [[2.5, 2.4], [0.5, 0.7], [2.2, 2.9], [1.9, 2.2], [3.1, 3.0], [2.3, 2.7], [2.0, 1.6]]
            ),
            1,
            note="7 points in 2-D, k=1",
        ),
        case(
            np.array([[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]]),
            1,
            note="the worked example: component (0.707, 0.707), ratio 1, Z = (-1.414, 0, 1.414)",
        ),
        case(
            np.array(
                [
                    [12.0, 3.0, 5.0],
                    [10.0, 1.0, 6.0],
                    [14.0, 4.0, 4.0],
                    [11.0, 0.0, 7.0],
                    [9.0, 2.0, 5.0],
                    [13.0, 5.0, 2.0],
                ]
            ),
            2,
            note="6 points in 3-D, k=2",
        ),
        case(
            np.array([[1.0, -2.0], [3.0, 0.0], [-1.0, 1.0], [5.0, 2.0], [2.0, -3.0]]),
            2,
            note="k = D: every component",
        ),
    ],
    hidden=lambda rng: [
        case(_pca_data(rng, 30, 5, [9.0, 4.0, 1.0, 0.25, 0.04], 3.0), 2, note="N=30, D=5, k=2"),
        case(_pca_data(rng, 12, 8, [5.0, 2.0, 1.0, 0.5, 0.2, 0.1, 0.05], -1.0), 1, note="k=1"),
        case(_pca_data(rng, 4, 6, [4.0, 1.0, 0.1], 2.0), 2, note="fewer samples than features"),
        case(_pca_data(rng, 10, 3, [3.0, 2.0, 1.0], 0.5), 3, note="k = D"),
        case(_pca_data(rng, 50, 4, [2.0, 1.0, 0.3, 0.1], 1e3), 2, note="far from the origin"),
        case(_pca_data(rng, 20, 6, [1e6, 1e5, 1e4, 1e2, 1.0, 0.1], 7.0), 3, note="large values"),
        case(rng.normal(size=(40, 4)) * np.array([3.0, 2.0, 1.0, 0.5]) + 1, 2, note="Gaussian"),
    ],
    mistakes=[
        mistake(
            "did not centre",
            _pca_not_centred,
            "subtract the mean of each column (X - X.mean(axis=0)) before the SVD or covariance, "
            "and project the centred data: otherwise the first direction points at the mean.",
        ),
        mistake(
            "ratio over the kept components only",
            _pca_ratio_of_kept,
            "the explained variance ratio divides by the total variance of all D directions, "
            "not of the k you keep; your ratios add up to 1 whatever k is.",
        ),
        mistake(
            "components as columns",
            _pca_columns,
            "eigh returns eigenvectors as the columns of its matrix; components must hold them "
            "as rows, shape (k, D): transpose.",
        ),
        mistake(
            "eigenvectors not sorted",
            _pca_unsorted,
            "np.linalg.eigh returns eigenvalues in ascending order, so its first columns are the "
            "directions of least variance. Sort in decreasing order: np.argsort(values)[::-1].",
        ),
    ],
    driver="autograder.modules.linear_algebra:pca_fixed_signs",
    outputs=("Z", "components", "explained_variance_ratio"),
    atol=1e-8,
)

# %% nbgrader={"grade": true, "grade_id": "pca-tests", "locked": true, "points": 4, "schema_version": 3, "solution": false}
"""pca: centred scores, sorted unit components and variance ratios, up to sign."""
check("pca", pca)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("01_linear_algebra", "pca", pca)
### END HIDDEN TESTS

# %% [markdown]
# ### Eigen-digits
#
# Run your `pca` on all 64 dimensions of the digits. The mean image comes first; then each
# principal direction is itself a 64-pixel image, showing a pattern of ink that adds to the mean
# (red) or removes from it (blue). The first few capture broad strokes (a 0 against a 1, say);
# later ones add finer and finer detail.

# %%
needs("pca")
digits_mean = X_digits.mean(axis=0)
Z_digits, components_digits, ratio_digits = pca(X_digits, 64)

fig, axes = plt.subplots(1, 11, figsize=(15, 1.8))
axes[0].imshow(digits_mean.reshape(8, 8), cmap="gray_r")
axes[0].set_title("mean", fontsize=9)
for i, ax in enumerate(axes[1:]):
    limit = np.abs(components_digits[i]).max()
    ax.imshow(components_digits[i].reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(f"PC {i + 1}: {ratio_digits[i]:.0%}", fontsize=9)
for ax in axes:
    ax.axis("off")
plt.show()

# %% [markdown]
# ### How many components?
#
# The explained variance ratios fall quickly. The cumulative curve tells how much of the total
# variance the first $k$ components keep: far fewer than 64 numbers keep most of it.

# %%
needs("pca")
kept = np.cumsum(ratio_digits)
k_90 = int(np.searchsorted(kept, 0.90)) + 1
fig, (ax_bars, ax_curve) = plt.subplots(1, 2, figsize=(11, 3.2))
ax_bars.bar(np.arange(1, 21), ratio_digits[:20])
ax_bars.set_xlabel("component")
ax_bars.set_title("explained variance ratio of each component")
ax_curve.plot(np.arange(1, 65), kept, ".-")
ax_curve.axhline(0.9, color="gray", ls="--")
ax_curve.axvline(k_90, color="gray", ls="--")
ax_curve.set_xlabel("k, components kept")
ax_curve.set_ylabel("share of variance kept")
ax_curve.set_title(f"{k_90} components keep 90% of the variance")
plt.show()

# %% [markdown]
# With only **two** coordinates per image, the digits already sort themselves into groups: PCA
# never saw a label, yet the 0s, the 6s and the 4s each have their own region. (This is a
# common first look at any new data set.)

# %%
needs("pca")
plt.figure(figsize=(6, 5))
points = plt.scatter(Z_digits[:, 0], Z_digits[:, 1], c=y_digits, cmap="tab10", s=6)
plt.colorbar(points, ticks=range(10), label="digit")
plt.xlabel("first principal coordinate")
plt.ylabel("second principal coordinate")
plt.title("1,797 digits, 64 numbers each, seen along 2 directions")
plt.show()

# %% [markdown]
# ### Rebuilding the images from $k$ numbers
#
# Going back is one more product: the mean plus the first $k$ coordinates times the first $k$
# components, $\hat{X} = \bar{x} + Z_{:, :k}\, \text{components}_{:k}$. Slide $k$ from 1 to 64
# and watch the digits appear. Around the value where the curve above crosses 90%, the
# reconstructions are hard to tell from the originals, though they use a fraction of the numbers.


# %%
needs("pca")


def show_reconstruction(k=5):
    rebuilt = digits_mean + Z_digits[:, :k] @ components_digits[:k]
    error = np.mean((rebuilt - X_digits) ** 2)
    fig, axes = plt.subplots(2, 8, figsize=(10, 2.8))
    for j in range(8):
        axes[0, j].imshow(X_digits[j].reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
        axes[1, j].imshow(rebuilt[j].reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
        axes[0, j].axis("off")
        axes[1, j].axis("off")
    fig.suptitle(
        f"top: original (64 numbers); bottom: rebuilt from k = {k} numbers, "
        f"{kept[k - 1]:.0%} of the variance, mean squared error {error:.2f}",
        fontsize=9,
    )
    plt.show()


reconstruction_viewer = widgets.interact(
    show_reconstruction, k=widgets.IntSlider(5, 1, len(kept), description="k")
)

# %% [markdown]
# **What you built.** Loops and `@` for products, projections, rotations, an orthonormal basis,
# and PCA, which compresses each digit to a few numbers while keeping most of what makes it a
# digit. The same tools return throughout the course: every layer is an `X @ W + b`, whitening
# and batch normalisation are centring and scaling, and the SVD explains why some networks train
# and others do not.
#
# **Next:** module 02 asks how a function's output changes when its input moves: derivatives,
# gradients and the chain rule, the engine of learning.
