"""Without a C compiler every notebook still runs to the end, with the same results and one notice."""
from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT
from notebook_outputs import differences

NOTICE = "nbhelpers: no C++ compiler"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_pure_python_with_same_results(path, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEANO")}
    env["THEANO_FLAGS"] = "cxx="
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), "--out", str(tmp_path), str(path)],
        env=env, capture_output=True, text=True, timeout=1800,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    executed = tmp_path / path.name
    assert differences(path, executed, drop_stderr=NOTICE) == []
    notices = [
        out for cell in nbformat.read(executed, as_version=4).cells if cell.cell_type == "code"
        for out in cell.outputs if out.output_type == "stream" and NOTICE in out.text
    ]
    assert len(notices) == 1, "the learner should see exactly one notice"
