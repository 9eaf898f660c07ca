"""Grading an instructor can trust: one class of hostile and honest submissions of module 00,
graded once through the function ``make grade`` calls. Every case gets the score it deserves and
the reason it deserves; the honest students' grades equal those from grading them alone; nothing
reads or writes what it must not; no case takes longer than its bound plus a margin."""

import csv
import fcntl
import importlib.util
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from autograder.authoring import course
from autograder.grading import grade
from autograder.grading.sandbox import confine

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile-grading")]
MODULE = "00_orientation"
# a machine shared by many (a submission's setup alone took 13 s at load 13 on 2 cores) can
# scale the bounds: COURSE_TEST_BOUNDS=4 multiplies them by 4
SCALE = float(os.environ.get("COURSE_TEST_BOUNDS", "1"))
WALL, CELL, CALL = 10.0 * SCALE, 3.0 * SCALE, 1.0 * SCALE
MARGIN = 8.0

spec = importlib.util.spec_from_file_location(
    "attacks", Path(__file__).parent / "hostile" / "attacks.py"
)
attacks = importlib.util.module_from_spec(spec)
sys.modules["attacks"] = attacks
spec.loader.exec_module(attacks)


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    shutil.copy(course.ROOT / "nbgrader_config.py", root)
    shutil.copytree(course.SOURCE / MODULE, root / "build" / "source" / MODULE)
    shutil.copytree(course.CURRICULUM / MODULE, root / "curriculum" / MODULE)
    (root / "build" / "grading").mkdir(parents=True)
    shutil.copy(course.GRADING / f"{MODULE}.json", root / "build" / "grading")
    (root / "gradebook.db").write_bytes(b"")
    cases = attacks.build(root / "submitted", root)
    snapshot = {p: p.read_bytes() for p in (root / "submitted").rglob("*") if p.is_file()}
    protected = {p: p.read_bytes() for p in [course.DATA / f"{MODULE}.json"]}
    start = time.monotonic()
    grade.main(
        [MODULE, "--root", str(root), "--no-rebuild"]
        + ["--wall", str(WALL), "--cell", str(CELL), "--call", str(CALL)]
    )
    seconds = time.monotonic() - start
    with (root / "reports" / MODULE / grade.CSV_NAME).open() as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    details = json.loads((root / "reports" / MODULE / "details.json").read_text())
    return root, cases, rows, details, snapshot, protected, seconds


def test_every_case_scores_what_it_deserves(graded):
    _, cases, rows, *_ = graded
    assert set(rows) == {c.name for c in cases}
    wrong = []
    for c in cases:
        row = rows[c.name]
        got = (float(row["score"]), row["flagged"] == "True")
        if got != (c.score, c.flagged) or (
            c.reason not in row["reason"] if c.reason else row["reason"]
        ):
            wrong.append((c.name, got, row["reason"]))
    assert not wrong, wrong


def test_named_mistake_survives_monkeypatching(graded):
    details = graded[3]
    by = {d["student"]: d for d in details}
    for student in ("honest-mistake", "allclose-patched", "edits-public-inputs"):
        ex = next(v for v in by[student]["exercises"] if v["exercise"] == "normalize_rows")
        assert not ex["passed"] and ex["mistake"] == "normalised the columns", (student, ex)


def test_honest_grades_equal_grading_them_alone(graded):
    root, cases, rows, *_ = graded
    honest = [c.name for c in cases if c.honest]
    limits = confine.Limits(wall_seconds=WALL, cell_seconds=CELL, call_seconds=CALL)
    alone = grade.grade_class(MODULE, root, limits, jobs=1, only=honest)
    for d in alone:
        mine = rows[d["row"]["student"]]
        assert float(mine["score"]) == d["row"]["score"]
        for gid, points in d["row"].items():
            if gid.endswith("-tests"):
                assert float(mine[gid]) == points


