"""Nothing a learner saves is lost: the workspace is filled from curriculum/ and never written
over, a new release of a started module is put beside the learner's notebook and announced, and
a build keeps an edited curriculum notebook before it releases over it."""

import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.authoring import build, course
from autograder.checking import progress, workspace

MODULE = "00_orientation"
LATER = "01_linear_algebra"


def released(module):
    return course.CURRICULUM / module / f"{module}.ipynb"


def edit(path, text="def one_hot(y, num_classes):\n    return 'my answer'\n"):
    """Write into the learner's one_hot cell, as a learner saving their work would."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "def one_hot(" in c.source)
    cell.source = text
    nbformat.write(nb, path)
    return path.read_bytes()


def new_release(curriculum, module, words="A sentence added in a new release."):
    """What a pull that changes the module's release does to curriculum/."""
    path = curriculum / module / f"{module}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(words))
    nbformat.write(nb, path)
    return path.read_bytes()


@pytest.fixture
def repo(tmp_path):
    """A clone's curriculum/ with one module released, and the workspace beside it."""
    curriculum = tmp_path / "curriculum"
    (curriculum / MODULE).mkdir(parents=True)
    shutil.copy(released(MODULE), curriculum / MODULE)
    return curriculum, tmp_path / "workspace"


def test_first_use_fills_the_workspace_and_later_modules_are_added(repo):
    curriculum, ws = repo
    done = workspace.sync(curriculum, ws)
    assert done.added == [MODULE]
    mine = ws / MODULE / f"{MODULE}.ipynb"
    assert mine.read_bytes() == released(MODULE).read_bytes()
    record = json.loads((ws / workspace.RECORD).read_text())
    assert record[MODULE]["release"] == workspace.digest(released(MODULE))

    work = edit(mine)
    (curriculum / LATER).mkdir()
    shutil.copy(released(LATER), curriculum / LATER)
    done = workspace.sync(curriculum, ws)
    assert done.added == [LATER] and not done.notices and not done.updated
    assert mine.read_bytes() == work, "a notebook already in the workspace is never overwritten"
    assert (ws / LATER / f"{LATER}.ipynb").exists()


def test_a_new_release_of_a_started_module_is_put_beside_it_and_announced(repo, capsys):
    curriculum, ws = repo
    workspace.sync(curriculum, ws)
    mine = ws / MODULE / f"{MODULE}.ipynb"
    work = edit(mine)

    release = new_release(curriculum, MODULE)  # the pull
    # show_progress tells before anything is synced, and changes nothing
    report = progress.progress(ws, bar=False)
    assert any("has a new release since you started it" in n for n in report.notices)
    assert not workspace.new_release_path(ws, MODULE).exists()

    done = workspace.sync(curriculum, ws)  # make lab
    assert mine.read_bytes() == work, "the learner's notebook is intact"
    beside = workspace.new_release_path(ws, MODULE)
    assert beside.name == f"{MODULE}.new-release.ipynb"
    assert beside.read_bytes() == release
    assert len(done.notices) == 1
    notice = done.notices[0]
    assert f"{MODULE} has a new release since you started it" in notice
    assert f"{MODULE}.new-release.ipynb" in notice and f"{MODULE}/{MODULE}.ipynb" in notice

    # told again, by make lab and by show_progress, until the learner deals with it
    assert workspace.sync(curriculum, ws).notices == [notice]
    progress.show_progress(ws)
    out = capsys.readouterr().out
    assert f"Note: {notice}" in out
    assert "one_hot" in out and "fail" in out, "the progress table reads the learner's notebook"
    assert mine.read_bytes() == work

    # the learner moves their answers over and renames the new release: settled, no more notice
    os.replace(beside, mine)
    assert workspace.sync(curriculum, ws).notices == []
    assert progress.progress(ws, bar=False).notices == []
    record = json.loads((ws / workspace.RECORD).read_text())
    assert record[MODULE] == {"release": workspace.digest(curriculum / MODULE / f"{MODULE}.ipynb")}


