"""What runs in the learner's kernel: the checks after each exercise (``checks``), how an
answer is compared and its mistake named (``compare``), numerical gradients (``numerics``), the
recorded answers that stand in for earlier exercises (``replay``), the data format (``serialize``),
hidden tests (``hidden``), generic drivers (``drivers``) and the learner's progress table
(``progress``).
"""
