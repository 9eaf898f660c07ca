"""Learner notebooks, run as a learner first meets them: they fail only at their stubs (a demo
cell after a stub says in one line which exercise to finish: ``autograder.needs``), and nbgrader's
Validate says every graded cell fails (its exit code would say nothing)."""

import shutil

import nbformat
import pytest
from nbgrader.validator import Validator
from traitlets.config import Config

from autograder.authoring import course

pytestmark = pytest.mark.slow

STUB_ERROR = "NotImplementedYet"
NEEDS_ERROR = "NeedsExercise"  # autograder.needs in a demo cell


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


class WatchingValidator(Validator):
    """nbgrader's Validator, keeping the notebook it executed so one run serves both tests."""

    def _preprocess(self, nb):
        self.executed = super()._preprocess(nb)
        return self.executed


@pytest.fixture
def validated(module, tmp_path):
    """Validate a copy of the learner notebook, as the toolbar's Validate button does."""
    path = tmp_path / f"{module}.ipynb"
    shutil.copy(course.CURRICULUM / module / f"{module}.ipynb", path)
    config = Config()
    config.Execute.timeout = 300
    validator = WatchingValidator(config=config)
    results = validator.validate(str(path))
    return path, results, validator.executed


def test_learner_notebook_fails_only_at_stubs_and_validate_says_so(validated):
    path, results, nb = validated

    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kind = course.kind(cell)
        errs = errors(cell)
        if kind == "solution":
            assert not errs, f"an exercise cell must define its function without error: {errs}"
        if kind == "test":
            assert errs, f"test cell {course.nbgrader_meta(cell)['grade_id']} passed with a stub"
        for err in errs:
            if err.ename == STUB_ERROR and kind == "test":
                assert "is not written yet" in err.evalue
            elif err.ename == NEEDS_ERROR and kind == "code":
                # a demo cell after a stub: one line naming the exercise, no traceback
                assert len(err.traceback) == 1, err.traceback
                assert err.traceback[0].startswith("This cell needs "), err.traceback
            else:
                raise AssertionError(
                    f"{err.ename}: {err.evalue} in a learner cell:\n{cell.source[:300]}"
                )

    # nbgrader validate exits 0 whatever happens: read its verdict instead
    graded = [c for c in nbformat.read(path, as_version=4).cells if course.kind(c) == "test"]
    assert "changed" not in results and "type_changed" not in results
    failed = {entry["source"] for entry in results.get("failed", [])}
    assert failed == {c.source.strip() for c in graded}
    for entry in results["failed"]:
        assert "not written yet" in entry["raw_error"]
