"""Fast training: many gradient-descent steps per call of one compiled Theano function.

In the article's style, a training loop calls a compiled Theano function once per step
from Python. For the course's tiny networks most of each step's time is then spent
getting into and out of Theano, not computing. :func:`compile_multistep` compiles
several steps into one function, so the loop runs inside Theano (its C virtual
machine), with the same numbers::

    step = compile_multistep([x, t], cost, sgd_updates(cost, [w, b], 0.01))
    losses = train(step, 30_000, args=(X, t_and))     # about 1,400 calls of 22 steps

:func:`fast_gradient_step` does the same for a network built by
:func:`nbhelpers.networks.mlp` (it mirrors :func:`nbhelpers.networks.gradient_step`).
:func:`train` runs either kind of step function, records the losses and stops with a
clear error if the loss becomes NaN or infinite.

Measured on the AND neuron of notebook 05, 30,000 steps, microseconds per step (2 cores;
``tools/benchmark.py`` and notebook 05 measure them again): the article's loop (lists
in, one call per step) about 27; one call per step with float64 arrays about 13; a plain
numpy loop 7.5 to 9.5; ``compile_multistep`` (22 steps per call, dot products written as
products and sums) about 2, or about 5 without that rewrite.

The rewrite suits tiny networks only (the product and sum build an array of every
pairwise product), so it is applied only to weights of at most
:data:`PRODUCT_SUM_MAX_WEIGHTS` entries. Measured without it, on bigger networks the
arithmetic dominates: an 8-32-1 network on 256 rows, or 20-100-1 on 1,000 rows, trains
in-graph as fast as with one call per step (1.01 ×); with it, they ran 4 and 12 times slower.

First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from numbers import Integral

import numpy as np

from nbhelpers.validation import as_finite_array, positive_int, positive_number

#: By default a compiled call holds about this many operations (``steps_per_call`` is
#: this divided by the operations of one optimised step, at most
#: :data:`MAX_STEPS_PER_CALL`). Measured on the AND neuron (18 operations a step, so 22
#: steps per call): 1.7 µs per step, against 2.2 with 8 steps per call and 1.45 with 40,
#: which take 0.14 s and 0.31 s to compile instead of 0.2. Longer chains buy little and
#: every one of their operations costs compile time.
OPERATIONS_PER_CALL = 400
MAX_STEPS_PER_CALL = 25
#: :func:`compile_multistep` writes dot products as products and sums only when every
#: weight the step reads has at most this many entries (the course's largest has 9): the
#: product of a weight matrix with every row of the data is built whole, which for large
#: layers costs far more than the dot product.
PRODUCT_SUM_MAX_WEIGHTS = 64
#: The most steps per call :func:`compile_multistep` accepts when asked for a number: a
#: chain of 200 AND-neuron steps takes 1.5 s to compile, of 3,000 steps 36 s and 670 MB.
STEPS_PER_CALL_LIMIT = 200


def sgd_updates(loss, params, lr: float) -> list:
    """The ``updates`` of one gradient-descent step: ``[(p, p - lr * dloss/dp), ...]``.

    ``params`` are Theano shared variables; ``lr`` (> 0) is the learning rate. Pass the
    result to ``theano.function(..., updates=...)`` or to :func:`compile_multistep`.

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    import theano.tensor as T
    from theano.graph.basic import graph_inputs

    lr = positive_number("lr", lr)
    params = _shared_list("params", params)
    loss = T.as_tensor_variable(loss)
    leaves = set(graph_inputs([loss]))
    unused = [p.name or str(p) for p in params if p not in leaves]
    if unused:
        raise ValueError(f"the loss does not depend on {', '.join(unused)}: train only the parameters "
                         "the loss is computed from (is the loss built from this network's output?)")
    grads = T.grad(loss, params)
    return [(p, p - lr * g) for p, g in zip(params, grads)]


