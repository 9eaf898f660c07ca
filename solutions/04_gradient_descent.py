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
# # 04 · Gradient descent: fitting y = m x + b
#
# **Why this matters.** Every network in this course, from logistic regression to a transformer,
# is trained the same way: compute a loss, compute its gradient, take a small step downhill,
# repeat. Here we meet that loop in the one setting where we can also solve the problem
# *exactly*: fitting a straight line. With the exact answer in hand we can watch gradient descent
# work, crawl, zig-zag and blow up, and learn the two habits that make it work in practice:
# choosing the **learning rate** and **scaling the features**.
#
# Plan: the data and the model, the mean squared error and its gradient (exercise 1), the exact
# solution by the normal equation (exercise 2), gradient descent (exercise 3), feature scaling
# (exercise 4), the learning rate, and a model of all ten features judged by its $R^2$
# (exercise 5).

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("04_gradient_descent")

# %% [markdown]
# ## 1. The data and the model
#
# scikit-learn ships a medical data set: for 442 diabetes patients, ten measurements taken at a
# first visit (age, sex, body-mass index, blood pressure and six blood tests) and a measure of how
# far the disease had progressed one year later. We start with one input, the **body-mass index**
# (BMI, in kg/m²), and try to predict the progression $y$ with a straight line,
#
# $$\hat y = m\,x + b,$$
#
# where the slope $m$ and the intercept $b$ are the two numbers to learn.

# %%
diabetes = load_diabetes(scaled=False)
X_all, y = diabetes.data, diabetes.target
feature_names = diabetes.feature_names
bmi = X_all[:, feature_names.index("bmi")]
print(f"{X_all.shape[0]} patients, features: {feature_names}")
print(
    f"BMI from {bmi.min():.1f} to {bmi.max():.1f}, progression from {y.min():.0f} to {y.max():.0f}"
)

plt.figure(figsize=(6, 3.5))
plt.scatter(bmi, y, s=8, alpha=0.6)
plt.xlabel("body-mass index (kg/m²)")
plt.ylabel("disease progression")
plt.show()

# %% [markdown]
# Try to fit the line yourself. The red segments are the **residuals** $\hat y_i - y_i$, the
# errors of the line on each patient; the title shows their mean square. Find the slope and
# intercept that make it smallest, and notice how the best intercept depends on the slope you chose.


# %%
def line_text(m, b, digits=4):
    """'y = m x + b' with the sign of b folded in."""
    return f"y = {m:.{digits}f} x {'-' if b < 0 else '+'} {abs(b):.{digits}f}"


def show_line(m=5.0, b=0.0):
    line = m * bmi + b
    plt.figure(figsize=(6, 3.5))
    plt.vlines(bmi, y, line, color="tab:red", lw=0.5, alpha=0.5)
    plt.scatter(bmi, y, s=8, alpha=0.6)
    grid = np.linspace(bmi.min(), bmi.max(), 2)
    plt.plot(grid, m * grid + b, "k")
    plt.ylim(0, 400)
    plt.title(f"{line_text(m, b, 1)}: mean squared residual {np.mean((line - y) ** 2):,.0f}")
    plt.show()


line_by_hand = widgets.interact(
    show_line,
    m=widgets.FloatSlider(5.0, min=-5, max=20, step=0.5, description="slope m"),
    b=widgets.FloatSlider(0.0, min=-300, max=300, step=10, description="intercept b"),
)

# %% [markdown]
# ## 2. The loss and its gradient
#
# We measure a line by the **mean squared error** (MSE) of its predictions. With $D$ input
# features per example, stack the $N$ examples as the rows of $X$ (shape $(N, D)$), the weights
# in $w$ (shape $(D,)$) and write the residuals $r = Xw + b - y$ (shape $(N,)$). Then
#
# $$L(w, b) = \frac1N \sum_{i=1}^N \big(x_i \cdot w + b - y_i\big)^2 = \frac1N \lVert r \rVert^2.$$
#
# (The line $\hat y = m x + b$ is the case $D = 1$, $w = (m)$.) Why squares? They are smooth,
# they punish large errors more than small ones, and minimising them is maximum likelihood when
# the noise is Gaussian (module 03).
#
# **The gradient**, by the chain rule: $\partial r_i / \partial w_j = X_{ij}$ and
# $\partial r_i / \partial b = 1$, so
#
# $$\frac{\partial L}{\partial w_j} = \frac1N \sum_i 2\,r_i\,X_{ij}
# \quad\Longrightarrow\quad \nabla_w L = \frac2N X^\top r \ \ (\text{shape } (D,)),
# \qquad \frac{\partial L}{\partial b} = \frac2N \sum_i r_i.$$
#
# **Worked example.** $X = \begin{pmatrix}1\\2\\3\end{pmatrix}$, $y = (3, 5, 8)$, $w = (2)$, $b = 1$:
# predictions $(3, 5, 7)$, residuals $r = (0, 0, -1)$, $L = \frac13$,
# $\nabla_w L = \frac23 (1 \cdot 0 + 2 \cdot 0 + 3 \cdot (-1)) = -2$ and
# $\partial L / \partial b = \frac23 (-1) = -\frac23$. Both negative: increasing $w$ or $b$ would
# lower the loss, since the third point lies above the line.
#
# ### Exercise 1: `mse_loss` (3 points)
#
# Return the loss and both gradients, vectorised (no Python loops): `X @ w + b - y` gives all
# the residuals at once, and `X.T @ residual` all the sums $\sum_i r_i X_{ij}$. If a check
# fails on `dw`, compare it with the centred differences of module 02: a gradient that disagrees
# with the slope of its own loss is wrong whatever the loss.


