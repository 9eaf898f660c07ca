"""Drivers and fixtures of module 14 (recurrent networks).

- ``step_gradients`` runs ``rnn_step_backward`` on the cache of the learner's own
  ``rnn_step_forward`` (whose cache is the learner's design) and compares each gradient with the
  numerical gradient of that forward pass (advisory, as everywhere).
- ``sequence_forward`` runs ``rnn_forward`` with its calls to ``rnn_step_forward`` seen through the
  check's stand-in, so a wrong step costs the step's exercise alone.
- ``sequence_gradients`` runs ``rnn_backward`` on the cache of the learner's ``rnn_forward``, with
  its calls to ``rnn_step_backward`` seen through the stand-in, and checks every gradient against
  centred differences of the learner's ``rnn_forward``.
- ``temporal_loss_gradients`` and ``clip_run`` are the loss and the clipping with what a plain call
  cannot show: the numerical gradient of the loss, and whether the gradients handed to the clip
  were left as they were.
- ``doc_corpus`` is the language model's text, one fixed slice of ``pydoc_data.topics`` (shipped
  with every Python), so that the notebook and the results test (and module 15, which compares an
  LSTM against this module's RNN) train on the same characters.
"""

from __future__ import annotations

import copy

import numpy as np

from autograder.checking.drivers import advisory, describe, shows_call, unpack, with_values
from autograder.checking.numerics import (
    gradient_verdict,
    numerical_gradient,
    numerical_gradient_array,
)
from autograder.modules.deep_network import layer_forward, seen_as

STEP_INPUTS = ("x", "prev_h", "Wx", "Wh", "b")
SEQUENCE_INPUTS = ("x", "h0", "Wx", "Wh", "b")


def _out(result):
    return result[0] if isinstance(result, tuple | list) else result


def _numerical_checks(forward, args, upstream, names, grads, batch):
    """For each input, the verdict of the learner's gradient against centred differences of
    ``sum(forward(...)[0] * upstream)``."""

    def compute():
        verdicts = {}
        for i, name in enumerate(names):

            def moved(z, i=i):
                inputs = [z.copy() if j == i else a.copy() for j, a in enumerate(args)]
                return np.asarray(_out(forward(*inputs)), dtype=float)

            numerical = numerical_gradient_array(moved, args[i].copy(), upstream)
            verdicts[f"d{name}"] = gradient_verdict(grads[f"d{name}"], numerical, batch)
        return verdicts

    return advisory(compute, [f"d{n}" for n in names])


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dnext_h, cache), with cache = rnn_step_forward(x, prev_h, Wx, Wh, b)[1]",
        [*STEP_INPUTS, "dnext_h"],
        args,
    )
)
def step_gradients(fns, args, kwargs):
    """``rnn_step_backward`` on the cache of the learner's ``rnn_step_forward``.

    args: (x, prev_h, Wx, Wh, b, dnext_h). Returns dx, dprev_h, dWx, dWh, db and the numerical
    gradient check of each.
    """
    backward, forward = fns
    *inputs, dnext = args
    _, cache = unpack(
        forward(*(a.copy() for a in inputs)), 2, "rnn_step_forward", "(next_h, cache)"
    )
    grads = unpack(
        backward(dnext.copy(), cache), 5, "rnn_step_backward", "(dx, dprev_h, dWx, dWh, db)"
    )
    named = dict(zip([f"d{n}" for n in STEP_INPUTS], grads))
    checks = _numerical_checks(forward, inputs, dnext, STEP_INPUTS, named, inputs[0].shape[0])
    return (*grads, checks)


@shows_call(
    lambda name, args, kwargs: with_values(f"{name}(x, h0, Wx, Wh, b)", SEQUENCE_INPUTS, args)
)
def sequence_forward(fns, args, kwargs):
    """``rnn_forward`` with its ``rnn_step_forward`` calls seen through the check's stand-in.

    Returns what it returned (a pair?), h, and whether the inputs were left unchanged.
    """
    forward, step = fns
    with seen_as([forward], {"rnn_step_forward": step}):
        return layer_forward((forward,), args, kwargs)


