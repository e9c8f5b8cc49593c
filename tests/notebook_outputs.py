"""Compare the outputs of two runs of a notebook the way nbval does (text outputs only)."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

SANITIZE_FILE = Path(__file__).with_name("sanitize.cfg")
COMPARED_MIMES = ("text/plain", "text/html", "text/latex")
IGNORE_OUTPUT_TAG = "nbval-ignore-output"  # nbval runs such cells but compares nothing


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The ``regex:``/``replace:`` pairs of tests/sanitize.cfg, as nbval reads them."""
    lines = SANITIZE_FILE.read_text().splitlines()
    pairs = []
    for first, second in zip(lines, lines[1:]):
        if first.startswith("regex: ") and second.startswith("replace: "):
            pairs.append((re.compile(first[len("regex: "):]), second[len("replace: "):]))
    return pairs


def _clean(text: str) -> str:
    for pattern, replacement in sanitizers():
        text = pattern.sub(replacement, text)
    return text


def cell_outputs(cell, drop_stderr=None) -> list[tuple]:
    """A cell's compared outputs as tuples; stderr text containing ``drop_stderr`` is left out."""
    result = []
    for out in cell.get("outputs", []):
        kind = out["output_type"]
        if kind == "stream":
            if out["name"] == "stderr" and drop_stderr and drop_stderr in out["text"]:
                continue
            if result and result[-1][:2] == (kind, out["name"]):  # nbval coalesces streams too
                result[-1] = (kind, out["name"], result[-1][2] + _clean(out["text"]))
            else:
                result.append((kind, out["name"], _clean(out["text"])))
        elif kind == "error":
            result.append((kind, out["ename"], _clean(out["evalue"])))
        else:
            data = out.get("data", {})
            result.append((kind,) + tuple(_clean(data[m]) for m in COMPARED_MIMES if m in data))
    return result


def differences(expected_path: Path, actual_path: Path, drop_stderr=None) -> list[str]:
    """Describe every code cell whose compared outputs differ between two executed copies."""
    expected = nbformat.read(expected_path, as_version=4).cells
    actual = nbformat.read(actual_path, as_version=4).cells
    problems = []
    if len(expected) != len(actual):
        return [f"{len(expected)} cells expected, {len(actual)} found"]
    for index, (e, a) in enumerate(zip(expected, actual)):
        if e.cell_type != "code" or IGNORE_OUTPUT_TAG in e.metadata.get("tags", []):
            continue
        want, got = cell_outputs(e), cell_outputs(a, drop_stderr)
        if want != got:
            problems.append(f"cell {index}:\n{e.source}\n--- expected {want!r}\n--- got {got!r}")
    return problems
