"""Fixtures for the browser tests: one JupyterLab server and one Chromium per session.

Run them with ``make test-browser`` (they carry the ``browser`` marker, which the
default ``addopts`` deselect). They need Debian's Chromium at /usr/bin/chromium
(``apt-get install chromium``); Playwright never downloads a browser here.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from . import procs
from .server import LabServer
from .settings import (
    CHROMIUM, CHROMIUM_ARGS, EXPECT_TIMEOUT, NOTEBOOKS_DIR, STARTUP_TIMEOUT, VIEWPORT,
)

CLEANUP_TEST = "test_teardown_leaves_no_processes"

_session: dict = {}  # what the failure report needs: server, artifacts dir


def require_chromium() -> None:
    """Skip (locally) or fail (CI=true) when Debian's Chromium is missing."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = (
        f"{CHROMIUM} not found: the browser tests need Debian's Chromium; install it with "
        "`sudo apt-get install chromium` (Playwright's own browser download is not used)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(items):
    """The test that checks teardown stops everything must run after all the others."""
    def is_cleanup(item):
        return getattr(item, "originalname", None) == CLEANUP_TEST

    last = [item for item in items if is_cleanup(item)]
    items[:] = [item for item in items if not is_cleanup(item)] + last


@pytest.fixture(scope="session")
def session_dir():
    """A temp folder for the server's files and the failure artifacts.

    Not pytest's tmp_path: every pytest run on the machine prunes old
    /tmp/pytest-of-USER/ folders, and a run of someone else's tests did so under
    a running server here. Removed at the end unless a test failed.
    """
    path = Path(tempfile.mkdtemp(prefix="course-browser-tests-"))
    _session["dir"] = path
    yield path
    if not _session.get("failed"):
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def artifacts_dir(session_dir) -> Path:
    path = session_dir / "artifacts"
    path.mkdir()
    _session["artifacts"] = path
    return path


@pytest.fixture(scope="session")
def lab_server(session_dir):
    """JupyterLab on a temporary copy of notebooks/ (see server.LabServer)."""
    require_chromium()  # no point starting a server nobody can look at
    workdir = session_dir / "jupyterlab"
    workdir.mkdir()
    server = LabServer(NOTEBOOKS_DIR, workdir)
    _session["server"] = server
    try:
        server.start(timeout=STARTUP_TIMEOUT)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser_session():
    """One headless Debian Chromium for the whole session, driven by Playwright."""
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT * 1000)
    manager = sync_playwright()
    playwright = manager.start()
    session = BrowserSession(playwright, manager)
    try:
        session.browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        )
        session.record_processes()
        yield session
    finally:
        session.close()


class BrowserSession:
    """The Playwright driver and its Chromium; remembers their processes."""

    def __init__(self, playwright, manager):
        self.playwright = playwright
        self.manager = manager
        self.browser = None
        self.processes: set[procs.Proc] = set()
        self.closed = False

    def record_processes(self) -> None:
        """Remember every process below pytest that is not part of the lab server."""
        server = _session.get("server")
        skip = {server.process.pid} if server and server.process else set()
        skip |= {p.pid for pid in skip for p in procs.descendants(pid)}
        self.processes.update(p for p in procs.descendants(os.getpid()) if p.pid not in skip)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.record_processes()
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            self.manager.__exit__(None, None, None)


@pytest.fixture
def page(browser_session, lab_server, artifacts_dir):
    """A new browser context and page for one notebook; closed after the test."""
    context = browser_session.browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(EXPECT_TIMEOUT * 1000)
    new_page = context.new_page()
    console: list[str] = []
    new_page.on("console", lambda m: console.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
    new_page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    new_page.console_log = console
    yield new_page
    browser_session.record_processes()
    context.close()
    lab_server.shutdown_sessions()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure: save a screenshot and the browser console, show where, with the server log."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    _session["failed"] = True  # keep the session folder for a look
    if call.when not in ("setup", "call"):
        return
    lines = []
    artifacts = _session.get("artifacts")
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if artifacts is not None and page is not None and not page.is_closed():
        stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in item.name)
        shot = artifacts / f"{stem}.png"
        try:
            page.screenshot(path=str(shot))
            lines.append(f"screenshot:    {shot}")
        except Exception as error:  # the page may have crashed: say so, keep the report
            lines.append(f"screenshot failed: {error}")
        console = artifacts / f"{stem}.console.txt"
        console.write_text("\n".join(getattr(page, "console_log", [])) + "\n")
        lines.append(f"browser console: {console}")
    server = _session.get("server")
    if server is not None:
        lines.append(f"server log:    {server.log_path}")
        lines.append("--- end of the server log ---")
        lines.append(server.log_tail())
    if lines:
        report.sections.append(("browser test artifacts", "\n".join(lines)))
