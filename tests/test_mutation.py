"""``make mutation``'s machinery: the mutants it makes, the verdicts it gives, and its confinement.
(The scores themselves are measured by ``make mutation``, outside ``make test``.)"""

import dataclasses

import pytest

from autograder.authoring import course, mutation


@pytest.fixture(scope="session")
def orientation():
    return mutation.module_context("00_orientation")


def test_mutants_use_mutmuts_operators_and_the_courses_own():
    made = mutation.mutants("00_orientation", "normalize_rows")
    operators = {m.operator for m in made}
    assert {"operator_swap_op", "operator_number", "operator_arg_removal"} <= operators
    assert {"drop_term", "swap_args"} <= operators
    source, _ = mutation.definition("00_orientation", "normalize_rows")
    assert len({m.code for m in made}) == len(made)  # no duplicates
    for m in made:
        assert m.code != source
        compile(m.code, "<mutant>", "exec")
        assert "axis" not in m.before or m.before != m.after
    # the line a mutant names is the line of the source file it changes
    lines = (course.SOLUTIONS / "00_orientation.py").read_text().splitlines()
    for m in made:
        assert lines[m.line - 1].strip() == m.before


def test_the_tests_kill_every_kept_mutant_of_one_hot(orientation):
    row = mutation.score_exercise("00_orientation", "one_hot", orientation, jobs=2, log=lambda _: 0)
    assert row["kept"] > 5
    assert row["killed"] == row["kept"] and not row["survivors"]


def test_without_its_tests_every_kept_mutant_survives(orientation):
    """A test cell that checks nothing kills nothing: each kept mutant is reported, with its line."""
    ns, declared, tests, public = orientation
    toothless = dict(tests)
    toothless["one_hot"] = dataclasses.replace(tests["one_hot"], source="pass\n")
    parts = (ns, declared, toothless, public)
    row = mutation.score_exercise("00_orientation", "one_hot", parts, jobs=2, log=lambda _: 0)
    assert row["kept"] > 5 and row["killed"] == 0
    assert len(row["survivors"]) == row["kept"]
    assert all(s["before"] and s["after"] and s["line"] for s in row["survivors"])


def test_an_equivalent_mutant_is_not_counted(orientation):
    """X / np.where(norms == 0, 2.0, norms) divides zero rows by 2: they stay zero."""
    ns, declared, tests, public = orientation
    ex = declared["normalize_rows"]
    made = [m for m in mutation.mutants("00_orientation", "normalize_rows") if "2.0" in m.after]
    assert made
    ctx = _ctx(orientation, "normalize_rows")
    verdicts = mutation.run_all(ctx, made, limit=20, jobs=1)
    assert [v.status for v in verdicts] == ["equivalent"] * len(made), ex.name


def _ctx(parts, name):
    ns, declared, tests, public = parts
    ex = declared[name]
    cases = mutation.battery("00_orientation", ex)
    driver = mutation.resolve_driver(ex.driver)
    expected = [mutation._run(driver, (ns[name],), c) for c in cases]
    return {
        "ns": ns,
        "test": tests[name],
        "exercise": ex,
        "data": public[name],
        "battery": cases,
        "expected": expected,
    }


@pytest.mark.parametrize(
    ("body", "how"),
    [
        ("    while True:\n        pass\n", "timeout"),
        # 16 GB asked for 256 MB at a time: the 3 GB address-space limit refuses it within
        # milliseconds, and without the limit the loop after it runs out the time (bytes() takes
        # its pages zeroed from the kernel, untouched; a bytearray writes every page first, which
        # on a loaded machine took past the 3 s time limit before the memory limit was reached)
        (
            "    blocks = [bytes(2**28) for _ in range(64)]\n    while blocks:\n        pass\n",
            "memory",
        ),
        ("    import os\n    os._exit(3)\n", "crash"),
    ],
    ids=["endless loop", "memory bomb", "dies"],
)
def test_a_mutant_that_hangs_or_explodes_is_killed_and_stops_nothing(orientation, body, how):
    ctx = _ctx(orientation, "one_hot")
    bad = mutation.Mutant("one_hot", 0, "test", 1, "", "", f"def one_hot(y, C):\n{body}")
    fine = mutation.mutants("00_orientation", "one_hot")[0]
    fine = dataclasses.replace(fine, index=1)
    verdicts = mutation.run_all(ctx, [bad, fine], limit=3, jobs=2)
    assert verdicts[0].status == "killed"
    # a MemoryError may also surface inside the check, which then fails: killed either way
    assert verdicts[0].how in ({how, "public"} if how == "memory" else {how})
    assert verdicts[1].status == "killed"
