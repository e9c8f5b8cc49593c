"""Self-checks for exercises: tell the learner plainly whether an answer is right.

First used in the "Exercises" section of ``notebooks/01-Represent-Data-As-Tensors.ipynb``.
"""
from __future__ import annotations

import numpy as np


def check(name: str, answer, expected, rtol: float = 1e-6, atol: float = 1e-9) -> None:
    """Compare a learner's ``answer`` with ``expected`` and print one line saying so.

    Numbers and arrays are compared with :func:`numpy.allclose` (shapes must match);
    anything else with ``==``. Prints ``[ OK ] name`` or ``[FAIL] name: expected ...,
    got ...``. It returns nothing (so the cell shows only that line) and never raises
    for a wrong answer, so a notebook keeps running; :func:`is_correct` gives the bool.
    """
    if answer is None or answer is Ellipsis:
        print(f"[TODO] {name}: replace the ... with your answer, then run this cell again.")
    elif is_correct(answer, expected, rtol, atol):
        print(f"[ OK ] {name}")
    else:
        print(f"[FAIL] {name}: expected {_show(expected)}, got {_show(answer)}")


def is_correct(answer, expected, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether ``answer`` matches ``expected`` (numbers/arrays within tolerance, else ``==``)."""
    if answer is None or answer is Ellipsis:
        return False
    return _same(answer, expected, rtol, atol)


def _same(answer, expected, rtol, atol) -> bool:
    if isinstance(expected, str) or isinstance(answer, str):
        return answer == expected
    try:
        a = np.asarray(answer, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return answer == expected
    return a.shape == e.shape and bool(np.allclose(a, e, rtol=rtol, atol=atol))


def _show(value) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, separator=", ")
    return repr(value)
