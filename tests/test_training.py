"""Fast training (nbhelpers.training) against the step-by-step loop and plain numpy."""
import nbhelpers  # noqa: F401  (configures Theano before it is imported)

import numpy as np
import pytest
import theano
import theano.tensor as T

from nbhelpers.networks import cross_entropy, gradient_step, mlp, squared_error
from nbhelpers.training import (
    MultiStep,
    compile_multistep,
    dots_as_sums,
    fast_gradient_step,
    product_sum,
    sgd_updates,
    train,
)

AND_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
AND_T = [0, 0, 0, 1]


def numpy_and(w0, b0, lr, steps):
    """The article's AND updates in plain numpy: the loss before each step, final w and b."""
    x = np.array(AND_X, dtype=float)
    t = np.array(AND_T, dtype=float)
    w, b = np.array(w0, dtype=float), float(b0)
    losses = []
    for _ in range(steps):
        a = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        losses.append(-(t * np.log(a) + (1 - t) * np.log(1 - a)).sum())
        err = a - t  # d(cross-entropy)/dz for a sigmoid output
        w, b = w - lr * (x.T @ err), b - lr * err.sum()
    return np.array(losses), w, b


def article_and(w0, b0=1.0, lr=0.01):
    """The article's AND neuron: a compiled step returning [a, cost], and its graph."""
    x, t = T.matrix("x"), T.vector("t")
    w, b = theano.shared(np.array(w0, dtype=float)), theano.shared(float(b0))
    a = 1 / (1 + T.exp(-(T.dot(x, w) + b)))
    cost = -(t * T.log(a) + (1 - t) * T.log(1 - a)).sum()
    dw, db = T.grad(cost, [w, b])
    step = theano.function([x, t], [a, cost], updates=[(w, w - lr * dw), (b, b - lr * db)])
    return step, (x, t, w, b, cost)


def test_step_by_step_and_matches_plain_numpy():
    step, (_, _, w, b, _) = article_and([0.3, 0.6])
    losses = train(step, 3000, args=(AND_X, AND_T))
    ref_losses, ref_w, ref_b = numpy_and([0.3, 0.6], 1.0, 0.01, 3000)
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-10)
    np.testing.assert_allclose(w.get_value(), ref_w, rtol=1e-10)
    assert float(b.get_value()) == pytest.approx(ref_b, rel=1e-10)
    assert np.all(np.diff(losses) < 0)


@pytest.mark.parametrize("n_steps, per_call", [(1000, 50), (1003, 50), (7, 10), (3, 1)])
def test_multistep_equals_step_by_step(n_steps, per_call):
    step, (_, _, w1, b1, _) = article_and([0.3, 0.6])
    slow = train(step, n_steps, args=(AND_X, AND_T))
    _, (x, t, w2, b2, cost) = article_and([0.3, 0.6])
    fast_step = compile_multistep([x, t], cost, sgd_updates(cost, [w2, b2], 0.01), steps_per_call=per_call)
    assert isinstance(fast_step, MultiStep)
    fast = train(fast_step, n_steps, args=(AND_X, AND_T))
    assert fast.shape == slow.shape == (n_steps,)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)
    np.testing.assert_allclose(w2.get_value(), w1.get_value(), rtol=0, atol=1e-12)
    assert float(b2.get_value()) == pytest.approx(float(b1.get_value()), abs=1e-12)


def test_multistep_and_matches_plain_numpy_over_30000_steps():
    _, (x, t, w, b, cost) = article_and([0.3, 0.6])
    losses = train(compile_multistep([x, t], cost, sgd_updates(cost, [w, b], 0.01)), 30_000, args=(AND_X, AND_T))
    ref_losses, ref_w, ref_b = numpy_and([0.3, 0.6], 1.0, 0.01, 30_000)
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-9)
    np.testing.assert_allclose(w.get_value(), ref_w, rtol=1e-9)
    assert float(b.get_value()) == pytest.approx(ref_b, rel=1e-9)
    # the article's numbers
    assert np.round(w.get_value(), 2).tolist() == [7.78, 7.78]


