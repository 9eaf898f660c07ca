"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, screenshots kept in
test-artifacts/ (git-ignored), and on failure a last screenshot and the server's log."""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from lab_session import CHROMIUM, CHROMIUM_ARGS, MODULE, unavailable  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in headless Chromium")
    config.addinivalue_line("markers", "binder: builds and checks the Binder environment")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def artifacts(request):
    """test-artifacts/<test name>/, emptied first."""
    folder = ARTIFACTS / request.node.name.removeprefix("test_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def browser_page(request, artifacts):
    """A fresh page of headless Debian Chromium (Playwright never downloads a browser here)."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install playwright")
    console = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        try:
            yield page
        finally:
            call = getattr(request.node, "report_call", None)
            if call is None or call.failed:
                try:
                    page.screenshot(path=str(artifacts / "failure.png"))
                except Exception as error:  # noqa: BLE001 - the report matters more
                    console.append(f"(no failure screenshot: {error})")
            (artifacts / "console.log").write_text("\n".join(console) + "\n")
            browser.close()


@pytest.fixture(scope="session")
def one_hot_source():
    """What a learner types into the one_hot cell: the reference's body, as harness writes it."""
    import nbformat  # noqa: F401 - harness needs it

    from autograder.authoring import course
    from autograder.grading import harness

    nb = harness.submission(MODULE, harness.Variant("reference"))
    return next(
        c.source for c in nb.cells if course.kind(c) == "solution" and "def one_hot(" in c.source
    )
