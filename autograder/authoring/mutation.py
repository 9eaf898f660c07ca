"""``make mutation MODULE=NN_slug``: how many wrong versions of each exercise its tests catch.

Each exercise's reference is mutated with mutmut's operators (``mutmut.mutation.mutators``:
arithmetic and comparison operators swapped, numbers off by one, ``True``/``False`` flipped,
arguments replaced by ``None`` or dropped, ``a += b`` made ``a = b``, ...) and two of the course's
own that mutmut lacks: a term of a sum or product dropped (``a - b`` -> ``a``, ``b``), two
positional arguments swapped (``f(a, b)`` -> ``f(b, a)``) and a loop run at most once
(``while`` -> ``if``).

A mutant is **kept** when it behaves differently from the reference on a broad seeded battery of
inputs: the exercise's public and hidden cases, its hidden generator at further seeds, and the
spec's ``battery`` when it has one. The rest are equivalent (they compute the same thing, or
differ only in an error's wording) and are not counted. A kept mutant is **killed** when the
exercise's test cell fails on it, exactly as ``nbgrader autograde`` runs the cell (its public
check, then its hidden tests). Each mutant runs in a forked process of its own, with a time limit
and a memory limit, so one that loops or allocates without end is killed and stops nothing else.

The score of a module is killed / kept. Surviving mutants are listed with the line they change:
each is a wrong implementation that would get full marks, so either a case is missing (add it to
the spec's ``hidden``, or ``public`` when the learner should see it) or the mutant is harmless,
and the report says which (``harmless=`` in the spec).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import os
import pickle
import resource
import select
import signal
import sys
import time
import zlib
from dataclasses import dataclass, field

import numpy as np

from autograder.authoring import course, spec
from autograder.checking.checks import judge, module_data
from autograder.checking.drivers import resolve_driver
from autograder.checking.hidden import grading_dir
from autograder.checking.serialize import Raised, materialise

BATTERY_SEEDS = 6  # further seeds of an exercise's hidden generator
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space per mutant
REPORTS = course.ROOT / "reports" / "mutation"


@dataclass
class Mutant:
    exercise: str
    index: int
    operator: str
    line: int  # in the module's source file
    before: str
    after: str
    code: str = field(repr=False)


@dataclass
class Verdict:
    mutant: Mutant
    status: str  # "killed", "survived", "equivalent"
    how: str = ""  # what killed it: "public", "hidden", "timeout", "memory", "definition"


# ---------------------------------------------------------------------------------------------
# the mutants


def _course_operators():
    import libcst as cst

    def drop_term(node):
        """``a + b`` -> ``a`` and ``b``: a term of a sum or a factor of a product left out."""
        if isinstance(node.operator, cst.Add | cst.Subtract | cst.Multiply | cst.Divide):
            yield node.left
            yield node.right

    def swap_args(node):
        """``f(a, b)`` -> ``f(b, a)``: two positional arguments in the wrong order."""
        positional = [i for i, a in enumerate(node.args) if not a.keyword and not a.star]
        for i, j in zip(positional, positional[1:]):
            args = list(node.args)
            args[i] = node.args[i].with_changes(value=node.args[j].value)
            args[j] = node.args[j].with_changes(value=node.args[i].value)
            yield node.with_changes(args=args)

    def loop_once(node):
        """``while cond:`` -> ``if cond:``: a loop that should repeat runs at most once."""
        if node.orelse is None:
            yield cst.If(test=node.test, body=node.body, leading_lines=node.leading_lines)

    return [(cst.BinaryOperation, drop_term), (cst.Call, swap_args), (cst.While, loop_once)]


def _operators():
    from mutmut.mutation.mutators import mutation_operators

    return [*mutation_operators, *_course_operators()]


def definition(module: str, name: str) -> tuple[str, int]:
    """The reference's ``def name``/``class name`` as written in solutions/, and its first line
    there."""
    text = (course.SOLUTIONS / f"{module}.py").read_text()
    # the file is the notebook's source: find the exercise's definition at the top level
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lines = text.splitlines(keepends=True)[first - 1 : node.end_lineno]
            return "".join(lines), first  # the solution markers are comments: they stay
    raise LookupError(f"{module} has no top-level definition of {name}")


def mutants(module: str, name: str) -> list[Mutant]:
    """Every mutant of the exercise's reference, each a whole definition, without duplicates."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    source, first = definition(module, name)
    wrapper = MetadataWrapper(cst.parse_module(source))
    tree = wrapper.module
    positions = wrapper.resolve(PositionProvider)

    def file_line(line: int) -> int:
        return first + line - 1

    class Collect(cst.CSTVisitor):
        def __init__(self):
            self.nodes = []

        def on_visit(self, node):
            if isinstance(node, cst.Annotation | cst.Decorator):
                return False
            if isinstance(node, cst.SimpleStatementLine) and _is_docstring(node):
                return False
            self.nodes.append(node)
            return True

    collect = Collect()
    tree.visit(collect)
    lines = source.splitlines()
    seen, out = {source}, []
    operators = _operators()
    for node in collect.nodes:
        for kind, operator in operators:
            if not isinstance(node, kind):
                continue
            for new in operator(node):
                code = tree.deep_replace(node, new).code
                if code in seen:
                    continue
                try:
                    compile(code, "<mutant>", "exec")
                except SyntaxError:
                    continue
                seen.add(code)
                line = positions[node].start.line
                new_lines = code.splitlines()
                after = new_lines[line - 1] if line - 1 < len(new_lines) else ""
                out.append(
                    Mutant(
                        exercise=name,
                        index=len(out),
                        operator=operator.__name__,
                        line=file_line(line),
                        before=lines[line - 1].strip(),
                        after=after.strip(),
                        code=code,
                    )
                )
    return out


