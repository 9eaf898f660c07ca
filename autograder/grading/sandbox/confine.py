"""Start the runner confined: its own user, mount and network namespaces, and resource limits.

When the grader runs as root (as on the course's grading machine), each submission's runner
- sees a fresh root file system: read-only binds of /usr, /etc, /dev, /proc, the Python interpreter,
  the virtualenv and the ``autograder`` package, and an empty, size-limited ``/tmp`` as its only
  writable place; solutions/, build/ (hidden tests and reference outputs), submitted/, the gradebook
  and other students' files do not exist in it;
- has no network (a new, empty network namespace);
- runs as its own unprivileged uid (one per submission), so ``RLIMIT_NPROC`` bounds a fork loop per
  student and the grader can kill every process the student started, wherever it hid;
- is limited in address space, file size, open files and CPU time, and is killed (SIGKILL, which
  cannot be ignored) when it passes its wall-clock bound.

Without root, only the resource limits, the process group kill and the out-of-process verdicts
hold: see the README's section on grading for what an instructor can add (a container per
submission).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import autograder
from autograder.checking.workspace import ONE_BLAS_THREAD

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1,
    2,
    4,
    32,
    4096,
    16384,
    1 << 18,
)
UID_BASE = 61001
UID_COUNT = 4000
LOCKS = (
    Path("/run/lock/autograder-uids")
    if os.path.isdir("/run/lock")
    else Path("/tmp/autograder-uids")
)


def claim_uid(start: int = 0):
    """An unprivileged uid no other grading run on this machine is using, and its lock (hold it
    while the submission runs: graders running at the same time never share, or kill, a uid)."""
    import fcntl

    LOCKS.mkdir(mode=0o700, parents=True, exist_ok=True)
    for k in range(UID_COUNT):
        uid = UID_BASE + (start + k) % UID_COUNT
        fd = os.open(LOCKS / str(uid), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        return uid, fd
    raise RuntimeError("no free grading uid")


@dataclass
class Limits:
    """The bounds one submission runs under (seconds, bytes, counts)."""

    wall_seconds: float = 60.0  # the whole submission, enforced by SIGKILL from outside
    cell_seconds: float = 20.0  # one cell, by SIGALRM inside (defeatable only down to wall_seconds)
    call_seconds: float = 5.0  # one call of a graded function on one case
    memory_bytes: int = 2 * 1024**3
    processes: int = 32
    file_bytes: int = 32 * 1024**2
    open_files: int = 256
    tmp_bytes: int = 64 * 1024**2


def can_confine() -> bool:
    return os.geteuid() == 0 and sys.platform.startswith("linux")


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
    return libc


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def read_only_paths() -> list[str]:
    """What the runner needs to see: the interpreter, the virtualenv, the course package."""
    paths = ["/usr", "/etc", sys.base_prefix, sys.prefix, str(Path(autograder.__file__).parent)]
    return list(dict.fromkeys(os.path.realpath(p) for p in paths))


def _mount(libc, src, target, fstype, flags, data=None):
    _check(
        libc.mount(
            src.encode() if src else None,
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _confine(new_root: str, uid: int, limits: Limits) -> None:
    """Runs in the child between fork and exec, as root: namespaces, new root, limits, uid."""
    os.setsid()
    libc = _libc()
    _check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET), "unshare")
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    _mount(libc, "tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755")
    # the scratch /tmp first, so that a course checked out under /tmp is bound on top of it
    os.makedirs(new_root + "/tmp", exist_ok=True)
    _mount(
        libc, "tmpfs", new_root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
        f"size={limits.tmp_bytes},mode=1777",
    )  # fmt: skip
    for path in read_only_paths():
        target = new_root + path
        os.makedirs(target, exist_ok=True)
        _mount(libc, path, target, None, MS_BIND | MS_REC)
        _mount(libc, None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
    for name in ("bin", "lib", "lib64", "sbin"):
        if os.path.islink("/" + name):
            os.symlink(os.readlink("/" + name), f"{new_root}/{name}")
    for path in ("/dev", "/proc"):
        os.makedirs(new_root + path, exist_ok=True)
        _mount(libc, path, new_root + path, None, MS_BIND | MS_REC)
    if os.path.isdir(new_root + "/dev/shm"):
        _mount(libc, "tmpfs", new_root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m")
    _mount(libc, None, new_root, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
    os.chroot(new_root)
    os.chdir("/tmp")
    _limits(limits)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def _limits(limits: Limits) -> None:
    cpu = int(limits.wall_seconds) + 2
    for which, value in [
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_CORE, 0),
    ]:
        resource.setrlimit(which, (value, value))


def _unconfined(limits: Limits) -> None:
    os.setsid()
    _limits(limits)


def kill_uid(uid: int) -> None:
    """SIGKILL every process of ``uid``: ``kill(-1)`` from a process that has become that user
    reaches all of that user's processes and no one else's."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            for _ in range(20):  # a fork loop may refill the table between rounds
                os.kill(-1, signal.SIGKILL)
                time.sleep(0.01)
        except OSError:
            pass
        os._exit(0)
    os.waitpid(pid, 0)


@dataclass
class RunResult:
    records: list[dict]
    seconds: float
    killed: bool  # passed its wall-clock bound
    returncode: int | None
    log_tail: str
    confined: bool
    uid: int | None = None


ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "MPLBACKEND": "Agg",
    "MPLCONFIGDIR": "/tmp/.matplotlib",
    **ONE_BLAS_THREAD,
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
}


def run(job: dict, workdir: Path, slot: int, limits: Limits) -> RunResult:
    """Run ``job`` (see ``runner``) confined; ``workdir`` is the grader's own (root-only) folder."""
    workdir.mkdir(parents=True, exist_ok=True)
    os.chmod(workdir, 0o700)
    (workdir / "job.json").write_text(json.dumps(job))
    confined = can_confine()
    uid, lock = claim_uid(slot) if confined else (None, None)
    new_root = workdir / "root"
    new_root.mkdir(exist_ok=True)
    scratch = "/" if confined else str(workdir / "scratch")
    os.makedirs(workdir / "scratch", exist_ok=True)
    job_fd = os.open(workdir / "job.json", os.O_RDONLY)
    res_fd = os.open(workdir / "results.jsonl", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    log = open(workdir / "log.txt", "wb")  # noqa: SIM115
    if confined:
        kill_uid(uid)  # nothing left over from an earlier run in this slot

        def preexec():
            _confine(str(new_root), uid, limits)
    else:

        def preexec():
            _unconfined(limits)

    start = time.monotonic()
    killed = False
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-m",
                "autograder.grading.sandbox.runner",
                str(job_fd),
                str(res_fd),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=(job_fd, res_fd),
            preexec_fn=preexec,
            env=ENV,
            cwd=scratch,
        )
    finally:
        os.close(job_fd)
        os.close(res_fd)
        log.close()
    try:
        proc.wait(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        killed = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    if confined:
        kill_uid(uid)  # children that left the process group, or outlived the runner
        os.close(lock)
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    seconds = time.monotonic() - start
    records = []
    with open(workdir / "results.jsonl", "rb") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                records.append(rec)
    log_bytes = (workdir / "log.txt").read_bytes()
    return RunResult(
        records,
        seconds,
        killed,
        proc.returncode,
        log_bytes[-2000:].decode(errors="replace"),
        confined,
        uid,
    )
