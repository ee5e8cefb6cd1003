"""Cross-process locks on files (``fcntl.flock``), and the run guard built on them.

Why flock: the kernel drops the lock when the holder dies, however it dies, so a
crashed scheduler, cycle or deliverer never leaves a stale lock behind. Each
acquisition opens its own file description, so two threads of one process exclude
each other as well as two processes do. A crawler child started with the lock's
descriptor (``pass_fds``) shares the lock: the lock is free only once parent *and*
child are gone, so a re-run can never crawl beside an orphan.

Store locks (``store_lock``) are scoped to the store: for SQLite they sit beside the
database file (``smoke.db.locks/``), so two homes pointing at one file still exclude
each other; for Elasticsearch they sit under SMOKE_HOME, one folder per cluster and
index prefix. Their names: ``cycle``, ``crawl-<source>``, ``score``, ``export``; alert
delivery keeps its own ``alerts-deliver`` lock beside the store (smoke.alerts.outbox, delivery_lock_path).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config import SmokeError

if TYPE_CHECKING:
    from config.settings import Settings


class LockBusy(SmokeError):
    """The lock is held by someone else (``holder`` says who, when known)."""

    def __init__(self, path: Path, holder: dict | None = None, waited_s: float = 0.0) -> None:
        self.path = path
        self.holder = holder or {}
        self.waited_s = waited_s
        super().__init__(f"{path}: {describe_holder(holder)}"
                         + (f" (waited {waited_s:g}s)" if waited_s else "")
                         + "; try again later, or pass --wait SECONDS")


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "held by another process"
    return f"held by pid {holder.get('pid')} ({holder.get('what') or '?'}) since {holder.get('since', '?')}"


def lock_path(home: Path, name: str) -> Path:
    return Path(home) / "locks" / f"{name}.lock"


def read_holder(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8").strip()
        return json.loads(text) if text else None
    except (OSError, ValueError):
        return None


def pid_alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError, TypeError):
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def file_lock(path: Path, what: str = "", timeout_s: float = 0.0, poll_s: float = 0.05) -> Iterator[int]:
    """Hold an exclusive lock on ``path`` for the ``with`` block; yields the descriptor
    (give it to a child process with ``pass_fds`` to share the lock).

    ``timeout_s`` 0 means try once; otherwise wait up to that long. Raises ``LockBusy``.
    A holder record left by a process that died (the kernel already freed the lock) is
    reported on stderr and replaced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        deadline = started + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(path, read_holder(path), round(time.monotonic() - started, 1)) from None
                time.sleep(poll_s)
        stale = read_holder(path)
        if stale and stale.get("pid") != os.getpid():
            # Free lock, full record: its holder died without its `finally` (kill -9, power).
            print(f"[lock] {path.name}: released the lock left by pid {stale.get('pid')} "
                  f"({stale.get('what') or '?'}, since {stale.get('since', '?')}), which is gone",
                  file=sys.stderr, flush=True)
        # Who holds it, for the loser's message and for `smoke schedule --status`.
        info = {"pid": os.getpid(), "what": what, "since": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        try:
            yield fd
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# --- locks scoped to a store -------------------------------------------------


def _es(settings: Settings, sqlite_path: Path | None) -> bool:
    return settings.store == "elasticsearch" and sqlite_path is None


def store_key(settings: Settings, sqlite_path: Path | None = None) -> str:
    """A short name of the configured store (or the SQLite file ``sqlite_path``)."""
    if _es(settings, sqlite_path):
        return "es-" + hashlib.sha256(f"{settings.es_url}|{settings.es_prefix}".encode()).hexdigest()[:12]
    path = str(Path(sqlite_path or settings.sqlite_path).resolve())
    return "sqlite-" + hashlib.sha256(path.encode()).hexdigest()[:12]


def store_lock_dir(settings: Settings, sqlite_path: Path | None = None) -> Path:
    """Where the locks of the configured store (or the SQLite file ``sqlite_path``) live."""
    if _es(settings, sqlite_path):
        return settings.home / "locks" / store_key(settings, sqlite_path)
    path = Path(sqlite_path or settings.sqlite_path).resolve()
    return path.with_name(path.name + ".locks")


def delivery_lock_path(store: object, home: Path) -> Path:
    """The alert deliverers' lock for an open store: beside an embedded store's file (so that
    deliverers of two homes sharing one store file exclude each other), else under ``home``."""
    path = getattr(store, "path", None)  # SQLiteStore.path; a cluster store has none
    if isinstance(path, Path):
        p = path.resolve()
        return p.with_name(p.name + ".locks") / "alerts-deliver.lock"
    return lock_path(home, "alerts-deliver")


def store_jobs_dir(settings: Settings, sqlite_path: Path | None = None) -> Path:
    """Scrapy job folders (JOBDIR) of crawls into this store, one per source."""
    return settings.home / "jobs" / store_key(settings, sqlite_path)


@contextmanager
def store_lock(settings: Settings, name: str, what: str, timeout_s: float = 0.0,
               sqlite_path: Path | None = None) -> Iterator[int]:
    """The store-scoped lock ``name`` (cycle, crawl-<source>, score, export)."""
    with file_lock(store_lock_dir(settings, sqlite_path) / f"{name}.lock", what=what, timeout_s=timeout_s) as fd:
        yield fd
