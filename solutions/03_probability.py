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
# # 03 · Probability: from coin flips to cross-entropy
#
# **Why this matters.** A classifier does not just say "this is a 7": it says "7 with probability
# 0.92, 1 with probability 0.05, ...". Training it means making the probability of the right
# answers as large as possible, which is **maximum likelihood**; the number we minimise to do so
# is the **cross-entropy**; and the function that turns raw scores into probabilities is the
# **softmax**. Each of them hides a trap: `np.exp(1000)` is `inf`, `np.log(0)` is `-inf`, and a
# single NaN spreads through a whole network in one step. This module builds the probability a
# deep-learning practitioner uses every day, and the numerically stable code that goes with it.
#
# Plan: distributions and sampling, expectation and variance, Bayes' rule, maximum likelihood
# (exercise 1), entropy, KL divergence and cross-entropy (exercises 2 and 3), softmax and
# log-sum-exp (exercises 4 and 5), and to finish, a digit classifier built from nothing but
# your five functions.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false} tags=["lib"]
import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from autograder import load_checks, needs, todo

check = load_checks("03_probability")

# %% [markdown]
# ## 1. Distributions and sampling
#
# A **random variable** $X$ is a quantity whose value depends on chance. Its **distribution**
# says how likely each value is:
#
# * a **discrete** variable (a coin, a die, a class label) has a *probability mass function*
#   $p(x) = P(X = x)$, with $\sum_x p(x) = 1$;
# * a **continuous** variable (a height, a pixel intensity, a weight of a network) has a
#   *probability density* $p(x)$, with $\int p(x)\,dx = 1$ and
#   $P(a \le X \le b) = \int_a^b p(x)\,dx$. A density can exceed 1; only areas are probabilities.
#
# Three distributions we meet again and again:
#
# | distribution | values | formula | used for |
# |---|---|---|---|
# | Bernoulli($\theta$) | $\{0, 1\}$ | $p(1) = \theta,\ p(0) = 1 - \theta$ | a coin, a binary label |
# | categorical($\pi_1..\pi_K$) | $\{1..K\}$ | $p(k) = \pi_k$ | a class label, the next character |
# | Gaussian $\mathcal N(\mu, \sigma^2)$ | $\mathbb R$ | $\frac{1}{\sqrt{2\pi\sigma^2}} e^{-(x-\mu)^2 / 2\sigma^2}$ | noise, initial weights |
#
# **Sampling** means drawing values at random from a distribution. NumPy's generator does it;
# we always create it with a seed so that every run of this notebook draws the same numbers.
# A **histogram** of many samples, scaled to area 1 (`density=True`), should look like the
# density it came from.

# %%
rng = np.random.default_rng(0)


def gaussian_pdf(x, mu, sigma2):
    return np.exp(-((x - mu) ** 2) / (2 * sigma2)) / np.sqrt(2 * np.pi * sigma2)


gauss_samples = rng.normal(loc=1.0, scale=0.5, size=5000)
exp_samples = rng.exponential(scale=1.0, size=5000)
poisson_samples = rng.poisson(lam=3.0, size=5000)

fig, axes = plt.subplots(1, 3, figsize=(12, 3))
grid = np.linspace(-1, 3, 200)
axes[0].hist(gauss_samples, bins=50, density=True, alpha=0.6, label="5,000 samples")
axes[0].plot(grid, gaussian_pdf(grid, 1.0, 0.25), "k", label="density")
axes[0].set_title(r"Gaussian $\mathcal{N}(1, 0.5^2)$")
axes[0].legend()

grid = np.linspace(0, 6, 200)
axes[1].hist(exp_samples, bins=50, range=(0, 6), density=True, alpha=0.6)
axes[1].plot(grid, np.exp(-grid), "k")
axes[1].set_title(r"exponential: $p(x) = e^{-x}$")

counts = np.bincount(poisson_samples, minlength=12)[:12] / len(poisson_samples)
ks = np.arange(12)
pmf = np.array([3.0**k * math.exp(-3.0) / math.factorial(k) for k in ks])
axes[2].bar(ks, counts, alpha=0.6, label="sample frequencies")
axes[2].plot(ks, pmf, "ko", label="probability mass")
axes[2].set_title(r"Poisson: $p(k) = 3^k e^{-3} / k!$")
axes[2].legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# Move the sliders. With few samples the histogram is a rough sketch of the curve; with thousands
# it hugs it. The **sample** mean and variance wander around the true $\mu$ and $\sigma^2$ and
# settle as $n$ grows: that is the law of large numbers at work.


# %%
def show_gaussian(mu=0.0, sigma=1.0, n=100):
    samples = np.random.default_rng(4).normal(mu, sigma, size=n)
    grid = np.linspace(-8, 8, 400)
    plt.figure(figsize=(7, 3))
    plt.hist(samples, bins=40, range=(-8, 8), density=True, alpha=0.6, label=f"{n} samples")
    plt.plot(grid, gaussian_pdf(grid, mu, sigma**2), "k", label="density")
    plt.ylim(0, 1.0)
    plt.title(
        f"true mean {mu:.2f}, variance {sigma**2:.2f} | "
        f"sample mean {samples.mean():.2f}, variance {samples.var():.2f}"
    )
    plt.legend(loc="upper left")
    plt.show()


gaussian_explorer = widgets.interact(
    show_gaussian,
    mu=widgets.FloatSlider(0.0, min=-4, max=4, step=0.25, description="mu"),
    sigma=widgets.FloatSlider(1.0, min=0.5, max=3, step=0.1, description="sigma"),
    n=widgets.IntSlider(100, min=5, max=5000, step=5, description="samples"),
)

