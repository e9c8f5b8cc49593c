"""Helpers shared by the notebooks of the course "Neural networks from tensors to neurons, with Theano".

Import this package *before* ``theano``::

    import nbhelpers          # configures Theano for this stack (see theano_setup)
    import theano

That configuration is the only thing importing ``nbhelpers`` does: it prints
nothing, changes no matplotlib setting and seeds no random generator.

Modules, one concern each:

* :mod:`nbhelpers.theano_setup` - Theano flags for Python 3.11 (runs at import).
* :mod:`nbhelpers.compile_speed` - cheaper C compilation for Theano (patched in at import).
* :mod:`nbhelpers.style` - the course's plot style, opted into with ``use_course_style()``.
* :mod:`nbhelpers.activations` - activation functions (sigmoid, step, scaled_sine) in numpy.
* :mod:`nbhelpers.descent` - the Mexican hat, gradient descent, finite-difference gradients.
* :mod:`nbhelpers.plotting` - function curves and other figures.
* :mod:`nbhelpers.checks` - self-checks for exercises.
* :mod:`nbhelpers.networks` - small sigmoid networks in Theano: build them, compile a step.
* :mod:`nbhelpers.training` - fast training: many gradient steps per compiled call; the training loop.
* :mod:`nbhelpers.timing` - time per training step, for showing where the time goes.
* :mod:`nbhelpers.diagrams` - a drawing of a trained network with its weights.
* :mod:`nbhelpers.logic` - Boolean gates: targets for truth tables, the step neuron, linear separability.
* :mod:`nbhelpers.progress` - a progress bar for training loops (no varying text in outputs).
* :mod:`nbhelpers.interactive` - figures with sliders that keep a static picture.
* :mod:`nbhelpers.validation` - argument checks with errors that say what to do.
* :mod:`nbhelpers.envcheck` - ``python -m nbhelpers.envcheck``: is this set-up fine?
"""
from nbhelpers import theano_setup as _theano_setup

_theano_setup.configure()

__version__ = "0.1.0"

from nbhelpers.activations import scaled_sine, sigmoid, step  # noqa: E402
from nbhelpers.checks import check  # noqa: E402
from nbhelpers.descent import gradient_descent, mexican_hat, numeric_gradient  # noqa: E402
from nbhelpers.diagrams import draw_network  # noqa: E402
from nbhelpers.interactive import interactive_figure  # noqa: E402
from nbhelpers.logic import (  # noqa: E402
    gate_targets, is_linearly_separable, step_neuron, truth_table_with_targets,
)
from nbhelpers.networks import (  # noqa: E402
    Network, cross_entropy, gradient_step, mlp, squared_error, truth_table,
)
from nbhelpers.plotting import (  # noqa: E402
    plot_curves, plot_decision_boundary, plot_descent, plot_loss, plot_separating_line,
)
from nbhelpers.progress import progress_bar, progress_range  # noqa: E402
from nbhelpers.style import use_course_style  # noqa: E402
from nbhelpers.training import compile_multistep, fast_gradient_step, sgd_updates, train  # noqa: E402

__all__ = [
    "check",
    "compile_multistep",
    "cross_entropy",
    "draw_network",
    "fast_gradient_step",
    "gate_targets",
    "gradient_descent",
    "gradient_step",
    "interactive_figure",
    "is_linearly_separable",
    "mexican_hat",
    "mlp",
    "Network",
    "numeric_gradient",
    "plot_curves",
    "plot_decision_boundary",
    "plot_descent",
    "plot_loss",
    "plot_separating_line",
    "progress_bar",
    "progress_range",
    "scaled_sine",
    "sgd_updates",
    "sigmoid",
    "squared_error",
    "step",
    "step_neuron",
    "train",
    "truth_table",
    "truth_table_with_targets",
    "use_course_style",
]
