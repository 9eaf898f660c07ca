"""Shared set-up of the course's tests.

An expensive fixture (a graded class, a trained model) is session-scoped and its test file pinned to
one worker (``xdist_group``): with ``--dist loadgroup`` a worker interleaves test files, and a
module-scoped fixture would be built again each time its file's tests resume."""

import os

# one BLAS thread per process, as `make test` sets it, also for a bare `pytest`: the workers fill
# the cores, and OpenBLAS's extra threads only compete with them (set before numpy is imported)
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

import importlib.util  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

# kernel ports that two workers never both take (tests/site/sitecustomize.py): in every process
# the run starts, through PYTHONPATH, and in this one
SITE = Path(__file__).parent / "site"
if str(SITE) not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(SITE), os.environ.get("PYTHONPATH")])
    )
if getattr(sys.modules.get("sitecustomize"), "__file__", None) == str(SITE / "sitecustomize.py"):
    PORTS = sys.modules["sitecustomize"]
else:
    _spec = importlib.util.spec_from_file_location("course_kernel_ports", SITE / "sitecustomize.py")
    PORTS = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(PORTS)

import pytest  # noqa: E402

from autograder.authoring import course  # noqa: E402
from autograder.grading.harness import stock_half  # noqa: E402

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


# groups whose fixture is long (a Binder environment, a graded class, a trained model) start first,
# the longest first, so that the short tests fill both workers at the end instead of one long
# group running alone
FIRST = (
    "browser-test_binder",
    "stock-nbgrader",
    "nbgrader-roundtrip",
    "results-lstm",
    "hostile",
    "instructor",
    "results-",
    "browser-",
)


def group_of(item) -> str | None:
    names = sorted(
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    )
    return "_".join(names) or None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keep each ``xdist_group`` on one worker, and start the long ones first.

    A solution notebook's cells (nbval) and a browser test file share one kernel or one server, so
    each is a group of its own, as ``--dist loadfile`` would make it: ``make test`` runs the tests,
    nbval and the browser in one pytest run over both workers.

    pytest-xdist 3.8 marks a grouped test by adding ``@group`` to its node id through
    ``item._nodeid``, which pytest 9 no longer reads (the id lives in ``item._id``), so
    ``--dist loadgroup`` spread every group over both workers and each worker built the group's
    fixtures; this adds the suffix where pytest keeps it."""
    if not getattr(config.option, "loadgroup", False):
        return
    groups = {}
    for item in items:
        group = group_of(item)
        whole_file = item.path.suffix == ".ipynb" or any(
            item.get_closest_marker(m) for m in ("browser", "binder")
        )
        if whole_file and group is None:
            group = f"{'nbval' if item.path.suffix == '.ipynb' else 'browser'}-{item.path.stem}"
        if group and "@" not in item.nodeid:
            grouped = f"{item.nodeid}@{group}"
            if hasattr(item, "_id"):  # pytest 9 keeps the node id as a NodeId in _id
                from _pytest.nodeid import coerce_node_id

                item._id = coerce_node_id(grouped)
            else:
                item._nodeid = grouped
        groups[id(item)] = group or ""

    def rank(item) -> int:
        first = [i for i, g in enumerate(FIRST) if groups[id(item)].startswith(g)]
        return first[0] if first else len(FIRST) + (0 if groups[id(item)] else 1)

    items.sort(key=rank)  # stable: a group's tests (a notebook's cells) keep their order


def pytest_unconfigure(config):
    """At the end of the run (on the controller, once every worker is done), the kernel-port marks
    no draw honours any more go, so the shared folder does not grow from run to run."""
    if not hasattr(config, "workerinput"):
        PORTS.sweep()


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