def test_an_untouched_copy_takes_the_new_release(repo):
    curriculum, ws = repo
    workspace.sync(curriculum, ws)
    release = new_release(curriculum, MODULE)
    done = workspace.sync(curriculum, ws)
    assert done.updated == [MODULE] and not done.notices
    assert (ws / MODULE / f"{MODULE}.ipynb").read_bytes() == release
    assert not workspace.new_release_path(ws, MODULE).exists()


def test_a_second_release_replaces_the_offered_one_unless_the_learner_edited_it(repo):
    curriculum, ws = repo
    workspace.sync(curriculum, ws)
    work = edit(ws / MODULE / f"{MODULE}.ipynb")
    new_release(curriculum, MODULE, "first new release")
    workspace.sync(curriculum, ws)
    beside = workspace.new_release_path(ws, MODULE)
    second = new_release(curriculum, MODULE, "second new release")
    workspace.sync(curriculum, ws)
    assert beside.read_bytes() == second, "an offered copy nobody touched follows the release"

    started = edit(beside, "def one_hot(y, num_classes):\n    return 'moving over'\n")
    new_release(curriculum, MODULE, "third new release")
    done = workspace.sync(curriculum, ws)
    assert beside.read_bytes() == started and (ws / MODULE / f"{MODULE}.ipynb").read_bytes() == work
    assert "curriculum" in done.notices[0] and "are unchanged" in done.notices[0]


def test_progress_in_the_curriculum_says_where_work_is_safe(tmp_path):
    (tmp_path / "solutions").mkdir()
    curriculum = tmp_path / "curriculum"
    (curriculum / MODULE).mkdir(parents=True)
    shutil.copy(released(MODULE), curriculum / MODULE)
    report = progress.progress(curriculum, bar=False)
    assert any("workspace/" in n and "make lab" in n for n in report.notices)
    assert "Note: " in str(report) and "course-notice" in report._repr_html_()


