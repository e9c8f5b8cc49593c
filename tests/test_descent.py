"""Gradient descent, finite differences and the Mexican hat, checked against independent references."""
from __future__ import annotations

import math

import numpy as np
import pytest

import nbhelpers  # noqa: F401  (configures Theano before any test imports it)
from nbhelpers.descent import gradient_descent, mexican_hat, numeric_gradient


def hat_derivative(x, s=1.0):
    """d/dx of (1 - x²/s²) exp(-x²/s²), worked out by hand."""
    u = x / s
    return np.exp(-u**2) * (2 * u**3 - 4 * u) / s


# --- mexican_hat -----------------------------------------------------------------

def test_mexican_hat_known_values():
    assert mexican_hat(0.0) == 1.0
    assert mexican_hat(1.0) == 0.0
    assert mexican_hat(-2.0, s=2.0) == 0.0
    assert mexican_hat(math.sqrt(2)) == pytest.approx(-math.exp(-2), rel=1e-15)
    assert isinstance(mexican_hat(0.3), float)


def test_mexican_hat_is_elementwise_and_matches_formula():
    x = np.linspace(-3, 3, 13)
    expected = [(1 - v * v / 4) * math.exp(-v * v / 4) for v in x]
    np.testing.assert_allclose(mexican_hat(x, s=2.0), expected, rtol=1e-14)


def test_mexican_hat_minima_at_plus_minus_sqrt2_s():
    s = 1.7
    for minimum in (math.sqrt(2) * s, -math.sqrt(2) * s):
        assert hat_derivative(minimum, s) == pytest.approx(0.0, abs=1e-15)
        assert mexican_hat(minimum, s) < mexican_hat(minimum + 1e-4, s)
        assert mexican_hat(minimum, s) < mexican_hat(minimum - 1e-4, s)


# --- numeric_gradient --------------------------------------------------------------

def test_numeric_gradient_of_scalar_functions_matches_analytic():
    for f, df, x in [(math.sin, math.cos, 0.7), (math.exp, math.exp, -1.3), (mexican_hat, hat_derivative, 0.9)]:
        approx = numeric_gradient(f, x)
        assert isinstance(approx, float)
        assert approx == pytest.approx(df(x), abs=1e-8)


def test_numeric_gradient_of_vector_function_matches_analytic():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    approx = numeric_gradient(lambda v: np.sum(v**3) + v[0, 1] * v[1, 0], x)
    expected = 3 * x**2 + np.array([[0, x[1, 0]], [x[0, 1], 0]])
    assert approx.shape == x.shape
    np.testing.assert_allclose(approx, expected, atol=1e-6)


def test_numeric_gradient_is_central_difference_exact_for_quadratics():
    # central differences are exact for polynomials of degree <= 2 (up to rounding)
    assert numeric_gradient(lambda x: 3 * x * x - 2 * x, 2.0, eps=0.5) == pytest.approx(10.0, abs=1e-12)


# --- gradient_descent -----------------------------------------------------------

def hand_loop(grad, w, lr, steps):
    ws = [w]
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w)
    return ws


def test_gradient_descent_matches_a_hand_written_loop():
    grad = lambda w: float(hat_derivative(w))  # noqa: E731
    history = gradient_descent(grad, 0.5, 0.1, 50)
    assert history.shape == (51,)
    np.testing.assert_array_equal(history, hand_loop(grad, 0.5, 0.1, 50))


def test_gradient_descent_with_a_vector_weight():
    target = np.array([1.0, -2.0, 3.0])
    grad = lambda w: 2 * (w - target)  # noqa: E731
    history = gradient_descent(grad, [0.0, 0.0, 0.0], 0.25, 40)
    assert history.shape == (41, 3)
    np.testing.assert_array_equal(history[0], [0.0, 0.0, 0.0])
    # each step halves the distance to the target: w_k = target * (1 - 0.5**k)
    np.testing.assert_allclose(history[5], target * (1 - 0.5**5), rtol=1e-14)
    np.testing.assert_allclose(history[-1], target, atol=1e-10)


