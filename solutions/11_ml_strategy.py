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
# # 11 · Structuring machine-learning projects: what to try next
#
# **Why this matters.** Your digit classifier gets 95% of the dev set right and you want 99%.
# Ideas are cheap: collect more data, train longer, a bigger network, a smaller one, more
# regularisation, less, another learning rate, another architecture. Each costs days, and most
# will not help *this* model, because they fix a problem it does not have. Teams that ship good
# models are not the ones with the most ideas; they are the ones that know, from a few numbers,
# which ideas can help.
#
# This module is about those numbers and the habits that produce them:
#
# * **data splits** that give honest estimates (train / dev / test);
# * **bias and variance**, read off training, dev and human-level error, and **learning curves**;
# * **error analysis**: a confusion matrix, precision, recall and F1, and a look at the mistakes;
# * **hyperparameter search**: random, on a log scale.
#
# The model throughout is a softmax regression on the 8×8 digits, written in NumPy and trained in
# a fraction of a second, so that every diagnosis can be run, not just described.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from tqdm.auto import tqdm

from autograder import load_checks, needs, todo

check = load_checks("11_ml_strategy")

# %% [markdown]
# ## 1. Train, dev and test sets
#
# Each set has one job:
#
# | set | used to | touched |
# |---|---|---|
# | **train** | fit the parameters (weights) | every step |
# | **dev** (validation) | compare models and choose hyperparameters | after every experiment |
# | **test** | estimate how the *final* model will do on new data | **once**, at the end |
#
# Every decision you take by looking at a set makes the model a little better *on that set* than
# on new data; the dev set gets used up this way, which is why a test set that was never used for
# any decision is kept aside. Two rules of thumb:
#
# * **sizes.** With a few thousand examples, 60/20/20 or 70/15/15. With millions, 98/1/1: ten
#   thousand dev examples already tell 99.0% from 99.2% apart.
# * **distribution.** Dev and test must come from the *same* distribution, the one you care
#   about: aiming at a target (dev) and being scored on another (test) wastes months.
#
# The split must be **random** (data files are often sorted, by class or by date) and the three
# sets **disjoint**: an example in both train and test turns the test score into a memory test.
# That is a **leak**, and it makes results look better than they are.
#
# ### Exercise 1: `train_dev_test_split` (3 points)
#
# Shuffle the examples with a seeded permutation and cut it in three, in this exact way so that
# your split can be checked:
#
# ```python
# rng = np.random.default_rng(seed)
# perm = rng.permutation(len(X))
# ```
#
# With $N$ examples and `fractions = (f_train, f_dev, f_test)`, the sizes are
# $n_\text{train} = \lfloor f_\text{train} N \rfloor$, $n_\text{dev} = \lfloor f_\text{dev} N
# \rfloor$, and the test set gets **all the remaining** $N - n_\text{train} - n_\text{dev}$
# examples (so none is lost to rounding). The first $n_\text{train}$ indices of `perm` are the
# training set, the next $n_\text{dev}$ the dev set, the rest the test set.
#
# **Worked example.** $N = 7$, fractions $(0.7, 0.15, 0.15)$: $\lfloor 4.9\rfloor = 4$ training,
# $\lfloor 1.05 \rfloor = 1$ dev and $7 - 4 - 1 = 2$ test examples.


# %% nbgrader={"grade": false, "grade_id": "train-dev-test-split", "locked": false, "schema_version": 3, "solution": true}
def train_dev_test_split(X, y, fractions, seed):
    """Random split into disjoint train, dev and test sets.

    X: (N, ...) examples; y: (N,) labels; fractions: (f_train, f_dev, f_test) summing to 1;
    seed: int for np.random.default_rng(seed), whose permutation(N) orders the examples.
    Sizes: floor(f_train * N), floor(f_dev * N), and the rest for the test set.
    Returns (X_train, y_train, X_dev, y_dev, X_test, y_test).
    """
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(X))
    n_train = int(np.floor(fractions[0] * len(X)))
    n_dev = int(np.floor(fractions[1] * len(X)))
    train, dev, test = np.split(perm, [n_train, n_train + n_dev])
    return X[train], y[train], X[dev], y[dev], X[test], y[test]
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import Seeded, case, exercise, mistake


def _split_test_overlaps_dev(X, y, fractions, seed):
    perm = np.random.default_rng(seed).permutation(len(X))
    n_train = int(np.floor(fractions[0] * len(X)))
    n_dev = int(np.floor(fractions[1] * len(X)))
    n_test = len(X) - n_train - n_dev
    train, dev = perm[:n_train], perm[n_train : n_train + n_dev]
    test = perm[n_train : n_train + n_test]
    return X[train], y[train], X[dev], y[dev], X[test], y[test]


def _split_shuffled_separately(X, y, fractions, seed):
    rng = np.random.default_rng(seed)
    X_shuffled, y_shuffled = X[rng.permutation(len(X))], y[rng.permutation(len(X))]
    n_train = int(np.floor(fractions[0] * len(X)))
    n_dev = int(np.floor(fractions[1] * len(X)))
    cut = n_train + n_dev
    return (
        X_shuffled[:n_train],
        y_shuffled[:n_train],
        X_shuffled[n_train:cut],
        y_shuffled[n_train:cut],
        X_shuffled[cut:],
        y_shuffled[cut:],
    )


def _split_not_shuffled(X, y, fractions, seed):
    n_train = int(np.floor(fractions[0] * len(X)))
    cut = n_train + int(np.floor(fractions[1] * len(X)))
    return X[:n_train], y[:n_train], X[n_train:cut], y[n_train:cut], X[cut:], y[cut:]


def _split_rounded(X, y, fractions, seed):
    perm = np.random.default_rng(seed).permutation(len(X))
    n_train = int(np.round(fractions[0] * len(X)))
    n_dev = int(np.round(fractions[1] * len(X)))
    train, dev, test = np.split(perm, [n_train, n_train + n_dev])
    return X[train], y[train], X[dev], y[dev], X[test], y[test]


