"""16_attention: the tiny transformer of the notebook reverses held-out digit sequences.

Runs the reference: the module's setup, exercise and lib cells, then its training cell, as the
solution notebook does, and asserts a floor on the share of held-out sequences reversed exactly
(the notebook states what it reaches). Never a time.
"""

from __future__ import annotations

import json
from pathlib import Path

import jupytext
import pytest

pytestmark = pytest.mark.xdist_group("results-attention")

SOURCE = Path(__file__).resolve().parents[1] / "solutions" / "16_attention.py"
TRAINING = "heldout_sequence_accuracy, heldout_digit_accuracy = "


def _runs_in_reference(cell) -> bool:
    tags = cell.metadata.get("tags", [])
    grading = cell.metadata.get("nbgrader", {})
    if "spec" in tags or grading.get("grade"):
        return False
    return "lib" in tags or grading.get("solution") or TRAINING in cell.source


@pytest.fixture(scope="session")
def trained():
    import matplotlib

    matplotlib.use("Agg")
    notebook = jupytext.read(SOURCE)
    namespace: dict = {"__name__": "attention_results"}
    cells = [c for c in notebook.cells if c.cell_type == "code" and _runs_in_reference(c)]
    assert any(TRAINING in c.source for c in cells), "the training cell was not found"
    for cell in cells:
        exec(compile(cell.source, f"<16_attention cell {cell.metadata}>", "exec"), namespace)
        if TRAINING in cell.source:
            break
    return namespace


def test_the_transformer_reverses_held_out_sequences(trained):
    accuracy = trained["heldout_sequence_accuracy"]
    assert accuracy >= 0.98, f"held-out sequence accuracy {accuracy:.3f} < 0.98"
    assert trained["heldout_digit_accuracy"] >= accuracy


def test_held_out_sequences_are_not_training_sequences(trained):
    assert trained["seen_heldout"] == 0
    assert len(trained["heldout_digits"]) == 1000


def test_training_lowered_the_loss(trained):
    losses = trained["losses"]
    assert losses[0] > 2.0, json.dumps(losses[:3])  # about log(10) at the start
    assert max(losses[-20:]) < 0.05