def test_fast_gradient_step_of_a_hidden_layer_equals_numpy_backprop():
    net = mlp([2, 3, 1], rng=np.random.default_rng(3))
    W1, b1, W2, b2 = (p.get_value().copy() for p in net.params)
    target = T.dmatrix("target")
    step = fast_gradient_step(net, cross_entropy(net.output, target), target, 0.5, steps_per_call=20)
    data = np.array(AND_X, dtype=float)
    xor = np.array([[0], [1], [1], [0]], dtype=float)
    losses = train(step, 205, args=(data, xor))   # 10 calls of 20 steps + 5 single steps

    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    for i in range(205):
        h = sig(data @ W1 + b1)
        a = sig(h @ W2 + b2)
        assert losses[i] == pytest.approx(-(xor * np.log(a) + (1 - xor) * np.log(1 - a)).sum(), rel=1e-10)
        d2 = a - xor
        d1 = (d2 @ W2.T) * h * (1 - h)
        W2, b2, W1, b1 = (W2 - 0.5 * h.T @ d2, b2 - 0.5 * d2.sum(0),
                          W1 - 0.5 * data.T @ d1, b1 - 0.5 * d1.sum(0))
    for got, expected in zip(net.params, [W1, b1, W2, b2]):
        np.testing.assert_allclose(got.get_value(), expected, rtol=1e-9)


def test_record_every_keeps_steps_0_r_2r():
    _, (x, t, w, b, cost) = article_and([0.3, 0.6])
    fast_step = compile_multistep([x, t], cost, sgd_updates(cost, [w, b], 0.01), steps_per_call=10)
    every = train(fast_step, 30, args=(AND_X, AND_T))
    w.set_value(np.array([0.3, 0.6]))
    b.set_value(1.0)
    sparse = train(fast_step, 30, args=(AND_X, AND_T), record_every=7)
    np.testing.assert_array_equal(sparse, every[::7])
    assert sparse.size == 5


def test_sgd_updates_match_finite_differences():
    net = mlp([2, 2, 1], rng=np.random.default_rng(1), linear_output=True)
    target = T.dmatrix("target")
    data = np.array(AND_X, dtype=float)
    y = np.array([[0], [1], [1], [1]], dtype=float)
    loss = squared_error(net.output, target)
    lr = 0.1
    new_values = theano.function([net.x, target], [new for _, new in sgd_updates(loss, net.params, lr)])(data, y)
    loss_of = theano.function([net.x, target], loss)
    for p, new in zip(net.params, new_values):
        old = p.get_value()
        numeric = np.zeros_like(old)
        for idx in np.ndindex(old.shape):
            for sign in (1, -1):
                shifted = old.copy()
                shifted[idx] += sign * 1e-6
                p.set_value(shifted)
                numeric[idx] += sign * loss_of(data, y) / 2e-6
        p.set_value(old)
        np.testing.assert_allclose((old - new) / lr, numeric, rtol=1e-5, atol=1e-8)


def test_a_learning_rate_that_is_too_large_stops_with_a_clear_error():
    x, t = T.dvector("x"), T.dvector("t")
    w = theano.shared(0.0)
    loss = ((x * w - t) ** 2).sum()
    step = theano.function([x, t], loss, updates=sgd_updates(loss, [w], 10.0))
    with pytest.raises(ValueError, match="learning rate is too large"):
        train(step, 10_000, args=([1.0, 2.0], [2.0, 4.0]))
    w.set_value(0.0)
    fast = compile_multistep([x, t], loss, sgd_updates(loss, [w], 10.0), steps_per_call=10)
    with pytest.raises(ValueError, match="learning rate is too large"):
        train(fast, 10_000, args=([1.0, 2.0], [2.0, 4.0]))


def test_weights_that_are_already_nan_are_reported_at_the_first_step():
    step, (x, t, w, b, cost) = article_and([np.nan, 0.5])
    with pytest.raises(ValueError, match="first step, before any update"):
        train(step, 10, args=(AND_X, AND_T))
    fast = compile_multistep([x, t], cost, sgd_updates(cost, [w, b], 0.01), steps_per_call=5)
    with pytest.raises(ValueError, match="first step, before any update"):
        train(fast, 10, args=(AND_X, AND_T))


