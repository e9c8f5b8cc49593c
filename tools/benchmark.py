"""Measure what a learner waits for, and write the results into the README.

    python tools/benchmark.py            # all measurements, README updated
    python tools/benchmark.py --no-readme

Measured side by side in one run (wall-clock time, this machine, the best of ``--repeats``
runs except the first run of the course, which can only happen once per empty cache):

1. Training, per step: the ``nbhelpers`` in-graph trainer against a plain numpy loop doing
   the same updates, and against the article's one-call-per-step style (a compiled Theano
   function called from Python with lists), on the AND neuron of notebook 05.
2. The whole course re-executed with a warm compile cache, against a floor: the same number
   of fresh kernels doing only the imports, each those of one notebook (its ``import`` and
   ``from ... import`` statements).
3. The whole course from an empty compile cache against the warm run.

Then one more warm run, instrumented by ``tools/benchmark_probe.py`` (an IPython startup
file), says where the warm run's time above the floor goes: figures, Theano optimising and
linking functions, the in-graph trainer, other calls of compiled functions.

This is a benchmark, not a test: timings depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import ast
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from execute_notebooks import ROOT, course_notebooks, execute  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
AND_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
AND_TARGETS = [0, 0, 0, 1]


# ---------------------------------------------------------------- 1. training per step
def and_neuron(lr: float):
    """The article's AND neuron (``T.dot``, sigmoid, cross-entropy; w = [0.5, 0.5], b = 1).

    Returns the symbolic inputs ``[x, t]``, the cost and the updates of one step.
    """
    import numpy as np
    import theano
    import theano.tensor as T

    x, t = T.dmatrix("x"), T.dvector("t")
    w, b = theano.shared(np.array([0.5, 0.5]), name="w"), theano.shared(1.0, name="b")
    a = 1 / (1 + T.exp(-(T.dot(x, w) + b)))
    cost = -(t * T.log(a) + (1 - t) * T.log(1 - a)).sum()
    dw, db = T.grad(cost, [w, b])
    return [x, t], cost, [(w, w - lr * dw), (b, b - lr * db)]


def numpy_runner(lr: float):
    """``run(steps)``: a plain numpy loop doing the AND neuron's cross-entropy updates."""
    import numpy as np

    x = np.array(AND_INPUTS, dtype=float)
    t = np.array(AND_TARGETS, dtype=float)

    def run(steps):
        w, b = np.array([0.5, 0.5]), 1.0
        for _ in range(steps):
            a = 1.0 / (1.0 + np.exp(-(x @ w + b)))
            err = a - t
            w = w - lr * (x.T @ err)
            b = b - lr * err.sum()

    return run


def article_runner(lr: float):
    """``run(steps)``: the article's style, one compiled call per step with lists as inputs."""
    import theano

    inputs, cost, updates = and_neuron(lr)
    train = theano.function(inputs, cost, updates=updates)

    def run(steps):
        for _ in range(steps):
            train(AND_INPUTS, AND_TARGETS)

    return run


def trainer_runner(lr: float):
    """``run(steps)``: the nbhelpers in-graph trainer (``compile_multistep`` + ``train``)."""
    import numpy as np
    from nbhelpers.training import compile_multistep, train

    inputs, cost, updates = and_neuron(lr)
    step = compile_multistep(inputs, cost, updates)
    data = (np.array(AND_INPUTS, dtype=float), np.array(AND_TARGETS, dtype=float))

    def run(steps):
        train(step, steps, args=data)

    return run


def training_section(steps: int, repeats: int) -> list[tuple[str, float]]:
    """Seconds per step of each way, the best of ``repeats`` runs of ``steps`` steps."""
    import nbhelpers  # noqa: F401  (configures Theano)
    from nbhelpers.timing import time_per_step

    rows = []
    for name, make in [("plain numpy loop", numpy_runner),
                       ("article: one compiled call per step", article_runner),
                       ("nbhelpers in-graph trainer", trainer_runner)]:
        run = make(0.01)  # compiles, outside the timing
        run(min(steps, 1000))  # warm-up
        rows.append((name, time_per_step(run, steps, repeats)))
    return rows


# ---------------------------------------------------------------- 2./3. whole course
def run_course(paths: list[Path], out: Path) -> float:
    """Execute every notebook in a fresh kernel (outputs to ``out``); total seconds."""
    start = time.perf_counter()
    for path in paths:
        execute(path, out=out / path.name)
    return time.perf_counter() - start


