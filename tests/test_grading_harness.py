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

    reference = harness.score(ref_ns, tests)
    assert reference == total, "the reference must earn full marks"

    blank = harness.score(harness.blank_namespace(module), tests)
    assert blank == dict.fromkeys(total, 0.0), "the untouched learner notebook must earn zero"

    # each catalogued mistake alone, then two submissions with a mistake in every other exercise;
    # a test cell that cannot reach a replaced exercise keeps the reference's points unrun
    reach = {t.grade_id: harness.observes(ref_ns, t) for t in tests}
    for variant in harness.variants(declared)[2:] + harness.interleaved(declared):
        ns = harness.mistake_namespace(module, variant)
        earned = harness.score_reached(ns, tests, set(variant.replacements), reference, reach)
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


def test_a_test_cell_observes_what_its_functions_reach():
    source = (
        "def helper(x):\n    return first(x) + 1\n"
        "def first(x):\n    return x\n"
        "def second(x):\n    return helper(x)\n"
        "def unrelated(x):\n    return x\n"
        "class Net:\n    def loss(self, x):\n        return first(x)\n"
        "net = Net()\n"
    )
    ns = course.exec_cells([("lib", source)], "demo")
    cell = course.TestCell("second", "second-tests", 1.0, "check('second', second)")
    assert {"second", "helper", "first"} <= harness.observes(ns, cell)
    assert "unrelated" not in harness.observes(ns, cell)
    # an object of the notebook's own class leads to what its methods call
    held = course.TestCell("net", "net-tests", 1.0, "assert net.loss(2) == 2")
    assert "first" in harness.observes(ns, held)
    assert "unrelated" not in harness.observes(ns, held)


def test_running_only_the_reached_cells_scores_as_running_them_all():
    """On a module whose exercises call each other, every variant scores the same whether the
    cells a mistake cannot reach run again or keep the reference's points."""
    module = "07_deep_network"
    tests = course.test_cells(course.read(module))
    ref_ns, declared = harness.reference_namespace(module)
    reference = harness.score(ref_ns, tests)
    reach = {t.grade_id: harness.observes(ref_ns, t) for t in tests}
    skipped = 0
    for variant in harness.variants(declared)[2:] + harness.interleaved(declared):
        ns = harness.mistake_namespace(module, variant)
        replaced = set(variant.replacements)
        assert harness.score_reached(ns, tests, replaced, reference, reach) == harness.score(
            ns, tests
        ), variant.name
        skipped += sum(not (reach[t.grade_id] & replaced) for t in tests)
    assert skipped > 0  # the shortcut left some cells out
