"""The course's checking API and grading tools.

Learners use three names: ``load_checks(module)`` returns the checker whose ``check(name, fn)``
runs after each exercise, ``todo()`` is what an unfinished exercise raises, and ``needs(...)`` at
the top of a demo cell names the exercises it waits for.
"""

from .checks import Checker, CheckFailed, NotImplementedYet, load_checks, todo
from .unfinished import NeedsExercise, needs

__all__ = [
    "CheckFailed",
    "Checker",
    "NeedsExercise",
    "NotImplementedYet",
    "load_checks",
    "needs",
    "todo",
]
