"""Where an exercise lives: ``python -m autograder.authoring.where affine_backward``.

Prints, for a graded function's name, the source file and lines of its exercise, spec and test
cells, the driver and fixture files its checks name, its check data, its learner notebook and
the tests that cover it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from autograder.authoring import course

USED = re.compile(r"autograder\.([\w.]+):")


def cell_lines(module: str) -> list[tuple[int, str]]:
    """(first line, text) of every ``# %%`` cell of a module's source."""
    text = (course.SOLUTIONS / f"{module}.py").read_text().splitlines()
    starts = [i for i, line in enumerate(text) if line.startswith("# %%")] + [len(text)]
    return [(a + 1, "\n".join(text[a:b])) for a, b in zip(starts, starts[1:])]


def where(name: str) -> list[str]:
    for module in course.modules():
        data_path = course.DATA / f"{module}.json"
        if not data_path.exists():
            continue
        data = json.loads(data_path.read_text())
        if name not in data.get("exercises", {}):
            continue
        slug = module.split("_", 1)[1]
        out = [f"{name} is an exercise of {module}"]
        source = course.SOLUTIONS.relative_to(course.ROOT) / f"{module}.py"
        for line, text in cell_lines(module):
            head = text.splitlines()[0]
            if re.search(rf"^(def|class) {name}\b", text, re.M) and '"solution": true' in head:
                out.append(f"  reference   {source}:{line} (exercise cell)")
            elif "spec" in head and re.search(rf"""exercise\(\s*["']{name}["']""", text):
                out.append(f"  spec        {source}:{line} (cases, hidden cases, mistakes, driver)")
            elif '"grade": true' in head and re.search(rf"""check\(["']{name}["']""", text):
                points = re.search(r'"points": (\d+)', head)
                pts = f", {points.group(1)} points" if points else ""
                out.append(f"  test cell   {source}:{line}{pts}")
        used = sorted(set(USED.findall(json.dumps(data["exercises"][name]))))
        for dotted in used:
            out.append(f"  driver      autograder/{dotted.replace('.', '/')}.py")
        out.append(
            f"  check data  {data_path.relative_to(course.ROOT)} (public cases, expected outputs, mistakes)"
        )
        out.append(
            f"  hidden data {(course.GRADING / f'{module}.json').relative_to(course.ROOT)} (written by make build)"
        )
        out.append(
            f"  notebook    {(course.CURRICULUM / module / f'{module}.ipynb').relative_to(course.ROOT)}"
        )
        results = sorted((course.ROOT / "tests").glob(f"test_results_{slug}.py"))
        extra = f", {results[0].relative_to(course.ROOT)}" if results else ""
        out.append(f"  tests       make module MODULE={module} (every per-module test{extra})")
        return out
    return [f"no exercise called {name!r} in any module (names are case-sensitive)"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="graded function or class names")
    args = parser.parse_args(argv)
    found = True
    for name in args.names:
        lines = where(name)
        found &= not lines[0].startswith("no exercise")
        print("\n".join(lines))
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
