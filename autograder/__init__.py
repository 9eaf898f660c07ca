"""The course's checking API and grading tools.

Learners use two names: ``load_checks(module)`` returns the checker whose ``check(name, fn)`` runs
after each exercise, and ``todo()`` is what an unfinished exercise raises.
"""

from .checks import Checker, CheckFailed, NotImplementedYet, load_checks, todo

__all__ = ["CheckFailed", "Checker", "NotImplementedYet", "load_checks", "todo"]
