"""pytest plugin: a test run must leave the checkout and the temp folder as it found them.

Its hooks are imported by ``tests/conftest.py``. At the end of the session it
compares ``git status --porcelain --ignored`` of the checkout and the entries of the
temp folder with what was there at the start, and fails the run (exit status 1),
naming what appeared. Caches that are outside the checkout and meant to persist
(Theano's compile cache in ~/.theano, matplotlib's font cache) are not in either place.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Written by Python and pytest themselves, or set up by `make`, not by the course.
ALLOWED_PREFIXES = (".venv/", "__pycache__/")
ALLOWED_PARTS = ("__pycache__", ".egg-info")
TEMP_ALLOWED = ("pytest-of-",)


def checkout_state() -> set[str]:
    """Paths that ``git status`` reports (untracked, changed or ignored), minus allowed ones."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    paths = set()
    for line in out.splitlines():
        path = line[3:]
        if path.startswith(ALLOWED_PREFIXES) or any(part in path for part in ALLOWED_PARTS):
            continue
        paths.add(line)
    return paths


def temp_state() -> set[str]:
    """Entries of the temp folder, minus pytest's own base folder."""
    temp = Path(tempfile.gettempdir())
    return {p.name for p in temp.iterdir() if not p.name.startswith(TEMP_ALLOWED)}


def _is_controller(config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_sessionstart(session):
    if _is_controller(session.config):
        session.config._guard_start = (checkout_state(), temp_state())


def pytest_sessionfinish(session, exitstatus):
    if not _is_controller(session.config) or not hasattr(session.config, "_guard_start"):
        return
    if os.environ.get("NBHELPERS_SKIP_CHECKOUT_GUARD"):
        return
    checkout_before, temp_before = session.config._guard_start
    new_checkout = sorted(checkout_state() - checkout_before)
    new_temp = sorted(temp_state() - temp_before)
    if new_checkout or new_temp:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["checkout_guard: the test run left files behind:"]
        lines += [f"  checkout: {p}" for p in new_checkout]
        lines += [f"  {tempfile.gettempdir()}: {p}" for p in new_temp]
        if reporter:
            reporter.write_line("\n".join(lines), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
