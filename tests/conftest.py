"""Shared fixtures: run Python snippets in fresh interpreters (Theano reads its flags once)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from checkout_guard import pytest_sessionfinish, pytest_sessionstart  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


@pytest.fixture
def run_python(tmp_path):
    """Run ``code`` in a fresh interpreter with a clean Theano environment.

    ``env`` adds or overrides variables; HOME points to an empty temp dir (so no
    ``~/.theanorc`` of the machine leaks in) while the compile cache stays shared.
    """

    def run(code: str, env: dict[str, str] | None = None, timeout: int = 300):
        base = {k: v for k, v in os.environ.items() if not k.startswith("THEANO")}
        base["THEANORC"] = str(tmp_path / "no-theanorc")
        base.update(env or {})
        return subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True, text=True, timeout=timeout, env=base, cwd=tmp_path,
        )

    return run