# %% [markdown]
# ## 2. Expectation and variance
#
# The **expectation** (mean) of $X$ is its probability-weighted average, and the **variance** is
# the expected squared distance from that mean:
#
# $$\mathbb E[X] = \sum_x x\,p(x) \qquad \operatorname{Var}[X] = \mathbb E\big[(X - \mathbb E[X])^2\big]
# = \mathbb E[X^2] - \mathbb E[X]^2.$$
#
# (For a density, replace the sum by an integral.) **Worked example**, a fair die:
# $\mathbb E[X] = \frac{1 + 2 + \dots + 6}{6} = 3.5$ and
# $\operatorname{Var}[X] = \frac{1^2 + \dots + 6^2}{6} - 3.5^2 = \frac{91}{6} - 12.25 = \frac{35}{12} \approx 2.92$.
#
# When a sum is out of reach, we **estimate** an expectation by averaging samples (a *Monte
# Carlo* estimate). The running average of die rolls closes in on 3.5, and its error shrinks like
# $\sigma / \sqrt{n}$: a hundred times more rolls for ten times less error. Mini-batch gradients in
# later modules are Monte Carlo estimates of exactly this kind.

# %%
faces = np.arange(1, 7)
die_mean = np.sum(faces * (1 / 6))
die_var = np.sum((faces - die_mean) ** 2 * (1 / 6))
print(f"exact: mean {die_mean:.4f}, variance {die_var:.4f}")

rolls = np.random.default_rng(2).integers(1, 7, size=20_000)
running_mean = np.cumsum(rolls) / np.arange(1, len(rolls) + 1)
n = np.arange(1, len(rolls) + 1)

plt.figure(figsize=(7, 3))
plt.semilogx(n, running_mean, label="running average of rolls")
plt.semilogx(n, die_mean + np.sqrt(die_var / n), "k:", label=r"$3.5 \pm \sigma/\sqrt{n}$")
plt.semilogx(n, die_mean - np.sqrt(die_var / n), "k:")
plt.axhline(die_mean, color="k", lw=0.8)
plt.ylim(1, 6)
plt.xlabel("number of rolls n")
plt.legend()
plt.show()

# %% [markdown]
# ## 3. Bayes' rule: updating beliefs with evidence
#
# For two events $A$ and $B$, the product rule $P(A, B) = P(A \mid B)\,P(B) = P(B \mid A)\,P(A)$
# gives **Bayes' rule**:
#
# $$P(A \mid B) = \frac{P(B \mid A)\,P(A)}{P(B)}, \qquad P(B) = \sum_a P(B \mid a)\,P(a).$$
#
# In words: **posterior ∝ likelihood × prior**, then normalise so it sums to one.
#
# **Worked example.** A disease affects 1% of people. A test detects it 95% of the time, and
# wrongly flags 5% of healthy people. You test positive: how likely are you to be ill?
# $P(+) = 0.95 \times 0.01 + 0.05 \times 0.99 = 0.059$, so
# $P(\text{ill} \mid +) = 0.95 \times 0.01 / 0.059 \approx 16\%$. Most positives are false
# positives, because healthy people are so much more numerous: the prior matters.

# %%
prior = np.array([0.01, 0.99])  # ill, healthy
likelihood_positive = np.array([0.95, 0.05])  # P(+ | ill), P(+ | healthy)
unnormalised = likelihood_positive * prior
posterior = unnormalised / unnormalised.sum()
print(f"P(ill | +) = {posterior[0]:.3f}")

# a second independent positive test: yesterday's posterior is today's prior
unnormalised = likelihood_positive * posterior
print(f"P(ill | +, +) = {(unnormalised / unnormalised.sum())[0]:.3f}")

# %% [markdown]
# The same rule learns a *parameter*. Is a coin biased? Let $\theta$ be its probability of heads.
# On a grid of candidate values we start from a flat prior, and after each flip multiply by the
# likelihood of that flip ($\theta$ for heads, $1 - \theta$ for tails) and renormalise. The
# posterior narrows around the truth (0.7) as evidence accumulates.

# %%
thetas = np.linspace(0, 1, 501)
flips = np.random.default_rng(3).random(200) < 0.7  # True is heads
belief = np.ones_like(thetas) / len(thetas)

plt.figure(figsize=(7, 3))
seen = 0
for shown in [0, 1, 5, 20, 200]:
    for heads in flips[seen:shown]:
        belief = belief * (thetas if heads else 1 - thetas)
        belief = belief / belief.sum()
    seen = shown
    plt.plot(
        thetas, belief * len(thetas), label=f"after {shown} flips ({flips[:shown].sum()} heads)"
    )
plt.axvline(0.7, color="k", ls=":", label="true bias")
plt.xlabel(r"$\theta$ = probability of heads")
plt.ylabel("posterior density")
plt.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 4. Maximum likelihood
#
# Bayes' rule gives a whole distribution over $\theta$. Often we settle for a single best value:
# the one under which the data we saw is most probable. For independent samples
# $x_1, \dots, x_N$ the **likelihood** is a product, so we maximise its logarithm, a sum that is
# kinder to floating point:
#
# $$\hat\theta = \arg\max_\theta \prod_{i=1}^N p(x_i \mid \theta)
# = \arg\max_\theta \sum_{i=1}^N \log p(x_i \mid \theta).$$
#
# For a Gaussian, $\log p(x \mid \mu, \sigma^2) = -\tfrac12 \log(2\pi\sigma^2) - \frac{(x - \mu)^2}{2\sigma^2}$.
# Setting the derivatives of the sum to zero:
#
# $$\frac{\partial}{\partial \mu}: \ \sum_i \frac{x_i - \mu}{\sigma^2} = 0 \ \Rightarrow\
# \hat\mu = \frac1N \sum_i x_i, \qquad
# \frac{\partial}{\partial \sigma^2}: \ -\frac{N}{2\sigma^2} + \sum_i \frac{(x_i - \mu)^2}{2\sigma^4} = 0
# \ \Rightarrow\ \hat\sigma^2 = \frac1N \sum_i (x_i - \hat\mu)^2.$$
#
# The sample mean and the average squared deviation, **divided by $N$**. The plot shows the
# log-likelihood of a small sample as a function of $\mu$: its peak sits at the sample mean.

# %%
sample = np.random.default_rng(4).normal(2.0, 1.0, size=12)
mus = np.linspace(0, 4, 200)
log_lik = [np.sum(np.log(gaussian_pdf(sample, m, 1.0))) for m in mus]

