"""tqdm.auto, the course's progress bar: a widget in a Jupyter kernel that has ipywidgets (what
JupyterLab draws, and what nbval or nbconvert keep as text through its text/plain fallback), and
plain text on stderr outside a kernel."""

import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

LOOP = """\
from tqdm.auto import tqdm
from tqdm.notebook import tqdm_notebook

print("notebook bar:", issubclass(tqdm, tqdm_notebook))
for _ in tqdm(range(3), desc="epochs"):
    pass
"""
WIDGET = "application/vnd.jupyter.widget-view+json"


def test_kernel_with_ipywidgets_gets_the_widget_bar(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(LOOP)])
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"], outputs
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "notebook bar: True" in printed
    bars = [o for o in outputs if o.output_type == "display_data" and WIDGET in o.data]
    assert len(bars) == 1, outputs
    assert "epochs" in bars[0].data["text/plain"], "text for readers that draw no widgets"
    # the widget's final state, as the notebook keeps it: a full, successful bar
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    progress = [m["state"] for m in state.values() if m["model_name"] == "FloatProgressModel"]
    assert progress and progress[0]["value"] == 3 and progress[0]["max"] == 3
    assert progress[0]["bar_style"] == "success"


def test_plain_python_gets_the_text_bar():
    done = subprocess.run(
        [sys.executable, "-c", LOOP],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "notebook bar: False" in done.stdout, done.stdout
    assert "epochs: 100%" in done.stderr and "3/3" in done.stderr
