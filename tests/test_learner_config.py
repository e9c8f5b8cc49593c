"""A learner's own Theano configuration does not break the course.

Compatible settings are kept; settings the course cannot work with are replaced for the
session, with one notice that says which and why. The results stay the same.
"""
from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from conftest import ROOT
from notebook_outputs import differences

THEANORC = """\
[global]
floatX = float32
optimizer = fast_run
allow_gc = False

[blas]
ldflags =
"""
NOTEBOOKS = [ROOT / "notebooks" / name for name in (
    "03-Differentiate-With-Theano.ipynb", "04-Descend-The-Mexican-Hat.ipynb")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_with_learners_theanorc_gives_same_results_and_one_notice(path, tmp_path):
    rc = tmp_path / "theanorc"
    rc.write_text(THEANORC)
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEANO")}
    env["THEANORC"] = str(rc)
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), "--out", str(tmp_path), str(path)],
        env=env, capture_output=True, text=True, timeout=1800,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    executed = tmp_path / path.name
    notice = "your Theano setting floatX=float32 is replaced by floatX=float64"
    assert differences(path, executed, drop_stderr=notice) == []
    seen = [
        out.text for cell in nbformat.read(executed, as_version=4).cells if cell.cell_type == "code"
        for out in cell.outputs if out.output_type == "stream" and notice in out.text
    ]
    assert len(seen) == 1
