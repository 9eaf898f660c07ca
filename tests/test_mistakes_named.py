"""Each catalogued mistake, handed to its public check, is recognised and named with its hint."""

import numpy as np
import pytest

from autograder import Checker, CheckFailed
from autograder.authoring import course
from autograder.checking.checks import judge, match_mistake, mistake_lines
from autograder.checking.serialize import Raised
from autograder.grading import harness


def test_public_checks_name_every_mistake(module):
    ns, declared = harness.reference_namespace(module)
    checker = Checker(module)
    for name, ex in declared.items():
        uses = tuple(ns[u] for u in ex.uses)
        checker(name, ns[name], *uses)  # the reference passes its own check
        for m in ex.mistakes:
            with pytest.raises(CheckFailed) as failure:
                checker(name, m.fn, *uses)
            message = str(failure.value)
            assert f"Known mistake: {m.name}." in message, (name, m.name, message)
            assert m.hint in message


def test_mistakes_as_a_submission_writes_them_are_the_catalogued_ones(module):
    """The code a test submission carries for a mistake (``harness.mistake_source``: the spec
    cell's definition and the spec helpers it uses) runs without the spec cells, which never
    reach a notebook, and is still recognised as that mistake."""
    _, declared = harness.reference_namespace(module)
    nb = course.read(module)
    base = course.exec_cells(course.library_sources(nb), module, kinds=("lib", "solution"))
    checker = Checker(module)
    for name, ex in declared.items():
        uses = tuple(base[u] for u in ex.uses)
        for m in ex.mistakes:
            scope = dict(base)
            exec(compile(harness.mistake_source(module, m.fn), "<submission>", "exec"), scope)
            with pytest.raises(CheckFailed) as failure:
                checker(name, scope[m.fn.__name__], *uses)
            assert f"Known mistake: {m.name}." in str(failure.value), (name, m.name)


# ------------------------------------------------------------------------------------------------
# Learners rarely write a catalogued mistake exactly: they make it, and also return a float where
# the reference returns an array, handle an edge case their own way, or compute in another order.
# Each catalogued mistake's public outputs, perturbed in those ways, must still get it named.


def _scalars(value, to_float: bool):
    """A float for every 0-d / one-element array (``to_float``), or the other way round."""
    if isinstance(value, tuple | list):
        return type(value)(_scalars(v, to_float) for v in value)
    if isinstance(value, dict):
        return {k: _scalars(v, to_float) for k, v in value.items()}
    if to_float and isinstance(value, np.ndarray | np.floating) and np.size(value) == 1:
        if np.asarray(value).dtype.kind == "f":
            return float(np.asarray(value).reshape(()))
    if not to_float and isinstance(value, float):
        return np.array(value)
    return value


def _noisy(value, rng):
    """Round-off of another order of operations: 1e-7 relative noise on every float."""
    if isinstance(value, tuple | list):
        return type(value)(_noisy(v, rng) for v in value)
    if isinstance(value, dict):
        return {k: _noisy(v, rng) for k, v in value.items()}
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value * (1 + 1e-7 * rng.standard_normal(value.shape))
    if isinstance(value, float):
        return value * (1 + 1e-7 * rng.standard_normal())
    return value


def _edge(value):
    """The same output with its first float changed: an edge case handled differently."""
    if isinstance(value, tuple | list):
        out, done = [], False
        for v in value:
            w = v if done else _edge(v)
            done = done or w is not v
            out.append(w)
        return type(value)(out) if done else value
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size:
        out = value.copy()
        out.flat[0] = out.flat[0] + 1.0 + abs(out.flat[0])
        return out
    if isinstance(value, float):
        return value + 1.0 + abs(value)
    return value


def _perturbed(ex, name, kind, rng):
    """The outputs of the public cases of a learner who made mistake ``name``, perturbed."""
    outputs = [c["mistakes"][name] for c in ex["cases"]]
    if kind == "float or array":
        return [_scalars(o, to_float=True) for o in outputs], [
            _scalars(o, to_float=False) for o in outputs
        ]
    if kind == "round-off":
        return ([_noisy(o, rng) for o in outputs],)
    # an extra difference on one case: one the mistake gets right if there is one (a zero
    # handled differently), else one of the cases it fails when it fails several
    right = [i for i, c in enumerate(ex["cases"]) if judge(ex, outputs[i], c["expected"]) is None]
    wrong = [i for i in range(len(outputs)) if i not in right]
    if right:
        at = right[0]
    elif len(wrong) >= 2:
        at = wrong[-1]
    else:
        return ()
    changed = list(outputs)
    changed[at] = _edge(outputs[at])
    return (changed,) if changed[at] is not outputs[at] else ()


KINDS = ("float or array", "round-off", "an extra edge-case difference")


def test_perturbed_mistakes_are_still_named(module):
    """Every catalogued mistake, perturbed each way a learner perturbs it, is named by the check
    (``match_mistake`` and the failure message), on the public cases its outputs explain."""
    rng = np.random.default_rng(0)
    missed, tried = [], 0
    for name, ex in Checker(module).exercises.items():
        for m in ex["mistakes"]:
            for kind in KINDS:
                for outputs in _perturbed(ex, m["name"], kind, rng):
                    if any(isinstance(o, Raised) for o in outputs):
                        continue
                    failing = [
                        i
                        for i, (o, c) in enumerate(zip(outputs, ex["cases"]))
                        if judge(ex, o, c["expected"]) is not None
                    ]
                    if not failing:
                        continue  # the perturbation undid the mistake: nothing to name
                    tried += 1
                    found = match_mistake(ex, ex["cases"], outputs)
                    if found is None or found["name"] != m["name"]:
                        missed.append((name, m["name"], kind, found and found["name"]))
    assert not missed, f"{len(missed)} of {tried} perturbed mistakes not named: {missed}"


def test_a_mistake_that_explains_some_cases_says_which():
    ex = Checker("00_orientation").exercises["normalize_rows"]
    info = ex["mistakes"][0]
    outputs = [c["mistakes"][info["name"]] for c in ex["cases"]]
    wrong = [i for i, c in enumerate(ex["cases"]) if judge(ex, outputs[i], c["expected"])]
    outputs[wrong[0]] = _edge(outputs[wrong[0]])
    found = match_mistake(ex, ex["cases"], outputs)
    if len(wrong) > 1:
        assert found["name"] == info["name"] and not found["all"]
        text = "\n".join(mistake_lines(found))
        assert "this mistake's on public case" in text, text
