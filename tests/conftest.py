"""Shared set-up of the course's tests.

An expensive fixture (a graded class, a trained model) is session-scoped and its test file pinned to
one worker (``xdist_group``): with ``--dist loadgroup`` a worker interleaves test files, and a
module-scoped fixture would be built again each time its file's tests resume."""

import os
from pathlib import Path

import pytest

from autograder.authoring import course
from autograder.grading.harness import stock_half

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("COURSE_GRADING_DIR", str(ROOT / "build" / "grading"))
os.environ.setdefault("MPLBACKEND", "Agg")

# COURSE_MODULES=07_deep_network[,08_autograd] limits the per-module tests to those modules
# (`make module MODULE=...`, the authors' inner loop); by default every module is tested
MODULES = [
    m
    for m in course.modules()
    if not os.environ.get("COURSE_MODULES") or m in os.environ["COURSE_MODULES"].split(",")
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keep each ``xdist_group`` on one worker. pytest-xdist 3.8 marks a grouped test by adding
    ``@group`` to its node id through ``item._nodeid``, which pytest 9 no longer reads (the id
    lives in ``item._id``), so ``--dist loadgroup`` spread every group over both workers and each
    worker built the group's fixtures; this adds the suffix where pytest keeps it."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if names and "@" not in item.nodeid:
            grouped = f"{item.nodeid}@{'_'.join(sorted(names))}"
            if hasattr(item, "_id"):  # pytest 9 keeps the node id as a NodeId in _id
                from _pytest.nodeid import coerce_node_id

                item._id = coerce_node_id(grouped)
            else:
                item._nodeid = grouped


def pytest_generate_tests(metafunc):
    if "module" not in metafunc.fixturenames:
        return
    if metafunc.module.__name__ == "test_nbgrader_modules":
        # stock nbgrader grades every other module in one course folder, the rest in another:
        # each half on one worker, graded once, the two side by side
        metafunc.parametrize(
            "module",
            [
                pytest.param(
                    m, marks=pytest.mark.xdist_group(f"stock-nbgrader-{stock_half(MODULES, m)}")
                )
                for m in MODULES
            ],
        )
    else:
        metafunc.parametrize("module", MODULES)


@pytest.fixture(scope="session")
def modules():
    """The modules under test (every module, or those COURSE_MODULES names)."""
    return list(MODULES)


@pytest.fixture(scope="session")
def root():
    return ROOT
