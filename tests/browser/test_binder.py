"""Binder's terms, without Docker: the files in binder/ make a learner's environment in which the
course works and the instructor's tools are out of sight.

The quick tests read the files. The ``binder`` tests ask repo2docker what it would build, ask pip
whether the pins resolve for Python 3.11, and build the environment from binder/ alone (a cached
virtualenv and postBuild run in a copy of the repository), then visit the course in Chromium as
a learner."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from binder_env import BINDER, ROOT, cached_env, env_key, learner_workspace, pins, python311
from lab_session import (
    MODULE,
    LabPage,
    jupyter_lab,
    keep_evidence,
    learner_walkthrough,
    unavailable,
)
from packaging.requirements import Requirement

from autograder.checking.workspace import ONE_BLAS_THREAD

INSTRUCTOR_PLUGINS = [
    f"@jupyter/nbgrader:{name}"
    for name in ("formgrader", "create-assignment", "course-list", "assignment-list", "menu")
]
REMOVED = ["solutions", "tests", "build", "autograder", "nbgrader_config.py", "Makefile"]


def project_dependencies() -> list[str]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


# --- the files ----------------------------------------------------------------------------------


def test_runtime_is_python_311():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert not (BINDER / "environment.yml").exists(), "it would make repo2docker ignore the rest"


def test_pins_are_exact_and_satisfy_pyproject():
    pinned = pins()
    assert all(re.fullmatch(r"[\w.+!-]+", v) for v in pinned.values()), pinned
    for text in project_dependencies():
        req = Requirement(text)
        name = req.name.lower()
        assert name in pinned, f"{name} is a dependency of the course but binder does not pin it"
        assert req.specifier.contains(pinned[name]), (text, pinned[name])
    for needed in ("ipykernel", "notebook", "jupyterlab-widgets", "widgetsnbextension"):
        assert needed in pinned


def test_post_build_is_strict_and_executable():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK)
    text = post_build.read_text()
    assert text.startswith("#!/bin/bash\n") and "\nset -euo pipefail\n" in text
    for plugin in INSTRUCTOR_PLUGINS:
        assert plugin in text
    assert "@jupyter/nbgrader:validate-assignment" not in text


THREADS = (
    "import os; from threadpoolctl import threadpool_info; import numpy; "
    "print(os.environ.get('OPENBLAS_NUM_THREADS'), "
    "sorted({i['num_threads'] for i in threadpool_info() if i['internal_api'] == 'openblas'}))"
)


def test_start_gives_the_server_and_its_kernels_one_blas_thread():
    start = BINDER / "start"
    assert os.access(start, os.X_OK)
    text = start.read_text()
    assert text.startswith("#!/bin/bash\n") and text.rstrip().endswith('exec "$@"')
    for name in ONE_BLAS_THREAD:  # the same variables as make lab, the grader and make bench
        assert f'export {name}="${{{name}:-1}}"' in text, name
    bare = {k: v for k, v in os.environ.items() if k not in ONE_BLAS_THREAD}

    def threads(cmd, env):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert threads([str(start), sys.executable, "-c", THREADS], bare) == "1 [1]"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cores or 1) > 1:  # without it, OpenBLAS starts a thread per core it may run on
        assert threads([sys.executable, "-c", THREADS], bare) != "None [1]"
    mine = dict(bare, OPENBLAS_NUM_THREADS="2")  # a value set before start is kept
    assert threads([str(start), sys.executable, "-c", THREADS], mine).startswith("2 ")


# --- what repo2docker and pip say ---------------------------------------------------------------


@pytest.mark.binder
def test_repo2docker_plans_python_311():
    repo2docker = Path(sys.executable).parent / "jupyter-repo2docker"
    if not repo2docker.exists():
        unavailable("jupyter-repo2docker is missing: pip install jupyter-repo2docker")
    done = subprocess.run(
        [str(repo2docker), "--no-build", "--debug", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    dockerfile = done.stdout
    assert "Building conda environment for python=3.11" in done.stderr
    # the conda lock file of Python 3.11 (its path escaped: "." as "-2e", "-" as "-2d")
    lock = r"environment(\.|-2e)py(-|-2d)3(\.|-2e)11(-|-2d)linux"
    assert re.search(lock, dockerfile), dockerfile
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "RUN ./binder/postBuild" in dockerfile
    assert 'ENV R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in dockerfile
    assert "environment.yml" not in dockerfile


@pytest.mark.binder
def test_requirements_resolve_for_python_311(tmp_path):
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--python-version",
            "3.11",
            "--only-binary=:all:",
            "--quiet",
            "--report",
            str(report),
            "-r",
            str(BINDER / "requirements.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    chosen = {
        item["metadata"]["name"].lower().replace("_", "-"): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    pinned = {k.replace("_", "-"): v for k, v in pins().items()}
    assert {k: chosen[k] for k in pinned} == pinned
    assert set(chosen) - set(pinned) <= {"setuptools", "pip", "wheel"}, "pins are incomplete"


# --- the learner's environment, built from binder/ alone --------------------------------------


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """(virtualenv, learner's home folder after postBuild, timings)."""
    if sys.platform != "linux":
        pytest.skip("the Binder environment is built on Linux")
    if python311() is None:
        unavailable("no Python 3.11 (with ensurepip) to build the Binder environment with")
    venv, build_seconds = cached_env()
    home = tmp_path_factory.mktemp("binder") / "home"
    post_build_seconds = learner_workspace(home, venv)
    return venv, home, {"env build": build_seconds, "postBuild": post_build_seconds}


@pytest.mark.binder
def test_post_build_leaves_a_learners_workspace(binder_env):
    venv, home, _ = binder_env
    for name in REMOVED:
        assert not (home / name).exists(), f"{name} is still in the learner's workspace"
    assert (home / "workspace" / MODULE / f"{MODULE}.ipynb").exists()
    assert not (home / "curriculum").exists(), "one folder of notebooks: the learner's"
    # the checks come from the installed package, with their data, from any folder
    probe = (
        "import autograder, autograder.checking.progress, pathlib, sys; "
        "from autograder import Checker; "
        f"print(len(Checker('{MODULE}').exercises)); "
        "print(pathlib.Path(autograder.__file__).resolve())"
    )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe],
        cwd=home / "workspace" / MODULE,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    count, location = done.stdout.split()
    assert int(count) == 3 and "site-packages" in location
    page_config = json.loads((venv / "etc/jupyter/labconfig/page_config.json").read_text())
    for plugin in INSTRUCTOR_PLUGINS:
        assert page_config["disabledExtensions"].get(plugin) is True, plugin
        assert page_config["lockedExtensions"].get(plugin) is True, plugin


