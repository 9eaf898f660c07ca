"""The checking API on its own: what its messages say, and that its data round-trips."""

import numpy as np
import pytest

from autograder import Checker, CheckFailed, NotImplementedYet, todo
from autograder.checking.compare import compare
from autograder.checking.serialize import Raised, Seeded, decode, encode, materialise

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


def test_agreement_within_tolerance_is_silent():
    assert compare(X + 1e-12, X) is None
    assert compare((X, 2.0), (X, 2.0 + 1e-12)) is None


def test_wrong_shape_names_both_shapes_and_a_transpose():
    found = compare(X.T, X)
    assert found.summary == "wrong shape"
    assert "expected shape (2, 3), got shape (3, 2)" in found.details[0]
    assert "transpose" in found.diagnosis


def test_values_differ_gives_index_values_and_relative_error():
    got = X.copy()
    got[1, 2] = 7.0
    found = compare(got, X)
    text = "\n".join(found.lines())
    assert "1 of 6 values differ" in text
    assert "first difference at index [1, 2]: expected 6, got 7" in text
    assert "largest relative error 0.0769" in text


@pytest.mark.parametrize(
    ("got", "pattern"),
    [
        (-X, "sign flipped"),
        (X * 2, "constant factor 2 = N (the batch size)"),
        (X / 2, "constant factor 0.5 = 1/N"),
        (np.where(X > 5, np.nan, X), "NaN"),
        (np.where(X > 5, np.inf, X), "inf"),
    ],
)
def test_diagnoses_name_the_shape_of_the_error(got, pattern):
    found = compare(got, X, batch=2)
    assert pattern in found.diagnosis


def test_square_transpose_is_recognised():
    A = np.arange(9.0).reshape(3, 3)
    assert "transpose" in compare(A.T, A).diagnosis


def test_tuple_outputs_are_named():
    found = compare((X, X * 0), (X, X), names=("dx", "dw"))
    assert found.where == "dw"


def test_raised_versus_returned():
    assert compare(Raised("ValueError"), Raised("ValueError")) is None
    assert "expected it to raise ValueError" in compare(X, Raised("ValueError")).summary
    assert "raised TypeError" in compare(Raised("TypeError", "bad"), X).summary


def test_a_list_is_not_an_array():
    found = compare([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], X)
    assert "NumPy array" in found.summary


def test_serialisation_round_trip():
    data = {"a": (X, np.int64(3), [1, "x", None]), "rng": Seeded(7), "err": Raised("KeyError", "k")}
    back = decode(encode(data))
    assert np.array_equal(back["a"][0], X) and back["a"][0].dtype == X.dtype
    assert back["a"][1] == 3 and isinstance(back["a"], tuple)
    assert back["err"] == Raised("KeyError", "k")
    first, second = materialise(back["rng"]), materialise(back["rng"])
    assert first.normal() == second.normal(), "a seeded argument is a fresh generator per call"


def test_lambdas_cannot_be_stored():
    with pytest.raises(ValueError, match="importable"):
        encode(lambda x: x)


def test_todo_names_its_function():
    def affine_forward(x):
        raise todo()

    with pytest.raises(NotImplementedYet, match="affine_forward is not written yet"):
        affine_forward(1)


def test_check_reports_stub_wrong_answer_and_success(capsys):
    check = Checker("00_orientation")

    def stub(X):
        raise todo()

    with pytest.raises(NotImplementedYet, match="not written yet"):
        check("normalize_rows", stub)

    with pytest.raises(CheckFailed) as failure:
        check("normalize_rows", lambda X: X)
    message = str(failure.value)
    assert "public case 1 of 3" in message and "Call: normalize_rows(" in message
    assert "Known mistake" not in message  # an unknown mistake is not given a name

    check("normalize_rows", lambda X: X / np.linalg.norm(X, axis=1, keepdims=True).clip(1e-300))
    assert "passes its 3 public checks" in capsys.readouterr().out


def test_check_refuses_unknown_exercise_and_wrong_arity():
    check = Checker("00_orientation")
    with pytest.raises(KeyError, match="its exercises are"):
        check("normalise_rows", print)
    with pytest.raises(TypeError, match="takes 1 function"):
        check("normalize_rows", print, print)


def test_learner_errors_keep_their_traceback_and_name_the_case():
    check = Checker("00_orientation")

    def broken(X):
        return X[10]

    with pytest.raises(IndexError) as failure:
        check("normalize_rows", broken)
    assert any("three rows" in note for note in failure.value.__notes__)


def test_every_wrong_output_is_listed():
    found = compare((X * 0, X, X * 0), (X, X, X), names=("dx", "dw", "db"))
    assert found.where == "dx"
    assert "also wrong: db" in found.details


