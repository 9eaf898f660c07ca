"""Drivers of module 01 (linear algebra): rules a result cannot show, and arbitrary signs.

``loops_only`` refuses a matrix product computed by NumPy's own (the exercise is to write the
loops); ``pca_fixed_signs`` puts principal directions in one sign convention before comparing,
because an eigenvector or a singular vector is only defined up to its sign.
"""

from __future__ import annotations

import dis
import types

import numpy as np

BUILTIN_PRODUCTS = ("dot", "matmul", "einsum", "tensordot", "inner", "vdot", "multi_dot")


class UsesBuiltinProduct(ValueError):
    """The graded function multiplies matrices with NumPy instead of with its own loops."""


def builtin_products(code: types.CodeType) -> set[str]:
    """The built-in matrix products a code object (and the functions nested in it) uses."""
    found = {name for name in code.co_names if name in BUILTIN_PRODUCTS}
    for ins in dis.get_instructions(code):
        if ins.opname == "BINARY_MATRIX_MULTIPLY" or (
            ins.opname == "BINARY_OP" and ins.argrepr in ("@", "@=")
        ):
            found.add("@")
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= builtin_products(const)
    return found


def loops_only(fns, args, kwargs):
    """Call the graded function, after making sure it does not use @, np.dot, np.matmul..."""
    code = getattr(fns[0], "__code__", None)
    if code is not None and builtin_products(code):
        # one message whatever the function's name, so that the check can recognise it
        raise UsesBuiltinProduct(
            "this function uses a built-in matrix product (@, np.dot, np.matmul, np.einsum, "
            "np.inner...): the exercise is to write the loops yourself"
        )
    return fns[0](*args, **kwargs)


def fix_signs(directions: np.ndarray, axis: int) -> np.ndarray:
    """+1 or -1 per direction (a row if axis=1, a column if axis=0): the sign that makes the
    direction's largest-magnitude entry positive."""
    largest = np.take_along_axis(
        directions, np.expand_dims(np.argmax(np.abs(directions), axis=axis), axis), axis
    )
    signs = np.sign(np.squeeze(largest, axis=axis))
    return np.where(signs == 0, 1.0, signs)


def pca_fixed_signs(fns, args, kwargs):
    """Call ``pca`` and flip each principal direction (and the column of Z that goes with it) so
    that the direction's largest-magnitude entry is positive.

    Outputs of an unexpected type or shape are returned untouched, for the comparison to report.
    """
    out = fns[0](*args, **kwargs)
    if not isinstance(out, tuple | list) or len(out) != 3:
        return out
    Z, components, ratio = out
    if not (isinstance(Z, np.ndarray) and isinstance(components, np.ndarray)):
        return out
    if Z.ndim != 2 or components.ndim != 2 or Z.dtype.kind != "f" or components.dtype.kind != "f":
        return out
    k = Z.shape[1]
    if components.shape[0] == k:  # one direction per row, as asked
        signs = fix_signs(components, axis=1)
        return Z * signs, components * signs[:, None], ratio
    if components.shape[1] == k:  # one direction per column: keep it so, fix its signs
        signs = fix_signs(components, axis=0)
        return Z * signs, components * signs, ratio
    return out
