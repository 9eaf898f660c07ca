"""``make bench-grading``: the same 30 submissions graded by stock ``nbgrader autograde``
(sequential, in the student's kernel) and by ``autograder.grading.grade`` (confined, all cores), side by
side: seconds, submissions per second, and whether the scores agree.

The submissions are the module's reference, its blank release and each catalogued mistake
(``autograder.grading.harness``), repeated to 30 students, in a temporary course folder.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import shutil
import tempfile
import time
from pathlib import Path

from autograder.authoring import course
from autograder.grading import grade, harness


def make_class(root: Path, module: str, n: int) -> None:
    harness.course_folder(root, module)
    _, declared = harness.reference_namespace(module)
    variants = itertools.cycle(harness.variants(declared))
    for i in range(n):
        v = next(variants)
        harness.submit(root, module, v, f"s{i:02d}-{v.name}"[:60])


def read(path: Path) -> dict[str, float]:
    with path.open() as f:
        return {r["student"]: float(r["score"]) for r in csv.DictReader(f)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default="00_orientation")
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        make_class(root, args.module, args.n)
        start = time.monotonic()
        stock_csv = grade.grade_stock(args.module, root=root, rebuild=False)
        stock_s = time.monotonic() - start
        stock = read(stock_csv)
        shutil.move(stock_csv, root / "stock.csv")
        start = time.monotonic()
        ours = read(grade.grade(args.module, root=root, rebuild=False, gradebook=False))
        ours_s = time.monotonic() - start
        differ = sorted(s for s in stock if stock[s] != ours.get(s))
        print(f"\n{args.n} submissions of {args.module}")
        print(f"{'grader':<34}{'seconds':>9}{'subs/s':>9}")
        print(f"{'stock nbgrader autograde (seq.)':<34}{stock_s:>9.1f}{args.n / stock_s:>9.2f}")
        print(
            f"{'autograder.grading.grade (confined, par.)':<34}{ours_s:>9.1f}{args.n / ours_s:>9.2f}"
        )
        print(f"speed-up: {stock_s / ours_s:.1f}x; scores agree: {not differ}")
        kept = course.ROOT / "reports" / f"bench-grading-{args.module}"
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(root / "reports" / args.module, kept)
        print(f"class report of these {args.n} submissions: {kept / 'class_report.md'}")
        if differ:
            for s in differ:
                print(f"  {s}: stock {stock[s]}, confined {ours.get(s)}")
            raise SystemExit(1)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
