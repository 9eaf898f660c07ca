"""``make bench``: wall time and peak memory of every solution notebook, on one core.

Each notebook runs in a fresh process pinned to one CPU (``taskset``/``sched_setaffinity``) with
BLAS limited to one thread, as on Binder; peak memory is the kernel's maximum resident set size.
Prints a table; exits non-zero if a notebook errors or exceeds the budget (60 s, 1 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import course

BUDGET_SECONDS = 60.0
BUDGET_MB = 1024.0

RUNNER = """
import json, os, resource, sys, time
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
error = ""
try:
    NotebookClient(nb, timeout=600, resources={"metadata": {"path": os.path.dirname(path)}}).execute()
except Exception as e:
    error = type(e).__name__ + ": " + str(e).splitlines()[0][:200]
wall = time.perf_counter() - start
kernel_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": wall, "peak_mb": kernel_kb / 1024, "error": error}))
"""


def run_one(path: Path) -> dict:
    env = dict(
        os.environ,
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        MPLBACKEND="Agg",
    )
    env.setdefault("COURSE_GRADING_DIR", str(course.GRADING))
    cmd = [sys.executable, "-c", RUNNER, str(path)]
    if hasattr(os, "sched_setaffinity"):
        cmd = ["taskset", "-c", str(min(os.sched_getaffinity(0))), *cmd]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return {
            "seconds": time.perf_counter() - start,
            "peak_mb": float("nan"),
            "error": done.stderr.strip().splitlines()[-1:] or ["crashed"],
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args(argv)
    modules = args.modules or course.modules()
    print(f"{'module':<28}{'seconds':>9}{'peak MB':>9}  verdict")
    bad = 0
    for module in modules:
        result = run_one(course.SOURCE / module / f"{module}.ipynb")
        over = result["seconds"] > BUDGET_SECONDS or result["peak_mb"] > BUDGET_MB
        verdict = result["error"] or ("OVER BUDGET" if over else "ok")
        bad += verdict != "ok"
        print(
            f"{module:<28}{result['seconds']:>9.1f}{result['peak_mb']:>9.0f}  {verdict}", flush=True
        )
    print(f"budget: {BUDGET_SECONDS:.0f} s and {BUDGET_MB:.0f} MB per notebook on one core")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