def _shared_list(name: str, params) -> list:
    from theano.compile.sharedvalue import SharedVariable

    if isinstance(params, SharedVariable):
        params = [params]
    if isinstance(params, (str, bytes)) or not isinstance(params, Sequence):
        raise TypeError(f"{name} must be a list of theano.shared variables, got {params!r:.60}")
    params = list(params)
    if not params:
        raise ValueError(f"{name} must name at least one shared variable to train")
    for p in params:
        if not isinstance(p, SharedVariable):
            raise TypeError(f"{name} must be theano.shared variables, got {p!r:.60}")
    return params


# ---------------------------------------------------------------------------
# many steps per call
# ---------------------------------------------------------------------------

class MultiStep:
    """``steps_per_call`` training steps compiled into one Theano function.

    Calling it with the data does the steps and returns their losses, an array of
    ``steps_per_call`` numbers (each the loss *before* its step's update, as a Theano
    function with ``updates`` returns it). :func:`train` calls it and, for a number of
    steps that is not a multiple of ``steps_per_call``, does the rest one step at a time
    with :meth:`one_step`. Made by :func:`compile_multistep`.
    """

    def __init__(self, many, steps_per_call: int, inputs: list, one, params: list, others: list):
        self.many = many
        self.steps_per_call = steps_per_call
        self.inputs = inputs
        self._one, self._params, self._others = one, params, others

    def __call__(self, *args) -> np.ndarray:
        return np.fromiter(map(float, self.many(*args)), dtype=np.float64, count=self.steps_per_call)

    def one_step(self, *args) -> float:
        """Do a single step; return its loss.

        Runs the single step the chain was built from (parameters in, new parameters
        out; compiled at its first use), so the numbers are the same as the chain's.
        """
        values = self._one(*[v.get_value(borrow=True) for v in self._params + self._others], *args)
        for param, value in zip(self._params, values[1:]):
            param.set_value(value)
        return float(values[0])

    def __repr__(self) -> str:
        names = ", ".join(str(v) for v in self.inputs)
        return f"MultiStep(steps_per_call={self.steps_per_call}, inputs=[{names}])"


def _step_mode():
    """The default mode, without in-place operations (the step's graph is chained: its
    inputs must stay intact) and, when no BLAS library is linked, without BLAS ops."""
    import theano

    mode = theano.compile.mode.get_default_mode()
    if not theano.config.blas__ldflags:
        # Without a BLAS library to link, Theano's Gemv (what T.dot becomes) runs in
        # Python: about 15 µs per call here. The plain Dot left otherwise costs ~5 µs.
        mode = mode.excluding("BlasOpt")
    return mode.excluding("inplace")


def _chain_mode():
    """How a chain of optimised steps is compiled: merged, not optimised again, and run by
    the C virtual machine with every intermediate array kept between calls (with
    thousands of tiny nodes, freeing and reallocating them costs more than the maths)."""
    import theano
    from theano.link.vm import VMLinker

    return theano.compile.mode.Mode(linker=VMLinker(allow_gc=False, use_cloop=True), optimizer="merge")


class _LazyFunction:
    """A Theano function of an already optimised graph, compiled when first called."""

    def __init__(self, inputs, outputs):
        self.inputs, self.outputs, self.function = inputs, outputs, None

    def __call__(self, *args):
        if self.function is None:
            import theano

            self.function = theano.function(self.inputs, self.outputs, mode=_chain_mode(),
                                            on_unused_input="ignore")
        return self.function(*args)


def product_sum(a, b):
    """``T.dot(a, b)`` of vectors and matrices, written as an elementwise product and a sum.

    ``a`` and ``b`` are symbolic vectors or matrices (not ``T.row``/``T.col``, whose
    broadcastable dimension the product would stretch silently). The result has the value of the dot
    product, built from operations that all have C code in Theano; ``T.dot`` itself,
    without a BLAS library to link (this course's set-up, see
    :mod:`nbhelpers.theano_setup`), runs in Python at every call. For the course's tiny
    arrays the product and sum are faster; for large ones a real BLAS is.
    """
    import theano.tensor as T

    a, b = T.as_tensor_variable(a), T.as_tensor_variable(b)
    if not _product_sum_takes(a, b):
        raise ValueError("product_sum takes vectors and matrices without broadcastable dimensions "
                         f"(got {a.type} and {b.type}); use T.dot for others, e.g. T.row / T.col")
    if a.ndim == 2 and b.ndim == 1:            # (m, n) . (n,)  -> (m,)
        return (a * b.dimshuffle("x", 0)).sum(axis=1)
    if a.ndim == 1 and b.ndim == 2:            # (n,) . (n, k)  -> (k,)
        return (a.dimshuffle(0, "x") * b).sum(axis=0)
    if a.ndim == 2 and b.ndim == 2:            # (m, n) . (n, k) -> (m, k)
        return (a.dimshuffle(0, 1, "x") * b.dimshuffle("x", 0, 1)).sum(axis=1)
    return (a * b).sum()                       # (n,) . (n,)    -> ()


