"""Runs that tell the truth about their end.

A run record is saved as ``running`` when it starts; its process holds the lock
``run-<id>`` beside the store's other locks for as long as it lives. When the next run
starts, every record still ``running`` whose lock is free belongs to a process that
died (``kill -9``, a power cut, an OOM kill): ``sweep_interrupted`` marks it
``interrupted``, so no run stays ``running`` forever.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from smoke.locking import LockBusy, file_lock, store_lock, store_lock_dir

if TYPE_CHECKING:
    from config.settings import Settings
    from indexing.store.base import Store

INTERRUPTED = "interrupted"
SWEEP_LIMIT = 500  # run records looked at; older ones were swept by earlier runs


def _run_lock(lock_dir: Path, run_id: str) -> Path:
    return lock_dir / f"run-{run_id}.lock"


@contextmanager
def live_run(settings: Settings, run_id: str, sqlite_path: Path | None = None) -> Iterator[None]:
    """Hold the liveness lock of run ``run_id`` for the ``with`` block."""
    path = _run_lock(store_lock_dir(settings, sqlite_path), run_id)
    with file_lock(path, what=f"run {run_id}"):
        yield
    path.unlink(missing_ok=True)


def sweep_interrupted(store: Store, settings: Settings, sqlite_path: Path | None = None) -> list[str]:
    """Mark ``interrupted`` every ``running`` record whose process is gone; return their ids."""
    lock_dir = store_lock_dir(settings, sqlite_path)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    swept = []
    for run in store.list_runs(limit=SWEEP_LIMIT):
        if run.status != "running":
            continue
        path = _run_lock(lock_dir, run.id)
        try:
            with file_lock(path, what="sweep"):
                # Its owner may have finished between the listing and the lock: read again.
                run = next((r for r in store.list_runs(limit=SWEEP_LIMIT) if r.id == run.id), run)
        except LockBusy:
            continue  # its process is alive: a run of another source, still going
        path.unlink(missing_ok=True)
        if run.status != "running":
            continue
        run.status = INTERRUPTED
        run.finished = run.finished or now
        run.message = "; ".join(p for p in (run.message, f"interrupted: its process stopped before the end "
                                                         f"(found at {now})") if p)
        store.save_run(run)
        swept.append(run.id)
    return swept


@contextmanager
def crawl_locks(settings: Settings, names: list[str], what: str, timeout_s: float = 0.0,
                sqlite_path: Path | None = None) -> Iterator[dict[str, int]]:
    """The ``crawl-<source>`` lock of each of ``names`` (taken in name order, so two runs
    never wait for each other crosswise); yields source -> descriptor for the crawlers."""
    with ExitStack() as stack:
        fds = {name: stack.enter_context(store_lock(settings, f"crawl-{name}", what, timeout_s, sqlite_path))
               for name in sorted(names)}
        yield fds
