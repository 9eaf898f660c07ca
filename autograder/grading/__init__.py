"""What instructors run: grading a class in confinement (``grade``, ``sandbox/``), collecting
submissions (``collect``), the class report (``class_report``), nbgrader plugins
(``nbgrader_plugins``), the test harness that scores a notebook as nbgrader does (``harness``)
and the grading benchmark (``bench_grading``).
"""
