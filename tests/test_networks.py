"""Small Theano networks (nbhelpers.networks) compute and train exactly like a plain numpy version."""
from __future__ import annotations

import itertools

import nbhelpers  # noqa: F401  (configures Theano before it is imported)
import numpy as np
import pytest
import theano
import theano.tensor as T

from nbhelpers.training import train
from nbhelpers.networks import (cross_entropy, gradient_step, mlp, squared_error,
                                truth_table)


# ---- independent reference: forward pass and back-propagation written out in numpy ----

def np_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def np_forward(weights, biases, x, linear_output):
    """All layer activations, input first."""
    acts = [x]
    for k, (w, b) in enumerate(zip(weights, biases)):
        z = acts[-1] @ w + b
        last = k == len(weights) - 1
        acts.append(z if (last and linear_output) else np_sigmoid(z))
    return acts


def np_train(weights, biases, x, y, lr, steps, loss, linear_output=False):
    """Plain gradient descent; returns the losses before each step and the final parameters."""
    weights = [w.copy() for w in weights]
    biases = [b.copy() for b in biases]
    losses = []
    for _ in range(steps):
        acts = np_forward(weights, biases, x, linear_output)
        a = acts[-1]
        if loss == "ce":
            losses.append(-(y * np.log(a) + (1 - y) * np.log(1 - a)).sum())
            delta = a - y                      # d(CE)/dz for a sigmoid output
        else:
            losses.append(((a - y) ** 2).mean())
            delta = 2 * (a - y) / y.size
            if not linear_output:
                delta = delta * a * (1 - a)
        grads_w, grads_b = [], []
        for k in range(len(weights) - 1, -1, -1):
            grads_w.insert(0, acts[k].T @ delta)
            grads_b.insert(0, delta.sum(axis=0))
            if k > 0:
                delta = (delta @ weights[k].T) * acts[k] * (1 - acts[k])
        weights = [w - lr * g for w, g in zip(weights, grads_w)]
        biases = [b - lr * g for b, g in zip(biases, grads_b)]
    return np.array(losses), weights, biases


def start_values(sizes, seed):
    """The draws mlp() makes for this seed: W1, b1, W2, b2, ... from N(0, 1)."""
    rng = np.random.default_rng(seed)
    ws, bs = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        ws.append(rng.normal(0.0, 1.0, (n_in, n_out)))
        bs.append(rng.normal(0.0, 1.0, n_out))
    return ws, bs


# ---- tests ----

def test_truth_table_is_itertools_product_order():
    for n in (1, 2, 3, 4):
        assert truth_table(n).tolist() == [list(map(float, r)) for r in itertools.product([0, 1], repeat=n)]
    assert truth_table(2).dtype == np.float64


def test_mlp_starts_from_seeded_normal_draws_and_forward_matches_numpy():
    sizes = [3, 4, 2]
    net = mlp(sizes, rng=np.random.default_rng(11))
    ws, bs = start_values(sizes, 11)
    got_w, got_b = net.values()
    for a, b in zip(got_w + got_b, ws + bs):
        np.testing.assert_array_equal(a, b)
    x = truth_table(3)
    forward = theano.function([net.x], net.output)
    np.testing.assert_allclose(forward(x), np_forward(ws, bs, x, False)[-1], rtol=1e-12)
    assert [p.name for p in net.params] == ["net.W1", "net.b1", "net.W2", "net.b2"]