plt.figure(figsize=(6, 3))
plt.plot(mus, log_lik)
plt.axvline(sample.mean(), color="k", ls=":", label=f"sample mean {sample.mean():.2f}")
plt.xlabel(r"$\mu$")
plt.ylabel(r"$\sum_i \log p(x_i \mid \mu, \sigma^2 = 1)$")
plt.legend()
plt.show()

# %% [markdown]
# ### Exercise 1: `gaussian_mle` (2 points)
#
# Return the maximum-likelihood estimates $(\hat\mu, \hat\sigma^2)$ of a Gaussian.
#
# * `x` has shape `(N,)` (one variable), or `(N, D)`: $N$ samples of $D$ independent variables,
#   one per column. Estimate each column separately (reduce along `axis=0`); the results then have
#   shape `(D,)`.
# * Divide by $N$, not $N - 1$. (`np.var` divides by $N$ by default; `ddof=1` would give the
#   "unbiased" estimate, which is *not* the maximum-likelihood one.)
# * Compute the mean first, then the average squared deviation from it. The shortcut
#   $\mathbb E[x^2] - \mathbb E[x]^2$ is equal on paper but loses every digit when the mean is
#   large compared to the spread.


# %% nbgrader={"grade": false, "grade_id": "gaussian-mle", "locked": false, "schema_version": 3, "solution": true}
def gaussian_mle(x):
    """Maximum-likelihood mean and variance of a Gaussian, per column.

    x: (N,) or (N, D) samples; each column is one variable.
    Returns (mu, sigma2): floats for x of shape (N,), arrays of shape (D,) for x of shape (N, D).
    sigma2 divides by N.
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    mu = np.mean(x, axis=0)
    sigma2 = np.mean((x - mu) ** 2, axis=0)
    return mu, sigma2
    ### END SOLUTION


# %% tags=["spec"]
from autograder.authoring.spec import case, exercise, mistake


def _mle_unbiased(x):
    x = np.asarray(x, dtype=float)
    return np.mean(x, axis=0), np.var(x, axis=0, ddof=1)


def _mle_std(x):
    x = np.asarray(x, dtype=float)
    return np.mean(x, axis=0), np.std(x, axis=0)


def _mle_rows(x):
    x = np.asarray(x, dtype=float)
    return np.mean(x, axis=-1), np.var(x, axis=-1)


def _mle_one_pass(x):
    x = np.asarray(x, dtype=float)
    mu = np.mean(x, axis=0)
    return mu, np.mean(x**2, axis=0) - mu**2


exercise(
    "gaussian_mle",
    public=[
        case(np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]), note="eight numbers: mean 5"),
        case(
            np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 60.0]]),
            note="N=4 samples of D=2 variables",
        ),
        case(1e6 + np.array([0.2, 0.4, 0.6, 1.2]), note="a large mean, a small spread"),
    ],
    hidden=lambda rng: [
        case(rng.normal(2.0, 3.0, size=50), note="fifty draws from N(2, 9)"),
        case(rng.normal(size=(1, 4)), note="a single sample of four variables"),
        case(
            rng.normal(size=(30, 3)) * np.array([1.0, 10.0, 100.0]) + np.array([0.0, -5.0, 1e3]),
            note="three variables on different scales",
        ),
        case(rng.normal(1e6, 1e-3, size=100), note="huge mean, tiny spread"),
        case(rng.exponential(size=(7, 9)), note="more variables than samples"),
    ],
    mistakes=[
        mistake(
            "divided by N-1",
            _mle_unbiased,
            "the maximum-likelihood variance divides by N: sum((x - mu)**2) / N, which is "
            "np.var's default (ddof=0). Dividing by N - 1 gives the unbiased estimate instead.",
        ),
        mistake(
            "returned the standard deviation",
            _mle_std,
            "sigma2 is the variance, the square of the standard deviation: no square root.",
        ),
        mistake(
            "averaged each row",
            _mle_rows,
            "each column is one variable and each row one sample: reduce along axis=0, so that "
            "an (N, D) input gives results of shape (D,).",
        ),
        mistake(
            "used E[x^2] - E[x]^2",
            _mle_one_pass,
            "this formula subtracts two huge, nearly equal numbers when the mean is large and "
            "loses every significant digit. Compute mu first, then np.mean((x - mu)**2, axis=0).",
        ),
    ],
    outputs=("mu", "sigma2"),
    rtol=1e-7,
    atol=1e-9,
)

# %% nbgrader={"grade": true, "grade_id": "gaussian-mle-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""gaussian_mle: mean and variance divided by N, per column, stable for large means."""
check("gaussian_mle", gaussian_mle)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("03_probability", "gaussian_mle", gaussian_mle)
### END HIDDEN TESTS

# %% [markdown]
# **Dividing by $N$ is biased, and that is fine.** On average over many small samples, the MLE
# variance comes out a little small: $\mathbb E[\hat\sigma^2] = \frac{N-1}{N}\sigma^2$, because
# the sample mean sits closer to its own sample than the true mean does. Your function estimates
# 20,000 samples at once here (one per column), for each sample size $N$. With the hundreds or
# thousands of examples of deep learning, the difference is negligible.

# %%
needs("gaussian_mle")
true_var = 4.0
sizes = [2, 3, 5, 10, 20, 50]
average_estimate = []
for size in sizes:
    columns = np.random.default_rng(size).normal(0.0, np.sqrt(true_var), size=(size, 20_000))
    _, variances = gaussian_mle(columns)
    average_estimate.append(variances.mean())

plt.figure(figsize=(6, 3))
plt.plot(sizes, average_estimate, "o-", label=r"average MLE $\hat\sigma^2$")
plt.plot(sizes, [true_var * (s - 1) / s for s in sizes], "k:", label=r"$\frac{N-1}{N}\sigma^2$")
plt.axhline(true_var, color="k", lw=0.8, label=r"true $\sigma^2 = 4$")
plt.xscale("log")
plt.xticks(sizes, [str(size) for size in sizes])
plt.minorticks_off()
plt.ylim(1.8, 4.3)
plt.xlabel("sample size N")
plt.legend()
plt.show()

