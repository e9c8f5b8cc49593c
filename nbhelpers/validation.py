"""Argument checks shared by the helpers: each error names the argument, what it got and what it needs."""
from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np


def as_finite_array(name: str, value, ndim: int | None = None, min_len: int = 1) -> np.ndarray:
    """Return ``value`` as a float64 array, or raise a clear error.

    Raises ``TypeError`` for things that are not numbers, ``ValueError`` for the
    wrong number of dimensions, too few elements, NaN or infinite values.
    """
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers (a list or numpy array), got {value!r:.80}") from None
    if ndim is not None and array.ndim != ndim:
        shape = {0: "a single number", 1: "a 1-D list/vector", 2: "a 2-D table (rows of numbers)"}[ndim]
        raise ValueError(f"{name} must be {shape}, got an array of shape {array.shape}")
    if array.size < min_len:
        raise ValueError(f"{name} must have at least {min_len} element(s), got {array.size}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers, got NaN or infinity in {array!r:.80}")
    return array


def positive_number(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite number > 0, else raise."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number > 0, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def positive_int(name: str, value) -> int:
    """Return ``value`` if it is an integer >= 1, else raise."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number >= 1, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value!r}")
    return int(value)
