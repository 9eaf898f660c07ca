"""curriculum/ and the check data are current with solutions/, and nothing learner-facing leaks
a solution, a hidden test or a reference answer."""

import ast
import json
import re
from pathlib import Path

import nbformat
import numpy as np

from autograder.authoring import build, course
from autograder.checking.serialize import load

PACKAGE = Path(course.__file__).resolve().parents[1]
MARKERS = (
    "BEGIN SOLUTION",
    "END SOLUTION",
    "BEGIN HIDDEN TESTS",
    "END HIDDEN TESTS",
    "check_hidden",
)


def learner_files():
    """Everything a learner receives: the curriculum and the installed checking package."""
    files = [p for p in course.CURRICULUM.rglob("*") if p.is_file()]
    files += [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return files


def code_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if path.suffix == ".py":
        return path.read_text()
    return ""


def function_bodies(code: str) -> dict[str, str]:
    """AST dumps of the bodies of every function (docstrings dropped), keyed by the dump."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {}
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if body:
                found[ast.dump(ast.Module(body=body, type_ignores=[]))] = node.name
    return found


def reference_bodies(module: str) -> dict[str, str]:
    nb = course.read(module)
    out = {}
    for cell in nb.cells:
        if course.kind(cell) in ("solution", "spec"):
            out.update(function_bodies(course.without_solution_markers(cell.source)))
    return out


def solution_blocks(module: str) -> list[str]:
    nb = course.read(module)
    blocks = []
    for cell in nb.cells:
        if course.kind(cell) == "solution":
            for match in course.SOLUTION_BLOCK.finditer(cell.source):
                lines = [ln.strip() for ln in match.group(2).splitlines() if ln.strip()]
                lines = [ln for ln in lines if not ln.startswith(("#", "return ", "pass"))]
                if len(lines) >= 2:
                    blocks.append("\n".join(lines))
    return blocks


def normalised_lines(text: str) -> str:
    return "\n".join(ln.strip() for ln in text.splitlines() if ln.strip())


def test_curriculum_is_current(module):
    assert build.is_current(module), (
        f"curriculum/{module} or autograder/data/{module}.json is stale against solutions/: "
        "run `make build` and commit the result (and never edit curriculum/ by hand)"
    )


def test_release_notebook_is_clean(module):
    nb = nbformat.read(course.CURRICULUM / module / f"{module}.ipynb", as_version=4)
    # the module's name only: a digest of the source here would change the notebook with every
    # change to its hidden cases (test_a_change_to_spec_cells_alone_leaves_...)
    assert nb.metadata["course"] == {"module": module}
    for cell in nb.cells:
        assert not cell.get("outputs"), "learner notebooks are committed with outputs cleared"
        if course.kind(cell) == "solution":
            assert "raise todo()" in cell.source
        assert "spec" not in course.tags(cell)
    stray = {p.name for p in (course.CURRICULUM / module).iterdir()} - {f"{module}.ipynb"}
    assert not stray, f"unexpected files in the release: {stray}"


def test_no_markers_or_hidden_tests_in_learner_files():
    for path in learner_files():
        if path.suffix not in (".ipynb", ".py", ".json", ".md", ".txt"):
            continue
        text = path.read_text()
        for marker in MARKERS:
            if path.name in ("hidden.py", "course.py", "harness.py", "README.md"):
                continue  # the grader's own tools name the markers they look for
            assert marker not in text, f"{marker!r} in {path}"


def test_no_reference_code_in_learner_files(module):
    refs = reference_bodies(module)
    blocks = solution_blocks(module)
    assert refs, f"{module} has no reference functions to look for"
    for path in learner_files():
        code = code_of(path)
        if not code:
            continue
        leaked = set(function_bodies(code)) & set(refs)
        assert not leaked, f"{path} contains the reference of {[refs[k] for k in leaked]}"
        flat = normalised_lines(code)
        for block in blocks:
            assert block not in flat, f"{path} contains a solution block of {module}:\n{block}"


def arrays_in(obj):
    if isinstance(obj, np.ndarray):
        distinct = np.unique(obj[np.isfinite(obj)]) if obj.dtype.kind == "f" else []
        if len(distinct) >= 4 and not np.allclose(distinct, np.round(distinct)):
            values = obj[np.isfinite(obj)].ravel()
            yield values[~np.isclose(values, np.round(values))]
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from arrays_in(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from arrays_in(v)


def test_a_change_to_spec_cells_alone_leaves_the_learner_notebook_as_it_was(module):
    """Hidden cases, mistakes and tolerances live in spec cells, which the learner never sees: a
    change there must not change the learner notebook's bytes, or every learner who has started
    the module would be offered a new release with nothing new in it (workspace compares files)."""
    nb = course.read(module)
    edited = course.read(module)
    specs = [c for c in edited.cells if course.kind(c) == "spec"]
    assert specs, f"{module} has no spec cell"
    for cell in specs:
        cell.source += "\n# hidden cases changed\n"
    before = nbformat.writes(course.source_notebook(nb, module))
    assert nbformat.writes(course.source_notebook(edited, module)) == before
    nb.cells[0].source += " (prose changed)"  # and a change the learner sees does show
    assert nbformat.writes(course.source_notebook(nb, module)) != before


def test_public_data_holds_no_hidden_answers(module):
    hidden = load(course.GRADING / f"{module}.json")
    answers = [
        a
        for ex in hidden["exercises"].values()
        for c in ex["cases"]
        for a in arrays_in(c["expected"])
    ]
    public = json.loads((course.DATA / f"{module}.json").read_text())
    text = json.dumps(public)
    for answer in answers:
        needle = json.dumps(answer[:4].tolist())[1:-1]
        assert needle not in text, f"a hidden reference answer of {module} is in the public data"


def test_package_never_imports_solutions():
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text()
        assert not re.search(r"^\s*(from|import)\s+solutions\b", source, re.M), path


def test_the_tool_digest_follows_imports():
    """A change to any code the build runs, however deep, rebuilds the modules whose checks use it."""
    files = {str(p.relative_to(PACKAGE)) for p in build.tool_files(["modules.autograd"])}
    assert {
        "authoring/build.py",
        "modules/autograd.py",
        "modules/deep_network.py",  # imported by autograd
        "checking/drivers.py",  # imported by deep_network
        "checking/numerics.py",
        "checking/replay.py",
    } <= files
    assert {"checking/compare.py", "checking/serialize.py", "authoring/spec.py"} <= files
    assert "grading/grade.py" not in files and "modules/logistic_regression.py" not in files


def _course_imports(path: Path) -> set[str]:
    """Dotted names (below autograder.) of the course modules a file imports."""
    name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    return build.imported(name.removesuffix(".__init__"))


def test_modules_only_look_back():
    """A module's helper file imports the checking code and earlier modules' files, never a later
    module's, nor the authoring or grading code."""
    order = {slug.split("_", 1)[1]: int(slug[:2]) for slug in course.modules()}
    for path in sorted((PACKAGE / "modules").glob("*.py")):
        if path.stem == "__init__":
            continue
        assert path.stem in order, f"modules/{path.name} is named after no module in solutions/"
        for name in _course_imports(path):
            top, _, leaf = name.partition(".")
            assert top in ("checking", "modules"), f"modules/{path.name} imports autograder.{name}"
            if top == "modules" and leaf:
                assert order[leaf] < order[path.stem], f"modules/{path.name} imports a later {leaf}"


def test_no_import_cycles():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        name = "" if name == "__init__" else name
        graph[name] = {n for n in _course_imports(path) if n in graph or build.module_file(n)}
    done, active = set(), []

    def visit(node):
        if node in active:
            cycle = active[active.index(node) :] + [node]
            raise AssertionError("import cycle: " + " -> ".join(n or "autograder" for n in cycle))
        if node in done:
            return
        active.append(node)
        for nxt in sorted(graph.get(node, ())):
            if "." in nxt and nxt.rsplit(".", 1)[0] == node:
                continue  # a package importing its own submodule is not a cycle
            visit(nxt)
        active.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
