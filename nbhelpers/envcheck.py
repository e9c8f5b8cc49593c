"""Check that this machine can run the course, and say how to fix what is missing.

Run it from the course folder (``make check-env`` does this)::

    .venv/bin/python -m nbhelpers.envcheck

It prints one line per requirement, ``OK`` or ``FAIL``; each ``FAIL`` is followed
by a ``fix:`` line. The exit status is 0 when everything is OK and 1 otherwise.

Each requirement is a small function returning a :class:`Result` ``(ok, message,
fix)``, so the checks can also be called one at a time (the version checks take
the version to judge, which is how the tests try versions that are not installed).
Importing :mod:`nbhelpers` (which this module does, being part of it) configures
Theano before anything here imports ``theano``.

Referred to in ``notebooks/00-Start-Here.ipynb`` (what to do when a set-up fails).
"""
from __future__ import annotations

import importlib.metadata
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from typing import Callable, NamedTuple

from nbhelpers import theano_setup

#: Where the course's pinned versions come from (also in pyproject.toml).
NUMPY_SPEC = "numpy>=1.23,<1.24"
SCIPY_SPEC = "scipy>=1.9,<1.12"
THEANO_SPEC = "theano-pymc==1.1.2"
JUPYTERLAB_SPEC = "jupyterlab>=4,<5"
KERNEL_NAME = "python3"

_GXX_HELP = (
    "install g++ (Debian/Ubuntu: `sudo apt-get install g++`; Fedora: `sudo dnf install gcc-c++`; "
    "macOS: `xcode-select --install`; conda: `conda install -c conda-forge gxx`), "
    "and remove any `cxx=` from THEANO_FLAGS or .theanorc"
)
_PURE_PYTHON = "the notebooks still run without it, in pure Python, with the same results but 25 to 100 times slower training"


class Result(NamedTuple):
    """The outcome of one check: ``ok``, what was found, and how to fix it (empty if ok)."""

    ok: bool
    message: str
    fix: str = ""


def _pip_install(spec: str) -> str:
    return f"{shlex.quote(sys.executable)} -m pip install '{spec}'"


def release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version string: ``'1.23.5'`` -> ``(1, 23, 5)``, ``'1.11.0rc1'`` -> ``(1, 11, 0)``."""
    if not isinstance(version, str):
        raise TypeError(f"version must be a str like '1.23.5', got {type(version).__name__}")
    numbers = []
    for part in version.strip().split("."):
        match = re.match(r"\d+", part)
        if not match:
            break
        numbers.append(int(match.group()))
        if match.group() != part:
            break
    if not numbers:
        raise ValueError(f"version must start with a number, like '1.23.5', got {version!r}")
    return tuple(numbers)


def installed_version(distribution: str) -> str | None:
    """The installed version of a distribution (``'numpy'``), or None if it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


# --- versions ---------------------------------------------------------------------------


def check_python(version: str | None = None) -> Result:
    """Python must be 3.11: theano-pymc 1.1.2 needs numpy<1.24, which has no wheels for 3.12+."""
    where = ""
    if version is None:
        version, where = ".".join(str(n) for n in sys.version_info[:3]), f" ({sys.executable})"
    if release(version)[:2] == (3, 11):
        return Result(True, f"Python {version}{where}")
    return Result(
        False,
        f"Python {version}{where}: the course needs Python 3.11 (theano-pymc 1.1.2 needs "
        "numpy<1.24, which has no wheels for Python 3.12 or newer; older Pythons are not tested)",
        "install Python 3.11 (Debian/Ubuntu: `sudo apt-get install python3.11 python3.11-venv`; "
        "or pyenv; or conda: `conda env create -f environment.yml`), then in the course folder "
        "`rm -rf .venv && make setup PYTHON=python3.11`",
    )


def _check_version(package: str, spec: str, version: str | None, accepted, need: str) -> Result:
    """One installed-version check: ``accepted(release_tuple)`` says whether ``version`` will do."""
    version = installed_version(package) if version is None else version
    if version is None:
        return Result(False, f"{package} is not installed", _pip_install(spec))
    if accepted(release(version)):
        return Result(True, f"{package} {version}")
    return Result(False, f"{package} {version}: {need}", _pip_install(spec))


def check_numpy(version: str | None = None) -> Result:
    """numpy must be 1.23.x: theano-pymc fails to import with 1.24+ and its C code needs numpy 1.x."""
    return _check_version(
        "numpy", NUMPY_SPEC, version, lambda r: r[:2] == (1, 23),
        "the course needs numpy 1.23.x (theano-pymc 1.1.2 fails to import with "
        "numpy 1.24 or newer, and its C code does not compile with numpy 2)",
    )


