"""Read a submission, compare it with the release, and choose the cells the runner executes.

Locked cells (the setup cell, every test cell) are matched with the release by nbgrader grade_id.
An edited or deleted locked cell is put back from the release and the submission is flagged with the
reason, as nbgrader's ``add_missing_cells`` and overwrite of locked cells would do, but the flag is
kept for the instructor. Test cells never run in the student's process: the grader judges the graded
functions itself. Demonstration cells the student left as released are skipped (no training at
grading time); edited demonstration cells and cells the student added run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MAGIC = re.compile(r"^(\s*)[%!].*$", re.M)


class Unreadable(Exception):
    """The submission cannot be graded at all (missing, wrong name, not a notebook)."""


@dataclass
class Plan:
    cells: list[str]  # sources to run, in order
    labels: list[str]  # what each one is, for feedback ("solution normalize-rows", "added cell 12")
    flags: list[str] = field(default_factory=list)  # tampering found, for the instructor


def find(folder: Path, assignment: str) -> Path:
    expected = folder / f"{assignment}.ipynb"
    if expected.is_file():
        return expected
    others = sorted(p.name for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    if others:
        raise Unreadable(
            f"notebook under the wrong name: expected {expected.name}, found {', '.join(others)}"
        )
    raise Unreadable(f"missing notebook: no {expected.name} in the submission")


def read(path: Path):
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise Unreadable(f"corrupted notebook: {path.name} is not valid JSON ({error})") from None
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        cells = list(nb.cells)
        for cell in cells:
            _ = cell.cell_type, cell.source
    except Exception as error:  # noqa: BLE001 - any malformed notebook is reported the same way
        raise Unreadable(f"corrupted notebook: {path.name} is not a notebook ({error})") from None
    return nb


def meta(cell) -> dict:
    m = cell.get("metadata", {}).get("nbgrader", {})
    return m if isinstance(m, dict) else {}


def strip_magics(source: str) -> str:
    """IPython syntax is not Python: magics and shell escapes become ``pass`` (the runner is plain
    Python, so there are no input transformers to abuse)."""
    if source.lstrip().startswith("%%"):
        return "pass  # cell magic skipped at grading"
    return MAGIC.sub(lambda m: f"{m.group(1)}pass  # magic skipped at grading", source)


def same(a: str, b: str) -> bool:
    return a.strip() == b.strip()


def plan(submission, release) -> Plan:
    by_gid = {}
    by_id = {}
    for cell in release.cells:
        gid = meta(cell).get("grade_id")
        if gid:
            by_gid[gid] = cell
        elif cell.get("id"):
            by_id[cell["id"]] = cell
    locked = {g: c for g, c in by_gid.items() if meta(c).get("locked") or meta(c).get("grade")}
    seen: set[str] = set()
    out = Plan([], [])
    for index, cell in enumerate(submission.cells):
        gid = meta(cell).get("grade_id")
        if gid in by_gid and gid not in seen:
            seen.add(gid)
            rel = by_gid[gid]
            if gid in locked:
                if cell.cell_type != rel.cell_type or not same(cell.source, rel.source):
                    out.flags.append(f"locked cell {gid} was edited (restored from the release)")
                if rel.cell_type == "code" and not meta(rel).get("grade"):
                    out.cells.append(rel.source)
                    out.labels.append(f"setup cell {gid}")
                continue
            if cell.cell_type == "code":  # a solution cell: the student's own code
                out.cells.append(strip_magics(cell.source))
                out.labels.append(f"solution cell {gid}")
            continue
        if cell.cell_type != "code":
            continue
        rel = by_id.get(cell.get("id"))
        helper = rel is not None and "lib" in rel.get("metadata", {}).get("tags", [])
        if rel is not None and rel.cell_type == "code" and same(cell.source, rel.source):
            if helper:  # a helper the exercises may call
                out.cells.append(strip_magics(cell.source))
                out.labels.append(f"helper cell {index + 1}")
            continue  # a demonstration left as released: not needed to grade
        out.cells.append(strip_magics(cell.source))
        out.labels.append(f"cell {index + 1} (added or edited by the student)")
    missing = [g for g in locked if g not in seen]
    for gid in missing:
        out.flags.append(f"locked cell {gid} was deleted (restored from the release)")
    setup = [
        g for g in missing if by_gid[g].cell_type == "code" and not meta(by_gid[g]).get("grade")
    ]
    out.cells[:0] = [by_gid[g].source for g in setup]
    out.labels[:0] = [f"setup cell {g}" for g in setup]
    for gid in by_gid:
        if gid not in locked and gid not in seen:
            out.flags.append(f"solution cell {gid} was deleted")
    return out
