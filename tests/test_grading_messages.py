"""What the confined grader says about an exercise, in the words a learner can act on: an error
in a solution cell named on that exercise with Python's own message and line, an exercise that
raised said to have raised, a time-out with its usual causes, and an input changed in place."""

import nbformat
import pytest

from autograder.authoring import course
from autograder.grading import grade, harness
from autograder.grading.sandbox import confine

pytestmark = pytest.mark.slow


def graded(tmp_path, module: str, edit) -> dict:
    """One submission of ``module``: the reference with ``edit(cells by grade_id)`` applied."""
    harness.course_folder(tmp_path, module, stock=False)
    path = harness.submit(tmp_path, module, harness.Variant("reference"), student="learner")
    nb = nbformat.read(path, as_version=4)
    cells = {course.nbgrader_meta(c).get("grade_id"): c for c in nb.cells if course.kind(c)}
    edit(cells)
    nbformat.write(nb, path)
    limits = confine.Limits(wall_seconds=60, cell_seconds=20, call_seconds=1.0)
    (detail,) = grade.grade_class(module, tmp_path, limits, jobs=1)
    return detail


def by_name(detail: dict) -> dict:
    return {v["exercise"]: v for v in detail["exercises"]}


def test_a_syntax_error_is_reported_on_its_exercise_with_pythons_message_and_line(tmp_path):
    def typo(cells):
        cells["one-hot"].source = cells["one-hot"].source.replace("return", "retrun", 1)

    detail = graded(tmp_path, "00_orientation", typo)
    verdict = by_name(detail)["one_hot"]
    assert not verdict["passed"]
    first = verdict["message"].splitlines()[0]
    assert first.startswith("one_hot could not be checked on public case 1"), verdict["message"]
    assert "its cell raised SyntaxError: invalid syntax (line " in first, first
    assert "retrun" in first, "the line itself is quoted"
    assert "gives a wrong answer" not in verdict["message"]
    assert any("SyntaxError: invalid syntax (line" in c for c in detail["cells"]), detail["cells"]
    assert by_name(detail)["normalize_rows"]["passed"], "the other exercises are unaffected"


def test_an_exercise_that_raises_or_loops_says_so(tmp_path):
    def broken(cells):
        cells["normalize-rows"].source = "def normalize_rows(X):\n    return X[10]\n"
        cells["one-hot"].source = "def one_hot(labels, k):\n    while True:\n        pass\n"

    found = by_name(graded(tmp_path, "00_orientation", broken))
    raised = found["normalize_rows"]["message"].splitlines()
    assert raised[0].startswith("normalize_rows raised IndexError on public case 1"), raised
    assert "index 10 is out of bounds" in "\n".join(raised)
    slow = found["one_hot"]["message"]
    assert slow.startswith("one_hot did not finish in time on public case 1"), slow
    assert "a loop that never ends" in slow and "Python loop over every element" in slow


def test_an_update_that_changes_params_in_place_loses_its_points(tmp_path):
    def in_place(cells):
        gid = next(g for g, c in cells.items() if g and "def update(" in c.source)
        cells[gid].source = (
            "def update(params, grads, lr):\n"
            "    for name in params:\n"
            "        params[name] -= lr * grads['d' + name]\n"
            "    return params\n"
        )

    found = by_name(graded(tmp_path, "06_shallow_network", in_place))
    assert not found["update"]["passed"] and found["update"]["points"] == 0
    message = found["update"]["message"]
    assert message.startswith("update changed its argument params in place: "), message
    assert found["update"]["mistake"] == "changed params in place"
    assert all(v["passed"] for n, v in found.items() if n != "update")
