"""Measure how long a training step takes, so a notebook can show where the time goes.

Timings are wall-clock times on the machine the notebook runs on, now: they change
from run to run, so cells that print them carry the ``nbval-ignore-output`` tag
(the tests run them but do not compare what they print).

First used in ``notebooks/05-Train-Boolean-Neurons.ipynb``.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from nbhelpers.validation import positive_int, positive_number


def time_per_step(run: Callable[[int], object], steps: int = 1000, repeat: int = 3) -> float:
    """Seconds per step of ``run(steps)``, the best of ``repeat`` runs.

    ``run`` does ``steps`` training steps when called with that number (a loop, or a
    call of :func:`nbhelpers.training.train`). The best run is the one least disturbed
    by whatever else the machine was doing.
    """
    if not callable(run):
        raise TypeError(f"run must be a function that does n steps when called as run(n), got {run!r:.60}")
    steps = positive_int("steps", steps)
    repeat = positive_int("repeat", repeat)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run(steps)
        best = min(best, time.perf_counter() - start)
    return best / steps


def step_time_table(seconds: dict[str, float], baseline: str) -> str:
    """Format ``{way: seconds per step}`` as lines of microseconds and ratios to ``baseline``."""
    if not isinstance(seconds, dict) or not seconds:
        raise TypeError(f"seconds must be a dict {{name: seconds per step}}, got {seconds!r:.60}")
    if baseline not in seconds:
        raise ValueError(f"baseline must be one of {list(seconds)}, got {baseline!r}")
    for name, value in seconds.items():
        if not isinstance(name, str):
            raise TypeError(f"the names must be strings, got {name!r}")
        positive_number(f"seconds[{name!r}]", value)
    width = max(len(name) for name in seconds)
    lines = [f"{'':{width}}  µs per step   × {baseline}"]
    for name, value in seconds.items():
        lines.append(f"{name:{width}}  {value * 1e6:11.1f}   {value / seconds[baseline]:5.2f}")
    return "\n".join(lines)