# %% [markdown]
# ## 5. Entropy, cross-entropy and KL divergence
#
# How surprised should you be by an outcome of probability $p$? By $-\log p$: a certain outcome
# ($p = 1$) surprises you not at all, a rare one a lot, and the surprises of independent events
# add up. The **entropy** of a distribution is its expected surprise,
#
# $$H(p) = -\sum_k p_k \log p_k \qquad (\text{with } 0 \log 0 = 0),$$
#
# the average number of *nats* (natural log) or *bits* ($\log_2$) needed to encode an outcome. A
# fair coin carries one bit, a certain one none.

# %%
p_heads = np.linspace(0, 1, 201)
with np.errstate(divide="ignore", invalid="ignore"):
    coin_entropy = -np.nan_to_num(p_heads * np.log2(p_heads)) - np.nan_to_num(
        (1 - p_heads) * np.log2(1 - p_heads)
    )

plt.figure(figsize=(5, 3))
plt.plot(p_heads, coin_entropy)
plt.xlabel("P(heads)")
plt.ylabel("entropy (bits)")
plt.title("the entropy of a coin peaks when it is fair")
plt.show()

# %% [markdown]
# Now suppose the outcomes come from $p$, but we encode them (or predict them) as if they came
# from a model $q$. The expected surprise is the **cross-entropy**, and the excess over the best
# possible, $H(p)$, is the **Kullback-Leibler divergence**:
#
# $$H(p, q) = -\sum_k p_k \log q_k, \qquad
# D_{\mathrm{KL}}(p \,\|\, q) = H(p, q) - H(p) = \sum_k p_k \log \frac{p_k}{q_k}.$$
#
# Facts worth remembering:
#
# * $D_{\mathrm{KL}}(p \| q) \ge 0$, with equality only when $q = p$ (Gibbs' inequality).
# * It is **not symmetric**: $D_{\mathrm{KL}}(p \| q) \ne D_{\mathrm{KL}}(q \| p)$ in general, so it
#   is not a distance. The order matters; the expectation is taken under the *first* argument.
# * Terms with $p_k = 0$ contribute nothing (outcomes that never happen cost nothing), but if
#   $q_k = 0$ where $p_k > 0$ the divergence is $+\infty$: the model called impossible something
#   that happens.
#
# **Worked example.** A fair coin $p = (0.5, 0.5)$ and a biased model $q = (0.9, 0.1)$:
# $D_{\mathrm{KL}}(p\|q) = 0.5 \log\frac{0.5}{0.9} + 0.5 \log\frac{0.5}{0.1} \approx 0.511$ nats,
# while $D_{\mathrm{KL}}(q\|p) = 0.9 \log\frac{0.9}{0.5} + 0.1 \log\frac{0.1}{0.5} \approx 0.368$.
#
# ### Exercise 2: `kl_divergence` (2 points)
#
# Compute $D_{\mathrm{KL}}(p \| q)$ along the **last axis**, so that a batch of distributions
# (shape `(N, K)`) gives `N` divergences. Terms where $p_k = 0$ count as 0 (not NaN): compute
# `p * log(p / q)` only where `p > 0`, e.g. with `np.where`. Where $q_k = 0 < p_k$, return `inf`.
# (`np.where` evaluates both branches, so NumPy may warn about `log(0)`; wrap the computation in
# `with np.errstate(divide="ignore", invalid="ignore"):` to silence it.)


# %% nbgrader={"grade": false, "grade_id": "kl-divergence", "locked": false, "schema_version": 3, "solution": true}
def kl_divergence(p, q):
    """KL divergence D_KL(p || q) = sum_k p_k log(p_k / q_k), along the last axis.

    p, q: (..., K) arrays of probabilities, each row summing to 1, of the same shape.
    Returns an array of shape (...) (a float for 1-D inputs). Terms with p_k = 0 count as 0;
    the result is inf where q_k = 0 < p_k.
    """
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)
    return np.sum(terms, axis=-1)
    ### END SOLUTION


# %% tags=["spec"]
def _kl_swapped(p, q):
    p, q = np.asarray(q, dtype=float), np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)
    return np.sum(terms, axis=-1)


def _kl_zero_nan(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    return np.sum(p * np.log(p / q), axis=-1)


def _kl_summed_all(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)
    return np.sum(terms)


def _dirichlet(rng, k, size=None):
    return rng.dirichlet(np.ones(k), size=size)


exercise(
    "kl_divergence",
    public=[
        case(np.array([0.5, 0.5]), np.array([0.9, 0.1]), note="a fair coin against a biased one"),
        case(
            np.array([0.9, 0.1]),
            np.array([0.5, 0.5]),
            note="the worked example the other way round: D_KL(q || p) is about 0.368",
        ),
        case(
            np.array([0.5, 0.5, 0.0]),
            np.array([0.25, 0.25, 0.5]),
            note="p gives zero to an outcome: 0 log 0 counts as 0",
        ),
        case(
            np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]]),
            np.array([[0.1, 0.6, 0.3], [0.3, 0.3, 0.4]]),
            note="two pairs of distributions, one divergence per row",
        ),
    ],
    hidden=lambda rng: [
        case(_dirichlet(rng, 5), _dirichlet(rng, 5), note="one random pair, K=5"),
        case(_dirichlet(rng, 6, 4), _dirichlet(rng, 6, 4), note="a batch of four, K=6"),
        case(_dirichlet(rng, 3, 1), _dirichlet(rng, 3, 1), note="a batch of one"),
        case(np.eye(4)[[2, 0, 3]], _dirichlet(rng, 4, 3), note="one-hot p, zeros everywhere else"),
        case(
            np.array([0.3, 0.3, 0.4]),
            np.array([0.5, 0.5, 0.0]),
            note="q gives zero to an outcome p has: inf",
        ),
        case(
            _dirichlet(rng, 3, (2, 2)),
            _dirichlet(rng, 3, (2, 2)),
            note="a (2, 2) batch of distributions",
        ),
        case(
            np.array([[0.25, 0.25, 0.25, 0.25], [0.5, 0.0, 0.5, 0.0]]),
            np.array([[0.97, 0.01, 0.01, 0.01], [1e-300, 0.5, 1.0 - 1e-300 - 0.5, 0.0]]),
            note="extreme probabilities",
        ),
    ],
    mistakes=[
        mistake(
            "arguments swapped",
            _kl_swapped,
            "D_KL(p || q) = sum p * log(p / q): the average is taken under p, the first argument. "
            "You computed D_KL(q || p); KL divergence is not symmetric.",
        ),
        mistake(
            "0 log 0 gives NaN",
            _kl_zero_nan,
            "where p_k = 0, p * log(p / q) is 0 * -inf = NaN. Those terms should count as 0: "
            "np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0).",
        ),
        mistake(
            "summed over the whole batch",
            _kl_summed_all,
            "sum along the last axis only (axis=-1), to get one divergence per distribution.",
        ),
    ],
    rtol=1e-7,
    atol=1e-10,
)

