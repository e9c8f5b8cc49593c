"""Committed notebooks are valid, executed top to bottom in one run, and safe to compare strictly."""
from __future__ import annotations

import re

import nbformat
import pytest

from conftest import NOTEBOOKS

ADDRESS = re.compile(r"at 0x[0-9a-fA-F]{6,}")

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def output_texts(cell):
    for out in cell.outputs:
        if out.output_type == "stream":
            yield out.text
        for value in out.get("data", {}).values():
            if isinstance(value, str):
                yield value


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_nbformat_and_python3_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_in_one_run_top_to_bottom(path):
    counts = [c.execution_count for c in code_cells(path)]
    assert counts, "a notebook without code cells checks nothing"
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts}: regenerate outputs with `make outputs`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_error_outputs_except_tagged_cells(path):
    for cell in code_cells(path):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        if tagged:
            assert errors, f"cell tagged raises-exception does not raise:\n{cell.source}"
        else:
            assert not errors, f"unexpected error in cell:\n{cell.source}"
        stderr = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not any("Traceback" in text or "WARNING" in text for text in stderr), stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_memory_addresses_or_trailing_semicolons(path):
    for cell in code_cells(path):
        for text in output_texts(cell):
            assert not ADDRESS.search(text), f"object repr with an address in output of:\n{cell.source}"
        last = cell.source.rstrip().splitlines()[-1] if cell.source.strip() else ""
        assert not last.rstrip().endswith(";"), (
            f"trailing ';' (nbval does not honour it; end plot cells with plt.show()):\n{cell.source}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_only_timing_cells_are_left_out_of_the_comparison(path):
    # nbval runs a cell tagged nbval-ignore-output but compares none of its output:
    # that is for timings (nbhelpers.timing), never a way to hide a changed result.
    for cell in code_cells(path):
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            assert "time_per_step(" in cell.source, f"untimed cell left out of nbval:\n{cell.source}"
            assert cell.outputs, "a timing cell should store what it printed"
        else:
            assert "time_per_step(" not in cell.source, f"timing cell compared by nbval:\n{cell.source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_imports_nbhelpers_before_theano(path):
    source = "\n".join(c.source for c in code_cells(path))
    if "theano" in source:
        assert "import nbhelpers" in source
        assert source.index("import nbhelpers") < source.index("import theano")


LINK = re.compile(r"\]\(((?:notebooks/)?[0-9][0-9]-[^)#\s]+\.ipynb)")


def test_links_to_notebooks_point_to_notebooks_that_exist():
    from conftest import ROOT

    sources = {"README.md": (ROOT / "README.md").read_text()}
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        sources[path.name] = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    names = {p.name for p in NOTEBOOKS}
    dead = [(where, target) for where, text in sources.items()
            for target in LINK.findall(text) if target.split("/")[-1] not in names]
    assert dead == []
