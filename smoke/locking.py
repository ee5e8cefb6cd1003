"""Cross-process locks on files in SMOKE_HOME (``fcntl.flock``).

Why flock: the kernel drops the lock when the holder dies, however it dies, so a
crashed scheduler or deliverer never leaves a stale lock behind. Each acquisition
opens its own file description, so two threads of one process exclude each other
as well as two processes do.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class LockBusy(Exception):
    """The lock is held by someone else (``holder`` says who, when known)."""

    def __init__(self, path: Path, holder: dict | None = None) -> None:
        self.path = path
        self.holder = holder or {}
        who = f" by pid {self.holder.get('pid')} ({self.holder.get('what', '?')}) since {self.holder.get('since', '?')}" if holder else ""
        super().__init__(f"{path} is held{who}")


def lock_path(home: Path, name: str) -> Path:
    return Path(home) / "locks" / f"{name}.lock"


def read_holder(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8").strip()
        return json.loads(text) if text else None
    except (OSError, ValueError):
        return None


@contextmanager
def file_lock(path: Path, what: str = "", timeout_s: float = 0.0, poll_s: float = 0.05) -> Iterator[Path]:
    """Hold an exclusive lock on ``path`` for the ``with`` block.

    ``timeout_s`` 0 means try once; otherwise wait up to that long. Raises ``LockBusy``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(path, read_holder(path)) from None
                time.sleep(poll_s)
        # Who holds it, for the loser's log line and for `smoke schedule --status`.
        info = {"pid": os.getpid(), "what": what, "since": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
