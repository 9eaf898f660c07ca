"""What authors run: the spec API of solutions/ files (``spec``), reading a module's source
(``course``), the build that derives notebooks and check data from it (``build``) and the notebook
benchmark (``bench``).
"""
