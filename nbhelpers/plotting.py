"""Figures of the course: function curves, separating lines, and more.

Every public function here follows the same rules, so that new ones fit in:

* it takes ``ax=None`` (a new figure is made when no axes is given) and returns the axes;
* it draws numbers that were computed before (compute first, then plot);
* it changes no global matplotlib state (no rcParams, no ``plt.show()``);
* it checks its arguments with :mod:`nbhelpers.validation` and says what is wrong.

Shared private helpers (``_axes``, ``_limits``) are at the top; public functions follow,
in the order the notebooks first use them.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nbhelpers.validation import as_finite_array

#: Colours for the two sides of a separating line (w . x + b > 0 and < 0).
POSITIVE_COLOR = "tab:red"
NEGATIVE_COLOR = "tab:blue"

#: plot_decision_boundary draws no 0.5 line when the output varies less than this.
FLAT_OUTPUT = 1e-6


def _axes(ax):
    """Return ``ax``, or the axes of a new figure if ``ax`` is None."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
        return ax
    if not (hasattr(ax, "plot") and hasattr(ax, "figure")):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def _limits(name: str, value) -> tuple[float, float]:
    """Check an axis range ``(low, high)`` with finite ``low < high``."""
    pair = as_finite_array(name, value, ndim=1)
    if pair.size != 2 or not pair[0] < pair[1]:
        raise ValueError(f"{name} must be a pair (low, high) with low < high, got {value!r}")
    return float(pair[0]), float(pair[1])


# ---------------------------------------------------------------------------
# notebooks/02-Compute-With-A-Neuron.ipynb
# ---------------------------------------------------------------------------

def plot_curves(x, curves, ax=None, title=None, xlabel="x", ylabel=None, styles=None):
    """Plot one or more curves ``y = f(x)`` that share the same ``x`` values.

    ``curves`` maps a legend label to the y values (one per x value), e.g.
    ``{"alpha=1": sigmoid(x, 1), "alpha=5": sigmoid(x, 5)}``. ``styles`` optionally
    maps some of those labels to extra ``ax.plot`` keywords (``{"step": {"ls": "--"}}``).
    ``ylabel=None`` uses the label of the curve when there is only one; a legend is
    drawn unless it would only repeat the y-axis label. Returns the axes.

    First used in ``notebooks/02-Compute-With-A-Neuron.ipynb``.
    """
    x = as_finite_array("x", x, ndim=1, min_len=2)
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(
            "curves must be a non-empty dict {label: y values}, "
            f"got {type(curves).__name__} {curves!r:.60}"
        )
    styles = {} if styles is None else styles
    if not isinstance(styles, Mapping):
        raise TypeError(f"styles must be a dict {{label: plot keywords}} or None, got {type(styles).__name__}")
    unknown = [label for label in styles if label not in curves]
    if unknown:
        raise ValueError(f"styles has labels {unknown} that are not in curves {list(curves)}")
    checked = {}
    for label, y in curves.items():
        if not isinstance(label, str):
            raise TypeError(f"curve labels must be strings, got {label!r}")
        y = as_finite_array(f"curves[{label!r}]", y, ndim=1)
        if y.size != x.size:
            raise ValueError(f"curves[{label!r}] has {y.size} values but x has {x.size}: give one y per x")
        style = styles.get(label, {})
        if not isinstance(style, Mapping):
            raise TypeError(f"styles[{label!r}] must be a dict of plot keywords, got {style!r}")
        checked[label] = (y, style)

    ax = _axes(ax)
    for label, (y, style) in checked.items():
        ax.plot(x, y, label=label, **style)
    if ylabel is None and len(checked) == 1:
        ylabel = next(iter(checked))
    ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    if len(checked) > 1 or next(iter(checked)) != ylabel:
        ax.legend()
    return ax