def _product_sum_takes(*operands) -> bool:
    """Whether :func:`product_sum` can stand for ``T.dot`` of these: vectors and matrices,
    none broadcastable (a ``T.row``/``T.col`` would be stretched silently where ``T.dot``
    checks the shapes)."""
    return all(v.ndim in (1, 2) and not any(v.broadcastable) for v in operands)


def dots_as_sums(inputs, outputs) -> tuple[list, list]:
    """A copy of the graph from ``inputs`` to ``outputs`` with every dot product as :func:`product_sum`.

    Returns the copy's ``(inputs, outputs)``. A dot :func:`product_sum` does not take (an
    input of more than two dimensions, or with a broadcastable dimension) is kept, as is
    one whose rewritten form would not have exactly the same type. ``outputs`` may be a
    single variable.
    """
    return _graph_copy(inputs, outputs, rewrite_dots=True)


def _graph_copy(inputs, outputs, rewrite_dots: bool) -> tuple[list, list]:
    """A plain copy of a graph, its dot products rewritten by :func:`product_sum` if asked."""
    from theano.graph.fg import FunctionGraph
    from theano.tensor.basic import Dot

    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    graph = FunctionGraph(inputs, outputs, clone=True)
    for node in graph.toposort() if rewrite_dots else []:
        if isinstance(node.op, Dot) and _product_sum_takes(*node.inputs):
            new = product_sum(*node.inputs)
            if new.type == node.outputs[0].type:
                graph.replace(node.outputs[0], new, reason="nbhelpers.training.dots_as_sums")
    new_inputs, new_outputs = list(graph.inputs), list(graph.outputs)
    graph.disown()  # the copy becomes a plain graph again, to be compiled like any other
    return new_inputs, new_outputs


def _check_updates(updates) -> list:
    import theano.tensor as T

    if not isinstance(updates, (list, tuple)) or not updates:
        raise ValueError("updates must be a non-empty list of (shared_variable, new_value) pairs")
    pairs = []
    for pair in updates:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            raise ValueError(f"each update must be a pair (shared_variable, new_value), got {pair!r:.60}")
        param, new = pair
        _shared_list("the first item of each update", [param])
        new = T.as_tensor_variable(new)
        if new.type != param.type:
            hint = (" (create it with float64 values, e.g. theano.shared(1.0) or an array of floats)"
                    if new.dtype != param.dtype else "")
            raise TypeError(f"the update of {param} has type {new.type}, but {param} has type "
                            f"{param.type}{hint}")
        pairs.append((param, new))
    params = [p for p, _ in pairs]
    if len(set(params)) != len(params):
        raise ValueError("updates name the same shared variable twice")
    return pairs


