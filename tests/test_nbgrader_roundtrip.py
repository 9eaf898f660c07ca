"""The whole instructor path through stock nbgrader, on module 00: generate_assignment gives the
committed learner notebook, autograde scores the reference, the blank notebook and every
catalogued mistake as they deserve, generate_feedback leaks no hidden test, export writes grades."""

import csv
import filecmp

import pytest

from autograder.authoring import course
from autograder.grading import grade, harness

# one course folder for the whole file: keep its tests on one xdist worker
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader-roundtrip")]
MODULE = "00_orientation"


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """A course folder of its own, with one student per variant, autograded by nbgrader."""
    root = tmp_path_factory.mktemp("course")
    harness.course_folder(root, MODULE)
    _, declared = harness.reference_namespace(MODULE)
    variants = harness.variants(declared)
    for variant in variants:
        harness.submit(root, MODULE, variant)

    csv_path = grade.grade_stock(MODULE, root=root, rebuild=False)
    return root, variants, declared, csv_path


def test_release_matches_committed_curriculum(graded):
    root, *_ = graded
    ours = root / "curriculum" / MODULE / f"{MODULE}.ipynb"
    assert filecmp.cmp(ours, course.CURRICULUM / MODULE / f"{MODULE}.ipynb", shallow=False), (
        "generate_assignment is not deterministic, or curriculum/ is stale"
    )


def test_autograde_scores(graded):
    root, variants, declared, csv_path = graded
    tests = course.test_cells(course.read(MODULE))
    points = {t.grade_id: float(t.points) for t in tests}
    grade_id = {t.exercise: t.grade_id for t in tests}
    with csv_path.open() as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert set(rows) == {v.name for v in variants}
    for variant in variants:
        row = rows[variant.name]
        lost = {gid for gid in points if float(row[gid]) < points[gid]}
        expected = {grade_id[e] for e in harness.expected_loss(declared, tests, variant)}
        assert lost == expected, (variant.name, row)
        assert float(row["score"]) == sum(points.values()) - sum(points[g] for g in expected)
        assert float(row["max_score"]) == sum(points.values())


def test_feedback_and_export(graded):
    root, *_ = graded
    done = grade.nbgrader("generate_feedback", MODULE, "--force", root=root)
    assert done.returncode == 0, done.stderr
    pages = list((root / "feedback").glob(f"*/{MODULE}/{MODULE}.html"))
    assert len(pages) == len(list((root / "submitted").iterdir()))
    for page in pages:
        html = page.read_text()
        assert "check_hidden" not in html and "HIDDEN TESTS" not in html, page
    mistaken = next(p for p in pages if "mistake-normalize_rows-normalised-the-columns" in str(p))
    assert "Known mistake: normalised the columns" in mistaken.read_text()

    done = grade.nbgrader("export", "--to", "reports/gradebook_export.csv", root=root)
    assert done.returncode == 0, done.stderr
    with (root / "reports" / "gradebook_export.csv").open() as f:
        exported = list(csv.DictReader(f))
    assert {r["student_id"] for r in exported} >= {"reference", "blank"}
    by_student = {r["student_id"]: float(r["raw_score"]) for r in exported}
    assert by_student["blank"] == 0.0
    assert by_student["reference"] == float(
        sum(t.points for t in course.test_cells(course.read(MODULE)))
    )


def test_confined_grades_reach_nbgrader_export(graded):
    """make grade's confined grader writes its scores into the gradebook: export reports them."""
    root, variants, *_ = graded
    confined_csv = grade.grade(MODULE, root=root, rebuild=False)
    with confined_csv.open() as f:
        confined = {r["student"]: float(r["score"]) for r in csv.DictReader(f)}
    assert set(confined) == {v.name for v in variants}
    done = grade.nbgrader("export", "--to", "reports/gradebook_export.csv", root=root)
    assert done.returncode == 0, done.stderr
    with (root / "reports" / "gradebook_export.csv").open() as f:
        exported = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    assert exported == confined
    # and nothing waits for a person: autograde's and the confined grader's gradebook agree
    import warnings

    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(grade.db_url(root)) as gb:
            for sub in gb.assignment_submissions(MODULE):
                assert not sub.needs_manual_grade, sub.student_id
