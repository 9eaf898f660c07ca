"""Each catalogued mistake, handed to its public check, is recognised and named with its hint."""

import pytest

from autograder import Checker, CheckFailed, course, harness


def test_public_checks_name_every_mistake(module):
    ns, declared = harness.reference_namespace(module)
    checker = Checker(module)
    for name, ex in declared.items():
        uses = tuple(ns[u] for u in ex.uses)
        checker(name, ns[name], *uses)  # the reference passes its own check
        for m in ex.mistakes:
            with pytest.raises(CheckFailed) as failure:
                checker(name, m.fn, *uses)
            message = str(failure.value)
            assert f"Known mistake: {m.name}." in message, (name, m.name, message)
            assert m.hint in message


def test_mistakes_as_a_submission_writes_them_are_the_catalogued_ones(module):
    """The code a test submission carries for a mistake (``harness.mistake_source``: the spec
    cell's definition and the spec helpers it uses) runs without the spec cells, which never
    reach a notebook, and is still recognised as that mistake."""
    _, declared = harness.reference_namespace(module)
    nb = course.read(module)
    base = course.exec_cells(course.library_sources(nb), module, kinds=("lib", "solution"))
    checker = Checker(module)
    for name, ex in declared.items():
        uses = tuple(base[u] for u in ex.uses)
        for m in ex.mistakes:
            scope = dict(base)
            exec(compile(harness.mistake_source(module, m.fn), "<submission>", "exec"), scope)
            with pytest.raises(CheckFailed) as failure:
                checker(name, scope[m.fn.__name__], *uses)
            assert f"Known mistake: {m.name}." in str(failure.value), (name, m.name)
