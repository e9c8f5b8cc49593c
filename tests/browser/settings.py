"""Where things are and how long to wait; environment variables override for development."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The notebooks to test (a copy is served); another folder only to develop these tests.
NOTEBOOKS_DIR = Path(os.environ.get("BROWSER_TESTS_NOTEBOOKS_DIR", ROOT / "notebooks"))
CHROMIUM = Path(os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
# Seconds. The machine has 2 shared cores, and Theano compiles C code on a cold cache.
STARTUP_TIMEOUT = float(os.environ.get("BROWSER_TESTS_STARTUP_TIMEOUT", "180"))  # server, page, kernel
RUN_TIMEOUT = float(os.environ.get("BROWSER_TESTS_RUN_TIMEOUT", "900"))  # Run All of one notebook
EXPECT_TIMEOUT = float(os.environ.get("BROWSER_TESTS_EXPECT_TIMEOUT", "60"))  # one UI step


def course_notebooks() -> list[Path]:
    """The course notebooks that exist now, in reading order."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
