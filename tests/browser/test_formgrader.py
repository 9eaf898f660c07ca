"""formgrader, in the instructor's JupyterLab and in Chromium, after ``make grade`` on a small class
of module 00: every submission is "graded" (none waits for manual grading) with the score of the
grader's CSV, the tampered submission carries formgrader's flag, and a submission opens in
formgrader's grading view with the grader's message under its test cell."""

import csv
import json
import sys
from pathlib import Path

import pytest
from lab_session import MODULE, LabPage, jupyter_lab, keep_evidence

from autograder.grading import grade, harness

pytestmark = pytest.mark.browser


def instructor_config(state: Path) -> None:
    """The instructor's server: nbgrader's formgrader extension on, whatever the environment's
    default (the learner's view may turn it off)."""
    config = state / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": True}}}
        )
    )


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    harness.course_folder(root, MODULE)
    downloads = harness.small_class(root, MODULE)
    from autograder.grading.collect import collect

    collect(MODULE, downloads["ada"].parent, root)
    grade.grade(MODULE, root=root, rebuild=False)
    with (root / "reports" / MODULE / grade.CSV_NAME).open() as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return root, rows


def table(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"{selector} tr",
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td => td.innerText.trim()))",
    )


def test_formgrader_shows_what_the_grader_decided(tmp_path, browser_page, artifacts, graded_class):
    root, rows = graded_class
    lp = LabPage(browser_page, artifacts)
    page = browser_page
    state = tmp_path / "jupyter"
    instructor_config(state)
    try:
        with jupyter_lab(root, Path(sys.executable).parent, state, cwd=root) as lab:
            lp.lap("server up")
            # Manage Submissions: one row per student, status and score
            page.goto(f"{lab.url}/formgrader/manage_submissions/{MODULE}")
            page.wait_for_selector("#main-table tr td .label")
            shown = {r[1]: r for r in table(page, "#main-table")}
            lp.shot("manage-submissions")
            assert set(shown) == set(rows), shown
            for student, row in rows.items():
                status, score = shown[student][3], shown[student][4]
                assert status == "graded", (student, shown[student])
                assert score == f"{float(row['score']):g} / {float(row['max_score']):g}", (
                    student,
                    score,
                )

            # the notebook's gradebook: no manual grade needed, the flag on dee only
            page.goto(f"{lab.url}/formgrader/gradebook/{MODULE}/{MODULE}")
            page.wait_for_selector("#main-table tr td.score")
            lp.shot("gradebook-notebook")
            flagged = page.eval_on_selector_all(
                "#main-table tr",
                """rows => rows.map(r => [
                    r.querySelector('td.name').innerText.trim(),
                    !!r.querySelector('td.needs-manual-grade .glyphicon'),
                    !!r.querySelector('td.flagged .glyphicon-flag'),
                    r.querySelector('td.score').innerText.trim()])""",
            )
            assert len(flagged) == len(rows)
            assert not any(needs for _, needs, _, _ in flagged), flagged
            scores = sorted(s for *_, s in flagged)
            expected = sorted(
                f"{float(r['score']):g} / {float(r['max_score']):g}" for r in rows.values()
            )
            assert scores == expected, (scores, expected)
            assert sum(flag for _, _, flag, _ in flagged) == 1  # dee's edited locked cell
            assert [r["student"] for r in rows.values() if r["flagged"] == "True"] == ["dee"]

            # bob's submission in formgrader's grading view: his code and the grader's message
            page.goto(f"{lab.url}/formgrader/manage_students/bob/{MODULE}")
            page.wait_for_selector("#main-table tr td a")
            page.click("#main-table tr td a")
            message = page.wait_for_selector("text=Known mistake:", timeout=120_000)
            lp.shot("bob-in-formgrader", page.locator("text=Known mistake:").first)
            text = page.inner_text("body")
            assert "gives a wrong answer on public case" in text, text[:2000]
            assert "_normalize_columns" in text  # bob's own code, above the message
            assert "HIDDEN TESTS" not in text and "check_hidden" not in text
            assert message is not None
    finally:
        lp.lap("total")
        keep_evidence(lp, state)
