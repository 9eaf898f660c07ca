"""Module 10 (optimisation): update rules run over several steps, batch normalisation, and the loss
surfaces the checks descend.

An optimiser's state (a velocity, a running average of squared gradients, Adam's moments and step
count) only shows over several steps: a first step of momentum is plain SGD, and a bias correction
stored back into the moments only hurts from the second step on. ``update_steps`` therefore calls
the learner's update rule again and again on the config it returned, as a training loop does, and
reports every step's weights and the final config.

``batchnorm_run`` reports the running averages a forward pass leaves in ``bn_param`` next to its
output, and can follow a training-mode call with a test-mode call on another batch, which is where
those averages are used. ``batchnorm_gradients`` compares the learner's backward pass with the
numerical gradient of the learner's own forward pass, and says which of dx, dgamma, dbeta
disagrees, at which element. The gradients handed to the update rules are those of functions whose
minimum is known; none is a course exercise.
"""

from __future__ import annotations

import copy

import numpy as np

from autograder.checking.drivers import advisory, describe, shows_call, with_values
from autograder.checking.numerics import gradient_verdict, numerical_gradient_array


def _pair(result, who: str, what: str):
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise TypeError(f"{who} should return a pair {what}; it returned {describe(result)}")
    return result


def _plain(value):
    """A copy of a config entry as check data: arrays and numbers as they are, else its type."""
    if isinstance(value, np.ndarray):
        return np.array(value, dtype=float, copy=True)
    if isinstance(value, bool | int | float | str | np.generic) or value is None:
        return value.item() if isinstance(value, np.generic) else value
    try:
        return np.array(value, dtype=float)
    except (TypeError, ValueError):
        return f"a {type(value).__name__}"


def _steps_call(name, args, kwargs):
    w, gradient, config, steps = args
    if callable(gradient):
        dw = f"dw = {getattr(gradient, '__name__', 'gradient')}(w)"
    else:
        dw = "dw = gradients[i] at step i"
    return with_values(
        f"w, config = {name}(w, dw, config), {steps} times in a row ({dw}), each time on the "
        "config it returned",
        ["w", "gradients" if not callable(gradient) else "gradient", "config"],
        args[:3],
    )


@shows_call(_steps_call)
def update_steps(fns, args, kwargs):
    """Run an update rule ``steps`` times in a row, each time on the config it returned last.

    args: (w, gradient, config, steps). gradient is either a function of w (a loss surface from
    ``autograder.modules.optimization``) or an array of shape (steps, *w.shape) holding the
    gradient of each step.
    Returns (weights, config): weights of shape (steps, *w.shape), row i the weights after step
    i + 1, and the config after the last step (a dict of its entries).
    """
    update = fns[0]
    w, gradient, config, steps = args
    name = getattr(update, "__name__", "the update rule")
    history = []
    for step in range(steps):
        dw = gradient(np.array(w, copy=True)) if callable(gradient) else gradient[step].copy()
        next_w, config = _pair(update(w, dw, config), name, "(next_w, config)")
        if not isinstance(config, dict):
            raise TypeError(f"{name} should return its config dict second, not {describe(config)}")
        w = np.asarray(next_w, dtype=float)
        history.append(w.copy())
    state = {key: _plain(value) for key, value in sorted(config.items())}
    return np.array(history), state


def _running(bn_param: dict, key: str):
    value = bn_param.get(key)
    return None if value is None else _plain(value)


def _batchnorm_call(name, args, kwargs):
    call = f"out, cache = {name}(x, gamma, beta, bn_param)"
    if len(args) > 4:
        call += (
            "; then bn_param['mode'] = 'test' and "
            f"out_next, _ = {name}(x_next, gamma, beta, bn_param)"
        )
    return with_values(call, ["x", "gamma", "beta", "bn_param", "x_next"], args)


