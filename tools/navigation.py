"""Write the navigation links of the course notebooks (``make navigation``).

Every notebook ``notebooks/NN-*.ipynb`` starts with a markdown cell that begins with
``<!-- nav:header -->`` and ends with one that begins with ``<!-- nav:footer -->``.
This script fills those two cells, and touches nothing else:

* header: a link back to the start page ``00-Start-Here.ipynb`` and the chapter
  number (the start page itself gets no back link);
* footer: previous / contents / next links, with each notebook's title read from
  its H1 (``# ...``) heading.

    python tools/navigation.py            # rewrite the cells that are out of date
    python tools/navigation.py --check    # change nothing; exit 1 naming stale notebooks
    python tools/navigation.py --notebooks some/folder
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
START = "00-Start-Here.ipynb"
HEADER = "<!-- nav:header -->"
FOOTER = "<!-- nav:footer -->"
COURSE = "Neural networks from tensors to neurons, with Theano"
PATTERN = "[0-9][0-9]-*.ipynb"


class NavigationError(ValueError):
    """A notebook lacks the header or footer cell this script fills."""


class Entry(NamedTuple):
    """One notebook of the course: its file, its number (``NN``) and its H1 title."""

    path: Path
    number: int
    title: str


def course_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The course notebooks in ``folder``, in reading order (names start with their number)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"notebook folder {folder} does not exist")
    return sorted(folder.glob(PATTERN))


def _is_nav(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith((HEADER, FOOTER))


def notebook_title(nb, path: Path) -> str:
    """The text of the notebook's first H1 (``# Title``); the file name's words if it has none."""
    for cell in nb.cells:
        if cell.cell_type != "markdown" or _is_nav(cell):
            continue
        for line in cell.source.splitlines():
            match = re.match(r"#\s+(.+?)\s*#*\s*$", line)
            if match:
                return match.group(1)
    words = Path(path).stem.split("-")[1:]
    return " ".join(words).capitalize() if words else Path(path).stem


def nav_cells(nb, path: Path):
    """The header cell (first markdown cell) and footer cell (last markdown cell) of ``nb``.

    Raises NavigationError naming the notebook if either does not start with its marker.
    """
    markdown = [cell for cell in nb.cells if cell.cell_type == "markdown"]
    if not markdown or not markdown[0].source.lstrip().startswith(HEADER):
        raise NavigationError(
            f"{path}: the first markdown cell must start with {HEADER} (add a markdown cell "
            f"containing just {HEADER} at the top)"
        )
    if len(markdown) < 2 or not markdown[-1].source.lstrip().startswith(FOOTER):
        raise NavigationError(
            f"{path}: the last markdown cell must start with {FOOTER} (add a markdown cell "
            f"containing just {FOOTER} at the end)"
        )
    return markdown[0], markdown[-1]


def _link(entry: Entry) -> str:
    text = f"{entry.number:02d} · {entry.title}".replace("[", r"\[").replace("]", r"\]")
    return f"[{text}]({entry.path.name})"


def header_source(entry: Entry, chapters: int) -> str:
    """The header cell of ``entry``: back to the start page and the chapter number."""
    if not isinstance(chapters, int) or chapters < 0:
        raise ValueError(f"chapters must be a count >= 0, got {chapters!r}")
    if entry.path.name == START:
        line = f"**{COURSE}** · start page · {chapters} chapters"
    else:
        line = f"[⌂ Start page]({START}) · *{COURSE}* · chapter {entry.number} of {chapters}"
    return f"{HEADER}\n{line}"


def footer_source(index: int, entries: list[Entry]) -> str:
    """The footer cell of ``entries[index]``: previous / contents / next links."""
    if not 0 <= index < len(entries):
        raise IndexError(f"index must be in 0..{len(entries) - 1}, got {index}")
    entry = entries[index]
    previous = entries[index - 1] if index > 0 else None
    following = entries[index + 1] if index + 1 < len(entries) else None
    parts = []
    if previous is not None and previous.path.name != START:
        parts.append(f"← Previous: {_link(previous)}")
    if entry.path.name != START:
        parts.append(f"[Contents]({START})")
    if following is not None:
        parts.append(f"Next: {_link(following)} →")
    elif entry.path.name != START:
        parts.append("end of the course")
    return f"{FOOTER}\n---\n\n" + " · ".join(parts)


def course_entries(paths: list[Path]) -> tuple[list[Entry], dict[Path, object]]:
    """Read ``paths``; return their entries (number, title) and the notebooks themselves."""
    entries, notebooks = [], {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        notebooks[path] = nb
        entries.append(Entry(path, int(path.name[:2]), notebook_title(nb, path)))
    return entries, notebooks


def update(folder: Path = NOTEBOOKS, check: bool = False) -> list[Path]:
    """Bring the navigation cells of every notebook in ``folder`` up to date.

    Returns the notebooks whose navigation was stale (rewritten, unless ``check``).
    Raises NavigationError (naming every faulty notebook) before writing anything if
    a notebook lacks its header or footer cell.
    """
    entries, notebooks = course_entries(course_notebooks(folder))
    # the last chapter's number (not a count, so a missing notebook does not shift it)
    chapters = max((entry.number for entry in entries if entry.path.name != START), default=0)
    cells, errors = {}, []
    for entry in entries:
        try:
            cells[entry.path] = nav_cells(notebooks[entry.path], entry.path)
        except NavigationError as error:
            errors.append(str(error))
    if errors:
        raise NavigationError("\n".join(errors))
    stale = []
    for index, entry in enumerate(entries):
        header, footer = cells[entry.path]
        wanted = (header_source(entry, chapters), footer_source(index, entries))
        if (header.source, footer.source) == wanted:
            continue
        stale.append(entry.path)
        if not check:
            header.source, footer.source = wanted
            nbformat.write(notebooks[entry.path], entry.path)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if any notebook is stale")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="notebook folder (default: notebooks/)")
    args = parser.parse_args(argv)
    folder = args.notebooks.resolve()
    try:
        paths = course_notebooks(folder)
        stale = update(folder, check=args.check)
    except (NavigationError, NotADirectoryError) as error:
        print(error, file=sys.stderr)
        return 2
    if not (folder / START).exists():
        print(f"note: {folder / START} does not exist yet; the links to it are dead until it is written",
              file=sys.stderr)
    if args.check:
        if stale:
            print("navigation is stale in:", *[f"  {path.name}" for path in stale],
                  "run: python tools/navigation.py (or make navigation)", sep="\n", file=sys.stderr)
            return 1
        print(f"navigation is up to date in {len(paths)} notebooks")
        return 0
    for path in stale:
        print(f"updated {path.name}")
    print(f"navigation is up to date in {len(paths)} notebooks ({len(stale)} updated)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
