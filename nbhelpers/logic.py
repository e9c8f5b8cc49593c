"""Boolean gates as data: targets for truth tables, the step neuron, linear separability.

The rows of a truth table come from :func:`nbhelpers.networks.truth_table` (``itertools.product``
order: ``[0,0], [0,1], [1,0], [1,1]`` for two inputs); this module adds the targets::

    X, t = truth_table_with_targets("AND", 2)     # or any function of the inputs
    step_neuron(X, w=[1, 1], b=-1.5)              # -> [0, 0, 0, 1], the article's AND
    is_linearly_separable(X, gate_targets("XOR", 2))   # -> False: no single neuron computes XOR

First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
"""
from __future__ import annotations

from numbers import Integral
from typing import Callable

import numpy as np

from nbhelpers.networks import truth_table
from nbhelpers.validation import as_finite_array

#: Largest number of inputs the helpers accept (2**8 = 256 rows).
MAX_INPUTS = 8

#: The named gates, for any number of inputs: each maps one row (a tuple of 0/1) to 0 or 1.
GATES: dict[str, Callable[..., int]] = {
    "AND": lambda *bits: int(all(bits)),
    "OR": lambda *bits: int(any(bits)),
    "NAND": lambda *bits: int(not all(bits)),
    "NOR": lambda *bits: int(not any(bits)),
    "XOR": lambda *bits: sum(bits) % 2,          # 1 when an odd number of inputs is 1
    "XNOR": lambda *bits: 1 - sum(bits) % 2,
}


def _n_inputs(n_inputs) -> int:
    if isinstance(n_inputs, bool) or not isinstance(n_inputs, Integral):
        raise TypeError(f"n_inputs must be a whole number from 1 to {MAX_INPUTS}, got {n_inputs!r}")
    if not 1 <= n_inputs <= MAX_INPUTS:
        raise ValueError(f"n_inputs must be from 1 to {MAX_INPUTS}, got {n_inputs}")
    return int(n_inputs)


def _gate(name_or_fn) -> Callable[..., int]:
    if isinstance(name_or_fn, str):
        gate = GATES.get(name_or_fn.upper())
        if gate is None:
            raise ValueError(f"unknown gate {name_or_fn!r}: use one of {sorted(GATES)} or a function")
        return gate
    if not callable(name_or_fn):
        raise TypeError(
            f"gate must be a name like 'AND' or a function of the inputs, got {name_or_fn!r:.80}"
        )
    return name_or_fn


def gate_targets(name_or_fn, n_inputs: int) -> np.ndarray:
    """The 0/1 targets of a gate for every row of ``truth_table(n_inputs)``, as float64.

    ``name_or_fn`` is one of ``"AND", "OR", "NAND", "NOR", "XOR", "XNOR"`` (any case) or a
    function called with the ``n_inputs`` bits of a row as separate ints, e.g.
    ``lambda a, b: a and not b``; it must return 0/1 or True/False.

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    gate = _gate(name_or_fn)
    n_inputs = _n_inputs(n_inputs)
    targets = []
    for row in truth_table(n_inputs).astype(int):
        value = gate(*(int(bit) for bit in row))
        if isinstance(value, (bool, np.bool_)):
            value = int(value)
        if not isinstance(value, (Integral, float, np.floating)) or value not in (0, 1):
            raise ValueError(f"the gate must return 0 or 1, got {value!r} for inputs {tuple(row)}")
        targets.append(float(value))
    return np.array(targets)


def truth_table_with_targets(name_or_fn, n_inputs: int) -> tuple[np.ndarray, np.ndarray]:
    """``(X, t)``: the inputs ``truth_table(n_inputs)`` and the gate's targets for each row.

    Same arguments as :func:`gate_targets`. First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    targets = gate_targets(name_or_fn, n_inputs)
    return truth_table(n_inputs), targets


def step_neuron(inputs, w, b) -> np.ndarray:
    """The article's step neuron in numpy: 0 where ``w . x + b < 0``, else 1, for each row ``x``.

    ``inputs`` is one row or a table of rows (``(n, k)``), ``w`` has ``k`` entries, ``b`` is a
    number. Returns ints. The Theano version is ``ifelse(T.lt(z, 0), 0, 1)``.

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    x = as_finite_array("inputs", inputs)
    if x.ndim not in (1, 2):
        raise ValueError(f"inputs must be one row or a 2-D table of rows, got shape {x.shape}")
    w = as_finite_array("w", w, ndim=1)
    b = float(as_finite_array("b", b, ndim=0))
    if x.shape[-1] != w.size:
        raise ValueError(f"each row of inputs has {x.shape[-1]} entries but w has {w.size}: they must match")
    return np.where(x @ w + b < 0, 0, 1)


def is_linearly_separable(inputs, targets) -> bool:
    """Whether some ``w, b`` put every target-1 row on one side of ``w . x + b = 0`` and every target-0 row on the other.

    Exactly the question "can a single step (or sigmoid) neuron compute this table?". Decided
    with a linear program (``scipy.optimize.linprog``): look for ``w, b`` with
    ``w . x + b >= 1`` on the 1-rows and ``<= -1`` on the 0-rows (any strict separation can
    be scaled to that margin).

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    from scipy.optimize import linprog

    x = as_finite_array("inputs", inputs, ndim=2)
    t = as_finite_array("targets", targets, ndim=1)
    if t.size != x.shape[0]:
        raise ValueError(f"targets has {t.size} entries but inputs has {x.shape[0]} rows: give one target per row")
    if not np.all((t == 0) | (t == 1)):
        raise ValueError(f"targets must be 0 or 1, got {t}")
    sign = np.where(t == 1, 1.0, -1.0)
    # sign * (x . w + b) >= 1   <=>   -sign * [x, 1] . [w, b] <= -1
    a_ub = -sign[:, None] * np.column_stack([x, np.ones(len(x))])
    result = linprog(np.zeros(x.shape[1] + 1), A_ub=a_ub, b_ub=-np.ones(len(x)),
                     bounds=[(None, None)] * (x.shape[1] + 1), method="highs")
    return bool(result.status == 0)
