"""``make bench``: wall time and peak memory of every solution notebook, on one core.

Each notebook runs in a fresh process pinned to one CPU (``taskset``/``sched_setaffinity``) with
BLAS limited to one thread, as on Binder; peak memory is the kernel's maximum resident set size.
Prints a table; exits non-zero if a notebook errors or exceeds the budget (60 s, 1 GB).

Then module 12's convolution layers, timed against PyTorch's CPU ``conv2d`` (forward and backward,
float64, one thread, one core): the reference ``conv_forward_naive`` + ``conv_backward_naive``, the
reference im2col pair ``conv_forward_fast`` + ``conv_backward_fast``, and PyTorch, in CPU
milliseconds (the best of 50 runs, fast and torch interleaved, so that the load of the moment on a
shared machine hits both alike), with the ratio fast / torch. PyTorch is no dependency of the course: ``make bench`` installs it in a venv of
its own (``.venv-bench``, the ``bench`` extra) and runs this part there (``--torch-python``). The
ratio is printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from autograder.authoring import course
from autograder.checking.workspace import ONE_BLAS_THREAD

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
    env = _one_thread_env()
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


CONV_MODULE = "12_convolutions"
# (label, x shape, w shape, stride, pad): module 13's first layer on a batch of digits, and a
# middle layer of a small image network
CONV_SHAPES = [
    ("13: digits (50, 1, 8, 8), F=16 3x3", (50, 1, 8, 8), (16, 1, 3, 3), 1, 1),
    ("(32, 16, 16, 16), F=32 3x3", (32, 16, 16, 16), (32, 16, 3, 3), 1, 1),
]

CONV_RUNNER = """
import contextlib, io, json, sys, time
import numpy as np
job = json.loads(sys.stdin.read())
ns = {"__name__": "bench_conv"}
with contextlib.redirect_stdout(io.StringIO()):
    for source in job["cells"]:
        exec(compile(source, "<module 12>", "exec"), ns)
try:
    import torch
    torch.set_num_threads(1)
except ImportError:
    torch = None

def clock(fn):
    start = time.process_time()
    fn()
    return 1000 * (time.process_time() - start)

def layer(forward, backward, x, w, b, param, dout):
    out, cache = forward(x, w, b, param)
    return (out, *backward(dout, cache))

rows = []
for label, x_shape, w_shape, stride, pad in job["shapes"]:
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    param = {"stride": stride, "pad": pad}
    h = (x_shape[2] + 2 * pad - w_shape[2]) // stride + 1
    v = (x_shape[3] + 2 * pad - w_shape[3]) // stride + 1
    dout = rng.normal(size=(x_shape[0], w_shape[0], h, v))
    naive = (ns["conv_forward_naive"], ns["conv_backward_naive"], x, w, b, param, dout)
    fast = (ns["conv_forward_fast"], ns["conv_backward_fast"], x, w, b, param, dout)
    runs = {"naive": lambda: layer(*naive), "fast": lambda: layer(*fast)}
    if torch is not None:
        xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
        dt = torch.tensor(dout)

        def torch_layer():
            xt.grad = wt.grad = bt.grad = None
            out = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=pad)
            out.backward(dt)
            return out

        runs["torch"] = torch_layer
    best = {name: float("inf") for name in runs}
    for name in runs:  # a first run of each, untimed: caches and allocations warm up
        runs[name]()
    for repeat in range(job["repeats"]):
        for name, run in runs.items():  # interleaved, so that the load of the moment hits all
            if name != "naive" or repeat < job["naive_repeats"]:
                best[name] = min(best[name], clock(run))
    row = {"label": label, "naive": best["naive"], "fast": best["fast"], "torch": None, "agree": None}
    if torch is not None:
        row["torch"] = best["torch"]
        got = layer(*fast)
        want = (torch_layer().detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy())
        row["agree"] = max(
            float(np.abs(g - t).max() / max(1.0, np.abs(t).max())) for g, t in zip(got, want)
        )
    rows.append(row)
print(json.dumps({"rows": rows, "torch": None if torch is None else torch.__version__}))
"""


def conv_timings(python: str | None = None, repeats: int = 50, naive_repeats: int = 2) -> dict:
    """Module 12's reference layers (and PyTorch's conv2d, where ``python`` has it) on
    ``CONV_SHAPES``, in a process pinned to one core with one thread everywhere."""
    nb = course.read(CONV_MODULE)
    cells = [src for kind, src in course.library_sources(nb) if kind in ("lib", "solution")]
    job = {
        "cells": cells,
        "shapes": CONV_SHAPES,
        "repeats": repeats,
        "naive_repeats": naive_repeats,
    }
    cmd = [python or sys.executable, "-c", CONV_RUNNER]
    if hasattr(os, "sched_setaffinity"):
        cmd = ["taskset", "-c", str(min(os.sched_getaffinity(0))), *cmd]
    done = subprocess.run(
        cmd, input=json.dumps(job), capture_output=True, text=True, env=_one_thread_env()
    )
    if done.returncode != 0:
        raise RuntimeError(f"the convolution timings failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def conv_lines(result: dict) -> list[str]:
    """The timing table of ``conv_timings``: one line per shape."""
    lines = [
        f"{'conv forward + backward, CPU ms (best), 1 thread':<50}"
        + f"{'naive':>9}{'fast':>9}{'torch':>9}{'fast/torch':>12}"
    ]
    for row in result["rows"]:
        torch_ms = f"{row['torch']:>9.2f}" if row["torch"] is not None else f"{'n/a':>9}"
        ratio = f"{row['fast'] / row['torch']:>11.2f}x" if row["torch"] else f"{'n/a':>12}"
        lines.append(f"{row['label']:<50}{row['naive']:>9.2f}{row['fast']:>9.2f}{torch_ms}{ratio}")
    if result["torch"] is None:
        lines.append("torch: not installed in this Python (make bench installs it in .venv-bench)")
    else:
        worst = max(row["agree"] for row in result["rows"])
        lines.append(
            f"torch {result['torch']}, float64; fast and torch agree to {worst:.1e} (relative)"
        )
    return lines


def _one_thread_env() -> dict:
    return dict(os.environ, **ONE_BLAS_THREAD, MPLBACKEND="Agg")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*")
    parser.add_argument(
        "--torch-python",
        help="the Python (with PyTorch) that times module 12's layers against conv2d",
    )
    parser.add_argument(
        "--conv-only", action="store_true", help="only the convolution timings, no notebook"
    )
    args = parser.parse_args(argv)
    if args.conv_only:
        print("\n".join(conv_lines(conv_timings(args.torch_python))))
        return 0
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
    if CONV_MODULE in course.modules() and (not args.modules or CONV_MODULE in modules):
        print()
        print("\n".join(conv_lines(conv_timings(args.torch_python))), flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
