"""Every module: the reference earns every point, the untouched release none, and each catalogued
mistake loses exactly the points of its exercise and no other."""

import pytest

from autograder.authoring import course
from autograder.checking import checks, hidden
from autograder.grading import harness


def test_round_trip_scores(module):
    tests = course.test_cells(course.read(module))
    total = {t.exercise: float(t.points) for t in tests}
    ref_ns, declared = harness.reference_namespace(module)
    assert set(declared) == set(total)

    assert harness.score(ref_ns, tests) == total, "the reference must earn full marks"

    blank = harness.score(harness.blank_namespace(module), tests)
    assert blank == dict.fromkeys(total, 0.0), "the untouched learner notebook must earn zero"

    # each catalogued mistake alone, then two submissions with a mistake in every other exercise
    for variant in harness.variants(declared)[2:] + harness.interleaved(declared):
        earned = harness.score(harness.mistake_namespace(module, variant), tests)
        lost = {name for name in total if earned[name] < total[name]}
        assert lost == harness.expected_loss(declared, tests, variant), variant.name


def _broken(name):
    def broken(*args, **kwargs):
        raise RuntimeError(f"{name} is broken on purpose")

    broken.__name__ = name
    return broken


def test_an_exercise_is_judged_without_the_ones_it_calls(module):
    """The reference of every exercise that calls earlier ones passes its public and hidden checks
    when those earlier functions all raise: their answers come from the record (or, for
    topological_order, from the nodes' creation order), and numerical gradient checks through
    them are advisory."""
    ns, declared = harness.reference_namespace(module)
    callers = {name: ex for name, ex in declared.items() if ex.uses}
    if not callers:
        pytest.skip(f"no exercise of {module} calls another")
    for name, ex in callers.items():
        # a class the exercise builds on (a Tensor for a loss op) is the learner's own, as is
        fns = (ns[name], *(ns[u] if isinstance(ns[u], type) else _broken(u) for u in ex.uses))
        for data in (
            checks.module_data(module),
            checks.module_data(module, str(hidden.grading_dir())),
        ):
            exercise = data["exercises"][name]
            outcome = checks.evaluate(exercise, fns, exercise["cases"], catch=True)
            assert outcome.failure is None, (name, outcome.failure and outcome.failure.lines())
        # and the same cases with the real functions still pass (the stand-ins changed nothing)
        real = tuple(ns[n] for n in (name, *ex.uses))
        assert checks.evaluate(exercise, real, exercise["cases"]).failure is None
