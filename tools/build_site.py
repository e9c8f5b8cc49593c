"""Render the executed course notebooks to a static HTML site (``make site``).

The notebooks are committed with their outputs, so this only converts them (nbconvert's
HTMLExporter, figures embedded as data URIs): nothing is executed and no network is
needed to build. Links between notebooks (``NN-....ipynb``) become links between
pages (``NN-....html``), and ``index.html`` lists every notebook in reading order
with its title.

    python tools/build_site.py                 # into _site/
    python tools/build_site.py --out /tmp/site

The pages load MathJax and require.js from a CDN when opened in a browser (nbconvert's
default template); without network the text, code and figures still show.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from navigation import COURSE, NOTEBOOKS, ROOT, course_entries, course_notebooks  # noqa: E402

SITE = ROOT / "_site"
_NOTEBOOK_LINK = re.compile(r'(href\s*=\s*["\'])([0-9][0-9]-[^"\'#?/]*)\.ipynb(?=[#?"\'])')


def page_name(notebook: Path) -> str:
    """``03-Differentiate-With-Theano.ipynb`` -> ``03-Differentiate-With-Theano.html``."""
    return Path(notebook).with_suffix(".html").name


def rewrite_notebook_links(page: str) -> str:
    """Turn links to course notebooks (``href="NN-....ipynb"``, with or without ``#anchor``) into ``.html`` links."""
    if not isinstance(page, str):
        raise TypeError(f"page must be the HTML text (str), got {type(page).__name__}")
    return _NOTEBOOK_LINK.sub(r"\1\2.html", page)


def render_notebook(path: Path, title: str, exporter: HTMLExporter | None = None) -> str:
    """The HTML page of one notebook, as stored (outputs included, nothing executed)."""
    exporter = HTMLExporter(embed_images=True) if exporter is None else exporter
    nb = nbformat.read(path, as_version=4)
    resources = {"metadata": {"name": title, "path": str(Path(path).parent)}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return rewrite_notebook_links(body)


def index_page(entries) -> str:
    """``index.html``: the course title and one link per notebook, in reading order."""
    items = []
    for entry in entries:
        items.append(
            f'  <li><a href="{html.escape(page_name(entry.path))}">'
            f"<span class=\"number\">{entry.number:02d}</span> {html.escape(entry.title)}</a></li>"
        )
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(COURSE)}</title>",
        "<style>",
        "body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem;"
        " line-height: 1.5; color: #1b1b1b; }",
        "ol { list-style: none; padding: 0; } li { margin: 0.6rem 0; font-size: 1.15rem; }",
        ".number { display: inline-block; min-width: 2.5rem; color: #666; font-variant-numeric: tabular-nums; }",
        "a { color: #1f5fa8; text-decoration: none; } a:hover { text-decoration: underline; }",
        "</style>",
        "</head>",
        "<body>",
        f"<h1>{html.escape(COURSE)}</h1>",
        "<p>The course notebooks, executed, as static pages. To run and change them, open the "
        "course in JupyterLab (<code>make lab</code>).</p>",
        '<ol class="chapters">',
        *items,
        "</ol>",
        "</body>",
        "</html>",
        "",
    ])


def build(out: Path = SITE, folder: Path = NOTEBOOKS) -> list[Path]:
    """Write one page per notebook of ``folder`` and ``index.html`` into ``out``; return the pages."""
    out = Path(out)
    paths = course_notebooks(folder)
    if not paths:
        raise FileNotFoundError(f"no course notebooks (NN-*.ipynb) in {folder}")
    entries, _ = course_entries(paths)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("[0-9][0-9]-*.html"):  # pages of notebooks renamed or removed since
        old.unlink()
    exporter = HTMLExporter(embed_images=True)
    pages = []
    for entry in entries:
        page = out / page_name(entry.path)
        page.write_text(render_notebook(entry.path, entry.title, exporter), encoding="utf-8")
        pages.append(page)
    (out / "index.html").write_text(index_page(entries), encoding="utf-8")
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SITE, help="output folder (default: _site/)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="notebook folder (default: notebooks/)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        pages = build(args.out, args.notebooks)
    except (FileNotFoundError, NotADirectoryError) as error:
        print(error, file=sys.stderr)
        return 2
    print(f"wrote {len(pages)} pages and index.html to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