exercise(
    "train_dev_test_split",
    public=[
        case(
            np.arange(20.0).reshape(10, 2),
            np.arange(10),
            (0.6, 0.2, 0.2),
            0,
            note="N = 10, 60/20/20",
        ),
        case(
            np.arange(36.0).reshape(12, 3),
            np.arange(12) % 3,
            (0.5, 0.25, 0.25),
            1,
            note="N = 12, 50/25/25",
        ),
        case(
            np.arange(14.0).reshape(7, 2),
            np.arange(7),
            (0.7, 0.15, 0.15),
            2,
            note="the worked example, N = 7",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 3)), np.array([4]), (0.8, 0.1, 0.1), 5, note="a single example"),
        case(
            rng.normal(size=(30, 4, 4)),
            rng.integers(0, 10, 30),
            (0.6, 0.2, 0.2),
            11,
            note="30 images of 4x4",
        ),
        case(
            rng.normal(size=(1000, 2)),
            rng.integers(0, 2, 1000),
            (0.98, 0.01, 0.01),
            3,
            note="98/1/1 on 1,000",
        ),
        case(rng.normal(size=(10, 3)), np.arange(10), (0.5, 0.5, 0.0), 7, note="no test set"),
        case(
            rng.normal(size=(11, 2)),
            np.arange(11) % 4,
            (0.7, 0.2, 0.1),
            9,
            note="N = 11, rounding matters",
        ),
    ],
    mistakes=[
        mistake(
            "test overlaps dev",
            _split_test_overlaps_dev,
            "your test set starts where the dev set starts, so they share examples: a leak. "
            "Cut perm at n_train and n_train + n_dev; the test set is perm[n_train + n_dev:].",
        ),
        mistake(
            "X and y shuffled separately",
            _split_shuffled_separately,
            "two calls to rng.permutation give two different orders, so the labels no longer "
            "belong to their examples. Draw perm once and index both X and y with it.",
        ),
        mistake(
            "not shuffled",
            _split_not_shuffled,
            "data files are often sorted (by class, by date): cut a random permutation, "
            "perm = rng.permutation(len(X)), not the original order.",
        ),
        mistake(
            "sizes rounded",
            _split_rounded,
            "the sizes are floor(f * N) (int() or np.floor), not round(f * N); the test set "
            "takes what is left.",
        ),
    ],
    driver="autograder.modules.ml_strategy:split_and_count_shared",
    outputs=("examples in two sets", "X_train", "y_train", "X_dev", "y_dev", "X_test", "y_test"),
)

# %% nbgrader={"grade": true, "grade_id": "train-dev-test-split-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""train_dev_test_split: the documented permutation, floor sizes, disjoint sets, labels kept."""
check("train_dev_test_split", train_dev_test_split)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("11_ml_strategy", "train_dev_test_split", train_dev_test_split)
### END HIDDEN TESTS

# %% [markdown]
# The digits, split 60/20/20. A random split keeps the ten classes in roughly equal shares in
# every set (with little data, `sklearn.model_selection.train_test_split(..., stratify=y)` makes
# the shares exact).

# %%
needs("train_dev_test_split")
digits = load_digits()
X_all = digits.data / 16.0
y_all = digits.target
X_train, y_train, X_dev, y_dev, X_test, y_test = train_dev_test_split(
    X_all, y_all, (0.6, 0.2, 0.2), seed=0
)
print(f"train {X_train.shape}, dev {X_dev.shape}, test {X_test.shape}")

fig, ax = plt.subplots(figsize=(6, 2.6))
for offset, (name, labels) in zip(
    [-0.25, 0, 0.25], [("train", y_train), ("dev", y_dev), ("test", y_test)]
):
    ax.bar(
        np.arange(10) + offset, np.bincount(labels, minlength=10) / len(labels), 0.25, label=name
    )
ax.set_xticks(range(10))
ax.set_xlabel("digit")
ax.set_ylabel("share of the set")
ax.legend()
plt.show()

# %% [markdown]
# ## 2. The model: softmax regression in NumPy
#
# One affine layer and a softmax, trained by full-batch gradient descent on the cross-entropy
# with an L2 penalty $\tfrac\lambda2\lVert W\rVert^2$ (module 09). Two hyperparameters: the
# learning rate and $\lambda$. It is not a deep network, which is the point: a diagnosis that takes
# a second can be run often.


# %%
needs("train_dev_test_split")


def train_softmax(X, y, lr=0.5, reg=1e-3, steps=200, num_classes=10, desc=None):
    """Softmax regression by gradient descent; returns (W (D, C), b (C,))."""
    W = np.zeros((X.shape[1], num_classes))
    b = np.zeros(num_classes)
    targets = np.eye(num_classes)[y]
    for _ in tqdm(range(steps), desc=desc or "softmax regression", leave=False):
        logits = X @ W + b
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        error = (probs - targets) / len(y)
        W -= lr * (X.T @ error + reg * W)
        b -= lr * error.sum(axis=0)
    return W, b


def predict(model, X):
    """Predicted classes (N,) and class probabilities (N, C)."""
    W, b = model
    logits = X @ W + b
    logits = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return probs.argmax(axis=1), probs


def error_rate(model, X, y):
    return float(np.mean(predict(model, X)[0] != y))


model = train_softmax(X_train, y_train, desc="baseline")
train_error, dev_error = error_rate(model, X_train, y_train), error_rate(model, X_dev, y_dev)
print(f"training error {train_error:.3f}, dev error {dev_error:.3f}")