def plot_separating_line(w, b, points=None, ax=None, xlim=None, ylim=None,
                         shade=True, show_normal=True, title=None):
    """Draw the line ``w . x + b = 0`` in the plane and, optionally, points coloured by side.

    ``w`` has two entries (not both 0) and ``b`` is a number. ``points`` is an
    ``(n, 2)`` array; points with ``w . x + b > 0`` are drawn red, ``< 0`` blue and
    on the line grey. ``shade`` tints the two half-planes the same way and
    ``show_normal`` draws ``w`` as an arrow: it is perpendicular to the line and
    points into the positive side. ``xlim``/``ylim`` default to the points' range
    (with a margin) or to ``(-2, 2)``. The axes get equal scales, so right angles
    look right. ``title=None`` writes ``w`` and ``b`` in the title. Returns the axes.

    First used in ``notebooks/02-Compute-With-A-Neuron.ipynb``.
    """
    w = as_finite_array("w", w, ndim=1)
    if w.size != 2:
        raise ValueError(f"w must have 2 entries (a line in the plane), got {w.size}: {w}")
    if not np.any(w):
        raise ValueError(
            "w must not be [0, 0]: then w . x + b does not depend on x and "
            "w . x + b = 0 is no line (it holds everywhere or nowhere)"
        )
    b = float(as_finite_array("b", b, ndim=0))
    if points is not None:
        points = as_finite_array("points", points, ndim=2)
        if points.shape[1] != 2:
            raise ValueError(f"points must have 2 columns (x1, x2), got shape {points.shape}")
    for name, flag in (("shade", shade), ("show_normal", show_normal)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    xlim = _default_limits(points, 0) if xlim is None else _limits("xlim", xlim)
    ylim = _default_limits(points, 1) if ylim is None else _limits("ylim", ylim)

    ax = _axes(ax)
    if shade:
        grid_x, grid_y = np.meshgrid(np.linspace(*xlim, 50), np.linspace(*ylim, 50))
        values = w[0] * grid_x + w[1] * grid_y + b
        if values.min() < 0 < values.max():
            levels = [values.min() - 1, 0.0, values.max() + 1]
            ax.contourf(grid_x, grid_y, values, levels=levels,
                        colors=[NEGATIVE_COLOR, POSITIVE_COLOR], alpha=0.12)
        else:  # the whole window lies on one side
            ax.axvspan(*xlim, color=POSITIVE_COLOR if values.max() > 0 else NEGATIVE_COLOR, alpha=0.12)

    # The line: its point nearest the window's centre ("foot") plus or minus the
    # window's diagonal along the line's direction, which crosses the whole window.
    norm = float(np.hypot(*w))
    direction = np.array([-w[1], w[0]]) / norm
    p0 = -b * w / norm**2  # a point on the line
    centre = np.array([sum(xlim) / 2, sum(ylim) / 2])
    foot = p0 + direction * float(np.dot(centre - p0, direction))
    diagonal = float(np.hypot(xlim[1] - xlim[0], ylim[1] - ylim[0]))
    ends = foot + np.outer([-diagonal, diagonal], direction)
    ax.plot(ends[:, 0], ends[:, 1], color="black", label="w·x + b = 0")

    if points is not None:
        z = points @ w + b
        on_line = np.isclose(z, 0.0, atol=1e-12)
        groups = (
            ((z > 0) & ~on_line, POSITIVE_COLOR, "w·x + b > 0"),
            ((z < 0) & ~on_line, NEGATIVE_COLOR, "w·x + b < 0"),
            (on_line, "grey", "on the line"),
        )
        for mask, color, label in groups:
            if mask.any():
                ax.scatter(points[mask, 0], points[mask, 1], color=color, label=label,
                           edgecolors="black", linewidths=0.5, zorder=3)

    if show_normal:
        inside = xlim[0] <= foot[0] <= xlim[1] and ylim[0] <= foot[1] <= ylim[1]
        if inside:
            length = 0.2 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
            tip = foot + length * w / norm
            ax.annotate("", xy=tuple(tip), xytext=tuple(foot),
                        arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5})
            ax.annotate("w", xy=tuple(tip), xytext=(4, 4), textcoords="offset points")

    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"w = [{w[0]:g}, {w[1]:g}], b = {b:g}" if title is None else title)
    ax.legend(loc="best", frameon=True, framealpha=0.9, fontsize="small")
    return ax


def _default_limits(points, column: int) -> tuple[float, float]:
    """The points' range in one column, with a 10% margin (at least 0.5); (-2, 2) without points."""
    if points is None:
        return -2.0, 2.0
    low, high = float(points[:, column].min()), float(points[:, column].max())
    margin = max(0.1 * (high - low), 0.5)
    return low - margin, high + margin


# ---------------------------------------------------------------------------
# notebooks/04-Descend-The-Mexican-Hat.ipynb
# ---------------------------------------------------------------------------

def _curve_values(f, x: np.ndarray, name: str) -> np.ndarray:
    """``f`` at every x (one call per value, so compiled Theano scalar functions work)."""
    if not callable(f):
        raise TypeError(f"{name} must be a function of one number, got {f!r:.80}")
    return as_finite_array(f"{name}(x)", [float(np.asarray(f(float(v)), dtype=float)) for v in x], ndim=1)


