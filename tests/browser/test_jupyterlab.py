"""Every course notebook runs cleanly in JupyterLab, in a real (headless) browser.

For each ``notebooks/NN-*.ipynb`` that exists when the tests are collected: open
it in JupyterLab, clear its outputs, Run > Run All Cells, then compare what the
page shows with what the committed notebook stored: every cell ran, errors only
where the notebook fails on purpose, every stored figure rendered as an image,
the title and a few printed lines present. Notebooks that call
``nbhelpers.interactive_figure`` also get their sliders moved with the keyboard.
What is expected comes from the committed JSON (see expectations.py).

Run: ``make test-browser`` (needs /usr/bin/chromium: ``apt-get install chromium``).
"""
from __future__ import annotations

import time

import pytest

from . import expectations, lab_page, procs, scratch
from .settings import EXPECT_TIMEOUT, RUN_TIMEOUT, STARTUP_TIMEOUT, course_notebooks

pytestmark = pytest.mark.browser

NOTEBOOKS = course_notebooks()  # whatever exists at collection time


def problems_in_run(facts: expectations.NotebookFacts, cells, markdown: str) -> list[str]:
    """Differences between the page after Run All and the committed notebook."""
    problems = []
    if len(cells) != len(facts.cells):
        problems.append(f"the page shows {len(cells)} code cells, the notebook has {len(facts.cells)}")
    all_ran = True
    for want, got in zip(facts.cells, cells):
        where = f"code cell {want.index} ({want.first_line!r})"
        if not lab_page.PROMPT_DONE.match(got.prompt):
            problems.append(f"{where} did not run: its prompt is {got.prompt!r}")
            all_ran = False
            continue  # its outputs say nothing
        shown = got.errors
        if shown and not want.errors and not want.error_like_stderr:
            problems.append(f"{where} raised an error:\n{shown[-1].strip()[-1500:]}")
        for ename in want.errors:
            if not any(ename in text for text in shown):
                problems.append(f"{where} should fail with {ename} (stored output) but shows no such error")
        if len(got.images) != want.figures:
            problems.append(f"{where} shows {len(got.images)} figures, the notebook stores {want.figures}")
        if not all(got.images):
            problems.append(f"{where}: a figure <img> did not load (empty image)")
    outputs = expectations.normalise("\n".join(c.text for c in cells))
    for text in facts.key_texts if all_ran else []:
        if expectations.normalise(text) not in outputs:
            problems.append(f"printed line missing from the outputs: {text!r}")
    if facts.title and expectations.normalise(facts.title) not in expectations.normalise(markdown):
        problems.append(f"title not rendered: {facts.title!r}")
    return problems


def check_sliders(page, cell_index: int) -> list[str]:
    """Move the first slider of a cell twice with the keyboard; the figure must follow."""
    moves = []
    handle = lab_page.code_cell(page, cell_index).locator(".widget-slider .noUi-handle").first
    for key in ("ArrowRight", "End"):
        value, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        if value >= top:  # the slider starts (or got) at its maximum: move it the other way
            key = {"ArrowRight": "ArrowLeft", "End": "Home"}[key]
        before, after = lab_page.move_slider(page, cell_index, key, int(EXPECT_TIMEOUT * 1000))
        moves.append(f"{key}: {before} -> {after}")
    return moves


def run_notebook(page, server, notebook: str, expected_cells: int):
    lab_page.open_notebook(page, server, notebook, int(STARTUP_TIMEOUT * 1000))
    server.kernel_processes()
    lab_page.clear_outputs(page)
    cells = lab_page.run_all(page, expected_cells, RUN_TIMEOUT)
    server.kernel_processes()
    return cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab(path, page, lab_server):
    facts = expectations.read(path)
    cells = run_notebook(page, lab_server, path.name, len(facts.cells))
    problems = problems_in_run(facts, cells, lab_page.markdown_text(page))
    if problems:
        pytest.fail(f"{path.name} in JupyterLab:\n- " + "\n- ".join(problems))

    for cell in facts.slider_cells:
        assert cells[cell.index].sliders, (
            f"{path.name}: code cell {cell.index} calls interactive_figure but shows no slider"
        )
        check_sliders(page, cell.index)
        after = lab_page.read_cells(page)[cell.index]
        assert len(after.images) == cell.figures, "the slider added a figure instead of redrawing"


def test_slider_redraws_figure(page, lab_server):
    """interactive_figure on its own (scratch notebook): keyboard on the slider redraws the PNG."""
    name = scratch.write(lab_server.root)
    cells = run_notebook(page, lab_server, name, expected_cells=1)
    assert cells[0].errors == [], cells[0].errors
    assert cells[0].images == [True], "the initial figure was not rendered"
    assert cells[0].sliders == 1, "the slider was not rendered"
    moves = check_sliders(page, 0)
    assert moves == ["ArrowRight: 4.00 -> 4.50", "End: 4.50 -> 9.00"], moves
    assert lab_page.read_cells(page)[0].images == [True], "redraw must replace the figure in place"


def test_teardown_leaves_no_processes(lab_server, browser_session):
    """Stopping the session's server and browser leaves no server, kernel or browser process.

    Runs last (see conftest). A kernel is started here through the REST API so
    that the server's own shutdown of running kernels is exercised too.
    """
    status, _ = lab_server.api("POST", "api/kernels", timeout=60)
    assert status == 201, f"could not start a kernel: HTTP {status}"
    deadline = time.monotonic() + 60
    while not lab_server.kernel_processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert lab_server.kernels, "no kernel process found with our runtime dir on its command line"
    browser_session.record_processes()
    server, kernels, browser = lab_server.proc, set(lab_server.kernels), set(browser_session.processes)
    assert browser, "no browser process was recorded"

    browser_session.close()
    lab_server.stop()

    assert lab_server.stopped_by == "api/shutdown", (
        f"the server ignored POST /api/shutdown and was stopped by {lab_server.stopped_by}"
    )
    assert lab_server.killed == [], f"kernels outlived the server: {lab_server.killed}"
    deadline = time.monotonic() + 15
    while True:
        left = [p for p in {server, *kernels, *browser} if procs.is_running(p)]
        left += procs.with_cmdline_containing(str(lab_server.workdir))
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not left, "still running after teardown:\n" + "\n".join(map(str, left))
