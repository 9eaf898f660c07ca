"""A real JupyterLab in a real browser, driven as a learner would drive it.

``jupyter_lab`` starts JupyterLab from a given environment on a free localhost port, on a folder
of its own (Validate saves notebooks: never point it at the repository's curriculum/), with every
Jupyter setting in a temporary place and, unless told otherwise, JupyterLab's news announcement
disabled. ``LabPage`` wraps a Playwright page with the few gestures a learner makes: open a
notebook, wait for the kernel, run cells, type into a cell, press Validate. ``learner_walkthrough``
is the whole visit that the dev-environment and the Binder-environment tests share.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
STUB_MESSAGE = "is not written yet"  # autograder.checking.checks.todo
MODULE = "00_orientation"

# generous: two shared cores, a cold kernel importing scikit-learn, nbgrader running a notebook
SERVER_START = 180.0
KERNEL_IDLE = 180_000  # milliseconds, as Playwright counts
CELL_RUN = 180_000
VALIDATE = 300_000


def public_cases(name: str) -> int:
    """How many public cases module 00's check of ``name`` runs (from its committed data)."""
    data = Path(__file__).resolve().parents[2] / "autograder" / "data" / f"{MODULE}.json"
    return len(json.loads(data.read_text())["exercises"][name]["cases"])


def unavailable(reason: str):
    """Skip a test whose tool is missing, or fail it when the run requires every test (``make
    test`` sets COURSE_BROWSER_TESTS=required)."""
    import pytest

    if os.environ.get("COURSE_BROWSER_TESTS") == "required":
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str
    root: Path
    log: Path
    process: subprocess.Popen


def lab_env(bin_dir: Path, state: Path, config_path: Path | None = None) -> dict:
    """The server's environment: Jupyter's settings, runtime files and workspaces in ``state``,
    and ``config_path`` (as ``make lab`` gives its learner's settings) read before the
    environment's own."""
    env = dict(os.environ)
    # the test process sets these for itself; a kernel must start as a learner's does (inline
    # matplotlib, no grading folder)
    for name in ("MPLBACKEND", "COURSE_GRADING_DIR", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
        env.pop(name, None)
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(state / "config"),
        JUPYTER_DATA_DIR=str(state / "data"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        IPYTHONDIR=str(state / "ipython"),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONUNBUFFERED="1",
    )
    if config_path is not None:
        env["JUPYTER_CONFIG_PATH"] = str(config_path)
    return env


def disable_news(state: Path) -> None:
    """JupyterLab asks whether to fetch news in a toast that covers the toolbar: turn it off."""
    labconfig = state / "config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {NEWS_PLUGIN: True}}), encoding="utf-8"
    )