def check_scipy(version: str | None = None) -> Result:
    """scipy must be older than 1.12 (the last versions that work with numpy 1.23 and Theano)."""
    return _check_version(
        "scipy", SCIPY_SPEC, version, lambda r: (1, 9) <= r[:2] < (1, 12),
        "the course needs scipy 1.9 to 1.11 (newer scipy needs a newer numpy than Theano accepts)",
    )


def check_theano_version(version: str | None = None) -> Result:
    """theano-pymc must be 1.1.2 (the version the course is written and tested for)."""
    return _check_version(
        "theano-pymc", THEANO_SPEC, version, lambda r: r[:3] == (1, 1, 2),
        "the course needs theano-pymc 1.1.2",
    )


def check_jupyterlab(version: str | None = None) -> Result:
    """JupyterLab 4 must be installed (the course is tested in JupyterLab 4)."""
    version = installed_version("jupyterlab") if version is None else version
    if version is None:
        return Result(False, "JupyterLab is not installed", _pip_install(JUPYTERLAB_SPEC))
    if release(version)[0] == 4:
        return Result(True, f"JupyterLab {version}")
    return Result(False, f"JupyterLab {version}: the course needs JupyterLab 4", _pip_install(JUPYTERLAB_SPEC))


# --- Theano -----------------------------------------------------------------------------

_theano_import: dict[str, object] = {}


def import_theano():
    """Import theano (after nbhelpers configured it); return ``(module, None)`` or ``(None, reason)``.

    The outcome is remembered, so every check sees the same import.
    """
    if "outcome" not in _theano_import:
        try:
            import theano  # noqa: PLC0415  (nbhelpers is imported first, above)

            _theano_import["outcome"] = (theano, None)
        except Exception as error:  # noqa: BLE001  (any failure is reported, not raised)
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            _theano_import["outcome"] = (None, f"{type(error).__name__}: {first_line}".rstrip(": "))
    return _theano_import["outcome"]


def check_theano_import() -> Result:
    """``import theano`` must work (after ``import nbhelpers``)."""
    theano, reason = import_theano()
    if theano is not None:
        return Result(True, "import theano works (after import nbhelpers)")
    if "compiledir" in reason:
        fix = "make Theano's compile cache writable (see the compile cache line)"
    elif "numpy" in reason:
        fix = f"install the numpy the course needs: {_pip_install(NUMPY_SPEC)}"
    else:
        fix = (
            "fix the version problems above if any; otherwise reinstall the course's packages: "
            f"{shlex.quote(sys.executable)} -m pip install -e '.[test]' (in the course folder)"
        )
    return Result(False, f"import theano fails: {reason}", fix)


def _flag(name: str) -> str | None:
    """A Theano setting from THEANO_FLAGS (as nbhelpers left it) or .theanorc, or None if unset."""
    flags = theano_setup.parse_flags(os.environ.get("THEANO_FLAGS", ""))
    if name in flags:
        return flags[name]
    return theano_setup.theanorc_settings().get(name)


def check_compiler(cxx: str | None = None) -> Result:
    """Theano needs a C++ compiler (its ``cxx`` setting, g++ by default) to compile C code."""
    if cxx is None:
        theano, _ = import_theano()
        if theano is not None:
            cxx = theano.config.cxx
        else:  # what Theano would pick: the cxx setting, else g++ on PATH
            cxx = _flag("cxx")
            cxx = (shutil.which("g++") or "") if cxx is None else cxx
    if not cxx:
        return Result(
            False,
            "C++ compiler: none (Theano's cxx setting is empty, so Theano compiles no C code)",
            f"{_PURE_PYTHON}; to get the speed back, {_GXX_HELP}",
        )
    path = shutil.which(cxx)
    if path is None:
        return Result(
            False,
            f"C++ compiler: Theano's cxx is {cxx!r}, which is not an executable on PATH",
            f"{_PURE_PYTHON} (with `cxx=` in THEANO_FLAGS); to compile, {_GXX_HELP}",
        )
    return Result(True, f"C++ compiler: {path}")


