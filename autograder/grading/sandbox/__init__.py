"""Grading student code that may be hostile: a confined runner and out-of-process verdicts.

- ``notebook``: read a submission, put back locked cells from the release, flag tampering, and pick
  the cells that run (setup, solutions, cells the student added; never a test cell).
- ``confine``: start the runner as an unprivileged user in a private mount and network namespace
  (a read-only view of the interpreter and the ``autograder`` package, an empty ``/tmp``), with
  limits on memory, processes, file size, CPU and wall-clock time.
- ``runner``: the program inside the confinement; it runs the cells, then calls each graded function
  on the cases' *inputs* and streams the outputs back as plain JSON, one line per call.

The expected outputs never enter the confined process: ``autograder.grading.grade`` compares the streamed
outputs with the reference's in the grader's own process.
"""
