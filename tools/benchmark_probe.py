"""Where a kernel's time goes: an IPython startup file used by ``tools/benchmark.py``.

The benchmark copies this file into the startup folder of a private ``IPYTHONDIR`` for one
extra, instrumented run of the course (never for the runs it times). In each kernel it adds
up the wall-clock seconds spent in a few places and, when the kernel exits, appends them as
one JSON line to the file named by ``$COURSE_BENCHMARK_PROBE``:

* ``figures``: rendering figures to PNG (IPython's ``print_figure``), and ``n_figures``;
* ``optimise``: Theano building and optimising functions (``FunctionMaker.__init__``);
* ``link``: Theano linking them to C code (``FunctionMaker.create``);
* ``trainer``: calls of the in-graph trainer (``nbhelpers.training.MultiStep``);
* ``calls``: other calls of compiled Theano functions, and ``n_calls``.

Theano and nbhelpers are instrumented from the first cell after the one that imported
them (the course imports them in a set-up cell of their own), so the probe changes nothing
about what a notebook imports or when.
"""
import atexit
import json
import os
import sys
import time

_seconds = dict.fromkeys(["figures", "optimise", "link", "trainer", "calls"], 0.0)
_counts = {"n_figures": 0, "n_calls": 0}
_patched = set()
_inside_trainer = [False]


def _timed(key, function, count=None, skip_inside_trainer=False):
    def wrapper(*args, **kwargs):
        if skip_inside_trainer and _inside_trainer[0]:
            return function(*args, **kwargs)
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _seconds[key] += time.perf_counter() - start
            if count:
                _counts[count] += 1
    return wrapper


def _patch_figures():
    import IPython.core.pylabtools as pylabtools

    pylabtools.print_figure = _timed("figures", pylabtools.print_figure, "n_figures")


def _patch_theano():
    from theano.compile.function import types

    types.FunctionMaker.__init__ = _timed("optimise", types.FunctionMaker.__init__)
    types.FunctionMaker.create = _timed("link", types.FunctionMaker.create)
    types.Function.__call__ = _timed("calls", types.Function.__call__, "n_calls", skip_inside_trainer=True)


def _patch_trainer():
    from nbhelpers.training import MultiStep

    def entered(method):
        def wrapper(*args, **kwargs):
            outer = _inside_trainer[0]
            _inside_trainer[0] = True
            try:
                return method(*args, **kwargs)
            finally:
                _inside_trainer[0] = outer
        return wrapper

    MultiStep.__call__ = _timed("trainer", entered(MultiStep.__call__))
    MultiStep.one_step = _timed("trainer", entered(MultiStep.one_step))


def _pre_run_cell(info):
    for module, patch in [("theano.compile.function.types", _patch_theano), ("nbhelpers.training", _patch_trainer)]:
        if module in sys.modules and module not in _patched:
            patch()
            _patched.add(module)


def _write():
    path = os.environ.get("COURSE_BENCHMARK_PROBE")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps({**_seconds, **_counts}) + "\n")


_patch_figures()
get_ipython().events.register("pre_run_cell", _pre_run_cell)  # noqa: F821 (IPython startup file)
atexit.register(_write)
