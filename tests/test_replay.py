"""Exercises judged on their own: recorded answers of earlier exercises, advisory verdicts, and the
creation-order stand-in for topological_order."""

import numpy as np
import pytest

from autograder.checking import replay
from autograder.checking.compare import compare
from autograder.checking.numerics import numerical_gradient
from autograder.checking.serialize import decode, encode
from autograder.modules.autograd import creation_order


def forward(x, w, scale=1.0):
    return x @ w * scale, (x, w)


def recorded_calls(fn, *calls):
    rec = replay.Recorder(fn)
    for args, kwargs in calls:
        rec(*args, **kwargs)
    return decode(encode(rec.calls))  # as stored in check data and read back


def test_on_a_recorded_call_a_wrong_answer_is_replaced_and_a_right_one_kept():
    x, w = np.arange(6.0).reshape(2, 3), np.ones((3, 2))
    calls = recorded_calls(forward, ((x, w), {}))
    seen = []

    def wrong(x, w, scale=1.0):
        seen.append(x.shape)
        return "wrong", None

    stand_in = replay.Replayer(wrong, calls)
    out, cache = stand_in(x.copy(), w.copy())
    np.testing.assert_array_equal(out, x @ w)
    assert seen == [(2, 3)]  # the learner's function ran, and its answer was not used
    # the same call written with keywords, ints for floats, the default spelled out
    out, _ = stand_in(w=w.astype(int), x=x, scale=1)
    np.testing.assert_array_equal(out, x @ w)
    # a call the reference never made: the learner's function answers
    assert stand_in(x + 1, w) == ("wrong", None)
    # the same call up to rounding is the recorded one
    out, _ = stand_in(x * (1 + 1e-13), w)
    np.testing.assert_array_equal(out, x @ w)

    answers = []

    def right(x, w, scale=1.0):
        answers.append((x @ w * scale, (x, w)))
        return answers[-1]

    assert replay.Replayer(right, calls)(x, w) is answers[-1]  # right: the learner's own answer
    assert replay.Replayer(lambda x, w, scale=1.0: 1 / 0, calls)(x, w)[1][0].shape == (2, 3)


def test_a_private_cache_is_judged_on_out_alone():
    x, w = np.ones((2, 2)), np.eye(2)
    calls = recorded_calls(forward, ((x, w), {}))

    def my_cache(x, w, scale=1.0):
        return x @ w * scale, {"mine": True}

    assert replay.Replayer(my_cache, calls, private_cache=True)(x, w)[1] == {"mine": True}
    assert replay.Replayer(my_cache, calls)(x, w)[1][0].shape == (2, 2)  # not private: record

    def wrong_out(x, w, scale=1.0):
        return x @ w + 1, {"mine": True}

    out, cache = replay.Replayer(wrong_out, calls, private_cache=True)(x, w)
    np.testing.assert_array_equal(out, x @ w)
    assert isinstance(cache, tuple)  # the recorded pair, cache included


def test_a_private_cache_after_several_outputs_is_judged_on_the_outputs_alone():
    x, w = np.ones((2, 2)), np.eye(2)

    def two_outputs(x, w, scale=1.0):
        return x @ w * scale, x * scale, (x, w)

    calls = recorded_calls(two_outputs, ((x, w), {}))

    def my_cache(x, w, scale=1.0):
        return x @ w * scale, x * scale, {"mine": True}

    assert replay.Replayer(my_cache, calls, private_cache=True)(x, w)[2] == {"mine": True}

    def wrong_second(x, w, scale=1.0):
        return x @ w, x + 1, {"mine": True}

    h, c, cache = replay.Replayer(wrong_second, calls, private_cache=True)(x, w)
    np.testing.assert_array_equal(c, x)
    assert isinstance(cache, tuple)  # the recorded triple, cache included


def test_a_replayed_answer_is_a_fresh_copy_and_records_are_taken_before_changes():
    x, w = np.ones((2, 2)), np.eye(2)
    rec = replay.Recorder(forward)
    out, _ = rec(x, w)
    out += 100  # the caller changes the result in place
    x += 1  # and the argument
    calls = decode(encode(rec.calls))
    args, _, (stored_out, _), _ = calls[0]
    np.testing.assert_array_equal(args[0], np.ones((2, 2)))
    np.testing.assert_array_equal(stored_out, np.ones((2, 2)))
    stand_in = replay.Replayer(forward, calls)
    first, _ = stand_in(np.ones((2, 2)), np.eye(2))
    first *= 0
    again, _ = stand_in(np.ones((2, 2)), np.eye(2))
    np.testing.assert_array_equal(again, np.ones((2, 2)))