def check_c_linker() -> Result:
    """A tiny Theano function must compile to C with the 'cvm' linker, and compute correctly."""
    theano, reason = import_theano()
    if theano is None:
        return Result(False, "Theano C code: not tried, theano does not import", "fix the Theano import first (see above)")
    if _writable_folder_problem(compile_cache_folder()) is not None:
        return Result(
            False,
            "Theano C code: not tried, the compile cache is not writable",
            "fix the compile cache first (see above)",
        )
    import numpy as np  # noqa: PLC0415
    import theano.tensor as T  # noqa: PLC0415, N812

    x = T.dvector("x")
    mode = theano.compile.Mode(linker="cvm", optimizer="fast_run")
    optimizer_log = logging.getLogger("theano.graph.opt")
    level = optimizer_log.level
    optimizer_log.setLevel(logging.CRITICAL)  # a failed compile is reported below, not as tracebacks
    try:
        function = theano.function([x], (2.0 * x + 1.0).sum(), mode=mode)
        value = float(function(np.array([1.0, 2.0, 3.0])))
    except Exception as error:  # noqa: BLE001
        first_line = (str(error).strip().splitlines() or [""])[0]
        return Result(
            False,
            f"Theano C code: compiling a tiny function failed ({type(error).__name__}: {first_line})",
            "Theano saves the failing C file as theano_compilation_error_* in your temporary "
            f"folder ({tempfile.gettempdir()}); a broken compiler install is the usual cause: {_GXX_HELP}",
        )
    finally:
        optimizer_log.setLevel(level)
    if value != 15.0:
        return Result(
            False,
            f"Theano C code: a tiny function computed {value} instead of 15.0",
            f"reinstall the course's packages: {shlex.quote(sys.executable)} -m pip install --force-reinstall -e '.[test]'",
        )
    vm = function.fn
    c_thunks = sum(getattr(thunk, "cthunk", None) is not None for thunk in getattr(vm, "thunks", []))
    if c_thunks == 0 or type(vm).__name__ != "CVM":
        return Result(
            False,
            f"Theano C code: a tiny function works but ran in pure Python (no C code compiled; "
            f"cxx={theano.config.cxx!r})",
            f"{_PURE_PYTHON}; to get the speed back, "
            + ("install a C++ compiler (see the C++ compiler line above)" if not theano.config.cxx else _GXX_HELP),
        )
    return Result(True, f"Theano C code: a tiny function compiled to C ({c_thunks} C thunks, 'cvm' linker) and works")


def check_theano_config(settings: dict[str, str] | None = None, notices: list[str] | None = None) -> Result:
    """Theano must run with the settings in ``theano_setup.REQUIRED`` and the BLAS flags nbhelpers set.

    ``settings`` maps those keys and ``blas__ldflags`` to the values in
    effect (default: read from ``theano.config``); ``notices`` are the messages
    nbhelpers printed when it overrode the learner's own THEANO_FLAGS/.theanorc.
    """
    if settings is None:
        theano, _ = import_theano()
        if theano is None:
            return Result(False, "Theano configuration: not read, theano does not import", "fix the Theano import first (see above)")
        config = theano.config
        settings = {key: str(getattr(config, key)) for key in theano_setup.REQUIRED}
        settings["blas__ldflags"] = config.blas__ldflags
    notices = theano_setup.configure() if notices is None else notices
    wanted_blas = _flag("blas__ldflags")
    problems = [
        f"{key}={settings.get(key)}" for key, (needed, _) in theano_setup.REQUIRED.items() if settings.get(key) != needed
    ]
    if wanted_blas is not None and settings.get("blas__ldflags") != wanted_blas:
        problems.append(f"blas__ldflags={settings.get('blas__ldflags')!r} (nbhelpers set {wanted_blas!r})")
    shown = ", ".join(
        [f"{key}={settings.get(key)}" for key in theano_setup.REQUIRED] + [f"blas__ldflags={settings.get('blas__ldflags')!r}"]
    )
    if problems:
        return Result(
            False,
            f"Theano configuration: {shown}; not what the course needs: {', '.join(problems)}",
            "`import nbhelpers` before `import theano` (restart the kernel first), and remove "
            f"{'/'.join(theano_setup.REQUIRED)} from THEANO_FLAGS and ~/.theanorc",
        )
    message = f"Theano configuration: {shown} (set by nbhelpers.theano_setup)"
    for notice in notices:
        message += "\n" + notice
    return Result(True, message)


def _writable_folder_problem(path: str) -> str | None:
    """Why Theano could not keep its compile cache in ``path``, or None if it can."""
    path = os.path.realpath(os.path.expanduser(path))
    existing = path
    while not os.path.lexists(existing):
        parent = os.path.dirname(existing)
        if parent == existing:
            break
        existing = parent
    if not os.path.isdir(existing):
        return f"{path} cannot be created: {existing} is not a folder"
    try:
        handle, probe = tempfile.mkstemp(prefix=".envcheck-", dir=existing)
    except OSError as error:
        reason = error.strerror or str(error)
        if existing == path:
            return f"{path} is not writable ({reason})"
        return f"{path} cannot be created: {existing} is not writable ({reason})"
    os.close(handle)
    os.remove(probe)
    return None


