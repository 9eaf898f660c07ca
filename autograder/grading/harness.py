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
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.authoring import course, spec
from autograder.checking.unfinished import _codes, _names_used


@dataclass
class Variant:
    """A way of filling in the module's exercises: the reference, the blank release, a mistake."""

    name: str
    replaced: str | None = None  # the exercise a mistake replaces
    mistake: spec.Mistake | None = None
    also: dict[str, spec.Mistake] = field(default_factory=dict)  # more exercises, more mistakes

    @property
    def replacements(self) -> dict[str, spec.Mistake]:
        """Every exercise this variant gets wrong, with the mistake it makes there."""
        first = {self.replaced: self.mistake} if self.mistake is not None else {}
        return {**first, **self.also}


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
    for name, mistake in variant.replacements.items():
        ns[name] = mistake.fn
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


def observes(ns: dict, test: course.TestCell) -> set[str]:
    """Every name of the notebook a test cell can reach: the names its code mentions and, through
    the notebook's own functions, classes and objects, the names those mention, transitively.
    A mistake in an exercise outside this set cannot change the cell's score (its functions
    never look that name up), so a round trip need not run the cell again for it."""
    own = ns.get("__name__")
    code = compile(test.source, f"<test {test.grade_id}>", "exec")
    todo = [n for c in _codes(code) for n in c.co_names]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in ns:
            continue
        seen.add(name)
        held = ns[name] if callable(ns[name]) else type(ns[name])  # an object: its class
        if getattr(held, "__module__", None) == own:  # the notebook's own, not a library's
            todo += _names_used(held)
    return seen


def score_reached(
    ns: dict, tests: list[course.TestCell], replaced: set[str], reference: dict, reach: dict
) -> dict[str, float]:
    """``score`` of a namespace in which the exercises ``replaced`` hold something else, running
    only the test cells that can reach one of them (``reach``: grade_id -> ``observes`` on the
    reference); every other cell keeps what it earns with the reference (``reference``)."""
    return {**reference, **score(ns, [t for t in tests if reach[t.grade_id] & replaced])}


def variants(declared: dict[str, spec.Exercise]) -> list[Variant]:
    out = [Variant("reference"), Variant("blank")]
    for name, ex in declared.items():
        for m in ex.mistakes:
            out.append(Variant(f"mistake-{name}-{slug(m.name)}", name, m))
    return out


def interleaved(declared: dict[str, spec.Exercise]) -> list[Variant]:
    """Two submissions that between them get every exercise wrong: the first catalogued mistake
    of the 1st, 3rd, 5th... exercise in one, of the 2nd, 4th... in the other. Each must lose the
    points of its wrong exercises and keep every other point."""
    names = [n for n, ex in declared.items() if ex.mistakes]
    out = []
    for label, chosen in (("odd", names[0::2]), ("even", names[1::2])):
        if chosen:
            out.append(
                Variant(f"mistakes-{label}", also={n: declared[n].mistakes[0] for n in chosen})
            )
    return out


def stock_half(modules: list[str], module: str) -> int:
    """Which of two classes the course's stock nbgrader test grades a module in: every other
    module goes to one, the rest to the other, each graded on one worker, side by side."""
    return modules.index(module) % 2


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def expected_loss(declared, tests, variant: Variant) -> set[str]:
    """The exercises a variant should fail."""
    if variant.name == "reference":
        return set()
    if variant.name == "blank":
        return {t.exercise for t in tests}
    return set(variant.replacements)


