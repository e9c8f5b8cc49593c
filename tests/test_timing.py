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


def test_benchmark_times_each_way_of_training(monkeypatch):
    # tools/benchmark.py times three ways of training the AND neuron; each must run.
    monkeypatch.syspath_prepend(str(TOOLS))
    import benchmark

    rows = benchmark.training_section(steps=200, repeats=1)
    assert [name for name, _ in rows] == [
        "plain numpy loop", "article: one compiled call per step", "nbhelpers in-graph trainer"]
    assert all(0 < seconds < 0.01 for _, seconds in rows)
    sys.modules.pop("benchmark", None)
