"""Every module through stock nbgrader (generate_assignment, autograde, generate_feedback): two
submissions that between them get every exercise wrong, a catalogued mistake in every other
exercise and the reference elsewhere. Each loses exactly the points of its wrong exercises, so
every exercise earns full marks with the reference in one and zero with a mistake in the other;
the feedback names the mistakes and shows no hidden test. (The untouched release scoring zero
under nbgrader is tests/test_learner_notebooks.py; module 00's full round trip, with every
mistake and ``nbgrader export``, is tests/test_nbgrader_roundtrip.py.)"""

import csv

import pytest

from autograder import course, grade, harness

pytestmark = pytest.mark.slow


def test_stock_nbgrader_scores_each_exercise_on_its_own(module, tmp_path):
    root = tmp_path
    harness.course_folder(root, module)
    _, declared = harness.reference_namespace(module)
    variants = harness.interleaved(declared)
    for variant in variants:
        harness.submit(root, module, variant)
    csv_path = grade.grade_stock(module, root=root, rebuild=False)

    tests = course.test_cells(course.read(module))
    points = {t.grade_id: float(t.points) for t in tests}
    grade_id = {t.exercise: t.grade_id for t in tests}
    with csv_path.open() as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    full_somewhere = set()
    for variant in variants:
        row = rows[variant.name]
        wrong = {grade_id[name] for name in variant.replacements}
        lost = {gid for gid in points if float(row[gid]) < points[gid]}
        assert lost == wrong, (variant.name, row)
        assert all(float(row[g]) == 0.0 for g in wrong), row
        full_somewhere |= set(points) - lost
    assert full_somewhere == set(points), "some exercise never earned its points"

    done = grade.nbgrader("generate_feedback", module, "--force", root=root)
    assert done.returncode == 0, done.stderr
    for variant in variants:
        page = root / "feedback" / variant.name / module / f"{module}.html"
        text = page.read_text()
        assert "check_hidden" not in text and "HIDDEN TESTS" not in text, page
        for mistake in variant.replacements.values():
            assert f"Known mistake: {mistake.name}" in text.replace("&#39;", "'"), mistake.name
