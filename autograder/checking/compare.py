"""Compare what a function returned with what was expected, and say how they differ.

``compare`` returns None when the two agree, or a ``Mismatch`` whose lines tell a learner what was
expected and what came back: shape, dtype, the first differing element with both values, the
largest relative error, and the shape of the error when it has a recognisable one (a transpose, a
sign flip, a constant factor, NaNs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.checking.serialize import Raised, Seeded


@dataclass
class Mismatch:
    where: str
    summary: str
    details: list[str] = field(default_factory=list)
    diagnosis: str | None = None
    notes: list[str] = field(default_factory=list)  # advisory verdicts: shown, never values

    def lines(self, reveal_values: bool = True) -> list[str]:
        head = f"{self.where}: {self.summary}" if self.where else self.summary
        out = [head]
        if reveal_values:
            out += [f"  {d}" for d in self.details]
        if self.diagnosis:
            out.append(f"  Pattern: {self.diagnosis}")
        out += [f"  {n}" for n in self.notes]
        return out


def short(value: Any, max_size: int = 24) -> str:
    """A readable rendering of a value: arrays in full when small, else their shape and dtype."""
    if isinstance(value, np.ndarray):
        if value.size <= max_size:
            text = np.array2string(value, precision=6, separator=", ", suppress_small=False)
            return text.replace("\n", " ")
        return f"array of shape {value.shape}, dtype {value.dtype}"
    if isinstance(value, float | np.floating):
        return f"{float(value):.8g}"
    if isinstance(value, np.generic):
        return repr(value.item())
    if isinstance(value, dict):
        inner = ", ".join(f"{k!r}: {short(v, max_size=6)}" for k, v in value.items())
        return "{" + (inner if len(inner) <= 160 else inner[:157] + "...") + "}"
    if isinstance(value, Raised):
        return f"raised {value.type_name}"
    if isinstance(value, Seeded):
        return f"np.random.default_rng({value.seed})"
    if callable(value):
        return getattr(value, "__name__", repr(value))
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}, dtype {value.dtype}"
    if isinstance(value, Raised):
        return f"an exception ({value.type_name})"
    return f"{type(value).__name__}"


def _as_array(value: Any) -> np.ndarray | None:
    try:
        arr = np.asarray(value)
    except Exception:
        return None
    if arr.dtype == object:
        return None
    return arr


def _numeric(arr: np.ndarray) -> bool:
    return arr.dtype.kind in "biufc"


def _close(got: np.ndarray, exp: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    return np.isclose(got, exp, rtol=rtol, atol=atol, equal_nan=True)


def rel_error(got: np.ndarray, exp: np.ndarray) -> float:
    got = np.asarray(got, dtype=float)
    exp = np.asarray(exp, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        num = np.abs(got - exp)
        den = np.maximum(np.abs(got) + np.abs(exp), 1e-12)
        err = num / den
    if np.isnan(err).any():
        return float("nan")
    return float(err.max()) if err.size else 0.0


def input_quantities(args) -> dict[str, float]:
    """Numbers of a case's inputs a wrong result is often off by: sizes and squared norms."""
    out: dict[str, float] = {}
    arrays = [a for a in args or () if isinstance(a, np.ndarray) and a.dtype.kind in "biuf"]
    for k, a in enumerate(arrays):
        which = "the input" if len(arrays) == 1 else f"input {k + 1} (shape {a.shape})"
        if a.ndim >= 1 and a.shape[0] > 1:
            out.setdefault(f"N = {a.shape[0]}, the number of rows of {which}", a.shape[0])
        if a.ndim >= 2 and a.shape[1] > 1:
            out.setdefault(f"D = {a.shape[1]}, the number of columns of {which}", a.shape[1])
        if a.ndim >= 2 and a.size > 1:
            out.setdefault(f"N*D = {a.size}, the number of elements of {which}", a.size)
        if a.ndim == 1 and a.size > 1:
            out.setdefault(f"{a.size}, the length of {which}", a.size)
        with np.errstate(all="ignore"):  # stderr output costs a test cell its points in nbgrader
            sq = float(np.sum(np.asarray(a, dtype=float) ** 2))
        if np.isfinite(sq) and sq > 0 and not np.isclose(sq, 1.0):
            out.setdefault(f"{sq:.6g}, the squared norm (sum of squares) of {which}", sq)
            out.setdefault(f"{np.sqrt(sq):.6g}, the norm of {which}", float(np.sqrt(sq)))
    return out


