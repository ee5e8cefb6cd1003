"""Crawler processes that die with their parent.

A crawler left running after its parent was killed keeps writing to the store while a
re-run crawls the same source beside it (issue 12: 454 of 699 pages lost). On Linux
each child asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``
through ctypes, set between fork and exec); every child also gets its own process group,
so a terminal's Ctrl-C reaches the parent only and the parent stops its children
itself (``kill``). Elsewhere the parent-death signal is missing: the crawl lock the
child inherits then keeps a re-run out until the orphan ends.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from typing import IO

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with(parent: int) -> None:
    """Runs in the child between fork and exec."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # no such call here: the inherited lock still keeps a re-run out
    if os.getppid() != parent:  # the parent died before prctl: nobody to die with
        os._exit(1)


def start_child(cmd: list[str], env: dict[str, str], stderr: IO[bytes] | None, lock_fd: int | None = None,
                cwd: str | None = None) -> subprocess.Popen:
    """Start a crawler process that dies with this one and shares ``lock_fd`` (if any)."""
    parent = os.getpid()
    linux = sys.platform.startswith("linux")
    return subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr,
        start_new_session=True,
        preexec_fn=(lambda: _die_with(parent)) if linux else None,  # noqa: PLW1509 - prctl must run in the child
        pass_fds=(lock_fd,) if lock_fd is not None else (),
    )


def kill(proc: subprocess.Popen) -> None:
    """Stop a crawler process and its group at once (it resumes cleanly: crawlers.crawl)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()
