"""A small notebook that calls ``nbhelpers.interactive_figure``, written at test time.

It tests the slider mechanism on its own, whatever the course notebooks contain,
and lives only in the server's temporary copy of ``notebooks/``.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NAME = "scratch-interactive-figure.ipynb"
DRAW = textwrap.dedent("""\
    import nbhelpers
    import numpy as np

    def draw(ax, slope):
        x = np.linspace(0, 1, 5)
        ax.plot(x, slope * x)
        ax.set_ylim(0, 10)
        ax.set_title(f"slope {slope:.2f}")

    nbhelpers.interactive_figure(draw, slope=(1.0, 9.0, 0.5, 4.0))""")


def write(folder: Path) -> str:
    """Write the scratch notebook into ``folder``; returns its file name."""
    nb = new_notebook(cells=[
        new_markdown_cell("# Scratch: a slider that redraws a figure"),
        new_code_cell(DRAW),
    ])
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3",
    }
    nbformat.write(nb, Path(folder) / NAME)
    return NAME
