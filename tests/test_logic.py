"""Boolean gate helpers agree with itertools and plain Python; the trained AND neuron matches numpy."""
from __future__ import annotations

import itertools
import operator

import numpy as np
import pytest

from nbhelpers.logic import (
    GATES, gate_targets, is_linearly_separable, step_neuron, truth_table_with_targets,
)
from nbhelpers.networks import truth_table
from nbhelpers.plotting import plot_decision_boundary

REFERENCE = {   # independent definitions of the named gates for two inputs
    "AND": operator.and_,
    "OR": operator.or_,
    "XOR": operator.xor,
    "NAND": lambda a, b: 1 - (a & b),
    "NOR": lambda a, b: 1 - (a | b),
    "XNOR": lambda a, b: 1 - (a ^ b),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_two_input_gates_match_operator_module_in_itertools_order(name):
    rows = list(itertools.product([0, 1], repeat=2))
    expected = [REFERENCE[name](a, b) for a, b in rows]
    X, t = truth_table_with_targets(name, 2)
    np.testing.assert_array_equal(X, np.array(rows, dtype=float))
    np.testing.assert_array_equal(t, expected)
    assert t.dtype == np.float64


@pytest.mark.parametrize("n", [1, 3, 5, 8])
def test_gates_of_n_inputs_match_itertools(n):
    rows = list(itertools.product([0, 1], repeat=n))
    np.testing.assert_array_equal(gate_targets("and", n), [float(all(r)) for r in rows])
    np.testing.assert_array_equal(gate_targets("Or", n), [float(any(r)) for r in rows])
    np.testing.assert_array_equal(gate_targets("XOR", n), [float(sum(r) % 2) for r in rows])
    assert gate_targets("NAND", n).size == 2**n


def test_a_function_can_be_a_gate_and_may_return_bools():
    t = gate_targets(lambda a, b: a and not b, 2)
    np.testing.assert_array_equal(t, [0, 0, 1, 0])
    np.testing.assert_array_equal(gate_targets(lambda a, b, c: a == c, 3), [1, 0, 1, 0, 0, 1, 0, 1])


@pytest.mark.parametrize("bad, error, match", [
    ("MAYBE", ValueError, "unknown gate 'MAYBE'"),
    (42, TypeError, "gate must be a name"),
    (lambda a, b: 2, ValueError, "must return 0 or 1"),
    (lambda a, b: "yes", ValueError, "must return 0 or 1"),
])
def test_bad_gates_are_rejected(bad, error, match):
    with pytest.raises(error, match=match):
        gate_targets(bad, 2)


@pytest.mark.parametrize("n, error", [(0, ValueError), (9, ValueError), (2.0, TypeError),
                                      (True, TypeError), ("2", TypeError)])
def test_arity_must_be_a_whole_number_from_1_to_8(n, error):
    with pytest.raises(error, match="n_inputs"):
        gate_targets("AND", n)


def test_step_neuron_computes_and_or_with_the_articles_weights():
    X = truth_table(2)
    np.testing.assert_array_equal(step_neuron(X, [1, 1], -1.5), [0, 0, 0, 1])
    np.testing.assert_array_equal(step_neuron(X, [1, 1], -0.5), [0, 1, 1, 1])
    assert int(step_neuron([1, 1], [1, 1], -2.0)) == 1   # z = 0 counts as 1, as ifelse(z < 0, 0, 1)


@pytest.mark.parametrize("args, error", [
    (([[0, 1]], [1, 1, 1], 0.0), ValueError),
    (([[0, 1]], [1, 1], [0.0, 1.0]), ValueError),
    (([[0, np.nan]], [1, 1], 0.0), ValueError),
    (("ab", [1, 1], 0.0), TypeError),
])
def test_step_neuron_rejects_bad_shapes_and_values(args, error):
    with pytest.raises(error):
        step_neuron(*args)


def separable_by_brute_force(X, t):
    """Small integer weights and half-integer biases are enough for two inputs."""
    for w1, w2, b in itertools.product([-2, -1, 0, 1, 2], [-2, -1, 0, 1, 2], np.arange(-2.5, 3, 1.0)):
        if np.array_equal(step_neuron(X, [w1, w2], b), t):
            return True
    return False


def test_linear_separability_of_the_16_two_input_functions():
    X = truth_table(2)
    results = [is_linearly_separable(X, t) for t in truth_table(4)]
    assert results == [separable_by_brute_force(X, t) for t in truth_table(4)]
    assert sum(results) == 14
    assert not is_linearly_separable(X, gate_targets("XOR", 2))
    assert not is_linearly_separable(X, gate_targets("XNOR", 2))


def test_104_of_the_256_three_input_functions_are_linearly_separable():
    X = truth_table(3)   # known count (OEIS A000609): 2, 4, 14, 104, 1882, ...
    assert sum(is_linearly_separable(X, t) for t in truth_table(8)) == 104


def test_linear_separability_rejects_bad_targets():
    X = truth_table(2)
    with pytest.raises(ValueError, match="one target per row"):
        is_linearly_separable(X, [0, 1])
    with pytest.raises(ValueError, match="0 or 1"):
        is_linearly_separable(X, [0, 0.5, 1, 1])


def test_every_named_gate_is_tested():
    assert set(GATES) == set(REFERENCE)


# --- the article's trained AND neuron, Theano vs plain numpy -------------------

def test_trained_and_neuron_matches_plain_numpy_updates():
    import nbhelpers  # noqa: F401  (configures Theano before it is imported)
    import theano
    import theano.tensor as T

    w0 = np.random.default_rng(0).random(2)
    x = T.matrix("x")
    w = theano.shared(w0.copy())
    b = theano.shared(1.0)
    a = 1 / (1 + T.exp(-(T.dot(x, w) + b)))
    a_hat = T.vector("a_hat")
    cost = -(a_hat * T.log(a) + (1 - a_hat) * T.log(1 - a)).sum()
    dw, db = T.grad(cost, [w, b])
    train = theano.function([x, a_hat], [a, cost], updates=[(w, w - 0.01 * dw), (b, b - 0.01 * db)])

    X, t = truth_table_with_targets("AND", 2)
    for _ in range(1000):
        pred, _cost = train(X, t)

    w_np, b_np = w0.copy(), 1.0
    for _ in range(1000):
        out = 1 / (1 + np.exp(-(X @ w_np + b_np)))          # outputs before the update
        w_np, b_np = w_np - 0.01 * X.T @ (out - t), b_np - 0.01 * np.sum(out - t)
    np.testing.assert_allclose(w.get_value(), w_np, rtol=0, atol=1e-10)
    assert abs(float(b.get_value()) - b_np) < 1e-10
    np.testing.assert_allclose(pred, out, rtol=0, atol=1e-10)


# --- plot_decision_boundary ------------------------------------------------

def sigmoid_neuron(w, b):
    return lambda points: 1 / (1 + np.exp(-(points @ np.asarray(w, dtype=float) + b)))


def test_decision_boundary_draws_the_half_level_line_on_w_x_plus_b_zero():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, t = truth_table_with_targets("AND", 2)
    ax = plot_decision_boundary(sigmoid_neuron([1, 1], -1.5), points=X, targets=t, colorbar=False)
    (level,) = [c for c in ax.collections if hasattr(c, "levels") and list(c.levels) == [0.5]]
    vertices = np.concatenate([p.vertices for p in level.get_paths()])
    np.testing.assert_allclose(vertices.sum(axis=1), 1.5, atol=1e-9)     # on x1 + x2 = 1.5
    groups = {c.get_label(): np.asarray(c.get_offsets()) for c in ax.collections if c.get_label().startswith("target")}
    np.testing.assert_array_equal(groups["target 1"], [[1, 1]])
    np.testing.assert_array_equal(groups["target 0"], [[0, 0], [0, 1], [1, 0]])
    plt.close("all")


def test_decision_boundary_of_a_flat_output_has_no_line():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = plot_decision_boundary(lambda p: np.full(len(p), 0.5) + 1e-16 * p[:, 0], colorbar=False)
    assert not [c for c in ax.collections if hasattr(c, "levels") and list(c.levels) == [0.5]]
    plt.close("all")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"predict": "AND"}, TypeError, "predict must be a function"),
    ({"predict": lambda p: p}, ValueError, "one number per point"),
    ({"predict": lambda p: 2 * np.ones(len(p))}, ValueError, r"in \[0, 1\]"),
    ({"predict": lambda p: np.full(len(p), np.nan)}, ValueError, "finite"),
    ({"targets": [0, 1, 1, 0]}, ValueError, "give points too"),
    ({"points": [[0, 0, 0]]}, ValueError, "2 columns"),
    ({"points": [[0, 0], [1, 1]], "targets": [0]}, ValueError, "targets has 1 entries"),
    ({"points": [[0, 0], [1, 1]], "targets": [0, 2]}, ValueError, "0 or 1"),
    ({"xlim": (1, 0)}, ValueError, "xlim"),
    ({"resolution": 1}, ValueError, "resolution"),
    ({"colorbar": "yes"}, TypeError, "colorbar"),
    ({"ax": "axes"}, TypeError, "ax must be"),
])
def test_decision_boundary_rejects_bad_input(kwargs, error, match):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    arguments = {"predict": sigmoid_neuron([1, 1], -1.5)}
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        plot_decision_boundary(**arguments)
    plt.close("all")
