"""Plot helpers draw exactly the numbers they are given, leave global state alone and reject bad input."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nbhelpers.plotting import plot_curves, plot_separating_line  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def scatter_groups(ax):
    """{legend label: (n, 2) array of the points drawn with that label}."""
    return {c.get_label(): np.asarray(c.get_offsets()) for c in ax.collections
            if c.get_label() and not c.get_label().startswith("_")}


def line_by_label(ax, label):
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return np.column_stack([line.get_xdata(), line.get_ydata()])


# --- plot_curves -----------------------------------------------------------

def test_plot_curves_draws_each_curve_with_its_label():
    x = np.linspace(-2, 2, 9)
    curves = {"square": x**2, "cube": x**3}
    ax = plot_curves(x, curves, xlabel="input", ylabel="output", title="powers")
    assert [ln.get_label() for ln in ax.get_lines()] == ["square", "cube"]
    for line, y in zip(ax.get_lines(), curves.values()):
        np.testing.assert_array_equal(line.get_xdata(), x)
        np.testing.assert_array_equal(line.get_ydata(), y)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("input", "output", "powers")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["square", "cube"]


def test_plot_curves_uses_given_axes_and_single_label_as_ylabel():
    fig, ax = plt.subplots()
    returned = plot_curves([0, 1, 2], {"sigma(x)": [0.5, 0.7, 0.9]}, ax=ax)
    assert returned is ax
    assert ax.get_ylabel() == "sigma(x)"
    assert ax.get_legend() is None  # it would only repeat the y label
    assert len(fig.axes) == 1
    other = plot_curves([0, 1, 2], {"sigma(x)": [0.5, 0.7, 0.9]}, ylabel="output")
    assert [t.get_text() for t in other.get_legend().get_texts()] == ["sigma(x)"]


def test_plot_curves_applies_styles_per_label():
    ax = plot_curves([0, 1], {"a": [0, 1], "b": [1, 0]}, styles={"b": {"linestyle": "--"}})
    styles = {ln.get_label(): ln.get_linestyle() for ln in ax.get_lines()}
    assert styles == {"a": "-", "b": "--"}


def test_plot_curves_changes_no_global_settings():
    before = dict(matplotlib.rcParams)
    plot_curves([0, 1, 2], {"y": [1, 2, 3]})
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("x, curves, error, message", [
    ([0, 1, 2], {"y": [1, 2]}, ValueError, "has 2 values but x has 3"),
    ([0, 1, 2], {"y": [1, np.nan, 2]}, ValueError, "finite"),
    ([0, np.inf, 2], {"y": [1, 2, 3]}, ValueError, "finite"),
    ([0, 1, 2], {}, TypeError, "non-empty dict"),
    ([0, 1, 2], [[1, 2, 3]], TypeError, "non-empty dict"),
    ([0, 1, 2], {1: [1, 2, 3]}, TypeError, "labels must be strings"),
    ([[0, 1], [2, 3]], {"y": [1, 2]}, ValueError, "1-D"),
    ([0, 1, 2], {"y": [[1, 2, 3]]}, ValueError, "1-D"),
    ([0, 1, 2], {"y": ["a", "b", "c"]}, TypeError, "numbers"),
])
def test_plot_curves_rejects_bad_input(x, curves, error, message):
    with pytest.raises(error, match=message):
        plot_curves(x, curves)


def test_plot_curves_rejects_styles_for_unknown_labels_and_bad_axes():
    with pytest.raises(ValueError, match="not in curves"):
        plot_curves([0, 1], {"a": [0, 1]}, styles={"b": {"color": "red"}})
    with pytest.raises(TypeError, match="ax must be"):
        plot_curves([0, 1], {"a": [0, 1]}, ax="left")


# --- plot_separating_line ----------------------------------------------------

@pytest.mark.parametrize("w, b", [([1.0, 2.0], -1.0), ([1.0, 1.0], -1.5),
                                  ([0.0, 3.0], 1.0), ([2.0, 0.0], 1.0), ([-1.0, 0.5], 0.0)])
def test_separating_line_solves_the_equation_and_crosses_the_window(w, b):
    ax = plot_separating_line(w, b, xlim=(-2, 2), ylim=(-2, 2))
    ends = line_by_label(ax, "w·x + b = 0")
    np.testing.assert_allclose(ends @ np.asarray(w) + b, 0.0, atol=1e-12)
    # The segment reaches beyond the window on both sides (or the window is cut off).
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-2.0, 2.0)
    outside = [not (-2 <= px <= 2 and -2 <= py <= 2) for px, py in ends]
    assert all(outside)


def test_separating_line_colours_points_by_side():
    rng = np.random.default_rng(7)
    points = rng.uniform(-2, 2, size=(50, 2))
    points[0] = [1.0, 0.0]  # exactly on the line x1 + 2 x2 - 1 = 0
    w, b = np.array([1.0, 2.0]), -1.0
    groups = scatter_groups(plot_separating_line(w, b, points=points))
    z = points @ w + b
    positive, negative = points[z > 1e-9], points[z < -1e-9]
    assert set(groups) == {"w·x + b > 0", "w·x + b < 0", "on the line"}
    np.testing.assert_array_equal(groups["w·x + b > 0"], positive)
    np.testing.assert_array_equal(groups["w·x + b < 0"], negative)
    np.testing.assert_array_equal(groups["on the line"], [[1.0, 0.0]])


def test_separating_line_and_gate_has_one_positive_corner():
    corners = [[0, 0], [0, 1], [1, 0], [1, 1]]
    groups = scatter_groups(plot_separating_line([1, 1], -1.5, points=corners))
    np.testing.assert_array_equal(groups["w·x + b > 0"], [[1, 1]])
    assert len(groups["w·x + b < 0"]) == 3


def test_separating_line_default_window_contains_points_and_uses_given_axes():
    fig, ax = plt.subplots()
    points = np.array([[-3.0, 1.0], [4.0, 2.0]])
    returned = plot_separating_line([1, -1], 0.5, points=points, ax=ax)
    assert returned is ax and len(fig.axes) == 1
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    assert x_low < -3 and x_high > 4 and y_low < 1 and y_high > 2
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_title() == "w = [1, -1], b = 0.5"


def test_separating_line_changes_no_global_settings():
    before = dict(matplotlib.rcParams)
    plot_separating_line([1, 1], -1.5, points=[[0, 0], [1, 1]])
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("kwargs, error, message", [
    ({"w": [1.0, 2.0, 3.0], "b": 0}, ValueError, "2 entries"),
    ({"w": [1.0], "b": 0}, ValueError, "2 entries"),
    ({"w": [0.0, 0.0], "b": 1}, ValueError, r"must not be \[0, 0\]"),
    ({"w": [1.0, np.nan], "b": 0}, ValueError, "finite"),
    ({"w": [1.0, 1.0], "b": np.inf}, ValueError, "finite"),
    ({"w": [1.0, 1.0], "b": [1.0, 2.0]}, ValueError, "single number"),
    ({"w": [1.0, 1.0], "b": 0, "points": [1.0, 2.0]}, ValueError, "2-D"),
    ({"w": [1.0, 1.0], "b": 0, "points": [[1.0, 2.0, 3.0]]}, ValueError, "2 columns"),
    ({"w": [1.0, 1.0], "b": 0, "xlim": (2, -2)}, ValueError, "low < high"),
    ({"w": [1.0, 1.0], "b": 0, "ylim": (0, 1, 2)}, ValueError, "pair"),
    ({"w": [1.0, 1.0], "b": 0, "shade": "yes"}, TypeError, "shade"),
    ({"w": "ab", "b": 0}, TypeError, "w must be numbers"),
])
def test_separating_line_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_separating_line(**kwargs)