def compile_cache_folder() -> str:
    """The folder Theano keeps compiled C code in (``config.compiledir``), without creating it.

    When Theano cannot create that folder (it raises on first use), the folder it
    was told to use (``compiledir`` or ``base_compiledir``) is returned instead.
    """
    theano, _ = import_theano()
    if theano is not None:
        try:
            return theano.config.compiledir
        except ValueError:  # Theano creates it on first access, and raises if it cannot
            return _flag("compiledir") or theano.config.base_compiledir
    return _flag("compiledir") or _flag("base_compiledir") or os.path.join("~", ".theano")


def check_compile_cache(path: str | None = None) -> Result:
    """Theano's compile cache (``config.compiledir``, under ~/.theano) must be writable."""
    path = compile_cache_folder() if path is None else path
    problem = _writable_folder_problem(path)
    if problem is None:
        return Result(True, f"compile cache writable: {os.path.realpath(os.path.expanduser(path))}")
    return Result(
        False,
        f"compile cache: {problem}",
        "let Theano use a folder you can write: fix its permissions, or point Theano elsewhere "
        "with THEANO_FLAGS=base_compiledir=/a/writable/folder (or base_compiledir in the [global] "
        "section of ~/.theanorc; if you set compiledir yourself, change or remove it)",
    )


# --- Jupyter ----------------------------------------------------------------------------


def check_kernel(name: str = KERNEL_NAME) -> Result:
    """Jupyter must find the ``python3`` kernel, and its Python must import ipykernel and nbhelpers."""
    register = f"{shlex.quote(sys.executable)} -m ipykernel install --sys-prefix"
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # noqa: PLC0415
    except ImportError as error:
        return Result(False, f"Jupyter kernel: jupyter_client is missing ({error})", _pip_install(JUPYTERLAB_SPEC))
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return Result(False, f"Jupyter kernel: no kernel named {name!r}", f"{_pip_install('ipykernel>=6,<8')} && {register}")
    python = spec.argv[0] if spec.argv else ""
    if python in {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}:
        python = sys.executable  # what jupyter_client itself does when it starts the kernel
    try:
        run = subprocess.run(
            [python, "-c", "import ipykernel, nbhelpers"],
            capture_output=True, text=True, timeout=120, check=False,
        )
        error = run.stderr.strip().splitlines()[-1] if run.returncode else ""
    except (OSError, subprocess.TimeoutExpired) as exc:
        error = f"{type(exc).__name__}: {exc}"
    if error:
        return Result(
            False,
            f"Jupyter kernel {name!r} runs {python}, which cannot import ipykernel and nbhelpers ({error})",
            f"point the kernel at this environment: {register}",
        )
    return Result(True, f"Jupyter kernel {name!r}: {python} (imports ipykernel and nbhelpers)")


#: Every check, in the order they are run and printed.
CHECKS: tuple[Callable[[], Result], ...] = (
    check_python,
    check_numpy,
    check_scipy,
    check_theano_version,
    check_theano_import,
    check_theano_config,
    check_compile_cache,
    check_compiler,
    check_c_linker,
    check_jupyterlab,
    check_kernel,
)


def format_result(result: Result) -> str:
    """``OK   message`` or ``FAIL message`` then ``     fix: ...``; extra message lines indented."""
    first, *rest = result.message.splitlines() or [""]
    lines = [f"{'OK  ' if result.ok else 'FAIL'} {first}"]
    lines += [f"     note: {line}" for line in rest]
    if not result.ok and result.fix:
        lines.append(f"     fix: {result.fix}")
    return "\n".join(lines)


def run_checks(checks=CHECKS) -> list[Result]:
    """Run ``checks`` in order; a check that raises becomes a FAIL naming the error."""
    results = []
    for check in checks:
        try:
            result = check()
        except Exception as error:  # noqa: BLE001
            result = Result(False, f"{check.__name__} crashed: {type(error).__name__}: {error}", "please report this")
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    """Print one line per requirement; return 0 when all are met, 1 otherwise."""
    if argv:
        print(f"usage: python -m nbhelpers.envcheck (takes no arguments, got {' '.join(argv)})", file=sys.stderr)
        return 2
    failed = 0
    for result in run_checks():
        print(format_result(result), flush=True)
        failed += not result.ok
    if failed:
        print(f"{failed} problem(s): apply the fixes above, then run this check again.")
        return 1
    print("Everything is ready: run `make lab` and open 00-Start-Here.ipynb.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
