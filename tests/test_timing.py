"""nbhelpers.timing: time per step, and the table a notebook prints."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nbhelpers.timing import step_time_table, time_per_step

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def test_time_per_step_divides_by_the_steps():
    calls = []

    def run(steps):
        calls.append(steps)
        sum(range(steps * 1000))

    seconds = time_per_step(run, steps=50, repeat=2)
    assert calls == [50, 50]
    assert 0 < seconds < 0.01


@pytest.mark.parametrize("kwargs, error, match", [
    ({"run": 3}, TypeError, "run must be a function"),
    ({"run": len, "steps": 0}, ValueError, "steps must be >= 1"),
    ({"run": len, "repeat": 1.5}, TypeError, "repeat"),
])
def test_time_per_step_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        time_per_step(**kwargs)


def test_step_time_table():
    table = step_time_table({"numpy": 10e-6, "article": 90e-6}, baseline="numpy")
    assert table.splitlines() == [
        "         µs per step   × numpy",
        "numpy           10.0    1.00",
        "article         90.0    9.00",
    ]
    with pytest.raises(ValueError, match="baseline must be one of"):
        step_time_table({"numpy": 1.0}, baseline="numpyy")


@pytest.mark.parametrize("seconds, error, message", [
    ({"numpy": 0.0}, ValueError, r"seconds\['numpy'\] must be a finite number > 0"),
    ({"numpy": 1e-5, "article": None}, TypeError, r"seconds\['article'\] must be a number"),
    ({"numpy": 1e-5, 3: 1e-5}, TypeError, "names must be strings"),
    ([("numpy", 1e-5)], TypeError, "must be a dict"),
])
def test_step_time_table_refuses_what_it_cannot_print(seconds, error, message):
    with pytest.raises(error, match=message):
        step_time_table(seconds, baseline="numpy")


def test_benchmark_times_each_way_of_training(monkeypatch):
    # tools/benchmark.py times three ways of training the AND neuron; each must run.
    monkeypatch.syspath_prepend(str(TOOLS))
    import benchmark

    rows = benchmark.training_section(steps=200, repeats=1)
    assert [name for name, _ in rows] == [
        "plain numpy loop", "article: one compiled call per step", "nbhelpers in-graph trainer"]
    assert all(0 < seconds < 0.01 for _, seconds in rows)
    sys.modules.pop("benchmark", None)


def test_benchmark_probe_says_where_a_kernels_time_goes(monkeypatch, tmp_path):
    # The instrumented run of tools/benchmark.py: a real kernel with benchmark_probe.py
    # as its IPython startup file, on a notebook doing one of each thing it counts.
    monkeypatch.syspath_prepend(str(TOOLS))
    import benchmark
    import nbformat

    cells = [
        "import nbhelpers\nimport numpy as np\nimport theano\nimport theano.tensor as T\n"
        "import matplotlib.pyplot as plt\nfrom nbhelpers import training",
        "x = T.dvector('x')\nw = theano.shared(np.ones(2))\ncost = ((x * w).sum() - 1) ** 2\n"
        "f = theano.function([x], cost)\nfor _ in range(3):\n    f(np.ones(2))",
        "step = training.compile_multistep([x], cost, training.sgd_updates(cost, [w], 0.1), steps_per_call=2)\n"
        "training.train(step, 5, args=(np.ones(2),))",
        "plt.plot([0, 1]); plt.show()",
    ]
    notebook = tmp_path / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), notebook)
    (tmp_path / "out").mkdir()
    totals = benchmark.run_probed([notebook], tmp_path)
    assert totals["n_figures"] == 1 and totals["figures"] > 0
    assert totals["n_calls"] == 3 and totals["calls"] > 0   # the trainer's own calls are not counted here
    assert totals["optimise"] > 0 and totals["link"] > 0 and totals["trainer"] > 0
    sys.modules.pop("benchmark", None)


def test_benchmark_report_splits_the_time_above_the_floor(monkeypatch):
    monkeypatch.syspath_prepend(str(TOOLS))
    import benchmark

    probe = {"figures": 2.0, "n_figures": 5, "optimise": 1.0, "link": 0.5, "trainer": 0.25,
             "calls": 0.25, "n_calls": 1234}
    text = benchmark.report([("plain numpy loop", 1e-5)],
                            {"notebooks": 2, "cold": 30.0, "warm": 10.0, "floor": 4.0, "probe": probe})
    assert "| where the warm run's 6.0 s above the floor go (one more run, instrumented) | seconds |" in text
    assert "| drawing figures (5) | 2.0 |" in text
    assert "| other calls of compiled functions (1,234) | 0.2 |" in text
    assert "| the rest (what is left: numpy, Python, IPython) | 2.0 |" in text
    sys.modules.pop("benchmark", None)