# %% nbgrader={"grade": false, "grade_id": "mse-loss", "locked": false, "schema_version": 3, "solution": true}
def mse_loss(w, b, X, y):
    """Mean squared error of the linear model X @ w + b, and its gradients.

    w: (D,) weights; b: float intercept; X: (N, D) inputs; y: (N,) targets.
    Returns (loss, dw, db): loss is a float, mean over i of (X[i] @ w + b - y[i])**2;
    dw (D,) and db (float) are its partial derivatives with respect to w and b.
    """
    ### BEGIN SOLUTION
    N = X.shape[0]
    residual = X @ w + b - y
    loss = float(np.mean(residual**2))
    dw = 2.0 * (X.T @ residual) / N
    db = float(2.0 * np.mean(residual))
    return loss, dw, db
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _mse_no_two(w, b, X, y):
    N = X.shape[0]
    residual = X @ w + b - y
    return float(np.mean(residual**2)), X.T @ residual / N, float(np.mean(residual))


def _mse_no_mean(w, b, X, y):
    residual = X @ w + b - y
    return float(np.mean(residual**2)), 2.0 * X.T @ residual, float(2.0 * np.sum(residual))


def _mse_flipped_residual(w, b, X, y):
    N = X.shape[0]
    residual = X @ w + b - y
    return float(np.mean(residual**2)), 2.0 * X.T @ -residual / N, float(-2.0 * np.mean(residual))


exercise(
    "mse_loss",
    public=[
        case(
            np.array([2.0]),
            1.0,
            np.array([[1.0], [2.0], [3.0]]),
            np.array([3.0, 5.0, 8.0]),
            note="the worked example: one feature, three points",
        ),
        case(
            np.array([1.0, -1.0]),
            0.5,
            np.array([[1.0, 2.0], [0.0, 1.0], [3.0, 1.0], [2.0, 2.0]]),
            np.array([0.0, 1.0, 2.0, 1.0]),
            note="two features, four examples",
        ),
        case(
            np.array([0.5, 0.0, -1.0]),
            -2.0,
            np.array([[1.0, 0.0, 2.0], [4.0, 1.0, 0.0]]),
            np.array([1.0, -1.0]),
            note="more features than examples",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=3), 0.3, rng.normal(size=(1, 3)), rng.normal(size=1), note="one example"
        ),
        case(
            rng.normal(size=4),
            -1.2,
            rng.normal(size=(50, 4)),
            rng.normal(size=50),
            note="N=50, D=4",
        ),
        case(
            rng.normal(size=2),
            40.0,
            rng.normal(size=(20, 2)) * 1e3,
            rng.normal(size=20) * 1e4,
            note="large inputs and targets",
        ),
        case(
            np.array([1.5, -2.0]),
            0.25,
            np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]),
            np.array([-2.25, 6.75, 0.0]),
            note="a perfect fit: zero loss, zero gradient",
        ),
        case(rng.normal(size=7), 0.0, rng.normal(size=(3, 7)), rng.normal(size=3), note="N=3, D=7"),
    ],
    mistakes=[
        mistake(
            "gradients missing the factor 2",
            _mse_no_two,
            "the derivative of r**2 is 2 r: dw = 2 X.T @ r / N and db = 2 mean(r).",
        ),
        mistake(
            "gradients missing the 1/N",
            _mse_no_mean,
            "the loss is a mean, so its gradient is a mean too: divide X.T @ r and sum(r) by N "
            "(or use np.mean). Without it the gradient grows with the data set.",
        ),
        mistake(
            "residual sign flipped in the gradients",
            _mse_flipped_residual,
            "with r = X @ w + b - y (prediction minus target) the gradient is +2 X.T @ r / N. "
            "Using y - prediction flips its sign, and descent would climb.",
        ),
    ],
    outputs=("loss", "dw", "db"),
    rtol=1e-7,
    atol=1e-9,
)

# %% nbgrader={"grade": true, "grade_id": "mse-loss-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""mse_loss: mean squared residual, dw = 2 X.T r / N, db = 2 mean(r)."""
check("mse_loss", mse_loss)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("04_gradient_descent", "mse_loss", mse_loss)
### END HIDDEN TESTS

# %% [markdown]
# **The loss landscape.** With one feature, the loss is a function of two numbers, $(m, b)$, so we
# can draw it: each contour joins lines of equal MSE. Its shape is the story of this module. It is
# a bowl (a quadratic, with a single minimum), but a very **long, thin** one: moving $m$ by 1
# shifts every prediction by about 26 (the BMI values), while moving $b$ by 1 shifts them by 1.
# The red arrows show the direction of steepest descent, $-\nabla L$, that your `mse_loss`
# computes (drawn to a fixed length): almost purely along $m$, because the loss is about 26 times
# more sensitive to $m$ than to $b$. They do not point at the bottom of the valley. Descent will
# rush along $m$ to the valley floor, then crawl.

# %%
needs("mse_loss")
X_bmi = bmi[:, None]  # (N, 1): one feature


def line_loss(m, b):
    """MSE of the line m x + b on (bmi, y), for arrays of m and b (expands the square)."""
    return (
        m**2 * np.mean(bmi**2)
        + b**2
        + np.mean(y**2)
        + 2 * m * b * np.mean(bmi)
        - 2 * m * np.mean(bmi * y)
        - 2 * b * np.mean(y)
    )


slopes, intercepts = np.meshgrid(np.linspace(-5, 25, 300), np.linspace(-350, 250, 300))
landscape = line_loss(slopes, intercepts)


def draw_landscape(ax):
    levels = np.geomspace(landscape.min() * 1.01, landscape.max(), 25)
    ax.contour(slopes, intercepts, landscape, levels=levels, cmap="viridis", linewidths=0.8)
    ax.set_xlabel("slope m")
    ax.set_ylabel("intercept b")


fig, ax = plt.subplots(figsize=(6, 4))
draw_landscape(ax)
for m0, b0 in [(0.0, 0.0), (15.0, 100.0), (5.0, -200.0), (20.0, -250.0)]:
    _, dm, db = mse_loss(np.array([m0]), b0, X_bmi, y)
    scale = 4.0 / np.hypot(dm[0], db)
    ax.arrow(m0, b0, -dm[0] * scale, -db * scale, width=4, head_length=0.8, color="tab:red")
ax.set_title("contours of the MSE over (m, b)")
plt.show()

