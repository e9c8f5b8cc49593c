"""The course's plot style, kept in one file (``course.mplstyle``) that notebooks opt into.

First used in ``notebooks/02-Compute-With-A-Neuron.ipynb``.
"""
from __future__ import annotations

from pathlib import Path

STYLE_FILE = Path(__file__).with_name("course.mplstyle")


def use_course_style() -> None:
    """Apply the course's matplotlib style and render figures as PNG in notebooks.

    Call it once, in a notebook's set-up cell. PNG (not SVG) keeps figures out of
    nbval's comparison, since image bytes vary between machines.
    """
    import matplotlib.pyplot as plt

    plt.style.use(STYLE_FILE)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # not running under IPython's inline backend
        return
    set_matplotlib_formats("png")
