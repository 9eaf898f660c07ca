"""Stock ``nbgrader autograde`` leaves out the demonstrations a student left as released, as the
confined grader does, and runs everything else (nbgrader_config.py, GradingExecute)."""

import nbformat
import pytest

from autograder.authoring import course
from autograder.grading.nbgrader_plugins import NOT_RUN, GradingExecute, is_released_demo


def _demo(source: str, marked: str | None = None):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["course"] = {"demo": course.demo_digest(marked or source)}
    return cell


def test_released_demonstrations_are_left_out_and_every_other_cell_runs():
    setup = nbformat.v4.new_code_cell("x = 1")
    setup.metadata["nbgrader"] = {"grade_id": "setup", "locked": True, "solution": False}
    nb = nbformat.v4.new_notebook(
        cells=[
            setup,
            _demo("raise RuntimeError('a released demonstration ran')"),
            _demo("print('edited', x + 1)", marked="print('as released')"),
            nbformat.v4.new_code_cell("print('added', x)"),
            _demo("print('trailing spaces only')   \n\n", marked="print('trailing spaces only')"),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    GradingExecute(timeout=60).preprocess(nb, {})
    texts = ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells]
    assert texts[1] == NOT_RUN and not any(o.output_type == "error" for o in nb.cells[1].outputs)
    assert texts[2] == "edited 2\n"
    assert texts[3] == "added 1\n"
    assert texts[4] == NOT_RUN


@pytest.mark.parametrize("where", ["source", "release"])
def test_the_build_marks_demonstrations_only(where):
    """Demonstration cells carry the digest of their source into nbgrader's source notebook and
    the release; setup, helper, solution and test cells never do."""
    module = "05_logistic_regression"
    base = course.SOURCE if where == "source" else course.CURRICULUM
    nb = nbformat.read(base / module / f"{module}.ipynb", as_version=4)
    demos = [c for c in nb.cells if is_released_demo(c)]
    assert len(demos) >= 5
    for cell in nb.cells:
        marked = cell.get("metadata", {}).get("course", {}).get("demo")
        if cell.get("metadata", {}).get("nbgrader") or "lib" in cell.metadata.get("tags", []):
            assert not marked, cell.source[:60]
