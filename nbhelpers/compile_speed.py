"""Make Theano's C compilation cheaper on a first run, without changing what it computes.

A first run of the course compiles about a hundred small C modules, one per kind of
operation, each with ``g++``; a module takes about a second. Measured here, most of
that second is ``g++`` reading the same headers again (Python's, numpy's, the C++
library's), and every new kernel also spends about 0.4 s asking ``g++`` which
``-march`` flags suit this CPU. Two changes, both patched into Theano's compiler
class when it is imported (see :mod:`nbhelpers.theano_setup`):

* **Precompiled header.** The headers every Theano module starts with are compiled
  once into a GCC precompiled header (``course.h.gch``, in Theano's compile directory,
  one per set of compiler flags), and each module is compiled with ``-include`` of
  it: about 0.45 s instead of 1.1 s per module. The module's code and cache key are
  unchanged. GCC uses the precompiled header only if it was made with the same
  flags and otherwise reads the plain headers, so the result is the same either
  way; if anything about it fails, the module is compiled the ordinary way.
* **CPU flags remembered.** The ``-march`` flags Theano detects are stored in the
  compile directory, keyed by compiler and CPU, and reused by the next process.

Only for ``g++`` (Theano's default compiler); any other compiler is left alone.

First explained in ``notebooks/05-Train-Boolean-Neurons.ipynb`` (where the time goes).
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: The includes every Theano C module starts with, in this order.
COMMON_INCLUDES = (
    "#include <Python.h>",
    "#include <iostream>",
    '#include "theano_mod_helper.h"',
    "#include <math.h>",
    "#include <numpy/arrayobject.h>",
    "#include <numpy/arrayscalars.h>",
    "#include <vector>",
    "#include <algorithm>",
)
HEADER_TEXT = "\n".join(COMMON_INCLUDES) + "\n"
PCH_DIR = "nbhelpers-pch"
MARCH_FILE = "nbhelpers-march-flags.json"

_state = {"pch_disabled": False, "failed": set()}


def _is_gxx(cxx: str) -> bool:
    name = os.path.basename(cxx or "")
    return "g++" in name and "clang" not in name


def uses_common_includes(src_code: str) -> bool:
    """True if a module's source starts with :data:`COMMON_INCLUDES` (all Theano op modules do)."""
    return src_code.startswith(HEADER_TEXT)


def precompiled_header(cmodule, preargs: list, include_dirs: list, hide_symbols: bool) -> Path | None:
    """The header to ``-include`` for a module compiled with these flags, built if needed.

    Returns None (compile the ordinary way) if the compiler is not g++ or building the
    precompiled header failed once for these flags.
    """
    config = cmodule.config
    if _state["pch_disabled"] or not _is_gxx(config.cxx):
        return None
    if config.cmodule__remove_gxx_opt:
        preargs = [p for p in preargs if not p.startswith("-O")]
    flags = list(preargs) + [f"-I{d}" for d in include_dirs]
    if hide_symbols:
        flags.append("-fvisibility=hidden")
    # The headers' versions too: GCC does not notice that a header changed after the
    # precompiled header was made (say numpy was upgraded in the same environment).
    versions = [sys.version, cmodule.numpy.__version__, getattr(sys.modules.get("theano"), "__version__", "")]
    signature = json.dumps([config.cxx, cmodule.gcc_version_str, flags, HEADER_TEXT, versions])
    digest = hashlib.sha256(signature.encode()).hexdigest()[:20]
    if digest in _state["failed"]:
        return None
    folder = Path(config.compiledir) / PCH_DIR / digest
    header, gch = folder / "course.h", folder / "course.h.gch"
    if header.exists() and gch.exists():
        return header
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(header, HEADER_TEXT.encode())
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".gch.tmp", delete=False) as tmp:
            partial = Path(tmp.name)
        cmd = [config.cxx, "-g"] + flags + ["-x", "c++-header", str(header), "-o", str(partial)]
        result = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            _state["failed"].add(digest)
            return None
        os.replace(partial, gch)  # atomic: other processes see all of it or nothing
    except OSError:
        _state["failed"].add(digest)
        return None
    return header


def _write_atomically(path: Path, data: bytes) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)


def patch_compile_str(cmodule) -> None:
    """Make ``GCC_compiler.compile_str`` compile Theano op modules with the precompiled header."""
    compiler = cmodule.GCC_compiler
    original = compiler.compile_str

    def compile_str(module_name, src_code, location=None, include_dirs=None, lib_dirs=None,
                    libs=None, preargs=None, py_module=True, hide_symbols=True):
        header = None
        if uses_common_includes(src_code):
            dirs = [d for d in (include_dirs or []) if d] + cmodule.std_include_dirs()
            header = precompiled_header(cmodule, list(preargs or []), dirs, hide_symbols)
        if header is not None:
            try:
                return original(module_name, src_code, location, include_dirs, lib_dirs, libs,
                                list(preargs or []) + ["-include", str(header)], py_module, hide_symbols)
            except Exception:  # never worse than without it: compile the ordinary way
                _state["pch_disabled"] = True
        return original(module_name, src_code, location, include_dirs, lib_dirs, libs,
                        preargs, py_module, hide_symbols)

    compiler.compile_str = staticmethod(compile_str)


def _cpu_identity() -> str | None:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    keep = [line for line in text.splitlines() if line.split(":")[0].strip() in ("model name", "flags")]
    return hashlib.sha256("\n".join(sorted(set(keep))).encode()).hexdigest() if keep else None


def patch_march_detection(cmodule) -> None:
    """Remember the ``-march`` flags Theano detects for this compiler and CPU between processes."""
    compiler = cmodule.GCC_compiler
    original = compiler.compile_args

    def compile_args(march_flags=True):
        config = cmodule.config
        remember = march_flags and compiler.march_flags is None and _is_gxx(config.cxx)
        store, key = None, None
        if remember:
            cpu = _cpu_identity()
            if cpu is not None:
                key = hashlib.sha256(json.dumps([config.cxx, cmodule.gcc_version_str, cpu,
                                                 config.gcc__cxxflags]).encode()).hexdigest()
                store = Path(config.compiledir) / MARCH_FILE
                known = _read_json(store)
                if isinstance(known.get(key), list):
                    compiler.march_flags = list(known[key])
        args = original(march_flags)
        if store is not None and isinstance(compiler.march_flags, list):
            known = _read_json(store)
            if known.get(key) != compiler.march_flags:
                known[key] = compiler.march_flags
                try:
                    store.parent.mkdir(parents=True, exist_ok=True)
                    _write_atomically(store, json.dumps(known, indent=1).encode())
                except OSError:
                    pass
        return args

    compiler.compile_args = staticmethod(compile_args)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def patch(cmodule) -> None:
    """Apply both changes to ``theano.link.c.cmodule`` (called when it is imported)."""
    patch_compile_str(cmodule)
    patch_march_detection(cmodule)
