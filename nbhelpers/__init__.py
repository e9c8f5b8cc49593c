"""Helpers shared by the notebooks of the course "Neural networks from tensors to neurons, with Theano".

Import this package *before* ``theano``::

    import nbhelpers          # configures Theano for this stack (see theano_setup)
    import theano

That configuration is the only thing importing ``nbhelpers`` does: it prints
nothing, changes no matplotlib setting and seeds no random generator.

Modules, one concern each:

* :mod:`nbhelpers.theano_setup` - Theano flags for Python 3.11 (runs at import).
* :mod:`nbhelpers.style` - the course's plot style, opted into with ``use_course_style()``.
* :mod:`nbhelpers.activations` - activation functions (sigmoid, step, scaled_sine) in numpy.
* :mod:`nbhelpers.descent` - the Mexican hat, gradient descent, finite-difference gradients.
* :mod:`nbhelpers.plotting` - function curves and other figures.
* :mod:`nbhelpers.checks` - self-checks for exercises.
* :mod:`nbhelpers.networks` - small sigmoid networks in Theano: build, compile a step, train.
* :mod:`nbhelpers.diagrams` - a drawing of a trained network with its weights.
"""
from nbhelpers import theano_setup as _theano_setup

_theano_setup.configure()

__version__ = "0.1.0"

from nbhelpers.activations import scaled_sine, sigmoid, step  # noqa: E402
from nbhelpers.checks import check  # noqa: E402
from nbhelpers.descent import gradient_descent, mexican_hat, numeric_gradient  # noqa: E402
from nbhelpers.diagrams import draw_network  # noqa: E402
from nbhelpers.interactive import interactive_figure  # noqa: E402
from nbhelpers.networks import (  # noqa: E402
    Network, cross_entropy, gradient_step, mlp, squared_error, train_steps, truth_table,
)
from nbhelpers.plotting import plot_curves, plot_descent, plot_loss, plot_separating_line  # noqa: E402
from nbhelpers.style import use_course_style  # noqa: E402

__all__ = [
    "check",
    "cross_entropy",
    "draw_network",
    "gradient_descent",
    "gradient_step",
    "interactive_figure",
    "mexican_hat",
    "mlp",
    "Network",
    "numeric_gradient",
    "plot_curves",
    "plot_descent",
    "plot_loss",
    "plot_separating_line",
    "scaled_sine",
    "sigmoid",
    "squared_error",
    "step",
    "train_steps",
    "truth_table",
    "use_course_style",
]
