"""Module 14's results, from the reference: the notebook's code run as a learner with every
exercise right would run it (spec and test cells left out), then what it reached asserted."""

import numpy as np
import pytest

from autograder.authoring import course

pytestmark = pytest.mark.xdist_group("results-rnn")

MODULE = "14_rnn"


@pytest.fixture(scope="session")
def notebook_namespace():
    nb = course.read(MODULE)
    ns: dict = {"__name__": f"results_{MODULE}"}
    for i, cell in enumerate(nb.cells):
        kind = course.kind(cell)
        if kind not in ("lib", "solution", "code"):
            continue
        source = course.without_solution_markers(cell.source) if kind == "solution" else cell.source
        exec(compile(source, f"<{MODULE} cell {i}>", "exec"), ns)
    return ns


@pytest.mark.slow
def test_char_rnn_reaches_its_stated_loss(notebook_namespace):
    ns = notebook_namespace
    vocab_size = len(ns["vocab"])
    assert ns["heldout_loss"] < 1.80, ns["heldout_loss"]  # the notebook states about 1.7
    assert ns["train_loss"] < 1.45, ns["train_loss"]  # about 1.32
    assert ns["heldout_loss"] < 0.4 * np.log(vocab_size)
    losses = np.array(ns["history"]["loss"])
    assert losses[-100:].mean() < 0.4 * losses[:10].mean()


@pytest.mark.slow
def test_gradients_vanish_below_radius_one_and_grow_above(notebook_namespace):
    profiles = notebook_namespace["profiles"]
    assert profiles[0.5][-1] < 1e-8 * profiles[0.5][0]
    assert profiles[0.8][-1] < 1e-3 * profiles[0.8][0]
    assert profiles[2.0][-1] > 10 * profiles[2.0][0]


@pytest.mark.slow
def test_clipping_keeps_the_direction(notebook_namespace):
    ns = notebook_namespace
    assert ns["global_norm"](ns["clipped_grads"]) == pytest.approx(1.0)
    assert ns["cosine"] == pytest.approx(1.0)


@pytest.mark.slow
def test_cold_samples_are_words_hot_ones_are_not(notebook_namespace):
    ns = notebook_namespace
    cold = ns["sample"](ns["params"], "The ", 300, 0.3)
    hot = ns["sample"](ns["params"], "The ", 300, 2.0)
    assert set(cold) <= set(ns["vocab"])
    assert cold.count(" the ") + cold.count(" statement") >= 3, cold

    def share_of_letters_and_spaces(text):
        return np.mean([c.isalpha() or c == " " for c in text])

    assert share_of_letters_and_spaces(cold) > share_of_letters_and_spaces(hot), (cold, hot)
