"""``make build``: everything derived from solutions/, rebuilt for the modules that changed.

For each module it writes
- build/source/NN/NN.ipynb: nbgrader's source notebook (spec cells dropped);
- build/grading/NN.json: hidden cases with the reference's outputs (graders only, git-ignored);
- autograder/data/NN.json: public cases with the reference's and the mistakes' outputs;
- curriculum/NN/NN.ipynb: the learner notebook, by ``nbgrader generate_assignment``.

A curriculum notebook that is not the one the last build released (someone worked in it) is
never lost: before releasing over it, the build copies it into the learner's workspace and says
where (``autograder.checking.workspace.keep_edits``).

The reference runs here and at grading time only; what reaches the learner is its outputs on
public inputs.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import io
import json
import os
import re
import sys
import zlib
from pathlib import Path

import nbformat
import numpy as np

from autograder.authoring import course, spec
from autograder.checking import replay
from autograder.checking.drivers import resolve_driver
from autograder.checking.serialize import Raised, dump, encode, load, materialise

USED_MODULE = re.compile(r"autograder\.([\w.]+):")
PACKAGE = Path(__file__).resolve().parents[1]


def module_file(name: str) -> Path | None:
    """The file of ``autograder.<name>`` (a module or a package's ``__init__``), if it is ours."""
    path = PACKAGE.joinpath(*name.split(".")) if name else PACKAGE
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return None


def imported(name: str) -> set[str]:
    """The course's own modules that ``autograder.<name>`` imports, anywhere in its code."""
    path = module_file(name)
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(
                a.name[len("autograder.") :] for a in node.names if a.name.startswith("autograder.")
            )
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:  # from .compare import ..., from .. import spec
            parts = here[: len(here) - node.level + 1] + (
                node.module.split(".") if node.module else []
            )
            base = ".".join(p for p in parts if p)
        elif node.module and node.module.split(".")[0] == "autograder":
            base = node.module[len("autograder.") :] if "." in node.module else ""
        else:
            continue
        found.add(base)
        found.update(f"{base}.{a.name}".lstrip(".") for a in node.names)
    return {n for n in found if n and n != name and module_file(n)}


def tool_files(modules_used: list[str]) -> list[Path]:
    """The build and the drivers and fixtures a module's checks name, with everything they import
    from the course's package, followed to the end."""
    todo, seen = ["authoring.build", *modules_used], set()
    while todo:
        name = todo.pop()
        if name not in seen and module_file(name):
            seen.add(name)
            todo += sorted(imported(name))
    return sorted(module_file(n) for n in seen)


def tool_sha(modules_used: list[str]) -> str:
    """A digest of the code that turns this module's source into data. When it changes, the module
    rebuilds."""
    import hashlib

    h = hashlib.sha256()
    for path in tool_files(modules_used):
        h.update(str(path.relative_to(PACKAGE)).encode() + path.read_bytes())
    return h.hexdigest()


def modules_used(*datas: dict) -> list[str]:
    text = json.dumps([encode(d) for d in datas])
    return sorted(set(USED_MODULE.findall(text)))


def outcome(driver, fns, case: spec.Case):
    args = materialise(tuple(case.args))
    kwargs = materialise(dict(case.kwargs))
    try:
        return driver(fns, args, kwargs)
    except Exception as error:
        return Raised(type(error).__name__, str(error))


def hidden_cases(module: str, ex: spec.Exercise) -> list[spec.Case]:
    if callable(ex.hidden):
        rng = np.random.default_rng(zlib.crc32(f"{module}/{ex.name}".encode()))
        return list(ex.hidden(rng))
    return list(ex.hidden)


def exercise_data(
    ex: spec.Exercise, ns: dict, cases: list[spec.Case], test, private: list[str] = ()
) -> dict:
    driver = resolve_driver(ex.driver)
    ref_fns = tuple(ns[n] for n in (ex.name, *ex.uses))
    rows = []
    for c in cases:
        recording = replay.recorders(ref_fns)
        expected = outcome(driver, recording, c)
        if isinstance(expected, Raised) and expected.type_name == "NotImplementedError":
            raise RuntimeError(f"the reference of {ex.name} is a stub")
        calls = replay.recorded(ex.uses, recording)
        wrong = {}
        for m in ex.mistakes:
            # the mistakes' calls are recorded too: a learner who makes one of them and also got
            # an earlier function wrong gets that function's answers, and the mistake is named
            mistaken = replay.recorders((m.fn, *ref_fns[1:]))
            wrong[m.name] = outcome(driver, mistaken, c)
            for name, made in replay.recorded(ex.uses, mistaken).items():
                known = {
                    replay.key(replay.bound(ns[name], *call[:2])) for call in calls.get(name, [])
                }
                for call in made:
                    if replay.key(replay.bound(ns[name], *call[:2])) not in known:
                        calls.setdefault(name, []).append(call)
                        known.add(replay.key(replay.bound(ns[name], *call[:2])))
        row = {
            "args": tuple(c.args),
            "kwargs": dict(c.kwargs),
            "note": c.note,
            "expected": expected,
            "mistakes": wrong,
        }
        if (
            calls
        ):  # calls into the exercises it uses, with their answers (autograder.checking.replay)
            row["calls"] = calls
        rows.append(row)
    return {
        "name": ex.name,
        "grade_id": test.grade_id,
        "points": test.points,
        "driver": ex.driver,
        "uses": list(ex.uses),
        "outputs": list(ex.outputs) if ex.outputs else None,
        "advisory": list(ex.advisory) if ex.advisory else None,
        "private_caches": list(private) or None,
        "rtol": ex.rtol,
        "atol": ex.atol,
        "mistakes": [{"name": m.name, "hint": m.hint} for m in ex.mistakes],
        "cases": rows,
    }


def check_mistakes_differ(module: str, data: dict, label: str) -> None:
    """A catalogued mistake that agrees with the reference everywhere can be neither recognised
    nor penalised: refuse it."""
    from autograder.checking.checks import judge

    for ex in data["exercises"].values():
        for m in ex["mistakes"]:
            if all(judge(ex, c["mistakes"][m["name"]], c["expected"]) is None for c in ex["cases"]):
                raise ValueError(
                    f"{module}: mistake {m['name']!r} of {ex['name']} gives the reference's "
                    f"outputs on every {label} case; add a case that tells them apart"
                )


def prepare(module: str) -> dict:
    """Source notebook, public data and hidden data of one module. Returns the public data."""
    src_path = course.SOLUTIONS / f"{module}.py"
    source_sha = course.sha256(src_path)
    nb = course.read(module)

    source_nb = course.source_notebook(nb, module)
    out = course.SOURCE / module / f"{module}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(source_nb, out)

    lib_code = "\n".join(src for k, src in course.library_sources(nb) if k == "lib")
    if "todo" not in lib_code:
        raise ValueError(f"{module}: the setup cell must import todo (stubs raise todo())")
    tests = {t.exercise: t for t in course.test_cells(nb)}
    spec.REGISTRY.clear()
    with contextlib.redirect_stdout(io.StringIO()):
        ns = course.exec_cells(course.library_sources(nb), module)
    declared = dict(spec.REGISTRY)
    spec.REGISTRY.clear()
    if set(declared) != set(tests):
        raise ValueError(
            f"{module}: exercises with a spec but no test cell: {sorted(set(declared) - set(tests))};"
            f" test cells with no spec: {sorted(set(tests) - set(declared))}"
        )

    public = {"module": module, "source_sha256": source_sha, "exercises": {}}
    hidden = {"module": module, "source_sha256": source_sha, "exercises": {}}
    for name, ex in declared.items():
        private = [u for u in ex.uses if u in declared and declared[u].private_cache]
        public["exercises"][name] = exercise_data(ex, ns, ex.public, tests[name], private)
        hidden["exercises"][name] = exercise_data(
            ex, ns, hidden_cases(module, ex), tests[name], private
        )
    used = modules_used(public, hidden)
    for data in (public, hidden):
        data["tool_modules"] = used
        data["tool_sha256"] = tool_sha(used)
    check_mistakes_differ(module, public, "public")
    check_mistakes_differ(module, hidden, "hidden")
    dump(hidden, course.GRADING / f"{module}.json")
    return public


def public_data_path(module: str) -> Path:
    return course.DATA / f"{module}.json"


def release_path(module: str) -> Path:
    return course.CURRICULUM / module / f"{module}.ipynb"


def is_current(module: str) -> bool:
    """True when the committed learner notebook and data were built from today's source."""
    path = public_data_path(module)
    if not path.exists() or not release_path(module).exists():
        return False
    data = json.loads(path.read_text())
    return (
        data.get("source_sha256") == course.sha256(course.SOLUTIONS / f"{module}.py")
        and data.get("tool_sha256") == tool_sha(data.get("tool_modules", []))
        and data.get("notebook_sha256") == course.sha256(release_path(module))
    )


def nbgrader_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def generate_assignment(module: str) -> None:
    """Run nbgrader's own generate_assignment: it writes curriculum/ and the gradebook entry."""
    import subprocess

    cmd = [str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", module, "--force"]
    done = subprocess.run(cmd, cwd=course.ROOT, env=nbgrader_env(), capture_output=True, text=True)
    if done.returncode != 0 or not release_path(module).exists():
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"nbgrader generate_assignment {module} failed")


def released_sha(module: str) -> str | None:
    """The digest of the learner notebook the last build released (None before the first)."""
    try:
        return json.loads(public_data_path(module).read_text()).get("notebook_sha256")
    except (OSError, ValueError):
        return None


def keep_edits(module: str) -> None:
    """Copy an edited curriculum notebook into the workspace before it is released over."""
    # imported by name: the workspace's code makes no module's data, so it stays out of the tool
    # digest (``imported`` follows import statements) and changing it rebuilds nothing
    workspace = importlib.import_module("autograder.checking.workspace")
    kept = workspace.keep_edits(course.CURRICULUM, WORKSPACE, module, released_sha(module))
    if kept is not None:
        print(
            f"{module}: curriculum/{module}/{module}.ipynb had edits this build did not make; "
            f"kept them in {shown(kept)} before releasing the new version over it (`make lab` "
            "opens the workspace)"
        )


WORKSPACE = course.ROOT / "workspace"


def shown(path: Path) -> str:
    return str(path.relative_to(course.ROOT) if path.is_relative_to(course.ROOT) else path)


def build(modules: list[str], force: bool = False) -> None:
    for module in modules:
        current = is_current(module)
        public = prepare(module)
        if current and not force:
            print(f"{module}: up to date")
            continue
        keep_edits(module)
        generate_assignment(module)
        public["notebook_sha256"] = course.sha256(release_path(module))
        dump(public, public_data_path(module))
        print(f"{module}: built curriculum/{module}/{module}.ipynb")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to build (default: all)")
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args(argv)
    build(args.modules or course.modules(), force=args.force)


if __name__ == "__main__":
    main()

__all__ = ["build", "prepare", "is_current", "encode", "load"]