# %% [markdown]
# ## 3. Bias and variance
#
# To decide what to do next, compare three error rates:
#
# * **human-level error**, a stand-in for the best error any model could reach (the **Bayes
#   error**: some images are ambiguous, some labels wrong);
# * **training error**: how well the model fits the data it learnt from;
# * **dev error**: how well it does on new data.
#
# $$\underbrace{\text{train} - \text{human}}_{\textbf{avoidable bias}}
# \qquad\qquad \underbrace{\text{dev} - \text{train}}_{\textbf{variance}}$$
#
# | | human | train | dev | avoidable bias | variance | diagnosis | try |
# |---|---|---|---|---|---|---|---|
# | A | 0% | 1% | 11% | 1% | **10%** | variance | more data, regularisation, early stopping |
# | B | 0% | 15% | 16% | **15%** | 1% | bias | a bigger model, train longer, better features |
# | C | 0% | 15% | 30% | **15%** | **15%** | both | bias first, then variance |
# | D | 0% | 0.5% | 1% | 0.5% | 0.5% | ok | ship it, or raise the bar |
# | E | 14% | 15% | 16% | 1% | 1% | ok | the data is hard: 15% is near the best possible |
#
# Row E is why human-level error matters: 15% training error means "underfitting" only if
# something can do much better.
#
# ### Exercise 2: `diagnose` (2 points)
#
# Return `"bias"` when the avoidable bias exceeds `tol`, `"variance"` when the variance exceeds
# `tol`, `"both"` when both do and `"ok"` when neither does. "Exceeds" is strict: `>`. Errors are
# fractions in $[0, 1]$ (0.05 is 5%).


# %% nbgrader={"grade": false, "grade_id": "diagnose", "locked": false, "schema_version": 3, "solution": true}
def diagnose(train_err, dev_err, human_err, tol=0.02):
    """Bias/variance diagnosis from three error rates.

    train_err, dev_err, human_err: floats in [0, 1]; tol: float, the largest gap that is ignored.
    avoidable bias = train_err - human_err; variance = dev_err - train_err.
    Returns "both" if both exceed tol, "bias" or "variance" if only that one does, else "ok".
    """
    ### BEGIN SOLUTION
    high_bias = train_err - human_err > tol
    high_variance = dev_err - train_err > tol
    if high_bias and high_variance:
        return "both"
    if high_bias:
        return "bias"
    if high_variance:
        return "variance"
    return "ok"
    ### END SOLUTION


# %% tags=["spec"]
def _label(bias, variance):
    return {(True, True): "both", (True, False): "bias", (False, True): "variance"}.get(
        (bool(bias), bool(variance)), "ok"
    )


def _diagnose_swapped(train_err, dev_err, human_err, tol=0.02):
    return _label(dev_err - train_err > tol, train_err - human_err > tol)


def _diagnose_ignores_human(train_err, dev_err, human_err, tol=0.02):
    return _label(train_err > tol, dev_err - train_err > tol)


def _diagnose_variance_from_human(train_err, dev_err, human_err, tol=0.02):
    return _label(train_err - human_err > tol, dev_err - human_err > tol)


def _diagnose_at_least(train_err, dev_err, human_err, tol=0.02):
    return _label(train_err - human_err >= tol, dev_err - train_err >= tol)