# %% [markdown]
# ## 3. The exact answer: the normal equation
#
# The minimum of a smooth bowl is where the gradient vanishes. Fold $b$ into the weights by
# adding a column of ones to $X$: with $A = [X \ \ \mathbf 1]$ (shape $(N, D+1)$) and
# $\theta = (w, b)$, the residuals are $r = A\theta - y$ and
#
# $$\nabla_\theta L = \frac2N A^\top (A\theta - y) = 0
# \quad\Longleftrightarrow\quad A^\top A\,\theta = A^\top y.$$
#
# These are the **normal equations**: $D + 1$ linear equations in $D + 1$ unknowns. Check the
# shapes: $A^\top A$ is $(D+1, D+1)$ and $A^\top y$ is $(D+1,)$.
#
# **Worked example.** Points $(0, 1), (1, 3), (2, 5)$ lie on $y = 2x + 1$.
# $A = \begin{pmatrix}0&1\\1&1\\2&1\end{pmatrix}$,
# $A^\top A = \begin{pmatrix}5&3\\3&3\end{pmatrix}$, $A^\top y = (13, 9)$, and solving gives
# $\theta = (2, 1)$.
#
# ### Exercise 2: `normal_equation` (2 points)
#
# Build $A$ with `np.column_stack` or `np.hstack`, solve with `np.linalg.solve(A.T @ A, A.T @ y)`
# (solving is faster and more accurate than forming an inverse), and return `(w, b)` with `w` of
# shape `(D,)` and `b` a float. You may assume $A^\top A$ is invertible (no feature is a
# combination of the others).


# %% nbgrader={"grade": false, "grade_id": "normal-equation", "locked": false, "schema_version": 3, "solution": true}
def normal_equation(X, y):
    """Least-squares weights and intercept by solving the normal equations.

    X: (N, D) inputs; y: (N,) targets.
    Returns (w, b): w (D,) and b (float) minimising the mean of (X @ w + b - y)**2.
    """
    ### BEGIN SOLUTION
    A = np.column_stack([X, np.ones(X.shape[0])])
    theta = np.linalg.solve(A.T @ A, A.T @ y)
    return theta[:-1], float(theta[-1])
    ### END SOLUTION


# %% tags=["spec"]
def _normal_eq_transpose(X, y):
    A = np.column_stack([X, np.ones(X.shape[0])])
    theta = np.linalg.solve(A.T @ A, A @ y)
    return theta[:-1], float(theta[-1])


def _normal_eq_no_bias(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y), 0.0


def _normal_eq_bias_first(X, y):
    A = np.column_stack([np.ones(X.shape[0]), X])
    theta = np.linalg.solve(A.T @ A, A.T @ y)
    return theta[:-1], float(theta[-1])


exercise(
    "normal_equation",
    public=[
        case(np.array([[0.0], [1.0], [2.0]]), np.array([1.0, 3.0, 5.0]), note="y = 2x + 1 exactly"),
        case(
            np.array([[1.0, 0.0], [2.0, 1.0], [0.0, 3.0], [1.0, 1.0], [3.0, 2.0]]),
            np.array([2.0, 3.5, 4.0, 2.0, 6.0]),
            note="five examples, two features, no exact fit",
        ),
        case(
            np.array([[1.0, 2.0], [2.0, 0.0], [0.0, 1.0]]),
            np.array([1.0, 2.0, 3.0]),
            note="three parameters, three points: an exact fit",
        ),
    ],
    hidden=lambda rng: [
        case(
            (X := rng.normal(size=(30, 3))),
            X @ np.array([1.0, -2.0, 0.5]) + 3.0 + rng.normal(size=30) * 0.1,
            note="N=30, D=3, a little noise",
        ),
        case(np.array([[-1.0], [2.0]]), np.array([4.0, -2.0]), note="two points, one line"),
        case(
            rng.normal(size=(12, 2)) * 100 + 50,
            rng.normal(size=12) * 1e3 + 1e4,
            note="large offsets and scales",
        ),
        case(rng.normal(size=(8, 5)), rng.normal(size=8), note="N=8, D=5"),
        case(rng.uniform(15, 45, size=(40, 1)), rng.normal(150, 70, size=40), note="BMI-like data"),
    ],
    mistakes=[
        mistake(
            "transpose missing on the right-hand side",
            _normal_eq_transpose,
            "the normal equations are (A.T @ A) theta = A.T @ y: both sides carry A.T. Check "
            "the shapes: A.T @ y is (D+1,), A @ y only works when A is square.",
        ),
        mistake(
            "forgot the column of ones",
            _normal_eq_no_bias,
            "without a column of ones the line is forced through the origin (b = 0). Append "
            "np.ones(N) as a last column of A, solve, then split theta into w = theta[:-1] and "
            "b = theta[-1].",
        ),
        mistake(
            "ones first, intercept read last",
            _normal_eq_bias_first,
            "you put the column of ones first but read b from the last entry of theta. The "
            "intercept sits where its column of ones is: put the ones last (w = theta[:-1], "
            "b = theta[-1]).",
        ),
    ],
    outputs=("w", "b"),
    rtol=1e-6,
    atol=1e-8,
)

# %% nbgrader={"grade": true, "grade_id": "normal-equation-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""normal_equation: (w, b) solving A.T A theta = A.T y with A = [X, 1]."""
check("normal_equation", normal_equation)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("04_gradient_descent", "normal_equation", normal_equation)
### END HIDDEN TESTS

# %% [markdown]
# The best line through the BMI data, and the bottom of the valley. NumPy's `polyfit` agrees.

# %%
needs("mse_loss", "normal_equation")
w_exact, b_exact = normal_equation(X_bmi, y)
m_exact = w_exact[0]
best_loss = line_loss(m_exact, b_exact)
print(f"normal equation: {line_text(m_exact, b_exact)}, MSE {best_loss:,.1f}")
print(f"np.polyfit:      {line_text(*np.polyfit(bmi, y, 1))}")

