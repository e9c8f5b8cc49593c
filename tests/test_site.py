"""The static HTML site (tools/build_site.py, `make site`).

The real notebooks are built into a temporary folder and every page is checked
against its notebook; link rewriting and "never execute" are tested on small
notebooks made for the purpose.
"""
from __future__ import annotations

import html
import importlib.util
import re
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
build_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_site)

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(|<img\b")


def png_outputs(nb) -> int:
    return sum(
        "image/png" in output.get("data", {})
        for cell in nb.cells if cell.cell_type == "code"
        for output in cell.outputs
    )


def markdown_images(nb) -> int:
    return sum(len(MARKDOWN_IMAGE.findall(cell.source)) for cell in nb.cells if cell.cell_type == "markdown")


def index_links(index_html: str) -> list[str]:
    return re.findall(r'<li><a href="([^"]+)">', index_html)


@pytest.fixture()
def out():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name) / "site"


def test_site_of_the_real_notebooks(out):
    notebooks = build_site.course_notebooks(build_site.NOTEBOOKS)
    if not notebooks:
        pytest.skip("no notebooks yet")
    assert build_site.main(["--out", str(out)]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index_links(index) == [path.with_suffix(".html").name for path in notebooks]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        page = (out / path.with_suffix(".html").name).read_text(encoding="utf-8")
        title = build_site.course_entries([path])[0][0].title
        assert f"{html.escape(title)}</a></li>" in index, title
        images = page.count("<img")
        assert images == png_outputs(nb) + markdown_images(nb), path.name
        assert page.count('src="data:image/png;base64,') >= png_outputs(nb), path.name
        # links between notebooks point at pages
        assert not re.search(r'href="[0-9][0-9]-[^"]*\.ipynb', page), path.name
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["index.html"] + [path.with_suffix(".html").name for path in notebooks]
    )


def write_course(folder: Path) -> None:
    """Two tiny notebooks whose stored outputs differ from what running them would give."""
    first = new_notebook(cells=[
        new_markdown_cell("<!-- nav:header -->"),
        new_markdown_cell("# Start & go\n\nNext: [the second](01-Second.ipynb#part-2), "
                          "[elsewhere](https://example.org/01-Second.ipynb), [notes](notes.ipynb)."),
        new_markdown_cell("<!-- nav:footer -->"),
    ])
    code = new_code_cell("1 / 0", execution_count=1)
    code.outputs = [
        new_output("execute_result", data={"text/plain": "'stored result 42'"}, execution_count=1),
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
    ]
    second = new_notebook(cells=[
        new_markdown_cell("<!-- nav:header -->\n[⌂ Start page](00-Start.ipynb)"),
        new_markdown_cell("# Second <chapter>"),
        code,
        new_markdown_cell("<!-- nav:footer -->"),
    ])
    nbformat.write(first, folder / "00-Start.ipynb")
    nbformat.write(second, folder / "01-Second.ipynb")


def test_stored_outputs_are_rendered_not_recomputed(out):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_course(folder)
        pages = build_site.build(out, folder)
        assert sorted(folder.iterdir()) == [folder / "00-Start.ipynb", folder / "01-Second.ipynb"]
    assert [page.name for page in pages] == ["00-Start.html", "01-Second.html"]
    second = (out / "01-Second.html").read_text(encoding="utf-8")
    assert "stored result 42" in second
    assert "ZeroDivisionError" not in second
    assert second.count("<img") == 1 and f'src="data:image/png;base64,{PNG}"' in second
    assert "<title>Second &lt;chapter&gt;</title>" in second


def test_links_between_notebooks_become_links_between_pages(out):
    with tempfile.TemporaryDirectory() as name:
        write_course(Path(name))
        build_site.build(out, Path(name))
    first = (out / "00-Start.html").read_text(encoding="utf-8")
    assert 'href="01-Second.html#part-2"' in first
    assert 'href="https://example.org/01-Second.ipynb"' in first  # not a course notebook
    assert 'href="notes.ipynb"' in first  # not a course notebook either
    assert 'href="00-Start.html"' in (out / "01-Second.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index_links(index) == ["00-Start.html", "01-Second.html"]
    assert "Start &amp; go" in index and "Second &lt;chapter&gt;" in index


def test_pages_of_removed_notebooks_are_deleted(out):
    out.mkdir(parents=True)
    (out / "07-Gone.html").write_text("old", encoding="utf-8")
    (out / "README.txt").write_text("not ours", encoding="utf-8")
    with tempfile.TemporaryDirectory() as name:
        write_course(Path(name))
        build_site.build(out, Path(name))
    assert sorted(p.name for p in out.iterdir()) == ["00-Start.html", "01-Second.html", "README.txt", "index.html"]


def test_rewrite_notebook_links():
    rewrite = build_site.rewrite_notebook_links
    assert rewrite('<a href="03-Differentiate-With-Theano.ipynb">') == '<a href="03-Differentiate-With-Theano.html">'
    assert rewrite("<a href='04-A.ipynb#sec'>") == "<a href='04-A.html#sec'>"
    unchanged = '<a href="../README.ipynb"> <a href="http://x/05-B.ipynb"> <a href="05-B.ipynbx">'
    assert rewrite(unchanged) == unchanged
    with pytest.raises(TypeError, match="page must be"):
        rewrite(b"<a>")


def test_empty_folder_is_an_error(out, capsys):
    with tempfile.TemporaryDirectory() as name:
        assert build_site.main(["--out", str(out), "--notebooks", name]) == 2
    assert "no course notebooks" in capsys.readouterr().err
    assert not out.exists()