@pytest.mark.parametrize("sizes, loss_name, linear_output, lr", [
    ([2, 2, 1], "ce", False, 0.5),        # XOR, as in notebook 06
    ([3, 2], "ce", False, 0.1),           # AND + OR of three inputs, one layer
    ([1, 3, 3, 1], "sse", False, 2.0),    # the sine arch
    ([1, 3, 1], "sse", True, 0.05),       # linear output layer
])
def test_training_matches_numpy_backpropagation(sizes, loss_name, linear_output, lr):
    seed, steps = 3, 300
    rng = np.random.default_rng(99)
    x = rng.uniform(0, 1, (8, sizes[0])) if sizes[0] == 1 else truth_table(sizes[0])
    y = rng.integers(0, 2, (x.shape[0], sizes[-1])).astype(float) if loss_name == "ce" \
        else np.sin(3 * x[:, :1]) * np.ones((1, sizes[-1]))
    net = mlp(sizes, rng=np.random.default_rng(seed), linear_output=linear_output)
    target = T.dmatrix("target")
    loss = cross_entropy(net.output, target) if loss_name == "ce" else squared_error(net.output, target)
    step = gradient_step(net, loss, target, learning_rate=lr)
    history = train(step, steps, args=(x, y), record_every=1)

    ws, bs = start_values(sizes, seed)
    ref_losses, ref_w, ref_b = np_train(ws, bs, x, y, lr, steps, loss_name, linear_output)
    np.testing.assert_allclose(history, ref_losses, rtol=1e-9)
    got_w, got_b = net.values()
    for a, b in zip(got_w + got_b, ref_w + ref_b):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)


def test_record_every_keeps_every_kth_loss():
    net = mlp([2, 2, 1], rng=np.random.default_rng(0))
    target = T.dmatrix("target")
    step = gradient_step(net, cross_entropy(net.output, target), target, 0.5)
    x, y = truth_table(2), np.array([[0.0], [1.0], [1.0], [0.0]])
    start = [p.get_value() for p in net.params]
    every = train(step, 10, args=(x, y))
    for p, v in zip(net.params, start):
        p.set_value(v)
    sparse = train(step, 10, args=(x, y), record_every=3)
    np.testing.assert_allclose(sparse, every[[0, 3, 6, 9]], rtol=1e-12)


def test_divergence_raises_a_clear_error():
    net = mlp([1, 3, 1], rng=np.random.default_rng(0), linear_output=True)
    target = T.dmatrix("target")
    step = gradient_step(net, squared_error(net.output, target), target, learning_rate=1e3)
    x = np.linspace(0, 10, 20).reshape(-1, 1)
    with pytest.raises(ValueError, match="learning rate is too large"):
        train(step, 1000, args=(x, 10 * x))


@pytest.mark.parametrize("n_steps, error", [(0, ValueError), (-5, ValueError), (2.5, TypeError),
                                            ("10", TypeError), (True, TypeError)])
def test_train_steps_rejects_bad_n_steps(n_steps, error):
    with pytest.raises(error, match="n_steps"):
        train(lambda: 0.0, n_steps)


def test_train_steps_rejects_non_callable_and_bad_record_every():
    with pytest.raises(TypeError, match="step"):
        train(None, 5)
    with pytest.raises(ValueError, match="record_every"):
        train(lambda: 0.0, 5, record_every=0)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"layer_sizes": [2]}, ValueError, "at least 2"),
    ({"layer_sizes": [2, 0, 1]}, ValueError, r"layer_sizes\[1\]"),
    ({"layer_sizes": "2,1"}, TypeError, "layer_sizes"),
    ({"layer_sizes": [2, 1], "rng": 0}, TypeError, "rng"),
    ({"layer_sizes": [2, 1], "init_scale": -1.0}, ValueError, "init_scale"),
    ({"layer_sizes": [2, 1], "linear_output": 1}, TypeError, "linear_output"),
])
def test_mlp_rejects_bad_arguments(kwargs, error, match):
    kwargs.setdefault("rng", np.random.default_rng(0))
    with pytest.raises(error, match=match):
        mlp(**kwargs)


def test_truth_table_rejects_bad_sizes():
    with pytest.raises(ValueError, match="n_inputs"):
        truth_table(0)
    with pytest.raises(TypeError, match="n_inputs"):
        truth_table(2.0)


def test_nan_in_the_data_is_named_not_blamed_on_the_learning_rate():
    import pytest

    with pytest.raises(ValueError, match=r"args\[0\].*NaN"):
        train(lambda x, y: 0.0, 3, args=([[0.0, float("nan")]], [[1.0]]))