@pytest.mark.binder
@pytest.mark.browser
def test_learner_visit_binder_env(binder_env, tmp_path, browser_page, artifacts, one_hot_source):
    """The same visit as in the course's own environment, now as a Binder learner: plus no
    instructor menu, a locked formgrader, Validate there and no solutions in the file browser."""
    from playwright.sync_api import expect

    venv, home, timings = binder_env
    lp = LabPage(browser_page, artifacts)
    page = browser_page
    try:
        # news left as postBuild set it: it must have turned the announcement off itself; the
        # server started through binder/start, as repo2docker's entrypoint starts it
        with jupyter_lab(
            home, venv / "bin", tmp_path / "jupyter", news=True, launcher=home / "binder" / "start"
        ) as lab:
            lp.lap("server up")
            page.goto(f"{lab.url}/lab?reset")  # the learner's home: the repository
            names = page.locator(".jp-DirListing-itemName")
            expect(names.first).to_be_visible(timeout=120_000)
            shown = names.all_inner_texts()
            assert "workspace" in shown, shown
            assert not {"solutions", "tests", "build", "autograder"} & set(shown), shown

            menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            assert "Run" in menus and "Nbgrader" not in menus, menus
            expect(page.get_by_text("Create Assignment")).to_have_count(0)
            config = json.loads(page.locator("#jupyter-config-data").text_content())
            for plugin in INSTRUCTOR_PLUGINS:
                assert plugin in config["disabledExtensions"], plugin
                assert plugin in config.get("lockedExtensions", []), plugin
            for path in ("formgrader", "formgrader/api/status", "assignments", "courses"):
                with pytest.raises(urllib.error.HTTPError) as missing:
                    urllib.request.urlopen(f"{lab.url}/{path}", timeout=30)
                assert missing.value.code == 404, path
            with urllib.request.urlopen(f"{lab.url}/nbgrader_version?version=0.9.6") as reply:
                assert json.load(reply)["success"], "Validate's server side is there"
            expect(page.locator(".jp-Dialog")).to_have_count(0)  # no "path not found", no news
            lp.shot("learner-home")

            notebook = f"workspace/{MODULE}/{MODULE}.ipynb"
            learner_walkthrough(lp, lab.url, notebook, one_hot_source)
    finally:
        lp.lap("total")
        lp.times.update({k: round(v, 1) for k, v in timings.items()})
        lp.times["env key"] = env_key()
        keep_evidence(lp, tmp_path / "jupyter")
        post_build_log = home.parent / "postBuild.log"
        if post_build_log.exists():
            shutil.copy(post_build_log, artifacts / "postBuild.log")
    print(f"binder visit took {time.monotonic() - lp.start:.0f} s")
