"""Module 09 (regularisation): what a plain call cannot show.

- ``dropout_forward`` returns ``(out, cache)``; the exercise states the cache, ``(mode, mask)``,
  and its check compares both.
- ``dropout_backward`` is checked through the learner's own ``dropout_forward``, as in a notebook:
  the backward pass must reuse the mask that the forward pass drew and stored in its cache.
"""

from __future__ import annotations

from autograder.checking.drivers import shows_call, unpack, with_values


def dropout_output(fns, args, kwargs):
    """Call ``dropout_forward(x, p, mode, rng)`` and return its ``out`` and its cache, which the
    exercise states: ``(mode, mask)``, the mask as applied (1/p included), None in test mode."""
    result = fns[0](*args, **kwargs)
    out, cache = unpack(result, 2, "dropout_forward", "two values, (out, cache)")
    return out, cache


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dout, cache), with cache = dropout_forward(x, p, mode, rng)[1]",
        ["x", "p", "mode", "rng", "dout"],
        args,
    )
)
def dropout_backward_after_forward(fns, args, kwargs):
    """Case arguments ``(x, p, mode, rng, dout)``: run the learner's ``dropout_forward(x, p, mode,
    rng)``, then return ``dropout_backward(dout, cache)`` on the cache it gave."""
    backward, forward = fns
    x, p, mode, rng, dout = args
    _, cache = unpack(forward(x, p, mode, rng), 2, "dropout_forward", "two values, (out, cache)")
    return backward(dout, cache)
