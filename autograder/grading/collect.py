"""``make collect ASSIGNMENT=<id> FROM=<folder>``: put downloaded submissions in nbgrader's layout.

Accepted in FROM, one per student:
- ``<student>.ipynb``;
- ``<student>/<any name>.ipynb`` (a folder per student, as most LMS exports give; when a folder
  holds several notebooks, the one named ``<assignment>.ipynb`` wins).
Each lands in ``submitted/<student>/<assignment>/<assignment>.ipynb``, renamed if the student
saved it under another name, with nbgrader's ``timestamp.txt`` beside it: the submission's time,
read from a ``timestamp.txt`` in the student's download folder (nbgrader's own format, or any ISO
date) when there is one, else from the notebook file's modification time (an LMS zip keeps the
upload time there). nbgrader's late penalty reads that time against the assignment's due date.

Nothing is forgotten: a student whose submission is already collected and differs from the new
download is refused (listed) unless ``--update`` (``make collect ... UPDATE=1``) is given; then the
earlier submission is kept in ``archive/<assignment>/<student>/<its time>/``, never deleted. A
download identical to the one collected is left as it is. Anything that cannot be placed is
listed, never silently dropped.
"""

from __future__ import annotations

import argparse
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from autograder.authoring import course

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")
# nbgrader's timestamp.txt format (nbgrader.utils.parse_utc reads it back)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"


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
        elif entry.name == "timestamp.txt":
            continue
        else:
            problems.append(f"{entry.name}: not a notebook")
    for student in list(found):
        if not STUDENT_ID.match(student):
            problems.append(f"{student!r}: not a usable student id")
            del found[student]
    return found, problems


def parse_time(text: str) -> datetime:
    """A time as nbgrader writes it (``2026-12-01 15:46:02.123456 UTC``) or any ISO 8601 date;
    a time without a zone is UTC."""
    text = text.strip()
    for fmt in (TIME_FORMAT, "%Y-%m-%d %H:%M:%S %Z"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            pass
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def submitted_at(path: Path, source: Path) -> datetime:
    """The submission's time: a timestamp.txt beside the notebook or in the student's download
    folder, else the notebook's modification time."""
    folder = path.parent
    while True:
        stamp = folder / "timestamp.txt"
        if stamp.is_file():
            return parse_time(stamp.read_text())
        if folder == source or source not in folder.parents:
            break
        folder = folder.parent
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime(TIME_FORMAT)


def archive(target: Path, root: Path, assignment: str, student: str) -> Path:
    """Move the collected submission folder to archive/<assignment>/<student>/<its time>/."""
    folder = target.parent
    ts = folder / "timestamp.txt"
    when = ts.read_text().strip() if ts.is_file() else stamp(datetime.now(UTC))
    label = re.sub(r"[^0-9A-Za-z]+", "-", when).strip("-")
    dest = root / "archive" / assignment / student / label
    n = 1
    while dest.exists():
        n += 1
        dest = dest.with_name(f"{label}-{n}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(folder), dest)
    return dest


def collect(
    assignment: str, source: Path, root: Path = course.ROOT, update: bool = False
) -> list[str]:
    found, problems = find(source, assignment)
    for student, path in found.items():
        target = root / "submitted" / student / assignment / f"{assignment}.ipynb"
        when = submitted_at(path, source)
        renamed = "" if path.name in (target.name, f"{student}.ipynb") else f" (was {path.name})"
        kept = ""
        if target.exists():
            if target.read_bytes() == path.read_bytes():
                print(f"unchanged {student}: already collected")
                continue
            if not update:
                problems.append(
                    f"{student}: already collected, and this download differs; "
                    "run again with --update (make collect ... UPDATE=1) to replace it "
                    "(the earlier one is kept in archive/)"
                )
                continue
            kept = f"; the earlier one is kept in {archive(target, root, assignment, student)}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        (target.parent / "timestamp.txt").write_text(stamp(when) + "\n")
        print(f"collected {student}{renamed}, submitted {stamp(when)}{kept}")
    for problem in problems:
        print(f"skipped {problem}")
    return problems


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("source", type=Path)
    parser.add_argument("--root", type=Path, default=course.ROOT, help="nbgrader course folder")
    parser.add_argument(
        "--update",
        action="store_true",
        help="replace submissions already collected (the earlier ones go to archive/)",
    )
    args = parser.parse_args(argv)
    collect(args.assignment, args.source.resolve(), args.root.resolve(), update=args.update)


if __name__ == "__main__":
    main()
