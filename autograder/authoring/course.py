"""Reading a module's single source file in solutions/ and the pieces derived from it.

A module is one percent-format file, ``solutions/NN_slug.py``, read by jupytext. Its cells are:

- prose (markdown) and demonstration code, which go to the learner as they are;
- solution cells (nbgrader ``solution: true``): the reference, inside ``### BEGIN/END SOLUTION``;
- test cells (nbgrader ``grade: true``): ``check("name", fn)`` and, between
  ``### BEGIN/END HIDDEN TESTS``, ``check_hidden(...)``;
- spec cells (tag ``spec``): the exercise's cases and its catalogue of mistakes, dropped from every
  notebook and run only by the build;
- library cells (tag ``lib``): imports and helpers the reference needs, run by the build too.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
CURRICULUM = ROOT / "curriculum"
BUILD = ROOT / "build"
SOURCE = BUILD / "source"
GRADING = BUILD / "grading"
DATA = Path(__file__).resolve().parents[1] / "data"

CHECK_CALL = re.compile(r"""check\(\s*["']([\w.]+)["']""")
SOLUTION_BLOCK = re.compile(
    r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION[^\n]*\n?", re.S | re.M
)
HIDDEN_BLOCK = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[^\n]*\n?", re.S | re.M
)


def modules() -> list[str]:
    return sorted(p.stem for p in SOLUTIONS.glob("[0-9][0-9]_*.py"))


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def kind(cell) -> str:
    meta = nbgrader_meta(cell)
    if "spec" in tags(cell):
        return "spec"
    if cell.cell_type != "code":
        return "prose"
    if meta.get("solution"):
        return "solution"
    if meta.get("grade"):
        return "test"
    if "lib" in tags(cell):
        return "lib"
    return "code"


@dataclass
class TestCell:
    exercise: str
    grade_id: str
    points: float
    source: str


def read(module: str):
    import jupytext

    return jupytext.read(SOLUTIONS / f"{module}.py")


def test_cells(nb) -> list[TestCell]:
    found = []
    for cell in nb.cells:
        if kind(cell) != "test":
            continue
        meta = nbgrader_meta(cell)
        names = CHECK_CALL.findall(HIDDEN_BLOCK.sub("", cell.source))
        if len(set(names)) != 1:
            raise ValueError(
                f"test cell {meta.get('grade_id')!r} must check exactly one exercise, found {names}"
            )
        found.append(TestCell(names[0], meta["grade_id"], meta["points"], cell.source))
    return found


def source_notebook(nb, module: str):
    """The nbgrader source notebook: spec cells dropped, stable cell ids, plain metadata.

    Nothing in it depends on the spec cells: a change to an exercise's hidden cases or mistakes
    alone leaves the learner notebook byte for byte as it was, so a learner who has started the
    module is not offered a new release that holds nothing new (autograder.checking.workspace
    compares whole files)."""
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if kind(c) != "spec"]
    for i, cell in enumerate(out.cells):
        meta = nbgrader_meta(cell)
        cell["id"] = meta.get("grade_id") or f"cell-{i:03d}"
        cell.metadata.pop("lines_to_next_cell", None)
        if kind(cell) == "code":  # a demonstration: grading leaves it out while it is unchanged
            cell.metadata["course"] = {"demo": demo_digest(cell.source)}
        if not cell.metadata.get("tags"):
            cell.metadata.pop("tags", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    out.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
        "course": {"module": module},
    }
    out.nbformat, out.nbformat_minor = 4, 5
    nbformat.validate(out)
    return out


def demo_digest(source: str) -> str:
    """A demonstration cell's fingerprint, blind to trailing whitespace (autograder.grading.
    nbgrader_plugins.GradingExecute leaves out a cell that still has it)."""
    text = "\n".join(line.rstrip() for line in source.strip().splitlines())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def without_solution_markers(source: str) -> str:
    """The reference code of a solution cell as a learner would have written it."""
    return SOLUTION_BLOCK.sub(lambda m: m.group(2), source)


def library_sources(nb, cells_from=None) -> list[tuple[str, str]]:
    """(kind, source) of the cells the build runs, in order.

    ``cells_from`` maps a solution cell's grade_id to replacement source (a learner's version).
    """
    out = []
    for cell in nb.cells:
        k = kind(cell)
        if k not in ("lib", "solution", "spec"):
            continue
        src = cell.source
        if k == "solution":
            gid = nbgrader_meta(cell).get("grade_id")
            src = (
                cells_from[gid]
                if cells_from and gid in cells_from
                else without_solution_markers(src)
            )
        out.append((k, src))
    return out


def exec_cells(sources: list[tuple[str, str]], module: str, kinds=("lib", "solution", "spec")):
    """Run cells in a fresh namespace; returns the namespace."""
    ns: dict = {"__name__": f"solutions_{module}"}
    for k, src in sources:
        if k in kinds:
            exec(compile(src, f"<{module}:{k}>", "exec"), ns)
    return ns