@pytest.fixture(scope="module")
def and_step():
    step, _ = article_and([0.5, 0.5])
    return step


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_steps": 0}, ValueError, "n_steps must be >= 1"),
        ({"n_steps": 2.5}, TypeError, "n_steps must be a whole number"),
        ({"record_every": 0}, ValueError, "record_every must be >= 1"),
        ({"args": (AND_X,)}, ValueError, "takes 2 input"),
        ({"args": (AND_X, [0, 0, 1])}, ValueError, "one row per example"),
        ({"args": (np.zeros((0, 2)), np.zeros(0))}, ValueError, "empty"),
        ({"args": (AND_X, [0, 0, np.nan, 1])}, ValueError, "finite"),
        ({"args": ([0, 1, 1, 0], AND_T)}, ValueError, "must have 2 dimension"),
        ({"args": (AND_X, [["a"], ["b"]])}, TypeError, "must be numbers"),
        ({"args": "data"}, TypeError, "tuple of data arrays"),
        ({"progress": "yes"}, TypeError, "progress must be True or False"),
        ({"loss_index": 1.0}, TypeError, "loss_index"),
        ({"loss_index": 5}, ValueError, "loss_index=5, but the step function returns 2 outputs"),
        ({"loss_index": 0}, TypeError, r"output 0 of its 2 outputs .* not a single loss: pass loss_index="),
        ({"args": ([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], AND_T)}, ValueError,
         r"could not run on this data .*args\[0\] \(4, 3\).*weight shapes: .*\(2,\)"),
    ],
)
def test_train_refuses_bad_arguments(and_step, kwargs, error, message):
    arguments = {"n_steps": 5, "args": (AND_X, AND_T)} | kwargs
    with pytest.raises(error, match=message):
        train(and_step, **arguments)


def test_train_refuses_a_step_that_is_not_a_function():
    with pytest.raises(TypeError, match="step must be"):
        train("train", 5)


def test_sgd_updates_refuses_bad_learning_rates_and_parameters():
    w = theano.shared(1.0)
    loss = w**2
    for lr, error in [(0, ValueError), (-0.1, ValueError), (float("nan"), ValueError), ("0.1", TypeError)]:
        with pytest.raises(error, match="lr"):
            sgd_updates(loss, [w], lr)
    with pytest.raises(TypeError, match="shared"):
        sgd_updates(loss, [T.dscalar("w")], 0.1)
    with pytest.raises(ValueError, match="at least one"):
        sgd_updates(loss, [], 0.1)


def test_compile_multistep_refuses_bad_arguments():
    x = T.dvector("x")
    w = theano.shared(1.0)
    loss = ((x * w) ** 2).sum()
    good = sgd_updates(loss, [w], 0.1)
    with pytest.raises(ValueError, match="steps_per_call must be >= 1"):
        compile_multistep([x], loss, good, steps_per_call=0)
    with pytest.raises(ValueError, match="loss must be a scalar"):
        compile_multistep([x], x * w, good)
    with pytest.raises(ValueError, match="non-empty list"):
        compile_multistep([x], loss, [])
    with pytest.raises(TypeError, match="shared"):
        compile_multistep([x], loss, [(x, x)])
    with pytest.raises(TypeError, match="has type"):
        compile_multistep([x], loss, [(w, x)])
    with pytest.raises(TypeError, match="symbolic inputs"):
        compile_multistep([w], loss, good)
    with pytest.raises(ValueError, match="same shared variable twice"):
        compile_multistep([x], loss, good + good)
    with pytest.raises(TypeError, match="built by mlp"):
        fast_gradient_step("net", loss, x, 0.1)


@pytest.mark.parametrize("shape_a, shape_b", [((4, 2), (2,)), ((3,), (3, 2)), ((4, 3), (3, 2)), ((5,), (5,))])
def test_product_sum_is_the_dot_product(shape_a, shape_b):
    rng = np.random.default_rng(7)
    a_value, b_value = rng.normal(size=shape_a), rng.normal(size=shape_b)
    a, b = T.TensorType("float64", (False,) * len(shape_a))(), T.TensorType("float64", (False,) * len(shape_b))()
    got = theano.function([a, b], product_sum(a, b))(a_value, b_value)
    np.testing.assert_allclose(got, np.dot(a_value, b_value), rtol=1e-14, atol=1e-14)


def test_product_sum_refuses_more_than_two_dimensions():
    with pytest.raises(ValueError, match="vectors and matrices"):
        product_sum(T.dtensor3("a"), T.dvector("b"))


def test_the_chained_steps_hold_no_dot_product_and_run_in_c():
    # T.dot without a BLAS library runs in Python at every step; the chain must not.
    from theano.tensor.basic import Dot

    _, (x, t, w, b, cost) = article_and([0.3, 0.6])
    fast_step = compile_multistep([x, t], cost, sgd_updates(cost, [w, b], 0.01))
    nodes = fast_step.many.maker.fgraph.apply_nodes
    assert not [n for n in nodes if isinstance(n.op, Dot)]
    python_only = [n for n in nodes if not hasattr(n.op, "c_code")]
    assert python_only == []