def test_progress_command_reads_the_workspace(repo):
    curriculum, ws = repo
    workspace.sync(curriculum, ws)
    edit(ws / MODULE / f"{MODULE}.ipynb")
    done = subprocess.run(
        [sys.executable, "-m", "autograder.checking.progress"],
        cwd=ws.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"Progress in {ws.resolve()}" in done.stdout
    assert "one_hot" in done.stdout


# --- the build ------------------------------------------------------------------------------------


def test_the_build_keeps_an_edited_curriculum_notebook(tmp_path, monkeypatch, capsys):
    """build(): a curriculum notebook that is not the release it recorded is copied into the
    workspace (named in its message) before the new release is written over it."""
    curriculum, data, ws = tmp_path / "curriculum", tmp_path / "data", tmp_path / "workspace"
    release = released(MODULE).read_bytes()
    (curriculum / MODULE).mkdir(parents=True)
    data.mkdir()
    shutil.copy(released(MODULE), curriculum / MODULE)
    shutil.copy(course.DATA / f"{MODULE}.json", data)
    monkeypatch.setattr(course, "CURRICULUM", curriculum)
    monkeypatch.setattr(course, "DATA", data)
    monkeypatch.setattr(build, "WORKSPACE", ws)
    monkeypatch.setattr(build, "prepare", lambda module: {"module": module})
    monkeypatch.setattr(build, "dump", lambda obj, path: path.write_text(json.dumps(obj)))

    def generate_assignment(module):  # nbgrader generate_assignment --force: a fresh release
        shutil.rmtree(curriculum / module)
        (curriculum / module).mkdir()
        (curriculum / module / f"{module}.ipynb").write_bytes(release)

    monkeypatch.setattr(build, "generate_assignment", generate_assignment)

    assert build.is_current(MODULE)
    build.build([MODULE])
    assert "up to date" in capsys.readouterr().out

    work = edit(curriculum / MODULE / f"{MODULE}.ipynb")
    build.build([MODULE])
    out = capsys.readouterr().out
    kept = ws / MODULE / f"{MODULE}.ipynb"
    assert kept.read_bytes() == work
    assert f"curriculum/{MODULE}/{MODULE}.ipynb had edits this build did not make" in out
    assert str(kept) in out
    assert (curriculum / MODULE / f"{MODULE}.ipynb").read_bytes() == release

    # the next time: the workspace holds a notebook already, so the copy goes beside it
    again = edit(curriculum / MODULE / f"{MODULE}.ipynb", "def one_hot(y, n):\n    return 2\n")
    build.build([MODULE])
    out = capsys.readouterr().out
    beside = ws / MODULE / f"{MODULE}.from-curriculum.ipynb"
    assert beside.read_bytes() == again and kept.read_bytes() == work
    assert str(beside) in out
    # and make lab then tells the learner nothing is lost, and nothing is overwritten
    assert workspace.sync(curriculum, ws).notices == []
    assert kept.read_bytes() == work


@pytest.mark.slow
def test_make_build_keeps_an_edited_notebook(tmp_path):
    """The real command that `make build` and `make test` run, with nbgrader, on a copy of the
    repository: the edited notebook survives in the workspace and curriculum/ is the release."""
    clone = tmp_path / "clone"
    for name in ("autograder", "solutions"):
        shutil.copytree(
            course.ROOT / name, clone / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    (clone / "curriculum").mkdir()
    shutil.copytree(course.CURRICULUM / MODULE, clone / "curriculum" / MODULE)
    shutil.copy(course.ROOT / "nbgrader_config.py", clone)
    notebook = clone / "curriculum" / MODULE / f"{MODULE}.ipynb"
    work = edit(notebook)
    env = dict(os.environ, PYTHONPATH=str(clone))
    done = subprocess.run(
        [sys.executable, "-m", "autograder.authoring.build", MODULE],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    kept = clone / "workspace" / MODULE / f"{MODULE}.ipynb"
    assert f"kept them in workspace/{MODULE}/{MODULE}.ipynb" in done.stdout, done.stdout
    assert kept.read_bytes() == work
    assert notebook.read_bytes() == released(MODULE).read_bytes()


# --- make lab ------------------------------------------------------------------------------------


def test_make_lab_syncs_and_opens_the_workspace_in_the_learners_view(repo, monkeypatch, capsys):
    curriculum, ws = repo
    launched = {}
    monkeypatch.setattr(workspace, "default_config_dir", lambda: ws.parent / "learner-config")
    monkeypatch.setattr(os, "execve", lambda exe, cmd, env: launched.update(cmd=cmd, env=env))
    workspace.main(["lab", "--curriculum", str(curriculum), "--workspace", str(ws), "--allow-root"])
    assert f"Added to {ws.resolve()}: {MODULE}" in capsys.readouterr().out
    assert (ws / MODULE / f"{MODULE}.ipynb").exists()
    assert launched["cmd"][0].endswith("jupyter-lab")
    assert f"--ServerApp.root_dir={ws}" in launched["cmd"] and "--allow-root" in launched["cmd"]
    config = ws.parent / "learner-config"
    assert launched["env"]["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(config)
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    for plugin in workspace.INSTRUCTOR_PLUGINS:
        assert page["disabledExtensions"][plugin] and page["lockedExtensions"][plugin]
    assert "@jupyter/nbgrader:validate-assignment" not in page["disabledExtensions"]
    server = json.loads((config / "jupyter_server_config.json").read_text())
    off = server["ServerApp"]["jpserver_extensions"]
    assert off == {name: False for name in workspace.INSTRUCTOR_SERVER_EXTENSIONS}


def test_the_learners_kernels_get_one_blas_thread_unless_told_otherwise(tmp_path):
    env = workspace.learner_env(tmp_path, env={"PATH": "/usr/bin"})
    assert all(env[name] == "1" for name in workspace.ONE_BLAS_THREAD)
    assert env["PATH"] == "/usr/bin"
    mine = workspace.learner_env(tmp_path, env={"OPENBLAS_NUM_THREADS": "4"})
    assert mine["OPENBLAS_NUM_THREADS"] == "4"  # a learner's own choice stays


def test_the_makefile_runs_the_two_views():
    learner = subprocess.run(
        ["make", "-n", "lab"], cwd=course.ROOT, capture_output=True, text=True
    ).stdout
    instructor = subprocess.run(
        ["make", "-n", "lab-instructor"], cwd=course.ROOT, capture_output=True, text=True
    ).stdout
    assert "-m autograder.checking.workspace lab" in learner
    assert "jupyter lab --ServerApp.root_dir=." in instructor
