"""Score a module's test cells without a notebook server: the fast path for the course's own tests.

It runs the same test cells (public checks and hidden tests) that ``nbgrader autograde`` runs, in a
namespace built from the module's cells, and scores them as nbgrader does: a test cell earns its
points when it runs without error, nothing otherwise. It also writes real submission notebooks
(the reference, the untouched release, one per catalogued mistake) for the nbgrader round trip.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import io
from dataclasses import dataclass

import nbformat

from . import course, spec


@dataclass
class Variant:
    """A way of filling in the module's exercises: the reference, the blank release, a mistake."""

    name: str
    replaced: str | None = None  # the exercise a mistake replaces
    mistake: spec.Mistake | None = None


def release_notebook(module: str):
    return nbformat.read(course.CURRICULUM / module / f"{module}.ipynb", as_version=4)


def solution_cells(nb) -> dict[str, str]:
    return {
        course.nbgrader_meta(c)["grade_id"]: c.source
        for c in nb.cells
        if course.kind(c) == "solution"
    }


def reference_namespace(module: str):
    """Run the reference and the spec cells; returns (namespace, exercises declared)."""
    nb = course.read(module)
    spec.REGISTRY.clear()
    ns = course.exec_cells(course.library_sources(nb), module)
    declared = dict(spec.REGISTRY)
    spec.REGISTRY.clear()
    return ns, declared


def mistake_namespace(module: str, variant: Variant) -> dict:
    """The reference with one exercise replaced by a catalogued mistake. The reference runs anew,
    so that later exercises which call the replaced one call the mistake, as in a real notebook."""
    nb = course.read(module)
    ns = course.exec_cells(course.library_sources(nb), module, kinds=("lib", "solution"))
    ns[variant.replaced] = variant.mistake.fn
    return ns


def blank_namespace(module: str):
    nb = course.read(module)
    stubs = solution_cells(release_notebook(module))
    return course.exec_cells(course.library_sources(nb, stubs), module, kinds=("lib", "solution"))


def score(ns: dict, tests: list[course.TestCell]) -> dict[str, float]:
    """Points per exercise, as nbgrader awards them: all of a cell's points if it raises nothing."""
    earned = {}
    for test in tests:
        scope = dict(ns)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(test.source, f"<test {test.grade_id}>", "exec"), scope)
        except BaseException as error:  # noqa: BLE001 - any failure costs the cell its points
            if isinstance(error, KeyboardInterrupt):
                raise
            earned[test.exercise] = 0.0
        else:
            earned[test.exercise] = float(test.points)
    return earned


def variants(declared: dict[str, spec.Exercise]) -> list[Variant]:
    out = [Variant("reference"), Variant("blank")]
    for name, ex in declared.items():
        for m in ex.mistakes:
            out.append(Variant(f"mistake-{name}-{slug(m.name)}", name, m))
    return out


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def expected_loss(declared, tests, variant: Variant) -> set[str]:
    """The exercises a variant should fail."""
    if variant.name == "reference":
        return set()
    if variant.name == "blank":
        return {t.exercise for t in tests}
    return {variant.replaced}


def mistake_source(module: str, fn) -> str:
    """The source of a catalogued wrong implementation, from the module's spec cells."""
    nb = course.read(module)
    for cell in nb.cells:
        if course.kind(cell) != "spec":
            continue
        tree = ast.parse(cell.source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == fn.__name__:
                return ast.get_source_segment(cell.source, node)
    raise LookupError(f"no definition of {fn.__name__} in the spec cells of {module}")


def submission(module: str, variant: Variant):
    """The release notebook filled in as this variant would fill it in."""
    nb = copy.deepcopy(release_notebook(module))
    if variant.name == "blank":
        return nb
    source = course.read(module)
    reference = {
        course.nbgrader_meta(c)["grade_id"]: course.without_solution_markers(c.source)
        for c in source.cells
        if course.kind(c) == "solution"
    }
    target = None
    if variant.mistake is not None:
        target = next(
            gid
            for gid, src in reference.items()
            if f"def {variant.replaced}(" in src or f"class {variant.replaced}" in src
        )
    for cell in nb.cells:
        if course.kind(cell) != "solution":
            continue
        gid = course.nbgrader_meta(cell)["grade_id"]
        cell.source = reference[gid]
        if gid == target:
            wrong = mistake_source(module, variant.mistake.fn)
            cell.source += (
                f"\n\n\n{wrong}\n\n\n{variant.replaced} = {variant.mistake.fn.__name__}\n"
            )
    return nb
