"""Module 11 (ML strategy): ``train_dev_test_split`` is also asked how many examples sit in two sets
at once, so that a leak is reported as such before any array is compared.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.drivers import unpack


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