@shows_call(_batchnorm_call)
def batchnorm_run(fns, args, kwargs):
    """One call of ``batchnorm_forward``, then optionally a test-mode call on another batch.

    args: (x, gamma, beta, bn_param) or (x, gamma, beta, bn_param, x_next). bn_param is the one
    dict the layer keeps between calls: the running averages it holds after the first call are
    reported, then it is switched to mode "test" for the call on x_next.
    Returns (out, running_mean, running_var, out_next), out_next None without x_next.
    """
    forward = fns[0]
    x, gamma, beta, bn_param, *rest = args
    out, _ = _pair(forward(x, gamma, beta, bn_param), "batchnorm_forward", "(out, cache)")
    out = np.array(out, dtype=float, copy=True)
    running_mean = _running(bn_param, "running_mean")
    running_var = _running(bn_param, "running_var")
    out_next = None
    if rest:
        bn_param["mode"] = "test"
        result = forward(rest[0], gamma.copy(), beta.copy(), bn_param)
        out_next, _ = _pair(result, "batchnorm_forward", "(out, cache)")
        out_next = np.array(out_next, dtype=float, copy=True)
    return out, running_mean, running_var, out_next


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = batchnorm_forward(x, gamma, beta, bn_param)[1]",
        ["x", "gamma", "beta", "bn_param", "dout"],
        args,
    )
)
def batchnorm_gradients(fns, args, kwargs):
    """``batchnorm_backward`` on the cache of the learner's training-mode ``batchnorm_forward``.

    args: (x, gamma, beta, bn_param, dout). Returns dx, dgamma, dbeta and, for each, whether it
    agrees with the numerical gradient (centred differences) of the learner's own forward pass.
    """
    backward, forward = fns
    x, gamma, beta, bn_param, dout = args

    def out_of(x_, gamma_, beta_):
        result = forward(x_.copy(), gamma_.copy(), beta_.copy(), copy.deepcopy(bn_param))
        return np.asarray(_pair(result, "batchnorm_forward", "(out, cache)")[0], dtype=float)

    _, cache = _pair(
        forward(x.copy(), gamma.copy(), beta.copy(), copy.deepcopy(bn_param)),
        "batchnorm_forward",
        "(out, cache)",
    )
    grads = backward(dout.copy(), cache)
    if not isinstance(grads, tuple | list) or len(grads) != 3:
        raise TypeError(
            f"batchnorm_backward should return (dx, dgamma, dbeta); it returned {describe(grads)}"
        )
    dx, dgamma, dbeta = grads
    mine = {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}

    def verdicts_now():
        numerical = {
            "dx": numerical_gradient_array(lambda z: out_of(z, gamma, beta), x.copy(), dout),
            "dgamma": numerical_gradient_array(lambda z: out_of(x, z, beta), gamma.copy(), dout),
            "dbeta": numerical_gradient_array(lambda z: out_of(x, gamma, z), beta.copy(), dout),
        }
        return {key: gradient_verdict(mine[key], numerical[key]) for key in mine}

    verdicts = advisory(verdicts_now, mine)
    return dx, dgamma, dbeta, verdicts


def ravine_grad(w):
    """Gradient of f(w) = sum_k c_k * w_k**2 / 2, with curvatures c = 1, 25, 1, 25, ...

    w: any shape (flattened order gives the curvatures). Minimum at 0; an ill-conditioned ravine,
    steep across and flat along, the surface where momentum and adaptive steps earn their keep.
    """
    w = np.asarray(w, dtype=float)
    curvature = np.where(np.arange(w.size) % 2 == 0, 1.0, 25.0).reshape(w.shape)
    return curvature * w


def shifted_bowl_grad(w):
    """Gradient of f(w) = sum((w - 1)**2): any shape, minimum 1 everywhere."""
    return 2.0 * (np.asarray(w, dtype=float) - 1.0)


def tilted_plane_grad(w):
    """Gradient of f(w) = sum_k (k + 1) * w_k over the flattened elements: constant, so every step
    sees the same gradient and the optimiser's state alone decides how the steps change."""
    w = np.asarray(w, dtype=float)
    return np.arange(1.0, w.size + 1.0).reshape(w.shape)
