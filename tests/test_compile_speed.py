"""nbhelpers.compile_speed: a precompiled header and remembered CPU flags for Theano's g++.

Each test compiles into its own empty compile cache, so it sees a first run.
"""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from nbhelpers import compile_speed

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="needs g++")

COMPILE = (
    "import nbhelpers, theano, theano.tensor as T\n"
    "from theano.link.c import cmodule\n"
    "commands = []\n"
    "popen = cmodule.output_subprocess_Popen\n"
    "def logged(cmd, *args, **kwargs):\n"
    "    commands.append(cmd)\n"
    "    return popen(cmd, *args, **kwargs)\n"
    "cmodule.output_subprocess_Popen = logged\n"
    "x = T.dvector('x')\n"
    "f = theano.function([x], T.exp(x) * 2 + 1)\n"
    "modules = [c for c in commands if any(a.endswith('mod.cpp') for a in c)]\n"
    "with_pch = [c for c in modules if '-include' in c]\n"
    "detected = [c for c in commands if '-v' in c or any('try_march' in a for a in c)]\n"
    "print(f([0.0, 1.0]).tolist(), len(modules), len(with_pch), len(detected))\n"
)


def _cache_env(tmp_path):
    return {"THEANO_FLAGS": f"base_compiledir={tmp_path / 'cache'}"}


def _numbers(result):
    assert result.returncode == 0, result.stderr
    values, *counts = result.stdout.strip().rsplit(" ", 3)
    return values, [int(c) for c in counts]


def test_modules_are_compiled_with_the_precompiled_header(run_python, tmp_path):
    values, (modules, with_pch, _) = _numbers(run_python(COMPILE, env=_cache_env(tmp_path)))
    assert values == "[3.0, 6.43656365691809]"
    assert modules > 0 and with_pch > 0
    headers = list((tmp_path / "cache").glob(f"compiledir_*/{compile_speed.PCH_DIR}/*/course.h.gch"))
    assert headers, "no precompiled header was built"


def test_cpu_flags_are_detected_once_then_remembered(run_python, tmp_path):
    env = _cache_env(tmp_path)
    _, (_, _, detected_first) = _numbers(run_python(COMPILE, env=env))
    assert detected_first > 0, "the first process should ask g++ about the CPU"
    assert list((tmp_path / "cache").glob(f"compiledir_*/{compile_speed.MARCH_FILE}"))
    code = COMPILE.replace("T.exp(x) * 2 + 1", "T.tanh(x) + 1")
    values, (modules, _, detected_second) = _numbers(run_python(code, env=env))
    assert values == str((np.tanh([0.0, 1.0]) + 1).tolist())
    assert modules > 0, "the second function should need a new module"
    assert detected_second == 0, "the second process asked g++ about the CPU again"


def test_a_broken_precompiled_header_does_not_break_compiling(run_python, tmp_path):
    env = _cache_env(tmp_path)
    _numbers(run_python(COMPILE, env=env))
    for gch in (tmp_path / "cache").glob(f"compiledir_*/{compile_speed.PCH_DIR}/*/course.h.gch"):
        gch.write_bytes(b"not a precompiled header")
    code = COMPILE.replace("T.exp(x) * 2 + 1", "T.cosh(x) * x")
    values, (modules, _, _) = _numbers(run_python(code, env=env))
    assert values == str((np.cosh([0.0, 1.0]) * [0.0, 1.0]).tolist())
    assert modules > 0


def test_only_theano_op_modules_and_only_gxx_are_concerned():
    assert compile_speed.uses_common_includes(compile_speed.HEADER_TEXT + "int x;\n")
    assert not compile_speed.uses_common_includes("#include <Python.h>\nint x;\n")
    assert compile_speed._is_gxx("/usr/bin/g++")
    assert compile_speed._is_gxx("x86_64-linux-gnu-g++-12")
    assert not compile_speed._is_gxx("clang++")
    assert not compile_speed._is_gxx("")
