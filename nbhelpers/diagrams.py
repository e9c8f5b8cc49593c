"""Diagrams of trained networks with their weights, in the spirit of R's ``plot(net)`` (neuralnet).

First used in ``notebooks/06-Build-Small-Networks.ipynb``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nbhelpers.plotting import NEGATIVE_COLOR, POSITIVE_COLOR, _axes
from nbhelpers.validation import as_finite_array

NODE_RADIUS = 0.17
COLUMN_GAP = 2.0    # horizontal distance between layers (rows are 1 apart)
BIAS_COLOR = "#f4e3a1"
NODE_COLOR = "white"


def _names(argname: str, names, count: int, default_prefix: str) -> list[str]:
    """Check a list of ``count`` node names (strings), or make default ones."""
    if names is None:
        return [f"{default_prefix}{i + 1}" for i in range(count)]
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
        raise TypeError(f"{argname} must be a list of {count} strings or None, got {names!r}")
    if len(names) != count:
        raise ValueError(f"{argname} has {len(names)} names but the network has {count} such nodes: {list(names)}")
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{argname} must contain strings, got {name!r}")
    return list(names)


def check_layers(weights, biases) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Validate a network's ``weights`` (list of ``(n_in, n_out)`` arrays) and ``biases`` (list of ``(n_out,)``).

    Consecutive layers must fit: layer ``k`` has as many inputs (rows) as layer
    ``k - 1`` has outputs (columns). Returns float64 copies; raises ``TypeError`` /
    ``ValueError`` naming the layer that is wrong.

    First used in ``notebooks/06-Build-Small-Networks.ipynb``.
    """
    for argname, value in (("weights", weights), ("biases", biases)):
        if isinstance(value, (str, bytes, np.ndarray)) or not isinstance(value, Sequence):
            raise TypeError(f"{argname} must be a list with one array per layer, got {type(value).__name__}")
        if len(value) == 0:
            raise ValueError(f"{argname} must have at least one layer, got an empty list")
    if len(weights) != len(biases):
        raise ValueError(f"weights has {len(weights)} layers but biases has {len(biases)}: give one bias vector per layer")
    ws = [as_finite_array(f"weights[{k}]", w, ndim=2) for k, w in enumerate(weights)]
    bs = [as_finite_array(f"biases[{k}]", b, ndim=1) for k, b in enumerate(biases)]
    for k, (w, b) in enumerate(zip(ws, bs)):
        if b.size != w.shape[1]:
            raise ValueError(
                f"biases[{k}] has {b.size} entries but weights[{k}] has shape {w.shape} "
                f"({w.shape[1]} outputs): give one bias per output"
            )
        if k > 0 and w.shape[0] != ws[k - 1].shape[1]:
            raise ValueError(
                f"weights[{k}] has shape {w.shape} ({w.shape[0]} inputs) but weights[{k - 1}] has "
                f"shape {ws[k - 1].shape} ({ws[k - 1].shape[1]} outputs): consecutive layers must fit"
            )
    return ws, bs


def draw_network(weights, biases, ax=None, input_names=None, output_names=None, decimals=2):
    """Draw a fully connected network with its weights, like R's ``plot(net)``.

    ``weights[k]`` is the ``(n_in, n_out)`` weight matrix of layer ``k`` and ``biases[k]``
    its ``(n_out,)`` bias vector (the layout of :func:`nbhelpers.networks.mlp`, i.e.
    ``net.values()``). Nodes are drawn in columns: inputs, hidden layers, outputs; each
    layer also gets a bias node "1" whose edges carry the biases. Every edge is labelled
    with its weight rounded to ``decimals``; red edges are positive, blue negative, and
    the width grows with the magnitude. ``input_names`` / ``output_names`` label the
    first and last column (default ``x1, x2, ...`` and ``y1, ...``). Returns the axes.

    First used in ``notebooks/06-Build-Small-Networks.ipynb``.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle

    ws, bs = check_layers(weights, biases)
    sizes = [ws[0].shape[0]] + [w.shape[1] for w in ws]
    input_names = _names("input_names", input_names, sizes[0], "x")
    output_names = _names("output_names", output_names, sizes[-1], "y")
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0, got {decimals!r}")

    ax = _axes(ax)
    tallest = max(sizes)
    # Node k of a layer with n nodes sits at height (n - 1)/2 - k (columns centred on 0).
    positions = [[(COLUMN_GAP * col, (n - 1) / 2 - k) for k in range(n)] for col, n in enumerate(sizes)]
    bias_y = (tallest - 1) / 2 + 0.9
    bias_positions = [(COLUMN_GAP * (col + 0.5), bias_y) for col in range(len(ws))]

    largest = max(float(np.abs(np.concatenate([w.ravel() for w in ws] + bs)).max()), 1e-12)

    def edge(start, end, value, label_at):
        color = POSITIVE_COLOR if value >= 0 else NEGATIVE_COLOR
        ax.plot([start[0], end[0]], [start[1], end[1]], color=color,
                lw=0.6 + 3.4 * abs(value) / largest, alpha=0.75, zorder=1, solid_capstyle="round")
        lx = start[0] + label_at * (end[0] - start[0])
        ly = start[1] + label_at * (end[1] - start[1])
        angle = float(np.degrees(np.arctan2(end[1] - start[1], end[0] - start[0])))
        ax.text(lx, ly, f"{value:.{decimals}f}", fontsize=8, ha="center", va="center", color=color,
                rotation=angle, rotation_mode="anchor", zorder=4,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})

    for k, (w, b) in enumerate(zip(ws, bs)):
        for i, start in enumerate(positions[k]):
            for j, end in enumerate(positions[k + 1]):
                # stagger the labels of edges that leave the same node, so they do not overlap
                edge(start, end, w[i, j], 0.2 + 0.2 * j / max(len(positions[k + 1]) - 1, 1))
        for j, end in enumerate(positions[k + 1]):
            edge(bias_positions[k], end, b[j], 0.3 + 0.25 * j / max(len(positions[k + 1]) - 1, 1))

    for col, layer in enumerate(positions):
        for x, y in layer:
            ax.add_patch(Circle((x, y), NODE_RADIUS, fc=NODE_COLOR, ec="black", lw=1.2, zorder=3))
    for x, y in bias_positions:
        ax.add_patch(Circle((x, y), NODE_RADIUS, fc=BIAS_COLOR, ec="black", lw=1.0, zorder=3))
        ax.text(x, y, "1", ha="center", va="center", fontsize=9, zorder=5)
    for name, (x, y) in zip(input_names, positions[0]):
        ax.text(x - NODE_RADIUS - 0.08, y, name, ha="right", va="center", fontsize=10)
    for name, (x, y) in zip(output_names, positions[-1]):
        ax.text(x + NODE_RADIUS + 0.08, y, name, ha="left", va="center", fontsize=10)

    ax.set_xlim(-0.8, COLUMN_GAP * (len(sizes) - 1) + 0.8)
    ax.set_ylim(-(tallest - 1) / 2 - 0.5, bias_y + 0.45)
    ax.set_aspect("equal")
    ax.axis("off")
    handles = [Line2D([], [], color=POSITIVE_COLOR, lw=2, label="positive weight"),
               Line2D([], [], color=NEGATIVE_COLOR, lw=2, label="negative weight")]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.12), ncol=2,
              fontsize="small", frameon=False)
    return ax
