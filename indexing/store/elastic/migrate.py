"""Moving records into Elasticsearch: from an embedded SQLite store (``migrate``) or from
the current indices into freshly built ones (the loader of ``es_admin.rebuild``).

``migrate`` reads the source through the Store interface (``Store.iter_records``:
every record of every kind, scores in save order) and writes through the target's,
so any store can be the source. ``SqliteSource`` reads an embedded store file's
tables directly; only ``index rebuild --from-sqlite`` still uses it, to fill new
indices with ready-made bodies.

Migration is resumable: after each batch is written without a failure, the position
of its last record is stored in the target's state (``migrate:<entity>``); a re-run
continues after it. Writes are idempotent, so re-copying a batch after an
interruption is harmless.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexing.models import Alert, Company, Document, Run, Score
from indexing.store.base import Store, UpsertResult
from indexing.store.elastic import admin as es_admin
from indexing.store.elastic.mappings import ENTITIES, ID_FIELD
from indexing.store.elastic.store import (
    ElasticStore,
    ElasticStoreError,
    company_body,
    document_body,
    rebody,
    score_body,
    score_id,
    state_id,
)

Progress = Callable[[str], None]
CHECKPOINT = "migrate:"


def _quiet(_msg: str) -> None:
    pass


class SqliteSource:
    """Every record of an embedded store file, as (rowid, id, body) in rowid order."""

    _COUNT = {
        "companies": "SELECT COUNT(*) FROM companies",
        "documents": "SELECT COUNT(*) FROM documents",
        "scores": "SELECT COUNT(*) FROM scores",
        "alerts": "SELECT COUNT(*) FROM alerts",
        "runs": "SELECT COUNT(*) FROM runs",
        "state": "SELECT COUNT(*) FROM state",
    }
    _SELECT = {
        "companies": "SELECT rowid, data, smoke_index, level, score_as_of, rise FROM companies",
        "documents": "SELECT rowid, title, text, data FROM documents",
        # rise of the current score, as the embedded store computes it for its company
        "scores": ("SELECT s.rowid, s.data, s.is_current, "
                   "s.smoke_index - (SELECT p.smoke_index FROM scores p WHERE p.credit_code = s.credit_code "
                   "AND p.as_of < s.as_of ORDER BY p.as_of DESC, p.rid DESC LIMIT 1) FROM scores s"),
        "alerts": "SELECT rowid, data FROM alerts",
        "runs": "SELECT rowid, data FROM runs",
        "state": "SELECT rowid, key, value FROM state",
    }
    _ROWID = {"scores": "s.rowid"}

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ElasticStoreError(f"{self.path}: no such embedded store file")
        self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)

    def close(self) -> None:
        self.conn.close()

    def count(self, entity: str) -> int:
        return int(self.conn.execute(self._COUNT[entity]).fetchone()[0])

    def records(self, entity: str, after_rowid: int = 0, page: int = 1000) -> Iterator[tuple[int, str, dict[str, Any]]]:
        rowid = self._ROWID.get(entity, "rowid")
        last = after_rowid
        while True:
            rows = self.conn.execute(
                f"{self._SELECT[entity]} WHERE {rowid} > ? ORDER BY {rowid} LIMIT ?", (last, page)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                doc_id, body = self._body(entity, row)
                yield row[0], doc_id, body
            last = rows[-1][0]

    @staticmethod
    def _body(entity: str, row: tuple) -> tuple[str, dict[str, Any]]:
        if entity == "companies":
            co = Company.from_dict(json.loads(row[1]))
            current = {"smoke_index": row[2], "level": row[3], "score_as_of": row[4], "rise": row[5]}
            return co.credit_code, company_body(co, current)
        if entity == "documents":
            d = json.loads(row[3])
            d["title"], d["text"] = row[1], row[2]
            doc = Document.from_dict(d)
            return doc.id, document_body(doc)
        if entity == "scores":
            s = Score.from_dict(json.loads(row[1]))
            current = bool(row[2])
            # The rowid is the save order; live saves later use nanosecond clocks, so they sort after.
            return score_id(s), score_body(s, int(row[0]), current, row[3] if current else None)
        if entity == "alerts":
            a = Alert(**json.loads(row[1]))
            return a.id, a.to_dict()
        if entity == "runs":
            r = Run.from_dict(json.loads(row[1]))
            return r.id, r.to_dict()
        if entity == "state":
            return state_id(row[1]), {"key": row[1], "value": row[2]}
        raise ValueError(entity)


@dataclass
class MigrationReport:
    copied: dict[str, int] = field(default_factory=dict)
    source: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)
    resumed: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(self.target.get(e) == n for e, n in self.source.items())


def migrate(
    source: Store, store: ElasticStore, *, batch: int = 1000, restart: bool = False,
    progress: Progress = _quiet,
) -> MigrationReport:
    """Copy every record of the ``source`` store into ``store``'s indices, resumably (see
    the module docstring). The source is read through the Store interface
    (``iter_records``), whatever its backend; the target writes through its own, so its
    rules (fingerprints, current scores and their rise) apply to the copy as to any write."""
    report = MigrationReport()
    lock = es_admin.MaintenanceLock(store.client, store.prefix, "migrate")
    started = es_admin.now_iso()
    with lock:
        for entity in ENTITIES:
            total = source.count_records(entity)
            report.source[entity] = total
            key = CHECKPOINT + entity
            cp = None if restart else store.get_state(key)
            after = str(json.loads(cp).get("after", "")) if cp else ""
            done = int(json.loads(cp).get("done", 0)) if cp else 0
            report.resumed[entity] = done
            if after:
                progress(f"{entity}: resuming after {done} of {total}")
            copied = 0
            pending: list[tuple[str, Any]] = []
            for rec in source.iter_records(entity, after=after):
                if entity == "state" and rec[1][0].startswith(CHECKPOINT):
                    continue  # the source's own checkpoints of an earlier copy
                pending.append(rec)
                if len(pending) >= batch:
                    done += _write(store, entity, pending, key, done)
                    copied += len(pending)
                    pending = []
                    progress(f"{entity}: {done}/{total}")
            if pending:
                done += _write(store, entity, pending, key, done)
                copied += len(pending)
            report.copied[entity] = copied
            store.client.indices.refresh(index=store.alias(entity))
            progress(f"{entity}: {done}/{total} done")
        for entity in ENTITIES:
            report.target[entity] = _target_count(store, entity)
        es_admin.audit(store.client, store.prefix, "migrate", "ok" if report.ok else "mismatch", lock.owner,
                       {"source": report.source, "target": report.target, "copied": report.copied}, started)
    return report


def _write(store: ElasticStore, entity: str, recs: list[tuple[str, Any]], key: str, done_before: int) -> int:
    """Write one batch through the Store interface, then checkpoint after its last position."""
    records = [r for _, r in recs]
    if entity == "companies":
        _check_upsert(store.upsert_companies(records), entity)
    elif entity == "documents":
        _check_upsert(store.upsert_documents(records), entity)
    elif entity == "scores":
        store.save_scores(records)  # in the source's save order: the same scores become current
    elif entity == "alerts":
        for a in records:
            if not store.save_alert(a):
                store.update_alert(a)  # copied before: make it the source's again
    elif entity == "runs":
        for r in records:
            store.save_run(r)
    else:
        for k, v in records:
            store.set_state(k, v)
    done = done_before + len(recs)
    store.set_state(key, json.dumps({"after": recs[-1][0], "done": done}))
    return len(recs)


def _check_upsert(result: UpsertResult, entity: str) -> None:
    if result.failed:
        raise ElasticStoreError(
            f"migrate: {len(result.failed)} {entity} record(s) were refused; nothing after the last checkpoint "
            "is counted as copied, fix the cause and re-run to resume. First: " + ", ".join(result.failed[:10])
        )


def _target_count(store: ElasticStore, entity: str) -> int:
    if entity == "state":  # our own checkpoints are not part of the copy
        return int(store.client.count(
            index=store.alias("state"),
            query={"bool": {"must_not": [{"prefix": {"key": CHECKPOINT}}]}})["count"])
    return int(store.client.count(index=store.alias(entity))["count"])


# --- rebuild loaders ----------------------------------------------------------------
def _bulk_loader(store: ElasticStore, records: Callable[[str], Iterator[tuple[str, dict[str, Any]]]],
                 progress: Progress) -> Callable[[str, str], int]:
    """A rebuild loader: bulk-index ``records(entity)`` ((id, body) pairs) into the new
    index, with progress every 10,000 records; returns how many it sent."""

    def load(entity: str, index: str) -> int:
        n = 0

        def actions() -> Iterator[dict[str, Any]]:
            nonlocal n
            for doc_id, body in records(entity):
                n += 1
                if n % 10000 == 0:
                    progress(f"{entity}: {n}")
                yield {"_op_type": "index", "_index": index, "_id": doc_id, "_source": body}

        _check(store.bulk(actions(), refresh=False), entity)
        return n

    return load


def load_from_alias(store: ElasticStore, progress: Progress = _quiet) -> Callable[[str, str], int]:
    """A rebuild loader copying the records behind each current alias into the new index,
    with derived fields recomputed under the current mappings."""

    def records(entity: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for src in store.scan(entity, {"match_all": {}}, [{ID_FIELD[entity]: "asc"}]):
            yield rebody(entity, src)

    return _bulk_loader(store, records, progress)


def load_from_sqlite(store: ElasticStore, source: SqliteSource, progress: Progress = _quiet) -> Callable[[str, str], int]:
    """A rebuild loader filling the new indices from an embedded store file."""

    def records(entity: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for _, doc_id, body in source.records(entity):
            yield doc_id, body

    return _bulk_loader(store, records, progress)


def _check(failures: list[tuple[str, str]], entity: str) -> None:
    if failures:
        raise ElasticStoreError(
            f"rebuild: {len(failures)} {entity} record(s) were refused (the new indices are deleted, the "
            "old ones stay in service). First failures: " + "; ".join(f"{i}: {r}" for i, r in failures[:10])
        )
