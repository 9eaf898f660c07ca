"""make collect: downloaded notebooks land in nbgrader's layout, and nothing is silently dropped."""

import json

from autograder.collect import collect

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
