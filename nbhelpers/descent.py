"""Gradients and gradient descent in plain numpy: the Mexican hat, a descent loop, finite differences.

These are the reference implementations the notebooks compare Theano against:
``numeric_gradient`` is first used in ``notebooks/03-Differentiate-With-Theano.ipynb``,
``mexican_hat`` and ``gradient_descent`` in ``notebooks/04-Descend-The-Mexican-Hat.ipynb``.
Computing is kept apart from plotting (see :mod:`nbhelpers.plotting` for ``plot_descent``).
"""
from __future__ import annotations

import sys
from typing import Callable

import numpy as np

from nbhelpers.validation import as_finite_array, positive_int, positive_number


def _is_symbolic(value) -> bool:
    """True for a Theano variable (without importing Theano if nobody has)."""
    if "theano" not in sys.modules:
        return False
    from theano.graph.basic import Variable

    return isinstance(value, Variable)


def mexican_hat(x, s=1.0):
    """The Mexican hat ``(1 - x**2/s**2) * exp(-x**2/s**2)``.

    ``x`` may be a number, a list or array (computed element-wise), or a Theano
    variable (then a Theano expression is returned, so it can be differentiated).
    ``s`` (> 0) stretches the hat sideways: its maximum is at 0, its two minima at
    ``±sqrt(2)*s``. A number in gives a float out.

    First used in ``notebooks/04-Descend-The-Mexican-Hat.ipynb``.
    """
    s = positive_number("s", s)
    if _is_symbolic(x):
        import theano.tensor as T

        squared = x**2 / s**2
        return (1 - squared) * T.exp(-squared)
    values = as_finite_array("x", x)
    squared = values**2 / s**2
    result = (1 - squared) * np.exp(-squared)
    return float(result) if result.ndim == 0 else result


def gradient_descent(grad: Callable, w0, lr, steps) -> np.ndarray:
    """Run ``steps`` steps of ``w <- w - lr * grad(w)`` from ``w0``; return every ``w``.

    ``grad`` is any function of ``w`` returning the gradient (a compiled Theano
    function works). ``w0`` is a number or an array of numbers; the result has
    ``steps + 1`` rows, the first being ``w0`` and the last the final ``w``.
    Raises ``ValueError`` if ``w`` or the gradient stops being finite, which almost
    always means the learning rate is too large.

    First used in ``notebooks/04-Descend-The-Mexican-Hat.ipynb``.
    """
    if not callable(grad):
        raise TypeError(f"grad must be a function grad(w) returning the gradient at w, got {grad!r:.80}")
    w = as_finite_array("w0", w0)
    lr = positive_number("lr", lr)
    steps = positive_int("steps", steps)
    history = np.empty((steps + 1,) + w.shape)
    history[0] = w
    for step in range(1, steps + 1):
        returned = grad(w.copy() if w.ndim else float(w))
        if returned is None:
            raise TypeError("grad(w) returned None: does your gradient function end with `return ...`?")
        try:
            g = np.asarray(returned, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"grad(w) must return numbers, got {returned!r:.80} at w={w}") from None
        if g.shape != w.shape:
            raise ValueError(
                f"grad(w) must return the same shape as w0 {w.shape}, got shape {g.shape} at step {step}"
            )
        with np.errstate(over="ignore", invalid="ignore"):
            new_w = w - lr * g
        if not (np.all(np.isfinite(g)) and np.all(np.isfinite(new_w))):
            raise ValueError(
                f"gradient descent diverged at step {step} of {steps}: at w={w} the gradient is "
                f"{g} and lr={lr} gives w={new_w}, which is not a finite number; the learning "
                f"rate is probably too large (try a smaller lr), unless grad itself returns "
                f"NaN or infinity at this w"
            )
        w = new_w
        history[step] = w
    return history


def numeric_gradient(f: Callable, x, eps=1e-6):
    """Approximate the gradient of a scalar function ``f`` at ``x`` by central differences.

    Each component is ``(f(x + eps*e_i) - f(x - eps*e_i)) / (2*eps)``, accurate to
    about ``eps**2`` for smooth ``f``. ``x`` is a number (a float is returned) or an
    array (an array of the same shape is returned). Use it to check a symbolic
    gradient: the two should agree to many digits.

    First used in ``notebooks/03-Differentiate-With-Theano.ipynb``.
    """
    if not callable(f):
        raise TypeError(f"f must be a function f(x) returning one number, got {f!r:.80}")
    point = as_finite_array("x", x)
    eps = positive_number("eps", eps)

    def value(at):
        result = np.asarray(f(at if at.ndim else float(at)), dtype=float)
        if result.size != 1:
            raise ValueError(f"f must return one number, got an array of shape {result.shape}")
        result = float(result.reshape(()))
        if not np.isfinite(result):
            raise ValueError(f"f returned {result} at x={at}; it must be finite near x")
        return result

    gradient = np.empty_like(point)
    for index in np.ndindex(point.shape):
        step = np.zeros_like(point)
        step[index] = eps
        gradient[index] = (value(point + step) - value(point - step)) / (2 * eps)
    return float(gradient) if gradient.ndim == 0 else gradient