# %% nbgrader={"grade": true, "grade_id": "kl-divergence-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""kl_divergence: sum p log(p/q) along the last axis, 0 log 0 = 0, inf where q misses p."""
check("kl_divergence", kl_divergence)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("03_probability", "kl_divergence", kl_divergence)
### END HIDDEN TESTS

# %% [markdown]
# The asymmetry in a picture: the fair coin $p$ against models $q$ = (P(heads), P(tails)). Both
# divergences vanish at $q = p$, but $D_{\mathrm{KL}}(p \| q)$ explodes as $q$ rules out an
# outcome that $p$ produces, while $D_{\mathrm{KL}}(q \| p)$ stays finite.

# %%
needs("kl_divergence")
fair = np.array([0.5, 0.5])
models = np.stack([p_heads[1:-1], 1 - p_heads[1:-1]], axis=1)  # (199, 2)
forward = kl_divergence(np.broadcast_to(fair, models.shape), models)
reverse = kl_divergence(models, np.broadcast_to(fair, models.shape))

plt.figure(figsize=(5, 3))
plt.plot(p_heads[1:-1], forward, label=r"$D_{KL}(p \,\|\, q)$")
plt.plot(p_heads[1:-1], reverse, label=r"$D_{KL}(q \,\|\, p)$")
plt.ylim(0, 2)
plt.xlabel("the model's P(heads)")
plt.ylabel("nats")
plt.legend()
plt.show()

# %% [markdown]
# ### Cross-entropy is the classifier's loss
#
# In classification, the "true distribution" of example $i$ is one-hot: all its mass on the label
# $y_i$. Its cross-entropy with the model's predicted probabilities $\hat p_i$ keeps a single term,
# $-\log \hat p_{i, y_i}$, and averaging over a batch of $N$ examples gives
#
# $$L = -\frac1N \sum_{i=1}^N \log \hat p_{i, y_i}.$$
#
# Minimising it is exactly maximum likelihood: $-N L$ is the log-likelihood of the labels under
# the model. (And since $H(\text{one-hot}) = 0$, it is also the KL divergence from the labels.)
# A model that gives the right class probability 0 would get $L = +\infty$ and a gradient of
# NaNs: a guard is needed.
#
# ### Exercise 3: `cross_entropy` (2 points)
#
# `probs` has shape `(N, K)`, one row of class probabilities per example; `y` holds the `N`
# integer labels. Pick each row's probability of its own label with fancy indexing,
# `probs[np.arange(N), y]`, **clip it from below at `eps = 1e-12`** (`np.maximum(p, 1e-12)`) so
# that a zero becomes a large but finite loss, $-\log 10^{-12} \approx 27.6$, and return the
# **mean** over the batch as a float. (Adding the epsilon instead, `np.log(p + 1e-12)`, is a common
# variant; the checks accept it too.)


# %% nbgrader={"grade": false, "grade_id": "cross-entropy", "locked": false, "schema_version": 3, "solution": true}
def cross_entropy(probs, y):
    """Mean negative log-probability of the true labels.

    probs: (N, K) predicted probabilities, rows summing to 1; y: (N,) integer labels in [0, K).
    Returns a float: mean over i of -log(max(probs[i, y[i]], 1e-12)).
    """
    ### BEGIN SOLUTION
    probs = np.asarray(probs, dtype=float)
    picked = probs[np.arange(probs.shape[0]), y]
    return float(np.mean(-np.log(np.maximum(picked, 1e-12))))
    ### END SOLUTION


# %% tags=["spec"]
def _probability_rows(rng, n, k, concentration=1.0):
    # random rows with no probability between 0 and 1e-3, where clipping at 1e-12 and adding
    # 1e-12 would disagree
    rows = np.maximum(rng.dirichlet(np.ones(k) * concentration, n), 1e-3)
    return rows / rows.sum(axis=1, keepdims=True)


def _ce_log_zero(probs, y):
    picked = probs[np.arange(probs.shape[0]), y]
    return float(np.mean(-np.log(picked)))


def _ce_sum(probs, y):
    picked = probs[np.arange(probs.shape[0]), y]
    return float(np.sum(-np.log(np.maximum(picked, 1e-12))))


def _ce_columns(probs, y):
    picked = probs[:, y]
    return float(np.mean(-np.log(np.maximum(picked, 1e-12))))


def _ce_all_classes(probs, y):
    return float(np.mean(-np.log(np.maximum(probs, 1e-12))))


