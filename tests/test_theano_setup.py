"""Importing nbhelpers makes Theano work on this stack, silently, keeping the learner's flags."""
from __future__ import annotations

import pytest

from nbhelpers import theano_setup


def test_import_is_silent(run_python):
    result = run_python("import nbhelpers, theano")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""


def test_theano_without_nbhelpers_fails_on_this_stack(run_python):
    # The reason nbhelpers exists: plain `import theano` crashes in default_blas_ldflags.
    result = run_python("import theano")
    assert result.returncode != 0
    assert "blas_opt_info" in result.stderr


def test_hessian_and_jacobian_work(run_python):
    code = (
        "import nbhelpers, theano, theano.tensor as T\n"
        "x = T.dvector('x')\n"
        "h = theano.function([x], theano.gradient.hessian(T.sum(x**3), x))\n"
        "j = theano.function([x], theano.gradient.jacobian(x**2, x))\n"
        "print(h([1, 2]).tolist(), j([1, 2]).tolist())\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[[6.0, 0.0], [0.0, 12.0]] [[2.0, 0.0], [0.0, 4.0]]"
    assert result.stderr == ""


def test_learner_flags_are_merged_not_replaced(run_python):
    code = (
        "import os, nbhelpers, theano\n"
        "print(theano.config.optimizer, theano.config.blas__ldflags == '', theano.config.floatX)\n"
        "print(os.environ['THEANO_FLAGS'])\n"
    )
    result = run_python(code, env={"THEANO_FLAGS": "optimizer=fast_compile"})
    assert result.returncode == 0, result.stderr
    first, flags = result.stdout.splitlines()
    assert first == "fast_compile True float64"
    assert "optimizer=fast_compile" in flags and "blas__ldflags=" in flags


def test_incompatible_learner_setting_is_overridden_with_one_notice(run_python):
    code = "import nbhelpers, theano; print(theano.config.floatX)"
    result = run_python(code, env={"THEANO_FLAGS": "floatX=float32"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "float64"
    notices = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(notices) == 1 and "floatX=float32" in notices[0] and "float64" in notices[0]


def test_learner_blas_setting_in_theanorc_is_kept(run_python, tmp_path):
    rc = tmp_path / "theanorc"
    rc.write_text("[blas]\nldflags = -lblas\n")
    code = "import nbhelpers, os; print(os.environ['THEANO_FLAGS'])"
    result = run_python(code, env={"THEANORC": str(rc)})
    assert result.returncode == 0, result.stderr
    assert "blas__ldflags" not in result.stdout


def test_theano_imported_first_gives_one_clear_message(run_python):
    # A learner whose own flags let `import theano` succeed, then imports nbhelpers.
    code = "import theano\nimport nbhelpers\nprint('still running')"
    result = run_python(code, env={"THEANO_FLAGS": "blas__ldflags="})
    assert result.returncode == 0
    assert result.stdout.strip() == "still running"
    lines = [line for line in result.stderr.splitlines() if "WARNING (theano.tensor.blas)" not in line]
    assert len(lines) == 1, result.stderr
    assert "Restart the kernel" in lines[0] and "import nbhelpers" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "flags, expected",
    [
        ("", {}),
        ("floatX=float32,mode=FAST_RUN", {"floatX": "float32", "mode": "FAST_RUN"}),
        ("blas.ldflags=-lblas", {"blas__ldflags": "-lblas"}),
        (" a=1 , ,b=2", {"a": "1", "b": "2"}),
    ],
)
def test_parse_flags(flags, expected):
    assert theano_setup.parse_flags(flags) == expected


def test_merged_flags_add_empty_blas_flag(tmp_path):
    flags, notices = theano_setup.merged_flags({"THEANORC": str(tmp_path / "none"), "THEANO_FLAGS": "mode=FAST_RUN"})
    assert theano_setup.parse_flags(flags) == {"mode": "FAST_RUN", "blas__ldflags": "", "gcc__cxxflags": "-O1 -g0"}
    assert notices == []


def test_merged_flags_keep_the_learners_compiler_flags(tmp_path):
    rc = tmp_path / "theanorc"
    rc.write_text("[gcc]\ncxxflags = -O2\n")
    flags, _ = theano_setup.merged_flags({"THEANORC": str(rc), "THEANO_FLAGS": ""})
    assert "gcc__cxxflags" not in theano_setup.parse_flags(flags)
    flags, _ = theano_setup.merged_flags({"THEANORC": str(tmp_path / "none"), "THEANO_FLAGS": "gcc.cxxflags=-O3"})
    assert theano_setup.parse_flags(flags)["gcc__cxxflags"] == "-O3"


def test_compiled_modules_are_reused_by_the_next_process(run_python, tmp_path):
    # theano-pymc versions DimShuffle's C code with the per-process string hash, so
    # without nbhelpers' fix every new kernel compiled it again (and the cache grew).
    cache = tmp_path / "theano-cache"
    code = (
        "import nbhelpers, theano, theano.tensor as T\n"
        "x = T.dvector('x')\n"
        "print(theano.function([x], (x + 1).dimshuffle('x', 0))([1.0, 2.0]).tolist())\n"
    )
    env = {"THEANO_FLAGS": f"base_compiledir={cache}"}

    def modules():
        return sorted(p.parent.name for p in cache.glob("compiledir_*/tmp*/mod.cpp"))

    first = run_python(code, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "[[2.0, 3.0]]"
    compiled = modules()
    assert compiled, "the first process should have compiled modules"
    second = run_python(code, env=env)
    assert second.returncode == 0, second.stderr
    assert modules() == compiled, "the second process compiled again instead of using the cache"


def test_modules_of_ops_without_parameters_are_cached(run_python, tmp_path):
    # Alloc and ScalarFromTensor have __props__ == (): theano-pymc then treats every C
    # module containing them as unversioned and compiles it again each time, even in
    # the same process (jacobian uses both). With nbhelpers' fix the second process
    # finds them all in the cache and compiles nothing.
    cache = tmp_path / "theano-cache"
    code = (
        "import nbhelpers, theano, theano.tensor as T\n"
        "from theano.link.c import cmodule\n"
        "calls = []\n"
        "compile_str = cmodule.GCC_compiler.compile_str\n"
        "def counting(*args, **kwargs):\n"
        "    calls.append(1)\n"
        "    return compile_str(*args, **kwargs)\n"
        "cmodule.GCC_compiler.compile_str = staticmethod(counting)\n"
        "v = T.dvector('v')\n"
        "j = theano.function([v], theano.gradient.jacobian(v ** 2, v))\n"
        "print(j([1.0, 2.0]).tolist(), len(calls))\n"
    )
    env = {"THEANO_FLAGS": f"base_compiledir={cache}"}
    first = run_python(code, env=env)
    assert first.returncode == 0, first.stderr
    result, compiled = first.stdout.rsplit(" ", 1)
    assert result == "[[2.0, 0.0], [0.0, 4.0]]"
    assert int(compiled) > 0, "the first process should have compiled modules"
    second = run_python(code, env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "[[2.0, 0.0], [0.0, 4.0]] 0", "the second process compiled modules again"


def test_setting_that_breaks_notebooks_is_overridden(run_python):
    code = "import nbhelpers, theano; print(theano.config.compute_test_value)"
    result = run_python(code, env={"THEANO_FLAGS": "compute_test_value=raise,optimizer=fast_run"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "off"
    assert "compute_test_value=raise" in result.stderr and "off" in result.stderr


def test_failed_theano_import_first_still_gets_the_message(run_python):
    # The learner's first `import theano` crashes (no flags yet); then they import nbhelpers.
    code = (
        "try:\n    import theano\nexcept Exception:\n    pass\n"
        "import nbhelpers\nprint('still running')\n"
    )
    result = run_python(code)
    assert result.stdout.strip() == "still running"
    assert "Restart the kernel" in result.stderr and "Traceback" not in result.stderr
