"""The course's checking API and grading tools.

Learners use four names: ``load_checks(module)`` returns the checker whose ``check(name, fn)``
runs after each exercise, ``todo()`` is what an unfinished exercise raises, ``needs(...)`` at the
top of a demo cell names the exercises it waits for, and ``show_progress()`` draws the table of
every module's exercises from the saved notebooks.

The package, by concern: ``checking/`` runs in the learner's kernel, ``authoring/`` builds the
course from solutions/, ``grading/`` grades a class, ``modules/`` holds one file of drivers and
fixtures per module, ``data/`` the public check data.
"""

from autograder.checking.checks import Checker, CheckFailed, NotImplementedYet, load_checks, todo
from autograder.checking.unfinished import NeedsExercise, needs

__all__ = [
    "CheckFailed",
    "Checker",
    "NeedsExercise",
    "NotImplementedYet",
    "load_checks",
    "needs",
    "show_progress",
    "todo",
]


def show_progress(*args, **kwargs):
    """Every module's exercises, passed or not, from the saved notebooks (see checking.progress)."""
    from autograder.checking.progress import show_progress as show

    return show(*args, **kwargs)
