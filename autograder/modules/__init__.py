"""Per-module helpers: one file per course module that needs drivers or fixtures, named after it.

``autograder/modules/convolutions.py`` serves ``solutions/12_convolutions.py``: the drivers that call
the learner's code on a case and the fixtures (test functions, data) its spec cells name. A file
here may import the checking code and the files of earlier modules, never a later module's.
"""