exercise(
    "cross_entropy",
    public=[
        case(np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]), np.array([0, 1]), note="two examples"),
        case(
            np.array([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]]),
            np.array([2, 1]),
            note="a zero probability on a true label, then a certain right answer",
        ),
        case(
            np.array([[0.6, 0.4], [0.3, 0.7], [0.9, 0.1]]),
            np.array([1, 1, 0]),
            note="three examples, two classes",
        ),
    ],
    hidden=lambda rng: [
        case(np.array([[0.1, 0.2, 0.3, 0.4]]), np.array([2]), note="a batch of one"),
        case(
            _probability_rows(rng, 20, 10), rng.integers(0, 10, 20), note="20 examples, 10 classes"
        ),
        case(_probability_rows(rng, 200, 3), np.zeros(200, dtype=int), note="all labels the same"),
        case(
            np.eye(5)[[0, 1, 2, 3]],
            np.array([0, 1, 2, 4]),
            note="one-hot predictions, one confidently wrong",
        ),
        case(_probability_rows(rng, 12, 7, 0.05), rng.integers(0, 7, 12), note="peaked rows"),
    ],
    mistakes=[
        mistake(
            "log(0) gives inf",
            _ce_log_zero,
            "a zero probability on the true label makes -log(0) = inf. Clip first: "
            "np.maximum(picked, 1e-12).",
        ),
        mistake(
            "summed instead of averaged",
            _ce_sum,
            "the loss is the mean over the batch, so that it does not grow with the batch size: "
            "use np.mean, not np.sum.",
        ),
        mistake(
            "took whole columns",
            _ce_columns,
            "probs[:, y] picks, for every example, the columns of all the labels: an (N, N) "
            "array. Pair each row with its own label: probs[np.arange(N), y].",
        ),
        mistake(
            "averaged over every class",
            _ce_all_classes,
            "only the probability of the true label counts: -log probs[i, y[i]], one number per "
            "example.",
        ),
    ],
    driver="autograder.checking.drivers:call_float",
    rtol=1e-7,
    atol=1e-10,
)

# %% nbgrader={"grade": true, "grade_id": "cross-entropy-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""cross_entropy: mean of -log probs[i, y[i]], clipped at 1e-12."""
check("cross_entropy", cross_entropy)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("03_probability", "cross_entropy", cross_entropy)
### END HIDDEN TESTS

# %% [markdown]
# How does the loss judge a prediction? The plot shows $-\log \hat p$ for the probability given
# to the right class. Being confidently wrong is punished without limit (up to our clip), which is
# why a classifier trained with cross-entropy learns to hedge when it is unsure.

# %%
needs("cross_entropy")
right_prob = np.linspace(0.001, 1, 300)
per_example = [cross_entropy(np.array([[p, 1 - p]]), np.array([0])) for p in right_prob]

plt.figure(figsize=(5, 3))
plt.plot(right_prob, per_example)
plt.xlabel("probability given to the right class")
plt.ylabel("cross-entropy")
plt.show()

# %% [markdown]
# ## 6. Softmax and log-sum-exp, the stable way
#
# A network produces arbitrary real **scores** (logits) $z_1, \dots, z_K$. The **softmax** turns
# them into probabilities: exponentiate to make them positive, divide to make them sum to one,
#
# $$\operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=1}^K e^{z_j}}.$$
#
# Written as is, it breaks: `np.exp(1000.0)` overflows to `inf` and `inf / inf` is NaN, while
# `np.exp(-1000.0)` underflows to 0 and `0 / 0` is NaN too. Scores like these appear in practice
# (a confident network, a large learning rate). The cure is one line of algebra: for any
# constant $c$,
#
# $$\frac{e^{z_k - c}}{\sum_j e^{z_j - c}} = \frac{e^{-c} e^{z_k}}{e^{-c} \sum_j e^{z_j}}
# = \operatorname{softmax}(z)_k,$$
#
# so we may subtract $c = \max_j z_j$. Then the largest exponent is $e^0 = 1$: no overflow, and
# the denominator is at least 1: no division by zero.

# %%
big_scores = np.array([1000.0, 1001.0, 1002.0])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(big_scores) / np.sum(np.exp(big_scores))
shifted = big_scores - big_scores.max()
print("naive:  ", naive)
print("shifted:", np.exp(shifted) / np.sum(np.exp(shifted)))

# %% [markdown]
# ### Exercise 4: `softmax` (3 points)
#
# Apply the softmax along the **last axis** of an array of any shape: a vector `(K,)`, a batch
# `(N, K)`, or a batch of sequences `(N, T, K)`. Subtract each slice's own maximum
# (`np.max(z, axis=-1, keepdims=True)`): the maximum of the whole array is not enough, since a
# row far below it would underflow to `0 / 0`.


# %% nbgrader={"grade": false, "grade_id": "softmax", "locked": false, "schema_version": 3, "solution": true}
def softmax(z):
    """Numerically stable softmax along the last axis.

    z: (..., K) array of scores.
    Returns an array of the same shape whose slices along the last axis are positive and
    sum to 1.
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    exps = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exps / np.sum(exps, axis=-1, keepdims=True)
    ### END SOLUTION


# %% tags=["spec"]
def _softmax_naive(z):
    z = np.asarray(z, dtype=float)
    exps = np.exp(z)
    return exps / np.sum(exps, axis=-1, keepdims=True)


def _softmax_axis0(z):
    z = np.asarray(z, dtype=float)
    exps = np.exp(z - np.max(z, axis=0, keepdims=True))
    return exps / np.sum(exps, axis=0, keepdims=True)


def _softmax_global_max(z):
    z = np.asarray(z, dtype=float)
    exps = np.exp(z - np.max(z))
    return exps / np.sum(exps, axis=-1, keepdims=True)


exercise(
    "softmax",
    public=[
        case(np.array([1.0, 2.0, 3.0]), note="a single vector of scores"),
        case(np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]]), note="a batch of two, three classes"),
        case(
            np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -999.0]]),
            note="very large and very negative scores",
        ),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=(1, 5)), note="a batch of one"),
        case(rng.normal(size=(4, 7)) * 3, note="random, 4 x 7"),
        case(rng.normal(size=(2, 3, 4)), note="a batch of sequences, 3-D"),
        case(np.array([5.0]), note="a single class"),
        case(
            rng.normal(size=(3, 4)) + np.array([[0.0], [800.0], [-800.0]]),
            note="rows at very different levels",
        ),
        case(rng.normal(size=(5, 3)) * 1e4, note="huge scores"),
        case(np.zeros((3, 6)), note="all scores equal"),
    ],
    mistakes=[
        mistake(
            "overflows on large scores",
            _softmax_naive,
            "np.exp(1000) is inf and inf / inf is NaN. Subtract each row's maximum before "
            "exponentiating: z - np.max(z, axis=-1, keepdims=True); the result is the same.",
        ),
        mistake(
            "normalised along the wrong axis",
            _softmax_axis0,
            "the classes are the last axis: use axis=-1 (with keepdims=True) for both the max "
            "and the sum, so that each row, not each column, sums to 1.",
        ),
        mistake(
            "shifted by the maximum of the whole array",
            _softmax_global_max,
            "a row whose scores are all far below the global maximum underflows to 0 / 0. "
            "Subtract each row's own maximum: np.max(z, axis=-1, keepdims=True).",
        ),
    ],
    rtol=1e-7,
    atol=1e-12,
)

# %% nbgrader={"grade": true, "grade_id": "softmax-tests", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""softmax: stable, along the last axis, any batch shape."""
check("softmax", softmax)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("03_probability", "softmax", softmax)
### END HIDDEN TESTS

