"""Copying one store into another, any backend to any backend, through the Store
interface only: the source is read with ``Store.iter_record_batches`` (every record of
every kind, scores in save order) and the target writes through its own methods, so its
rules (fingerprints, the current score and its rise from ``core.current_score``) apply
to the copy as to any write. No SQL and no query body of either side is used here.

A copy is resumable: after each batch is written without a failure, the position of its
last record is kept in the target's state (``migrate:<kind>``); a re-run continues after
it. Writes are idempotent, so re-copying a batch after an interruption is harmless.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from indexing.store.base import RECORD_KINDS, Store, StoreError, UpsertResult

Progress = Callable[[str], None]
CHECKPOINT = "migrate:"


def _quiet(_msg: str) -> None:
    pass


@dataclass
class CopyReport:
    copied: dict[str, int] = field(default_factory=dict)
    source: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)
    resumed: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(self.target.get(e) == n for e, n in self.source.items())


def _checkpoints(store: Store) -> int:
    """How many of a copy's own checkpoint keys ``store`` holds (not part of a copy)."""
    return sum(store.get_state(CHECKPOINT + k) is not None for k in RECORD_KINDS)


def copy_records(source: Store, target: Store, *, batch: int = 1000, restart: bool = False,
                 progress: Progress = _quiet, after_kind: Callable[[str], None] | None = None) -> CopyReport:
    """Copy every record of ``source`` into ``target`` (see the module docstring).
    ``after_kind(kind)`` runs once a kind is copied (Elasticsearch refreshes there)."""
    report = CopyReport()
    for kind in RECORD_KINDS:
        total = source.count_records(kind) - (_checkpoints(source) if kind == "state" else 0)
        report.source[kind] = total
        key = CHECKPOINT + kind
        cp = None if restart else target.get_state(key)
        after = str(json.loads(cp).get("after", "")) if cp else ""
        done = int(json.loads(cp).get("done", 0)) if cp else 0
        report.resumed[kind] = done
        if after:
            progress(f"{kind}: resuming after {done} of {total}")
        copied = 0
        for recs in source.iter_record_batches(kind, after=after, size=batch):
            last = recs[-1][0]
            if kind == "state":  # the source's own checkpoints of an earlier copy stay behind
                recs = [r for r in recs if not r[1][0].startswith(CHECKPOINT)]
            _write(target, kind, [r for _, r in recs])
            done += len(recs)
            copied += len(recs)
            target.set_state(key, json.dumps({"after": last, "done": done}))
            progress(f"{kind}: {done}/{total}")
        report.copied[kind] = copied
        if after_kind is not None:
            after_kind(kind)
        progress(f"{kind}: {done}/{total} done")
    for kind in RECORD_KINDS:
        report.target[kind] = target.count_records(kind) - (_checkpoints(target) if kind == "state" else 0)
    return report


def _write(target: Store, kind: str, records: list[Any]) -> None:
    if not records:
        return
    if kind == "companies":
        _check_upsert(target.upsert_companies(records), kind)
    elif kind == "documents":
        _check_upsert(target.upsert_documents(records), kind)
    elif kind == "scores":
        target.save_scores(records)  # in the source's save order: the same scores become current
    elif kind == "alerts":
        for a in records:
            if not target.save_alert(a):
                target.update_alert(a)  # copied before: make it the source's again
    elif kind == "runs":
        for r in records:
            target.save_run(r)
    else:
        for k, v in records:
            target.set_state(k, v)


def _check_upsert(result: UpsertResult, kind: str) -> None:
    if result.failed:
        raise StoreError(
            f"copy: {len(result.failed)} {kind} record(s) were refused; nothing after the last checkpoint "
            "is counted as copied, fix the cause and re-run to resume. First: " + ", ".join(result.failed[:10])
        )
