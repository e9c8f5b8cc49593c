"""Activation functions in plain numpy, applied element by element.

First taught in ``notebooks/02-Compute-With-A-Neuron.ipynb`` (a neuron computes
``activation(w . x + b)``). For ``tanh`` use numpy's own ``np.tanh``.
"""
from __future__ import annotations

import numpy as np

from nbhelpers.validation import as_finite_array, positive_number


def sigmoid(x, alpha: float = 1.0):
    """The sigmoid ``1 / (1 + exp(-alpha * x))``, a smooth step from 0 to 1.

    ``alpha`` (> 0) is the steepness: the slope at ``x = 0`` is ``alpha / 4`` and
    the larger ``alpha``, the closer the curve comes to the step function
    :func:`step`. ``sigmoid(x, alpha)`` equals ``sigmoid(alpha * x)``.

    ``x`` is a number or an array of any shape; the result has the same shape
    (a float for a number). Computed as ``1 / (1 + e)`` for ``alpha * x >= 0`` and
    ``e / (1 + e)`` below, with ``e = exp(-|alpha * x|)``: the same function, written
    so that ``exp`` never overflows (no warnings for large ``|x|``) and tiny values
    such as ``sigmoid(-40) = 4.2e-18`` keep their precision.

    First taught in ``notebooks/02-Compute-With-A-Neuron.ipynb``.
    """
    values = as_finite_array("x", x)
    alpha = positive_number("alpha", alpha)
    scaled = alpha * values
    with np.errstate(under="ignore"):  # exp(-1000) is 0.0, which is right
        e = np.exp(-np.abs(scaled))
    result = np.where(scaled >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(result) if result.ndim == 0 else result


def step(x):
    """The step function: 1 where ``x > 0``, 0 where ``x < 0`` and 0.5 at ``x = 0``.

    The limit of :func:`sigmoid` as ``alpha`` grows (hence 0.5 at 0). ``x`` is a
    number or an array; the result has the same shape (a float for a number).

    First taught in ``notebooks/02-Compute-With-A-Neuron.ipynb``.
    """
    values = as_finite_array("x", x)
    result = np.heaviside(values, 0.5)
    return float(result) if result.ndim == 0 else result


def scaled_sine(x):
    """The article's rescaled sine ``sin((x + 2) * pi / 4)``.

    The shift and scale map ``[-2, 2]`` onto ``[0, pi]``: one bump that is 0 at
    ``x = -2``, 1 at ``x = 0`` and 0 again at ``x = 2``, so it emphasises values near
    the origin. Outside ``[-2, 2]`` it keeps oscillating with period 8. ``x`` is a
    number or an array; the result has the same shape (a float for a number).

    First taught in ``notebooks/02-Compute-With-A-Neuron.ipynb``.
    """
    values = as_finite_array("x", x)
    result = np.sin((values + 2.0) * np.pi / 4.0)
    return float(result) if result.ndim == 0 else result
