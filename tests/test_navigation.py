"""Navigation cells of the notebooks (tools/navigation.py, `make navigation`).

The real notebooks must be up to date (`--check`); the generation itself is tested on
small notebooks made in a temporary folder.
"""
from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("navigation", ROOT / "tools" / "navigation.py")
navigation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(navigation)

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
TITLES = {
    "00-Start-Here.ipynb": "Start here",
    "01-Represent-Data.ipynb": "Represent data as tensors",
    "02-Compute-With-A-Neuron.ipynb": "Compute with a neuron",
    "03-Train-It.ipynb": "Train a neuron [to compute AND]",
}


def make_notebook(title: str | None) -> nbformat.NotebookNode:
    code = new_code_cell("print(1)\n2", execution_count=1)
    code.outputs = [
        new_output("stream", name="stdout", text="1\n"),
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"}),
        new_output("execute_result", data={"text/plain": "2"}, execution_count=1),
    ]
    cells = [new_markdown_cell(navigation.HEADER)]
    if title is not None:
        cells.append(new_markdown_cell(f"# {title}\n\n## What you will learn\n\n- things"))
    cells += [code, new_markdown_cell("## Summary\n\n- done"), new_markdown_cell(navigation.FOOTER)]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return nb


@pytest.fixture()
def folder():
    """A temporary notebook folder (removed afterwards) holding the notebooks of TITLES."""
    with tempfile.TemporaryDirectory() as name:
        path = Path(name)
        for filename, title in TITLES.items():
            nbformat.write(make_notebook(title), path / filename)
        yield path


def cell_sources(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells]


def test_real_notebooks_are_up_to_date(capsys):
    status = navigation.main(["--check"])
    assert status == 0, capsys.readouterr().err


def test_headers_link_back_to_the_start_page_with_the_chapter_number(folder):
    navigation.update(folder)
    header = cell_sources(folder / "02-Compute-With-A-Neuron.ipynb")[0]
    assert header.startswith(navigation.HEADER + "\n")
    assert "[⌂ Start page](00-Start-Here.ipynb)" in header
    assert "chapter 2 of 3" in header
    start_header = cell_sources(folder / "00-Start-Here.ipynb")[0]
    assert start_header.startswith(navigation.HEADER)
    assert "](" not in start_header  # the start page has no back link
    assert "3 chapters" in start_header


def test_footers_link_previous_contents_next_with_titles(folder):
    navigation.update(folder)
    footers = {name: cell_sources(folder / name)[-1] for name in TITLES}
    assert all(footer.startswith(navigation.FOOTER + "\n") for footer in footers.values())
    middle = footers["02-Compute-With-A-Neuron.ipynb"]
    assert "← Previous: [01 · Represent data as tensors](01-Represent-Data.ipynb)" in middle
    assert "[Contents](00-Start-Here.ipynb)" in middle
    assert r"Next: [03 · Train a neuron \[to compute AND\]](03-Train-It.ipynb) →" in middle
    first = footers["01-Represent-Data.ipynb"]
    assert "Previous" not in first and "[Contents](00-Start-Here.ipynb)" in first
    assert "Next: [02 · Compute with a neuron](02-Compute-With-A-Neuron.ipynb)" in first
    last = footers["03-Train-It.ipynb"]
    assert "Next" not in last and "end of the course" in last
    assert "← Previous: [02 · Compute with a neuron](02-Compute-With-A-Neuron.ipynb)" in last
    start = footers["00-Start-Here.ipynb"]
    assert "Next: [01 · Represent data as tensors](01-Represent-Data.ipynb) →" in start
    assert "Contents" not in start and "Previous" not in start


def test_only_the_two_navigation_cells_change(folder):
    path = folder / "02-Compute-With-A-Neuron.ipynb"
    before = json.loads(path.read_text(encoding="utf-8"))
    navigation.update(folder)
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["metadata"] == before["metadata"]
    changed = [i for i, (a, b) in enumerate(zip(before["cells"], after["cells"])) if a != b]
    assert changed == [0, len(before["cells"]) - 1]
    for a, b in zip(before["cells"][1:-1], after["cells"][1:-1]):
        assert a == b  # outputs, ids, metadata: all as they were
    assert [c["id"] for c in after["cells"]] == [c["id"] for c in before["cells"]]


def test_second_run_changes_nothing(folder):
    assert len(navigation.update(folder)) == len(TITLES)
    contents = {path: path.read_bytes() for path in folder.iterdir()}
    assert navigation.update(folder) == []
    assert {path: path.read_bytes() for path in folder.iterdir()} == contents


def test_check_names_stale_notebooks_and_writes_nothing(folder, capsys):
    navigation.update(folder)
    stale = folder / "03-Train-It.ipynb"
    nb = nbformat.read(stale, as_version=4)
    nb.cells[1].source = "# Train a neuron to compute OR"  # its title changed, so 02's footer is stale
    nbformat.write(nb, stale)
    contents = {path: path.read_bytes() for path in folder.iterdir()}
    assert navigation.main(["--check", "--notebooks", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "02-Compute-With-A-Neuron.ipynb" in err
    assert "03-Train-It.ipynb" not in err and "01-Represent-Data.ipynb" not in err
    assert {path: path.read_bytes() for path in folder.iterdir()} == contents
    assert navigation.main(["--notebooks", str(folder)]) == 0
    assert "[03 · Train a neuron to compute OR]" in cell_sources(folder / "02-Compute-With-A-Neuron.ipynb")[-1]
    assert navigation.main(["--check", "--notebooks", str(folder)]) == 0


def test_works_without_the_start_page(folder, capsys):
    (folder / "00-Start-Here.ipynb").unlink()
    assert navigation.main(["--notebooks", str(folder)]) == 0
    assert "00-Start-Here.ipynb does not exist yet" in capsys.readouterr().err
    assert "chapter 1 of 3" in cell_sources(folder / "01-Represent-Data.ipynb")[0]
    first_footer = cell_sources(folder / "01-Represent-Data.ipynb")[-1]
    assert "Previous" not in first_footer and "[Contents](00-Start-Here.ipynb)" in first_footer


def test_missing_marker_is_an_error_and_nothing_is_written(folder, capsys):
    broken = folder / "02-Compute-With-A-Neuron.ipynb"
    nb = nbformat.read(broken, as_version=4)
    nb.cells = nb.cells[:-1]  # no footer cell
    nbformat.write(nb, broken)
    contents = {path: path.read_bytes() for path in folder.iterdir()}
    with pytest.raises(navigation.NavigationError, match="02-Compute-With-A-Neuron.ipynb.*nav:footer"):
        navigation.update(folder)
    assert navigation.main(["--notebooks", str(folder)]) == 2
    assert "nav:footer" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in folder.iterdir()} == contents


def test_title_falls_back_to_the_file_name():
    nb = make_notebook(None)
    assert navigation.notebook_title(nb, Path("05-Train-Boolean-Neurons.ipynb")) == "Train boolean neurons"
    nb.cells.insert(2, new_markdown_cell("Some text\n\n#   Build small networks  \n"))
    assert navigation.notebook_title(nb, Path("06-X.ipynb")) == "Build small networks"


def test_bad_arguments_are_refused():
    entry = navigation.Entry(Path("01-A.ipynb"), 1, "A")
    with pytest.raises(ValueError, match="chapters"):
        navigation.header_source(entry, -1)
    with pytest.raises(IndexError, match="index"):
        navigation.footer_source(3, [entry])
    with pytest.raises(NotADirectoryError, match="does not exist"):
        navigation.course_notebooks(Path("/nonexistent/notebooks"))
