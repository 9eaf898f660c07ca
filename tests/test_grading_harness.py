"""Every module: the reference earns every point, the untouched release none, and each catalogued
mistake loses exactly the points of its exercise (and of those it declares it breaks)."""

from autograder import course, harness


def test_round_trip_scores(module):
    tests = course.test_cells(course.read(module))
    total = {t.exercise: float(t.points) for t in tests}
    ref_ns, declared = harness.reference_namespace(module)
    assert set(declared) == set(total)

    assert harness.score(ref_ns, tests) == total, "the reference must earn full marks"

    blank = harness.score(harness.blank_namespace(module), tests)
    assert blank == dict.fromkeys(total, 0.0), "the untouched learner notebook must earn zero"

    for variant in harness.variants(declared)[2:]:
        earned = harness.score(harness.mistake_namespace(module, variant), tests)
        lost = {name for name in total if earned[name] < total[name]}
        assert lost == harness.expected_loss(declared, tests, variant), variant.name
