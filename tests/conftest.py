import os
from pathlib import Path

import pytest

from autograder import course

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("COURSE_GRADING_DIR", str(ROOT / "build" / "grading"))
os.environ.setdefault("MPLBACKEND", "Agg")

MODULES = course.modules()


def pytest_generate_tests(metafunc):
    if "module" in metafunc.fixturenames:
        metafunc.parametrize("module", MODULES)


@pytest.fixture(scope="session")
def root():
    return ROOT