@contextlib.contextmanager
def jupyter_lab(
    root: Path,
    bin_dir: Path,
    state: Path,
    *,
    news: bool = False,
    cwd: Path = None,
    config_path: Path = None,
    launcher: Path = None,
):
    """Run ``bin_dir/jupyter-lab`` on ``root``; yields a ``Lab``; stops it and its kernels after.
    ``config_path``: a further Jupyter configuration folder (JUPYTER_CONFIG_PATH); ``launcher``:
    a script that runs the server (``launcher jupyter-lab ...``), as binder/start does on Binder."""
    state.mkdir(parents=True, exist_ok=True)
    if not news:
        disable_news(state)
    port = free_port()
    log = state / "jupyter-lab.log"
    cmd = [
        str(bin_dir / "jupyter-lab"),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    if launcher is not None:
        cmd.insert(0, str(launcher))
    with log.open("w") as out:
        process = subprocess.Popen(
            cmd,
            cwd=cwd or root,
            env=lab_env(bin_dir, state, config_path),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its kernels join its process group: one kill stops all
        )
    lab = Lab(f"http://127.0.0.1:{port}", root, log, process)
    try:
        wait_for_server(lab)
        yield lab
    finally:
        stop(process)


def wait_for_server(lab: Lab) -> None:
    deadline = time.monotonic() + SERVER_START
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            raise RuntimeError(
                f"jupyter-lab exited with {lab.process.returncode}:\n{tail(lab.log)}"
            )
        try:
            with urllib.request.urlopen(f"{lab.url}/api/status", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter-lab did not answer in {SERVER_START:g} s:\n{tail(lab.log)}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the server shuts its kernels down
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # and whatever of its group is left
    process.wait()


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- the browser side ------------------------------------------------------------------------


@dataclass
class LabPage:
    """A Playwright page on JupyterLab, with screenshots numbered in the order they are taken."""

    page: object
    shots: Path
    taken: list[str] = field(default_factory=list)
    times: dict[str, float] = field(default_factory=dict)  # seconds since the start, per stage
    start: float = field(default_factory=time.monotonic)

    def lap(self, stage: str) -> None:
        self.times[stage] = round(time.monotonic() - self.start, 1)

    def shot(self, name: str, locator=None) -> Path:
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{len(self.taken) + 1:02d}-{name}.png"
        if locator is not None:
            locator.scroll_into_view_if_needed()
            locator.screenshot(path=str(path))
        else:
            self.page.screenshot(path=str(path))
        self.taken.append(path.name)
        return path

    # the status bar says "Python 3 (ipykernel) | Idle" once the kernel is attached and free; the
    # toolbar's kernel indicator reports idle earlier, before the kernel is there
    def wait_idle(self, timeout: float = KERNEL_IDLE) -> None:
        from playwright.sync_api import expect

        expect(self.page.locator("#jp-main-statusbar")).to_contain_text(
            re.compile(r"\| Idle"), timeout=timeout
        )

    def open_notebook(self, url: str, path: str) -> None:
        self.page.goto(f"{url}/lab/tree/{path}?reset", timeout=KERNEL_IDLE)
        self.page.locator(".jp-NotebookPanel").first.wait_for(timeout=KERNEL_IDLE)
        self.wait_idle()

    def menu(self, top: str, item: str) -> None:
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$")).click()

    def code_cell(self, containing: str):
        """The code cell whose source contains ``containing`` (exactly one)."""
        editors = self.page.locator(".jp-Notebook .jp-CodeCell")
        return editors.filter(
            has=self.page.locator(".jp-InputArea-editor", has_text=containing)
        ).first

    def prompt(self, cell) -> str:
        return cell.locator(".jp-InputArea-prompt").inner_text().strip()

    def wait_ran(self, cell, before: str, timeout: float = CELL_RUN) -> None:
        """Wait until the cell's prompt shows an execution count other than ``before``."""
        deadline = time.monotonic() + timeout / 1000
        while time.monotonic() < deadline:
            now = self.prompt(cell)
            if re.fullmatch(r"\[\d+\]:", now) and now != before:
                return
            time.sleep(0.2)
        raise TimeoutError(f"the cell did not finish running (prompt {self.prompt(cell)!r})")

    def run_cell(self, cell) -> None:
        """Select the cell (command mode) and press Shift+Enter, as a learner does."""
        before = self.prompt(cell)
        cell.scroll_into_view_if_needed()
        cell.locator(".jp-InputArea-prompt").click()
        self.page.keyboard.press("Shift+Enter")
        self.wait_ran(cell, before)

    def replace_source(self, cell, source: str) -> None:
        """Click into the cell's editor, select everything and type ``source`` in its place."""
        editor = cell.locator(".cm-content")
        editor.scroll_into_view_if_needed()
        editor.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.insert_text(source)

    def outputs(self, cell) -> str:
        return cell.locator(".jp-OutputArea").inner_text()

    def body_text(self) -> str:
        return self.page.locator("body").inner_text()


def learner_walkthrough(lp: LabPage, url: str, notebook: str, one_hot_source: str) -> None:
    """Module 00 as a learner meets it; ``lp.times`` says when each stage ended. On failure, a
    screenshot of the moment (``failure.png``) while the server still runs."""
    try:
        _walkthrough(lp, url, notebook, one_hot_source)
    except BaseException:
        with contextlib.suppress(Exception):
            lp.page.screenshot(path=str(lp.shots / "failure.png"))
        raise


def _walkthrough(lp: LabPage, url: str, notebook: str, one_hot_source: str) -> None:
    from playwright.sync_api import expect

    page, lap = lp.page, lp.lap
    lp.open_notebook(url, notebook)
    lap("kernel idle")
    lp.shot("notebook-open")

    # Run all: cells run in order until the first unfinished exercise's check stops the queue
    lp.menu("Run", "Run All Cells")
    first_check = lp.code_cell('check("normalize_rows"')
    expect(first_check.locator(".jp-OutputArea")).to_contain_text(STUB_MESSAGE, timeout=CELL_RUN)
    lp.wait_idle()
    lap("run all")
    # (expect, not assert: under load the output area may still be rendering the traceback)
    expect(first_check.locator(".jp-OutputArea")).to_contain_text("NotImplementedYet")
    expect(first_check.locator(".jp-OutputArea")).to_contain_text(
        "normalize_rows is not written yet"
    )
    lp.shot("stub-message", first_check)

    # matplotlib figures, drawn by the inline backend
    figures = page.locator(".jp-Notebook .jp-OutputArea-output img")
    assert figures.count() >= 2, "the digits and the network's mistakes, at least"
    digits = lp.code_cell("digits = load_digits()")
    assert digits.locator("img").first.evaluate("img => img.naturalWidth > 100")
    lp.shot("matplotlib-figure", digits)

    # the prediction viewer: a slider, a readout and the plot it redraws
    viewer = lp.code_cell("prediction_viewer = widgets.interact").locator(".widget-interact")
    expect(viewer).to_be_visible(timeout=CELL_RUN)
    readout = viewer.locator(".widget-readout")
    plot = viewer.locator(".widget-output img")
    expect(plot).to_have_count(1, timeout=CELL_RUN)
    before = (readout.inner_text(), plot.get_attribute("src"))
    lp.shot("widget-before", viewer)
    handle = viewer.locator(".noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    expect(readout).not_to_have_text(before[0], timeout=CELL_RUN)
    expect(plot).not_to_have_attribute("src", before[1], timeout=CELL_RUN)
    assert int(readout.inner_text()) > int(before[0])
    lp.shot("widget-after", viewer)
    lap("widget")

    # each stub's check names its function; then one exercise written, run and checked
    one_hot = lp.code_cell("def one_hot(")
    one_hot_check = lp.code_cell('check("one_hot"')
    lp.run_cell(one_hot)
    lp.run_cell(one_hot_check)
    assert "one_hot is not written yet" in lp.outputs(one_hot_check)
    lp.replace_source(one_hot, one_hot_source)
    lp.shot("one-hot-typed", one_hot)
    before_def, before_check = lp.prompt(one_hot), lp.prompt(one_hot_check)
    page.keyboard.press("Shift+Enter")  # runs the cell and moves to its check
    lp.wait_ran(one_hot, before_def)
    page.keyboard.press("Shift+Enter")
    lp.wait_ran(one_hot_check, before_check)
    expect(one_hot_check.locator(".jp-OutputArea")).to_contain_text(
        f"one_hot passes its {public_cases('one_hot')} public checks", timeout=CELL_RUN
    )
    lp.shot("one-hot-passes", one_hot_check)
    pairwise_check = lp.code_cell('check("pairwise_sq_dists"')
    lp.run_cell(lp.code_cell("def pairwise_sq_dists("))
    lp.run_cell(pairwise_check)
    assert "pairwise_sq_dists is not written yet" in lp.outputs(pairwise_check)
    lap("exercise")

    # Validate saves the notebook, runs it as the grader would and lists the failing test cells
    toolbar = page.locator(".jp-NotebookPanel-toolbar").first
    toolbar.get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation Results", timeout=VALIDATE)
    verdict = dialog.locator("#validation-message")
    expect(verdict).to_have_class(re.compile("validation-failed"))
    text = verdict.inner_text()
    assert text.count("The following cell failed:") == 2, text
    assert 'check("normalize_rows"' in text and 'check("pairwise_sq_dists"' in text
    assert 'check("one_hot"' not in text, "the written exercise passes"
    assert STUB_MESSAGE in text
    lp.shot("validate-verdict")
    dialog.get_by_role("button", name="Ok").click()
    expect(dialog).to_have_count(0)
    lap("validate")

    # the progress table, from the notebook Validate just saved
    progress_cell = lp.code_cell("show_progress()")
    lp.run_cell(progress_cell)
    table = progress_cell.locator(".course-progress")
    expect(table).to_be_visible(timeout=CELL_RUN)
    rows = {
        r.locator("code").inner_text(): r.inner_text() for r in table.locator("tr:has(code)").all()
    }
    assert "pass" in rows["one_hot"] and "not started" in rows["normalize_rows"], rows
    lp.shot("progress-table", progress_cell)
    lap("progress")

    body = lp.body_text()
    assert "Error displaying widget" not in body
    assert "Jupyter news" not in body, "the news announcement is disabled"


def keep_evidence(lp: LabPage, state: Path) -> None:
    """Timings and the server's log beside the screenshots."""
    lp.shots.mkdir(parents=True, exist_ok=True)
    (lp.shots / "timings.json").write_text(json.dumps(lp.times, indent=1) + "\n")
    log = state / "jupyter-lab.log"
    if log.exists():
        (lp.shots / "jupyter-lab.log").write_text(log.read_text(errors="replace"))
    print("timings (s since start):", lp.times)
