"""A failed check, as a learner sees it in a notebook and in nbgrader's Validate: the message
first, and no frame of the checker; when the learner's own code raised, their frames are shown."""

import html
import json
import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.validator import Validator
from traitlets.config import Config

from autograder.authoring import course

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TAGS = re.compile(r"<[^>]+>")
CHECKER_FILES = ("checks.py", "drivers.py", "replay.py", "hidden.py", "compare.py")


def run_cells(*sources: str, tmp_path) -> list:
    """The error outputs of running ``sources`` as cells of one notebook in an IPython kernel."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True)
    client.resources = {"metadata": {"path": str(tmp_path)}}
    client.execute()
    return [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]


# a beginner's normalize_rows: forgot the square root of the norm
WRONG = (
    "import numpy as np\n\n\ndef normalize_rows(X):\n"
    "    return X / np.maximum(np.sum(X**2, axis=1, keepdims=True), 1e-12)\n"
)
SETUP = "from autograder import load_checks\ncheck = load_checks('00_orientation')"


def plain(error) -> list[str]:
    return [ANSI.sub("", line) for text in error.traceback for line in text.split("\n")]


def test_a_wrong_answer_shows_its_message_first_and_no_checker_frame(tmp_path):
    (error,) = run_cells(SETUP, WRONG, "check('normalize_rows', normalize_rows)", tmp_path=tmp_path)
    lines = plain(error)
    assert lines[0].startswith("CheckFailed: normalize_rows gives a wrong answer on public case")
    assert any(line.startswith("Call: normalize_rows(") for line in lines)
    assert not [line for line in lines if any(f in line for f in CHECKER_FILES)], lines
    assert not [line for line in lines if "Traceback" in line or "raise error" in line], lines


def test_a_stub_says_what_to_do_in_one_line(tmp_path):
    stub = "from autograder import todo\ndef normalize_rows(X):\n    raise todo()"
    (error,) = run_cells(SETUP, stub, "check('normalize_rows', normalize_rows)", tmp_path=tmp_path)
    lines = [line for line in plain(error) if line.strip()]
    assert lines == [
        "NotImplementedYet: normalize_rows is not written yet: replace `raise todo()` in its cell "
        "with your code, run that cell, then run the check below it."
    ]


def test_an_error_in_the_learners_code_shows_the_case_then_their_frames(tmp_path):
    broken = "def normalize_rows(X):\n    rows = X[10]\n    return rows"
    (error,) = run_cells(
        SETUP, broken, "check('normalize_rows', normalize_rows)", tmp_path=tmp_path
    )
    lines = plain(error)
    assert error.ename == "IndexError"  # the learner's own exception, not the checker's
    assert lines[0].startswith("IndexError: normalize_rows raised IndexError on public case 1 of")
    assert "index 10 is out of bounds" in lines[0]
    assert any(line.startswith("Call: normalize_rows(") for line in lines)
    assert any("rows = X[10]" in line for line in lines), lines  # their line, shown
    assert any("Cell In[" in line and "normalize_rows" in line for line in lines), lines
    assert not [line for line in lines if any(f in line for f in CHECKER_FILES)], lines


@pytest.mark.slow
def test_validate_shows_the_message_first(tmp_path):
    """nbgrader's Validator (the Validate button) on a notebook with one wrong answer."""
    module = "00_orientation"
    path = tmp_path / f"{module}.ipynb"
    shutil.copy(course.CURRICULUM / module / f"{module}.ipynb", path)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "normalize-rows":
            cell.source = WRONG
    nbformat.write(nb, path)
    config = Config()
    config.Execute.timeout = 300
    results = Validator(config=config).validate(str(path))
    failed = [f for f in results["failed"] if "normalize_rows" in f["source"]]
    assert failed, json.dumps(results)[:2000]
    # Validate turns the traceback's colours into HTML for its dialog
    error = html.unescape(TAGS.sub("", ANSI.sub("", failed[0]["error"]))).strip().splitlines()
    assert error[0].startswith("CheckFailed: normalize_rows gives a wrong answer"), error
    assert not [line for line in error if any(f in line for f in CHECKER_FILES)], error
