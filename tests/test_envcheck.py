"""The environment check (`python -m nbhelpers.envcheck`, `make check-env`).

A passing run in this (working) environment, failing runs made by breaking one thing
through THEANO_FLAGS, and the individual checks called with versions and folders
that are not this machine's.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile

import pytest

from nbhelpers import envcheck, theano_setup

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_envcheck(theano_flags: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("THEANO_FLAGS", None)  # the test process's own flags were rewritten by nbhelpers
    if theano_flags is not None:
        env["THEANO_FLAGS"] = theano_flags
    return subprocess.run(
        [sys.executable, "-m", "nbhelpers.envcheck"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


def result_lines(stdout: str) -> list[str]:
    """The OK/FAIL lines of a run, one per check."""
    return [line for line in stdout.splitlines() if line.startswith(("OK ", "FAIL "))]


def line_about(stdout: str, words: str) -> str:
    """The one result line whose message starts with ``words``."""
    matches = [line for line in result_lines(stdout) if line[5:].startswith(words)]
    assert len(matches) == 1, f"expected one result line about {words!r} in:\n{stdout}"
    return matches[0]


def fix_after(stdout: str, line: str) -> str:
    lines = stdout.splitlines()
    following = lines[lines.index(line) + 1:]
    fixes = [item for item in following[:3] if item.startswith("     fix: ")]
    assert fixes, f"no fix line after {line!r}"
    return fixes[0]


# --- whole runs in a subprocess -----------------------------------------------------------


def test_course_environment_passes_every_check():
    run = run_envcheck(None)
    lines = result_lines(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(lines) == len(envcheck.CHECKS)
    assert all(line.startswith("OK ") for line in lines), run.stdout
    assert "fix:" not in run.stdout
    assert "C++ compiler:" in run.stdout
    assert "compiled to C" in line_about(run.stdout, "Theano C code")
    assert "floatX=float64, device=cpu" in line_about(run.stdout, "Theano configuration")
    assert "python3" in line_about(run.stdout, "Jupyter kernel")
    assert run.stdout.splitlines()[-1].startswith("Everything is ready")


def test_no_compiler_fails_with_the_fix_and_notices_are_reported():
    run = run_envcheck("cxx=,floatX=float32")
    assert run.returncode == 1, run.stdout + run.stderr
    compiler = line_about(run.stdout, "C++ compiler")
    assert compiler.startswith("FAIL ")
    fix = fix_after(run.stdout, compiler)
    assert "slower" in fix and "g++" in fix and "apt-get install g++" in fix
    c_code = line_about(run.stdout, "Theano C code")
    assert c_code.startswith("FAIL ") and "pure Python" in c_code
    # floatX=float32 is overridden by nbhelpers: fine, but the learner is told
    config = line_about(run.stdout, "Theano configuration")
    assert config.startswith("OK ") and "floatX=float64" in config
    assert "note: nbhelpers: your Theano setting floatX=float32 is replaced" in run.stdout
    # everything else still passes
    failing = [line for line in result_lines(run.stdout) if line.startswith("FAIL")]
    assert failing == [compiler, c_code]


def test_unwritable_compile_cache_fails_without_traceback():
    run = run_envcheck("base_compiledir=/proc/nonexistent")
    assert run.returncode == 1, run.stdout + run.stderr
    cache = line_about(run.stdout, "compile cache")
    assert cache.startswith("FAIL ") and "/proc/nonexistent" in cache
    assert "base_compiledir=" in fix_after(run.stdout, cache)
    assert line_about(run.stdout, "Theano C code").startswith("FAIL ")
    assert "Traceback" not in run.stdout + run.stderr


def test_failing_theano_import_is_a_fail_line_not_a_traceback():
    with tempfile.TemporaryDirectory() as folder:
        not_a_folder = os.path.join(folder, "file")
        with open(not_a_folder, "w", encoding="utf-8"):
            pass
        run = run_envcheck(f"compiledir={not_a_folder}/cache")
        assert os.listdir(folder) == ["file"]
    assert run.returncode == 1, run.stdout + run.stderr
    theano_line = line_about(run.stdout, "import theano")
    assert theano_line.startswith("FAIL ") and "ValueError" in theano_line
    assert "Traceback" not in run.stdout + run.stderr
    cache = line_about(run.stdout, "compile cache")
    assert cache.startswith("FAIL ") and "is not a folder" in cache


# --- single checks ----------------------------------------------------------------------


@pytest.mark.parametrize("version", ["3.11.0", "3.11.7"])
def test_python_311_passes(version):
    assert envcheck.check_python(version).ok


@pytest.mark.parametrize("version", ["3.12.1", "3.13.0", "3.10.12", "2.7.18"])
def test_other_pythons_fail_with_the_reason_and_a_fix(version):
    ok, message, fix = envcheck.check_python(version)
    assert not ok
    assert version in message and "numpy<1.24" in message
    assert "3.11" in fix and "make setup" in fix


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (envcheck.check_numpy, ["1.23.0", "1.23.5"], ["1.22.4", "1.24.0", "1.26.4", "2.0.1"]),
        (envcheck.check_scipy, ["1.9.3", "1.11.4"], ["1.8.1", "1.12.0", "1.14.1"]),
        (envcheck.check_theano_version, ["1.1.2"], ["1.1.1", "1.1.3", "2.0.0"]),
        (envcheck.check_jupyterlab, ["4.0.0", "4.6.6"], ["3.6.8", "5.0.0"]),
    ],
)
def test_package_versions(check, good, bad):
    for version in good:
        assert check(version).ok, version
    for version in bad:
        ok, message, fix = check(version)
        assert not ok, version
        assert version in message
        assert "-m pip install '" in fix


def test_installed_versions_are_read():
    assert envcheck.check_numpy().message == f"numpy {envcheck.installed_version('numpy')}"
    assert envcheck.installed_version("no-such-distribution-for-envcheck") is None


def test_release_parses_leading_numbers():
    assert envcheck.release("1.23.5") == (1, 23, 5)
    assert envcheck.release("1.11.0rc1") == (1, 11, 0)
    assert envcheck.release("4.0.0a2") == (4, 0, 0)
    with pytest.raises(ValueError, match="version"):
        envcheck.release("latest")
    with pytest.raises(TypeError, match="version must be a str"):
        envcheck.release(1.23)


def test_empty_compiler_fails_and_says_notebooks_still_run():
    ok, message, fix = envcheck.check_compiler("")
    assert not ok and "empty" in message
    assert "pure Python" in fix and "same results" in fix and "g++" in fix


def test_missing_compiler_executable_fails():
    ok, message, _ = envcheck.check_compiler("/nonexistent/bin/g++")
    assert not ok and "/nonexistent/bin/g++" in message


@pytest.mark.skipif(shutil.which("g++") is None, reason="no g++ on this machine")
def test_gxx_on_path_passes():
    assert envcheck.check_compiler("g++") == (True, f"C++ compiler: {shutil.which('g++')}", "")


def good_settings():
    settings = {key: needed for key, (needed, _) in theano_setup.REQUIRED.items()}
    settings["blas__ldflags"] = envcheck._flag("blas__ldflags") or ""
    return settings


def test_theano_config_must_be_float64_on_cpu():
    good = good_settings()
    assert envcheck.check_theano_config(good, notices=[]).ok
    for key, value in [("floatX", "float32"), ("device", "cuda"), ("compute_test_value", "raise")]:
        ok, message, fix = envcheck.check_theano_config({**good, key: value}, notices=[])
        assert not ok and f"{key}={value}" in message
        assert "import nbhelpers" in fix


def test_theano_config_reports_the_notices():
    result = envcheck.check_theano_config(good_settings(), notices=["nbhelpers: your floatX was replaced"])
    assert result.ok
    assert envcheck.format_result(result).splitlines()[1] == "     note: nbhelpers: your floatX was replaced"


def test_writable_compile_cache_passes_and_leaves_nothing_behind():
    with tempfile.TemporaryDirectory() as folder:
        assert envcheck.check_compile_cache(folder).ok
        assert envcheck.check_compile_cache(os.path.join(folder, "not", "yet")).ok
        assert os.listdir(folder) == []


def test_compile_cache_under_a_file_fails():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "file")
        with open(path, "w", encoding="utf-8"):
            pass
        ok, message, fix = envcheck.check_compile_cache(os.path.join(path, "cache"))
    assert not ok and "is not a folder" in message
    assert "base_compiledir" in fix


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write in a read-only folder")
def test_read_only_compile_cache_fails():
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)  # 500
        try:
            ok, message, _ = envcheck.check_compile_cache(folder)
        finally:
            os.chmod(folder, stat.S_IRWXU)
    assert not ok and "not writable" in message


def test_unknown_kernel_fails_with_a_fix():
    ok, message, fix = envcheck.check_kernel("no-such-kernel-for-envcheck")
    assert not ok and "no-such-kernel-for-envcheck" in message
    assert "ipykernel install" in fix


def test_a_crashing_check_becomes_a_fail():
    def check_that_crashes():
        raise RuntimeError("boom")

    [result] = envcheck.run_checks([check_that_crashes])
    assert not result.ok and "RuntimeError: boom" in result.message


def test_fail_lines_carry_their_fix():
    text = envcheck.format_result(envcheck.Result(False, "thing: broken", "mend it"))
    assert text == "FAIL thing: broken\n     fix: mend it"
    assert envcheck.format_result(envcheck.Result(True, "thing: fine")) == "OK   thing: fine"