SIMPLE = (2.0, 3.0, 4.0, 10.0, 100.0)


def constant_factor(got, exp, mask, rtol, atol, batch, quantities) -> str | None:
    """ "Your result is the expected one times c" when every element agrees on c up to round-off,
    with c named when it is N, 1/N, a size or a squared norm of the inputs."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = got[mask].astype(float) / exp[mask].astype(float)
    if not np.isfinite(ratios).all():
        return None
    ratio = float(np.median(ratios))
    if not np.isfinite(ratio) or ratio == 0 or np.isclose(ratio, 1.0, rtol=1e-3):
        return None
    loose = max(rtol, 1e-4)
    if not (
        np.allclose(ratios, ratio, rtol=loose, atol=0)
        and np.allclose(got, exp * ratio, rtol=loose, atol=max(atol, 1e-8))
    ):
        return None
    named = {**({f"N = {batch}, the batch size": batch} if batch and batch > 1 else {})}
    named.update(quantities or {})
    for label, q in named.items():
        for value, text in ((q, label), (1 / q, f"1/({label})")):
            if np.isclose(ratio, value, rtol=loose):
                if label.startswith("N = ") and "batch size" in label:
                    what = (
                        f"a missing division by N = {batch}?"
                        if value == q
                        else f"divided by the batch size N = {batch} once too often?"
                    )
                    short_text = "N (the batch size)" if value == q else "1/N"
                    return (
                        f"your result is the expected one times a constant factor {ratio:.6g} "
                        f"= {short_text}: {what}"
                    )
                return (
                    f"your result is the expected one times a constant factor {ratio:.6g} = "
                    f"{text}: a division or multiplication by it too many or too few?"
                )
    # one number divided by another is always "a constant factor": name it only when several
    # elements agree on it, or when it is one a learner would recognise
    simple = [f"{v:g}" for v in SIMPLE if np.isclose(abs(ratio), v, rtol=loose)]
    simple += [f"1/{v:g}" for v in SIMPLE if np.isclose(abs(ratio), 1 / v, rtol=loose)]
    if int(mask.sum()) < 2 and not simple:
        return None
    text = f"your result is the expected one times a constant factor {ratio:.6g}"
    if simple and not np.isclose(abs(ratio), float(eval_simple(simple[0])), rtol=1e-9):
        text += f" (about {'-' if ratio < 0 else ''}{simple[0]}, up to round-off)"
    elif not np.allclose(ratios, ratio, rtol=1e-9, atol=0):
        text += " (up to round-off)"
    return text


def eval_simple(text: str) -> float:
    return 1 / float(text[2:]) if text.startswith("1/") else float(text)


def largest_difference(got: np.ndarray, exp: np.ndarray, rtol: float, atol: float) -> list[str]:
    """Where the answer is furthest off, in plain numbers: the difference, both values, and what a
    relative error is relative to."""
    if not (_numeric(got) and _numeric(exp)) or got.shape != exp.shape or not got.size:
        return []
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(got.astype(complex if got.dtype.kind == "c" else float) - exp)
    if np.isnan(diff).any():  # the NaN is the story (see diagnose), not a number's size
        return []
    at = tuple(int(i) for i in np.unravel_index(np.nanargmax(diff), diff.shape))
    shown = list(at) if got.ndim else []
    return [
        f"largest difference {float(diff[at]):.3g}, at index {shown}: expected "
        f"{short(exp[at])}, got {short(got[at])}",
        f"largest relative error {rel_error(got, exp):.3g}, that is |got - expected| / "
        f"(|got| + |expected|) (allowed: {atol:g} + {rtol:g} x |expected|)",
    ]


def diagnose(
    got: np.ndarray,
    exp: np.ndarray,
    rtol: float,
    atol: float,
    batch: int | None,
    quantities: dict | None = None,
):
    """Name the shape of an error when it has one a learner can act on."""
    if not (_numeric(got) and _numeric(exp)):
        return None
    if got.dtype == bool or exp.dtype == bool:  # a mask: no sign, factor or NaN to speak of
        return None
    if np.isnan(got).any() and not np.isnan(exp).any():
        return (
            "your result contains NaN where the expected one has none: look for 0/0, log(0), "
            "inf - inf or an overflowing exp"
        )
    if np.isinf(got).any() and not np.isinf(exp).any():
        return "your result contains inf: an exp that overflowed, or a log(0)?"
    if got.shape == exp.shape and got.ndim == 2 and got.shape[0] == got.shape[1]:
        if np.allclose(got, exp.T, rtol=rtol, atol=atol) and not np.allclose(got, exp):
            return "your result is the transpose of the expected one"
    if got.shape == exp.shape and np.allclose(got, -exp, rtol=rtol, atol=atol):
        return "your result is the expected one with its sign flipped"
    if got.shape == exp.shape and exp.size:
        mask = np.abs(exp) > atol
        if mask.any():
            factor = constant_factor(got, exp, mask, rtol, atol, batch, quantities)
            if factor:
                return factor
        close = _close(got, exp, rtol, atol)
        wrong = int((~close).sum())
        if 0 < wrong <= max(1, exp.size // 10) and exp.size >= 10:
            return f"only {wrong} of {exp.size} elements differ: an edge case, not the main formula"
    return None


def advisory_notes(label: str, got: Any, exp: Any) -> list[str]:
    """An advisory verdict (e.g. a numerical gradient check) that disagrees: a line per entry."""
    if isinstance(exp, dict) and isinstance(got, dict):
        parts = [f"  {k}: {got.get(k, 'missing')}" for k in exp if got.get(k) != exp[k]]
        return [f"{label}, against your own forward pass:", *parts]
    return [f"{label}: {short(got)}"]


def compare(*args, **kwargs) -> Mismatch | None:
    """None if ``got`` matches ``exp`` within tolerance, else the first mismatch found (see
    ``_compare``). Floating-point warnings of the comparison itself are silenced: anything a check
    writes to stderr makes nbgrader give its test cell zero."""
    with np.errstate(all="ignore"):
        return _compare(*args, **kwargs)


def _compare(
    got: Any,
    exp: Any,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    where: str = "",
    batch: int | None = None,
    names: tuple[str, ...] | None = None,
    advisory: tuple[str, ...] | None = None,
    quantities: dict | None = None,
) -> Mismatch | None:
    """None if ``got`` matches ``exp`` within tolerance, else the first mismatch found.

    ``advisory`` names outputs (of ``names``) that never decide: a verdict that depends on more
    than the graded function, such as a numerical gradient of the learner's own forward pass. When
    another output is wrong, the advisory ones that disagree are added to the message as notes.
    """
    if isinstance(exp, Raised):
        if isinstance(got, Raised) and got.type_name == exp.type_name:
            return None
        return Mismatch(
            where,
            f"expected it to raise {exp.type_name}, but it returned {describe(got)}",
        )
    if isinstance(got, Raised):
        return Mismatch(where, f"raised {got.type_name}: {got.message}")

    if isinstance(exp, tuple | list):
        if not isinstance(got, tuple | list):
            return Mismatch(
                where,
                f"expected a {type(exp).__name__} of {len(exp)} values, got {describe(got)}",
            )
        if len(got) != len(exp):
            return Mismatch(where, f"expected {len(exp)} values, got {len(got)}")
        first = None
        also = []
        notes = []
        for i, (g, e) in enumerate(zip(got, exp)):
            label = names[i] if names and i < len(names) else f"[{i}]"
            sub = f"{where} {label}".strip() if names else f"{where}{label}"
            found = compare(g, e, rtol, atol, sub, batch, quantities=quantities)
            if found and advisory and label in advisory:
                notes += advisory_notes(sub, g, e)
            elif found and first is None:
                first = found
            elif found:
                # a verdict string (e.g. a numerical gradient check) is worth reading in full
                also.append(f"{sub} ({found.summary})" if isinstance(e, str) else sub)
        if first is not None and also:
            first.details.append(f"also wrong: {', '.join(also)}")
        if first is not None:
            first.notes += notes
        return first

    if isinstance(exp, dict):
        if not isinstance(got, dict):
            return Mismatch(where, f"expected a dict, got {describe(got)}")
        missing = [k for k in exp if k not in got]
        if missing:
            return Mismatch(where, f"missing key(s) {missing}")
        for k in exp:
            found = compare(
                got[k], exp[k], rtol, atol, f"{where}[{k!r}]", batch, quantities=quantities
            )
            if found:
                return found
        return None

    if exp is None or isinstance(exp, str | bool):
        same = (
            got is None
            if exp is None
            else (isinstance(got, str) and got == exp)  # np.str_ is a str
            if isinstance(exp, str)
            else (isinstance(got, bool | np.bool_) and bool(got) == exp)
        )
        if same:
            return None
        return Mismatch(where, f"expected {exp!r}, got {short(got)} ({type(got).__name__})")

    exp_arr = _as_array(exp)
    got_arr = _as_array(got)
    if exp_arr is None:
        return None if got == exp else Mismatch(where, f"expected {short(exp)}, got {short(got)}")
    if got_arr is None or not _numeric(got_arr) and _numeric(exp_arr):
        return Mismatch(where, f"expected {describe(exp)}, got {describe(got)}")

    if isinstance(exp, np.ndarray) and not isinstance(got, np.ndarray | np.generic):
        if not np.isscalar(got):
            return Mismatch(
                where,
                f"expected a NumPy array, got a {type(got).__name__}",
                ["wrap it with np.array(...) or build it with NumPy operations"],
            )

    if got_arr.shape != exp_arr.shape:
        details = [f"expected shape {exp_arr.shape}, got shape {got_arr.shape}"]
        diagnosis = None
        if got_arr.shape == exp_arr.shape[::-1] and got_arr.ndim >= 2:
            if np.allclose(got_arr.T, exp_arr, rtol=rtol, atol=atol):
                diagnosis = "your result is the transpose of the expected one"
            else:
                diagnosis = "the shape is the expected one reversed: a transposed matrix somewhere?"
        elif got_arr.size == exp_arr.size:
            diagnosis = "same number of elements, different shape: a reshape or keepdims issue?"
        elif exp_arr.ndim == got_arr.ndim + 1 or got_arr.ndim == exp_arr.ndim + 1:
            diagnosis = "one axis too many or too few: check keepdims and which axis you reduce"
        return Mismatch(where, "wrong shape", details, diagnosis)

    if exp_arr.dtype.kind in "biu" and got_arr.dtype.kind == "f" and exp_arr.dtype.kind != "b":
        pass  # integers returned as floats are fine when the values agree
    if exp_arr.dtype.kind == "b" and got_arr.dtype.kind != "b":
        if not np.array_equal(got_arr.astype(bool), exp_arr) or not np.isin(got_arr, [0, 1]).all():
            return Mismatch(where, f"expected booleans, got dtype {got_arr.dtype}")

    close = _close(got_arr, exp_arr, rtol, atol)
    if close.all():
        return None
    if exp_arr.ndim == 0 and got_arr.ndim == 0:
        return Mismatch(
            where,
            f"expected {short(exp_arr[()])}, got {short(got_arr[()])}",
            [
                f"off by {abs(float(got_arr) - float(exp_arr)):.3g}, that is "
                f"{rel_error(got_arr, exp_arr):.3g} of |expected| + |got| "
                f"(allowed: {atol:g} + {rtol:g} x |expected|)"
            ]
            if _numeric(got_arr) and _numeric(exp_arr)
            else [],
            diagnose(got_arr.reshape(1), exp_arr.reshape(1), rtol, atol, batch, quantities),
        )
    index = tuple(int(i) for i in np.argwhere(~close)[0]) if got_arr.ndim else ()
    g, e = got_arr[index], exp_arr[index]
    details = [
        f"expected {describe(exp_arr)}, got {describe(got_arr)}",
        f"first difference at index {list(index)}: expected {short(e)}, got {short(g)}",
        *largest_difference(got_arr, exp_arr, rtol, atol),
    ]
    if exp_arr.size <= 24:
        details.insert(1, f"expected {short(exp_arr)}")
        details.insert(2, f"got      {short(got_arr)}")
    return Mismatch(
        where,
        f"{int((~close).sum())} of {close.size} values differ",
        details,
        diagnose(got_arr, exp_arr, rtol, atol, batch, quantities),
    )