def test_an_error_of_the_type_only_one_mistake_raises_is_named():
    check = Checker("00_orientation")

    def no_keepdims_other_message(X):
        raise ValueError("shapes do not line up")  # same type as the catalogued mistake's error

    with pytest.raises(CheckFailed, match="Known mistake: forgot keepdims"):
        check("normalize_rows", no_keepdims_other_message)


def test_the_call_line_shows_the_calls_the_check_makes():
    from autograder.checking.checks import format_args, module_data

    ex = module_data("07_deep_network")["exercises"]["affine_backward"]
    text = format_args(ex, ex["cases"][0])
    assert text.startswith("affine_backward(dout, cache), with cache = affine_forward(x, w, b)[1]")
    assert "\n  x = " in text and "\n  dout = " in text
    ex = module_data("08_autograd")["exercises"]["Value"]
    assert "then b.backward()" in format_args(ex, ex["cases"][0])
    ex = module_data("00_orientation")["exercises"]["normalize_rows"]
    assert format_args(ex, ex["cases"][0]).startswith("normalize_rows([[")


def test_a_constant_factor_up_to_round_off_is_named():
    rng = np.random.default_rng(1)
    exp = rng.normal(size=(4, 3)) + 2.0
    got = exp * 0.5 * (1 + 1e-6 * rng.standard_normal(exp.shape))  # 1.000005 where 2 expected
    assert "constant factor 0.5" in compare(got, exp).diagnosis
    assert "about 1/2, up to round-off" in compare(got, exp).diagnosis
    one = compare(1.000005, 2.0).diagnosis
    assert one and "constant factor" in one


def test_a_factor_that_is_a_quantity_of_the_inputs_is_named_as_such():
    from autograder.checking.compare import input_quantities

    x = np.arange(1.0, 13.0).reshape(4, 3)
    exp = x / 7.0
    q = input_quantities((x,))
    assert "N*D = 12, the number of elements" in compare(exp * 12, exp, quantities=q).diagnosis
    assert "D = 3, the number of columns" in compare(exp / 3, exp, quantities=q).diagnosis
    sq = float(np.sum(x**2))
    assert "the squared norm" in compare(exp * sq, exp, quantities=q).diagnosis


def test_the_largest_difference_says_where_and_what_a_relative_error_is_relative_to():
    exp = np.array([-0.74, 0.5, 0.1])
    got = np.array([-0.18, 0.5, 0.1])
    text = "\n".join(compare(got, exp).lines())
    assert "largest difference 0.56, at index [0]: expected -0.74, got -0.18" in text
    assert "|got - expected| / (|got| + |expected|)" in text


def test_a_case_note_about_another_output_is_not_shown():
    from autograder.checking.checks import case_note

    ex = {"outputs": ["dx", "dw", "db"]}
    case = {"note": "x of rank 4, shape (2, 1, 2, 3): dx must have that shape too"}
    assert case_note(ex, case, "dw") == " (x of rank 4, shape (2, 1, 2, 3))"
    assert case_note(ex, case, "dx") == f" ({case['note']})"
    assert case_note(ex, {"note": "N=2: a small batch"}, "dw") == " (N=2: a small batch)"


def test_an_exercise_that_raised_is_not_said_to_give_a_wrong_answer():
    from autograder.checking.checks import case_lines, module_data

    ex = module_data("00_orientation")["exercises"]["normalize_rows"]
    lines = case_lines(ex, 0, Raised("ZeroDivisionError", "division by zero"), None, "x", False)
    assert lines[0].startswith("normalize_rows raised ZeroDivisionError on x")
    assert "wrong answer" not in "\n".join(lines)
    slow = case_lines(ex, 0, Raised("TimeoutError", "one call took longer than 5 s"), None, "x", 1)
    assert "a loop that never ends" in "\n".join(slow)


def test_an_argument_changed_in_place_is_named():
    from autograder.checking.drivers import InputChanged, call, keeping

    def scale(params, k):
        params["w"] *= k
        return params

    driver = keeping(call, ("params",))
    with pytest.raises(InputChanged, match=r"scale changed its argument params in place: .*w"):
        driver((scale,), ({"w": np.ones(3)}, 2.0), {})
    assert driver((lambda params, k: {"w": params["w"] * k},), ({"w": np.ones(3)}, 2.0), {})


def test_a_wrong_mask_is_reported_not_crashed_on():
    """Boolean results (causal masks, predictions) have no sign or factor to diagnose."""
    exp = np.tril(np.ones((2, 3), dtype=bool))
    found = compare(~exp, exp)
    assert found is not None and "values differ" in "\n".join(found.lines())
