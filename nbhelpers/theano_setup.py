"""Configure Theano (theano-pymc 1.1.2) so that it imports and runs on this course's stack.

This is the one job ``nbhelpers`` does at import time, and it must happen *before*
``import theano``: Theano reads its flags once, when it is first imported.

What it does, and why (measured on Python 3.11, numpy 1.23, scipy 1.11):

* ``blas__ldflags``: theano-pymc looks for BLAS link flags in ``numpy.distutils``,
  which no longer has them, and crashes at import. An empty setting makes Theano
  use its NumPy C-API BLAS (matrix products still run on numpy's OpenBLAS).
  A value the learner set themselves (``THEANO_FLAGS`` or a ``.theanorc``) is kept.
* ``gcc__cxxflags=-O1 -g0`` (unless set by the learner): Theano's C modules are tiny
  and compiled once each; without debug information and at -O1 they compile faster than
  with Theano's -O3 -g and run the course's code as fast (the numbers in :data:`DEFAULTS`).
* ``floatX``: the course's numbers are float64. A learner's ``floatX=float32``
  would make ``T.vector``/``T.matrix`` reject float64 arrays, so it is overridden
  for the session, with a notice.
* ``device``: there is no GPU back end in theano-pymc; a ``device`` other than
  ``cpu`` is overridden, with a notice. Likewise ``compute_test_value`` (the notebooks'
  graphs carry no test values). Every other setting of the learner's is kept.
* ``cxx``: without a C++ compiler Theano runs its pure-Python implementations (same
  results, slower). Theano's own multi-line warning is replaced by one notice that
  says how to get the speed back.
* Compile cache: theano-pymc versions the C code of ops such as ``DimShuffle`` with
  Python's ``hash()`` of their source, which changes in every process (string hashing
  is randomised), so every new kernel recompiled those modules (~3 s each) and the
  cache grew on every run. A content hash (sha256) makes the version stable; it is
  patched in when ``theano.graph.op`` is first imported.
* Compile cache, again: an op without parameters (``Alloc``, ``ScalarFromTensor``,
  ... whose ``__props__`` is ``()``) made every C module it is part of "unversioned",
  so Theano compiled such modules anew each time (~0.7 s each, also within one
  process) and never cached them. An empty ``__props__`` is not a missing version;
  the module key is computed without it (the fix Aesara made in PR #1108).
* Compile speed: a precompiled header for the C modules and the CPU flags remembered
  between processes (:mod:`nbhelpers.compile_speed`).
* The BLAS notice Theano logs at import is silenced (it is expected, not a problem).
* ``theano.scan`` (and so ``hessian``/``jacobian``) tries to compile Cython-generated
  C code that does not build on Python 3.11; Theano falls back to its pure-Python
  scan when that extension cannot be imported, so the import is blocked up front.

First taught in ``notebooks/01-Represent-Data-As-Tensors.ipynb``.
"""
from __future__ import annotations

import configparser
import hashlib
import importlib.machinery
import logging
import os
import shutil
import sys

from nbhelpers import compile_speed

#: Settings the course needs, with the reason shown to a learner whose own
#: configuration disagrees.
REQUIRED = {
    "floatX": ("float64", "the course computes in float64 and compares results to many digits"),
    "device": ("cpu", "theano-pymc has no GPU back end and this course runs on the CPU"),
    "compute_test_value": ("off", "the notebooks build graphs without test values"),
}

#: Settings the course makes unless the learner's flags or ``.theanorc`` set them.
DEFAULTS = {
    # theano-pymc's own BLAS detection crashes on this numpy (see the module docstring).
    "blas__ldflags": "",
    # Theano compiles its C modules with -O3 -g; the later -O1 -g0 win. Measured on the
    # course: g++ time of a first run 35 s -> 24 s (-O1: 28 s, then no debug information:
    # 0.24 -> 0.19 s a module), and the in-graph trainer no slower (1.36 against 1.63 µs
    # per step; -O0 would compile in 23 s but run 4 times slower).
    "gcc__cxxflags": "-O1 -g0",
}

_SCAN_EXTENSION = "theano.scan.scan_perform_ext"
_state = {"configured": False, "notices": []}


def parse_flags(flags: str) -> dict[str, str]:
    """Parse a ``THEANO_FLAGS`` string (``key=value`` pairs separated by commas).

    Keys are normalised to Theano's ``section__option`` spelling, so
    ``blas.ldflags`` and ``blas__ldflags`` are the same key.
    """
    if not isinstance(flags, str):
        raise TypeError(f"flags must be a str like 'floatX=float64,mode=FAST_RUN', got {type(flags).__name__}")
    parsed = {}
    for item in flags.split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep:  # Theano itself ignores such entries (with a warning)
            continue
        parsed[key.strip().replace(".", "__")] = value.strip()
    return parsed


def format_flags(flags: dict[str, str]) -> str:
    """Turn a ``{key: value}`` dict back into a ``THEANO_FLAGS`` string."""
    return ",".join(f"{key}={value}" for key, value in flags.items())


def theanorc_settings(env: dict[str, str] | None = None) -> dict[str, str]:
    """Read the learner's ``.theanorc`` file(s) into ``{section__option: value}``.

    Follows Theano's rules: ``THEANORC`` (a path list) if set, else ``~/.theanorc``;
    option names are case-insensitive, so keys are lower case (``floatx``).
    """
    env = os.environ if env is None else env
    paths = env.get("THEANORC", os.path.join("~", ".theanorc")).split(os.pathsep)
    parser = configparser.ConfigParser()
    parser.read([os.path.expanduser(p) for p in paths if p])
    settings = {}
    for section in parser.sections():
        for option, value in parser.items(section, raw=True):
            key = option if section == "global" else f"{section}__{option}"
            settings[key] = value
    return settings