@shows_call(
    lambda name, args, kwargs: with_values(
        f"{name}(dh, cache), with cache = rnn_forward(x, h0, Wx, Wh, b)[1]",
        [*SEQUENCE_INPUTS, "dh"],
        args,
    )
)
def sequence_gradients(fns, args, kwargs):
    """``rnn_backward`` on the cache of the learner's ``rnn_forward``, its ``rnn_step_backward``
    calls seen through the check's stand-in.

    args: (x, h0, Wx, Wh, b, dh). Returns dx, dh0, dWx, dWh, db and, for each, the verdict of the
    numerical gradient of the learner's own ``rnn_forward``.
    """
    backward, forward, step_backward = fns
    *inputs, dh = args
    _, cache = unpack(forward(*(a.copy() for a in inputs)), 2, "rnn_forward", "(h, cache)")
    with seen_as([backward], {"rnn_step_backward": step_backward}):
        grads = unpack(backward(dh.copy(), cache), 5, "rnn_backward", "(dx, dh0, dWx, dWh, db)")
    named = dict(zip([f"d{n}" for n in SEQUENCE_INPUTS], grads))
    checks = _numerical_checks(forward, inputs, dh, SEQUENCE_INPUTS, named, inputs[0].shape[0])
    return (*grads, checks)


def temporal_loss_gradients(fns, args, kwargs):
    """``(loss, dscores) = temporal_softmax_loss(scores, y, mask)``: both, and the numerical
    gradient check of dscores against the learner's own loss."""
    fn = fns[0]
    scores, y, mask = args
    loss, dscores = unpack(
        fn(scores.copy(), y.copy(), mask.copy()), 2, "temporal_softmax_loss", "(loss, dscores)"
    )

    def compute():
        numerical = numerical_gradient(
            lambda z: float(np.sum(_out(fn(z.copy(), y.copy(), mask.copy())))), scores.copy()
        )
        return {"dscores": gradient_verdict(dscores, numerical, batch=scores.shape[0])}

    loss = np.asarray(loss, dtype=float)
    loss = float(loss) if loss.ndim == 0 else loss
    return loss, dscores, advisory(compute, ["dscores"])


def _plain(grads) -> object:
    if not isinstance(grads, dict):
        return describe(grads)
    return {k: np.array(v, dtype=float, copy=True) for k, v in grads.items()}


@shows_call(
    lambda name, args, kwargs: with_values(f"{name}(grads, max_norm)", ["grads", "max_norm"], args)
)
def clip_run(fns, args, kwargs):
    """Call ``clip_by_global_norm(grads, max_norm)``; return the clipped dict and whether the
    dict handed in, and its arrays, still hold what they held before the call."""
    grads, max_norm = args
    before = copy.deepcopy(grads)
    result = fns[0](grads, max_norm)
    changed = [
        f"grads[{k!r}]"
        for k in before
        if k not in grads or not np.array_equal(np.asarray(grads[k]), before[k])
    ]
    changed += [f"grads[{k!r}] (added)" for k in grads if k not in before]
    unchanged = "yes" if not changed else f"no: {', '.join(changed)} changed in place"
    return _plain(result), unchanged


def doc_corpus(heldout_fraction: float = 0.1):
    """The language model's text: the reference pages of 23 Python statements and expressions,
    from ``pydoc_data.topics``, joined by blank lines in the order below.

    Returns (train_text, heldout_text, vocab): the first 90% of the characters, the last 10%, and
    the sorted characters of the whole slice.
    """
    from pydoc_data.topics import topics

    text = "\n\n".join(topics[key].strip() for key in DOC_TOPICS)
    split = int(round((1 - heldout_fraction) * len(text)))
    return text[:split], text[split:], sorted(set(text))


DOC_TOPICS = (
    "assert",
    "assignment",
    "augassign",
    "break",
    "calls",
    "class",
    "continue",
    "del",
    "exceptions",
    "for",
    "function",
    "global",
    "if",
    "import",
    "lambda",
    "nonlocal",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
)
