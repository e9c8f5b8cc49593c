"""A throwaway JupyterLab server for the browser tests.

It serves a temporary copy of ``notebooks/`` (autosave writes outputs back into
the notebooks it serves, so it must never see the committed files), listens on
127.0.0.1 on a free port with a random token, and keeps every piece of Jupyter
state (config, runtime, data, lab settings and workspaces, IPython profile) in
fresh folders, so neither the machine's settings nor a previous run leak in.
"""
from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import procs

# Lab settings written into the fresh settings folder: nothing may reach out to
# the internet (there is no network here) or pop a toast over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to send SIGTERM to the server if pytest dies (e.g. killed hard)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class LabServer:
    """``jupyter lab`` on a copy of ``source`` inside ``workdir``; see the module doc."""

    def __init__(self, source: Path, workdir: Path, python: str = sys.executable):
        self.workdir = Path(workdir)
        self.root = self.workdir / "notebooks"
        self.log_path = self.workdir / "jupyterlab-server.log"
        self.runtime_dir = self.workdir / "jupyter-runtime"
        self.token = secrets.token_hex(24)
        self.port: int | None = None
        self.python = python
        self.process: subprocess.Popen | None = None
        self.proc: procs.Proc | None = None  # the server process, as seen in /proc
        self.kernels: set[procs.Proc] = set()  # every kernel process seen
        self.stopped_by: str | None = None
        self.killed: list[procs.Proc] = []  # kernels that outlived the server
        self._log = None
        shutil.copytree(source, self.root)

    # -- addresses -------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10) -> tuple[int, object]:
        """Call the REST API; returns (status, decoded JSON or None)."""
        request = urllib.request.Request(
            f"{self.base_url}/{path.lstrip('/')}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
                return response.status, json.loads(body) if body.strip() else None
        except urllib.error.HTTPError as error:
            return error.code, None

    # -- lifecycle ---------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        # A learner's kernel does not run under pytest: C-level stderr is captured
        # differently when PYTEST_CURRENT_TEST is set (see tools/execute_notebooks.py).
        env.pop("PYTEST_CURRENT_TEST", None)
        folders = {
            "JUPYTER_CONFIG_DIR": "jupyter-config",
            "JUPYTER_DATA_DIR": "jupyter-data",
            "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
            "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
            "IPYTHONDIR": "ipython",
        }
        for variable, name in folders.items():
            folder = self.workdir / name
            folder.mkdir(exist_ok=True)
            env[variable] = str(folder)
        # Kernels' temp files (e.g. from C compilations) stay in our folder, removed with it.
        (self.workdir / "tmp").mkdir(exist_ok=True)
        env["TMPDIR"] = str(self.workdir / "tmp")
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_PREFER_ENV_PATH", None)
        for name, values in LAB_SETTINGS.items():
            path = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return env

    def command(self) -> list[str]:
        cmd = [
            self.python, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def start(self, timeout: float = 120) -> None:
        """Start the server and wait until ``/api/status`` answers 200."""
        env = self._environment()
        for attempt in range(3):  # the free port may be taken between probe and bind
            self.port = free_port()
            self._log = open(self.log_path, "a", encoding="utf-8")
            self._log.write(f"$ {' '.join(self.command())}\n".replace(self.token, "<token>"))
            self._log.flush()
            self.process = subprocess.Popen(
                self.command(), cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                stdout=self._log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_die_with_parent,
            )
            self.proc = procs.describe(self.process.pid)
            if self._wait_ready(timeout):
                return
            if self.process.poll() is None:
                self.stop()
                raise RuntimeError(
                    f"JupyterLab did not answer within {timeout:.0f} s; log: {self.log_path}"
                )
            self._log.close()
            if "already in use" not in self.log_path.read_text():
                break
        raise RuntimeError(
            f"JupyterLab exited with code {self.process.returncode} while starting; "
            f"log: {self.log_path}"
        )

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if self.api("GET", "api/status", timeout=2)[0] == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.25)
        return False

    def kernel_processes(self) -> list[procs.Proc]:
        """Running kernels of this server (their connection file is in our runtime dir)."""
        found = procs.with_cmdline_containing(str(self.runtime_dir))
        self.kernels.update(found)
        return found

    def shutdown_sessions(self) -> None:
        """Shut down every notebook's kernel (frees memory between notebooks)."""
        self.kernel_processes()
        status, sessions = self.api("GET", "api/sessions")
        for session in sessions or []:
            self.api("DELETE", f"api/sessions/{session['id']}", timeout=60)

    def stop(self, timeout: float = 60) -> None:
        """Stop the server and every kernel it started; safe to call twice.

        First the polite way (``POST /api/shutdown``, which shuts down the kernels
        too), then SIGTERM, then SIGKILL; kernels still around after that are killed.
        ``stopped_by`` says which step ended the server.
        """
        if self.process is None or self.stopped_by is not None:
            return
        self.kernel_processes()
        steps = [
            ("api/shutdown", lambda: self.api("POST", "api/shutdown", timeout=10)),
            ("SIGTERM", lambda: os.killpg(self.process.pid, signal.SIGTERM)),
            ("SIGKILL", lambda: os.killpg(self.process.pid, signal.SIGKILL)),
        ]
        for name, step in steps:
            if self.process.poll() is not None:
                break
            try:
                step()
            except OSError:
                pass
            try:
                self.process.wait(timeout)
                self.stopped_by = name
                break
            except subprocess.TimeoutExpired:
                continue
        self.stopped_by = self.stopped_by or "already exited"
        deadline = time.monotonic() + 20
        while any(procs.is_running(k) for k in self.kernels) and time.monotonic() < deadline:
            time.sleep(0.2)
        for leftover in self.kernel_processes():
            self.killed.append(leftover)
            try:
                os.kill(leftover.pid, signal.SIGKILL)
            except OSError:
                pass
        if self._log is not None:
            self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").replace(self.token, "<token>")
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])
