"""A learner's first visit, in JupyterLab from the course's own environment and in Chromium:
widgets that respond, figures, the course's friendly stub messages, a check that passes once the
exercise is written, nbgrader's Validate verdict and the progress table."""

import shutil
import sys
from pathlib import Path

import pytest
from lab_session import MODULE, LabPage, jupyter_lab, keep_evidence, learner_walkthrough

from autograder import course

pytestmark = pytest.mark.browser


def test_learner_visit_dev_env(tmp_path, browser_page, artifacts, one_hot_source):
    lp = LabPage(browser_page, artifacts)
    root = tmp_path / "curriculum"
    shutil.copytree(course.CURRICULUM, root)  # Validate saves the notebook: work on a copy
    bin_dir = Path(sys.executable).parent
    try:
        with jupyter_lab(root, bin_dir, tmp_path / "jupyter") as lab:
            lp.lap("server up")
            learner_walkthrough(lp, lab.url, f"{MODULE}/{MODULE}.ipynb", one_hot_source)
    finally:
        lp.lap("total")
        keep_evidence(lp, tmp_path / "jupyter")
