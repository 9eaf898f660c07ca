"""Module 12's results: the im2col layers give the naive layers' numbers, col2im is the adjoint of
im2col, and ``make bench``'s convolution table runs (without PyTorch it says so)."""

import sys

import numpy as np
import pytest

from autograder.authoring import bench
from autograder.grading import harness

pytestmark = pytest.mark.xdist_group("results-convolutions")

MODULE = "12_convolutions"

LAYERS = [  # x shape, w shape, stride, pad
    ((2, 3, 9, 7), (4, 3, 3, 2), 2, 2),
    ((1, 2, 6, 8), (3, 2, 2, 3), 1, 0),
    ((3, 1, 8, 8), (16, 1, 3, 3), 1, 1),
    ((2, 4, 7, 7), (2, 4, 5, 5), 2, 1),
]


@pytest.fixture(scope="session")
def ns():
    return harness.reference_namespace(MODULE)[0]


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", LAYERS)
def test_fast_layers_give_the_naive_layers_numbers(ns, x_shape, w_shape, stride, pad):
    rng = np.random.default_rng(sum(x_shape) + sum(w_shape) + stride + pad)
    x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    param = {"stride": stride, "pad": pad}
    out_naive, cache_naive = ns["conv_forward_naive"](x, w, b, param)
    out_fast, cache_fast = ns["conv_forward_fast"](x, w, b, param)
    size = ns["conv_output_size"]
    assert out_naive.shape == (x_shape[0], w_shape[0]) + tuple(
        size(x_shape[k], w_shape[k], stride, pad) for k in (2, 3)
    )
    np.testing.assert_allclose(out_fast, out_naive, rtol=1e-10, atol=1e-10)
    dout = rng.normal(size=out_naive.shape)
    naive = ns["conv_backward_naive"](dout, cache_naive)
    fast = ns["conv_backward_fast"](dout, cache_fast)
    for got, want, like in zip(fast, naive, (x, w, b)):
        assert got.shape == like.shape
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", LAYERS)
def test_col2im_is_the_adjoint_of_im2col(ns, x_shape, w_shape, stride, pad):
    rng = np.random.default_rng(1)
    x = rng.normal(size=x_shape)
    HH, WW = w_shape[2:]
    cols = ns["im2col"](x, HH, WW, stride, pad)
    other = rng.normal(size=cols.shape)
    back = ns["col2im"](other, x_shape, HH, WW, stride, pad)
    assert back.shape == x_shape
    assert np.isclose(np.sum(cols * other), np.sum(x * back), rtol=1e-12)
    # the product with the flattened filters, reshaped, is the convolution
    w = rng.normal(size=w_shape)
    out, _ = ns["conv_forward_naive"](x, w, np.zeros(w_shape[0]), {"stride": stride, "pad": pad})
    rows = (cols @ w.reshape(w_shape[0], -1).T).reshape(out.shape[0], *out.shape[2:], -1)
    np.testing.assert_allclose(rows.transpose(0, 3, 1, 2), out, rtol=1e-10, atol=1e-10)


def test_max_pool_gradient_goes_to_the_first_maximum(ns):
    x = np.array([[[[1.0, 3.0], [3.0, 0.0]]]])
    param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    out, cache = ns["max_pool_forward_naive"](x, param)
    assert out.tolist() == [[[[3.0]]]]
    dx = ns["max_pool_backward_naive"](np.array([[[[2.0]]]]), cache)
    assert dx.tolist() == [[[[0.0, 2.0], [0.0, 0.0]]]]


def test_bench_times_the_reference_layers_and_names_a_missing_torch():
    result = bench.conv_timings(sys.executable, repeats=1, naive_repeats=1)
    assert [row["label"] for row in result["rows"]] == [s[0] for s in bench.CONV_SHAPES]
    for row in result["rows"]:
        assert row["naive"] > 0 and row["fast"] > 0
    lines = bench.conv_lines(result)
    assert len(lines) == 2 + len(bench.CONV_SHAPES)
    if result["torch"] is None:
        assert "torch: not installed" in lines[-1]
    else:
        assert result["rows"][0]["agree"] < 1e-10
