"""The guard that fails a test run which leaves files in the checkout or the temp folder."""
from __future__ import annotations

import tempfile
from pathlib import Path

from checkout_guard import ROOT, checkout_state, temp_state


def test_new_file_in_checkout_is_noticed():
    before = checkout_state()
    stray = ROOT / "notebooks" / "stray-output.png"
    stray.write_bytes(b"")
    try:
        assert checkout_state() - before == {"?? notebooks/stray-output.png"}
    finally:
        stray.unlink()
    assert checkout_state() == before


def test_pycache_is_not_reported():
    folder = ROOT / "tools" / "__pycache__"
    existed = folder.exists()
    before = checkout_state()
    folder.mkdir(exist_ok=True)
    probe = folder / "guard-probe.pyc"
    probe.write_bytes(b"")
    try:
        assert checkout_state() == before
    finally:
        probe.unlink()
        if not existed:
            folder.rmdir()


def test_new_temp_entry_is_noticed():
    before = temp_state()
    with tempfile.TemporaryDirectory(prefix="theano_compilation_error_") as path:
        assert temp_state() - before == {Path(path).name}
    assert temp_state() == before
