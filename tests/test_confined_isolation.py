"""The confined grader (``make grade``) judges each exercise on its own, as the harness does: in
every module, two submissions with a catalogued mistake in every other exercise each lose exactly
the points of their wrong exercises. Between them every exercise earns its points in one and none
in the other, and an exercise whose callee is wrong in the other submission is judged without it.
Where an exercise and one it calls are wrong in the same submission, a third submission has the
callee's first catalogued mistake alone, which must cost the callee and not its callers. (Every
mistake of every exercise, alone, goes through the harness's round trip in-process,
tests/test_grading_harness.py; these are the submissions that prove the confined runner agrees.)"""

import pytest

from autograder.checking import checks
from autograder.grading import grade, harness

pytestmark = pytest.mark.slow


def test_confined_grading_scores_each_exercise_on_its_own(module, tmp_path):
    exercises = checks.module_data(module)["exercises"]
    root = tmp_path
    harness.course_folder(root, module, stock=False)
    _, declared = harness.reference_namespace(module)
    variants = harness.interleaved(declared)
    side = {name: i for i, v in enumerate(variants) for name in v.replacements}
    # callees wrong in the same submission as a caller: that caller was not judged without them
    alone = {
        used
        for name, ex in exercises.items()
        for used in ex["uses"]
        if used in side and side.get(name) == side[used]
    }
    variants += [
        v
        for v in harness.variants(declared)
        if v.replaced in alone and v.mistake is declared[v.replaced].mistakes[0]
    ]
    for variant in variants:
        harness.submit(root, module, variant)

    details = {d["student"]: d for d in grade.grade_class(module, root)}
    assert set(details) == {v.name for v in variants}
    full_somewhere = set()
    for variant in variants:
        detail = details[variant.name]
        lost = {v["exercise"] for v in detail["exercises"] if not v["passed"]}
        want = set(variant.replacements)
        assert lost == want, (variant.name, detail["row"]["reason"], lost)
        assert not detail["row"]["flagged"], detail["row"]["reason"]
        full_somewhere |= set(exercises) - lost
    assert full_somewhere == set(exercises), "some exercise never earned its points"
