"""``make collect ASSIGNMENT=<id> FROM=<folder>``: put downloaded submissions in nbgrader's layout.

Accepted in FROM, one per student:
- ``<student>.ipynb``;
- ``<student>/<any name>.ipynb`` (a folder per student, as most LMS exports give; when a folder
  holds several notebooks, the one named ``<assignment>.ipynb`` wins).
Each lands in ``submitted/<student>/<assignment>/<assignment>.ipynb``, renamed if the student
saved it under another name. Anything that cannot be placed is listed, never silently dropped.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from . import course

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")


def find(source: Path, assignment: str) -> tuple[dict[str, Path], list[str]]:
    found: dict[str, Path] = {}
    problems: list[str] = []
    for entry in sorted(source.iterdir()):
        if entry.is_file() and entry.suffix == ".ipynb":
            found[entry.stem] = entry
        elif entry.is_dir():
            notebooks = sorted(entry.rglob("*.ipynb"))
            notebooks = [p for p in notebooks if ".ipynb_checkpoints" not in p.parts]
            exact = [p for p in notebooks if p.name == f"{assignment}.ipynb"]
            if exact or len(notebooks) == 1:
                found[entry.name] = (exact or notebooks)[0]
            elif notebooks:
                problems.append(f"{entry.name}: several notebooks, none named {assignment}.ipynb")
            else:
                problems.append(f"{entry.name}: no notebook")
        else:
            problems.append(f"{entry.name}: not a notebook")
    for student in list(found):
        if not STUDENT_ID.match(student):
            problems.append(f"{student!r}: not a usable student id")
            del found[student]
    return found, problems


def collect(assignment: str, source: Path, root: Path = course.ROOT) -> list[str]:
    found, problems = find(source, assignment)
    for student, path in found.items():
        target = root / "submitted" / student / assignment / f"{assignment}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        renamed = "" if path.name == target.name else f" (was {path.name})"
        print(f"collected {student}{renamed}")
    for problem in problems:
        print(f"skipped {problem}")
    return problems


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("source", type=Path)
    args = parser.parse_args(argv)
    collect(args.assignment, args.source)


if __name__ == "__main__":
    main()