# %% [markdown]
# **Temperature.** Dividing the scores by a temperature $T$ before the softmax tunes how sure the
# distribution is: $T \to 0$ puts all the mass on the largest score (the argmax), $T \to \infty$
# flattens it to uniform, with the entropy climbing from 0 to $\log K$. Language models sample
# their next word this way; move the slider and watch the bars.

# %%
needs("softmax")
animal_scores = np.array([3.0, 2.5, 1.0, 0.2, -1.0])
animal_names = ["cat", "dog", "fox", "owl", "eel"]


def show_temperature(temperature=1.0):
    probs = softmax(animal_scores / temperature)
    entropy = -np.sum(probs * np.log(np.maximum(probs, 1e-300)))
    plt.figure(figsize=(6, 3))
    plt.bar(animal_names, probs)
    plt.ylim(0, 1)
    plt.title(f"T = {temperature:.2f}: entropy {entropy:.2f} nats (max {np.log(len(probs)):.2f})")
    plt.show()


temperature_explorer = widgets.interact(
    show_temperature,
    temperature=widgets.FloatLogSlider(1.0, base=10, min=-1.5, max=1.5, step=0.05),
)

# %% [markdown]
# ### Exercise 5: `logsumexp` (2 points)
#
# The logarithm of a softmax's denominator, $\log \sum_j e^{z_j}$, comes up everywhere: in the
# log of a softmax, $\log \operatorname{softmax}(z)_k = z_k - \log\sum_j e^{z_j}$; in the
# normaliser of Bayes' rule when we work with log-probabilities; in the cross-entropy computed
# straight from scores. The same shift keeps it finite:
#
# $$\log \sum_j e^{z_j} = m + \log \sum_j e^{z_j - m}, \qquad m = \max_j z_j.$$
#
# **Worked example.** $z = (1000, 1000)$: naively $\log(\infty + \infty) = \infty$; with the shift,
# $1000 + \log(e^0 + e^0) = 1000 + \log 2 \approx 1000.693$.
#
# Reduce along `axis` (an int, `-1` by default) and return the result **without** the reduced
# axis, like `np.sum(z, axis=axis)` would: a `(N, K)` input with `axis=1` gives shape `(N,)`.
# Keep the maximum with `keepdims=True` while you subtract it, then add it back, squeezed.


# %% nbgrader={"grade": false, "grade_id": "logsumexp", "locked": false, "schema_version": 3, "solution": true}
def logsumexp(z, axis=-1):
    """Numerically stable log(sum(exp(z))) along one axis.

    z: array of any shape; axis: int, the axis to reduce.
    Returns an array with that axis removed (a float for a 1-D z).
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return np.squeeze(out, axis=axis)
    ### END SOLUTION


# %% tags=["spec"]
def _lse_naive(z, axis=-1):
    z = np.asarray(z, dtype=float)
    return np.log(np.sum(np.exp(z), axis=axis))


def _lse_no_add_back(z, axis=-1):
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    return np.log(np.sum(np.exp(z - m), axis=axis))


def _lse_squeeze_all(z, axis=-1):
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True)))


def _lse_keepdims(z, axis=-1):
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    return m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


exercise(
    "logsumexp",
    public=[
        case(np.array([1000.0, 1000.0]), note="the worked example, default axis: 1000 + log 2"),
        case(np.log(np.array([[1.0, 1.0], [1.0, 3.0], [2.0, 2.0]])), 1, note="log 2, log 4, log 4"),
        case(np.array([[1000.0, 1000.0], [-1000.0, -1000.0]]), 1, note="huge and tiny scores"),
        case(np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]), 0, note="down the columns, axis=0"),
        case(np.array([[2.0, 0.0, -2.0]]), 1, note="a batch of one: the result has shape (1,)"),
    ],
    hidden=lambda rng: [
        case(rng.normal(size=6), 0, note="a 1-D vector"),
        case(rng.normal(size=(1, 5)), 1, note="a batch of one"),
        case(rng.normal(size=(3, 4, 5)), 1, note="the middle axis of a 3-D array"),
        case(rng.normal(size=(4, 3)) * 500 + 800, -1, note="large scores, axis=-1"),
        case(rng.normal(size=(2, 5)) - 1e4, 1, note="very negative scores"),
        case(rng.normal(size=(5, 2)), 0, note="axis=0 of a tall array"),
        case(rng.normal(size=(3, 4)), note="no axis given: the default, the last axis"),
        case(rng.normal(size=(2, 3, 4)) * 100, note="rank 3, the default axis"),
    ],
    mistakes=[
        mistake(
            "no max shift",
            _lse_naive,
            "exp overflows to inf for large scores (and underflows to log(0) = -inf for very "
            "negative ones). Subtract m = max along the axis, then add it back: "
            "m + log(sum(exp(z - m))).",
        ),
        mistake(
            "forgot to add the max back",
            _lse_no_add_back,
            "log(sum(exp(z - m))) is log-sum-exp minus m: add m back to the result.",
        ),
        mistake(
            "kept the reduced axis",
            _lse_keepdims,
            "the result should drop the reduced axis, like np.sum(z, axis=axis): squeeze m and "
            "the sum (np.squeeze(..., axis=axis)), or use keepdims=False for the sum.",
        ),
        mistake(
            "squeezed every axis of length 1",
            _lse_squeeze_all,
            "np.squeeze(out) without an axis also removes axes that were already of length 1, "
            "such as a batch of one: squeeze only the reduced axis, np.squeeze(out, axis=axis).",
        ),
    ],
    rtol=1e-9,
    atol=1e-9,
)

# %% nbgrader={"grade": true, "grade_id": "logsumexp-tests", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""logsumexp: stable log(sum(exp(z))) along an axis, the axis removed."""
check("logsumexp", logsumexp)
### BEGIN HIDDEN TESTS
from autograder.checking.hidden import check_hidden