def plot_descent(f, history, x=None, ax=None, xlabel="w", ylabel="loss", title=None):
    """Draw the curve ``f`` and, on it, the path of a gradient descent.

    ``history`` is the array of weights returned by
    :func:`nbhelpers.descent.gradient_descent` (one number per step, the start
    first). The curve is drawn over ``x`` (default: the range the path visits plus
    a margin); each step is a dot on the curve, joined in order, with the start and
    the end marked. ``f`` is called with one number at a time. Returns the axes.

    First used in ``notebooks/04-Descend-The-Mexican-Hat.ipynb``.
    """
    history = as_finite_array("history", history, ndim=1)
    if x is None:
        low, high = float(history.min()), float(history.max())
        margin = max(0.15 * (high - low), 0.5)
        x = np.linspace(low - margin, high + margin, 200)
    else:
        x = as_finite_array("x", x, ndim=1, min_len=2)
    curve = _curve_values(f, x, "f")
    path = _curve_values(f, history, "f")

    ax = _axes(ax)
    ax.plot(x, curve, color="tab:blue", label="f(w)")
    ax.plot(history, path, color="tab:orange", lw=1, marker="o", ms=3,
            label=f"descent ({history.size - 1} steps)")
    ax.plot(history[0], path[0], "s", color="tab:green", ms=8, label=f"start w = {history[0]:.4g}")
    ax.plot(history[-1], path[-1], "*", color="tab:red", ms=12, label=f"end w = {history[-1]:.6g}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend(loc="best", frameon=True, framealpha=0.9, fontsize="small")
    return ax


def plot_loss(losses, ax=None, label=None):
    """Plot a loss against the step number (step 0 is the start); call again to compare runs.

    ``losses`` is one number per step. ``label`` names the curve in a legend (no
    legend if every curve on the axes is unlabelled). Returns the axes.

    First used in ``notebooks/04-Descend-The-Mexican-Hat.ipynb``.
    """
    losses = as_finite_array("losses", losses, ndim=1)
    if label is not None and not isinstance(label, str):
        raise TypeError(f"label must be a string or None, got {label!r}")
    ax = _axes(ax)
    ax.plot(np.arange(losses.size), losses, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    if label is not None:
        ax.legend(loc="best")
    return ax


# ---------------------------------------------------------------------------
# notebooks/05-Train-Boolean-Neurons.ipynb
# ---------------------------------------------------------------------------

def plot_decision_boundary(predict, ax=None, points=None, targets=None, xlim=(-0.25, 1.25),
                           ylim=(-0.25, 1.25), resolution=101, colorbar=True, title=None):
    """Shade a neuron's output over the plane, draw its 0.5 level line and the input points.

    ``predict`` maps an ``(n, 2)`` float64 array of points to ``n`` outputs in [0, 1] (e.g. a
    compiled Theano function of the input matrix). Its output is drawn as filled contours
    over ``xlim`` x ``ylim`` (``resolution`` points per side), the level 0.5 - where the
    neuron switches from "0" to "1" - as a black line (none if the output varies by less
    than ``FLAT_OUTPUT`` over the window: such a line would only trace rounding noise). ``points`` (``(n, 2)``) are drawn
    on top, coloured by ``targets`` (0: blue, 1: red) if given. Returns the axes.

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    if not callable(predict):
        raise TypeError(f"predict must be a function of an (n, 2) array of points, got {predict!r:.80}")
    xlim = _limits("xlim", xlim)
    ylim = _limits("ylim", ylim)
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be a whole number >= 2, got {resolution!r}")
    if not isinstance(colorbar, bool):
        raise TypeError(f"colorbar must be True or False, got {colorbar!r}")
    if targets is not None and points is None:
        raise ValueError("targets colour the points: give points too")
    if points is not None:
        points = as_finite_array("points", points, ndim=2)
        if points.shape[1] != 2:
            raise ValueError(f"points must have 2 columns (x1, x2), got shape {points.shape}")
    if targets is not None:
        targets = as_finite_array("targets", targets, ndim=1)
        if targets.size != points.shape[0]:
            raise ValueError(f"targets has {targets.size} entries but points has {points.shape[0]} rows")
        if not np.all((targets == 0) | (targets == 1)):
            raise ValueError(f"targets must be 0 or 1, got {targets}")

    grid_x, grid_y = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    values = as_finite_array("predict(points)", predict(grid))
    if values.size != grid.shape[0]:
        raise ValueError(
            f"predict must return one number per point: got {values.size} values for {grid.shape[0]} points"
        )
    if values.min() < 0 or values.max() > 1:
        raise ValueError(f"predict must return numbers in [0, 1], got values from {values.min():g} to {values.max():g}")
    values = values.reshape(grid_x.shape)

    ax = _axes(ax)
    # 11 bands: 0.5 is the middle of one (so a flat 0.5 output is one colour), not a band edge
    filled = ax.contourf(grid_x, grid_y, values, levels=np.linspace(0, 1, 12), cmap="RdBu_r", alpha=0.6)
    if values.min() < 0.5 < values.max() and values.max() - values.min() > FLAT_OUTPUT:
        ax.contour(grid_x, grid_y, values, levels=[0.5], colors="black", linewidths=1.5)
        ax.plot([], [], color="black", label="output = 0.5")
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label="neuron output", ticks=[0, 0.25, 0.5, 0.75, 1])
    if points is not None:
        if targets is None:
            ax.scatter(points[:, 0], points[:, 1], color="white", edgecolors="black", s=80, zorder=3)
        else:
            for value, color in ((0, NEGATIVE_COLOR), (1, POSITIVE_COLOR)):
                mask = targets == value
                if mask.any():
                    ax.scatter(points[mask, 0], points[mask, 1], color=color, edgecolors="black",
                               linewidths=1.5, s=90, zorder=3, label=f"target {value}")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is not None:
        ax.set_title(title)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize="small", frameon=False)
    return ax
