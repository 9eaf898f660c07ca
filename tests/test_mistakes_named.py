"""Each catalogued mistake, handed to its public check, is recognised and named with its hint."""

import pytest

from autograder import Checker, CheckFailed, harness


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