check_hidden("03_probability", "logsumexp", logsumexp)
### END HIDDEN TESTS

# %% [markdown]
# Two identities tie the module together. From scores $z$ and labels $y$, the cross-entropy of
# the softmax is $-\frac1N\sum_i \big(z_{i, y_i} - \operatorname{logsumexp}(z_i)\big)$, computed
# without ever forming a probability that could round to 0; and the log-softmax is
# $z - \operatorname{logsumexp}(z)$. Your functions agree where both are finite, and only the
# second form survives scores in the thousands:

# %%
needs("cross_entropy", "softmax", "logsumexp")
scores = np.random.default_rng(5).normal(size=(6, 4)) * 3
labels = np.array([0, 3, 1, 1, 2, 0])
from_probs = cross_entropy(softmax(scores), labels)
from_scores = -np.mean(scores[np.arange(6), labels] - logsumexp(scores, axis=1))
print(f"cross-entropy from probabilities {from_probs:.10f}, from scores {from_scores:.10f}")

huge = scores * 1000
print("from probabilities:", cross_entropy(softmax(huge), labels))
print("from scores:       ", -np.mean(huge[np.arange(6), labels] - logsumexp(huge, axis=1)))

# %% [markdown]
# ## 7. Your functions at work: a digit classifier from probability alone
#
# Every idea of this module fits in one classifier, **Gaussian naive Bayes**:
#
# 1. *Maximum likelihood:* for each digit class $c$, fit a Gaussian to each of the 64 pixels of
#    the training images of that class, with your `gaussian_mle`.
# 2. *Bayes' rule:* the log-posterior of class $c$ for an image $x$ is, up to a constant,
#    $\log P(c) + \sum_{d} \log \mathcal N(x_d;\ \mu_{c,d}, \sigma^2_{c,d})$ ("naive": the pixels are
#    treated as independent given the class).
# 3. *Softmax:* normalising those scores is a softmax, and the log-posteriors are the scores minus
#    their `logsumexp`.
# 4. *Cross-entropy* measures how good the probabilities are.
#
# Pixels that are always blank in a class have variance 0; we add a small constant to every
# variance so that no density is infinite. The scores are sums of 64 log-densities, in the
# hundreds below zero. As plain probabilities they would sit at the edge of what a float64 can
# hold; a few more pixels and they would underflow to 0. In logs, with `softmax` and `logsumexp`
# doing the normalising, nothing is ever out of range.

# %%
needs("gaussian_mle", "cross_entropy", "softmax", "logsumexp")
digits = load_digits()
X_train, X_test, y_train, y_test = train_test_split(
    digits.data, digits.target, test_size=0.3, random_state=0, stratify=digits.target
)
fits = [gaussian_mle(X_train[y_train == c]) for c in range(10)]  # one (mu, sigma2) per class
class_means = np.array([mu for mu, _ in fits])  # (10, 64)
class_vars = np.array([sigma2 for _, sigma2 in fits]) + 1.0  # smoothing: no zero variances
log_priors = np.log(np.bincount(y_train, minlength=10) / len(y_train))

# log N(x; mu, var) summed over pixels, for every test image and class: (N, 10)
diff2 = (X_test[:, None, :] - class_means[None]) ** 2
log_lik = -0.5 * np.sum(np.log(2 * np.pi * class_vars)[None] + diff2 / class_vars[None], axis=2)
nb_scores = log_lik + log_priors
print(
    f"log-scores from {nb_scores.min():.0f} to {nb_scores.max():.0f}: as plain numbers, "
    f"10^{nb_scores.min() / np.log(10):.0f} to 10^{nb_scores.max() / np.log(10):.0f}, near the "
    f"smallest positive float64, 10^{np.log10(np.finfo(float).tiny):.0f}"
)

posteriors = softmax(nb_scores)
log_posteriors = nb_scores - logsumexp(nb_scores, axis=1)[:, None]
accuracy = np.mean(np.argmax(posteriors, axis=1) == y_test)
true_log_post = log_posteriors[np.arange(len(y_test)), y_test]
print(f"test accuracy {accuracy:.3f}, test cross-entropy {cross_entropy(posteriors, y_test):.3f}")
print(
    f"from the log-posteriors, unclipped: {-np.mean(true_log_post):.3f}; "
    f"{np.sum(true_log_post < np.log(1e-12))} test images give their true class less than 1e-12"
)

# %% [markdown]
# The two cross-entropies differ because of the clip of exercise 3: a few images get a true-class
# probability far below $10^{-12}$ (naive Bayes is famously overconfident: it counts 64 correlated
# pixels as 64 independent pieces of evidence), and the clip caps each of their penalties at 27.6.
# Computed from log-probabilities, as deep-learning libraries do, the loss needs no clip at all.
#
# What did the classifier learn? Each class mean is the "average digit" of that class, and its
# maximum-likelihood fit; the bars show the posterior of one test image.

# %%
needs("gaussian_mle", "cross_entropy", "softmax", "logsumexp")
fig, axes = plt.subplots(1, 11, figsize=(13, 1.8), gridspec_kw={"width_ratios": [1] * 10 + [3]})
for c in range(10):
    axes[c].imshow(class_means[c].reshape(8, 8), cmap="gray_r")
    axes[c].set_title(f"mean of {c}", fontsize=8)
    axes[c].axis("off")
axes[10].bar(range(10), posteriors[0])
axes[10].set_xticks(range(10))
axes[10].set_title(f"posterior of test image 0 (a {y_test[0]})", fontsize=8)
plt.show()

# %% [markdown]
# **Next:** module 04 puts these ideas to work in the simplest model of all, a straight line
# fitted by gradient descent; module 05 adds the sigmoid (the two-class softmax) and the
# cross-entropy of this module to get logistic regression.
