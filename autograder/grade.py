"""``make grade ASSIGNMENT=<id>``: grade every submission of one assignment with nbgrader.

Submissions sit in nbgrader's layout, ``submitted/<student>/<assignment>/<assignment>.ipynb``
(``make collect`` puts them there). This rebuilds the assignment's gradebook entry and hidden test
data from solutions/, runs ``nbgrader autograde``, and writes ``reports/<assignment>/grades.csv``
with one row per student: student, score, max_score, and the points of each exercise.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from pathlib import Path

from . import build, course


def nbgrader(*args: str, root: Path) -> subprocess.CompletedProcess:
    cmd = [str(Path(sys.executable).parent / "nbgrader"), *args]
    return subprocess.run(cmd, cwd=root, env=build.nbgrader_env(), capture_output=True, text=True)


def db_url(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def students(root: Path, assignment: str) -> list[str]:
    base = root / "submitted"
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())


def scores(root: Path, assignment: str) -> list[dict]:
    """One row per submitted student, read from the gradebook (a missing grade reads as 0)."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(db_url(root)) as gb:
        max_score = gb.find_assignment(assignment).max_score
        for student in students(root, assignment):
            row = {"student": student, "score": 0.0, "max_score": max_score, "reason": ""}
            try:
                nb = gb.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                row["reason"] = "not graded: the submission could not be run"
                rows.append(row)
                continue
            for grade in sorted(nb.grades, key=lambda g: g.name):
                row[grade.name] = grade.score
            row["score"] = nb.score
            if nb.needs_manual_grade:
                row["reason"] = "needs manual grading"
            rows.append(row)
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = ["student", "score", "max_score", "reason"]
    for row in rows:
        fields += [k for k in row if k not in fields]
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(rows)


def grade(assignment: str, root: Path = course.ROOT, rebuild: bool = True) -> Path:
    if rebuild:
        build.prepare(assignment)
        build.generate_assignment(assignment)
    if not students(root, assignment):
        raise SystemExit(f"no submissions in {root / 'submitted'}/*/{assignment}/")
    done = nbgrader("autograde", assignment, "--force", root=root)
    sys.stderr.write(done.stderr[-4000:] if done.returncode else "")
    out = root / "reports" / assignment / "grades.csv"
    write_csv(scores(root, assignment), out)
    print(f"grades of {assignment}: {out}")
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--root", type=Path, default=course.ROOT, help="nbgrader course folder")
    parser.add_argument("--no-rebuild", action="store_true", help="use the gradebook as it is")
    args = parser.parse_args(argv)
    grade(args.assignment, args.root.resolve(), rebuild=not args.no_rebuild)


if __name__ == "__main__":
    main()
