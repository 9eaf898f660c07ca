"""The Binder environment without Docker: what repo2docker would build, built in a virtualenv.

repo2docker (for the files in binder/) installs Python 3.11, runs ``pip install -r
binder/requirements.txt``, copies the repository and runs ``binder/postBuild`` in it. Here:

- ``cached_env()`` makes a Python 3.11 virtualenv with binder/requirements.txt installed, once per
  version of that file: it lives in build/binder-env/<hash of runtime.txt and requirements.txt>/
  and later runs reuse it;
- ``learner_workspace()`` copies the repository as it would be committed (tracked files and new
  files git does not ignore), puts the environment back as requirements.txt left it, and runs
  postBuild in the copy with the environment's bin first on PATH, as repo2docker does.

``python tests/browser/binder_env.py --freeze`` prints binder/requirements.txt from the course's
own environment (.venv): the runtime packages and all they depend on, pinned.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
CACHE = ROOT / "build" / "binder-env"
COURSE_PACKAGE = "dl-from-scratch-course"

# what a learner's environment needs: pyproject's dependencies, and the kernel and the notebook
# server that Binder starts
RUNTIME = [
    "numpy",
    "matplotlib",
    "scikit-learn",
    "tqdm",
    "ipywidgets",
    "jupyterlab",
    "nbgrader",
    "ipykernel",
    "notebook",
]
NOT_PINNED = {"pip", "setuptools", "wheel"}  # the environment's own
OVERRIDES = {
    # 3.x declares Requires-Python >=3.11.5: pin the newest that every Python 3.11 installs
    "soupsieve": "2.10  # the newest that installs on every Python 3.11 (3.x needs 3.11.5)",
}
HEADER = Path(BINDER / "requirements.txt")


def freeze() -> str:
    """binder/requirements.txt for the packages installed in this interpreter's environment."""
    import importlib.metadata as md

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    todo = [(name, frozenset()) for name in RUNTIME]
    seen = set()
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), extras)
        if key in seen:
            continue
        seen.add(key)
        dist = md.distribution(key[0])
        pins[key[0]] = dist.version
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in extras or {""}):
                continue
            todo.append((req.name, frozenset(req.extras)))
    header = [line for line in HEADER.read_text().splitlines() if line.startswith("#")]
    lines = [
        f"{name}=={OVERRIDES.get(name, version)}"
        for name, version in sorted(pins.items())
        if name not in NOT_PINNED
    ]
    return "\n".join(header + lines) + "\n"


def pins() -> dict[str, str]:
    """{name: version} of binder/requirements.txt."""
    out = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            out[name.strip().lower()] = version.strip()
    return out


def env_key() -> str:
    h = hashlib.sha256()
    for name in ("runtime.txt", "requirements.txt"):
        h.update(name.encode() + (BINDER / name).read_bytes())
    return h.hexdigest()[:16]


def python311() -> str | None:
    """A Python 3.11 interpreter to make the virtualenv with (the one that runs the tests, if it
    is 3.11)."""
    candidates = [getattr(sys, "_base_executable", sys.executable), shutil.which("python3.11")]
    for exe in candidates:
        if not exe:
            continue
        done = subprocess.run(
            [exe, "-c", "import sys, ensurepip; print(sys.version_info[:2] == (3, 11))"],
            capture_output=True,
            text=True,
        )
        if done.stdout.strip() == "True":
            return exe
    return None


def run(cmd: list[str], log: Path, **kwargs) -> None:
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(map(str, cmd))}\n")
        out.flush()
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, **kwargs)
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited with {done.returncode}:\n{tail}")


@contextlib.contextmanager
def locked(path: Path):
    """One builder at a time (pytest-xdist workers, parallel runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached_env() -> tuple[Path, float]:
    """The virtualenv with binder/requirements.txt installed; (its folder, seconds spent
    building it now: 0 when it was cached)."""
    folder = CACHE / env_key()
    venv = folder / "venv"
    with locked(CACHE / "build.lock"):
        if (folder / "complete").exists():
            return venv, 0.0
        start = time.monotonic()
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        python = python311()
        if python is None:
            raise RuntimeError("no Python 3.11 with ensurepip to build the Binder environment")
        log = folder / "build.log"
        run([python, "-m", "venv", str(venv)], log)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
        # as repo2docker installs it, less pip's byte-compilation of every module (--no-compile):
        # that writes .pyc files ahead of time and changes nothing a learner runs; here it took
        # 60 of the 90 s the build took
        run([*pip, "install", "--no-compile", "-r", str(BINDER / "requirements.txt")], log)
        # what postBuild changes, kept as requirements.txt left it (learner_workspace restores it)
        shutil.copytree(venv / "etc", folder / "etc.pristine", symlinks=True)
        (folder / "complete").write_text(f"{time.monotonic() - start:.0f} s\n")
        for old in CACHE.iterdir():  # environments of older requirements
            if old.is_dir() and old != folder:
                shutil.rmtree(old, ignore_errors=True)
        return venv, time.monotonic() - start


def committed_files() -> list[str]:
    """The repository's files as a commit would hold them: tracked, plus new files not ignored."""
    done = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [p for p in done.stdout.decode().split("\0") if p and (ROOT / p).is_file()]


def copy_repository(dest: Path) -> None:
    for rel in committed_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)


def env_for(venv: Path, home: Path) -> dict:
    env = dict(os.environ)
    for name in ("MPLBACKEND", "COURSE_GRADING_DIR", "PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(home)  # on Binder the repository is the learner's home folder
    return env


def learner_workspace(dest: Path, venv: Path) -> float:
    """Copy the repository to ``dest`` and run binder/postBuild there; returns its seconds."""
    folder = venv.parent
    with locked(CACHE / "build.lock"):
        # undo an earlier postBuild: its package and its configuration
        shutil.rmtree(venv / "etc", ignore_errors=True)
        shutil.copytree(folder / "etc.pristine", venv / "etc", symlinks=True)
        log = dest.parent / "postBuild.log"
        python = str(venv / "bin" / "python")
        run([python, "-m", "pip", "uninstall", "--yes", "--quiet", COURSE_PACKAGE], log)
        copy_repository(dest)
        start = time.monotonic()
        run(["bash", "binder/postBuild"], log, cwd=dest, env=env_for(venv, dest))
        return time.monotonic() - start


if __name__ == "__main__":
    if sys.argv[1:] == ["--freeze"]:
        sys.stdout.write(freeze())
    else:
        sys.exit(f"usage: {sys.argv[0]} --freeze")
