"""Re-execute the course notebooks top to bottom and store their outputs in place.

This is the one way stored outputs are made (``make outputs``); nobody edits
notebook JSON by hand. Each notebook runs in a fresh kernel, in ``notebooks/``,
under the same conditions nbval re-executes it in (``PYTEST_CURRENT_TEST`` set,
so low-level stderr is captured the same way).

    python tools/execute_notebooks.py                 # every notebook
    python tools/execute_notebooks.py notebooks/02-*.ipynb
    python tools/execute_notebooks.py --out /tmp/run    # write executed copies there
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def course_notebooks() -> list[Path]:
    """The course notebooks in reading order (file names start with their number)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive stdout (or stderr) outputs into one, as a reader sees them.

    How the kernel chunks a cell's printing depends on timing; merging keeps the
    stored notebook the same from run to run (nbval merges them too).
    """
    merged = []
    for out in outputs:
        previous = merged[-1] if merged else None
        if (out.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == out.name):
            previous.text += out.text
        else:
            merged.append(out)
    return merged


def execute(path: Path, timeout: int = 900, out: Path | None = None) -> None:
    """Execute one notebook in a fresh kernel; write it back (or to ``out``) with its outputs."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = KERNEL
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    nbformat.validate(nb)
    nbformat.write(nb, out or path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument("--out", type=Path, help="write executed copies to this folder instead")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.paths] or course_notebooks()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYTEST_CURRENT_TEST", "tools/execute_notebooks.py (call)")
    for path in paths:
        start = time.perf_counter()
        print(f"executing {path.relative_to(ROOT)} ...", end=" ", flush=True)
        execute(path, out=args.out / path.name if args.out else None)
        print(f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
