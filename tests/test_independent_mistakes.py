"""Wrong answers written the way learners write them, independently of the catalogue's code
(loops, another order of operations, an edge case handled their own way, a float where an array is
expected): at least 80% get a message that names the mistake or the pattern of the error."""

import numpy as np
import pytest

from autograder import Checker, CheckFailed

# (module, exercise, wrong implementation, a word the message should contain)


def gaussian_mle_unbiased(x):
    n = len(x)
    mu = sum(x) / n
    var = sum((xi - mu) ** 2 for xi in x) / (n - 1)
    return mu, var


def cross_entropy_summed_loop(probs, y):
    total = 0.0
    for i in range(len(y)):
        total += -np.log(max(probs[i, y[i]], 1e-12))
    return total


def softmax_no_shift(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def logsumexp_naive(z, axis=-1):
    return np.log(np.sum(np.exp(z), axis=axis))


def mse_loss_no_two(w, b, X, y):
    r = X @ w + b - y
    return float(np.mean(r**2)), X.T @ r / len(y), float(np.mean(r))


def mse_loss_no_mean(w, b, X, y):
    r = X @ w + b - y
    return float(np.mean(r**2)), 2 * X.T @ r, 2 * float(np.sum(r))


def standardize_ddof1(X):
    mean = X.mean(axis=0)
    std = X.std(axis=0, ddof=1)
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean, std


def r2_forgot_one_minus(y, y_hat):
    return float(np.sum((y - y_hat) ** 2) / np.sum((y - np.mean(y)) ** 2))


def accuracy_count(y_true, y_pred):
    return int(np.sum(y_true == y_pred))


def accuracy_percent(y_true, y_pred):
    return 100.0 * np.mean(y_true == y_pred)


def compute_cost_summed(probs, Y):
    return float(-np.sum(Y * np.log(probs) + (1 - Y) * np.log(1 - probs)))


def kl_swapped(p, q):
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(q > 0, q * np.log(q / p), 0.0)
    return terms.sum(axis=-1)


def normalize_rows_loop(X):
    out = np.zeros_like(X, dtype=float)
    for i, row in enumerate(X):
        n = np.sqrt(np.sum(row**2))
        out[i] = row / n**2 if n > 0 else row  # divided by the squared norm
    return out


def cross_entropy_summed_no_clip(probs, y):
    return -np.sum(np.log(probs[np.arange(len(y)), y]))  # and log(0) where a probability is 0


def accuracy_count_array(y_true, y_pred):
    return np.sum(y_true == y_pred, keepdims=True)  # a one-element array


def mse_loss_no_two_keepdims(w, b, X, y):
    r = X @ w + b - y
    return np.mean(r**2, keepdims=True), X.T @ r / len(y), np.mean(r, keepdims=True)


def compute_cost_summed_array(probs, Y):
    return -np.sum(Y * np.log(probs) + (1 - Y) * np.log(1 - probs), axis=(0, 1), keepdims=True)


def normalize_rows_squared_no_guard(X):
    return X / np.sum(X**2, axis=1, keepdims=True)  # and 0 / 0 on a zero row


def gaussian_mle_unbiased_loop(x):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    mu = x.sum(axis=0) / n
    var = np.zeros_like(mu)
    for i in range(n):
        var = var + (x[i] - mu) ** 2
    return mu, var / max(n - 1, 1)  # and a batch of one handled their own way


def r2_forgot_one_minus_rounded(y, y_hat):
    ss_res = sum((a - b) ** 2 for a, b in zip(y, y_hat))
    ss_tot = sum((a - np.mean(y)) ** 2 for a in y)
    return np.float32(ss_res / ss_tot)  # single precision


WRONG = [
    ("03_probability", "gaussian_mle", gaussian_mle_unbiased),
    ("03_probability", "cross_entropy", cross_entropy_summed_loop),
    ("03_probability", "softmax", softmax_no_shift),
    ("03_probability", "logsumexp", logsumexp_naive),
    ("03_probability", "kl_divergence", kl_swapped),
    ("04_gradient_descent", "mse_loss", mse_loss_no_two),
    ("04_gradient_descent", "mse_loss", mse_loss_no_mean),
    ("04_gradient_descent", "standardize", standardize_ddof1),
    ("04_gradient_descent", "r2_score", r2_forgot_one_minus),
    ("05_logistic_regression", "accuracy", accuracy_count),
    ("05_logistic_regression", "accuracy", accuracy_percent),
    ("06_shallow_network", "compute_cost", compute_cost_summed),
    ("00_orientation", "normalize_rows", normalize_rows_loop),
    ("03_probability", "cross_entropy", cross_entropy_summed_no_clip),
    ("05_logistic_regression", "accuracy", accuracy_count_array),
    ("04_gradient_descent", "mse_loss", mse_loss_no_two_keepdims),
    ("06_shallow_network", "compute_cost", compute_cost_summed_array),
    ("00_orientation", "normalize_rows", normalize_rows_squared_no_guard),
    ("03_probability", "gaussian_mle", gaussian_mle_unbiased_loop),
    ("04_gradient_descent", "r2_score", r2_forgot_one_minus_rounded),
]


def message(module, name, fn) -> str:
    with pytest.raises(CheckFailed) as failure:
        Checker(module)(name, fn)
    return str(failure.value)


def test_most_independently_written_mistakes_are_named():
    named, unnamed = [], []
    for module, name, fn in WRONG:
        with np.errstate(all="ignore"):
            text = message(module, name, fn)
        told = "Known mistake:" in text or "Pattern:" in text
        (named if told else unnamed).append((fn.__name__, text))
    print("not named:", [n for n, _ in unnamed])
    rate = len(named) / len(WRONG)
    print(f"named: {len(named)} of {len(WRONG)} ({rate:.0%})")
    assert rate >= 0.8, "\n\n".join(text for _, text in unnamed)
