"""A demo cell run before the exercises it uses are written says which to finish, in one line:
no NameError, no traceback, no empty axes."""

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import todo
from autograder.authoring import course
from autograder.checking.unfinished import NeedsExercise, is_stub, message, unfinished

FAST = ["05_logistic_regression"]  # every module: tests/test_learner_notebooks.py (slow)


def namespace(code: str) -> dict:
    ns = {"__name__": "__main__", "todo": todo}
    exec(code, ns)
    return ns


def test_stubs_are_found_through_the_calls_and_classes():
    ns = namespace(
        "def layer(x):\n    raise todo()\n\n"
        "def net(x):\n    return layer(x) + 1\n\n"
        "class Model:\n    def loss(self, x):\n        return net(x)\n\n"
        "def done(x):\n    return x\n"
    )
    assert is_stub(ns["layer"]) and not is_stub(ns["net"])
    assert unfinished(["Model", "done"], ns) == ["layer"]
    assert unfinished(["done", "missing"], ns) == ["missing"]
    assert unfinished(["done"], ns) == []


def test_one_line_and_no_traceback():
    error = NeedsExercise(["train_logistic"])
    assert error._render_traceback_() == [
        "This cell needs train_logistic: finish that exercise and run its cell first."
    ]
    assert message(["predict", "accuracy"]) == (
        "This cell needs predict and accuracy: finish those exercises and run their cells first."
    )


def outputs_of_failed_cells(module, tmp_path):
    nb = nbformat.read(course.CURRICULUM / module / f"{module}.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=300, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    return nb


@pytest.mark.parametrize("name", FAST)
def test_cells_after_a_stub_say_which_exercise_to_finish(name, tmp_path):
    nb = outputs_of_failed_cells(name, tmp_path)
    told = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if course.kind(cell) == "test":
            assert errors and errors[0].ename == "NotImplementedYet"
            continue
        if not errors:
            continue
        (error,) = errors
        assert error.ename == "NeedsExercise", f"{error.ename}: {error.evalue}\n{cell.source}"
        assert len(error.traceback) == 1 and error.traceback[0].startswith("This cell needs ")
        assert error.traceback[0].endswith("run its cell first.") or error.traceback[0].endswith(
            "run their cells first."
        )
        assert not any("image/png" in o.get("data", {}) for o in cell.outputs), "empty axes"
        assert not any(o.output_type == "display_data" for o in cell.outputs), cell.source
        told += 1
    assert told >= 2, "the demo cells after the stubs said nothing"
