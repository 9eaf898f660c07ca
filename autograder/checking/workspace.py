"""The learner's workspace: their own copy of the course, where no build and no pull ever writes.

``make lab`` runs ``python -m autograder.checking.workspace lab``: it fills ``workspace/`` (git-ignored)
from ``curriculum/`` and opens JupyterLab there, in the learner's view (no instructor tools).

- A module's notebook is copied into ``workspace/NN_slug/`` the first time it is seen, so modules
  released later appear by themselves; a notebook already in the workspace is never overwritten.
- Each copy's release is recorded (the sha256 of the curriculum notebook it was copied from) in
  ``workspace/.course-releases.json``. When a module's curriculum notebook changes (a pull, a
  rebuild), a workspace copy the learner has not changed is replaced by the new release; a copy
  they have changed stays as it is and the new release is put beside it as
  ``NN_slug.new-release.ipynb``. ``make lab`` and ``show_progress()`` say so until the learner has
  dealt with it (moved their answers over and renamed it to ``NN_slug.ipynb``, or deleted it).
- ``python -m autograder.authoring.build`` never overwrites a curriculum notebook that someone edited (its
  digest differs from the one the build recorded when it released it): it first keeps it in the
  workspace (``keep_edits``) and names the copy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

RECORD = ".course-releases.json"
MODULE_DIR = re.compile(r"^\d\d_\w+$")
NEW = ".new-release.ipynb"
KEPT = ".from-curriculum"

# nbgrader's instructor and exchange tools, out of the learner's sight (as binder/postBuild does);
# Validate (@jupyter/nbgrader:validate-assignment and its server extension) stays
INSTRUCTOR_PLUGINS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",
]
INSTRUCTOR_SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
]
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def notebook(folder: Path, module: str) -> Path:
    return Path(folder) / module / f"{module}.ipynb"


def new_release_path(folder: Path, module: str) -> Path:
    return Path(folder) / module / f"{module}{NEW}"


def modules_in(folder: Path) -> list[str]:
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if MODULE_DIR.match(p.name) and notebook(folder, p.name).is_file()
    )


def read_record(workspace: Path) -> dict:
    path = Path(workspace) / RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_record(workspace: Path, record: dict) -> None:
    path = Path(workspace) / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def relative(path: Path) -> str:
    """A path as the learner would type it: relative to where they are, when it can be."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class Sync:
    """What a sync did (``added``, ``updated``) and what the learner must hear (``notices``)."""

    workspace: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = []
        if self.added:
            lines.append(f"Added to {relative(self.workspace)}: {', '.join(self.added)}")
        if self.updated:
            lines.append(
                "Updated to their new release (you had not changed them): "
                + ", ".join(self.updated)
            )
        return "\n".join(lines + self.notices)


def new_release_notice(workspace: Path, module: str) -> str:
    return (
        f"{module} has a new release since you started it. Your notebook "
        f"{relative(notebook(workspace, module))} is unchanged; the new version is beside it: "
        f"{relative(new_release_path(workspace, module))}. Move your answers into it and rename "
        f"it to {module}.ipynb (or delete it to keep your version); this message stops then."
    )


def sync(curriculum: Path, workspace: Path, dry_run: bool = False) -> Sync:
    """Bring the workspace up to date with the curriculum without losing anything the learner
    wrote (see the module's docstring). ``dry_run``: only say what would be said."""
    curriculum, workspace = Path(curriculum), Path(workspace)
    record = read_record(workspace)
    done = Sync(workspace)
    for module in modules_in(curriculum):
        released = notebook(curriculum, module)
        release = digest(released)
        mine = notebook(workspace, module)
        entry = record.setdefault(module, {})
        if not mine.exists():
            done.added.append(module)
            if not dry_run:
                mine.parent.mkdir(parents=True, exist_ok=True)
                for item in released.parent.iterdir():  # the notebook and any files beside it
                    if item.is_file() and not (mine.parent / item.name).exists():
                        shutil.copy2(item, mine.parent / item.name)
                entry.clear()
                entry["release"] = release
            continue
        if "release" not in entry:  # a workspace made by hand: take its copy as of this release
            entry["release"] = release
        if entry["release"] == release:
            continue
        if digest(mine) == entry["release"]:  # never changed by the learner: take the new one
            done.updated.append(module)
            if not dry_run:
                shutil.copy2(released, mine)
                entry.clear()
                entry["release"] = release
            continue
        beside = new_release_path(workspace, module)
        if entry.get("offered") == release:
            if beside.exists():
                done.notices.append(new_release_notice(workspace, module))
            elif not dry_run:  # the learner moved it over (or deleted it): settled
                entry.clear()
                entry["release"] = release
            continue
        # a release the learner has not been offered yet: put it beside theirs, unless the file
        # there is one they have changed (then point at the curriculum's)
        untouched = not beside.exists() or digest(beside) == entry.get("offered")
        if untouched and dry_run:
            done.notices.append(
                f"{module} has a new release since you started it: {relative(released)}. Your "
                f"notebook {relative(mine)} is unchanged; `make lab` puts the new version beside "
                f"it as {beside.name}."
            )
        elif untouched:
            shutil.copy2(released, beside)
            entry["offered"] = release
            done.notices.append(new_release_notice(workspace, module))
        else:
            done.notices.append(
                f"{module} has a new release since you started it: {relative(released)}. Your "
                f"notebook {relative(mine)} and {relative(beside)} are unchanged."
            )
    if not dry_run:
        write_record(workspace, {k: v for k, v in record.items() if v})
    return done


