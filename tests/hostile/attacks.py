"""Hostile and honest submissions of module 00_orientation, one per case, for the grading suite.

Each case builds the submission folder of one student and states what grading must give it: the
score it deserves, whether it is flagged, and words the reason must contain. ``{root}`` in a
source is the course folder's absolute path (an attacker who knows where everything is).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.grading import harness

MODULE = "00_orientation"
FULL = 7.0


@dataclass
class Case:
    name: str
    score: float
    flagged: bool
    reason: str = ""  # words the reason must contain ("" = the reason must be empty)
    honest: bool = False


def reference():
    return harness.submission(MODULE, harness.Variant("reference"))


def blank():
    return harness.submission(MODULE, harness.Variant("blank"))


def with_cell(nb, source: str, after: str | None = "setup"):
    """Add a code cell of the student's after the cell ``after`` (or at the end)."""
    nb = copy.deepcopy(nb)
    cell = nbformat.v4.new_code_cell(source)
    index = len(nb.cells)
    for i, c in enumerate(nb.cells):
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == after:
            index = i + 1
    nb.cells.insert(index, cell)
    return nb


def solution(nb, grade_id: str, source: str):
    nb = copy.deepcopy(nb)
    for c in nb.cells:
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            c.source = source
    return nb


WRONG_NORMALIZE = """import numpy as np

def normalize_rows(X):
    return X / np.linalg.norm(X, axis=0, keepdims=True)
"""

ALWAYS_PASS = """
import numpy as np
import autograder, autograder.checking.checks, autograder.checking.compare, autograder.checking.serialize
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.isclose = lambda a, b, *x, **k: np.ones(np.broadcast(a, b).shape, bool)
autograder.checking.compare.compare = lambda *a, **k: None
autograder.checking.checks.compare = lambda *a, **k: None
autograder.checking.checks.evaluate = lambda ex, fns, cases, catch=False: autograder.checking.checks.Outcome(len(cases))
"""

INPUT_TRANSFORMER = """
ip = get_ipython()
ip.input_transformers_post.append(lambda lines: [])
"""

READ_SOURCE = """
import glob, json, os
found = []
for pattern in ["../*.ipynb", "../../*/*.ipynb", "../../../build/source/*/*.ipynb",
                "{root}/build/**/*.ipynb", "{root}/solutions/*.py",
                "/work/main/build/source/**/*.ipynb", "/work/main/solutions/*.py"]:
    found += glob.glob(pattern, recursive=True)
for path in found + ["{root}/build/source/00_orientation/00_orientation.ipynb",
                     "{root}/build/grading/00_orientation.json",
                     "/work/main/build/source/00_orientation/00_orientation.ipynb"]:
    try:
        nb = json.load(open(path))
    except Exception:
        continue
    for cell in nb.get("cells", []):
        src = "".join(cell["source"])
        if "BEGIN SOLUTION" in src:
            exec(src, globals())
"""

GRADEBOOK = """
import glob, sqlite3
for path in ["{root}/gradebook.db", "../../gradebook.db", "/work/main/gradebook.db"]:
    try:
        db = sqlite3.connect(path)
        db.execute("UPDATE grade SET manual_score = 100")
        db.commit()
    except Exception:
        pass
for path in glob.glob("{root}/submitted/*/00_orientation/00_orientation.ipynb"):
    try:
        open(path, "w").write("{{}}")
    except Exception:
        pass
try:
    open("{root}/reports/00_orientation/exercise_scores.csv", "a").write("gradebook,100,7\\n")
except Exception:
    pass
"""

MEMORY_BOMB = "import numpy as np\nbig = np.ones(8 * 1024**3 // 8)\nbig[:] = 2.0\n"

IGNORE_SIGINT = """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""

IGNORE_EVERYTHING = """
import signal
for s in (signal.SIGINT, signal.SIGALRM, signal.SIGTERM, signal.SIGXCPU):
    signal.signal(s, signal.SIG_IGN)
signal.setitimer(signal.ITIMER_REAL, 0)
while True:
    try:
        while True:
            pass
    except BaseException:
        pass
"""

LOOP_IN_FUNCTION = """import numpy as np

def one_hot(y, num_classes):
    while True:
        pass
