"""The confined grader (``make grade``) judges each exercise on its own, as the harness does: in
every module, two submissions with a catalogued mistake in every other exercise each lose exactly
the points of their wrong exercises, and where exercises call earlier ones, the first catalogued
mistake of every called exercise loses that exercise's points and no other (every mistake of every
exercise goes through the harness's round trip, tests/test_grading_harness.py)."""

import pytest

from autograder.checking import checks
from autograder.grading import grade, harness

pytestmark = pytest.mark.slow


def test_confined_grading_scores_each_exercise_on_its_own(module, tmp_path):
    exercises = checks.module_data(module)["exercises"]
    called = {u for ex in exercises.values() for u in ex["uses"] if u in exercises}
    root = tmp_path
    harness.course_folder(root, module, stock=False)
    _, declared = harness.reference_namespace(module)
    # the first catalogued mistake of every exercise that others call (the harness runs them all,
    # tests/test_grading_harness.py): each must cost its own exercise and not its callers
    first = {
        name: ex.mistakes[0] for name, ex in declared.items() if name in called and ex.mistakes
    }
    variants = [
        v
        for v in harness.variants(declared)
        if v.name == "reference" or (v.replaced in first and v.mistake is first[v.replaced])
    ]
    variants += harness.interleaved(declared)
    for variant in variants:
        harness.submit(root, module, variant)

    details = {d["student"]: d for d in grade.grade_class(module, root)}
    assert set(details) == {v.name for v in variants}
    for variant in variants:
        detail = details[variant.name]
        lost = {v["exercise"] for v in detail["exercises"] if not v["passed"]}
        want = set(variant.replacements)
        assert lost == want, (variant.name, detail["row"]["reason"], lost)
        assert not detail["row"]["flagged"], detail["row"]["reason"]