def pending(workspace: Path, curriculum: Path | None = None) -> list[str]:
    """What the learner must hear about the workspace (new releases), changing nothing."""
    workspace = Path(workspace)
    if not (workspace / RECORD).exists():
        return []
    if curriculum is None:
        curriculum = workspace.parent / "curriculum"
    if not modules_in(curriculum):
        # no curriculum beside it (Binder): only the new releases already offered
        record = read_record(workspace)
        return [
            new_release_notice(workspace, m)
            for m in sorted(record)
            if record[m].get("offered") and new_release_path(workspace, m).exists()
        ]
    return sync(curriculum, workspace, dry_run=True).notices


# --- the build's side ----------------------------------------------------------------------------


def keep_edits(curriculum: Path, workspace: Path, module: str, released: str | None) -> Path | None:
    """Before a build overwrites ``curriculum/NN/NN.ipynb``: when the notebook there is not the
    one the build released (digest ``released``), copy it into the workspace and return where.

    It goes to ``workspace/NN/NN.ipynb`` when the workspace has no notebook for the module (it is
    recorded as a copy of the release ``released``, so the learner is then offered the new one),
    otherwise to ``workspace/NN/NN.from-curriculum.ipynb`` (numbered, never overwriting)."""
    current = notebook(curriculum, module)
    if released is None or not current.exists() or digest(current) == released:
        return None
    workspace = Path(workspace)
    target = notebook(workspace, module)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(current, target)
        record = read_record(workspace)
        record[module] = {"release": released}
        write_record(workspace, record)
        return target
    n = 1
    while True:
        suffix = KEPT if n == 1 else f"{KEPT}-{n}"
        target = workspace / module / f"{module}{suffix}.ipynb"
        if not target.exists():
            shutil.copy2(current, target)
            return target
        n += 1


# --- JupyterLab in the learner's view ------------------------------------------------------------


def learner_config(folder: Path) -> Path:
    """A Jupyter configuration folder that hides the instructor's tools; put it first on
    JUPYTER_CONFIG_PATH for one server (the environment's own settings stay as they are)."""
    folder = Path(folder)
    labconfig = folder / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    disabled = {name: True for name in [*INSTRUCTOR_PLUGINS, NEWS_PLUGIN]}
    locked = {name: True for name in INSTRUCTOR_PLUGINS}
    page = {"disabledExtensions": disabled, "lockedExtensions": locked}
    (labconfig / "page_config.json").write_text(json.dumps(page, indent=1) + "\n")
    # the server's own configuration (not jupyter_server_config.d/, which only adds to what is
    # enabled): the server takes these over what the environment enables
    extensions = {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS}
    (folder / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": extensions}}, indent=1) + "\n"
    )
    return folder


# one BLAS thread: in the learner's kernels (as binder/start gives them on Binder), in the
# confined grader's runner and in `make bench`. The course's matrices are small, and a second
# OpenBLAS thread made module 15's notebook no faster (18 s either way on two cores) for 60% more
# CPU, and 50% slower under a one-CPU quota
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def learner_env(config: Path, env: dict | None = None) -> dict:
    """The environment of the learner's JupyterLab (``make lab``): the learner's settings first on
    JUPYTER_CONFIG_PATH, and one BLAS thread unless the learner set a number."""
    env = dict(os.environ if env is None else env)
    for name, value in ONE_BLAS_THREAD.items():
        env.setdefault(name, value)
    rest = env.get("JUPYTER_CONFIG_PATH")
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(config), *([rest] if rest else [])])
    return env


def default_config_dir() -> Path:
    """The learner's Jupyter settings: in the environment, outside every folder Jupyter reads
    unless told."""
    return Path(sys.prefix) / "etc" / "course-learner"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["sync", "lab"], default="sync")
    parser.add_argument("--curriculum", default="curriculum", help="the released notebooks")
    parser.add_argument("--workspace", default="workspace", help="the learner's copy")
    args, rest = parser.parse_known_args(argv)
    done = sync(args.curriculum, args.workspace)
    text = str(done)
    if text:
        print(text)
    if args.command == "lab":
        config = learner_config(default_config_dir())
        jupyter = Path(sys.executable).parent / "jupyter-lab"
        cmd = [str(jupyter), f"--ServerApp.root_dir={args.workspace}", *rest]
        sys.stdout.flush()
        os.execve(cmd[0], cmd, learner_env(config))


if __name__ == "__main__":
    main()
