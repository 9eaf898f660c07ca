"""The README keeps its promises: two commands, and a Binder badge that opens full JupyterLab."""

import re

from autograder.authoring import course


def readme() -> str:
    return (course.ROOT / "README.md").read_text()


def test_binder_badge_opens_the_workspace_in_full_jupyterlab():
    links = re.findall(r"\(https://mybinder\.org/v2/[^)]*\)", readme())
    assert links, "no Binder badge"
    for link in links:
        assert "urlpath=lab/tree/workspace" in link, link
        assert "labpath=" not in link, "labpath opens the single-document view"


def test_ci_runs_the_readme_test_command():
    ci = (course.ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "make test" in readme() and "make lab" in readme()


def test_the_course_says_under_which_licences_it_may_be_reused():
    import tomllib

    project = tomllib.loads((course.ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "BSD-3-Clause AND CC-BY-4.0"
    code = (course.ROOT / "LICENSE").read_text()
    text = (course.ROOT / "LICENSES" / "CC-BY-4.0.txt").read_text()
    assert "Redistribution and use in source and binary forms" in code
    assert "Creative Commons Attribution 4.0 International Public License" in text
    for pattern in project["license-files"]:
        assert list(course.ROOT.glob(pattern)), pattern
    assert "LICENSES/README.md" in readme() and "BSD 3-Clause" in readme()