exercise(
    "diagnose",
    public=[
        case(0.01, 0.11, 0.0, note="row A"),
        case(0.15, 0.16, 0.0, note="row B"),
        case(0.15, 0.30, 0.0, note="row C"),
        case(0.005, 0.01, 0.0, note="row D"),
        case(0.15, 0.16, 0.14, note="row E: a hard task"),
        case(0.02, 0.10, 0.015, tol=0.05, note="a larger tolerance"),
        case(0.04, 0.05, 0.01, note="the default tol, 0.02: an avoidable bias of 0.03 exceeds it"),
        case(
            0.375,
            0.5,
            0.125,
            tol=0.25,
            note="an avoidable bias of exactly tol does not exceed it: ok",
        ),
    ],
    hidden=[
        case(0.2, 0.21, 0.19, note="high human error, small gaps"),
        case(0.2, 0.3, 0.19, note="high human error, large variance"),
        case(0.3, 0.31, 0.05, note="large bias only"),
        case(0.0, 0.0, 0.0, note="perfect"),
        case(0.1, 0.5, 0.0, tol=0.5, note="a huge tolerance"),
        case(0.06, 0.2, 0.01, tol=0.01, note="a tiny tolerance, both"),
        case(0.1, 0.13, 0.07, note="the default tol: gaps of 0.03, both"),
        case(0.25, 0.5, 0.25, tol=0.25, note="a variance of exactly tol, no bias: ok"),
        case(0.5, 0.625, 0.25, tol=0.25, note="a bias of exactly tol: ok"),
        case(0.75, 0.875, 0.25, tol=0.125, note="bias above tol, variance exactly tol: bias"),
    ],
    mistakes=[
        mistake(
            "comparisons swapped",
            _diagnose_swapped,
            "bias is about fitting the training set (train - human); variance is about "
            "generalising (dev - train).",
        ),
        mistake(
            "ignored human-level error",
            _diagnose_ignores_human,
            "a training error is high only compared with what is possible: avoidable bias is "
            "train_err - human_err, not train_err.",
        ),
        mistake(
            "variance measured from human error",
            _diagnose_variance_from_human,
            "variance is the gap between dev and *training* error: dev_err - train_err.",
        ),
        mistake(
            "a gap equal to tol counted",
            _diagnose_at_least,
            "'exceeds' is strict: a gap of exactly tol is ignored. Compare with >, not >=.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "diagnose-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""diagnose: avoidable bias = train - human, variance = dev - train, each compared with tol."""
check("diagnose", diagnose)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("11_ml_strategy", "diagnose", diagnose)
### END HIDDEN TESTS

# %% [markdown]
# Our digits model, assuming a careful person misreads about 1% of these tiny 8×8 images:

# %%
needs("train_dev_test_split", "diagnose")
human_error = 0.01
print(f"human {human_error:.3f}, train {train_error:.3f}, dev {dev_error:.3f}")
print(f"avoidable bias {train_error - human_error:+.3f}, variance {dev_error - train_error:+.3f}")
print("diagnosis:", diagnose(train_error, dev_error, human_error))

# %% [markdown]
# **Try it.** Move the three error rates and the tolerance: the bars are the two gaps, the dashed
# line the tolerance. Start from row E of the table, then lower the human-level error to 0 and
# watch the same model turn into a "bias" problem.


# %%
needs("diagnose")


def show_diagnosis(human=0.14, train=0.15, dev=0.16, tol=0.02):
    verdict = diagnose(train, dev, human, tol)
    fig, ax = plt.subplots(figsize=(5, 2.6))
    ax.bar(
        ["avoidable bias\n(train - human)", "variance\n(dev - train)"],
        [train - human, dev - train],
        color=["tab:orange", "tab:purple"],
    )
    ax.axhline(tol, color="k", ls="--")
    ax.set_ylim(-0.2, 0.5)
    ax.set_title(f"diagnosis: {verdict}")
    plt.show()


diagnose(0.15, 0.16, 0.14)
diagnosis_explorer = widgets.interact(
    show_diagnosis,
    human=widgets.FloatSlider(0.14, min=0.0, max=0.3, step=0.005, readout_format=".3f"),
    train=widgets.FloatSlider(0.15, min=0.0, max=0.5, step=0.005, readout_format=".3f"),
    dev=widgets.FloatSlider(0.16, min=0.0, max=0.5, step=0.005, readout_format=".3f"),
    tol=widgets.FloatSlider(0.02, min=0.0, max=0.1, step=0.005, readout_format=".3f"),
)

# %% [markdown]
# ## 4. Learning curves
#
# Would more data help? Train on growing subsets of the training set and plot the training and dev
# errors against the training-set size:
#
# * if the two curves have met at a high error, the model has **high bias**: more data will not
#   help, a more flexible model will;
# * if a gap remains and the dev curve is still falling, the model has **variance**, and more
#   data (or regularisation) is the cure.
#
# With few examples, any model fits them all (training error 0) and generalises badly; as data
# grows, training error rises and dev error falls.

# %%
needs("train_dev_test_split", "diagnose")
sizes = np.unique(np.geomspace(20, len(X_train), 8).astype(int))
curve_train, curve_dev = [], []
for size in tqdm(sizes, desc="learning curve"):
    subset_model = train_softmax(X_train[:size], y_train[:size], reg=1e-3, desc=f"{size} examples")
    curve_train.append(error_rate(subset_model, X_train[:size], y_train[:size]))
    curve_dev.append(error_rate(subset_model, X_dev, y_dev))

plt.figure(figsize=(6, 3.4))
plt.semilogx(sizes, curve_train, "o-", label="training error")
plt.semilogx(sizes, curve_dev, "o-", label="dev error")
plt.axhline(human_error, color="grey", ls=":", label="human-level error (assumed)")
plt.xlabel("training examples")
plt.ylabel("error rate")
plt.legend()
plt.title("learning curves of softmax regression on digits")
plt.show()

# %% [markdown]
# Read the right edge. The dev error has nearly stopped falling and the training error has risen
# to meet it: the gap (variance) is small, while the training error sits well above human level.
# That is the "bias" of the diagnosis above: a linear model cannot fit every digit, so more data
# would help little, and a more flexible model (module 07's network) is the lever to pull.
#
# ## 5. Error analysis: which mistakes, and how many?
#
# A single error rate hides *which* classes are confused. The **confusion matrix** counts, for
# every pair of classes, how many examples of true class $i$ were predicted as class $j$:
#
# $$C_{ij} = \#\{n : y_n = i,\ \hat y_n = j\}.$$
#
# Rows are true classes, columns predicted classes, the diagonal holds the correct predictions.
#
# **Worked example.** `y_true = [0, 0, 1, 2, 2, 2]`, `y_pred = [0, 1, 1, 2, 0, 2]`, $k = 3$:
#
# $$C = \begin{pmatrix} 1 & 1 & 0 \\ 0 & 1 & 0 \\ 1 & 0 & 2 \end{pmatrix}.$$
#
# ### Exercise 3: `confusion_matrix` (2 points)
#
# Return a `(k, k)` array of integer counts. `k` is given because a batch may not contain every
# class. Beware of `C[y_true, y_pred] += 1`: with fancy indexing, a pair that appears twice is
# counted once. `np.add.at(C, (y_true, y_pred), 1)` accumulates, and so does a loop.


# %% nbgrader={"grade": false, "grade_id": "confusion-matrix", "locked": false, "schema_version": 3, "solution": true}
def confusion_matrix(y_true, y_pred, k):
    """Counts of (true class, predicted class) pairs.

    y_true, y_pred: (N,) integer labels in [0, k); k: the number of classes.
    Returns C of shape (k, k), integers, C[i, j] = number of examples of class i predicted as j.
    """
    ### BEGIN SOLUTION
    C = np.zeros((k, k), dtype=np.int64)
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C
    ### END SOLUTION


# %% tags=["spec"]
def _confusion_transposed(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=np.int64)
    np.add.at(C, (np.asarray(y_pred), np.asarray(y_true)), 1)
    return C


def _confusion_fancy_increment(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=np.int64)
    C[np.asarray(y_true), np.asarray(y_pred)] += 1
    return C


def _confusion_size_from_labels(y_true, y_pred, k):
    size = int(max(np.max(y_true), np.max(y_pred))) + 1
    C = np.zeros((size, size), dtype=np.int64)
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C


exercise(
    "confusion_matrix",
    public=[
        case(
            np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3, note="the worked example"
        ),
        case(np.array([1, 1, 1, 0]), np.array([1, 1, 0, 0]), 4, note="classes 2 and 3 absent"),
        case(np.array([2, 0, 1, 2, 2]), np.array([1, 0, 2, 1, 1]), 3, note="a repeated confusion"),
    ],
    hidden=lambda rng: [
        case(
            rng.integers(0, 10, 200),
            rng.integers(0, 10, 200),
            10,
            note="200 random labels, 10 classes",
        ),
        case(np.array([3]), np.array([1]), 5, note="a single example"),
        case(rng.integers(0, 3, 40), rng.integers(0, 3, 40), 6, note="labels only from 0-2 of 6"),
        case(np.arange(7) % 4, np.arange(7) % 4, 4, note="all correct"),
    ],
    mistakes=[
        mistake(
            "transposed",
            _confusion_transposed,
            "rows are true classes and columns predicted ones: C[y_true[n], y_pred[n]] += 1.",
        ),
        mistake(
            "repeated pairs counted once",
            _confusion_fancy_increment,
            "C[y_true, y_pred] += 1 applies each repeated index pair only once. Use "
            "np.add.at(C, (y_true, y_pred), 1), or a loop.",
        ),
        mistake(
            "size from the labels",
            _confusion_size_from_labels,
            "use k for the size: the labels seen may not include the largest class.",
        ),
    ],
)

# %% nbgrader={"grade": true, "grade_id": "confusion-matrix-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""confusion_matrix: (k, k) counts, rows true classes, columns predicted classes."""
check("confusion_matrix", confusion_matrix)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("11_ml_strategy", "confusion_matrix", confusion_matrix)
### END HIDDEN TESTS

# %% [markdown]
# The confusion matrix of the digits model on the dev set. The diagonal is dimmed so that the
# mistakes stand out.

# %%
needs("train_dev_test_split", "confusion_matrix")
dev_pred, dev_probs = predict(model, X_dev)
cm_dev = confusion_matrix(y_dev, dev_pred, 10)
off_diagonal = np.where(np.eye(10, dtype=bool), 0, cm_dev)
fig, ax = plt.subplots(figsize=(5, 4.4))
ax.imshow(off_diagonal, cmap="Reds")
for i in range(10):
    for j in range(10):
        if cm_dev[i, j]:
            ax.text(
                j,
                i,
                cm_dev[i, j],
                ha="center",
                va="center",
                fontsize=8,
                color="grey" if i == j else "black",
            )
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel("predicted digit")
ax.set_ylabel("true digit")
ax.set_title("dev-set confusion matrix")
plt.show()

# %% [markdown]
# ### Precision, recall and F1
#
# For each class $j$, seen as "positive" against all the others:
#
# * **precision** $P_j = \dfrac{C_{jj}}{\sum_i C_{ij}}$: of the examples *predicted* as $j$
#   (column $j$), the share that really are $j$. "When it says 9, is it a 9?"
# * **recall** $R_j = \dfrac{C_{jj}}{\sum_i C_{ji}}$: of the examples that *are* $j$ (row $j$), the
#   share it finds. "Does it find the 9s?"
# * **F1** $= \dfrac{2 P_j R_j}{P_j + R_j}$, their harmonic mean: high only when both are.
#
# They matter when classes are rare or errors cost differently: a detector that never fires on a
# disease seen in 1% of patients is 99% accurate, with recall 0.
#
# **Worked example.** For class 0 of the confusion matrix above: column 0 holds $1 + 0 + 1 = 2$
# predictions of 0, one right, so $P_0 = 0.5$; row 0 holds 2 true zeros, one found, so
# $R_0 = 0.5$ and $F1_0 = 0.5$. A class that is never predicted has $0/0$ precision: count it as 0
# (and the same for recall and F1).
#
# ### Exercise 4: `precision_recall_f1` (3 points)


# %% nbgrader={"grade": false, "grade_id": "precision-recall-f1", "locked": false, "schema_version": 3, "solution": true}
def precision_recall_f1(cm):
    """Per-class precision, recall and F1 from a confusion matrix.

    cm: (k, k) counts, rows true classes, columns predicted classes.
    Returns (precision, recall, f1), three float arrays of shape (k,); 0 / 0 counts as 0.
    """
    ### BEGIN SOLUTION
    cm = np.asarray(cm, dtype=float)
    correct = np.diag(cm)
    predicted = cm.sum(axis=0)
    actual = cm.sum(axis=1)
    precision = np.divide(correct, predicted, out=np.zeros_like(correct), where=predicted > 0)
    recall = np.divide(correct, actual, out=np.zeros_like(correct), where=actual > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros_like(total), where=total > 0)
    return precision, recall, f1
    ### END SOLUTION


# %% tags=["spec"]
def _prf_swapped(cm):
    cm = np.asarray(cm, dtype=float)
    d, rows, cols = np.diag(cm), cm.sum(axis=1), cm.sum(axis=0)
    p = np.where(rows > 0, d / np.where(rows > 0, rows, 1), 0.0)
    r = np.where(cols > 0, d / np.where(cols > 0, cols, 1), 0.0)
    s = p + r
    return p, r, np.where(s > 0, 2 * p * r / np.where(s > 0, s, 1), 0.0)


def _prf_nan(cm):
    cm = np.asarray(cm, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.diag(cm) / cm.sum(axis=0)
        r = np.diag(cm) / cm.sum(axis=1)
        return p, r, 2 * p * r / (p + r)


def _prf_arithmetic_mean(cm):
    cm = np.asarray(cm, dtype=float)
    d, rows, cols = np.diag(cm), cm.sum(axis=1), cm.sum(axis=0)
    p = np.where(cols > 0, d / np.where(cols > 0, cols, 1), 0.0)
    r = np.where(rows > 0, d / np.where(rows > 0, rows, 1), 0.0)
    return p, r, (p + r) / 2


exercise(
    "precision_recall_f1",
    public=[
        case(np.array([[1, 1, 0], [0, 1, 0], [1, 0, 2]]), note="the worked example's matrix"),
        case(np.array([[5, 1, 0], [2, 3, 1], [0, 0, 4]]), note="three classes"),
        case(
            np.array([[3, 0, 0], [1, 0, 0], [0, 0, 0]]), note="a class never predicted, one absent"
        ),
    ],
    hidden=lambda rng: [
        case(rng.integers(0, 20, size=(10, 10)), note="random 10x10 counts"),
        case(np.array([[7]]), note="a single class"),
        case(np.zeros((3, 3), dtype=int), note="no examples at all"),
        case(np.array([[900_000, 3], [12, 5]]), note="a rare class, large counts"),
        case(
            np.diag([4, 0, 6]) + np.array([[0, 2, 0], [0, 0, 0], [1, 0, 0]]),
            note="a class with no examples",
        ),
    ],
    mistakes=[
        mistake(
            "precision and recall swapped",
            _prf_swapped,
            "precision divides by the *predicted* count, the column sum (axis=0); recall by the "
            "*true* count, the row sum (axis=1).",
        ),
        mistake(
            "0/0 gave NaN",
            _prf_nan,
            "a class never predicted (or never present) gives 0/0: return 0 there, e.g. with "
            "np.divide(a, b, out=np.zeros_like(a), where=b > 0).",
        ),
        mistake(
            "F1 as the arithmetic mean",
            _prf_arithmetic_mean,
            "F1 is the harmonic mean, 2PR / (P + R): it stays low unless both are high.",
        ),
    ],
    outputs=("precision", "recall", "f1"),
)

# %% nbgrader={"grade": true, "grade_id": "precision-recall-f1-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""precision_recall_f1: column-wise precision, row-wise recall, harmonic F1, 0/0 as 0."""
check("precision_recall_f1", precision_recall_f1)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("11_ml_strategy", "precision_recall_f1", precision_recall_f1)
### END HIDDEN TESTS

# %%
needs("train_dev_test_split", "confusion_matrix", "precision_recall_f1")
precision, recall, f1 = precision_recall_f1(cm_dev)
fig, ax = plt.subplots(figsize=(8, 2.8))
for offset, (name, values) in zip(
    [-0.27, 0, 0.27], [("precision", precision), ("recall", recall), ("F1", f1)]
):
    ax.bar(np.arange(10) + offset, values, 0.27, label=name)
ax.set_xticks(range(10))
ax.set_ylim(0.8, 1.0)
ax.set_xlabel("digit")
ax.legend(loc="lower right")
ax.set_title("per-class scores on the dev set")
plt.show()

# %% [markdown]
# **Precision against recall.** A classifier that outputs probabilities can trade one for the
# other. Take "is it an 8?" as a yes/no question and answer yes when the model's probability of 8
# is above a threshold. A high threshold says yes only when sure (high precision, misses some
# 8s); a low one finds every 8 but raises false alarms. Move the threshold.

# %%
needs("train_dev_test_split", "confusion_matrix", "precision_recall_f1")
target_digit = 8
is_target = (y_dev == target_digit).astype(int)
target_probs = dev_probs[:, target_digit]
thresholds = np.linspace(0.01, 0.99, 99)
binary_scores = np.array(
    [
        precision_recall_f1(confusion_matrix(is_target, (target_probs >= t).astype(int), 2))
        for t in thresholds
    ]
)[:, :, 1]  # (threshold, metric) for the "yes" class


def show_threshold(threshold=0.5):
    cm = confusion_matrix(is_target, (target_probs >= threshold).astype(int), 2)
    p, r, f = (values[1] for values in precision_recall_f1(cm))
    fig, (ax_curve, ax_counts) = plt.subplots(1, 2, figsize=(10, 3.2))
    for column, name in enumerate(["precision", "recall", "F1"]):
        ax_curve.plot(thresholds, binary_scores[:, column], label=name)
    ax_curve.axvline(threshold, color="k", ls="--")
    ax_curve.set_xlabel("threshold")
    ax_curve.legend()
    ax_curve.set_title(f"precision {p:.2f}, recall {r:.2f}, F1 {f:.2f}")
    ax_counts.imshow(cm, cmap="Blues")
    for (i, j), count in np.ndenumerate(cm):
        ax_counts.text(j, i, count, ha="center", va="center")
    ax_counts.set_xticks([0, 1], ["says no", "says yes"])
    ax_counts.set_yticks([0, 1], [f"not {target_digit}", f"is {target_digit}"])
    plt.tight_layout()
    plt.show()


threshold_explorer = widgets.interact(
    show_threshold, threshold=widgets.FloatSlider(0.5, min=0.01, max=0.99, step=0.01)
)

# %% [markdown]
# ### Looking at the mistakes
#
# Counting is half of error analysis; the other half is **looking**. Take the most frequent
# confusions and inspect their examples: are the labels wrong? the images ambiguous? a stroke
# the model misses? Each category's share of the errors is the most you could gain by fixing it,
# which tells you where to spend the next week.
#
# ### Exercise 5: `top_confusions` (2 points)
#
# Return the `n` most frequent mistakes of a confusion matrix as a list of
# `(true, predicted, count)` tuples of Python ints: off-diagonal cells only, zero counts left
# out, sorted by count from largest to smallest, ties broken by `true`, then `predicted`, in
# increasing order. Fewer than `n` if there are fewer mistakes.
#
# **Worked example.** For $C = \begin{pmatrix} 5 & 2 & 0 \\ 3 & 4 & 1 \\ 0 & 2 & 6 \end{pmatrix}$
# and $n = 3$: `[(1, 0, 3), (0, 1, 2), (2, 1, 2)]`.


# %% nbgrader={"grade": false, "grade_id": "top-confusions", "locked": false, "schema_version": 3, "solution": true}
def top_confusions(cm, n):
    """The n most frequent (true, predicted) mistakes of a confusion matrix.

    cm: (k, k) counts; n: int >= 1.
    Returns a list of at most n tuples (true, predicted, count) of ints, off-diagonal and with
    count > 0, sorted by count (largest first), then true class, then predicted class.
    """
    ### BEGIN SOLUTION
    cm = np.asarray(cm)
    found = [
        (int(i), int(j), int(cm[i, j]))
        for i in range(cm.shape[0])
        for j in range(cm.shape[1])
        if i != j and cm[i, j] > 0
    ]
    found.sort(key=lambda item: (-item[2], item[0], item[1]))
    return found[:n]
    ### END SOLUTION


# %% tags=["spec"]
def _confusions_with_diagonal(cm, n):
    cm = np.asarray(cm)
    found = [
        (int(i), int(j), int(cm[i, j]))
        for i in range(cm.shape[0])
        for j in range(cm.shape[1])
        if cm[i, j] > 0
    ]
    return sorted(found, key=lambda item: (-item[2], item[0], item[1]))[:n]


def _confusions_swapped(cm, n):
    cm = np.asarray(cm)
    found = [
        (int(j), int(i), int(cm[i, j]))
        for i in range(cm.shape[0])
        for j in range(cm.shape[1])
        if i != j and cm[i, j] > 0
    ]
    return sorted(found, key=lambda item: (-item[2], item[0], item[1]))[:n]


def _confusions_ascending(cm, n):
    cm = np.asarray(cm)
    found = [
        (int(i), int(j), int(cm[i, j]))
        for i in range(cm.shape[0])
        for j in range(cm.shape[1])
        if i != j and cm[i, j] > 0
    ]
    return sorted(found, key=lambda item: (item[2], item[0], item[1]))[:n]


def _confusions_with_zeros(cm, n):
    cm = np.asarray(cm)
    found = [
        (int(i), int(j), int(cm[i, j]))
        for i in range(cm.shape[0])
        for j in range(cm.shape[1])
        if i != j
    ]
    return sorted(found, key=lambda item: (-item[2], item[0], item[1]))[:n]


_cm_example = np.array([[5, 2, 0], [3, 4, 1], [0, 2, 6]])

exercise(
    "top_confusions",
    public=[
        case(_cm_example, 3, note="the worked example"),
        case(_cm_example, 10, note="n larger than the number of mistakes"),
        case(np.array([[9, 0], [0, 9]]), 2, note="no mistakes at all"),
    ],
    hidden=lambda rng: [
        case(
            rng.integers(0, 4, size=(10, 10)) + np.diag(rng.integers(20, 40, 10)),
            8,
            note="10 classes, many ties",
        ),
        case(rng.integers(0, 6, size=(4, 4)), 1, note="n = 1"),
        case(np.array([[5]]), 3, note="a single class"),
        case(np.array([[0, 10**6, 7], [2, 3, 0], [0, 0, 0]]), 5, note="large counts, an empty row"),
    ],
    mistakes=[
        mistake(
            "kept the diagonal",
            _confusions_with_diagonal,
            "the diagonal holds the correct predictions: skip cells with true == predicted.",
        ),
        mistake(
            "true and predicted swapped",
            _confusions_swapped,
            "cm[i, j] counts examples of true class i predicted as j: the tuple is (i, j, count).",
        ),
        mistake(
            "smallest first",
            _confusions_ascending,
            "sort by count from largest to smallest, e.g. key=lambda t: (-t[2], t[0], t[1]).",
        ),
        mistake(
            "kept zero counts",
            _confusions_with_zeros,
            "pairs that were never confused are not mistakes: keep only counts > 0.",
        ),
    ],
    harmless={
        "range(cm.shape[1])": "a confusion matrix is square (C, C): its shape[0] is its shape[1]; "
        "the mutant differs only on a (1, C) matrix the battery cut from one"
    },
)

# %% nbgrader={"grade": true, "grade_id": "top-confusions-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""top_confusions: off-diagonal, non-zero, largest counts first, ties by (true, predicted)."""
check("top_confusions", top_confusions)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("11_ml_strategy", "top_confusions", top_confusions)
### END HIDDEN TESTS

# %% [markdown]
# The four most frequent confusions on the dev set, with up to six of their images each. The
# title of a row reads "true → predicted (count)".

# %%
needs("train_dev_test_split", "confusion_matrix", "top_confusions")
worst = top_confusions(cm_dev, 4)
fig, axes = plt.subplots(len(worst), 6, figsize=(8, 1.5 * len(worst)), squeeze=False)
for row, (true, pred, count) in enumerate(worst):
    examples = np.flatnonzero((y_dev == true) & (dev_pred == pred))[:6]
    for col, ax in enumerate(axes[row]):
        ax.axis("off")
        if col < len(examples):
            ax.imshow(X_dev[examples[col]].reshape(8, 8), cmap="gray_r")
    axes[row, 0].set_title(f"{true} → {pred} ({count})", fontsize=9, loc="left")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 6. Hyperparameter search
#
# Two hyperparameters here, the learning rate $\eta$ and the L2 strength $\lambda$; a deep
# network has a dozen. Two lessons from practice:
#
# * **random search beats grid search.** A 5×5 grid tries only 5 distinct values of each
#   hyperparameter. When one of them barely matters (and one usually does), 25 random trials try
#   25 distinct values of the one that does.
# * **search on a log scale.** Whether $\lambda$ is 0.0001 or 0.001 matters as much as whether it
#   is 0.1 or 1: what counts is the *ratio*. Sampling uniformly in $[10^{-4}, 1]$ puts 90% of the
#   trials between 0.1 and 1. Sample the **exponent** uniformly instead:
#   $$r \sim \mathcal U[\log_{10} a,\ \log_{10} b], \qquad x = 10^r,$$
#   so each decade, $[10^{-4}, 10^{-3}]$, $[10^{-3}, 10^{-2}]$, ..., gets the same share.
#
# ### Exercise 6: `log_uniform_samples` (2 points)
#
# Draw the exponents in one call, `rng.uniform(np.log10(low), np.log10(high), size=n)`, so that
# your samples can be compared with the reference's. (Natural logs with `np.exp` give the same
# numbers up to round-off, and pass too.)


# %% nbgrader={"grade": false, "grade_id": "log-uniform-samples", "locked": false, "schema_version": 3, "solution": true}
def log_uniform_samples(low, high, n, rng):
    """n samples between low and high, uniform on a log scale.

    low, high: floats with 0 < low <= high; n: int; rng: np.random.Generator.
    Returns an (n,) array 10 ** rng.uniform(log10(low), log10(high), size=n).
    """
    ### BEGIN SOLUTION
    exponents = rng.uniform(np.log10(low), np.log10(high), size=n)
    return 10.0**exponents
    ### END SOLUTION


# %% tags=["spec"]
def _log_uniform_linear(low, high, n, rng):
    return rng.uniform(low, high, size=n)


def _log_uniform_bounds_not_logged(low, high, n, rng):
    return 10.0 ** rng.uniform(low, high, size=n)


def _log_uniform_exponents(low, high, n, rng):
    return rng.uniform(np.log10(low), np.log10(high), size=n)


exercise(
    "log_uniform_samples",
    public=[
        case(1e-4, 1.0, 5, Seeded(0), note="four decades"),
        case(0.1, 10.0, 4, Seeded(1), note="0.1 to 10"),
        case(1e-3, 1e-1, 3, Seeded(2), note="two decades below 1"),
    ],
    hidden=lambda rng: [
        case(1e-5, 1e-1, 1, Seeded(int(rng.integers(1000, 2000))), note="a single sample"),
        case(1e-8, 1e2, 50, Seeded(int(rng.integers(2000, 3000))), note="ten decades"),
        case(2.0, 3.0, 10, Seeded(int(rng.integers(3000, 4000))), note="a narrow range"),
        case(0.5, 0.5, 3, Seeded(int(rng.integers(4000, 5000))), note="low == high"),
    ],
    mistakes=[
        mistake(
            "sampled uniformly",
            _log_uniform_linear,
            "uniform samples in [low, high] crowd into the top decade. Sample the exponent "
            "uniformly: 10 ** rng.uniform(np.log10(low), np.log10(high), size=n).",
        ),
        mistake(
            "bounds not converted to exponents",
            _log_uniform_bounds_not_logged,
            "the exponents range from log10(low) to log10(high), not from low to high.",
        ),
        mistake(
            "returned the exponents",
            _log_uniform_exponents,
            "you sampled the exponents r; the samples are 10 ** r.",
        ),
    ],
    rtol=1e-9,
    atol=0.0,
)

# %% nbgrader={"grade": true, "grade_id": "log-uniform-samples-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""log_uniform_samples: 10 ** rng.uniform(log10(low), log10(high), size=n)."""
check("log_uniform_samples", log_uniform_samples)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("11_ml_strategy", "log_uniform_samples", log_uniform_samples)
### END HIDDEN TESTS

# %% [markdown]
# 2,000 samples between $10^{-4}$ and 1, on a log axis: uniform sampling leaves the small
# values almost untried, log-uniform covers every decade evenly.

# %%
needs("log_uniform_samples")
demo_rng = np.random.default_rng(0)
linear_draws = demo_rng.uniform(1e-4, 1.0, size=2000)
log_draws = log_uniform_samples(1e-4, 1.0, 2000, demo_rng)
bins = np.geomspace(1e-4, 1.0, 21)
fig, ax = plt.subplots(figsize=(6, 2.8))
ax.hist(linear_draws, bins=bins, alpha=0.6, label="uniform")
ax.hist(log_draws, bins=bins, alpha=0.6, label="log-uniform")
ax.set_xscale("log")
ax.set_xlabel("sampled value")
ax.legend()
plt.show()

# %% [markdown]
# Now the search: 30 trials, each a softmax regression trained for 100 steps with a learning rate
# in $[10^{-2}, 10^{1.5}]$ and $\lambda$ in $[10^{-5}, 1]$, scored on the **dev** set. Too large a
# learning rate diverges (the loss oscillates and grows), too much $\lambda$ underfits.

# %%
needs("train_dev_test_split", "log_uniform_samples")
search_rng = np.random.default_rng(1)
num_trials = 30
trial_lrs = log_uniform_samples(1e-2, 10**1.5, num_trials, search_rng)
trial_regs = log_uniform_samples(1e-5, 1.0, num_trials, search_rng)
trial_errors = []
with np.errstate(over="ignore", invalid="ignore"):
    for lr, reg in tqdm(zip(trial_lrs, trial_regs), total=num_trials, desc="random search"):
        trial_model = train_softmax(X_train, y_train, lr=lr, reg=reg, steps=100, desc="trial")
        trial_errors.append(error_rate(trial_model, X_dev, y_dev))
trial_errors = np.array(trial_errors)
best_trial = int(np.argmin(trial_errors))

fig, ax = plt.subplots(figsize=(6, 4))
points = ax.scatter(trial_lrs, trial_regs, c=np.minimum(trial_errors, 0.3), cmap="viridis_r", s=50)
ax.scatter(trial_lrs[best_trial], trial_regs[best_trial], marker="*", s=300, c="red", label="best")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("learning rate")
ax.set_ylabel("L2 strength")
fig.colorbar(points, label="dev error (clipped at 0.3)")
ax.legend()
plt.show()
print(
    f"best of {num_trials}: lr {trial_lrs[best_trial]:.3g}, reg {trial_regs[best_trial]:.3g}, "
    f"dev error {trial_errors[best_trial]:.3f}"
)

# %% [markdown]
# A next round would zoom in: sample again, on a log scale, in a smaller box around the best
# trials (**coarse to fine**).
#
# ## 7. The test set, once
#
# The search chose hyperparameters by looking at the dev set 30 times, so the best dev error is a
# little optimistic. The final model is trained with the chosen hyperparameters and scored **once**
# on the test set, the honest estimate you report.

# %%
needs("train_dev_test_split", "log_uniform_samples")
final_model = train_softmax(
    X_train, y_train, lr=trial_lrs[best_trial], reg=trial_regs[best_trial], steps=100, desc="final"
)
print(f"dev error  {error_rate(final_model, X_dev, y_dev):.3f}")
print(f"test error {error_rate(final_model, X_test, y_test):.3f}  <- the number to report")

# %% [markdown]
# ## Summary
#
# * Split once, at random, into disjoint train / dev / test sets; choose on dev, report on test.
# * Avoidable bias (train − human) high: a bigger model, longer training. Variance (dev − train)
#   high: more data, regularisation. Learning curves show which, and whether data would help.
# * The confusion matrix, per-class precision / recall / F1 and a look at the worst confusions
#   tell you *what* to fix.
# * Search hyperparameters at random, on a log scale, coarse to fine.
#
# **Next:** module 12 opens Part IV, convolutional networks, the models that bring the digits
# error below human level.