def _is_docstring(node) -> bool:
    import libcst as cst

    body = node.body
    return (
        len(body) == 1
        and isinstance(body[0], cst.Expr)
        and isinstance(body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


# ---------------------------------------------------------------------------------------------
# the battery that tells a mutant from an equivalent one


def _variants(c: spec.Case) -> list[spec.Case]:
    """The case with its floats rounded to whole numbers (ties, exact zeros, equal values), its
    float arrays multiplied by 10 (larger magnitudes), and cut to the first example of the
    batch."""
    arrays = [a for a in (*c.args, *c.kwargs.values()) if isinstance(a, np.ndarray)]

    def each(fn):
        return spec.Case(
            tuple(fn(a) for a in c.args), {k: fn(v) for k, v in c.kwargs.items()}, c.note
        )

    def floats(fn):
        def apply(a):
            if isinstance(a, np.ndarray) and a.dtype.kind == "f":
                return fn(a)
            return float(np.round(a)) if isinstance(a, float) and fn is np.round else a

        return apply

    out = []
    if any(a.dtype.kind == "f" for a in arrays):
        out += [each(floats(np.round)), each(floats(lambda a: a * 10.0))]
    if arrays and arrays[0].ndim >= 1 and arrays[0].shape[0] > 1:
        n = arrays[0].shape[0]
        out.append(each(lambda a: a[:1] if _batch(a, n) else a))
    return out


def _batch(a, n: int) -> bool:
    return isinstance(a, np.ndarray) and a.ndim >= 1 and a.shape[0] == n


def battery(module: str, ex: spec.Exercise) -> list[spec.Case]:
    """Public and hidden cases, the hidden generator at further seeds, each of these varied
    (``_variants``: ties, larger values, a batch of one), and the spec's own ``battery`` (a
    function of a seeded generator). A case on which the reference raises or gives a value that
    is not finite is outside the statement and dropped (``score_exercise``)."""
    cases = list(ex.public)
    seed = zlib.crc32(f"{module}/{ex.name}".encode())
    if callable(ex.hidden):
        for k in range(BATTERY_SEEDS + 1):
            cases += list(ex.hidden(np.random.default_rng(seed + k)))
    else:
        cases += list(ex.hidden)
    cases += [v for c in cases for v in _variants(c)]
    if ex.battery is not None:
        cases += list(ex.battery(np.random.default_rng(seed + 1000)))
    return cases


def _finite(value) -> bool:
    """Whether an outcome is a plain, finite answer (no error, no NaN, no inf anywhere)."""
    if isinstance(value, Raised):
        return False
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, tuple | list):
        return all(_finite(v) for v in value)
    if isinstance(value, np.ndarray | float | np.floating):
        arr = np.asarray(value)
        return arr.dtype.kind not in "fc" or bool(np.all(np.isfinite(arr)))
    return True


def _run(driver, fns, c: spec.Case):
    args, kwargs = materialise(tuple(c.args)), materialise(dict(c.kwargs))
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return driver(fns, args, kwargs)
    except Exception as error:  # noqa: BLE001 - an outcome like any other
        return Raised(type(error).__name__, "")


def _same(data: dict, got, expected) -> bool:
    if isinstance(got, Raised) or isinstance(expected, Raised):
        return (
            isinstance(got, Raised)
            and isinstance(expected, Raised)
            and got.type_name == expected.type_name
        )
    try:
        with np.errstate(all="ignore"):
            return judge(data, got, expected) is None
    except Exception:  # noqa: BLE001 - whatever the mutant returned
        return False


# ---------------------------------------------------------------------------------------------
# running one mutant, confined


class _Timeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise _Timeout


def _judge_mutant(ctx: dict, mutant: Mutant) -> tuple[str, str]:
    """In the forked child: (status, how)."""
    ns = dict(ctx["ns"])
    try:
        exec(compile(mutant.code, f"<mutant {mutant.index}>", "exec"), ns)
    except Exception:  # noqa: BLE001
        return "killed", "definition"
    test = ctx["test"]
    scope = dict(ns)
    public_src = course.HIDDEN_BLOCK.sub("", test.source)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(public_src, "<public check>", "exec"), scope)
    except _Timeout:
        raise
    except BaseException:  # noqa: BLE001
        return "killed", "public"
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(test.source, "<test cell>", "exec"), dict(ns))
    except _Timeout:
        raise
    except BaseException:  # noqa: BLE001
        return "killed", "hidden"
    ex, data = ctx["exercise"], ctx["data"]
    driver = resolve_driver(ex.driver)
    fns = tuple(ns[n] if n == ex.name else ctx["ns"][n] for n in (ex.name, *ex.uses))
    for c, expected in zip(ctx["battery"], ctx["expected"]):
        if not _same(data, _run(driver, fns, c), expected):
            return "survived", ""
    return "equivalent", ""


