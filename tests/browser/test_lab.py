"""JupyterLab from the course's own environment, in Chromium, in its two views.

``make lab`` (the learner's): the workspace filled from curriculum/, no instructor tools (no
Nbgrader menu, formgrader, course or assignment list, Create Assignment sidebar), and a learner's
first visit: widgets that respond, figures, the course's friendly stub messages, a check that
passes once the exercise is written, nbgrader's Validate verdict and the progress table; the work
then survives a new release. ``make lab-instructor``: the repository's root with nbgrader's menu,
formgrader and the Create Assignment sidebar."""

import json
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from lab_session import MODULE, LabPage, jupyter_lab, keep_evidence, learner_walkthrough

from autograder.authoring import course
from autograder.checking import workspace

pytestmark = pytest.mark.browser

BIN = Path(sys.executable).parent
NOTEBOOK = f"{MODULE}/{MODULE}.ipynb"


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def page_config(page) -> dict:
    return json.loads(page.locator("#jupyter-config-data").text_content())


def test_learner_visit_dev_env(tmp_path, browser_page, artifacts, one_hot_source):
    """As ``make lab`` runs it: the workspace, with the learner's settings on JUPYTER_CONFIG_PATH
    for this server only (the environment's own settings stay the instructor's)."""
    from playwright.sync_api import expect

    lp = LabPage(browser_page, artifacts)
    page = browser_page
    curriculum = tmp_path / "curriculum"
    shutil.copytree(course.CURRICULUM, curriculum)  # a clone's
    ws = tmp_path / "workspace"
    assert workspace.sync(curriculum, ws).added == course.modules()
    config = workspace.learner_config(tmp_path / "learner-config")
    try:
        with jupyter_lab(ws, BIN, tmp_path / "jupyter", news=True, config_path=config) as lab:
            lp.lap("server up")
            lp.open_notebook(lab.url, NOTEBOOK)
            menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            assert "Run" in menus and "Nbgrader" not in menus, menus
            tabs = page.locator(".lm-TabBar-tab")
            assert tabs.count() > 2
            expect(
                page.locator('.lm-TabBar-tab[data-id="nbgrader-create_assignemnt"]')
            ).to_have_count(0)
            expect(page.get_by_text("Create Assignment")).to_have_count(0)
            toolbar = page.locator(".jp-NotebookPanel-toolbar").first
            expect(toolbar.get_by_text("Validate", exact=True)).to_be_visible()
            config_data = page_config(page)
            for plugin in workspace.INSTRUCTOR_PLUGINS:
                assert plugin in config_data["disabledExtensions"], plugin
                assert plugin in config_data.get("lockedExtensions", []), plugin
            for path in ("formgrader", "assignments", "courses"):
                assert status(f"{lab.url}/{path}") == 404, path
            assert status(f"{lab.url}/nbgrader_version?version=0.9.6") == 200, "Validate's side"
            lp.shot("learner-view")
            learner_walkthrough(lp, lab.url, NOTEBOOK, one_hot_source)

            # a demo cell after unfinished exercises: one line, no traceback, no empty axes
            demo = lp.code_cell("distances = pairwise_sq_dists(")
            lp.run_cell(demo)
            assert lp.outputs(demo).strip() == (
                "This cell needs normalize_rows and pairwise_sq_dists: finish those exercises "
                "and run their cells first."
            )
            expect(demo.locator("img")).to_have_count(0)
            lp.shot("needs-message", demo)
    finally:
        lp.lap("total")
        keep_evidence(lp, tmp_path / "jupyter")

    # the work Validate saved survives a pull that changes the module's release
    mine = ws / NOTEBOOK
    saved = mine.read_bytes()
    assert one_hot_source.splitlines()[-1].strip() in saved.decode()
    nb = nbformat.read(curriculum / NOTEBOOK, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("A new release."))
    nbformat.write(nb, curriculum / NOTEBOOK)
    done = workspace.sync(curriculum, ws)
    assert mine.read_bytes() == saved
    assert f"{MODULE} has a new release since you started it" in done.notices[0]
    assert workspace.new_release_path(ws, MODULE).exists()


def test_instructor_view(tmp_path, browser_page, artifacts):
    """As ``make lab-instructor`` runs it: a course root (nbgrader_config.py and a release; a
    copy, since opening a notebook leaves checkpoints beside it), nbgrader's tools all there."""
    from playwright.sync_api import expect

    lp = LabPage(browser_page, artifacts)
    page = browser_page
    root = tmp_path / "course"
    shutil.copytree(course.CURRICULUM / MODULE, root / "curriculum" / MODULE)
    shutil.copy(course.ROOT / "nbgrader_config.py", root)
    try:
        with jupyter_lab(root, BIN, tmp_path / "jupyter", cwd=root) as lab:
            page.goto(f"{lab.url}/lab/tree/curriculum/{NOTEBOOK}?reset")
            page.locator(".jp-NotebookPanel").first.wait_for(timeout=180_000)
            lp.menu("Nbgrader", "Formgrader")
            expect(page.locator(".lm-TabBar-tab", has_text="Formgrader")).to_have_count(
                1, timeout=60_000
            )
            page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
            items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
            page.keyboard.press("Escape")
            assert {"Formgrader", "Create assignment", "Assignment List", "Course List"} <= set(
                items
            ), items
            sidebar = page.locator('.lm-TabBar-tab[data-id="nbgrader-create_assignemnt"]')
            expect(sidebar).to_have_count(1)
            assert "Create Assignment" in sidebar.get_attribute("title")
            config_data = page_config(page)
            for plugin in workspace.INSTRUCTOR_PLUGINS:
                assert plugin not in config_data.get("disabledExtensions", []), plugin
            assert status(f"{lab.url}/formgrader") == 200
            lp.shot("instructor-view")
    finally:
        keep_evidence(lp, tmp_path / "jupyter")
