"""The numpy activation functions match their formulas, stay finite and reject bad input."""
from __future__ import annotations

import math

import numpy as np
import pytest

from nbhelpers.activations import scaled_sine, sigmoid, step


def reference_sigmoid(x, alpha=1.0):
    """The textbook formula, one number at a time with the math module."""
    return 1.0 / (1.0 + math.exp(-alpha * x))


@pytest.mark.parametrize("alpha", [0.5, 1.0, 5.0, 20.0])
def test_sigmoid_matches_textbook_formula(alpha):
    xs = np.arange(-2, 2, 0.1)
    expected = [reference_sigmoid(x, alpha) for x in xs]
    np.testing.assert_allclose(sigmoid(xs, alpha), expected, rtol=1e-12, atol=1e-15)


def test_sigmoid_keeps_shape_and_returns_float_for_a_number():
    grid = np.linspace(-1, 1, 6).reshape(2, 3)
    assert sigmoid(grid).shape == (2, 3)
    value = sigmoid(0.0)
    assert isinstance(value, float) and value == 0.5


def test_sigmoid_is_symmetric_and_bounded():
    xs = np.linspace(-30, 30, 121)
    values = sigmoid(xs, alpha=3.0)
    np.testing.assert_allclose(values + sigmoid(-xs, alpha=3.0), 1.0, rtol=0, atol=1e-15)
    assert np.all((values >= 0) & (values <= 1))
    assert np.all(np.diff(values) >= 0)


@pytest.mark.parametrize("alpha", [1.0, 5.0, 20.0])
def test_sigmoid_slope_at_zero_is_alpha_over_four(alpha):
    h = 1e-6
    slope = (sigmoid(h, alpha) - sigmoid(-h, alpha)) / (2 * h)
    assert slope == pytest.approx(alpha / 4, rel=1e-6)


def test_sigmoid_alpha_is_a_scale_of_the_input():
    xs = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(sigmoid(xs, alpha=5.0), sigmoid(5.0 * xs), rtol=1e-14)


def test_sigmoid_of_huge_inputs_saturates_without_warnings():
    with np.errstate(all="raise"):
        values = sigmoid(np.array([-1e6, -800.0, 800.0, 1e6]), alpha=5.0)
    np.testing.assert_array_equal(values, [0.0, 0.0, 1.0, 1.0])


def test_sigmoid_keeps_relative_precision_in_the_far_tail():
    for x in (-40.0, -300.0):
        assert sigmoid(x) == pytest.approx(math.exp(x) / (1 + math.exp(x)), rel=1e-12)
        assert sigmoid(x) > 0


def test_step_is_the_large_alpha_limit_of_the_sigmoid():
    xs = np.array([-1.0, -0.1, 0.0, 0.1, 1.0])
    np.testing.assert_array_equal(step(xs), [0.0, 0.0, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(sigmoid(xs, alpha=1e4), step(xs), atol=1e-12)
    assert step(2) == 1.0 and isinstance(step(2), float)


def test_scaled_sine_is_one_bump_over_minus_two_to_two():
    np.testing.assert_allclose(scaled_sine(np.array([-2.0, 0.0, 2.0])), [0.0, 1.0, 0.0], atol=1e-15)
    xs = np.linspace(-2, 2, 401)
    values = scaled_sine(xs)
    assert np.all(values >= -1e-15) and xs[np.argmax(values)] == 0.0
    np.testing.assert_allclose(scaled_sine(xs + 8.0), values, atol=1e-12)  # period 8
    assert [round(math.sin((x + 2) * math.pi / 4), 12) for x in (-1.0, 1.0, 4.0)] == \
        [round(scaled_sine(x), 12) for x in (-1.0, 1.0, 4.0)]


@pytest.mark.parametrize("alpha, error", [
    (0, ValueError), (-1.0, ValueError), (float("nan"), ValueError),
    (float("inf"), ValueError), ("5", TypeError), (True, TypeError), (None, TypeError),
])
def test_sigmoid_rejects_bad_alpha(alpha, error):
    with pytest.raises(error, match="alpha"):
        sigmoid([0.0, 1.0], alpha)


@pytest.mark.parametrize("function", [sigmoid, step, scaled_sine])
@pytest.mark.parametrize("x, error", [
    ([0.0, float("nan")], ValueError), ([1.0, float("inf")], ValueError),
    ("abc", TypeError), ([], ValueError),
])
def test_activations_reject_bad_x(function, x, error):
    with pytest.raises(error, match="x"):
        function(x)
