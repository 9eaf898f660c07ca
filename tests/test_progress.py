"""The learner's progress table: computed from saved notebooks, in a process of its own, and never
hung by the learner's code."""

import shutil
import signal

import nbformat
import pytest

from autograder import Checker
from autograder.authoring import course
from autograder.checking import progress
from autograder.checking.progress import FAIL, NOT_STARTED, PASS
from autograder.grading import harness

MODULE = "00_orientation"


def solution_cell(nb, name):
    return next(
        c for c in nb.cells if course.kind(c) == "solution" and progress.defines(c.source, name)
    )


def fill(folder, module, name, source=None):
    """Put the reference's body of exercise ``name`` (or ``source``) into the learner's copy."""
    path = folder / module / f"{module}.ipynb"
    nb = nbformat.read(path, as_version=4)
    if source is None:
        reference = harness.submission(module, harness.Variant("reference"))
        source = solution_cell(reference, name).source
    solution_cell(nb, name).source = source
    nbformat.write(nb, path)


@pytest.fixture
def curriculum(tmp_path):
    """A learner's copy of curriculum/, as released."""
    folder = tmp_path / "curriculum"
    shutil.copytree(course.CURRICULUM, folder)
    return folder


def other_module():
    """A module besides 00 with a notebook and checks, and an exercise that uses no other."""
    for module in course.modules():
        if module == MODULE or not (course.CURRICULUM / module / f"{module}.ipynb").exists():
            continue
        try:
            exercises = Checker(module).exercises
        except FileNotFoundError:
            continue
        for name, ex in exercises.items():
            if not ex["uses"]:
                return module, name
    pytest.skip("needs a second module with checks")


def test_one_exercise_filled_in(curriculum):
    fill(curriculum, MODULE, "one_hot")
    report = progress.progress(curriculum, bar=False)

    assert report.folder == curriculum.resolve()
    assert report.status(MODULE, "one_hot") == PASS
    assert report.status(MODULE, "normalize_rows") == NOT_STARTED
    assert report.status(MODULE, "pairwise_sq_dists") == NOT_STARTED
    total = sum(ex["points"] for ex in Checker(MODULE).exercises.values())
    assert report.totals(MODULE) == (2.0, total)

    released = {p.name for p in curriculum.iterdir() if (p / f"{p.name}.ipynb").exists()}
    assert set(report.modules) == released, "every module of the curriculum has its rows"
    for row in report.rows:
        if row.module != MODULE:
            assert row.status == NOT_STARTED, row

    text = str(report)
    assert "one_hot" in text and "✔ pass" in text and "not started" in text
    assert f"Total: 2 of {report.totals()[1]:g} points" in text
    page = report._repr_html_()
    assert '<tr data-exercise="one_hot" data-status="pass">' in page
    assert '<tr data-exercise="normalize_rows" data-status="not started">' in page


def test_mistakes_loops_and_a_frozen_process(curriculum, monkeypatch):
    """A named mistake fails with its name; a loop the alarm interrupts costs one exercise; a
    process that stops answering is killed and a new one checks the modules left."""
    monkeypatch.setattr(progress, "GRACE", 2.0)
    declared = harness.reference_namespace(MODULE)[1]
    mistake = next(m for m in declared["normalize_rows"].mistakes if m.name == "forgot keepdims")
    wrong = harness.submission(MODULE, harness.Variant("m", "normalize_rows", mistake))
    fill(curriculum, MODULE, "normalize_rows", solution_cell(wrong, "normalize_rows").source)
    fill(
        curriculum,
        MODULE,
        "one_hot",
        "def one_hot(y, num_classes):\n    while True:\n        pass\n",
    )
    fill(
        curriculum,
        MODULE,
        "pairwise_sq_dists",
        "import os, signal\n\n\ndef pairwise_sq_dists(A, B):\n"
        f"    os.kill(os.getpid(), {int(signal.SIGSTOP)})\n",
    )
    module, name = other_module()
    fill(curriculum, module, name)

    report = progress.progress(curriculum, timeout=2.0, bar=False)
    rows = {(r.module, r.exercise): r for r in report.rows}

    assert rows[MODULE, "normalize_rows"].status == FAIL
    assert "Known mistake: forgot keepdims." in rows[MODULE, "normalize_rows"].detail
    assert rows[MODULE, "one_hot"].status == FAIL
    assert "more than 2 s" in rows[MODULE, "one_hot"].detail
    assert rows[MODULE, "pairwise_sq_dists"].status == FAIL
    assert "stopped answering" in rows[MODULE, "pairwise_sq_dists"].detail
    assert rows[module, name].status == PASS, "a fresh process carries on after a frozen one"


def test_a_broken_cell_and_exit(curriculum):
    fill(curriculum, MODULE, "normalize_rows", "def normalize_rows(X):\n    return X /\n")
    fill(
        curriculum,
        MODULE,
        "one_hot",
        "import sys\n\n\ndef one_hot(y, num_classes):\n    sys.exit(1)\n",
    )
    fill(
        curriculum, MODULE, "pairwise_sq_dists", "def pairwise_sq_dists(A, B):\n    raise todo()\n"
    )
    report = progress.progress(curriculum, bar=False)
    rows = {r.exercise: r for r in report.rows if r.module == MODULE}
    assert rows["normalize_rows"].status == FAIL
    assert "SyntaxError" in rows["normalize_rows"].detail
    assert rows["one_hot"].status == FAIL and "exit()" in rows["one_hot"].detail
    assert rows["pairwise_sq_dists"].status == NOT_STARTED


def test_default_folder_is_the_notebooks_curriculum(curriculum, monkeypatch):
    monkeypatch.chdir(curriculum / MODULE)
    assert progress.default_folder() == curriculum.resolve()
    monkeypatch.chdir(curriculum)
    assert progress.default_folder() == curriculum.resolve()


def test_show_progress_prints_text_outside_jupyter(curriculum, capsys):
    progress.show_progress(curriculum)
    out = capsys.readouterr().out
    assert f"{MODULE}: not started (3 exercises, 7 points)" in out


def test_orientation_ends_with_the_progress_cell():
    nb = nbformat.read(course.CURRICULUM / MODULE / f"{MODULE}.ipynb", as_version=4)
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert "show_progress()" in last.source
