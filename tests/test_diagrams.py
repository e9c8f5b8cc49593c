"""draw_network draws one labelled edge per weight and bias and rejects networks that do not fit together."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nbhelpers.diagrams import draw_network  # noqa: E402
from nbhelpers.plotting import NEGATIVE_COLOR, POSITIVE_COLOR  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def layers():
    rng = np.random.default_rng(5)
    return ([rng.normal(size=(2, 3)), rng.normal(size=(3, 1))], [rng.normal(size=3), rng.normal(size=1)])


def test_every_weight_and_bias_is_an_edge_with_its_rounded_label():
    weights, biases = layers()
    ax = draw_network(weights, biases, input_names=["a", "b"], output_names=["out"])
    n_edges = 2 * 3 + 3 * 1 + 3 + 1
    assert len(ax.get_lines()) == n_edges
    texts = [t.get_text() for t in ax.texts]
    for value in np.concatenate([w.ravel() for w in weights] + biases):
        assert f"{value:.2f}" in texts
    assert {"a", "b", "out"} <= set(texts)
    assert texts.count("1") >= 2                       # one bias node per layer
    colors = {matplotlib.colors.to_hex(line.get_color()) for line in ax.get_lines()}
    assert colors <= {matplotlib.colors.to_hex(POSITIVE_COLOR), matplotlib.colors.to_hex(NEGATIVE_COLOR)}


def test_edge_width_grows_with_magnitude_and_colour_follows_sign():
    ax = draw_network([np.array([[0.5, -4.0]])], [np.array([0.0, 1.0])])
    lines = ax.get_lines()
    small, large = lines[0], lines[1]                   # weights 0.5 and -4.0
    assert large.get_linewidth() > small.get_linewidth()
    assert matplotlib.colors.to_hex(small.get_color()) == matplotlib.colors.to_hex(POSITIVE_COLOR)
    assert matplotlib.colors.to_hex(large.get_color()) == matplotlib.colors.to_hex(NEGATIVE_COLOR)


def test_draws_on_the_given_axes_and_returns_it():
    fig, ax = plt.subplots()
    assert draw_network(*layers(), ax=ax) is ax


@pytest.mark.parametrize("weights, biases, kwargs, error, match", [
    ([np.ones((2, 3)), np.ones((2, 1))], [np.ones(3), np.ones(1)], {}, ValueError, "consecutive layers"),
    ([np.ones((2, 3))], [np.ones(2)], {}, ValueError, r"biases\[0\] has 2 entries"),
    ([np.ones((2, 3))], [np.ones(3), np.ones(1)], {}, ValueError, "one bias vector per layer"),
    ([np.ones((2, 3))], [np.ones(3)], {"input_names": ["a"]}, ValueError, "input_names has 1 names"),
    ([np.ones((2, 3))], [np.ones(3)], {"output_names": ["a", "b"]}, ValueError, "output_names has 2"),
    ([np.ones((2, 3))], [np.ones(3)], {"input_names": ["a", 2]}, TypeError, "strings"),
    ([np.array([[1.0, np.nan]])], [np.ones(2)], {}, ValueError, "finite"),
    ([np.ones((2, 1))], [np.array([np.inf])], {}, ValueError, "finite"),
    ([np.ones(3)], [np.ones(3)], {}, ValueError, r"weights\[0\]"),
    ([], [], {}, ValueError, "at least one layer"),
    (np.ones((2, 3)), [np.ones(3)], {}, TypeError, "one array per layer"),
    ([np.ones((2, 3))], [np.ones(3)], {"input_names": "ab"}, TypeError, "input_names"),
])
def test_rejects_networks_that_do_not_fit(weights, biases, kwargs, error, match):
    with pytest.raises(error, match=match):
        draw_network(weights, biases, **kwargs)