"""

FORK_LOOP = """
import os, time
children = 0
while True:
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(1000)
        os._exit(0)
    children += 1
print("forked", children)
"""

PRINT_FLOOD = """
import os, sys
line = "x" * 999
for _ in range(200_000):
    print(line)
for _ in range(300):
    os.write(1, b"y" * 1_000_000)
"""

EDIT_INPUTS = """
check.data["exercises"]["normalize_rows"]["cases"][:] = []
for path in ["/work/main/autograder/data/00_orientation.json"]:
    try:
        open(path, "w").write("{{}}")
    except Exception:
        pass
"""


def write(folder: Path, nb) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{MODULE}.ipynb")


def build(base: Path, root: Path) -> list[Case]:
    """Write every student's submission under ``base`` (submitted/); returns the cases."""
    r = str(root)
    ref, blk = reference(), blank()
    wrong = solution(ref, "normalize-rows", WRONG_NORMALIZE)
    cases: list[tuple[Case, object]] = [
        (Case("honest-reference", FULL, False, honest=True), ref),
        (Case("honest-blank", 0.0, False, honest=True), blk),
        (Case("honest-mistake", FULL - 2, False, honest=True), wrong),
        (Case("allclose-patched", FULL - 2, False), with_cell(wrong, ALWAYS_PASS)),
        (Case("input-transformer", 0.0, False), with_cell(blk, INPUT_TRANSFORMER)),
        (Case("reads-instructor-source", 0.0, False), with_cell(blk, READ_SOURCE.format(root=r))),
        (Case("gradebook-writer", 0.0, False), with_cell(blk, GRADEBOOK.format(root=r))),
        (Case("memory-bomb", FULL, True, "ran out of memory"), with_cell(ref, MEMORY_BOMB)),
        (Case("ignores-sigint", FULL, True, "cell bound"), with_cell(ref, IGNORE_SIGINT)),
        (
            Case("ignores-every-signal", 0.0, True, "bound for the whole submission"),
            with_cell(ref, IGNORE_EVERYTHING),
        ),
        (
            Case("top-level-loop", FULL, True, "cell bound"),
            with_cell(ref, "while True:\n    pass\n"),
        ),
        (
            Case("loop-in-function", FULL - 2, True, "one_hot ran past"),
            solution(ref, "one-hot", LOOP_IN_FUNCTION),
        ),
        (Case("fork-loop", FULL, False), with_cell(ref, FORK_LOOP)),
        (Case("print-flood", FULL, False), with_cell(ref, PRINT_FLOOD)),
        (Case("syntax-error", FULL - 2, False), solution(ref, "one-hot", "def one_hot(y, n:\n")),
        (
            Case("deleted-locked-cells", FULL, True, "locked cell setup was deleted"),
            _drop(ref, {"setup", "normalize-rows-tests", "one-hot-tests"}),
        ),
        (
            Case(
                "edited-locked-cell", FULL - 2, True, "locked cell normalize-rows-tests was edited"
            ),
            solution(wrong, "normalize-rows-tests", "pass\n"),
        ),
        (Case("edits-public-inputs", FULL - 2, False), with_cell(wrong, EDIT_INPUTS)),
    ]
    out = []
    for case, nb in cases:
        write(base / case.name / MODULE, nb)
        out.append(case)
    (base / "corrupted-notebook" / MODULE).mkdir(parents=True)
    (base / "corrupted-notebook" / MODULE / f"{MODULE}.ipynb").write_bytes(b'{"cells": [\x00\xff')
    out.append(Case("corrupted-notebook", 0.0, True, "corrupted notebook"))
    (base / "missing-notebook" / MODULE).mkdir(parents=True)
    out.append(Case("missing-notebook", 0.0, True, "missing notebook"))
    (base / "wrong-name" / MODULE).mkdir(parents=True)
    nbformat.write(ref, base / "wrong-name" / MODULE / "my_answers.ipynb")
    out.append(Case("wrong-name", 0.0, True, "wrong name"))
    return out


def _drop(nb, grade_ids: set[str]):
    nb = copy.deepcopy(nb)
    nb.cells = [
        c
        for c in nb.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") not in grade_ids
    ]
    return nb
