"""Figures with sliders that still show a static picture without a kernel.

``interactive_figure(draw, alpha=(0.5, 10.0, 0.5, 5.0))`` displays the figure for
the initial slider values as an ordinary PNG output (what nbval, the static site
and a reader without a kernel see) and, below it, one slider per parameter. Moving
a slider redraws the figure *in place* (same display id), so there is only ever
one picture.

First used in ``notebooks/02-Compute-With-A-Neuron.ipynb``.
"""
from __future__ import annotations

import io
from typing import Callable

from nbhelpers.validation import positive_number


def _slider(name: str, spec):
    import ipywidgets as widgets

    if not (isinstance(spec, tuple) and len(spec) == 4):
        raise ValueError(
            f"slider {name!r} must be a tuple (min, max, step, initial), got {spec!r}"
        )
    low, high, step, value = (float(v) for v in spec)
    positive_number(f"step of slider {name!r}", step)
    if not low < high:
        raise ValueError(f"slider {name!r}: min {low} must be smaller than max {high}")
    if not low <= value <= high:
        raise ValueError(
            f"slider {name!r}: initial value {value} must lie between min {low} and max {high}"
        )
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=name,
        continuous_update=False, readout_format=".3g",
    )


def render_png(draw: Callable, values: dict, figsize=None) -> bytes:
    """Call ``draw(ax, **values)`` on a new figure and return it as PNG bytes."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    try:
        draw(ax, **values)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def interactive_figure(draw: Callable, figsize=None, **sliders):
    """Show ``draw(ax, **values)`` with one slider per keyword argument.

    Each slider is given as ``name=(min, max, step, initial)``; ``draw`` receives an
    axes and the current values by name. Displays the figure and the sliders and
    returns ``None`` (so the cell shows no extra result).
    """
    import ipywidgets as widgets
    from IPython.display import Image, display

    if not callable(draw):
        raise TypeError(f"draw must be a function draw(ax, **values), got {draw!r}")
    if not sliders:
        raise ValueError("give at least one slider, e.g. alpha=(0.5, 10.0, 0.5, 5.0)")
    controls = {name: _slider(name, spec) for name, spec in sliders.items()}

    def values():
        return {name: slider.value for name, slider in controls.items()}

    handle = display(Image(render_png(draw, values(), figsize)), display_id=True)

    def redraw(_change):
        handle.update(Image(render_png(draw, values(), figsize)))

    for slider in controls.values():
        slider.observe(redraw, names="value")
    box = widgets.VBox(list(controls.values()))
    display(box)
    return None
