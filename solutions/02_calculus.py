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
# # 02 · Calculus: derivatives you can compute, check and trust
#
# **Why this matters.** A neural network learns by nudging millions of numbers in the direction
# that makes its loss smaller. That direction is the **gradient**, a vector of derivatives.
# Backpropagation computes it with the **chain rule**, and every backward pass you write in this
# course will be checked against a **numerical gradient**: the loss evaluated twice around each
# parameter, a difference, a division. You build that yardstick here, learn how far to trust it
# (floating-point numbers have limits you can *see* on a plot), and learn the few rules of matrix
# calculus that backpropagation is made of.
#
# Seven graded exercises, 17 points:
#
# | exercise | what it teaches | points |
# |---|---|---|
# | `numerical_derivative(f, x, h)` | centred differences | 2 |
# | `numerical_gradient(f, x, h=1e-5)` | partial derivatives of a function of an array | 3 |
# | `grad_check(f, grad_f, x)` | how to tell a right gradient from a wrong one | 2 |
# | `chain_rule_derivative(f_prime, g, g_prime, x)` | the chain rule | 2 |
# | `jacobian(f, x)` | derivatives of vector functions | 3 |
# | `quadratic_form_grad(A, x)` | a first matrix-calculus identity | 2 |
# | `matmul_backward(dout, X, W)` | the backward pass of a matrix product | 3 |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo
from autograder.checking import numerics

check = load_checks("02_calculus")

# %% [markdown]
# ## 1. A derivative is a slope
#
# Zoom in far enough on a smooth curve and it looks like a straight line. The slope of that line
# at the point $a$ is the **derivative** $f'(a)$:
#
# $$f'(a) = \lim_{h \to 0} \frac{f(a + h) - f(a)}{h},$$
#
# the slope of the chord from $a$ to $a + h$ as the chord shrinks to nothing. The line that
# touches the curve at $a$ with that slope is the **tangent**,
# $y = f(a) + f'(a)\,(x - a)$: the best straight-line approximation of $f$ near $a$.
#
# Our example for this section is $f(x) = \sin(x)\, e^{x/2}$. The product rule
# $(uv)' = u'v + uv'$ gives its derivative:
#
# $$f'(x) = \cos(x)\, e^{x/2} + \sin(x)\, \tfrac12 e^{x/2} = e^{x/2}\left(\cos x + \tfrac12 \sin x\right).$$


# %%
def wave(x):
    return np.sin(x) * np.exp(0.5 * x)


def wave_prime(x):
    return np.exp(0.5 * x) * (np.cos(x) + 0.5 * np.sin(x))


# %% [markdown]
# Move the slider: the tangent follows the point, and its slope is the value of $f'$ plotted
# underneath. Watch the slope go through zero exactly at the peaks and troughs of $f$, and notice
# that $f' > 0$ wherever $f$ climbs. That is all gradient descent needs: **the sign of the
# derivative says which way is uphill**, its size says how steep.

# %%
xs = np.linspace(-4.0, 3.0, 400)


def show_tangent(a=-1.0):
    slope = wave_prime(a)
    fig, (ax_f, ax_d) = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
    ax_f.plot(xs, wave(xs), label="f(x)")
    near = np.array([a - 1.0, a + 1.0])
    ax_f.plot(near, wave(a) + slope * (near - a), color="tab:red", label="tangent at a")
    ax_f.plot(a, wave(a), "o", color="tab:red")
    ax_f.set_ylim(-3.5, 4.5)
    ax_f.set_title(f"tangent at a = {a:.2f}: slope f'(a) = {slope:.3f}")
    ax_f.legend(loc="upper left")
    ax_d.plot(xs, wave_prime(xs), color="tab:green", label="f'(x)")
    ax_d.axhline(0.0, color="gray", lw=0.8)
    ax_d.plot(a, slope, "o", color="tab:red")
    ax_d.set_xlabel("x")
    ax_d.legend(loc="upper left")
    plt.show()


tangent_viewer = widgets.interact(
    show_tangent, a=widgets.FloatSlider(value=-1.0, min=-4.0, max=3.0, step=0.05, description="a")
)

# %% [markdown]
# ## 2. Numerical differentiation
#
# A computer cannot take a limit, but it can stop at a small $h$. The **forward difference** is
# the definition above with a finite step:


# %%
def forward_difference(f, x, h):
    """Slope of the chord from x to x + h: the definition of f'(x), stopped at a finite h."""
    return (f(x + h) - f(x)) / h


def cube(x):
    return x**3


for h in [0.1, 0.01, 0.001]:
    slope = forward_difference(cube, 2.0, h)
    print(f"h = {h:<6}  forward difference {slope:.6f}   error {slope - 12.0:.1e}")

# %% [markdown]
# The exact slope of $x^3$ at $x = 2$ is $3 \cdot 2^2 = 12$. Each tenfold smaller $h$ gives a
# tenfold smaller error: the error is proportional to $h$. **Taylor's formula** says why. Near
# $x$, a smooth function is a polynomial in the step:
#
# $$f(x \pm h) = f(x) \pm h f'(x) + \frac{h^2}{2} f''(x) \pm \frac{h^3}{6} f'''(x) + \dots$$
#
# so the forward difference is $\frac{f(x+h) - f(x)}{h} = f'(x) + \frac{h}{2} f''(x) + \dots$:
# off by about $\frac{h}{2} f''(x)$, an error of order $O(h)$. (For $x^3$ at 2, $f'' = 12$, and
# $\frac{0.1}{2} \cdot 12 = 0.6$: the error in the first line.)
#
# Now **subtract** the two expansions instead. The even terms cancel:
#
# $$f(x+h) - f(x-h) = 2h f'(x) + \frac{h^3}{3} f'''(x) + \dots
# \quad\Longrightarrow\quad
# \frac{f(x+h) - f(x-h)}{2h} = f'(x) + \frac{h^2}{6} f'''(x) + \dots$$
#
# This **centred difference** costs the same two evaluations of $f$, and its error is $O(h^2)$:
# ten times smaller $h$, a *hundred* times smaller error.
#
# ### Exercise 1: `numerical_derivative` (2 points)
#
# Write the centred difference $\dfrac{f(x+h) - f(x-h)}{2h}$. `x` may be a number or an array of
# points (the functions we pass work elementwise, like `np.sin`), and the same one line handles
# both. Mind the parentheses around $2h$.


# %% nbgrader={"grade": false, "grade_id": "numerical-derivative", "locked": false, "schema_version": 3, "solution": true}
def numerical_derivative(f, x, h):
    """Derivative of f at x by a centred difference with step h.

    f: a function of one variable that works elementwise on arrays (like np.sin).
    x: a float, or an array of points of any shape; h: the step, a positive float.
    Returns f'(x) approximately: a float, or an array shaped like x.
    """
    ### BEGIN SOLUTION
    return (f(x + h) - f(x - h)) / (2.0 * h)
    ### END SOLUTION


# %% tags=["spec"]
from autograder.modules import calculus as fx
from autograder.modules import calculus as fc
from autograder.authoring.spec import case, exercise, mistake


def _derivative_forward(f, x, h):
    fx_here = f(x)
    return (f(x + h) - fx_here) / h


def _derivative_over_h(f, x, h):
    return (f(x + h) - f(x - h)) / h


def _derivative_precedence(f, x, h):
    return (f(x + h) - f(x - h)) / 2 * h