def _child(ctx: dict, mutant: Mutant, limit: float, write_fd: int) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            result = _judge_mutant(ctx, mutant)
        except _Timeout:
            result = ("killed", "timeout")
        except MemoryError:
            result = ("killed", "memory")
        signal.setitimer(signal.ITIMER_REAL, 0)
        os.write(write_fd, pickle.dumps(result))
    finally:
        os._exit(0)


def run_all(ctx: dict, todo: list[Mutant], limit: float, jobs: int) -> list[Verdict]:
    """Every mutant in a forked child of its own, ``jobs`` at a time."""
    verdicts: dict[int, Verdict] = {}
    running: dict[int, tuple[Mutant, int, float]] = {}  # pid -> (mutant, read end, started)
    queue = list(todo)
    sys.stdout.flush()
    sys.stderr.flush()
    while queue or running:
        while queue and len(running) < jobs:
            mutant = queue.pop(0)
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _child(ctx, mutant, limit, write_fd)
            os.close(write_fd)
            running[pid] = (mutant, read_fd, time.monotonic())
        ready, _, _ = select.select([fd for _, fd, _ in running.values()], [], [], 0.5)
        for pid, (mutant, fd, started) in list(running.items()):
            overdue = time.monotonic() - started > limit + 10
            if fd not in ready and not overdue:
                continue
            if overdue:
                os.kill(pid, signal.SIGKILL)
            chunks = []
            while fd in ready and (chunk := os.read(fd, 65536)):
                chunks.append(chunk)
            os.close(fd)
            _, status = os.waitpid(pid, 0)
            if chunks:
                result = pickle.loads(b"".join(chunks))
            elif overdue:
                result = ("killed", "timeout")
            else:  # the child died: out of memory, or a crash
                result = ("killed", "memory" if os.WIFSIGNALED(status) else "crash")
            verdicts[mutant.index] = Verdict(mutant, *result)
            del running[pid]
    return [verdicts[m.index] for m in todo]


# ---------------------------------------------------------------------------------------------
# a module


def module_context(module: str):
    """The reference's namespace, the exercises declared, the test cells, the public data."""
    from autograder.grading.harness import reference_namespace

    if not (grading_dir() / f"{module}.json").exists():
        raise SystemExit(f"no hidden data for {module}: run make build first")
    with contextlib.redirect_stdout(io.StringIO()):
        ns, declared = reference_namespace(module)
    tests = {t.exercise: t for t in course.test_cells(course.read(module))}
    return ns, declared, tests, module_data(module)["exercises"]


