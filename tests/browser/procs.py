"""Which processes are running, read from /proc (psutil is not a dependency).

A process is identified by its PID *and* its start time, so a PID that the
kernel hands out again to some unrelated process later is not mistaken for
the one we saw. Zombies (exited, not yet reaped) count as not running.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Proc:
    pid: int
    start: int  # start time in clock ticks after boot (field 22 of /proc/PID/stat)
    cmdline: str

    def __str__(self) -> str:
        return f"PID {self.pid}: {self.cmdline[:200]}"


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of ``pid``, or None if it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is in parentheses and may contain spaces.
    fields = raw[raw.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[19])


def _cmdline(pid: int) -> str:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def _pids() -> list[int]:
    return [int(name) for name in os.listdir(PROC) if name.isdigit()]


def describe(pid: int) -> Proc | None:
    """The running process ``pid`` (None if it is gone or a zombie)."""
    stat = _stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return None
    return Proc(pid, stat[2], _cmdline(pid))


def is_running(proc: Proc) -> bool:
    """Whether the very process ``proc`` (same PID and start time) still runs."""
    now = describe(proc.pid)
    return now is not None and now.start == proc.start


def descendants(pid: int) -> list[Proc]:
    """Every running process below ``pid`` in the process tree."""
    children: dict[int, list[int]] = {}
    for other in _pids():
        stat = _stat(other)
        if stat is not None:
            children.setdefault(stat[1], []).append(other)
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        proc = describe(child)
        if proc is not None:
            found.append(proc)
        todo.extend(children.get(child, []))
    return found


def with_cmdline_containing(text: str) -> list[Proc]:
    """Running processes whose command line contains ``text`` (e.g. a temp dir)."""
    found = []
    for pid in _pids():
        if pid == os.getpid():
            continue
        proc = describe(pid)
        if proc is not None and text in proc.cmdline:
            found.append(proc)
    return found
