"""What a notebook must show in the browser, read from its committed JSON.

Nothing here is a hand-written list: the committed notebook (whose outputs
``tools/execute_notebooks.py`` stored and nbval checks) says how many code cells
there are, which of them show figures, which fail on purpose, and which short
printed lines identify its results. A notebook that changes changes its
expectations with it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

# Lines that differ between runs (see tests/sanitize.cfg), or that the page shows
# differently (ANSI colour codes, carriage returns), are never key texts.
VOLATILE = re.compile(r"0x[0-9a-fA-F]{6,}|/tmp/|\d+(\.\d+)?\s*(s|ms|µs|us)\b|<.* at .*>|\x1b|\r")
# IPython's error display: a traceback, or for syntax errors "Cell In[n], line k".
ERROR_TEXT = re.compile(
    r"Traceback \(most recent call last\)|^\s*Cell In\s*\[\d+\], line \d+|^\w*(Error|Exception)\b",
    re.M,
)
KEY_TEXTS = 6  # how many key texts to check per notebook
KEY_MIN_CHARS, KEY_MAX_CHARS = 6, 100
SLIDER_CALL = "interactive_figure("
RAISES_TAGS = {"raises-exception"}
UNCOMPARED_TAG = "nbval-ignore-output"  # output differs from run to run (timings)


def normalise(text: str) -> str:
    """Text reduced to words, for comparing a source line with rendered HTML.

    Rendering drops Markdown markup, adds heading anchors (``¶``) and may wrap or
    re-space text, so only runs of letters, digits, dots and minus signs count.
    """
    return " ".join(re.findall(r"[\w.+-]+", text)).lower()


@dataclass
class CellFacts:
    index: int  # position among the code cells
    source: str
    figures: int  # image/png outputs stored
    errors: list[str]  # ename of every stored error output
    raises: bool  # tagged to fail on purpose
    error_like_stderr: bool  # a stored stderr stream that looks like a traceback

    @property
    def first_line(self) -> str:
        return (self.source.strip().splitlines() or [""])[0][:80]


@dataclass
class NotebookFacts:
    path: Path
    cells: list[CellFacts]
    title: str | None = None  # the H1 title, when plain enough to find on the page
    key_texts: list[str] = field(default_factory=list)  # printed lines to find

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def figures(self) -> int:
        return sum(c.figures for c in self.cells)

    @property
    def slider_cells(self) -> list[CellFacts]:
        return [c for c in self.cells if SLIDER_CALL in c.source]


def _output_lines(cell) -> list[str]:
    """Printed lines (stdout) and result lines (text/plain) of a code cell."""
    lines = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream" and out.name == "stdout":
            lines += out.text.splitlines()
        elif out.output_type == "execute_result":
            text = out.get("data", {}).get("text/plain", "")
            lines += text.splitlines() if isinstance(text, str) else []
    return lines


def title(nb) -> str | None:
    """The notebook's H1 title, if it is plain enough to find on the page."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                text = match.group(1).strip()
                return None if "](" in text or "<" in text else text
    return None


def key_texts(nb, count: int = KEY_TEXTS) -> list[str]:
    """A few lines that identify this notebook's results, spread over the notebook.

    Candidates are the short, stable printed lines of the committed notebook (not
    those of cells whose output nbval ignores), each kept once and only if it
    appears once (a line printed by several cells does not identify one).
    """
    seen: dict[str, int] = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or UNCOMPARED_TAG in cell.metadata.get("tags", []):
            continue
        for line in _output_lines(cell):
            line = line.strip()
            words = normalise(line)
            if KEY_MIN_CHARS <= len(words.replace(" ", "")) and len(line) <= KEY_MAX_CHARS \
                    and not VOLATILE.search(line):
                seen[line] = seen.get(line, 0) + 1
    unique = [line for line, times in seen.items() if times == 1]
    if len(unique) > count:  # evenly spread, first and last included
        step = (len(unique) - 1) / (count - 1)
        unique = [unique[round(i * step)] for i in range(count)]
    return unique


def read(path: Path) -> NotebookFacts:
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        cells.append(CellFacts(
            index=len(cells),
            source=cell.source,
            figures=sum(1 for o in outputs if "image/png" in o.get("data", {})),
            errors=[o.ename for o in outputs if o.output_type == "error"],
            raises=bool(RAISES_TAGS & set(cell.metadata.get("tags", []))),
            error_like_stderr=any(
                o.output_type == "stream" and o.name == "stderr" and ERROR_TEXT.search(o.text)
                for o in outputs
            ),
        ))
    return NotebookFacts(path=Path(path), cells=cells, title=title(nb), key_texts=key_texts(nb))