def test_dots_as_sums_keeps_the_value_and_the_inputs_of_a_graph():
    x, w = T.dmatrix("x"), T.dvector("w")
    inputs, outputs = dots_as_sums([x, w], [T.nnet.sigmoid(T.dot(x, w)).sum()])
    assert len(inputs) == 2 and len(outputs) == 1
    value = theano.function(inputs, outputs[0])([[1.0, 2.0], [3.0, 4.0]], [0.5, -0.25])
    assert value == pytest.approx(1 / (1 + np.exp(-0.0)) + 1 / (1 + np.exp(-0.5)), rel=1e-14)


def test_the_in_graph_trainer_explains_data_that_does_not_fit_the_weights():
    _, (x, t, w, b, cost) = article_and([0.5, 0.5])
    fast_step = compile_multistep([x, t], cost, sgd_updates(cost, [w, b], 0.01), steps_per_call=4)
    three_columns = np.ones((4, 3))
    with pytest.raises(ValueError, match=r"could not run on this data .*args\[0\] \(4, 3\)"):
        train(fast_step, 8, args=(three_columns, AND_T))
    assert w.get_value().tolist() == [0.5, 0.5]        # nothing was trained


def test_a_step_returning_nothing_is_explained():
    with pytest.raises(TypeError, match="returned nothing"):
        train(lambda data: None, 3, args=([1.0, 2.0],))


def test_sgd_updates_names_a_parameter_the_loss_does_not_use():
    _, (x, t, w, b, cost) = article_and([0.5, 0.5])
    stray = theano.shared(np.zeros(3), name="stray")
    with pytest.raises(ValueError, match="the loss does not depend on stray"):
        sgd_updates(cost, [w, stray], 0.1)
    other = mlp([2, 2, 1], rng=np.random.default_rng(0))
    target = T.dmatrix("target")
    with pytest.raises(ValueError, match="does not depend on"):
        fast_gradient_step(other, cost, target, 0.1)


def test_compile_multistep_refuses_a_huge_chain():
    _, (x, t, w, b, cost) = article_and([0.5, 0.5])
    with pytest.raises(ValueError, match="use at most 200"):
        compile_multistep([x, t], cost, sgd_updates(cost, [w, b], 0.01), 30_000)


def test_losses_are_kept_only_where_recorded():
    _, (x, t, w, b, cost) = article_and([0.3, 0.6])
    fast_step = compile_multistep([x, t], cost, sgd_updates(cost, [w, b], 0.01), steps_per_call=6)
    recorded = train(fast_step, 50, args=(AND_X, AND_T), record_every=4)
    ref_losses, _, _ = numpy_and([0.3, 0.6], 1.0, 0.01, 50)
    assert recorded.shape == (13,)
    np.testing.assert_allclose(recorded, ref_losses[::4], rtol=1e-10)


def test_product_sum_refuses_broadcastable_operands_that_t_dot_would_check():
    with pytest.raises(ValueError, match="use T.dot"):
        product_sum(T.dcol("c"), T.dvector("v"))
    with pytest.raises(ValueError, match="use T.dot"):
        product_sum(T.dvector("v"), T.drow("r"))
    got = theano.function([], product_sum(np.ones((2, 3)), np.arange(3.0)))()   # numpy data works
    np.testing.assert_array_equal(got, [3.0, 3.0])


def test_dots_as_sums_keeps_a_dot_of_a_column():
    from theano.tensor.basic import Dot

    c, v = T.dcol("c"), T.dvector("v")
    inputs, outputs = dots_as_sums([c, v], T.dot(c, v.dimshuffle("x", 0)))   # a single output is fine
    graph = theano.graph.fg.FunctionGraph(inputs, outputs, clone=False)
    assert any(isinstance(n.op, Dot) for n in graph.apply_nodes)
    graph.disown()


def test_large_weights_keep_their_dot_products():
    # The product-and-sum rewrite is for tiny weights; a 8-32-1 network keeps T.dot and
    # still trains like one call per step.
    from theano.tensor.basic import Dot

    net = mlp([8, 32, 1], rng=np.random.default_rng(3))
    target = T.dmatrix("target")
    fast = fast_gradient_step(net, cross_entropy(net.output, target), target, 0.1, steps_per_call=3)
    assert any(isinstance(n.op, Dot) for n in fast.many.maker.fgraph.apply_nodes)
    twin = mlp([8, 32, 1], rng=np.random.default_rng(3))
    slow = gradient_step(twin, cross_entropy(twin.output, target), target, 0.1)
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(16, 8)), (rng.random((16, 1)) > 0.5).astype(float)
    np.testing.assert_allclose(train(fast, 7, args=(X, Y)), train(slow, 7, args=(X, Y)), rtol=1e-12)