def test_nothing_outside_the_scratch_space_changed(graded):
    root, _, rows, _, snapshot, protected, _ = graded
    for path, data in {**snapshot, **protected}.items():
        assert path.read_bytes() == data, path
    with (root / "reports" / MODULE / grade.CSV_NAME).open() as f:
        assert sum(1 for _ in csv.DictReader(f)) == len(rows)
    if confine.can_confine():  # no process of a student survives grading (fork loop included)
        uids = set()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                uids.add(os.stat(f"/proc/{pid}").st_uid)
            except FileNotFoundError:
                pass
        ours = {d.get("uid") for d in graded[3]} - {None}
        lingering = []
        for uid in ours & uids:  # a uid in use by another grading run now holds its lock
            fd = os.open(confine.LOCKS / str(uid), os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                lingering.append(uid)
            except OSError:
                pass
            finally:
                os.close(fd)
        assert not lingering


def test_time_bounds(graded):
    *_, details, _, _, seconds = graded
    for d in details:
        assert d["seconds"] <= WALL + MARGIN, (d["student"], d["seconds"])
    loop = next(d for d in details if d["student"] == "loop-in-function")
    assert loop["seconds"] < WALL, (
        "a loop in a graded function costs one call bound, not one per case"
    )


def test_feedback_teaches_and_leaks_nothing(graded):
    root, cases, *_ = graded
    hidden = json.loads((course.GRADING / f"{MODULE}.json").read_text())
    for c in cases:
        page = (root / "feedback" / c.name / MODULE / "feedback.html").read_text()
        assert "check_hidden" not in page and "HIDDEN TESTS" not in page and "Traceback" not in page
        assert "__ndarray__" not in page
    page = (root / "feedback" / "honest-mistake" / MODULE / "feedback.md").read_text()
    assert "normalize_rows (0 / 2 points): not yet" in page
    assert "Known mistake: normalised the columns" in page and "Hint:" in page
    assert "one_hot (2 / 2 points): passed" in page
    # no hidden input or expected value is printed: long numbers of the hidden data never appear
    numbers = set()
    for ex in hidden["exercises"].values():
        for case in ex["cases"]:
            text = json.dumps(case["args"]) + json.dumps(case["expected"])
            numbers |= {t.strip("[],{}") for t in text.split() if len(t.strip("[],{}")) > 8}
    for c in cases:
        md = (root / "feedback" / c.name / MODULE / "feedback.md").read_text()
        assert not [n for n in numbers if n in md], c.name


def test_feedback_page_puts_name_score_and_code_first(graded):
    """The page opens with the student's name and score; each exercise's message sits beside
    the learner's own code for it; long lines wrap."""
    import html as html_lib
    import re

    import nbformat

    root, _, rows, *_ = graded
    page = (root / "feedback" / "honest-mistake" / MODULE / "feedback.html").read_text()
    title = re.search(r"<h1>(.*?)</h1>", page).group(1)
    score = f"{float(rows['honest-mistake']['score']):g} / {float(rows['honest-mistake']['max_score']):g}"
    assert title == f"{MODULE}: honest-mistake, {score}"
    assert page.index("<h1>") < page.index("<h2>")
    assert "white-space:pre-wrap" in page and "overflow-wrap:anywhere" in page
    nb = nbformat.read(root / "submitted" / "honest-mistake" / MODULE / f"{MODULE}.ipynb", 4)
    code = next(c.source for c in nb.cells if "def normalize_rows(" in c.source)
    section = next(s for s in page.split("<section") if "<h2>normalize_rows " in s)
    assert html_lib.escape(code) in section and "Known mistake: normalised the columns" in section
    md = (root / "feedback" / "honest-mistake" / MODULE / "feedback.md").read_text()
    assert md.startswith(f"# {MODULE}: honest-mistake, {score}")


def test_class_report(graded):
    root, *_ = graded
    report = (root / "reports" / MODULE / "class_report.md").read_text()
    assert "| normalize_rows | 2 |" in report and "normalised the columns" in report
    # the checker's diagnoses count too, not only catalogued mistakes; blank is kept apart
    one_hot = next(line for line in report.splitlines() if line.startswith("| one_hot |"))
    assert "time-out" in one_hot, one_hot
    assert re.search(r"raised (NameError|SyntaxError)", one_hot), one_hot
    who = report[report.index("## Who fails what") :]
    failing = next(line for line in who.splitlines() if line.startswith("- **one_hot**"))
    tried, blank = failing.split("; blank: ")
    assert "loop-in-function" in tried and "syntax-error" in tried
    assert "honest-blank" in blank and "honest-blank" not in tried
    blank_count = int(one_hot.split("|")[4])
    assert blank_count == blank.count(",") + 1 or "more" in blank
    assert (root / "reports" / MODULE / "grade_distribution.png").stat().st_size > 1000
    with (root / "reports" / MODULE / grade.CSV_NAME).open() as f:
        header = next(csv.reader(f))
    assert header[:5] == ["student", "score", "max_score", "flagged", "reason"]
