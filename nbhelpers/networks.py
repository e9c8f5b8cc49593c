"""Small fully connected sigmoid networks in Theano: build them and compile one training step.

Training loops live in :mod:`nbhelpers.training` (``train``, and ``fast_gradient_step``
for many steps per compiled call).

The whole API, in the order ``notebooks/06-Build-Small-Networks.ipynb`` uses it::

    X = truth_table(3)                                   # 8 rows of 0/1 inputs
    net = mlp([2, 3, 1], rng=np.random.default_rng(SEED))  # shared weights + forward pass
    y = T.matrix("y")
    step = gradient_step(net, cross_entropy(net.output, y), y, learning_rate=0.5)
    losses = nbhelpers.training.train(step, 10_000, args=(X, Y), record_every=100)
    weights, biases = net.values()                       # numpy copies, e.g. for draw_network

A layer maps its input rows ``A`` (one row per example) to ``sigmoid(A @ W + b)`` with ``W``
of shape ``(n_in, n_out)`` and ``b`` of shape ``(n_out,)`` - the same layout
:func:`nbhelpers.diagrams.draw_network` takes.

First used in ``notebooks/06-Build-Small-Networks.ipynb``.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nbhelpers.validation import positive_int, positive_number


def truth_table(n_inputs: int) -> np.ndarray:
    """All ``2**n_inputs`` rows of 0/1 inputs, as a float64 array, in ``itertools.product`` order.

    The LAST column varies fastest: ``truth_table(2)`` is ``[[0,0],[0,1],[1,0],[1,1]]``
    (R's ``expand.grid`` varies the FIRST column fastest instead).

    First used in ``notebooks/06-Build-Small-Networks.ipynb``.
    """
    n_inputs = positive_int("n_inputs", n_inputs)
    if n_inputs > 16:
        raise ValueError(f"n_inputs must be at most 16 (2**n_inputs rows), got {n_inputs}")
    return np.array(list(itertools.product([0.0, 1.0], repeat=n_inputs)))


@dataclass
class Network:
    """A network built by :func:`mlp`: its symbolic input and output and its shared parameters.

    ``x`` is the input matrix (one row per example), ``output`` the symbolic forward
    pass, ``weights``/``biases`` the Theano shared variables, one per layer.
    """

    x: object
    output: object
    weights: list
    biases: list

    @property
    def params(self) -> list:
        """All shared variables, layer by layer: ``[W1, b1, W2, b2, ...]``."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def values(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Copies of the current weights and biases, as two lists of numpy arrays."""
        return ([w.get_value() for w in self.weights], [b.get_value() for b in self.biases])


def mlp(layer_sizes: Sequence[int], rng: np.random.Generator, linear_output: bool = False,
        init_scale: float = 1.0, name: str = "net") -> Network:
    """Build a fully connected network with sigmoid layers; return a :class:`Network`.

    ``layer_sizes`` is ``[n_inputs, hidden..., n_outputs]``, e.g. ``[2, 3, 1]`` or
    ``[1, 3, 3, 1]``. Every weight and bias starts as a draw from a normal distribution
    with mean 0 and standard deviation ``init_scale``, taken from ``rng`` (a
    ``np.random.Generator``; the same seed gives the same network). Each hidden layer is
    ``sigmoid(A @ W + b)``; so is the output layer, unless ``linear_output=True``
    (then it is ``A @ W + b``, any real number). ``name`` prefixes the shared variables'
    names (``net.W1``, ``net.b1``, ...).

    First used in ``notebooks/06-Build-Small-Networks.ipynb``.
    """
    import theano
    import theano.tensor as T

    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
        raise TypeError(f"layer_sizes must be a list of whole numbers like [2, 3, 1], got {layer_sizes!r}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes needs at least 2 entries (inputs and outputs), got {list(layer_sizes)}")
    sizes = [positive_int(f"layer_sizes[{i}]", n) for i, n in enumerate(layer_sizes)]
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, e.g. np.random.default_rng(SEED), got {rng!r}")
    if not isinstance(linear_output, bool):
        raise TypeError(f"linear_output must be True or False, got {linear_output!r}")
    init_scale = positive_number("init_scale", init_scale)
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {name!r}")

    x = T.dmatrix(f"{name}.x")
    activation, weights, biases = x, [], []
    for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        w = theano.shared(rng.normal(0.0, init_scale, (n_in, n_out)), name=f"{name}.W{layer}")
        b = theano.shared(rng.normal(0.0, init_scale, n_out), name=f"{name}.b{layer}")
        z = T.dot(activation, w) + b
        last = layer == len(sizes) - 1
        activation = z if (last and linear_output) else T.nnet.sigmoid(z)
        weights.append(w)
        biases.append(b)
    return Network(x=x, output=activation, weights=weights, biases=biases)


def cross_entropy(output, target):
    """Symbolic cross-entropy ``-sum(t log a + (1 - t) log(1 - a))`` over all examples and outputs.

    For sigmoid outputs ``a`` in (0, 1) and 0/1 targets ``t`` (notebook 05's loss,
    summed over every output column too). First used in ``notebooks/06-Build-Small-Networks.ipynb``.
    """
    import theano.tensor as T

    return -(target * T.log(output) + (1 - target) * T.log(1 - output)).sum()


def squared_error(output, target):
    """Symbolic mean squared error ``mean((a - t)**2)`` over all examples and outputs.

    For real-valued targets. First used in ``notebooks/06-Build-Small-Networks.ipynb``.
    """
    return ((output - target) ** 2).mean()


def gradient_step(net: Network, loss, target, learning_rate: float):
    """Compile ONE Theano function ``step(X, Y) -> loss`` doing one gradient-descent step.

    Every parameter ``p`` of ``net`` moves to ``p - learning_rate * dloss/dp`` (shared
    variables and ``updates``, as in notebook 04). ``target`` is the symbolic matrix the
    loss compares the output with; ``X`` and ``Y`` are float64 arrays. The loss returned
    is the one *before* the step (Theano computes outputs before it applies updates).

    First used in ``notebooks/06-Build-Small-Networks.ipynb``.
    """
    import theano
    import theano.tensor as T

    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network built by mlp(), got {type(net).__name__}")
    learning_rate = positive_number("learning_rate", learning_rate)
    grads = T.grad(loss, net.params)
    updates = [(p, p - learning_rate * g) for p, g in zip(net.params, grads)]
    return theano.function([net.x, target], loss, updates=updates)