fig, (ax_fit, ax_bowl) = plt.subplots(1, 2, figsize=(11, 3.5))
ax_fit.scatter(bmi, y, s=8, alpha=0.6)
grid = np.linspace(bmi.min(), bmi.max(), 2)
ax_fit.plot(grid, m_exact * grid + b_exact, "k")
ax_fit.set_xlabel("BMI")
ax_fit.set_ylabel("progression")
draw_landscape(ax_bowl)
ax_bowl.plot(m_exact, b_exact, "r*", ms=12)
plt.show()

# %% [markdown]
# ## 4. Gradient descent
#
# The normal equation costs a $(D+1) \times (D+1)$ solve: fine for ten features, hopeless for the
# millions of weights of a network, whose loss has no closed-form minimum anyway. **Gradient
# descent** needs only the gradient. From a starting point $\theta_0$, repeat
#
# $$\theta_{t+1} = \theta_t - \eta\, \nabla L(\theta_t),$$
#
# where the **learning rate** $\eta > 0$ sets the step size. The minus sign is the whole idea: the
# gradient points uphill, so we step against it.
#
# **Worked example.** $L(\theta) = (\theta - 3)^2$, so $\nabla L = 2(\theta - 3)$; with
# $\theta_0 = 0$ and $\eta = 0.25$: $\theta_1 = 0 - 0.25 \cdot (-6) = 1.5$, then
# $\theta_2 = 1.5 - 0.25 \cdot (-3) = 2.25$, then $\theta_3 = 2.625$: each step halves the
# distance to the minimum at 3.
#
# ### Exercise 3: `gradient_descent` (3 points)
#
# Write the loop for any loss: `grad_fn(theta)` returns the gradient at `theta`, an array shaped
# like `theta`. Take exactly `steps` steps and return `(theta, history)`:
#
# * `theta`: the final parameters $\theta_{\text{steps}}$, shaped like `theta0`;
# * `history`: an array of shape `(steps + 1, *theta0.shape)` holding $\theta_0, \theta_1, \dots,
#   \theta_{\text{steps}}$, starting point included (so `history[-1]` equals `theta`).
#
# Two traps: do not change the caller's `theta0` (start from a float copy,
# `np.array(theta0, dtype=float)`), and if you update `theta` in place (`theta -= ...`), store a
# **copy** in the history, or every row will end up being the same array.


# %% nbgrader={"grade": false, "grade_id": "gradient-descent", "locked": false, "schema_version": 3, "solution": true}
def gradient_descent(grad_fn, theta0, lr, steps):
    """Plain gradient descent: theta <- theta - lr * grad_fn(theta), steps times.

    grad_fn: function of theta returning the gradient, an array shaped like theta.
    theta0: starting parameters, an array of any shape (left unchanged).
    lr: learning rate (float); steps: number of updates (int >= 0).
    Returns (theta, history): theta shaped like theta0, after the last step;
    history of shape (steps + 1, *theta0.shape), with history[0] = theta0 and history[-1] = theta.
    """
    ### BEGIN SOLUTION
    theta = np.array(theta0, dtype=float)
    history = [theta]
    for _ in range(steps):
        theta = theta - lr * grad_fn(theta)
        history.append(theta)
    return theta, np.array(history)
    ### END SOLUTION


# %% tags=["spec"]
from autograder.modules.gradient_descent import (
    bowl_grad,
    graded_bowl_grad,
    rosenbrock_grad,
    shifted_parabola_grad,
)