def import_source(path: Path) -> str:
    """The import statements of a notebook (top level of its code cells, in order)."""
    lines = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # a cell that fails on purpose imports nothing
            continue
        lines += [ast.get_source_segment(cell.source, node) for node in tree.body
                  if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(lines)


def run_floor(paths: list[Path], out: Path) -> float:
    """One fresh kernel per notebook doing only that notebook's imports; total seconds."""
    floors = []
    for path in paths:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(import_source(path))])
        floors.append(out / f"floor-{path.name}")
        nbformat.write(nb, floors[-1])
    start = time.perf_counter()
    for floor in floors:
        execute(floor, out=floor)
    return time.perf_counter() - start


def run_probed(paths: list[Path], work: Path) -> dict[str, float]:
    """One more warm run of the course with ``benchmark_probe.py`` in every kernel; its totals."""
    import json

    startup = work / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    shutil.copy(Path(__file__).with_name("benchmark_probe.py"), startup / "00-benchmark-probe.py")
    results = work / "probe.jsonl"
    saved = {key: os.environ.get(key) for key in ("IPYTHONDIR", "COURSE_BENCHMARK_PROBE")}
    os.environ.update(IPYTHONDIR=str(work / "ipython"), COURSE_BENCHMARK_PROBE=str(results))
    try:
        run_course(paths, work / "out")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    kernels = [json.loads(line) for line in results.read_text().splitlines()]
    if len(kernels) != len(paths):
        raise SystemExit(f"benchmark_probe.py reported from {len(kernels)} of {len(paths)} kernels")
    return {key: sum(k[key] for k in kernels) for key in kernels[0]}


def course_section(work: Path, repeats: int) -> dict[str, float]:
    """Seconds for the course cold (once), then warm and floor runs interleaved, best of
    ``repeats``, then where the time of one more (instrumented) warm run goes."""
    paths = course_notebooks()
    cache = work / "theano-cache"
    out = work / "out"
    out.mkdir()
    flags = os.environ.get("THEANO_FLAGS", "")
    os.environ["THEANO_FLAGS"] = ",".join(filter(None, [flags, f"base_compiledir={cache}"]))
    try:
        cold = run_course(paths, out)
        warm, floor = [], []
        for _ in range(repeats):  # interleaved, so a slow spell of the machine hits both
            warm.append(run_course(paths, out))
            floor.append(run_floor(paths, out))
        probe = run_probed(paths, work)
    finally:
        os.environ["THEANO_FLAGS"] = flags
    return {"notebooks": len(paths), "cold": cold, "warm": min(warm), "floor": min(floor), "probe": probe}


# ---------------------------------------------------------------- report
def report(training, course) -> str:
    lines = [
        f"Measured by `python tools/benchmark.py` on {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| training, AND neuron | µs per step | × numpy loop |",
        "|---|---:|---:|",
    ]
    numpy_step = training[0][1]
    for name, seconds in training:
        lines.append(f"| {name} | {seconds * 1e6:.1f} | {seconds / numpy_step:.2f} |")
    n = course["notebooks"]
    lines += [
        "",
        f"| whole course ({n} notebooks, fresh kernel each) | seconds | ratio |",
        "|---|---:|---:|",
        f"| floor: {n} fresh kernels doing only each notebook's imports | {course['floor']:.1f} | 1.00 × floor |",
        f"| warm compile cache | {course['warm']:.1f} | {course['warm'] / course['floor']:.2f} × floor |",
        f"| empty compile cache (first run) | {course['cold']:.1f} | {course['cold'] / course['warm']:.2f} × warm |",
    ]
    probe = course["probe"]
    parts = [
        (f"drawing figures ({probe['n_figures']})", probe["figures"]),
        ("Theano building and optimising functions", probe["optimise"]),
        ("Theano linking functions to C code", probe["link"]),
        ("the in-graph trainer's calls", probe["trainer"]),
        (f"other calls of compiled functions ({probe['n_calls']:,})", probe["calls"]),
    ]
    above = course["warm"] - course["floor"]
    lines += [
        "",
        f"| where the warm run's {above:.1f} s above the floor go (one more run, instrumented) | seconds |",
        "|---|---:|",
        *[f"| {name} | {seconds:.1f} |" for name, seconds in parts],
        f"| the rest (what is left: numpy, Python, IPython) | {above - sum(s for _, s in parts):.1f} |",
    ]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text()
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {START} ... {END} section to fill in")
    README.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", readme))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30_000, help="training steps per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement; the best counts")
    parser.add_argument("--no-readme", action="store_true", help="print only, leave README.md alone")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTEST_CURRENT_TEST", "tools/benchmark.py (call)")
    training = training_section(args.steps, args.repeats)
    work = Path(tempfile.mkdtemp(prefix="course-benchmark-"))
    try:
        course = course_section(work, args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(training, course)
    print(text)
    if not args.no_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
