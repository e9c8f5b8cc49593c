"""A progress bar for long training loops that leaves no varying text in a notebook's outputs.

    for iteration in progress_range(30_000):        # like range(30_000), with a bar
        pred, cost_iter = train(inputs, outputs)

In a Jupyter kernel with ipywidgets this shows an ``IntProgress`` bar. The bar is displayed
*once*, created with ``value=0``, and then only moved through its ``.value`` (which goes to
the browser, not into the stored output); so the output a notebook stores is the same text
on every run (``IntProgress(value=0, description='training', max=30000)``), and nbval can
compare it strictly. Outside a kernel (a plain ``python`` script, pytest) or without
ipywidgets it shows nothing and costs nothing.

First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
"""
from __future__ import annotations

from collections.abc import Iterator

from nbhelpers.validation import positive_int


def _widgets_usable() -> bool:
    """True inside a Jupyter kernel that can import ipywidgets."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None or not hasattr(shell, "kernel"):
            return False
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


class Progress:
    """A progress bar over ``n_steps`` steps, updated at most every ``every`` steps.

    Made by :func:`progress_bar`. ``update(step)`` records that ``step`` steps are done (cheap:
    the widget is touched only when ``step`` reaches a multiple of ``every`` or the end);
    ``close()`` fills the bar. ``bar`` is the ipywidgets ``IntProgress``, or None when
    widgets are not usable (then every method does nothing).
    """

    def __init__(self, n_steps: int, every: int, description: str, bar) -> None:
        self.n_steps = n_steps
        self.every = every
        self.description = description
        self.bar = bar

    def update(self, step: int) -> None:
        """Move the bar to ``step`` (steps done) if it is a multiple of ``every`` or the end."""
        if self.bar is not None and (step % self.every == 0 or step >= self.n_steps):
            self.bar.value = min(step, self.n_steps)

    def close(self) -> None:
        """Show the bar as finished (full, green)."""
        if self.bar is not None:
            self.bar.value = self.n_steps
            self.bar.bar_style = "success"


def progress_bar(n_steps: int, every: int = 1000, description: str = "training") -> Progress:
    """Display a progress bar for ``n_steps`` steps and return its :class:`Progress`.

    The bar is displayed at once with value 0 (a fixed text in the stored output) and moves
    only when ``update`` is called with a multiple of ``every``. Without a Jupyter kernel
    or ipywidgets nothing is displayed.

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    n_steps = positive_int("n_steps", n_steps)
    every = positive_int("every", every)
    if not isinstance(description, str):
        raise TypeError(f"description must be a string, got {description!r}")
    bar = None
    if _widgets_usable():
        import ipywidgets as widgets
        from IPython.display import display

        bar = widgets.IntProgress(value=0, min=0, max=n_steps, description=description)
        display(bar)
    return Progress(n_steps, every, description, bar)


def progress_range(n_steps: int, every: int = 1000, description: str = "training") -> Iterator[int]:
    """Like ``range(n_steps)``, showing a progress bar moved every ``every`` steps.

    Use it in place of ``range`` in a training loop; see :func:`progress_bar`.

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    bar = progress_bar(n_steps, every=every, description=description)   # checks the arguments now
    return _steps(bar)


def _steps(bar: Progress) -> Iterator[int]:
    for step in range(bar.n_steps):
        yield step
        bar.update(step + 1)
    bar.close()