def test_a_random_generator_is_matched_by_state_and_left_where_the_reference_left_it():
    def dropout(x, rng):
        return x * (rng.random(x.shape) < 0.5)

    x = np.arange(1.0, 5.0)
    calls = recorded_calls(dropout, ((x, np.random.default_rng(3)), {}))
    seen = []

    def learners(x, rng):  # draws twice as many numbers, and keeps everything
        seen.append(rng.random(8).size)
        return x

    rng = np.random.default_rng(3)
    expected_next = np.random.default_rng(3)
    want = dropout(x, expected_next)
    got = replay.Replayer(learners, calls)(x, rng)
    np.testing.assert_array_equal(got, want)
    assert rng.random() == expected_next.random()  # the state moved on as the reference's did
    assert seen == [8]
    replay.Replayer(learners, calls)(x, np.random.default_rng(4))  # another state: not recorded
    assert seen == [8, 8]


def test_numerical_gradients_always_run_the_learners_own_function():
    calls = recorded_calls(lambda x: float(np.sum(x**2)), ((np.array([1.0, 2.0]),), {}))
    stand_in = replay.Replayer(lambda x: float(np.sum(3 * x)), calls)
    assert stand_in(np.array([1.0, 2.0])) == 5.0  # recorded
    grad = numerical_gradient(lambda z: stand_in(z), np.array([1.0, 2.0]))
    np.testing.assert_allclose(grad, [3.0, 3.0])  # the learner's 3x, not the recorded x**2
    with replay.direct():
        assert stand_in(np.array([1.0, 2.0])) == 9.0


def test_objects_are_not_recorded():
    rec = replay.Recorder(lambda node: [node])
    rec(object())
    assert rec.calls == []
    with pytest.raises(replay.Unkeyable):
        replay.key(object())


def test_stand_ins_wrap_only_the_used_functions_with_records():
    exercise = {"uses": ["forward", "cost"]}
    fns = (print, forward, len)
    case = {"calls": {"forward": recorded_calls(forward, ((np.ones((1, 1)), np.ones((1, 1))), {}))}}
    out = replay.stand_ins(exercise, fns, case)
    assert out[0] is print and out[2] is len and isinstance(out[1], replay.Replayer)
    assert replay.stand_ins(exercise, fns, {}) is fns


def test_advisory_outputs_explain_but_never_decide():
    exp = (np.ones(2), {"dw": "agrees", "db": "agrees"})
    names = ("dw", "gradient check")
    only_advice = (np.ones(2), {"dw": "sign flipped", "db": "agrees"})
    assert compare(only_advice, exp, names=names, advisory=("gradient check",)) is None
    assert compare(only_advice, exp, names=names) is not None  # without it, it decides
    both = (-np.ones(2), {"dw": "sign flipped", "db": "agrees"})
    found = compare(both, exp, names=names, advisory=("gradient check",))
    text = "\n".join(found.lines(reveal_values=False))
    assert found.where == "dw"
    assert "gradient check, against your own forward pass:" in text
    assert "dw: sign flipped" in text and "db:" not in text


class Node:
    def __init__(self, *prev):
        self._prev = prev


def test_creation_order_is_a_topological_order_whatever_the_learners_walk_returns():
    def wrong(root):
        return [root]

    class Mine(Node):
        pass

    with creation_order(Mine, wrong) as order:
        a = Mine()
        b = Mine(a, a)
        c = Mine(b, a)
        assert order(c) == [a, b, c]
    assert "__init__" not in Mine.__dict__  # the class is as it was


def test_creation_order_defers_to_the_learners_walk_on_nodes_it_did_not_see():
    calls = []

    def learners(root):
        calls.append(root)
        return [root]

    class Mine(Node):
        pass

    outside = Mine()
    with creation_order(Mine, learners) as order:
        inside = Mine(outside)
        assert order(inside) == [inside]
    assert calls == [inside]


def test_a_passing_check_says_when_an_earlier_function_was_stood_in_for(capsys):
    from autograder.checking import checks
    from autograder.grading import harness

    module = "06_shallow_network"
    ns, declared = harness.reference_namespace(module)
    checker = checks.Checker(module)
    checker("predict", ns["predict"], ns["forward"])
    assert "judged on its own" not in capsys.readouterr().out

    def forward(X, params):  # returns the hidden layer's cache but no probabilities
        return None, {}

    checker("predict", ns["predict"], forward)
    out = capsys.readouterr().out
    assert "passes its 2 public checks" in out
    assert "where your forward gave a wrong answer, the check used the expected one" in out
