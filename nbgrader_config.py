"""nbgrader configuration: the repository root is the course directory.

Source notebooks are built from solutions/ into build/source (git-ignored), and the learner
notebooks are released into curriculum/. Submissions, autograded copies and feedback live in
nbgrader's usual folders at the root (git-ignored).
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader's config loader)

root = Path(__file__).resolve().parent
c.CourseDirectory.root = str(root)
c.CourseDirectory.course_id = "dl-from-scratch"
c.CourseDirectory.source_directory = "build/source"
c.CourseDirectory.release_directory = "curriculum"
c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"

# every unfinished exercise raises the course's own error, which names the function it sits in
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise todo()"}

# a cell of student code may not run forever
c.Execute.timeout = 120

# nbgrader raises, and gives up on the whole submission, when a cell's output has not arrived 4 s
# after the kernel's reply (raise_on_iopub_timeout is nbgrader's default, iopub_timeout
# nbclient's). A busy grading machine can be that late with a cell that has long finished: a
# class's submission must not fail on that. The cell timeout above still stops a loop that never ends.
c.Execute.iopub_timeout = 60

# autograde runs every cell but the demonstrations a student left as released (plots, widgets,
# training runs no test needs), as `make grade` does: nbgrader's Execute, with that one change
from nbgrader.converters.autograde import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

from autograder.grading.nbgrader_plugins import GradingExecute  # noqa: E402

c.Autograde.autograde_preprocessors = [
    GradingExecute if step is Execute else step
    for step in Autograde.class_traits()["autograde_preprocessors"].default()
]

# a deleted test cell is put back (and scores 0) rather than left for manual grading
c.OverwriteCells.add_missing_cells = True

# feedback shows outcomes and messages, never hidden tests' source or their tracebacks
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402

from autograder.grading.nbgrader_plugins import ShortErrors  # noqa: E402

c.GenerateFeedback.preprocessors = [
    GetGrades,
    ClearHiddenTests,
    ShortErrors,
    CSSHTMLHeaderPreprocessor,
]

# hidden tests read the reference's outputs from the grading folder
os.environ.setdefault("COURSE_GRADING_DIR", str(root / "build" / "grading"))

# late submissions: `make collect` records each submission's time (timestamp.txt) and `make grade`
# applies this plugin when the assignment has a due date (`nbgrader db assignment add <id>
# --duedate="2026-12-01 17:00:00 UTC"`): "none" records the lateness only, "zero" scores it 0
c.LateSubmissionPlugin.penalty_method = "none"

# `make export` also writes Canvas's gradebook CSV (autograder.grading.nbgrader_plugins.CanvasExport):
# c.CanvasExport.canvas_ids = {"00_orientation": 12345}  # fill an existing Canvas assignment
# c.CanvasExport.id_column = "SIS Login ID"  # the Canvas column that holds nbgrader's student id