def mistake_source(module: str, fn) -> str:
    """The source of a catalogued wrong implementation, from the module's spec cells, preceded by
    the spec-cell helpers it uses (spec cells never reach a notebook, so a submission that makes
    the mistake must bring them along)."""
    nb = course.read(module)
    defined: dict[str, str] = {}
    for cell in nb.cells:
        if course.kind(cell) != "spec":
            continue
        tree = ast.parse(cell.source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined[node.name] = ast.get_source_segment(cell.source, node)
            elif isinstance(node, ast.Assign) and all(
                isinstance(t, ast.Name) for t in node.targets
            ):
                for target in node.targets:
                    defined[target.id] = ast.get_source_segment(cell.source, node)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    defined[bound] = ast.get_source_segment(cell.source, node)
    if fn.__name__ not in defined:
        raise LookupError(f"no definition of {fn.__name__} in the spec cells of {module}")
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        used = {n.id for n in ast.walk(ast.parse(defined[name])) if isinstance(n, ast.Name)}
        for other in sorted(used & set(defined) - {name}):
            visit(other)
        order.append(name)

    visit(fn.__name__)
    return "\n\n\n".join(defined[name] for name in order)


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
    targets = {}  # solution cell -> the exercises it defines that this variant gets wrong
    for name, mistake in variant.replacements.items():
        gid = next(
            gid for gid, src in reference.items() if f"def {name}(" in src or f"class {name}" in src
        )
        targets.setdefault(gid, []).append((name, mistake))
    for cell in nb.cells:
        if course.kind(cell) != "solution":
            continue
        gid = course.nbgrader_meta(cell)["grade_id"]
        cell.source = reference[gid]
        for name, mistake in targets.get(gid, []):
            wrong = mistake_source(module, mistake.fn)
            cell.source += f"\n\n\n{wrong}\n\n\n{name} = {mistake.fn.__name__}\n"
    return nb


def course_folder(root: Path, module: str, stock: bool = True) -> None:
    """A course folder of its own for one module, as an instructor's would be: the grading data,
    and either nbgrader's config and source with ``generate_assignment`` run there (``stock``,
    which also makes the gradebook) or just the committed release (enough for the confined
    grader)."""
    (root / "build" / "grading").mkdir(parents=True, exist_ok=True)
    shutil.copy(course.GRADING / f"{module}.json", root / "build" / "grading")
    if not stock:
        shutil.copytree(course.CURRICULUM / module, root / "curriculum" / module)
        return
    from autograder.grading.grade import nbgrader

    shutil.copy(course.ROOT / "nbgrader_config.py", root)
    shutil.copytree(course.SOURCE / module, root / "build" / "source" / module)
    done = nbgrader("generate_assignment", module, "--force", root=root)
    if done.returncode != 0:
        raise RuntimeError(f"generate_assignment {module} failed: {done.stderr[-2000:]}")


def submit(root: Path, module: str, variant: Variant, student: str | None = None) -> Path:
    """Write the variant's submission where nbgrader expects a student's, under ``root``."""
    path = root / "submitted" / (student or variant.name) / module / f"{module}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(submission(module, variant), path)
    return path


def small_class(root: Path, module: str = "00_orientation") -> dict[str, Path]:
    """Downloads of a small class, as an LMS gives them, for the instructor's tests: ``ada``
    writes the reference; ``bob`` (a folder with a timestamp.txt, as nbgrader's exchange writes
    it) makes the module's first catalogued mistake; ``cy`` leaves every stub untouched;
    ``dee`` writes the reference but edits a locked test cell. Returns each student's download."""
    _, declared = reference_namespace(module)
    first = next(name for name, ex in declared.items() if ex.mistakes)
    downloads = root / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    out = {
        "ada": downloads / "ada.ipynb",
        "bob": downloads / "bob" / "my answers.ipynb",
        "cy": downloads / "cy.ipynb",
        "dee": downloads / "dee.ipynb",
    }
    out["bob"].parent.mkdir(exist_ok=True)
    nbformat.write(submission(module, Variant("reference")), out["ada"])
    mistake = Variant("mistake", first, declared[first].mistakes[0])
    nbformat.write(submission(module, mistake), out["bob"])
    nbformat.write(submission(module, Variant("blank")), out["cy"])
    tampered = submission(module, Variant("reference"))
    test = next(c for c in tampered.cells if course.kind(c) == "test")
    test.source = "pass  # the check is not needed"
    nbformat.write(tampered, out["dee"])
    return out
