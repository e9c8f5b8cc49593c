"""A kernel killed while it holds Theano's compile lock does not leave the next run stuck."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

HOLD_LOCK = (
    "import nbhelpers, theano, time\n"
    "from theano.compile.compilelock import lock_ctx\n"
    "with lock_ctx():\n"
    "    print('locked', flush=True)\n"
    "    time.sleep(600)\n"
)
COMPILE = (
    "import nbhelpers, theano, theano.tensor as T\n"
    "x = T.dscalar('x')\n"
    "print(theano.function([x], x * 3 + 1)(2.0))\n"
)


def test_killed_holder_of_the_compile_lock_does_not_block_the_next_kernel(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEANO")}
    # A private compile cache, and a short lock timeout so a stuck lock fails fast.
    env["THEANO_FLAGS"] = f"base_compiledir={tmp_path / 'cache'},compile__timeout=60"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK], env=env, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        os.kill(holder.pid, signal.SIGKILL)  # like a kernel killed mid-compilation
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.stdout.close()
    assert list((tmp_path / "cache").glob("compiledir_*/.lock")), "the lock file is left behind"
    start = time.monotonic()
    after = subprocess.run(
        [sys.executable, "-c", COMPILE], env=env, capture_output=True, text=True, timeout=300,
    )
    assert after.returncode == 0, after.stderr
    assert after.stdout.strip() == "7.0"
    assert time.monotonic() - start < 120
