"""The instructor's path as the README gives it, on a small class of module 00 in a course folder
of its own: release, then ``make collect``, ``make grade``, ``make feedback``, ``make export``,
run as written. nbgrader's own gradebook (read through its API) then holds what the grader
decided: autograded cells graded with the CSV's scores and needing no person, the tampered
submission flagged, the late one penalised by nbgrader's LateSubmissionPlugin against the
assignment's due date. Then one student is regraded without touching the others, and one removed.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pytest

from autograder.authoring import course
from autograder.grading import grade, harness

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("instructor-workflow")]
MODULE = "00_orientation"
DUE = "2026-11-30 12:00:00 UTC"
ON_TIME = "2026-11-30 10:00:00 UTC"
LATE = "2026-11-30 14:30:00 UTC"


def make(root: Path, *args: str) -> subprocess.CompletedProcess:
    """A make target of the course's Makefile, run in ``root`` as an instructor runs it."""
    venv = Path(sys.executable).parent.parent
    cmd = ["make", "--no-print-directory", "-C", str(root), "-f", str(course.ROOT / "Makefile")]
    done = subprocess.run(
        [*cmd, f"VENV={venv}", *args], capture_output=True, text=True, env=dict(os.environ)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def rows_of(root: Path) -> dict[str, dict]:
    with (root / "reports" / MODULE / grade.CSV_NAME).open() as f:
        return {r["student"]: r for r in csv.DictReader(f)}


def gradebook(root: Path) -> dict[str, dict]:
    from nbgrader.api import Gradebook

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(grade.db_url(root)) as gb:
            for sub in gb.assignment_submissions(MODULE):
                nb = next(n for n in sub.notebooks if n.name == MODULE)
                out[sub.student_id] = {
                    "timestamp": sub.timestamp,
                    "score": nb.score,
                    "needs_manual_grade": nb.needs_manual_grade,
                    "flagged": nb.flagged,
                    "penalty": nb.late_submission_penalty,
                    "grades": {
                        g.name: (g.auto_score, g.needs_manual_grade, g.manual_score)
                        for g in nb.grades
                    },
                }
    return out


@pytest.fixture(scope="session")
def course_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    harness.course_folder(root, MODULE)  # the release: generate_assignment and the gradebook
    (root / "pyproject.toml").symlink_to(course.ROOT / "pyproject.toml")  # make's install rule
    with (root / "nbgrader_config.py").open("a") as f:
        f.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    done = grade.nbgrader("db", "assignment", "add", MODULE, f"--duedate={DUE}", root=root)
    assert done.returncode == 0, done.stderr
    downloads = harness.small_class(root, MODULE)
    for student, path in downloads.items():
        if student != "bob":
            stamp = grade_time(ON_TIME)
            os.utime(path, (stamp, stamp))
    (downloads["bob"].parent / "timestamp.txt").write_text(LATE + "\n")
    collected = make(root, "collect", f"ASSIGNMENT={MODULE}", "FROM=downloads")
    graded = make(root, "grade", f"ASSIGNMENT={MODULE}")
    return root, downloads, collected.stdout, graded.stdout + graded.stderr


def grade_time(text: str) -> float:
    from autograder.grading.collect import parse_time

    return parse_time(text).timestamp()


def test_collect_records_each_submission_time(course_folder):
    root, _, collected, _ = course_folder
    for student, when in (("ada", ON_TIME), ("bob", LATE), ("cy", ON_TIME)):
        stamp = root / "submitted" / student / MODULE / "timestamp.txt"
        assert grade_time(stamp.read_text()) == grade_time(when), student
    assert "collected bob (was my answers.ipynb), submitted 2026-11-30 14:30:00" in collected


def test_grade_prints_one_line_per_student(course_folder):
    _, _, _, out = course_folder
    lines = out.strip().splitlines()
    assert "Warning" not in out and "SAWarning" not in out, out
    assert len(lines) == 5, out  # four students, then the paths of the scores and the report
    assert lines[0].split() == ["ada", "7", "/", "7"]
    assert "bob" in lines[1] and "h late: penalty" in lines[1]
    assert "dee" in lines[3] and "FLAGGED: locked cell normalize-rows-tests was edited" in lines[3]
    assert "class_report.md" in lines[-1] and grade.CSV_NAME in lines[-1]


def test_gradebook_holds_what_the_grader_decided(course_folder):
    root, *_ = course_folder
    rows = rows_of(root)
    book = gradebook(root)
    assert set(book) == set(rows) == {"ada", "bob", "cy", "dee"}
    for student, row in rows.items():
        entry = book[student]
        assert entry["needs_manual_grade"] is False, student
        for name, (auto, needs, manual) in entry["grades"].items():
            assert auto == float(row[name]) and needs is False and manual is None, (student, name)
        assert entry["score"] == float(row["score"])
        assert entry["flagged"] == (row["flagged"] == "True"), student
    assert [s for s in rows if rows[s]["flagged"] == "True"] == ["dee"]
    assert float(rows["ada"]["score"]) == 7 and float(rows["cy"]["score"]) == 0
    # late: nbgrader's LateSubmissionPlugin ("zero") takes bob's whole score; on time: nothing
    assert 0 < book["bob"]["score"] < 7 and book["bob"]["penalty"] == book["bob"]["score"]
    assert book["ada"]["penalty"] is None and book["dee"]["penalty"] is None
    assert str(book["bob"]["timestamp"]).startswith("2026-11-30 14:30")


def test_feedback_then_export_as_documented(course_folder):
    root, *_ = course_folder
    make(root, "feedback", f"ASSIGNMENT={MODULE}")
    hidden = json.loads((course.GRADING / f"{MODULE}.json").read_text())
    numbers = set()
    for ex in hidden["exercises"].values():
        for case in ex["cases"]:
            text = json.dumps(case["args"]) + json.dumps(case["expected"])
            numbers |= {t.strip("[],{}") for t in text.split() if len(t.strip("[],{}")) > 8}
    for student in ("ada", "bob", "cy", "dee"):
        folder = root / "feedback" / student / MODULE
        nbgrader_page = (folder / f"{MODULE}.html").read_text()
        ours = (folder / "feedback.html").read_text()  # make grade's page survives make feedback
        for page in (nbgrader_page, ours):
            assert "HIDDEN TESTS" not in page and "check_hidden" not in page
            assert not [n for n in numbers if n in page], student
    bob = (root / "feedback" / "bob" / MODULE / f"{MODULE}.html").read_text()
    assert "Known mistake:" in bob and "Late submission penalty" in bob

    out = make(root, "export").stdout
    assert "reports/canvas_grades.csv" in out
    with (root / "reports" / "gradebook_export.csv").open() as f:
        exported = {r["student_id"]: r for r in csv.DictReader(f)}
    rows = rows_of(root)
    for student, row in rows.items():
        assert float(exported[student]["raw_score"]) == float(row["score"])
    assert float(exported["bob"]["score"]) == 0.0 and float(exported["ada"]["score"]) == 7.0
    # Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, one column per
    # assignment; a "Points Possible" row; the score after the late penalty
    with (root / "reports" / "canvas_grades.csv").open() as f:
        canvas = list(csv.reader(f))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", MODULE]
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "7"
    by_login = {r[3]: r[5] for r in canvas[2:]}
    assert by_login == {"ada": "7", "bob": "0", "cy": "0", "dee": "7"}


def test_a_second_collect_forgets_nothing(course_folder, capsys):
    root, downloads, *_ = course_folder
    from autograder.grading.collect import collect

    target = root / "submitted" / "cy" / MODULE / f"{MODULE}.ipynb"
    before = target.read_bytes()
    problems = collect(MODULE, root / "downloads", root)  # the same downloads: nothing changes
    assert not problems and target.read_bytes() == before
    fixed = root / "second" / "cy.ipynb"
    fixed.parent.mkdir()
    nbformat.write(harness.submission(MODULE, harness.Variant("reference")), fixed)
    os.utime(fixed, (grade_time(ON_TIME) + 60, grade_time(ON_TIME) + 60))
    problems = collect(MODULE, fixed.parent, root)
    assert problems and "cy: already collected" in problems[0] and "--update" in problems[0]
    assert target.read_bytes() == before
    collect(MODULE, fixed.parent, root, update=True)
    assert target.read_bytes() == fixed.read_bytes()
    kept = list((root / "archive" / MODULE / "cy").glob(f"*/{MODULE}.ipynb"))
    assert [p.read_bytes() for p in kept] == [before]


def test_regrade_one_student_then_remove_one(course_folder):
    """After the second collect, cy's new submission is graded alone: only cy's row, pages and
    gradebook entries change. Then dee's submission is removed and regraded away."""
    root, *_ = course_folder
    if not (root / "archive" / MODULE / "cy").exists():
        pytest.skip("needs test_a_second_collect_forgets_nothing first")
    rows, book = rows_of(root), gradebook(root)
    pages = {p: p.read_bytes() for p in (root / "feedback").rglob("*") if p.is_file()}
    out = make(root, "grade", f"ASSIGNMENT={MODULE}", "STUDENT=cy").stdout
    assert out.strip().splitlines()[0].split()[:4] == ["cy", "7", "/", "7"]
    new_rows, new_book = rows_of(root), gradebook(root)
    assert {s: r for s, r in new_rows.items() if s != "cy"} == {
        s: r for s, r in rows.items() if s != "cy"
    }
    assert float(rows["cy"]["score"]) == 0 and float(new_rows["cy"]["score"]) == 7
    assert {s: e for s, e in new_book.items() if s != "cy"} == {
        s: e for s, e in book.items() if s != "cy"
    }
    assert new_book["cy"]["score"] == 7
    for path, data in pages.items():
        if "/cy/" not in str(path):
            assert path.read_bytes() == data, path
    assert "cy, 7 / 7" in (root / "feedback" / "cy" / MODULE / "feedback.html").read_text()
    report = (root / "reports" / MODULE / "class_report.md").read_text()
    assert "blank: cy" not in report

    shutil.rmtree(root / "submitted" / "dee")
    out = make(root, "grade", f"ASSIGNMENT={MODULE}", "STUDENT=dee").stdout
    assert "dee" in out and "removed" in out
    assert set(rows_of(root)) == {"ada", "bob", "cy"} and set(gradebook(root)) == {
        "ada",
        "bob",
        "cy",
    }
    assert not (root / "feedback" / "dee" / MODULE).exists()
    report = (root / "reports" / MODULE / "class_report.md").read_text()
    assert "**dee**" not in report and "3 submissions" in report