def _gd_ascent(grad_fn, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    history = [theta]
    for _ in range(steps):
        theta = theta + lr * grad_fn(theta)
        history.append(theta)
    return theta, np.array(history)


def _gd_aliased_history(grad_fn, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    history = [theta]
    for _ in range(steps):
        theta -= lr * grad_fn(theta)
        history.append(theta)
    return theta, np.array(history)


def _gd_no_start(grad_fn, theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    history = []
    for _ in range(steps):
        theta = theta - lr * grad_fn(theta)
        history.append(theta)
    return theta, np.array(history)


def _gd_changes_theta0(grad_fn, theta0, lr, steps):
    theta = theta0
    history = [theta0.copy()]
    for _ in range(steps):
        theta -= lr * grad_fn(theta)
        history.append(theta.copy())
    return theta, np.array(history)


exercise(
    "gradient_descent",
    public=[
        case(shifted_parabola_grad, np.array([0.0]), 0.25, 3, note="the worked example"),
        case(bowl_grad, np.array([1.0, 1.0]), 0.15, 5, note="an elongated bowl, 5 steps"),
        case(rosenbrock_grad, np.array([-1.0, 1.0]), 1e-3, 10, note="a curved valley"),
    ],
    hidden=lambda rng: [
        case(bowl_grad, rng.normal(size=2), 0.1, 0, note="zero steps"),
        case(shifted_parabola_grad, rng.normal(size=1), 0.3, 1, note="one step"),
        case(
            graded_bowl_grad, rng.normal(size=(2, 3)), 0.1, 20, note="a (2, 3) matrix of parameters"
        ),
        case(bowl_grad, rng.normal(size=2), 0.25, 30, note="a learning rate that diverges"),
        case(shifted_parabola_grad, rng.normal(size=5) * 1e6, 0.1, 15, note="a far-away start"),
        case(rosenbrock_grad, rng.uniform(-1.5, 1.5, size=2), 1e-3, 50, note="the curved valley"),
        case(
            shifted_parabola_grad,
            rng.integers(-5, 6, size=3),
            0.25,
            4,
            note="an integer start",
        ),
    ],
    mistakes=[
        mistake(
            "stepped uphill",
            _gd_ascent,
            "the gradient points uphill: subtract it, theta = theta - lr * grad_fn(theta).",
        ),
        mistake(
            "every history row is the same array",
            _gd_aliased_history,
            "theta -= ... changes the array you already stored in the history, so all rows end up "
            "equal to the last one. Build a new array each step (theta = theta - lr * g) or "
            "store theta.copy().",
        ),
        mistake(
            "history misses the starting point",
            _gd_no_start,
            "history should hold steps + 1 rows: theta0 first, then one row after each step.",
        ),
        mistake(
            "changed theta0 in place",
            _gd_changes_theta0,
            "theta = theta0 does not copy: theta -= ... then overwrites the caller's theta0. Start "
            "from a copy, theta = np.array(theta0, dtype=float).",
        ),
    ],
    driver="autograder.modules.gradient_descent:descend_watching_start",
    outputs=("theta", "history", "theta0 left unchanged"),
    rtol=1e-9,
    atol=1e-12,
)

# %% nbgrader={"grade": true, "grade_id": "gradient-descent-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""gradient_descent: steps updates against the gradient, the full history, theta0 untouched."""
check("gradient_descent", gradient_descent)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("04_gradient_descent", "gradient_descent", gradient_descent)
### END HIDDEN TESTS

# %% [markdown]
# ### Gradient descent on the raw BMI data: a crawl
#
# Let us fit the line by descent, with $\theta = (m, b)$ and your `mse_loss` as the gradient.
# The learning rate cannot exceed about 0.0014 here (section 6 explains the limit), so we take
# 0.0013 and run 20,000 steps, in chunks of 1,000 behind a progress bar.


# %%
needs("mse_loss", "normal_equation", "gradient_descent")


def line_grad(theta):
    """Gradient of the MSE of the line theta = (m, b) on the raw BMI data."""
    _, dm, db = mse_loss(theta[:1], theta[1], X_bmi, y)
    return np.array([dm[0], db])


theta = np.zeros(2)
raw_path = [theta[None]]
for _ in tqdm(range(20), desc="descent on raw BMI"):
    theta, chunk = gradient_descent(line_grad, theta, 0.0013, 1000)
    raw_path.append(chunk[1:])
raw_path = np.concatenate(raw_path)  # (20001, 2)
raw_losses = line_loss(raw_path[:, 0], raw_path[:, 1])
print(
    f"after 20,000 steps: m = {theta[0]:.3f}, b = {theta[1]:.3f} (exact: {m_exact:.3f}, {b_exact:.3f})"
)

fig, (ax_path, ax_curve) = plt.subplots(1, 2, figsize=(11, 3.5))
draw_landscape(ax_path)
ax_path.plot(raw_path[:, 0], raw_path[:, 1], "r.-", ms=2, lw=0.8)
ax_path.plot(m_exact, b_exact, "k*", ms=12)
ax_path.set_title("path of 20,000 steps from (0, 0)")
ax_curve.semilogy(raw_losses - best_loss)
ax_curve.set_xticks([0, 5000, 10000, 15000, 20000], ["0", "5k", "10k", "15k", "20k"])
ax_curve.set_xlabel("step")
ax_curve.set_ylabel("loss - best loss")
ax_curve.set_title("the excess loss shrinks, slowly")
plt.show()

# %% [markdown]
# The first few steps drop straight to the valley floor; then the path creeps along it, and after
# 20,000 steps it is still far from the star. The valley is steep across and almost flat along:
# the learning rate must be small enough for the steep direction, and then it is far too small for
# the flat one. The curvatures of the bowl are the eigenvalues of its Hessian,
# $H = \frac2N A^\top A$, and their ratio, the **condition number**, measures the trouble:

# %%
A_bmi = np.column_stack([bmi, np.ones_like(bmi)])
curvatures = np.linalg.eigvalsh(2 * A_bmi.T @ A_bmi / len(bmi))
print(f"curvatures {curvatures.round(4)}, condition number {curvatures[1] / curvatures[0]:,.0f}")

# %% [markdown]
# ## 5. Feature scaling
#
# The cure is to change the units. **Standardising** a feature subtracts its mean and divides by
# its standard deviation,
#
# $$x'_{ij} = \frac{x_{ij} - \mu_j}{\sigma_j}, \qquad
# \mu_j = \frac1N \sum_i x_{ij}, \quad \sigma_j = \sqrt{\frac1N \sum_i (x_{ij} - \mu_j)^2},$$
#
# so that every column has mean 0 and standard deviation 1. The fitted line is the same line in
# new units; only the shape of the valley changes. Centring removes the coupling between slope and
# intercept (the tilt of the valley), and dividing by $\sigma$ gives every direction the same
# curvature.
#
# ### Exercise 4: `standardize` (2 points)
#
# Standardise each **column** of `X` and return `(X_scaled, mean, std)`, with `mean` and `std` of
# shape `(D,)` so that new data can be scaled the same way later: `(X_new - mean) / std`. Use the
# population standard deviation (`np.std`'s default). A **constant column** (all its values equal)
# has $\sigma = 0$: use 1 instead for it (return 1 in `std` too), so that it becomes a column of
# zeros rather than NaN. Decide that a column is constant by comparing its values (its largest
# equals its smallest), not by testing `std == 0`: in floating point, `np.std(np.full(3, 0.1))` is
# about `1.4e-17`, not 0, and dividing by it would turn the column into -1s.


# %% nbgrader={"grade": false, "grade_id": "standardize", "locked": false, "schema_version": 3, "solution": true}
def standardize(X):
    """Scale each column of X to mean 0 and standard deviation 1.

    X: (N, D) inputs.
    Returns (X_scaled, mean, std): X_scaled (N, D) = (X - mean) / std; mean (D,) the column means;
    std (D,) the column standard deviations (divided by N), with 1.0 for constant columns (those
    whose values are all equal, whatever round-off makes of their std).
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    constant = X.max(axis=0) == X.min(axis=0)
    std = np.where(constant, 1.0, X.std(axis=0))
    return np.where(constant, 0.0, (X - mean) / std), mean, std
    ### END SOLUTION


# %% tags=["spec"]
import warnings


def _standardize_rows(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=1, keepdims=True)
    std = X.std(axis=1, keepdims=True)
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean.ravel(), std.ravel()


def _standardize_centre_only(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    return X - mean, mean, np.ones(X.shape[1])


def _standardize_by_variance(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    var = X.var(axis=0)
    var = np.where(var == 0, 1.0, var)
    return (X - mean) / var, mean, var


def _standardize_sample_std(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # N = 1: no degrees of freedom left
        std = X.std(axis=0, ddof=1)
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean, std


def _standardize_one_pass(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = np.sqrt(np.maximum((X**2).mean(axis=0) - mean**2, 0.0))
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean, std


def _standardize_std_exactly_zero(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean, std


def _standardize_constant_nan(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    return (X - mean) / std, mean, std


exercise(
    "standardize",
    public=[
        case(
            np.array([[1.0, 100.0], [2.0, 300.0], [3.0, 200.0], [6.0, 400.0]]),
            note="two columns on very different scales",
        ),
        case(
            np.array([[1.0, 5.0, 2.0], [3.0, 5.0, 0.0], [5.0, 5.0, 1.0]]),
            note="a constant middle column",
        ),
        case(np.array([[0.0, 10.0, -4.0], [2.0, 30.0, 4.0]]), note="two rows, three columns"),
        case(
            1e6 + np.array([[0.3], [1.7], [2.2], [4.1]]),
            note="one column of values near a million",
        ),
        case(
            np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]]),
            note="a first column of 0.1s, whose np.std is 1.4e-17, not 0",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 4)), note="a single example: every column is constant"),
        case(
            rng.normal(size=(40, 5)) * np.array([1.0, 10.0, 1e3, 0.01, 5.0]) + 20.0,
            note="40 examples, scales from 0.01 to 1000",
        ),
        case(rng.normal(size=(3, 8)) + 1e8, note="a huge offset"),
        case(
            np.column_stack([np.full(6, 7.0), rng.normal(size=(6, 2))]),
            note="a constant first column",
        ),
        case(rng.uniform(15, 45, size=(30, 1)), note="one BMI-like column"),
        case(
            np.column_stack([rng.normal(size=7), np.full(7, 0.7), np.full(7, 1e6 + 0.1)]),
            note="two constant columns whose std round-off makes non-zero",
        ),
    ],
    mistakes=[
        mistake(
            "a constant column found by std == 0",
            _standardize_std_exactly_zero,
            "round-off can make the std of a constant column a tiny number such as 1.4e-17 "
            "instead of 0, and dividing by it turns the column into -1s or 1s. Find constant "
            "columns by their values: X.max(axis=0) == X.min(axis=0).",
        ),
        mistake(
            "standardised the rows",
            _standardize_rows,
            "each column is a feature: its mean and std are taken over the examples, axis=0, "
            "giving arrays of shape (D,).",
        ),
        mistake(
            "centred but did not scale",
            _standardize_centre_only,
            "subtracting the mean is half the job: divide by the standard deviation too, or a "
            "feature with a large spread still makes the valley long and gradient descent crawl.",
        ),
        mistake(
            "divided by the variance",
            _standardize_by_variance,
            "divide by the standard deviation (np.std), the square root of the variance, so that "
            "each column ends with standard deviation 1.",
        ),
        mistake(
            "sample standard deviation (ddof=1)",
            _standardize_sample_std,
            "use the population standard deviation, which divides by N: np.std's default, "
            "ddof=0. ddof=1 (and pandas' .std()) divides by N - 1 instead.",
        ),
        mistake(
            "variance as mean(x**2) - mean(x)**2",
            _standardize_one_pass,
            "far from 0, mean(x**2) and mean(x)**2 are two huge, nearly equal numbers, and their "
            "difference loses most of its digits. Centre first: "
            "std = np.sqrt(np.mean((X - mean)**2, axis=0)), which is what X.std(axis=0) does.",
        ),
        mistake(
            "constant column gives NaN",
            _standardize_constant_nan,
            "a constant column has std 0, and 0 / 0 is NaN. Use 1 for those: "
            "std = np.where(std == 0, 1.0, std), and return that std.",
        ),
    ],
    outputs=("X_scaled", "mean", "std"),
    rtol=1e-7,
    atol=1e-9,
)

# %% nbgrader={"grade": true, "grade_id": "standardize-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""standardize: columns to mean 0, std 1; constant columns to 0 with std 1."""
check("standardize", standardize)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("04_gradient_descent", "standardize", standardize)
### END HIDDEN TESTS

# %% [markdown]
# Descent on the standardised BMI: a learning rate of 0.1 and **100 steps** instead of 20,000.
# The fitted line in the original units follows from
# $\hat y = w \frac{x - \mu}{\sigma} + b' = \frac{w}{\sigma} x + \big(b' - \frac{w\mu}{\sigma}\big)$.

# %%
needs("mse_loss", "normal_equation", "gradient_descent", "standardize")
bmi_scaled, bmi_mean, bmi_std = standardize(X_bmi)


def scaled_line_grad(theta):
    """Gradient of the MSE of the line theta = (w, b') on the standardised BMI."""
    _, dw, db = mse_loss(theta[:1], theta[1], bmi_scaled, y)
    return np.array([dw[0], db])


theta_scaled, scaled_path = gradient_descent(scaled_line_grad, np.zeros(2), 0.1, 100)
m_descent = theta_scaled[0] / bmi_std[0]
b_descent = theta_scaled[1] - theta_scaled[0] * bmi_mean[0] / bmi_std[0]
print(f"after 100 steps: {line_text(m_descent, b_descent)}")
print(f"exact:           {line_text(m_exact, b_exact)}")

scaled_losses = [mse_loss(p[:1], p[1], bmi_scaled, y)[0] for p in scaled_path]
plt.figure(figsize=(6, 3))
plt.semilogy(np.arange(len(raw_losses)), raw_losses - best_loss, label="raw BMI, lr 0.0013")
plt.semilogy(np.maximum(np.array(scaled_losses) - best_loss, 1e-12), label="standardised, lr 0.1")
plt.xscale("symlog", linthresh=100)
plt.xlabel("step")
plt.ylabel("loss - best loss")
plt.legend()
plt.show()

# %% [markdown]
# ## 6. The learning rate: converge, zig-zag or diverge
#
# Near a minimum every loss looks like a bowl, so the bowl tells the whole story. Along a
# direction of curvature $\lambda$ the gradient is $\lambda$ times the distance to the minimum,
# and one step multiplies that distance by $1 - \eta\lambda$:
#
# * $\eta < 1/\lambda$: the factor is between 0 and 1, a smooth slide to the bottom;
# * $1/\lambda < \eta < 2/\lambda$: the factor is between $-1$ and 0, each step overshoots to the
#   other side of the valley, but by less each time: a **zig-zag** that still converges;
# * $\eta > 2/\lambda$: the factor is below $-1$, every step overshoots by more than the last:
#   **divergence**, the loss explodes.
#
# The largest curvature sets the limit, $\eta < 2/\lambda_{\max}$ (for the raw BMI,
# $2 / 1432 \approx 0.0014$); the smallest sets the speed. Below, two standardised features, BMI
# and `s5` (a blood test), predict the progression. They are correlated, so the bowl is an
# ellipse with curvatures 2.9 and 1.1. Move the learning rate across 0.35 and 0.69 and watch
# each regime.

# %%
needs("mse_loss", "normal_equation", "gradient_descent", "standardize")
pair = [feature_names.index("bmi"), feature_names.index("s5")]
X_pair, _, _ = standardize(X_all[:, pair])
hessian = 2 * X_pair.T @ X_pair / len(y)
lam_small, lam_large = np.linalg.eigvalsh(hessian)
w_pair, b_pair = normal_equation(X_pair, y)
print(
    f"curvatures {lam_small:.3f} and {lam_large:.3f}: zig-zag above lr = {1 / lam_large:.3f}, "
    f"divergence above lr = {2 / lam_large:.3f}"
)

# the loss over (w1, w2) at the best intercept, on a grid, for the contours
w1_grid, w2_grid = np.meshgrid(np.linspace(-20, 90, 200), np.linspace(-40, 100, 200))
offsets = np.stack([w1_grid - w_pair[0], w2_grid - w_pair[1]], axis=-1)
pair_best = mse_loss(w_pair, b_pair, X_pair, y)[0]
pair_landscape = pair_best + 0.5 * np.einsum("...i,ij,...j->...", offsets, hessian, offsets)


def pair_grad(theta):
    """Gradient of the MSE of theta = (w1, w2, b) on the two standardised features."""
    _, dw, db = mse_loss(theta[:2], theta[2], X_pair, y)
    return np.append(dw, db)


def show_learning_rate(lr=0.2, steps=20):
    start = np.array([85.0, 35.0, 0.0])
    _, path = gradient_descent(pair_grad, start, lr, steps)
    losses = [mse_loss(p[:2], p[2], X_pair, y)[0] for p in path]
    if lr > 2 / lam_large:
        verdict = "diverging: each overshoot is larger than the last"
    elif lr > 1 / lam_large:
        verdict = "converging, zig-zagging across the valley"
    else:
        verdict = "converging smoothly"
    fig, (ax_path, ax_curve) = plt.subplots(1, 2, figsize=(11, 3.8))
    ax_path.contour(
        w1_grid, w2_grid, pair_landscape, levels=np.geomspace(pair_best, pair_landscape.max(), 20)
    )
    ax_path.plot(path[:, 0], path[:, 1], "ro-", ms=3, lw=1)
    ax_path.plot(w_pair[0], w_pair[1], "k*", ms=12)
    ax_path.set_xlim(-20, 90)
    ax_path.set_ylim(-40, 100)
    ax_path.set_xlabel("weight of BMI")
    ax_path.set_ylabel("weight of s5")
    ax_path.set_title(f"lr = {lr:.2f}: {verdict}")
    ax_curve.semilogy(np.array(losses) - pair_best + 1e-9)
    ax_curve.set_xlabel("step")
    ax_curve.set_ylabel("loss - best loss")
    plt.tight_layout()
    plt.show()


learning_rate_explorer = widgets.interact(
    show_learning_rate,
    lr=widgets.FloatSlider(0.2, min=0.02, max=0.8, step=0.02, description="learning rate"),
    steps=widgets.IntSlider(20, min=1, max=60, description="steps"),
)

# %% [markdown]
# ## 7. All ten features, and how good is the fit?
#
# With ten features the line becomes a hyperplane, but nothing else changes: standardise, descend,
# compare with the normal equation. To know how good a fit is, compare its MSE with that of the
# laziest model, which always predicts the mean $\bar y$. The **coefficient of determination** is
#
# $$R^2 = 1 - \frac{\sum_i (y_i - \hat y_i)^2}{\sum_i (y_i - \bar y)^2}:$$
#
# 1 for a perfect fit, 0 for a model no better than the mean, negative for a worse one. **Worked
# example.** $y = (1, 2, 3, 4)$ ($\bar y = 2.5$, total sum of squares 5) and
# $\hat y = (1.5, 2, 2.5, 4)$ (residual sum of squares 0.5): $R^2 = 1 - 0.5 / 5 = 0.9$.
#
# ### Exercise 5: `r2_score` (1 point)
#
# Compute $R^2$ of the predictions `y_hat` for the targets `y` and return it as a float. The order
# of the arguments matters: the mean in the denominator is the targets' mean. You may assume
# that `y` is not constant.


# %% nbgrader={"grade": false, "grade_id": "r2-score", "locked": false, "schema_version": 3, "solution": true}
def r2_score(y, y_hat):
    """Coefficient of determination of predictions y_hat for targets y.

    y: (N,) targets, not all equal; y_hat: (N,) predictions.
    Returns a float: 1 - sum((y - y_hat)**2) / sum((y - mean(y))**2).
    """
    ### BEGIN SOLUTION
    residual_ss = np.sum((y - y_hat) ** 2)
    total_ss = np.sum((y - np.mean(y)) ** 2)
    return float(1.0 - residual_ss / total_ss)
    ### END SOLUTION


# %% tags=["spec"]
def _r2_swapped(y, y_hat):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(1.0 - np.sum((y_hat - y) ** 2) / np.sum((y_hat - np.mean(y_hat)) ** 2))


def _r2_uncentred(y, y_hat):
    return float(1.0 - np.sum((y - y_hat) ** 2) / np.sum(y**2))


def _r2_ratio(y, y_hat):
    return float(np.sum((y - y_hat) ** 2) / np.sum((y - np.mean(y)) ** 2))


exercise(
    "r2_score",
    public=[
        case(
            np.array([1.0, 2.0, 3.0, 4.0]),
            np.array([1.5, 2.0, 2.5, 4.0]),
            note="the worked example",
        ),
        case(
            np.array([1.0, 2.0, 3.0, 4.0]),
            np.array([2.5, 2.5, 2.5, 2.5]),
            note="predicting the mean",
        ),
        case(np.array([3.0, -1.0, 2.0]), np.array([0.0, 2.0, -1.0]), note="worse than the mean"),
    ],
    hidden=lambda rng: [
        case((t := rng.normal(size=50)), t + rng.normal(size=50) * 0.3, note="a good fit, N=50"),
        case(np.array([1.0, 3.0]), np.array([1.5, 2.0]), note="two examples"),
        case((t := rng.normal(1e4, 10.0, size=20)), t + rng.normal(size=20), note="a large offset"),
        case(rng.normal(size=15), rng.normal(size=15) * 3, note="a bad fit: negative R2"),
    ],
    mistakes=[
        mistake(
            "arguments swapped",
            _r2_swapped,
            "the denominator measures the spread of the targets y around their own mean: "
            "sum((y - mean(y))**2), not the spread of the predictions.",
        ),
        mistake(
            "total sum of squares not centred",
            _r2_uncentred,
            "the baseline is the model that predicts the mean: subtract mean(y) in the "
            "denominator, sum((y - mean(y))**2).",
        ),
        mistake(
            "forgot the 1 -",
            _r2_ratio,
            "residual / total is the share of the variance left unexplained; R2 is 1 minus it.",
        ),
    ],
    driver="autograder.checking.drivers:call_float",
    rtol=1e-7,
    atol=1e-10,
)

# %% nbgrader={"grade": true, "grade_id": "r2-score-tests", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""r2_score: 1 - residual sum of squares / total sum of squares around mean(y)."""
check("r2_score", r2_score)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("04_gradient_descent", "r2_score", r2_score)
### END HIDDEN TESTS

# %% [markdown]
# ### Your functions at work: predicting progression from all ten measurements
#
# We keep a fifth of the patients aside as a test set. The scaling is fitted on the training set
# only (its mean and std then scale the test set), so that nothing about the test patients leaks
# into training. With ten correlated features the curvatures range from about 0.02 to 8, so we
# take the largest safe-ish learning rate and more steps.

# %%
needs("mse_loss", "normal_equation", "gradient_descent", "standardize", "r2_score")
order = np.random.default_rng(4).permutation(len(y))
train, test = order[:354], order[354:]
X_train, train_mean, train_std = standardize(X_all[train])
X_test = (X_all[test] - train_mean) / train_std
y_train, y_test = y[train], y[test]


def ten_feature_grad(theta):
    _, dw, db = mse_loss(theta[:-1], theta[-1], X_train, y_train)
    return np.append(dw, db)


theta = np.zeros(11)
train_losses = [mse_loss(theta[:-1], theta[-1], X_train, y_train)[0]]
for _ in tqdm(range(30), desc="descent on ten features"):
    theta, chunk = gradient_descent(ten_feature_grad, theta, 0.2, 100)
    train_losses += [mse_loss(p[:-1], p[-1], X_train, y_train)[0] for p in chunk[1:]]

w_ten, b_ten = normal_equation(X_train, y_train)
w_bmi_only, b_bmi_only = normal_equation(X_all[train][:, [2]], y_train)
exact_train_loss = mse_loss(w_ten, b_ten, X_train, y_train)[0]
print(f"training MSE: descent {train_losses[-1]:.2f}, normal equation {exact_train_loss:.2f}")
print(
    f"test R2: descent {r2_score(y_test, X_test @ theta[:-1] + theta[-1]):.3f}, "
    f"normal equation {r2_score(y_test, X_test @ w_ten + b_ten):.3f}, "
    f"BMI alone {r2_score(y_test, X_all[test][:, [2]] @ w_bmi_only + b_bmi_only):.3f}"
)

fig, (ax_curve, ax_weights) = plt.subplots(1, 2, figsize=(11, 3.5))
ax_curve.semilogy(np.array(train_losses) - exact_train_loss + 1e-9)
ax_curve.set_xlabel("step")
ax_curve.set_ylabel("training loss - best")
ax_curve.set_title("loss curve, lr 0.2")
ax_weights.bar(np.arange(10) - 0.2, w_ten, width=0.4, label="normal equation")
ax_weights.bar(np.arange(10) + 0.2, theta[:-1], width=0.4, label="3,000 descent steps")
ax_weights.set_xticks(range(10))
ax_weights.set_xticklabels(feature_names, rotation=45)
ax_weights.set_title("weights per standardised feature")
ax_weights.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# Descent lands on the normal equation's weights, but read the loss curve: a fast drop in a few
# dozen steps, then a straight line on the log scale, thousands of steps long. That line is the
# flattest direction of the bowl, curvature about 0.019, where `s1` and `s2` (two cholesterol
# measurements, correlated at 0.9) trade off against each other: the excess loss along it shrinks
# by a factor $(1 - \eta\lambda_{\min})^2 \approx 0.992$ per step. Scaling cannot fix that:
# correlated features make long valleys too. Module 10's optimisers (momentum, Adam) are built to
# cross them faster.
#
# An $R^2$ of about 0.44 means the ten measurements explain less than half of the variation in
# progression: a useful but far from perfect predictor. With only 88 test patients the number
# itself is noisy: over other random splits it ranges from about 0.35 to 0.6 (typically 0.49).
#
# **Next:** module 05 bends the line through a sigmoid to classify, and trains it with the same
# loop, the cross-entropy of module 03 taking the place of the squared error.