def compile_multistep(inputs, loss, updates, steps_per_call: int | None = None) -> MultiStep:
    """Compile ``steps_per_call`` training steps into one Theano function.

    The arguments are those of ``theano.function(inputs, loss, updates=updates)``:
    ``inputs`` the symbolic data (e.g. ``[x, t]``), ``loss`` a scalar expression,
    ``updates`` a list of ``(shared_variable, new_value)`` pairs (e.g. from
    :func:`sgd_updates`). One call of the result does what ``steps_per_call`` calls of
    that function do, with the same numbers. ``steps_per_call=None`` (the default)
    picks it from the size of one step (:data:`OPERATIONS_PER_CALL`): 22 for the AND
    neuron of notebook 05.

    How: one step is optimised as usual and, if every weight has at most
    :data:`PRODUCT_SUM_MAX_WEIGHTS` entries, its dot products are written as products
    and sums (:func:`dots_as_sums`), so that every operation runs in C; the optimised
    graph is then chained ``steps_per_call`` times (the parameters one copy computes
    feed the next) and compiled once, without optimising again, keeping intermediate
    arrays between calls. Re-optimising the long chain would take minutes; this takes a
    fraction of a second. Memory grows with ``steps_per_call``; the gain is largest for
    tiny networks like the course's (see the module docstring).

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    import theano
    from theano.compile.sharedvalue import SharedVariable
    from theano.compile.function.types import FunctionMaker
    from theano.graph.basic import Constant, Variable, clone_get_equiv, graph_inputs, io_toposort

    if steps_per_call is not None:
        steps_per_call = positive_int("steps_per_call", steps_per_call)
        if steps_per_call > STEPS_PER_CALL_LIMIT:
            raise ValueError(
                f"steps_per_call={steps_per_call} would compile {steps_per_call} copies of the step into "
                f"one function (minutes and gigabytes); use at most {STEPS_PER_CALL_LIMIT}, or leave it "
                "out to get a good default. The number of training steps goes to train(step, n_steps)."
            )
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    for v in inputs:
        if not isinstance(v, Variable) or isinstance(v, (SharedVariable, Constant)) or v.owner is not None:
            raise TypeError(f"inputs must be symbolic inputs such as T.dmatrix('x'), got {v!r:.60}")
    if not isinstance(loss, Variable) or loss.ndim != 0:
        raise ValueError(f"loss must be a scalar Theano expression (e.g. a sum), got {loss!r:.60}")
    pairs = _check_updates(updates)
    params = [p for p, _ in pairs]

    # One step, every shared variable made an explicit input, so that the optimised
    # graph's inputs can be matched by position.
    others = [v for v in graph_inputs([loss] + [n for _, n in pairs])
              if isinstance(v, SharedVariable) and v not in params]
    stand_ins = [v.type() for v in params + others]
    step_outputs = theano.clone([loss] + [n for _, n in pairs], replace=dict(zip(params + others, stand_ins)))
    maker = FunctionMaker([theano.In(v) for v in stand_ins + inputs], step_outputs, mode=_step_mode(),
                          on_unused_input="ignore")  # optimises the step; nothing is compiled yet
    # The optimised step, for tiny weights with its dot products rewritten as products and
    # sums (C code only).
    small = all(v.get_value(borrow=True).size <= PRODUCT_SUM_MAX_WEIGHTS for v in params + others)
    step_inputs, step_outputs = _graph_copy(maker.fgraph.inputs, maker.fgraph.outputs, rewrite_dots=small)
    if len(step_inputs) != len(stand_ins) + len(inputs):  # pragma: no cover
        raise RuntimeError("the compiled step has unexpected inputs; please report this")

    if steps_per_call is None:
        size = max(1, len(io_toposort(step_inputs, step_outputs)))
        steps_per_call = max(1, min(MAX_STEPS_PER_CALL, OPERATIONS_PER_CALL // size))
    current, losses = list(params), []
    for _ in range(steps_per_call):
        memo = dict(zip(step_inputs, current + others + inputs))
        equiv = clone_get_equiv(step_inputs, step_outputs, copy_inputs=False, copy_orphans=False, memo=memo)
        outs = [equiv[o] for o in step_outputs]
        losses.append(outs[0])
        current = outs[1:]
    many = theano.function(inputs, losses, updates=list(zip(params, current)), mode=_chain_mode(),
                           on_unused_input="ignore")
    one = _LazyFunction(step_inputs, step_outputs)
    return MultiStep(many, steps_per_call, inputs, one, params, others)


def fast_gradient_step(net, loss, target, learning_rate: float,
                       steps_per_call: int | None = None) -> MultiStep:
    """:func:`nbhelpers.networks.gradient_step`, with ``steps_per_call`` steps per call.

    ``net`` is a network from :func:`nbhelpers.networks.mlp`, ``loss`` a scalar
    expression of ``net.output`` and the symbolic ``target``. Every parameter ``p``
    moves to ``p - learning_rate * dloss/dp`` at each step. Train it with
    :func:`train`: ``train(step, 20_000, args=(X, Y), record_every=100)``.

    First used in ``notebooks/06-Build-Small-Networks.ipynb``.
    """
    from nbhelpers.networks import Network

    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network built by mlp(), got {type(net).__name__}")
    updates = sgd_updates(loss, net.params, learning_rate)
    return compile_multistep([net.x, target], loss, updates, steps_per_call)


# ---------------------------------------------------------------------------
# the training loop
# ---------------------------------------------------------------------------

def _declared_inputs(step):
    """The explicit symbolic inputs of a step function (None for a plain callable)."""
    if isinstance(step, MultiStep):
        return step.inputs
    try:
        from theano.compile.function.types import Function
    except ImportError:  # pragma: no cover
        return None
    if isinstance(step, Function):
        return [i.variable for i in step.maker.inputs if not i.implicit]
    return None


def _prepare_args(step, args) -> list:
    """Check the data once and convert it to the arrays the step function expects."""
    if isinstance(args, (str, bytes)) or not isinstance(args, Sequence):
        raise TypeError(f"args must be a tuple of data arrays, e.g. (X, Y), got {type(args).__name__}")
    declared = _declared_inputs(step)
    if declared is not None and len(args) != len(declared):
        raise ValueError(f"the step function takes {len(declared)} input(s), but args has {len(args)}")
    arrays = []
    for i, value in enumerate(args):
        name = f"args[{i}]"
        array = as_finite_array(name, value, min_len=0)
        if declared is not None:
            variable = declared[i]
            name = f"args[{i}] ({variable.name or variable.type})"
            if array.ndim != variable.ndim:
                raise ValueError(f"{name} must have {variable.ndim} dimension(s), got shape {array.shape}")
            array = variable.type.filter(array, strict=False, allow_downcast=True)
        if array.size == 0:
            raise ValueError(f"{name} is empty (shape {array.shape}): there is nothing to train on")
        arrays.append(array)
    rows = {a.shape[0] for a in arrays if a.ndim >= 1}
    if len(rows) > 1:
        shapes = ", ".join(f"args[{i}]: {a.shape}" for i, a in enumerate(arrays))
        raise ValueError(f"the data must have one row per example, the same number in each array; got {shapes}")
    return arrays


def _parameters(step) -> list:
    """The shared variables a step function trains (or reads), for error messages."""
    if isinstance(step, MultiStep):
        return step._params + step._others
    maker = getattr(step, "maker", None)
    return [i.variable for i in getattr(maker, "inputs", []) if getattr(i, "implicit", False)]


def _shape_error(step, arrays, error: ValueError) -> ValueError:
    """Theano's error from a step call, with the shapes of the data and of the weights."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    data = ", ".join(f"args[{i}] {a.shape}" for i, a in enumerate(arrays))
    weights = ", ".join(f"{p.name or p} {p.get_value(borrow=True).shape}" for p in _parameters(step))
    return ValueError(
        f"the step function could not run on this data ({detail}). Data shapes: {data}; "
        f"weight shapes: {weights or 'none'}. Check that each array has as many columns as the "
        "weights it meets expect (inputs: rows of the first weight matrix; targets: outputs)."
    )


