"""What a learner sees in JupyterLab when a check fails: the message, and none of the checker's
frames; and Validate's dialog, whose first lines under the failing cell are that message."""

import re
import shutil
import sys
from pathlib import Path

import pytest
from lab_session import CELL_RUN, MODULE, VALIDATE, LabPage, jupyter_lab, keep_evidence

from autograder.authoring import course

pytestmark = pytest.mark.browser

# a beginner's normalize_rows: forgot the square root of the norm
WRONG = (
    "import numpy as np\n\n\ndef normalize_rows(X):\n"
    "    return X / np.maximum(np.sum(X**2, axis=1, keepdims=True), 1e-12)\n"
)
CHECKER_FRAMES = re.compile(r"checks\.py|drivers\.py|raise error from None|Traceback")


def test_a_failed_check_shows_its_message_and_no_checker_frames(tmp_path, browser_page, artifacts):
    from playwright.sync_api import expect

    lp = LabPage(browser_page, artifacts)
    root = tmp_path / "curriculum"
    shutil.copytree(course.CURRICULUM / MODULE, root / MODULE)  # Validate saves: work on a copy
    bin_dir = Path(sys.executable).parent
    try:
        with jupyter_lab(root, bin_dir, tmp_path / "jupyter") as lab:
            lp.open_notebook(lab.url, f"{MODULE}/{MODULE}.ipynb")
            lp.run_cell(lp.code_cell("load_checks("))
            exercise = lp.code_cell("def normalize_rows(")
            checked = lp.code_cell('check("normalize_rows"')
            lp.replace_source(exercise, WRONG)
            lp.run_cell(exercise)
            lp.run_cell(checked)
            output = checked.locator(".jp-OutputArea")
            expect(output).to_contain_text("gives a wrong answer", timeout=CELL_RUN)
            text = lp.outputs(checked)
            lines = [line for line in text.splitlines() if line.strip()]
            assert lines[0].startswith("CheckFailed: normalize_rows gives a wrong answer"), text
            assert "Call: normalize_rows(" in text
            assert not CHECKER_FRAMES.search(text), text
            # the message is what the learner sees first, without scrolling the output
            first = output.get_by_text(re.compile("^CheckFailed")).first
            expect(first).to_be_in_viewport()
            lp.shot("wrong-answer-message", checked)

            toolbar = lp.page.locator(".jp-NotebookPanel-toolbar").first
            toolbar.get_by_text("Validate", exact=True).click()
            dialog = lp.page.locator(".jp-Dialog")
            expect(dialog.locator(".jp-Dialog-header")).to_have_text(
                "Validation Results", timeout=VALIDATE
            )
            verdict = dialog.locator("#validation-message")
            expect(verdict).to_have_class(re.compile("validation-failed"))
            message = verdict.get_by_text(
                re.compile("CheckFailed: normalize_rows gives a wrong answer")
            ).first
            expect(message).to_be_visible()
            expect(message).to_be_in_viewport()  # not below the fold of the dialog
            dialog_text = verdict.inner_text()
            assert not CHECKER_FRAMES.search(dialog_text), dialog_text
            lp.shot("validate-message")
            dialog.get_by_role("button", name="Ok").click()
    finally:
        keep_evidence(lp, tmp_path / "jupyter")