def merged_flags(env: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """Return the ``THEANO_FLAGS`` value the course runs with, and notices for the learner.

    The learner's own flags are kept, except those in :data:`REQUIRED`, which are
    overridden (each with a notice saying why). The settings of :data:`DEFAULTS`
    (``blas__ldflags`` empty, ``gcc__cxxflags=-O1 -g0``) are added unless the learner's
    flags or ``.theanorc`` already set them.
    """
    env = os.environ if env is None else env
    flags = parse_flags(env.get("THEANO_FLAGS", ""))
    rc = theanorc_settings(env)
    notices = []
    for key, value in DEFAULTS.items():
        if key not in flags and key not in rc:
            flags[key] = value
    def current(key):
        return flags.get(key, rc.get(key.lower()))

    compiler = current("cxx")
    if compiler is None and shutil.which("g++", path=env.get("PATH")) is None:
        flags["cxx"] = compiler = ""
    if compiler == "":
        notices.append(
            "nbhelpers: no C++ compiler, so Theano runs in pure Python: the results are the "
            "same, the training loops are much slower. For speed, install g++ (Debian/Ubuntu: "
            "apt-get install g++), remove any cxx= from THEANO_FLAGS / .theanorc, and restart the kernel."
        )
    for key, (needed, why) in REQUIRED.items():
        value = current(key)
        if value is not None and value != needed:
            notices.append(
                f"nbhelpers: your Theano setting {key}={value} is replaced by "
                f"{key}={needed} for this course ({why}). To stop seeing this, remove "
                f"{key} from THEANO_FLAGS / .theanorc or set it to {needed}."
            )
            flags[key] = needed
    return format_flags(flags), notices


def stable_c_code_cache_version(self) -> tuple:
    """``ExternalCOp.c_code_cache_version`` with a content hash that is the same in every process."""
    digest = hashlib.sha256("\0".join(self.func_codes).encode()).hexdigest()
    version = (int(digest[:15], 16),)
    if hasattr(self, "params_type"):
        version += (self.params_type.c_code_cache_version(),)
    return version


def module_key_versions(linker, fgraph) -> tuple:
    """The version part of a C module's cache key, as ``CLinker.cmodule_key_`` builds it,
    except that an op's empty ``__props__`` is left out instead of counting as "unversioned"."""
    from theano.link.c.interface import CLinkerObject

    version = []
    for node in linker.schedule(fgraph):
        if hasattr(node.op, "c_code_cache_version_apply"):
            version.append(node.op.c_code_cache_version_apply(node))
        if getattr(node.op, "__props__", ()):
            version.append(node.op.__props__)
        for var in list(node.inputs) + list(node.outputs):
            if isinstance(var.type, CLinkerObject):
                version.append(var.type.c_code_cache_version())
    return tuple(version)


def _patch_external_cop(module) -> None:
    module.ExternalCOp.c_code_cache_version = stable_c_code_cache_version


def _patch_clinker(module) -> None:
    original = module.CLinker.cmodule_key_

    def cmodule_key_(self, fgraph, no_recycling, *args, **kwargs):
        key = original(self, fgraph, no_recycling, *args, **kwargs)
        if key is not None and key[0] == ():
            version = module_key_versions(self, fgraph)
            if all(version):  # unversioned only because of an empty __props__
                return version, key[1]
        return key

    module.CLinker.cmodule_key_ = cmodule_key_


class _PatchOnImport:
    """Meta-path finder: when a module in :attr:`patches` is imported, patch it."""

    patches = {
        "theano.graph.op": _patch_external_cop,
        "theano.link.c.basic": _patch_clinker,
        "theano.link.c.cmodule": compile_speed.patch,
    }

    def find_spec(self, fullname, path, target=None):
        patch = self.patches.get(fullname)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        original = spec.loader.exec_module

        def exec_module(module):
            original(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


def configure() -> list[str]:
    """Set Theano's flags for this process; return the notices shown to the learner.

    Safe to call more than once. If ``theano`` is already imported, nothing can be
    changed any more: one message says how to recover instead.
    """
    if _state["configured"]:
        return list(_state["notices"])
    # After a failed `import theano`, "theano" is gone from sys.modules but parts of
    # it (theano.configdefaults, ...) stay, with the flags it read: too late as well.
    if any(name == "theano" or name.startswith("theano.") for name in sys.modules
           if name != _SCAN_EXTENSION):
        message = (
            "nbhelpers: Theano was imported before nbhelpers, so the course could not "
            "configure it (BLAS flags, float64, scan on Python 3.11). Restart the kernel "
            "(Kernel > Restart Kernel) and run `import nbhelpers` before `import theano`."
        )
        print(message, file=sys.stderr)
        return [message]
    flags, notices = merged_flags()
    os.environ["THEANO_FLAGS"] = flags
    logging.getLogger("theano.tensor.blas").setLevel(logging.ERROR)
    # Importing a module whose sys.modules entry is None raises ImportError,
    # which sends theano.scan to its pure-Python implementation.
    sys.modules.setdefault(_SCAN_EXTENSION, None)
    sys.meta_path.insert(0, _PatchOnImport())
    for notice in notices:
        print(notice, file=sys.stderr)
    _state.update(configured=True, notices=notices)
    return notices
