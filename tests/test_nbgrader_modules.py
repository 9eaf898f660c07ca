"""Every module through stock nbgrader (generate_assignment, autograde, generate_feedback): two
submissions that between them get every exercise wrong, a catalogued mistake in every other
exercise and the reference elsewhere. Each loses exactly the points of its wrong exercises, so
every exercise earns full marks with the reference in one and zero with a mistake in the other;
the feedback names the mistakes and shows no hidden test. (The untouched release scoring zero
under nbgrader is tests/test_learner_notebooks.py; module 00's full round trip, with every
mistake and ``nbgrader export``, is tests/test_nbgrader_roundtrip.py.)

One course folder holds every module, and each nbgrader command runs once for all of them (an
assignment id of ``*``), as an instructor grading a term's work would: nbgrader's start-up and
database set-up are paid once instead of once per module. Every other module goes to one class,
the rest to another, each graded on one worker (``xdist_group``), so the two run side by side."""

import shutil

import nbformat
import pytest

from autograder.authoring import course
from autograder.grading import grade, harness
from autograder.grading.nbgrader_plugins import NOT_RUN, is_released_demo

pytestmark = pytest.mark.slow  # xdist_group: by halves of the modules, see conftest.py


def grade_class(root, modules):
    """Every module's two interleaved submissions, graded and given feedback by stock nbgrader."""
    shutil.copy(course.ROOT / "nbgrader_config.py", root)
    (root / "build" / "grading").mkdir(parents=True)
    variants = {}
    for module in modules:
        shutil.copy(course.GRADING / f"{module}.json", root / "build" / "grading")
        shutil.copytree(course.SOURCE / module, root / "build" / "source" / module)
        _, declared = harness.reference_namespace(module)
        variants[module] = harness.interleaved(declared)
        for variant in variants[module]:
            harness.submit(root, module, variant)
    for command in ("generate_assignment", "autograde", "generate_feedback"):
        done = grade.nbgrader(command, "*", "--force", root=root)
        assert done.returncode == 0, f"nbgrader {command}: {grade.log_errors(done.stderr)}"
    return root, variants


@pytest.fixture(scope="session")
def stock_class(tmp_path_factory, modules):
    """The class of one half of the modules (every other one), graded once per worker."""
    graded, failed = {}, {}

    def of(module):
        half = harness.stock_half(modules, module)
        if half in failed:  # graded once: its other modules report the same failure, not a regrade
            pytest.fail(f"the class of this half failed for {failed[half][0]}: {failed[half][1]}")
        if half not in graded:
            mine = [m for m in modules if harness.stock_half(modules, m) == half]
            try:
                graded[half] = grade_class(tmp_path_factory.mktemp(f"stock-class-{half}"), mine)
            except BaseException as error:
                failed[half] = (
                    module,
                    str(error).splitlines()[0][:300] if str(error) else repr(error),
                )
                raise
        return graded[half]

    return of


def test_stock_nbgrader_scores_each_exercise_on_its_own(module, stock_class):
    root, variants = stock_class(module)
    tests = course.test_cells(course.read(module))
    points = {t.grade_id: float(t.points) for t in tests}
    grade_id = {t.exercise: t.grade_id for t in tests}
    rows = {row["student"]: row for row in grade.scores(root, module)}
    full_somewhere = set()
    for variant in variants[module]:
        row = rows[variant.name]
        wrong = {grade_id[name] for name in variant.replacements}
        lost = {gid for gid in points if float(row[gid]) < points[gid]}
        assert lost == wrong, (variant.name, row)
        assert all(float(row[g]) == 0.0 for g in wrong), row
        full_somewhere |= set(points) - lost
    assert full_somewhere == set(points), "some exercise never earned its points"

    # autograde ran the solutions and the tests, and left the released demonstrations out
    graded = root / "autograded" / variants[module][0].name / module / f"{module}.ipynb"
    release = nbformat.read(course.CURRICULUM / module / f"{module}.ipynb", as_version=4)
    demos = sum(is_released_demo(c) for c in release.cells)
    cells = nbformat.read(graded, as_version=4).cells
    outputs = ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in cells]
    assert demos and outputs.count(NOT_RUN) == demos, (module, demos, outputs.count(NOT_RUN))

    for variant in variants[module]:
        page = root / "feedback" / variant.name / module / f"{module}.html"
        text = page.read_text()
        assert "check_hidden" not in text and "HIDDEN TESTS" not in text, page
        for mistake in variant.replacements.values():
            assert f"Known mistake: {mistake.name}" in text.replace("&#39;", "'"), mistake.name