def _loss_value(result, loss_index: int) -> float:
    if isinstance(result, (list, tuple)):
        if not -len(result) <= loss_index < len(result):
            raise ValueError(f"loss_index={loss_index}, but the step function returns {len(result)} outputs")
        outputs, result = result, result[loss_index]
    else:
        outputs = None
    if result is None:
        raise TypeError("the step function returned nothing: compile it to return the loss, "
                        "e.g. theano.function(inputs, cost, updates=...)")
    value = np.asarray(result)
    if value.size != 1:
        which = (f"output {loss_index} of its {len(outputs)} outputs (shapes "
                 f"{[np.shape(o) for o in outputs]})" if outputs is not None else "an output")
        raise TypeError(f"the step function returned {which} of shape {value.shape}, not a single loss: "
                        "pass loss_index= for the position of the loss among its outputs")
    return float(value)


def _diverged(step: int, value: float) -> ValueError:
    if step == 0:
        return ValueError(
            f"the loss is {value} at the first step, before any update: the weights hold NaN/inf "
            "(rebuild or reset them), or the loss cannot be computed at these weights and targets "
            "(the log of 0 in a cross-entropy: a saturated sigmoid, or targets outside [0, 1])"
        )
    return ValueError(
        f"the loss became {value} at step {step}: the weights blew up. Usually the learning rate "
        "is too large (try one 10 times smaller); check too that the updates go downhill "
        "(w - lr * gradient, not +)"
    )


