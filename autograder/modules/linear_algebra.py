"""Module 01 (linear algebra): rules a result cannot show, and arbitrary signs.

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


def own_helper(obj) -> bool:
    """True for a plain Python function the learner wrote (not one of NumPy's)."""
    return isinstance(obj, types.FunctionType) and not (obj.__module__ or "").startswith("numpy")


def builtin_products(
    code: types.CodeType, namespace: dict | None = None, seen: set | None = None
) -> set[str]:
    """The built-in matrix products a code object (and the functions nested in it) uses.

    A global name such as ``dot`` that refers to a helper the learner wrote (``namespace`` is the
    function's globals) is not NumPy's: the helper's own code is inspected instead.
    """
    namespace = namespace or {}
    seen = set() if seen is None else seen
    found = set()
    instructions = list(dis.get_instructions(code))
    for name in set(code.co_names) & set(BUILTIN_PRODUCTS):
        helper = namespace.get(name)
        loads = [ins.opname for ins in instructions if ins.argval == name]
        if own_helper(helper) and loads and all(op in ("LOAD_GLOBAL", "LOAD_NAME") for op in loads):
            if helper.__code__ not in seen:
                seen.add(helper.__code__)
                found |= builtin_products(helper.__code__, helper.__globals__, seen)
        else:
            found.add(name)
    for ins in instructions:
        if ins.opname == "BINARY_MATRIX_MULTIPLY" or (
            ins.opname == "BINARY_OP" and ins.argrepr in ("@", "@=")
        ):
            found.add("@")
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= builtin_products(const, namespace, seen)
    return found


def loops_only(fns, args, kwargs):
    """Call the graded function, after making sure it does not use @, np.dot, np.matmul..."""
    code = getattr(fns[0], "__code__", None)
    if code is not None and builtin_products(code, getattr(fns[0], "__globals__", None)):
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
