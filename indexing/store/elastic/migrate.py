"""Moving records into Elasticsearch: from any other store (``migrate``, through
``indexing.store.copy``) or into freshly built indices (the loaders of ``es_admin.rebuild``:
from the current indices, or from any store through the Store interface).

Neither reads a source's tables or indices directly: a source store is read with
``Store.iter_record_batches`` and ``Store.current_scores`` only, so an embedded store,
another cluster or any later backend can be the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from indexing.store.base import Store
from indexing.store.copy import CHECKPOINT, CopyReport, copy_records
from indexing.store.elastic import admin as es_admin
from indexing.store.elastic.mappings import ID_FIELD
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
MigrationReport = CopyReport
__all__ = ["CHECKPOINT", "MigrationReport", "load_from_alias", "load_from_store", "migrate"]


def _quiet(_msg: str) -> None:
    pass


def migrate(
    source: Store, store: ElasticStore, *, batch: int = 1000, restart: bool = False,
    progress: Progress = _quiet,
) -> MigrationReport:
    """Copy every record of the ``source`` store into ``store``'s indices, resumably, under
    the maintenance lock, with an audit record (``indexing.store.copy`` does the copy)."""
    lock = es_admin.MaintenanceLock(store.client, store.prefix, "migrate")
    started = es_admin.now_iso()
    with lock:
        report = copy_records(source, store, batch=batch, restart=restart, progress=progress,
                              after_kind=lambda kind: store.client.indices.refresh(index=store.alias(kind)))
        es_admin.audit(store.client, store.prefix, "migrate", "ok" if report.ok else "mismatch", lock.owner,
                       {"source": report.source, "target": report.target, "copied": report.copied}, started)
    return report


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


def load_from_store(store: ElasticStore, source: Store, progress: Progress = _quiet,
                    batch: int = 1000) -> Callable[[str, str], int]:
    """A rebuild loader filling the new indices from any store, read through the Store
    interface: each company carries its current score (``source.current_scores``), each
    score its save order and whether it is current."""

    def records(kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        seq = 0
        for recs in source.iter_record_batches(kind, size=batch):
            items = [r for _, r in recs]
            if kind == "companies":
                cur = source.current_scores([c.credit_code for c in items])
                for co in items:
                    cs = cur.get(co.credit_code)
                    yield co.credit_code, company_body(co, cs.company_fields() if cs else None)
            elif kind == "documents":
                for d in items:
                    yield d.id, document_body(d)
            elif kind == "scores":
                cur = source.current_scores([s.credit_code for s in items])
                for s in items:
                    # The source's save order; live saves later use nanosecond clocks, so they sort after.
                    seq += 1
                    cs = cur.get(s.credit_code)
                    is_current = cs is not None and (cs.row.as_of, cs.row.model_version) == (s.as_of, s.model_version)
                    yield score_id(s), score_body(s, seq, is_current, cs.rise if is_current and cs else None)
            elif kind == "state":
                for k, v in items:
                    if not k.startswith(CHECKPOINT):
                        yield state_id(k), {"key": k, "value": v}
            else:  # alerts, runs
                for r in items:
                    yield r.id, r.to_dict()

    return _bulk_loader(store, records, progress)


def _check(failures: list[tuple[str, str]], entity: str) -> None:
    if failures:
        raise ElasticStoreError(
            f"rebuild: {len(failures)} {entity} record(s) were refused (the new indices are deleted, the "
            "old ones stay in service). First failures: " + "; ".join(f"{i}: {r}" for i, r in failures[:10])
        )
