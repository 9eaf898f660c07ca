"""From an exercise's name to its files: ``python -m autograder.authoring.where NAME``."""

import re

from autograder.authoring import course, where


def test_where_finds_an_exercise_its_cells_driver_data_and_tests():
    lines = where.where("affine_backward")
    text = "\n".join(lines)
    assert lines[0] == "affine_backward is an exercise of 07_deep_network"
    source = (course.SOLUTIONS / "07_deep_network.py").read_text().splitlines()
    for kind, pattern in (
        ("reference", r"^def affine_backward\("),
        ("spec", r"""^\s*["']affine_backward["'],$|exercise\(\s*["']affine_backward"""),
        ("test cell", r"""^check\(["']affine_backward["']"""),
    ):
        line = int(re.search(rf"{kind}\s+solutions/07_deep_network.py:(\d+)", text).group(1))
        cell = source[line - 1 : line + 120]
        end = next((i for i, s in enumerate(cell[1:], 1) if s.startswith("# %%")), len(cell))
        assert any(re.search(pattern, s) for s in cell[:end]), (kind, line)
    assert "driver      autograder/modules/deep_network.py" in text
    assert "autograder/data/07_deep_network.json" in text
    assert "curriculum/07_deep_network/07_deep_network.ipynb" in text
    assert "make module MODULE=07_deep_network" in text


def test_where_says_when_there_is_no_such_exercise(capsys):
    assert where.main(["affine_backwards"]) == 1
    assert "no exercise called 'affine_backwards'" in capsys.readouterr().out
