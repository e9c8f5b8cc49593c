"""Drive one notebook in JupyterLab the way a learner does, and read what it shows.

Everything goes through the page: the Edit and Run menus, the status bar, the
rendered outputs, the keyboard on a slider. The cell list is read in one
``evaluate`` call so that a long notebook is not hundreds of round trips.
"""
from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from .expectations import ERROR_TEXT

KERNEL_IDLE = "Python 3 (ipykernel) | Idle"
PROMPT_DONE = re.compile(r"^\[\d+\]:$")

# One dict per code cell of the open notebook, in order.
_READ_CELLS = """
() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell')].map(cell => {
  const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
  const ofType = type => outputs.filter(o => o.dataset.mimeType === type);
  return {
    prompt: (cell.querySelector('.jp-InputArea-prompt')?.textContent ?? '').trim(),
    images: ofType('image/png').flatMap(o => [...o.querySelectorAll('img')]).map(
      img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0),
    stderr: ofType('application/vnd.jupyter.stderr').map(o => o.textContent),
    text: outputs.map(o => o.textContent).join('\\n'),
    sliders: cell.querySelectorAll('.widget-slider .noUi-handle').length,
  };
})
"""
_READ_MARKDOWN = """
() => [...document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownCell .jp-RenderedMarkdown')]
  .map(e => e.textContent).join('\\n')
"""


@dataclass
class CodeCell:
    index: int
    prompt: str
    images: list[bool]  # one per <img> of an image/png output: loaded and non-empty
    stderr: list[str]
    text: str
    sliders: int

    @property
    def errors(self) -> list[str]:
        """Error displays (tracebacks) among the cell's stderr outputs."""
        return [s for s in self.stderr if ERROR_TEXT.search(s)]


def code_cell(page: Page, index: int):
    """Locator of the ``index``-th code cell of the open notebook."""
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-CodeCell").nth(index)


def workspace_url(server, notebook: str) -> str:
    """A fresh workspace, so JupyterLab restores no tab of an earlier page."""
    return server.url(f"lab/workspaces/{uuid.uuid4().hex}/tree/{notebook}")


def open_notebook(page: Page, server, notebook: str, timeout_ms: int) -> None:
    page.goto(workspace_url(server, notebook))
    expect(page.locator(".jp-NotebookPanel .jp-Notebook")).to_be_visible(timeout=timeout_ms)
    expect(page.locator("#jp-main-statusbar")).to_contain_text(KERNEL_IDLE, timeout=timeout_ms)


def menu(page: Page, title: str, command: str) -> None:
    """Click ``title`` in the menu bar, then the item running ``command``."""
    page.locator("#jp-MainMenu").get_by_text(title, exact=True).click()
    page.locator(f'.lm-Menu [data-command="{command}"]').click()


def read_cells(page: Page) -> list[CodeCell]:
    return [CodeCell(index=i, **c) for i, c in enumerate(page.evaluate(_READ_CELLS))]


def markdown_text(page: Page) -> str:
    return page.evaluate(_READ_MARKDOWN)


def clear_outputs(page: Page) -> None:
    """Edit > Clear Outputs of All Cells, so that what we check is this run's."""
    menu(page, "Edit", "editmenu:clear-all")
    expect(page.locator(".jp-NotebookPanel .jp-OutputArea-output")).to_have_count(0)


def kernel_status(page: Page) -> str:
    return page.locator("#jp-main-statusbar").text_content() or ""


def run_all(page: Page, expected_cells: int, timeout_s: float, settle_s: float = 3) -> list[CodeCell]:
    """Run > Run All Cells, then wait until the run is over; returns the cells.

    Over means: no prompt shows ``[*]:`` and every prompt shows ``[n]:``; or no
    prompt shows ``[*]:`` and the kernel has stayed idle for ``settle_s`` (a cell
    failed and the kernel skipped the rest: the caller reports the cells that
    never ran). Prompts alone are not enough: after a cell tagged
    ``raises-exception`` fails, JupyterLab resets the queued prompts to ``[ ]:``
    although the kernel goes on running them.
    Raises TimeoutError naming the cell still running after ``timeout_s``.
    """
    menu(page, "Run", "runmenu:run-all")
    deadline = time.monotonic() + timeout_s
    settled_since = None
    started = False  # a prompt showed [*]: or [n]: (the click has taken effect)
    while True:
        cells = read_cells(page)
        prompts = [c.prompt for c in cells]
        if len(cells) == expected_cells and all(PROMPT_DONE.match(p) for p in prompts):
            return cells
        started = started or any(p == "[*]:" or PROMPT_DONE.match(p) for p in prompts)
        if started and "[*]:" not in prompts and KERNEL_IDLE in kernel_status(page):
            settled_since = settled_since or time.monotonic()
            if time.monotonic() - settled_since > settle_s:
                return cells
        else:
            settled_since = None
        if time.monotonic() > deadline:
            running = [c for c in cells if c.prompt == "[*]:"]
            where = f"code cell {running[0].index}" if running else "no cell"
            raise TimeoutError(
                f"Run All still not finished after {timeout_s:.0f} s ({where} shows [*]:)"
            )
        time.sleep(0.5)


def move_slider(page: Page, cell_index: int, key: str, timeout_ms: int) -> tuple[str, str]:
    """Focus the first slider of a code cell, press ``key``, wait for the figure to change.

    Returns (readout before, readout after). Raises AssertionError if the slider's
    readout or the figure's ``<img src>`` does not change within ``timeout_ms``.
    """
    cell = code_cell(page, cell_index)
    handle = cell.locator(".widget-slider .noUi-handle").first
    readout = cell.locator(".widget-slider .widget-readout").first
    image = cell.locator('.jp-OutputArea-output[data-mime-type="image/png"] img').first
    handle.scroll_into_view_if_needed()
    expect(image).to_have_attribute("src", re.compile(r"^data:image/png"))
    before_src = image.get_attribute("src")
    before_value = readout.text_content().strip()
    handle.focus()
    expect(handle).to_be_focused()
    page.keyboard.press(key)
    expect(readout).not_to_have_text(before_value, timeout=timeout_ms)
    after_value = readout.text_content().strip()
    deadline = time.monotonic() + timeout_ms / 1000
    while image.get_attribute("src") == before_src:  # never print a data URI in a message
        if time.monotonic() > deadline:
            raise AssertionError(
                f"code cell {cell_index}: after {key} the slider reads {after_value} "
                f"(was {before_value}) but the figure's <img src> did not change "
                f"within {timeout_ms / 1000:.0f} s"
            )
        time.sleep(0.1)
    expect(image).to_have_attribute("src", re.compile(r"^data:image/png"))
    return before_value, after_value