exercise(
    "numerical_derivative",
    public=[
        case(fx.cube, 2.0, 0.1, note="f(x) = x^3 at x = 2 with h = 0.1; the exact slope is 12"),
        case(fx.sin_times_exp, 0.5, 0.01, note="f(x) = sin(x) exp(x/2) at x = 0.5, h = 0.01"),
        case(fx.cube, np.array([-1.0, 0.0, 1.0, 2.0]), 1e-3, note="an array of points, h = 1e-3"),
    ],
    hidden=lambda rng: [
        case(fx.sin_times_exp, rng.uniform(-3, 3, size=6), 1e-3, note="six random points"),
        case(fx.cube, np.array([0.7]), 1e-2, note="an array of one point"),
        case(fx.cube, rng.normal(size=(2, 3)), 1e-3, note="a (2, 3) grid of points"),
        case(fx.sin_times_exp, -2.3, 0.5, note="a large step"),
        case(np.exp, 10.0, 1e-4, note="large values: exp at x = 10"),
        case(fc.sigmoid, float(rng.normal()), 1e-6, note="a small step"),
    ],
    mistakes=[
        mistake(
            "forward difference",
            _derivative_forward,
            "(f(x + h) - f(x)) / h is the forward difference, with an error of order h. The "
            "centred difference (f(x + h) - f(x - h)) / (2h) costs the same two evaluations and "
            "its error is of order h^2.",
        ),
        mistake(
            "divided by h instead of 2h",
            _derivative_over_h,
            "x + h and x - h are 2h apart: the chord's slope is the rise divided by 2h, not h "
            "(your answers are twice too large).",
        ),
        mistake(
            "operator precedence: / 2 * h",
            _derivative_precedence,
            "Python reads a / 2 * h as (a / 2) * h. Divide by (2 * h), with the parentheses.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "numerical-derivative-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""numerical_derivative: centred differences, scalars and arrays."""
check("numerical_derivative", numerical_derivative)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("02_calculus", "numerical_derivative", numerical_derivative)
### END HIDDEN TESTS

# %% [markdown]
# The same table as before, with your centred difference. The error now falls a hundredfold per
# line, and it is exactly $h^2$ here because $f''' = 6$ and $\frac{h^2}{6} \cdot 6 = h^2$.

# %%
needs("numerical_derivative")
for h in [0.1, 0.01, 0.001]:
    slope = numerical_derivative(cube, 2.0, h)
    print(f"h = {h:<6}  centred difference {slope:.9f}   error {slope - 12.0:.1e}")

# %% [markdown]
# ### How small should $h$ be? Truncation meets round-off
#
# Taylor says: the smaller $h$, the better. The computer disagrees. A float64 carries about 16
# significant digits; its relative precision is the **machine epsilon**
# $\varepsilon \approx 2.2 \times 10^{-16}$. The values $f(x+h)$ and $f(x-h)$ are each rounded,
# with an error around $\varepsilon |f(x)|$. When $h$ is tiny they agree in most of their digits,
# the subtraction cancels those digits, and what remains is mostly rounding noise, which the
# division by $2h$ then *amplifies*. The total error of the centred difference is about
#
# $$\underbrace{\frac{h^2}{6}\,|f'''(x)|}_{\text{truncation}} + \underbrace{\frac{\varepsilon\,|f(x)|}{h}}_{\text{round-off}},$$
#
# smallest near $h \approx \varepsilon^{1/3} \approx 10^{-5}$, where it is about $10^{-10}$. For
# the forward difference, $\frac{h}{2}|f''| + \frac{2\varepsilon|f|}{h}$ is smallest near
# $h \approx \sqrt{\varepsilon} \approx 10^{-8}$, and the best it can do is about $10^{-8}$. On a
# log-log plot the two errors draw a **V**: a slope of $-1$ on the left (round-off), a slope of 1
# or 2 on the right (truncation).

# %%
needs("numerical_derivative")
x0 = 1.0
exact = wave_prime(x0)
hs = np.logspace(-15, 0, 61)
forward_errors = np.maximum(np.abs(forward_difference(wave, x0, hs) - exact), 1e-17)
centred_errors = np.maximum(np.abs(numerical_derivative(wave, x0, hs) - exact), 1e-17)
eps = np.finfo(float).eps

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.loglog(hs, forward_errors, "o-", ms=3, label="forward difference")
ax.loglog(hs, centred_errors, "s-", ms=3, label="centred difference")
ax.loglog(hs, eps / hs, "k:", lw=1, label=r"round-off $\approx \varepsilon / h$")
anchor = np.argmin(np.abs(hs - 1e-2))  # guide lines through the errors at h = 0.01
ax.loglog(hs, forward_errors[anchor] * hs / hs[anchor], "C0--", lw=1, label=r"slope 1: $\propto h$")
ax.loglog(
    hs,
    centred_errors[anchor] * (hs / hs[anchor]) ** 2,
    "C1--",
    lw=1,
    label=r"slope 2: $\propto h^2$",
)
ax.set_ylim(1e-16, 10)
ax.set_xlabel("step h")
ax.set_ylabel("|error| at x = 1")
ax.set_title("numerical derivative of sin(x) exp(x/2): the V")
ax.legend()
plt.show()

best_forward, best_centred = hs[np.argmin(forward_errors)], hs[np.argmin(centred_errors)]
print(f"forward: best h ~ {best_forward:.0e}, error {forward_errors.min():.1e}")
print(f"centred: best h ~ {best_centred:.0e}, error {centred_errors.min():.1e}")

# %% [markdown]
# Now slide $h$ and look at what the computer actually computes. The left panel zooms on
# $t \in [-2h, 2h]$ around $x_0$ and **subtracts the tangent**: the grey dots are
# $f(x_0 + t) - f(x_0) - f'(x_0)\,t$ as float64 evaluates it, so a perfect chord would be the
# flat line at zero, and a chord with the wrong slope is a tilted line. Watch the vertical scale.
#
# * Large $h$ (say $10^{-1}$): the dots draw a curve, mostly a parabola (the curvature of $f$).
#   The forward chord, through $t = 0$ and $t = h$, tilts with it: truncation error of order $h$.
#   The centred chord, through $t = \pm h$, tilts less: the symmetric, parabolic part cancels and
#   only the cubic part (order $h^2$) is left.
# * $h = 10^{-5}$: a clean parabola, ten billion times flatter. The forward chord still tilts;
#   the centred chord is level (its slope error is about $10^{-11}$).
# * $h$ below $10^{-12}$: the parabola is gone, and the dots form a **staircase**. $f$ can only
#   change by whole steps of its last digit (about $2 \times 10^{-16}$ here), and a chord
#   through two points of a staircase can have nearly any slope: round-off error.
#
# The course uses $h = 10^{-5}$ with centred differences: the bottom of the V.


# %%
needs("numerical_derivative")


def explore_step(h=1e-2):
    t = np.linspace(-2 * h, 2 * h, 401)
    missed = wave(x0 + t) - wave(x0) - exact * t  # what the tangent line misses
    forward = forward_difference(wave, x0, h)
    centred = numerical_derivative(wave, x0, h)
    centred_offset = 0.5 * (wave(x0 + h) + wave(x0 - h)) - wave(x0)

    fig, (ax_zoom, ax_err) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    ax_zoom.plot(t, missed, ".", ms=2, color="gray", label="f(x0 + t) - f(x0) - f'(x0) t")
    ax_zoom.plot(t, (forward - exact) * t, "C0-", label="forward chord - tangent")
    ax_zoom.plot(t, centred_offset + (centred - exact) * t, "C1--", label="centred chord - tangent")
    ax_zoom.axhline(0.0, color="black", lw=0.6)
    ax_zoom.set_xlabel("t")
    ax_zoom.legend(fontsize=8, loc="lower center")
    ax_zoom.set_title(f"h = {h:.0e}: the zoom, minus the tangent")

    ax_err.loglog(hs, forward_errors, "C0-", label="forward")
    ax_err.loglog(hs, centred_errors, "C1-", label="centred")
    ax_err.axvline(h, color="gray", lw=1)
    ax_err.loglog([h], [max(abs(forward - exact), 1e-17)], "o", color="C0")
    ax_err.loglog([h], [max(abs(centred - exact), 1e-17)], "s", color="C1")
    ax_err.set_ylim(1e-16, 10)
    ax_err.set_xlabel("h")
    ax_err.set_title(
        f"errors: forward {abs(forward - exact):.1e}, centred {abs(centred - exact):.1e}"
    )
    ax_err.legend(fontsize=8)
    plt.show()


step_explorer = widgets.interact(
    explore_step,
    h=widgets.FloatLogSlider(
        value=1e-2, base=10, min=-15, max=0, step=0.25, description="h", readout_format=".0e"
    ),
)

# %% [markdown]
# ## 3. Partial derivatives and the gradient
#
# A loss depends on many numbers at once. For $f(x, y)$, the **partial derivative**
# $\partial f / \partial x$ is the ordinary derivative in $x$ with $y$ held fixed: slice the
# surface along $x$ and take the slope of the slice. For $f(x, y) = x^2 + 3xy$:
#
# $$\frac{\partial f}{\partial x} = 2x + 3y, \qquad \frac{\partial f}{\partial y} = 3x,
# \qquad\text{so at } (1, 2):\ \frac{\partial f}{\partial x} = 8,\ \frac{\partial f}{\partial y} = 3.$$
#
# Your `numerical_derivative` of a slice finds the same numbers:

# %%
needs("numerical_derivative")
print("df/dx at (1, 2):", numerical_derivative(lambda x: x**2 + 3 * x * 2.0, 1.0, 1e-5))
print("df/dy at (1, 2):", numerical_derivative(lambda y: 1.0 + 3 * 1.0 * y, 2.0, 1e-5))

# %% [markdown]
# Stack all the partial derivatives into a vector with the shape of the input and you have the
# **gradient**:
#
# $$\nabla f(\mathbf{x}) = \left(\frac{\partial f}{\partial x_1}, \dots, \frac{\partial f}{\partial x_n}\right).$$
#
# Its meaning is geometric. The slope of $f$ along a unit direction $\mathbf{u}$ is the
# **directional derivative** $\nabla f \cdot \mathbf{u} = \lVert\nabla f\rVert \cos\theta$,
# largest when $\mathbf{u}$ points along $\nabla f$. So the gradient points in the direction of
# **steepest ascent**, its length is that steepest slope, and it is perpendicular to the contour
# lines (along a contour, $f$ does not change). Gradient descent steps along $-\nabla f$.
#
# For a network, $\mathbf{x}$ is not a short vector but every weight matrix, and the gradient
# has the same shape as each of them: the gradient of the loss with respect to a $(D, M)$ weight
# matrix is a $(D, M)$ matrix.
#
# ### Exercise 2: `numerical_gradient` (3 points)
#
# Estimate every partial derivative of a scalar function `f` at an array `x` **of any shape**:
# for each element `x[i]` (where `i` is a tuple of indices), change that one element to
# `x[i] + h`, evaluate `f(x)`, change it to `x[i] - h`, evaluate again, and take the centred
# difference. Then **put the original value back** before moving on: otherwise later partials
# are taken at a shifted point, and the caller gets a changed array back (in later modules, `x`
# will be a network's weights).
#
# Two ways to visit every index of an array of any shape: `for i in np.ndindex(x.shape)`, or
# `np.nditer(x, flags=["multi_index"])`. Build the result with `np.zeros(x.shape)` and fill it at
# the same indices. Use the `h` you are given.


# %% nbgrader={"grade": false, "grade_id": "numerical-gradient", "locked": false, "schema_version": 3, "solution": true}
def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function f at x by centred differences, one element at a time.

    f: takes an array shaped like x and returns a float.
    x: float array of any shape (a vector, a weight matrix, ...). It is changed in place while
       the function works, and every element is restored before it returns.
    h: the step.
    Returns grad, a float array shaped like x with grad[i] = df/dx[i] at x.
    """
    ### BEGIN SOLUTION
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2.0 * h)
    return grad
    ### END SOLUTION


# %% tags=["spec"]
def _gradient_tiny_step(f, x, h=1e-5):
    step = 1e-12
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + step
        f_plus = f(x)
        x[index] = original - step
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2.0 * step)
    return grad


def _gradient_not_restored(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += h
        f_plus = f(x)
        x[index] -= 2 * h
        f_minus = f(x)
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def _gradient_all_at_once(f, x, h=1e-5):
    slope = (f(x + h) - f(x - h)) / (2 * h)
    return np.full(x.shape, slope)


def _gradient_forward(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    f_here = f(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_here) / h
    return grad


def _gradient_flattened(f, x, h=1e-5):
    flat = x.reshape(-1)
    grad = np.zeros(x.size)
    for i in range(x.size):
        original = flat[i]
        flat[i] = original + h
        f_plus = f(x)
        flat[i] = original - h
        f_minus = f(x)
        flat[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


exercise(
    "numerical_gradient",
    public=[
        case(fx.sum_of_squares, np.array([1.0, -2.0, 3.0]), note="sum(x^2): the gradient is 2x"),
        case(fx.rosenbrock, np.array([-1.0, 1.5]), note="Rosenbrock's function at (-1, 1.5)"),
        case(
            fc.logsumexp_all,
            np.array([[0.5, -1.0, 2.0], [0.0, 1.0, -0.5]]),
            note="a (2, 3) array: the gradient has the same shape",
        ),
        case(fc.sum_of_cubes, np.array([[1.0, -1.0], [2.0, 0.5]]), h=1e-3, note="h = 1e-3 given"),
    ],
    hidden=lambda rng: [
        case(fx.sum_of_squares, rng.normal(size=1), note="an array of one element"),
        case(fx.rosenbrock, rng.normal(size=5), note="Rosenbrock in 5 dimensions"),
        case(fc.logsumexp_all, rng.normal(size=(3, 4)), note="a (3, 4) matrix"),
        case(fc.quartic_bowl, rng.normal(size=(2, 3, 2)), note="a 3-d array"),
        case(fc.sum_of_cubes, rng.normal(size=(4, 1)), h=1e-4, note="a column, h = 1e-4"),
        case(fx.sum_of_squares, 100.0 * rng.normal(size=(2, 2)), note="large values"),
        case(fx.rosenbrock, rng.normal(size=3), h=1e-3, note="h = 1e-3"),
    ],
    mistakes=[
        mistake(
            "h ignored: a tiny step where round-off dominates",
            _gradient_tiny_step,
            "with h = 1e-12, f(x + h) and f(x - h) share their first 12 digits, the subtraction "
            "cancels them and what is left is mostly rounding noise. Use the h you are given "
            "(1e-5 by default: the bottom of the V for centred differences).",
        ),
        mistake(
            "x not restored",
            _gradient_not_restored,
            "after x[i] += h and x[i] -= 2 * h, x[i] is left at its value minus h. Save the "
            "original value first and assign it back after the two evaluations, so that later "
            "partials are taken at the right point and the caller gets x back unchanged.",
        ),
        mistake(
            "perturbed every element at once",
            _gradient_all_at_once,
            "x + h moves every element together, which measures the slope along (1, 1, ..., 1): "
            "the sum of all the partials. A partial derivative moves one element, x[i], and "
            "holds the others still.",
        ),
        mistake(
            "forward difference",
            _gradient_forward,
            "(f(x + h e_i) - f(x)) / h is the forward difference: its error is of order h, far "
            "above the checks' tolerance. Use the centred difference "
            "(f(x + h e_i) - f(x - h e_i)) / (2h), whose error is of order h^2.",
        ),
        mistake(
            "gradient flattened",
            _gradient_flattened,
            "the gradient has the shape of x. Build it with np.zeros(x.shape) and fill it at the "
            "same multi-index you perturb (np.ndindex(x.shape) gives them all).",
        ),
    ],
    driver="autograder.modules.calculus:gradient_and_input",
    outputs=("gradient", "x after the call"),
)

# %% nbgrader={"grade": true, "grade_id": "numerical-gradient-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""numerical_gradient: centred differences of any shape, x restored."""
check("numerical_gradient", numerical_gradient)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("02_calculus", "numerical_gradient", numerical_gradient)
### END HIDDEN TESTS

# %% [markdown]
# **The tool you just built is the course's yardstick.** Every later check of a backward pass
# compares it with exactly this method: centred differences, $h = 10^{-5}$, one element at a
# time, `x` restored. The checker keeps its own copy, `autograder.checking.numerics.numerical_gradient`,
# so that an edit you make to this notebook later can never make a check lie. From module 04 on,
# notebooks import it with `from autograder.checking.numerics import numerical_gradient`: it is the
# function you wrote here. The two agree:

# %%
needs("numerical_gradient")
rng = np.random.default_rng(0)
W_demo = rng.normal(size=(3, 4))
yours = numerical_gradient(lambda W: float(np.sum(np.tanh(W) ** 2)), W_demo)
course_copy = numerics.numerical_gradient(lambda W: float(np.sum(np.tanh(W) ** 2)), W_demo)
print(
    "largest difference between your gradient and the course's:", np.abs(yours - course_copy).max()
)

# %% [markdown]
# ### A gradient field
#
# Himmelblau's function $f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2$ has four valleys. Your
# `numerical_gradient` draws its gradient on a grid of points: every arrow is perpendicular to
# the contour line through its foot and points uphill, arrows vanish at the bottoms of the
# valleys, and the colour says how steep it is there (arrow lengths are equalised so that the
# small ones stay visible).


# %%
needs("numerical_gradient")


def himmelblau(p):
    x, y = p
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


grid = np.linspace(-5.0, 5.0, 201)
grid_x, grid_y = np.meshgrid(grid, grid)
heights = himmelblau(np.array([grid_x, grid_y]))
levels = np.logspace(-0.5, 2.8, 14)

coarse = np.linspace(-4.5, 4.5, 15)
arrow_x, arrow_y = np.meshgrid(coarse, coarse)
arrows = np.array(
    [
        numerical_gradient(himmelblau, np.array([a, b]))
        for a, b in zip(arrow_x.ravel(), arrow_y.ravel())
    ]
)
steepness = np.linalg.norm(arrows, axis=1)
unit = arrows / np.maximum(steepness, 1e-12)[:, None]

fig, ax = plt.subplots(figsize=(6.5, 5.5), layout="constrained")
ax.contour(grid_x, grid_y, heights, levels=levels, cmap="viridis", linewidths=0.8)
quiver = ax.quiver(
    arrow_x.ravel(),
    arrow_y.ravel(),
    unit[:, 0],
    unit[:, 1],
    np.log10(steepness + 1e-12),
    cmap="magma",
    scale=22,
    width=0.004,
)
fig.colorbar(quiver, ax=ax, label="log10 of the gradient's length")
ax.set_aspect("equal")
ax.set_title("Himmelblau's function: contours and gradient directions")
plt.show()

# %% [markdown]
# Follow $-\nabla f$ in small steps, $\mathbf{x} \leftarrow \mathbf{x} - \eta\, \nabla f(\mathbf{x})$
# with a **learning rate** $\eta = 0.01$, and you roll downhill into a valley. Four starting
# points find the four minima (module 04 is all about this loop):

# %%
needs("numerical_gradient")
learning_rate = 0.01
num_steps = 200
starts = np.array([[0.0, 0.0], [-1.0, 1.0], [-0.5, -1.0], [1.0, -1.0]])

points = starts.copy()
path = [points.copy()]
for _ in tqdm(range(num_steps), desc="gradient descent"):
    for k in range(len(points)):
        points[k] = points[k] - learning_rate * numerical_gradient(himmelblau, points[k].copy())
    path.append(points.copy())
path = np.array(path)  # (num_steps + 1, number of starts, 2)

fig, ax = plt.subplots(figsize=(6, 5.5))
ax.contour(grid_x, grid_y, heights, levels=levels, cmap="viridis", linewidths=0.8)
for k in range(len(starts)):
    ax.plot(path[:, k, 0], path[:, k, 1], ".-", ms=3, lw=1)
    ax.plot(*path[0, k], "ko", ms=4)
    ax.plot(*path[-1, k], "r*", ms=12)
ax.set_aspect("equal")
ax.set_title("gradient descent from four starts")
plt.show()
print("where the descents stopped:\n", np.round(path[-1], 4))

# %% [markdown]
# ## 4. Gradient checking
#
# Analytic gradients, worked out by hand and coded as formulas, are fast: one evaluation instead
# of two per parameter. They are also where bugs hide. **Gradient checking** compares an
# analytic gradient $g_a$ with a numerical one $g_n$ at a point, with the **relative error**
#
# $$\text{relative error} = \frac{\lVert g_n - g_a \rVert}{\lVert g_n \rVert + \lVert g_a \rVert},$$
#
# where $\lVert\cdot\rVert$ is the Euclidean norm over all elements. Relative, because an absolute
# error of $10^{-6}$ means nothing without knowing whether the gradient is about $10^{-6}$ or
# $10^{6}$. Dividing by the *sum* of the two norms keeps it between 0 and 1 (1 when the two
# point in opposite directions, or when one of them is zero) and symmetric. With centred
# differences and $h = 10^{-5}$ in float64:
#
# | relative error | verdict |
# |---|---|
# | below $10^{-7}$ | the gradient is right |
# | $10^{-7}$ to $10^{-4}$ | suspicious; acceptable near kinks (ReLU, max) |
# | above $10^{-4}$ | a bug |
#
# ### Exercise 3: `grad_check` (2 points)
#
# Return the relative error between `grad_f(x)` and a numerical gradient of `f` at `x`, as a
# float. When both gradients are exactly zero the formula is $0/0$: return `0.0`.
#
# For the numerical gradient, use the course's copy, `numerics.numerical_gradient(f, x)` (the
# setup cell imported `numerics`; default $h$). It is the method you wrote in exercise 2, and
# using it means a slip there cannot cost you this exercise too.


# %% nbgrader={"grade": false, "grade_id": "grad-check", "locked": false, "schema_version": 3, "solution": true}
def grad_check(f, grad_f, x):
    """Relative error between the claimed gradient grad_f(x) and a numerical gradient of f at x.

    f: scalar function of an array; grad_f: its claimed gradient, returns an array shaped like x.
    x: float array of any shape.
    Returns ||g_num - g_ana|| / (||g_num|| + ||g_ana||) as a float (norms over all elements),
    and 0.0 when both gradients are zero.
    """
    ### BEGIN SOLUTION
    analytic = np.asarray(grad_f(x), dtype=float)
    numeric = numerics.numerical_gradient(f, x)
    denominator = np.linalg.norm(numeric) + np.linalg.norm(analytic)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(numeric - analytic) / denominator)
    ### END SOLUTION


# %% tags=["spec"]
def _grad_check_norm_of_sum(f, grad_f, x):
    analytic = np.asarray(grad_f(x), dtype=float)
    numeric = numerics.numerical_gradient(f, x)
    denominator = np.linalg.norm(numeric + analytic)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(numeric - analytic) / denominator)


def _grad_check_absolute(f, grad_f, x):
    analytic = np.asarray(grad_f(x), dtype=float)
    numeric = numerics.numerical_gradient(f, x)
    return float(np.linalg.norm(numeric - analytic))


def _grad_check_one_sided(f, grad_f, x):
    analytic = np.asarray(grad_f(x), dtype=float)
    numeric = numerics.numerical_gradient(f, x)
    size = np.linalg.norm(analytic)
    if size == 0.0:
        return 0.0
    return float(np.linalg.norm(numeric - analytic) / size)


exercise(
    "grad_check",
    public=[
        case(
            fx.sum_of_squares,
            fc.sum_of_squares_grad,
            np.array([1.0, -2.0, 3.0]),
            note="a right gradient: the relative error is tiny",
        ),
        case(
            fx.sum_of_squares,
            fc.sum_of_squares_grad_halved,
            np.array([1.0, -2.0, 3.0]),
            note="a gradient missing its factor 2: relative error 1/3",
        ),
        case(
            fx.sum_of_squares,
            fc.sum_of_squares_grad_flipped,
            np.array([[0.5, 2.0], [-1.0, 0.0]]),
            note="a gradient pointing downhill: relative error 1",
        ),
        case(
            fx.rosenbrock,
            fc.rosenbrock_grad_buggy,
            np.array([-1.0, 1.5]),
            note="a gradient with one wrong sign",
        ),
    ],
    hidden=lambda rng: [
        case(fx.rosenbrock, fc.rosenbrock_grad, rng.normal(size=4), note="a right gradient"),
        case(fx.rosenbrock, fc.rosenbrock_grad_buggy, rng.normal(size=6), note="a wrong one"),
        case(fc.logsumexp_all, fc.softmax_all, rng.normal(size=(3, 2)), note="right, 2-d"),
        case(
            fc.logsumexp_all,
            fc.softmax_all_unnormalised,
            rng.normal(size=(2, 2, 2)),
            note="wrong, 3-d",
        ),
        case(
            fx.sum_of_squares, fc.sum_of_squares_grad_halved, rng.normal(size=1), note="one element"
        ),
        case(
            fx.sum_of_squares,
            fc.sum_of_squares_grad_flipped,
            50.0 * rng.normal(size=5),
            note="pointing downhill, large values",
        ),
        case(fx.sum_of_squares, fc.sum_of_squares_grad, np.zeros(3), note="both gradients zero"),
    ],
    mistakes=[
        mistake(
            "wrong denominator: the norm of the sum",
            _grad_check_norm_of_sum,
            "the denominator is the sum of the two norms, ||g_num|| + ||g_ana||, not the norm of "
            "the sum, ||g_num + g_ana||: the latter is near zero when the gradients point in "
            "opposite directions, and the 'relative' error explodes.",
        ),
        mistake(
            "no denominator: an absolute error",
            _grad_check_absolute,
            "||g_num - g_ana|| alone depends on how large the gradients are. Divide by "
            "||g_num|| + ||g_ana|| to get a relative error between 0 and 1.",
        ),
        mistake(
            "wrong denominator: the analytic norm only",
            _grad_check_one_sided,
            "divide by the sum of both norms, ||g_num|| + ||g_ana||: with the analytic norm "
            "alone, a wrong gradient can make the error as large as it likes, and the result "
            "changes if you swap the two gradients.",
        ),
    ],
    driver="autograder.checking.drivers:call_float",
    rtol=1e-6,
    atol=1e-8,
)

# %% nbgrader={"grade": true, "grade_id": "grad-check-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""grad_check: the relative error of a claimed gradient."""
check("grad_check", grad_check)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("02_calculus", "grad_check", grad_check)
### END HIDDEN TESTS

# %% [markdown]
# Put it to work on Himmelblau's function. By the chain rule (next section), with
# $u = x^2 + y - 11$ and $v = x + y^2 - 7$:
#
# $$\frac{\partial f}{\partial x} = 2u \cdot 2x + 2v, \qquad \frac{\partial f}{\partial y} = 2u + 2v \cdot 2y.$$
#
# The "buggy" version forgets the inner derivative $2x$ of $u$, the commonest calculus slip
# there is. The gradient check tells the two apart at once, at every random point:


# %%
needs("numerical_gradient", "grad_check")


def himmelblau_grad(p):
    x, y = p
    u, v = x**2 + y - 11, x + y**2 - 7
    return np.array([4 * x * u + 2 * v, 2 * u + 4 * y * v])


def himmelblau_grad_buggy(p):
    x, y = p
    u, v = x**2 + y - 11, x + y**2 - 7
    return np.array([2 * u + 2 * v, 2 * u + 4 * y * v])


test_points = np.random.default_rng(1).uniform(-4, 4, size=(6, 2))
right_errors = [grad_check(himmelblau, himmelblau_grad, p.copy()) for p in test_points]
buggy_errors = [grad_check(himmelblau, himmelblau_grad_buggy, p.copy()) for p in test_points]

fig, ax = plt.subplots(figsize=(7, 3.5))
positions = np.arange(len(test_points))
ax.bar(positions - 0.2, right_errors, width=0.4, label="right gradient")
ax.bar(positions + 0.2, buggy_errors, width=0.4, label="forgot the inner derivative")
ax.axhline(1e-7, color="green", ls="--", lw=1)
ax.axhline(1e-4, color="red", ls="--", lw=1)
ax.set_yscale("log")
ax.set_xlabel("random test point")
ax.set_ylabel("relative error")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 5. The chain rule
#
# Networks are compositions: a layer feeds the next. For $y = f(g(x))$, write $u = g(x)$. A
# small change $\Delta x$ changes $u$ by about $g'(x)\,\Delta x$, which changes $y$ by about
# $f'(u)$ times that:
#
# $$\frac{dy}{dx} = \frac{dy}{du}\,\frac{du}{dx} = f'(g(x))\; g'(x).$$
#
# The outer derivative is evaluated **at the inner value** $g(x)$, not at $x$. Example:
# $\frac{d}{dx}\sin(x^2) = \cos(x^2) \cdot 2x$. Longer chains multiply one factor per link,
# each evaluated at the value that flowed into it: computing those values first (the forward
# pass) and then multiplying the local derivatives from the output back (the backward pass) is
# **backpropagation**.
#
# ### Exercise 4: `chain_rule_derivative` (2 points)
#
# Given $f'$, $g$ and $g'$ (elementwise functions), return the derivative of $f(g(x))$ at `x`.


# %% nbgrader={"grade": false, "grade_id": "chain-rule-derivative", "locked": false, "schema_version": 3, "solution": true}
def chain_rule_derivative(f_prime, g, g_prime, x):
    """Derivative of the composite function f(g(x)) at x, by the chain rule.

    f_prime: the derivative f' of the outer function; g: the inner function; g_prime: g'.
    All three work elementwise on arrays. x: a float or an array of any shape.
    Returns d/dx f(g(x)): a float, or an array shaped like x.
    """
    ### BEGIN SOLUTION
    return f_prime(g(x)) * g_prime(x)
    ### END SOLUTION


# %% tags=["spec"]
def _chain_outer_at_x(f_prime, g, g_prime, x):
    return f_prime(x) * g_prime(x)


def _chain_no_inner(f_prime, g, g_prime, x):
    return f_prime(g(x))


exercise(
    "chain_rule_derivative",
    public=[
        case(np.cos, fc.square, fc.square_prime, 1.5, note="d/dx sin(x^2) at x = 1.5"),
        case(np.exp, np.sin, np.cos, np.array([0.0, 1.0, 2.0]), note="d/dx exp(sin x), 3 points"),
        case(fc.tanh_prime, fc.three_x_minus_one, fc.three, 0.5, note="d/dx tanh(3x - 1) at 0.5"),
    ],
    hidden=lambda rng: [
        case(np.cos, fc.square, fc.square_prime, rng.normal(size=(2, 3)), note="a (2, 3) array"),
        case(fc.sigmoid_prime, np.sin, np.cos, rng.normal(size=1), note="an array of one point"),
        case(fc.tanh_prime, fc.three_x_minus_one, fc.three, rng.normal(size=5), note="5 points"),
        case(np.exp, fc.square, fc.square_prime, 3.0, note="large values: exp(x^2) at x = 3"),
        case(fc.sigmoid, np.exp, np.exp, rng.normal(size=4), note="softplus(exp(x))"),
    ],
    mistakes=[
        mistake(
            "outer derivative taken at x",
            _chain_outer_at_x,
            "the outer derivative is evaluated at the inner value: f'(g(x)), not f'(x).",
        ),
        mistake(
            "forgot the inner derivative",
            _chain_no_inner,
            "f'(g(x)) is only the first factor: multiply by g'(x), how fast the inner function "
            "moves.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "chain-rule-derivative-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""chain_rule_derivative: f'(g(x)) g'(x), scalars and arrays."""
check("chain_rule_derivative", chain_rule_derivative)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("02_calculus", "chain_rule_derivative", chain_rule_derivative)
### END HIDDEN TESTS

# %% [markdown]
# A chain of any length is the same rule applied one link at a time. For
# $h(x) = \exp(\sin(x^2))$, first differentiate the inner link $\sin(x^2)$, then use that as the
# $g'$ of the outer link. Your numerical derivative agrees everywhere:


# %%
needs("numerical_derivative", "chain_rule_derivative")


def sin_of_square(x):
    return np.sin(x**2)


def sin_of_square_prime(x):
    return chain_rule_derivative(np.cos, lambda t: t**2, lambda t: 2 * t, x)


xs_chain = np.linspace(-2.0, 2.0, 300)
by_chain_rule = chain_rule_derivative(np.exp, sin_of_square, sin_of_square_prime, xs_chain)
by_differences = numerical_derivative(lambda t: np.exp(sin_of_square(t)), xs_chain, 1e-5)

fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(xs_chain, np.exp(sin_of_square(xs_chain)), label="h(x) = exp(sin(x^2))")
ax.plot(xs_chain, by_chain_rule, lw=3, alpha=0.5, label="h'(x) by the chain rule")
ax.plot(xs_chain, by_differences, "k--", lw=1, label="h'(x) by centred differences")
ax.legend(fontsize=8)
plt.show()
print("largest difference:", np.abs(by_chain_rule - by_differences).max())

# %% [markdown]
# ## 6. Jacobians
#
# A layer maps a vector to a vector. For $f: \mathbb{R}^n \to \mathbb{R}^m$, the derivative is a
# matrix, the **Jacobian**, with one row per output and one column per input:
#
# $$J = \begin{pmatrix} \frac{\partial f_1}{\partial x_1} & \cdots & \frac{\partial f_1}{\partial x_n}\\ \vdots & & \vdots \\ \frac{\partial f_m}{\partial x_1} & \cdots & \frac{\partial f_m}{\partial x_n}\end{pmatrix} \in \mathbb{R}^{m \times n},
# \qquad J_{ij} = \frac{\partial f_i}{\partial x_j}.$$
#
# Row $i$ is the gradient of output $i$. Column $j$ says how **all** the outputs respond to input
# $x_j$, so one centred difference in $x_j$ gives a whole column:
# $J_{:,j} \approx \frac{f(\mathbf{x} + h\mathbf{e}_j) - f(\mathbf{x} - h\mathbf{e}_j)}{2h}$, where
# $\mathbf{e}_j$ is the $j$-th unit vector. $J$ is the best linear approximation of $f$ near
# $\mathbf{x}$: $f(\mathbf{x} + \boldsymbol\delta) \approx f(\mathbf{x}) + J\boldsymbol\delta$.
# And the chain rule becomes a matrix product:
# $J_{f \circ g}(\mathbf{x}) = J_f(g(\mathbf{x}))\; J_g(\mathbf{x})$.
#
# ### Exercise 5: `jacobian` (3 points)
#
# Build $J$ column by column with centred differences and $h = 10^{-5}$. Do not change `x`
# (`x + step` with a step vector that is zero except at position `j` makes a new array). The
# result has shape `(m, n)`: the number of **outputs** first. `np.stack(columns, axis=1)` or
# filling `J[:, j]` both work.


# %% nbgrader={"grade": false, "grade_id": "jacobian", "locked": false, "schema_version": 3, "solution": true}
def jacobian(f, x):
    """Jacobian matrix of a vector function f at x, by centred differences with h = 1e-5.

    f: takes an (n,) array and returns an (m,) array.
    x: (n,) float array, left unchanged.
    Returns J, shape (m, n), with J[i, j] = d f_i / d x_j: row i is the gradient of output i.
    """
    ### BEGIN SOLUTION
    h = 1e-5
    x = np.asarray(x, dtype=float)
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        columns.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2.0 * h))
    return np.stack(columns, axis=1)
    ### END SOLUTION


# %% tags=["spec"]
def _jacobian_transposed(f, x):
    h = 1e-5
    rows = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        rows.append((f(x + step) - f(x - step)) / (2 * h))
    return np.array(rows)


def _jacobian_forward(f, x):
    h = 1e-5
    here = np.asarray(f(x))
    J = np.zeros((here.size, x.size))
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        J[:, j] = (f(x + step) - here) / h
    return J


def _jacobian_all_at_once(f, x):
    h = 1e-5
    column = (f(x + h) - f(x - h)) / (2 * h)
    return np.tile(column[:, None], (1, x.size))


exercise(
    "jacobian",
    public=[
        case(
            fc.product_and_sine, np.array([1.0, 2.0, 0.5]), note="3 inputs, 2 outputs: J is 2 x 3"
        ),
        case(fc.complex_square, np.array([1.0, 0.5]), note="(a, b) -> (a^2 - b^2, 2ab): square"),
        case(fc.exp_product_cube, np.array([0.5, -1.0]), note="2 inputs, 3 outputs: J is 3 x 2"),
    ],
    hidden=lambda rng: [
        case(fc.tanh_layer, rng.normal(size=1), note="one input: J is a single column"),
        case(fc.tanh_layer, rng.normal(size=5), note="a tanh layer, 5 inputs, 3 outputs"),
        case(fc.rosenbrock_as_vector, rng.normal(size=4), note="one output: J is a single row"),
        case(fc.softmax_vector, rng.normal(size=4), note="softmax, 4 to 4"),
        case(fc.complex_square, 30.0 * rng.normal(size=2), note="large values"),
        case(fc.product_and_sine, rng.normal(size=3), note="random point"),
        case(fc.exp_product_cube, rng.normal(size=2), note="random point, 3 x 2"),
    ],
    mistakes=[
        mistake(
            "transposed Jacobian",
            _jacobian_transposed,
            "J has one row per output and one column per input: shape (m, n). Perturbing x_j "
            "gives column j, so stack the differences as columns (np.stack(..., axis=1)).",
        ),
        mistake(
            "forward difference",
            _jacobian_forward,
            "(f(x + h e_j) - f(x)) / h has an error of order h; use the centred difference "
            "(f(x + h e_j) - f(x - h e_j)) / (2h).",
        ),
        mistake(
            "perturbed every input at once",
            _jacobian_all_at_once,
            "x + h moves all the inputs together, so every column comes out the same (the sum of "
            "the true columns). Move one input at a time: x + h e_j, with e_j the j-th unit "
            "vector.",
        ),
    ],
    rtol=1e-6,
    atol=1e-8,
    keeps_inputs=("x",),
)

# %% nbgrader={"grade": true, "grade_id": "jacobian-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""jacobian: (m, n) centred-difference Jacobians, square or not."""
check("jacobian", jacobian)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("02_calculus", "jacobian", jacobian)
### END HIDDEN TESTS

# %% [markdown]
# ### The Jacobian as the best linear approximation
#
# Squaring a complex number, $(a, b) \mapsto (a^2 - b^2,\ 2ab)$, bends the plane. Take a circle of
# radius $r$ around $\mathbf{p} = (1, 0.5)$ and map it two ways: exactly by $f$, and by the linear
# approximation $f(\mathbf{p}) + J\boldsymbol\delta$. Shrink the radius: the two images merge,
# and their largest gap falls like $r^2$ (halve $r$, quarter the gap). That is what "the
# derivative is the best linear approximation" means, in two dimensions.


# %%
needs("jacobian")


def squaring(v):
    a, b = v
    return np.array([a**2 - b**2, 2 * a * b])


p_center = np.array([1.0, 0.5])
J_center = jacobian(squaring, p_center)
angles = np.linspace(0, 2 * np.pi, 200)
print("J at (1, 0.5):\n", J_center)


def show_linearisation(r=0.5):
    circle = r * np.stack([np.cos(angles), np.sin(angles)])  # (2, 200) offsets
    exact_image = squaring(p_center[:, None] + circle)
    linear_image = squaring(p_center)[:, None] + J_center @ circle
    gap = np.linalg.norm(exact_image - linear_image, axis=0).max()

    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(10, 4.5))
    ax_in.plot(*(p_center[:, None] + circle), color="tab:blue")
    ax_in.plot(*p_center, "k+")
    ax_in.set_xlim(-0.8, 2.8)
    ax_in.set_ylim(-1.3, 2.3)
    ax_in.set_aspect("equal")
    ax_in.set_title(f"a circle of radius {r:.2f} around p")
    ax_out.plot(*exact_image, color="tab:blue", label="f(p + d), exact")
    ax_out.plot(*linear_image, "--", color="tab:red", label="f(p) + J d, linear")
    ax_out.plot(*squaring(p_center), "k+")
    ax_out.set_xlim(-4.0, 5.0)
    ax_out.set_ylim(-3.0, 6.0)
    ax_out.set_aspect("equal")
    ax_out.set_title(f"its images: largest gap {gap:.4f}, gap / r^2 = {gap / r**2:.3f}")
    ax_out.legend(fontsize=8, loc="upper left")
    plt.show()


linearisation_viewer = widgets.interact(
    show_linearisation, r=widgets.FloatSlider(value=0.5, min=0.02, max=1.5, step=0.02)
)

# %% [markdown]
# ### The Jacobian of a layer
#
# A layer $\mathbf{y} = \tanh(W\mathbf{x} + \mathbf{b})$ is a composition: the affine map
# $\mathbf{z} = W\mathbf{x} + \mathbf{b}$ (its Jacobian is $W$) followed by $\tanh$ applied to each
# element (its Jacobian is **diagonal**, because $y_i$ depends on $z_i$ only:
# $\operatorname{diag}(1 - y_i^2)$). The chain rule in matrix form gives
# $J = \operatorname{diag}(1 - \mathbf{y}^2)\, W$: row $i$ of $J$ is row $i$ of $W$ scaled by
# $1 - y_i^2$. Your `jacobian` finds the same matrix. (Unit 3 below has a large bias, so its
# output sits near 1, where tanh is flat: its row of $J$ is nearly zero, and almost no gradient
# flows back through it. Module 09 calls this a **saturated** unit.)

# %%
needs("jacobian")
rng = np.random.default_rng(2)
W_layer = 0.3 * rng.normal(size=(4, 6))
b_layer = np.array([0.0, 0.5, 3.0, -0.5])
x_layer = rng.normal(size=6)


def tanh_layer(x):
    return np.tanh(W_layer @ x + b_layer)


J_numeric = jacobian(tanh_layer, x_layer)
y_layer = tanh_layer(x_layer)
J_chain = (1 - y_layer**2)[:, None] * W_layer  # diag(1 - y^2) @ W, without building the diagonal
print("outputs y:", np.round(y_layer, 3))
print("largest difference between jacobian and diag(1 - y^2) W:", np.abs(J_numeric - J_chain).max())

fig, axes = plt.subplots(1, 3, figsize=(11, 2.8), layout="constrained")
panels = [
    (np.diag(1 - y_layer**2), "diag(1 - y^2)  (4 x 4)"),
    (W_layer, "W  (4 x 6)"),
    (J_numeric, "J = diag(1 - y^2) W  (4 x 6)"),
]
limit = np.abs(W_layer).max()
for ax, (matrix, title) in zip(axes, panels):
    ax.imshow(matrix, cmap="RdBu", vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()

# %% [markdown]
# Backpropagation never builds such Jacobians. It needs the gradient of a scalar loss $L$, and
# the chain rule hands it over as a row vector times a Jacobian: with
# $\frac{\partial L}{\partial \mathbf{y}}$ known,
# $\frac{\partial L}{\partial \mathbf{x}} = \frac{\partial L}{\partial \mathbf{y}} J$, a
# **vector-Jacobian product**. For the tanh layer that is
# $W^\top\left(\frac{\partial L}{\partial \mathbf{y}} \odot (1 - \mathbf{y}^2)\right)$: an
# elementwise product and a transposed matrix product, never a $\operatorname{diag}$.
#
# ## 7. Matrix calculus for deep learning
#
# The convention of this course (and of NumPy code everywhere): **the gradient of a scalar with
# respect to an array has the shape of that array.** For a $(D, M)$ matrix $W$,
# $\frac{\partial L}{\partial W}$ is the $(D, M)$ matrix of the numbers
# $\frac{\partial L}{\partial W_{dm}}$. Three identities carry most of deep learning:
#
# | function | gradient |
# |---|---|
# | $\mathbf{a}^\top \mathbf{x}$ | $\nabla_{\mathbf{x}} = \mathbf{a}$ |
# | $\mathbf{x}^\top A \mathbf{x}$ | $\nabla_{\mathbf{x}} = (A + A^\top)\,\mathbf{x}$ |
# | $L(Y)$ with $Y = XW$ | $\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} W^\top,\quad \frac{\partial L}{\partial W} = X^\top \frac{\partial L}{\partial Y}$ |
#
# Derive them with indices and they stop being magic. For the quadratic form,
# $\mathbf{x}^\top A \mathbf{x} = \sum_{i,j} x_i A_{ij} x_j$, and $x_k$ appears once as the left
# factor and once as the right one:
#
# $$\frac{\partial}{\partial x_k} \sum_{i,j} x_i A_{ij} x_j = \sum_j A_{kj} x_j + \sum_i x_i A_{ik} = (A\mathbf{x})_k + (A^\top \mathbf{x})_k.$$
#
# Only when $A$ is symmetric is this the $2A\mathbf{x}$ that the one-variable rule $(ax^2)' = 2ax$
# suggests.
#
# ### Exercise 6: `quadratic_form_grad` (2 points)
#
# Return the gradient of $f(\mathbf{x}) = \mathbf{x}^\top A\mathbf{x}$ for any square $A$,
# symmetric or not.


# %% nbgrader={"grade": false, "grade_id": "quadratic-form-grad", "locked": false, "schema_version": 3, "solution": true}
def quadratic_form_grad(A, x):
    """Gradient of f(x) = x^T A x with respect to x.

    A: (n, n) array, not necessarily symmetric; x: (n,) array.
    Returns the (n,) gradient.
    """
    ### BEGIN SOLUTION
    return (A + A.T) @ x
    ### END SOLUTION


# %% tags=["spec"]
def _quadratic_assumed_symmetric(A, x):
    return 2 * A @ x


def _quadratic_one_term(A, x):
    return A @ x


exercise(
    "quadratic_form_grad",
    public=[
        case(
            np.array([[1.0, 2.0], [0.0, 3.0]]), np.array([1.0, -1.0]), note="a 2 x 2 triangular A"
        ),
        case(
            np.array([[2.0, -1.0, 0.0], [4.0, 1.0, 1.0], [0.0, 3.0, -2.0]]),
            np.array([1.0, 2.0, -1.0]),
            note="a 3 x 3 A, not symmetric",
        ),
        case(np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([1.0, 2.0]), note="a symmetric A"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 1)), rng.normal(size=1), note="n = 1"),
        case(rng.normal(size=(5, 5)), rng.normal(size=5), note="random 5 x 5"),
        case(np.eye(4) + np.triu(rng.normal(size=(4, 4))), rng.normal(size=4), note="triangular"),
        case(1e50 * rng.normal(size=(3, 3)), 1e50 * rng.normal(size=3), note="huge values"),
        case(rng.normal(size=(6, 6)), np.zeros(6), note="at x = 0"),
        case(rng.normal(size=(2, 2)), rng.normal(size=2), note="random 2 x 2"),
    ],
    mistakes=[
        mistake(
            "2Ax: assumed A symmetric",
            _quadratic_assumed_symmetric,
            "2Ax is right only when A = A^T. In sum_ij x_i A_ij x_j, x_k appears as the left "
            "factor (giving (Ax)_k) and as the right factor (giving (A^T x)_k).",
        ),
        mistake(
            "only Ax: one of the two terms",
            _quadratic_one_term,
            "x appears twice in x^T A x, so the product rule gives two terms: Ax + A^T x.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "quadratic-form-grad-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""quadratic_form_grad: (A + A^T) x for any square A."""
check("quadratic_form_grad", quadratic_form_grad)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("02_calculus", "quadratic_form_grad", quadratic_form_grad)
### END HIDDEN TESTS

# %% [markdown]
# ### The backward pass of a matrix product
#
# A fully connected layer computes $Y = XW$ for a batch: $X$ is $(N, D)$ (one row per example),
# $W$ is $(D, M)$, $Y$ is $(N, M)$. Backpropagation arrives with the **upstream gradient**
# `dout` $= \frac{\partial L}{\partial Y}$, an $(N, M)$ array, and must return
# $\frac{\partial L}{\partial X}$ and $\frac{\partial L}{\partial W}$. With indices,
# $Y_{nm} = \sum_d X_{nd} W_{dm}$, and $W_{dm}$ touches every $Y_{nm}$ in column $m$:
#
# $$\frac{\partial L}{\partial W_{dm}} = \sum_n \frac{\partial L}{\partial Y_{nm}}\,\frac{\partial Y_{nm}}{\partial W_{dm}} = \sum_n \texttt{dout}_{nm}\, X_{nd} = (X^\top \texttt{dout})_{dm},
# \qquad
# \frac{\partial L}{\partial X_{nd}} = \sum_m \texttt{dout}_{nm}\, W_{dm} = (\texttt{dout}\; W^\top)_{nd}.$$
#
# **The shape trick** lets you rebuild these in seconds: $\frac{\partial L}{\partial W}$ must be
# $(D, M)$, and the only way to multiply `dout` $(N, M)$ with $X$ $(N, D)$ into a $(D, M)$ matrix is
# $X^\top$ `dout`. Likewise $(N, D)$ from `dout` $(N, M)$ and $W$ $(D, M)$ can only be `dout` $W^\top$.
#
# ### Exercise 7: `matmul_backward` (3 points)
#
# Return `(dX, dW)`, in the order of the forward inputs (the CS231n convention every backward
# pass in this course follows).


# %% nbgrader={"grade": false, "grade_id": "matmul-backward", "locked": false, "schema_version": 3, "solution": true}
def matmul_backward(dout, X, W):
    """Backward pass of Y = X @ W.

    dout: (N, M) upstream gradient dL/dY; X: (N, D) inputs; W: (D, M) weights.
    Returns dX (N, D) and dW (D, M), the gradients of L with respect to X and W.
    """
    ### BEGIN SOLUTION
    dX = dout @ W.T
    dW = X.T @ dout
    return dX, dW
    ### END SOLUTION


# %% tags=["spec"]
def _matmul_dw_transposed(dout, X, W):
    return dout @ W.T, dout.T @ X


def _matmul_w_not_transposed(dout, X, W):
    return dout @ W, X.T @ dout


def _matmul_swapped_outputs(dout, X, W):
    return X.T @ dout, dout @ W.T


exercise(
    "matmul_backward",
    public=[
        case(
            np.array([[1.0, 0.0, -1.0, 2.0], [0.0, 1.0, 1.0, 0.0]]),
            np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]),
            np.array([[1.0, 0.0, 2.0, 1.0], [0.0, 1.0, 1.0, -1.0], [2.0, 1.0, 0.0, 0.0]]),
            note="N = 2, D = 3, M = 4",
        ),
        case(
            np.array([[1.0, -1.0], [2.0, 0.5], [0.0, 1.0]]),
            np.array([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.0]]),
            np.array([[1.0, 2.0], [0.0, 1.0]]),
            note="N = 3, D = M = 2: a square W",
        ),
    ],
    hidden=lambda rng: [
        case(
            rng.normal(size=(1, 3)), rng.normal(size=(1, 4)), rng.normal(size=(4, 3)), note="N = 1"
        ),
        case(
            rng.normal(size=(5, 1)), rng.normal(size=(5, 2)), rng.normal(size=(2, 1)), note="M = 1"
        ),
        case(
            rng.normal(size=(3, 2)), rng.normal(size=(3, 1)), rng.normal(size=(1, 2)), note="D = 1"
        ),
        case(
            rng.normal(size=(6, 3)), rng.normal(size=(6, 7)), rng.normal(size=(7, 3)), note="random"
        ),
        case(
            rng.normal(size=(4, 4)),
            rng.normal(size=(4, 4)),
            rng.normal(size=(4, 4)),
            note="all square",
        ),
        case(
            1e80 * rng.normal(size=(2, 3)),
            1e80 * rng.normal(size=(2, 5)),
            rng.normal(size=(5, 3)),
            note="huge values",
        ),
    ],
    mistakes=[
        mistake(
            "dW transposed",
            _matmul_dw_transposed,
            "dout.T @ X is (M, D): the transpose of dW. dW must have W's shape (D, M): X.T @ dout.",
        ),
        mistake(
            "W not transposed in dX",
            _matmul_w_not_transposed,
            "dX must be (N, D); from dout (N, M) and W (D, M) the only product of that shape is "
            "dout @ W.T.",
        ),
        mistake(
            "returned (dW, dX)",
            _matmul_swapped_outputs,
            "return the gradients in the order of the forward inputs: (dX, dW).",
        ),
    ],
    outputs=("dX", "dW"),
)

# %% nbgrader={"grade": true, "grade_id": "matmul-backward-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""matmul_backward: dX = dout W^T and dW = X^T dout, any shapes."""
check("matmul_backward", matmul_backward)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("02_calculus", "matmul_backward", matmul_backward)
### END HIDDEN TESTS

# %% [markdown]
# ## 8. Everything together: checking matrix calculus with numbers
#
# The habit of this course, from now on: derive a gradient, code it, then let a gradient check
# judge it. A scalar loss makes any array function checkable: $L(X) = \sum_{nm} (XW)_{nm}\, G_{nm}$
# has $\frac{\partial L}{\partial Y} = G$, so its gradients are what `matmul_backward(G, X, W)`
# returns.

# %%
needs("grad_check", "quadratic_form_grad", "matmul_backward")
rng = np.random.default_rng(3)
X_check = rng.normal(size=(5, 3))
W_check = rng.normal(size=(3, 2))
G_check = rng.normal(size=(5, 2))

error_dX = grad_check(
    lambda X: float(np.sum((X @ W_check) * G_check)),
    lambda X: matmul_backward(G_check, X, W_check)[0],
    X_check,
)
error_dW = grad_check(
    lambda W: float(np.sum((X_check @ W) * G_check)),
    lambda W: matmul_backward(G_check, X_check, W)[1],
    W_check,
)
A_check = rng.normal(size=(4, 4))
error_quadratic = grad_check(
    lambda v: float(v @ A_check @ v), lambda v: quadratic_form_grad(A_check, v), rng.normal(size=4)
)
print(
    f"relative errors: dX {error_dX:.1e}, dW {error_dW:.1e}, quadratic form {error_quadratic:.1e}"
)

# %% [markdown]
# And a preview of module 04. Least squares, $L(\mathbf{w}) = \lVert X\mathbf{w} - \mathbf{y}\rVert^2$,
# is a chain: $\mathbf{r} = X\mathbf{w} - \mathbf{y}$, then $L = \mathbf{r}^\top\mathbf{r}$. Backward:
# $\frac{\partial L}{\partial \mathbf{r}} = 2\mathbf{r}$, then `matmul_backward` carries it through
# $X\mathbf{w}$ (with $\mathbf{w}$ as a $(D, 1)$ matrix), and out comes
# $\nabla L = 2X^\top(X\mathbf{w} - \mathbf{y})$, the gradient that linear regression descends.

# %%
needs("grad_check", "quadratic_form_grad", "matmul_backward")
X_data = rng.normal(size=(20, 3))
y_data = X_data @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=20)


def least_squares(w):
    residual = X_data @ w - y_data
    return float(residual @ residual)


def least_squares_grad(w):
    residual = X_data @ w - y_data
    _, dw = matmul_backward(2 * residual[:, None], X_data, w[:, None])
    return dw[:, 0]


print(f"relative error: {grad_check(least_squares, least_squares_grad, rng.normal(size=3)):.1e}")

# %% [markdown]
# ## Summary
#
# * A derivative is a slope; the tangent is the best local straight line.
# * Centred differences, $\frac{f(x+h) - f(x-h)}{2h}$, have an $O(h^2)$ error; round-off adds
#   $\varepsilon |f| / h$, so $h \approx 10^{-5}$ is the sweet spot in float64.
# * The gradient stacks the partial derivatives, has the shape of the input, and points uphill.
# * A gradient check compares analytic and numerical gradients with a relative error.
# * The chain rule multiplies local derivatives, each at the value that flowed into it; in
#   matrix form it multiplies Jacobians, and backpropagation multiplies a row vector into them.
# * $\nabla(\mathbf{x}^\top A\mathbf{x}) = (A + A^\top)\mathbf{x}$; for $Y = XW$:
#   $dX = \texttt{dout}\,W^\top$, $dW = X^\top \texttt{dout}$. Shapes tell you which.
#
# **Next:** module 03 turns scores into probabilities (softmax, cross-entropy) and computes
# them without overflowing, and module 04 puts the gradient to work in gradient descent.
