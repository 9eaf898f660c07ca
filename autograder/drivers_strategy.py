"""Drivers of modules 09 (regularisation) and 11 (ML strategy): what a plain call cannot show.

- ``dropout_forward`` returns ``(out, cache)``; what goes in the cache is the learner's business, so
  its check compares ``out`` only, once it has made sure that two values came back.
- ``dropout_backward`` is checked through the learner's own ``dropout_forward``, as in a notebook:
  the backward pass must reuse the mask that the forward pass drew and stored in its cache.
- ``train_dev_test_split`` is also asked how many examples sit in two sets at once, so that a leak
  is reported as such before any array is compared.
"""

from __future__ import annotations

import numpy as np

from .drivers import shows_call, unpack, with_values


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


def _row_keys(A) -> set[bytes]:
    arr = np.ascontiguousarray(np.asarray(A))
    if arr.ndim == 0:
        return set()
    return {row.tobytes() for row in arr}


def split_and_count_shared(fns, args, kwargs):
    """Call ``train_dev_test_split`` and return (examples found in two sets, its six arrays).

    The check's inputs have distinct rows, so any row that appears in two of the three sets is an
    example that leaked from one set into another.
    """
    result = fns[0](*args, **kwargs)
    parts = unpack(
        result,
        6,
        "train_dev_test_split",
        "six values, (X_train, y_train, X_dev, y_dev, X_test, y_test)",
    )
    train, dev, test = (_row_keys(parts[i]) for i in (0, 2, 4))
    shared = len(train & dev) + len(train & test) + len(dev & test)
    return (shared, *parts)