def test_gradient_descent_does_not_change_the_start_array():
    w0 = np.array([1.0, 2.0])
    gradient_descent(lambda w: w, w0, 0.5, 3)
    np.testing.assert_array_equal(w0, [1.0, 2.0])


def test_gradient_descent_reaches_the_nearest_minimum_of_the_hat():
    grad = lambda w: float(hat_derivative(w))  # noqa: E731
    assert gradient_descent(grad, 0.5, 0.1, 500)[-1] == pytest.approx(math.sqrt(2), abs=1e-9)
    assert gradient_descent(grad, -0.5, 0.1, 500)[-1] == pytest.approx(-math.sqrt(2), abs=1e-9)
    assert gradient_descent(grad, 0.0, 0.1, 500)[-1] == 0.0  # the gradient is 0 at the maximum


def test_theano_gradient_matches_finite_differences():
    import theano
    import theano.tensor as T

    w = T.dscalar("w")
    x = np.arange(0.9, 1.1, 0.01)
    loss = T.sum(mexican_hat(w * x))
    loss_fn = theano.function([w], loss)
    grad_fn = theano.function([w], T.grad(loss, w))
    for point in (-1.2, 0.0, 0.5, 1.4):
        assert float(grad_fn(point)) == pytest.approx(numeric_gradient(loss_fn, point), abs=1e-7)
    # and the symbolic hat is the numeric hat
    assert float(loss_fn(0.5)) == pytest.approx(np.sum(mexican_hat(0.5 * x)), rel=1e-14)


def test_theano_grad_through_gradient_descent_matches_numpy():
    import theano
    import theano.tensor as T

    w = T.dscalar("w")
    grad_fn = theano.function([w], T.grad(mexican_hat(w), w))
    via_theano = gradient_descent(grad_fn, 0.5, 0.1, 30)
    via_numpy = gradient_descent(lambda v: float(hat_derivative(v)), 0.5, 0.1, 30)
    np.testing.assert_allclose(via_theano, via_numpy, rtol=1e-12)


# --- bad inputs: clear errors, naming the argument -----------------------------------

@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(lr=0.0), ValueError, "lr"),
        (dict(lr=-0.1), ValueError, "lr"),
        (dict(lr=float("nan")), ValueError, "lr"),
        (dict(lr="0.1"), TypeError, "lr"),
        (dict(steps=0), ValueError, "steps"),
        (dict(steps=2.5), TypeError, "steps"),
        (dict(steps=True), TypeError, "steps"),
        (dict(w0=float("nan")), ValueError, "w0"),
        (dict(w0=[1.0, float("inf")]), ValueError, "w0"),
        (dict(w0="one"), TypeError, "w0"),
        (dict(grad=42), TypeError, "grad"),
        (dict(grad=lambda w: [1.0, 2.0]), ValueError, "shape"),
        (dict(grad=lambda w: "steep"), TypeError, "grad"),
    ],
)
def test_gradient_descent_rejects_bad_arguments(kwargs, error, words):
    arguments = dict(grad=lambda w: 0.0 * w, w0=0.5, lr=0.1, steps=10)
    arguments.update(kwargs)
    with pytest.raises(error, match=words):
        gradient_descent(**arguments)


def test_gradient_descent_says_the_learning_rate_is_too_large_when_it_diverges():
    # w <- w - 1.5 * 2w = -2w: |w| doubles each step until it overflows
    with pytest.raises(ValueError, match="the learning rate is probably too large"):
        gradient_descent(lambda w: 2 * w, 1.0, 1.5, 2000)
    # the same problem with a small enough learning rate converges
    assert gradient_descent(lambda w: 2 * w, 1.0, 0.4, 2000)[-1] == pytest.approx(0.0, abs=1e-300)


