"""make collect: downloaded notebooks land in nbgrader's layout, and nothing is silently dropped."""

import json

from autograder.grading.collect import collect

A = "00_orientation"


def write(path, text="{}"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_collect_places_renames_and_reports(tmp_path):
    downloads = tmp_path / "downloads"
    write(downloads / "ada.ipynb", json.dumps({"who": "ada"}))
    write(downloads / "bob" / "my answers.ipynb", json.dumps({"who": "bob"}))
    write(downloads / "cy" / f"{A}.ipynb", json.dumps({"who": "cy"}))
    write(downloads / "cy" / "scratch.ipynb")
    write(downloads / "dee" / "a.ipynb")
    write(downloads / "dee" / "b.ipynb")
    write(downloads / "eve" / "notes.txt")
    write(downloads / "readme.txt")

    problems = collect(A, downloads, root=tmp_path)

    for student in ("ada", "bob", "cy"):
        placed = tmp_path / "submitted" / student / A / f"{A}.ipynb"
        assert json.loads(placed.read_text()) == {"who": student}
    assert not (tmp_path / "submitted" / "dee").exists()
    assert any(p.startswith("dee: several notebooks") for p in problems)
    assert any(p.startswith("eve: no notebook") for p in problems)
    assert any(p.startswith("readme.txt: not a notebook") for p in problems)


def test_collect_records_times_and_keeps_earlier_submissions(tmp_path):
    import os

    from autograder.grading.collect import parse_time

    downloads = tmp_path / "downloads"
    write(downloads / "ada.ipynb", json.dumps({"v": 1}))
    write(downloads / "bob" / "answers.ipynb", json.dumps({"v": 1}))
    write(downloads / "bob" / "timestamp.txt", "2026-11-30T14:30:00Z")  # an LMS's ISO time
    on_time = parse_time("2026-11-30 10:00:00.000000 UTC").timestamp()
    os.utime(downloads / "ada.ipynb", (on_time, on_time))
    assert collect(A, downloads, root=tmp_path) == []
    ada = (tmp_path / "submitted" / "ada" / A / "timestamp.txt").read_text()
    assert ada.strip() == "2026-11-30 10:00:00.000000 UTC"
    assert (
        (tmp_path / "submitted" / "bob" / A / "timestamp.txt")
        .read_text()
        .startswith("2026-11-30 14:30:00")
    )

    write(downloads / "ada.ipynb", json.dumps({"v": 2}))  # ada submits again
    problems = collect(A, downloads, root=tmp_path)
    assert len(problems) == 1 and problems[0].startswith("ada: already collected")
    placed = tmp_path / "submitted" / "ada" / A / f"{A}.ipynb"
    assert json.loads(placed.read_text()) == {"v": 1}
    assert collect(A, downloads, root=tmp_path, update=True) == []
    assert json.loads(placed.read_text()) == {"v": 2}
    (kept,) = (tmp_path / "archive" / A / "ada").glob(f"*/{A}.ipynb")
    assert json.loads(kept.read_text()) == {"v": 1}
    assert (kept.parent / "timestamp.txt").read_text().startswith("2026-11-30 10:00:00")