def score_exercise(module: str, name: str, ctx_parts, jobs: int = 2, log=print) -> dict:
    ns, declared, tests, public = ctx_parts
    ex = declared[name]
    cases = battery(module, ex)
    driver = resolve_driver(ex.driver)
    fns = tuple(ns[n] for n in (name, *ex.uses))
    started = time.monotonic()
    expected = [_run(driver, fns, c) for c in cases]
    inside = [i for i, e in enumerate(expected) if _finite(e)]
    cases, expected = [cases[i] for i in inside], [expected[i] for i in inside]
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(tests[name].source, "<test cell>", "exec"), dict(ns))
    reference_time = time.monotonic() - started
    limit = max(10.0, 20 * reference_time)
    ctx = {
        "ns": ns,
        "test": tests[name],
        "exercise": ex,
        "data": public[name],
        "battery": cases,
        "expected": expected,
    }
    todo = mutants(module, name)
    verdicts = run_all(ctx, todo, limit, jobs)
    kept = [v for v in verdicts if v.status != "equivalent"]
    killed = [v for v in kept if v.status == "killed"]
    survivors = [v for v in kept if v.status == "survived"]
    rows = [
        {
            "line": v.mutant.line,
            "operator": v.mutant.operator,
            "before": v.mutant.before,
            "after": v.mutant.after,
            "harmless": next((w for key, w in ex.harmless.items() if key in v.mutant.after), None),
        }
        for v in survivors
    ]
    log(
        f"  {name}: {len(todo)} mutants, {len(kept)} kept, {len(killed)} killed, "
        f"{len(survivors)} survive ({time.monotonic() - started:.0f} s)"
    )
    for row in rows:
        note = f"  [survives because: {row['harmless']}]" if row["harmless"] else ""
        log(
            f"    line {row['line']} ({row['operator']}): {row['before']}  ->  {row['after']}{note}"
        )
    return {
        "exercise": name,
        "mutants": len(todo),
        "kept": len(kept),
        "killed": len(killed),
        "killed_by": {
            how: sum(v.how == how for v in killed) for how in sorted({v.how for v in killed})
        },
        "survivors": rows,
    }


def score_module(module: str, exercises: list[str] | None = None, jobs: int = 2) -> dict:
    ctx_parts = module_context(module)
    names = exercises or list(ctx_parts[1])
    print(f"{module}:")
    rows = [score_exercise(module, n, ctx_parts, jobs) for n in names]
    kept = sum(r["kept"] for r in rows)
    killed = sum(r["killed"] for r in rows)
    report = {
        "module": module,
        "kept": kept,
        "killed": killed,
        "score": killed / kept if kept else 1.0,
        "exercises": rows,
    }
    print(f"{module}: {killed} of {kept} kept mutants killed ({100 * report['score']:.1f}%)")
    return report


def table(reports: list[dict]) -> str:
    lines = ["| module | exercise | mutants kept | killed | survivors |", "|---|---|---|---|---|"]
    for rep in reports:
        for r in rep["exercises"]:
            lines.append(
                f"| {rep['module']} | {r['exercise']} | {r['kept']} | {r['killed']} | "
                f"{len(r['survivors'])} |"
            )
        lines.append(
            f"| **{rep['module']}** | all | {rep['kept']} | {rep['killed']} | "
            f"{rep['kept'] - rep['killed']} ({100 * rep['score']:.1f}% killed) |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m autograder.authoring.mutation")
    parser.add_argument("modules", nargs="+", help="modules, e.g. 04_gradient_descent")
    parser.add_argument("--exercise", action="append", help="only these exercises")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--min-score", type=float, default=None, help="fail below this share")
    args = parser.parse_args(argv)
    REPORTS.mkdir(parents=True, exist_ok=True)
    reports = []
    for module in args.modules:
        rep = score_module(module, args.exercise, args.jobs)
        if not args.exercise:
            path = REPORTS / f"{module}.json"
            path.write_text(json.dumps(rep, indent=1))
        reports.append(rep)
    print()
    print(table(reports))
    if args.min_score is not None and any(r["score"] < args.min_score for r in reports):
        raise SystemExit(f"below the {100 * args.min_score:.0f}% mutation score")


if __name__ == "__main__":
    main()