def test_gradient_descent_rejects_a_gradient_that_is_not_finite():
    with pytest.raises(ValueError, match="at w=1.0 the gradient is nan"):
        gradient_descent(lambda w: float("nan"), 1.0, 0.1, 5)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: numeric_gradient(42, 1.0), TypeError, "f must be a function"),
        (lambda: numeric_gradient(math.sin, float("nan")), ValueError, "x"),
        (lambda: numeric_gradient(math.sin, 1.0, eps=0), ValueError, "eps"),
        (lambda: numeric_gradient(lambda x: [x, x], 1.0), ValueError, "one number"),
        (lambda: numeric_gradient(lambda x: math.sqrt(x) if x >= 0 else math.nan, 0.0), ValueError, "finite"),
        (lambda: mexican_hat(1.0, s=0), ValueError, "s"),
        (lambda: mexican_hat(float("inf")), ValueError, "x"),
        (lambda: mexican_hat("wide"), TypeError, "x"),
    ],
)
def test_numeric_gradient_and_mexican_hat_reject_bad_arguments(call, error, words):
    with pytest.raises(error, match=words):
        call()


# --- plot_descent / plot_loss: draw what was computed, reject bad input ------------

@pytest.fixture
def agg_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_plot_descent_draws_the_path_on_the_curve(agg_axes):
    from nbhelpers.plotting import plot_descent

    history = np.array([0.5, 1.0, 1.3, 1.4])
    ax = plot_descent(mexican_hat, history, x=np.linspace(0, 2, 50), ax=agg_axes)
    assert ax is agg_axes
    curve, path = ax.lines[0], ax.lines[1]
    np.testing.assert_allclose(curve.get_ydata(), mexican_hat(np.linspace(0, 2, 50)))
    np.testing.assert_array_equal(path.get_xdata(), history)
    np.testing.assert_allclose(path.get_ydata(), mexican_hat(history))
    assert ax.get_xlabel() == "w"


def test_plot_descent_default_range_covers_the_path(agg_axes):
    from nbhelpers.plotting import plot_descent

    ax = plot_descent(lambda w: w * w, [-3.0, 2.0], ax=agg_axes)
    xs = ax.lines[0].get_xdata()
    assert xs.min() < -3.0 and xs.max() > 2.0


def test_plot_loss_plots_against_step_number(agg_axes):
    from nbhelpers.plotting import plot_loss

    ax = plot_loss([3.0, 2.0, 1.5], ax=agg_axes, label="lr = 0.1")
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2])
    assert ax.get_legend().get_texts()[0].get_text() == "lr = 0.1"


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda p: p.plot_descent("hat", [0.5, 1.0]), TypeError, "f must be a function"),
        (lambda p: p.plot_descent(mexican_hat, [[0.5, 1.0]]), ValueError, "history"),
        (lambda p: p.plot_descent(mexican_hat, [0.5, float("nan")]), ValueError, "history"),
        (lambda p: p.plot_descent(mexican_hat, [0.5], x=[1.0]), ValueError, "x"),
        (lambda p: p.plot_descent(lambda w: math.log(w) if w > 0 else math.nan, [0.5, 1.0]), ValueError, "f"),
        (lambda p: p.plot_loss([1.0, float("inf")]), ValueError, "losses"),
        (lambda p: p.plot_loss([1.0, 2.0], label=3), TypeError, "label"),
        (lambda p: p.plot_loss([1.0, 2.0], ax="axes"), TypeError, "ax"),
    ],
)
def test_descent_plots_reject_bad_arguments(call, error, words):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nbhelpers import plotting

    try:
        with pytest.raises(error, match=words):
            call(plotting)
    finally:
        plt.close("all")


def test_grad_without_return_is_named():
    import pytest
    from nbhelpers import gradient_descent

    def forgot_return(w):
        2 * w

    with pytest.raises(TypeError, match="return"):
        gradient_descent(forgot_return, 1.0, 0.1, 3)
