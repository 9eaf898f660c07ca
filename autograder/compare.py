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

from .serialize import Raised, Seeded


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


def diagnose(got: np.ndarray, exp: np.ndarray, rtol: float, atol: float, batch: int | None):
    """Name the shape of an error when it has one a learner can act on."""
    if not (_numeric(got) and _numeric(exp)):
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
            ratios = got[mask].astype(float) / exp[mask].astype(float)
            ratio = float(np.median(ratios))
            # one number divided by another is always "a constant factor": name it only when
            # several elements agree on it, or when it is one a learner would recognise
            telling = int(mask.sum()) >= 2 or any(
                np.isclose(ratio, r) for r in (2.0, 0.5, batch or 2.0, 1 / (batch or 2.0))
            )
            if (
                telling
                and np.isfinite(ratio)
                and ratio != 0
                and np.allclose(ratios, ratio, rtol=1e-6)
                and np.allclose(got, exp * ratio, rtol=rtol, atol=atol)
                and not np.isclose(ratio, 1.0)
            ):
                text = f"your result is the expected one times a constant factor {ratio:.6g}"
                if batch and batch > 1:
                    if np.isclose(ratio, batch):
                        text += f" = N (the batch size): a missing division by N = {batch}?"
                    elif np.isclose(ratio, 1 / batch):
                        text += f" = 1/N: divided by the batch size N = {batch} once too often?"
                return text
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


def compare(
    got: Any,
    exp: Any,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    where: str = "",
    batch: int | None = None,
    names: tuple[str, ...] | None = None,
    advisory: tuple[str, ...] | None = None,
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
            found = compare(g, e, rtol, atol, sub, batch)
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
            found = compare(got[k], exp[k], rtol, atol, f"{where}[{k!r}]", batch)
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
            [f"relative error {rel_error(got_arr, exp_arr):.3g} (rtol={rtol:g}, atol={atol:g})"],
            diagnose(got_arr.reshape(1), exp_arr.reshape(1), rtol, atol, batch),
        )
    index = tuple(int(i) for i in np.argwhere(~close)[0]) if got_arr.ndim else ()
    g, e = got_arr[index], exp_arr[index]
    details = [
        f"expected {describe(exp_arr)}, got {describe(got_arr)}",
        f"first difference at index {list(index)}: expected {short(e)}, got {short(g)}",
        f"largest relative error {rel_error(got_arr, exp_arr):.3g} "
        f"(tolerance rtol={rtol:g}, atol={atol:g})",
    ]
    if exp_arr.size <= 24:
        details.insert(1, f"expected {short(exp_arr)}")
        details.insert(2, f"got      {short(got_arr)}")
    return Mismatch(
        where,
        f"{int((~close).sum())} of {close.size} values differ",
        details,
        diagnose(got_arr, exp_arr, rtol, atol, batch),
    )