@contextmanager
def _trusting_input(function):
    """Let a compiled Theano function skip checking its inputs for a while.

    :func:`train` checks and converts the data once, to the types the function
    declares, so the function need not do it again at every call (Theano's
    documented ``trust_input`` switch). ``None`` does nothing.
    """
    if function is None:
        yield
        return
    before = function.trust_input
    function.trust_input = True
    try:
        yield
    finally:
        function.trust_input = before


def train(step: Callable, n_steps: int, args=(), record_every: int = 1,
          progress: bool = False, loss_index: int = -1) -> np.ndarray:
    """Run ``n_steps`` training steps; return the losses at steps 0, record_every, 2*record_every, ...

    ``step`` is a :class:`MultiStep` (from :func:`compile_multistep` or
    :func:`fast_gradient_step`) or a compiled Theano function with ``updates`` that
    does one step per call and returns the loss, or a list of outputs of which item
    ``loss_index`` is the loss (the article's ``train`` returns ``[a, cost]``; the
    default ``-1`` picks the cost). Each step uses all the data once (one epoch).
    ``args`` is the data passed to every call; it is checked and converted to arrays
    once, not at every step. The loss of a step is the one *before* its update, so
    entry ``k`` of the result is the loss after ``k * record_every`` steps.

    Raises ``ValueError`` as soon as the loss is NaN or infinite (the learning rate is
    probably too large). ``progress=True`` shows a progress bar in Jupyter
    (:func:`nbhelpers.progress.progress_bar`).

    First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
    """
    if not callable(step):
        raise TypeError(f"step must be a compiled training function or a MultiStep, got {step!r:.60}")
    n_steps = positive_int("n_steps", n_steps)
    record_every = positive_int("record_every", record_every)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    if isinstance(loss_index, bool) or not isinstance(loss_index, Integral):
        raise TypeError(f"loss_index must be a whole number (e.g. -1 for the last output), got {loss_index!r}")
    arrays = _prepare_args(step, args)
    losses = np.empty(-(-n_steps // record_every))   # only the recorded losses are kept
    bar = None
    if progress:
        from nbhelpers.progress import progress_bar

        bar = progress_bar(n_steps, every=max(1, n_steps // 100))
    done = 0
    if isinstance(step, MultiStep):
        k = step.steps_per_call
        with _trusting_input(step.many):
            while n_steps - done >= k:
                try:                     # costs nothing unless the call fails
                    values = step(*arrays)
                except ValueError as error:
                    raise _shape_error(step, arrays, error) from error
                bad = np.flatnonzero(~np.isfinite(values))
                if bad.size:
                    raise _diverged(done + int(bad[0]), values[bad[0]])
                first = -(-done // record_every) * record_every   # first recorded step of this call
                losses[first // record_every:(done + k - 1) // record_every + 1] = values[first - done::record_every]
                done += k
                if bar is not None:
                    bar.update(done)
        call, loss_index = step.one_step, -1
        trusted = None
    else:
        call = step
        trusted = step if _declared_inputs(step) is not None else None
    with _trusting_input(trusted):
        while done < n_steps:
            try:
                result = call(*arrays)
            except ValueError as error:
                raise _shape_error(step, arrays, error) from error
            value = _loss_value(result, loss_index)
            if not math.isfinite(value):
                raise _diverged(done, value)
            if done % record_every == 0:
                losses[done // record_every] = value
            done += 1
            if bar is not None:
                bar.update(done)
    if bar is not None:
        bar.close()
    return losses
