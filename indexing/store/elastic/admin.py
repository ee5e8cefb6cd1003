"""Index lifecycle: versioned indices behind aliases, the schema check, the maintenance
lock and its audit trail, rebuilds, clean-up.

Every entity lives in ``<prefix>-<entity>-v<SCHEMA_VERSION>-<timestamp>`` and is
always read and written through the alias ``<prefix>-<entity>``. A rebuild builds a
complete new set of indices, loads them, refreshes them and moves all aliases in
ONE ``update_aliases`` call, so readers see either the old set or the new set,
never a mix. A half-built set is deleted when anything fails. Indices no alias
points at are deleted afterwards.

The lock is a document in ``<prefix>-meta`` created with ``op_type=create``: the
cluster itself refuses the second creator. It carries an expiry, so a rebuild that
died (kill -9, lost host) does not block the next one forever. Every rebuild and
migration leaves an audit record in the same index.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import elastic_transport
from elasticsearch import ApiError, ConflictError, Elasticsearch

from indexing.store.elastic import mappings as es_mappings
from indexing.store.elastic.client import ElasticStoreError, explain
from indexing.store.elastic.mappings import ENTITIES, SCHEMA_VERSION

LOCK_ID = "lock:maintenance"
LOCK_TTL = timedelta(hours=6)


def alias_name(prefix: str, entity: str) -> str:
    return f"{prefix}-{entity}"


def meta_index(prefix: str) -> str:
    return f"{prefix}-meta"


def versioned_name(prefix: str, entity: str, stamp: str | None = None) -> str:
    stamp = stamp or datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]  # to the millisecond
    return f"{prefix}-{entity}-v{SCHEMA_VERSION}-{stamp}"


def parse_versioned(prefix: str, entity: str, index: str) -> int | None:
    """The schema version in a versioned index name of this prefix and entity, else None."""
    m = re.fullmatch(re.escape(f"{prefix}-{entity}-v") + r"(\d+)-(\d+)", index)
    return int(m.group(1)) if m else None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- creation and the schema check ---------------------------------------------
def create_index(
    client: Elasticsearch, name: str, entity: str, *, shards: int = 1, replicas: int = 1,
    alias: str | None = None, bulk_load: bool = False,
) -> None:
    settings = es_mappings.settings(entity, shards, replicas)
    if bulk_load:
        settings["refresh_interval"] = "-1"  # no refreshes while loading; one at the end
    kwargs: dict[str, Any] = {"index": name, "settings": settings, "mappings": es_mappings.mappings(entity)}
    if alias:
        kwargs["aliases"] = {alias: {"is_write_index": True}}
    client.indices.create(**kwargs)


def alias_targets(client: Elasticsearch, alias: str) -> list[str]:
    """The indices an alias points at ([] when there is no such alias)."""
    resp = client.options(ignore_status=404).indices.get_alias(name=alias)
    if resp.meta.status == 404:
        return []
    return sorted(resp.body.keys())


def ensure_indices(
    client: Elasticsearch, prefix: str, *, shards: int = 1, replicas: int = 1, check_schema: bool = True
) -> dict[str, str]:
    """Create missing entity indices (first use) and check the schema version of the rest.

    Returns entity -> the concrete index its alias points at. Raises ElasticStoreError
    when an alias points at an index of another schema version (unless
    ``check_schema`` is False: the rebuild itself opens an outdated store).
    """
    try:
        ensure_meta(client, prefix, replicas)
        out: dict[str, str] = {}
        for entity in ENTITIES:
            alias = alias_name(prefix, entity)
            targets = alias_targets(client, alias)
            if not targets:
                if client.indices.exists(index=alias):
                    raise ElasticStoreError(
                        f"{alias} is a plain index, not an alias: smokewatch reads and writes through "
                        "aliases; move it away (or choose another SMOKE_ES_PREFIX)"
                    )
                # A fixed name for the first index: two processes opening an empty
                # cluster at once create the same index, and one of them just waits.
                name = versioned_name(prefix, entity, stamp="0")
                try:
                    create_index(client, name, entity, shards=shards, replicas=replicas, alias=alias)
                except ApiError as exc:
                    if "resource_already_exists" not in str(exc):
                        raise
                targets = alias_targets(client, alias) or [name]
            if len(targets) > 1:
                raise ElasticStoreError(
                    f"alias {alias} points at {len(targets)} indices ({', '.join(targets)}); "
                    "it must point at one: run `smoke index rebuild`"
                )
            index = targets[0]
            version = parse_versioned(prefix, entity, index)
            if check_schema and version != SCHEMA_VERSION:
                if version is not None and version > SCHEMA_VERSION:
                    raise ElasticStoreError(
                        f"index {index} has schema version {version}, newer than this program's "
                        f"({SCHEMA_VERSION}): upgrade smokewatch"
                    )
                raise ElasticStoreError(
                    f"index {index} has schema version {version if version is not None else 'unknown'}, "
                    f"this program needs {SCHEMA_VERSION}: run `smoke index rebuild` to rebuild the "
                    "indices with the current mappings (searches keep working on the old ones meanwhile)"
                )
            out[entity] = index
        return out
    except (ApiError, elastic_transport.TransportError) as exc:
        raise explain(exc, f"checking the indices of prefix {prefix!r}") from exc


def ensure_meta(client: Elasticsearch, prefix: str, replicas: int = 1) -> None:
    name = meta_index(prefix)
    if client.indices.exists(index=name):
        return
    try:
        client.indices.create(
            index=name,
            settings={"number_of_shards": 1, "number_of_replicas": replicas},
            mappings=es_mappings.META_MAPPINGS,
        )
    except ApiError as exc:
        if "resource_already_exists" not in str(exc):
            raise


# --- lock and audit --------------------------------------------------------------
class MaintenanceLock:
    """``with MaintenanceLock(client, prefix, "rebuild"):`` -- one rebuild or migration at a time."""

    def __init__(self, client: Elasticsearch, prefix: str, purpose: str, ttl: timedelta = LOCK_TTL) -> None:
        self.client = client
        self.index = meta_index(prefix)
        self.purpose = purpose
        self.ttl = ttl
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def __enter__(self) -> MaintenanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        for _ in range(2):
            now = datetime.now(UTC)
            body = {
                "kind": "lock",
                "owner": self.owner,
                "created": now.isoformat(timespec="seconds"),
                "expires": (now + self.ttl).isoformat(timespec="seconds"),
                "status": self.purpose,
                "detail": {},
            }
            try:
                self.client.index(index=self.index, id=LOCK_ID, document=body, op_type="create", refresh=True)
                return
            except ConflictError:
                held = self.client.options(ignore_status=404).get(index=self.index, id=LOCK_ID)
                if not held.body.get("found"):
                    continue  # released meanwhile: try again
                src = held.body["_source"]
                if src.get("expires", "") > now.isoformat(timespec="seconds"):
                    raise ElasticStoreError(
                        f"another {src.get('status', 'maintenance')} holds the index lock since "
                        f"{src.get('created')} (owner {src.get('owner')}); wait for it to finish. If it "
                        f"died, the lock expires at {src.get('expires')}"
                    ) from None
                # Expired: take it over, but only if nobody else did first.
                with contextlib.suppress(ConflictError):
                    self.client.delete(
                        index=self.index, id=LOCK_ID, if_seq_no=held.body["_seq_no"],
                        if_primary_term=held.body["_primary_term"], refresh=True,
                    )
        raise ElasticStoreError("could not take the index lock: another process keeps taking it; retry later")

    def release(self) -> None:
        held = self.client.options(ignore_status=404).get(index=self.index, id=LOCK_ID)
        if held.body.get("found") and held.body["_source"].get("owner") == self.owner:
            self.client.options(ignore_status=(404, 409)).delete(
                index=self.index, id=LOCK_ID, if_seq_no=held.body["_seq_no"],
                if_primary_term=held.body["_primary_term"], refresh=True,
            )


def audit(client: Elasticsearch, prefix: str, kind: str, status: str, owner: str, detail: dict[str, Any],
          started: str) -> None:
    """One audit record per rebuild or migration (kept in the meta index)."""
    client.index(
        index=meta_index(prefix),
        id=f"{kind}:{started}:{owner}",
        document={"kind": kind, "owner": owner, "created": started, "expires": now_iso(),
                  "status": status, "detail": detail},
        refresh=True,
    )


def audit_log(client: Elasticsearch, prefix: str, limit: int = 20) -> list[dict[str, Any]]:
    resp = client.search(
        index=meta_index(prefix), query={"terms": {"kind": ["rebuild", "migrate"]}},
        sort=[{"created": "desc"}], size=limit,
    )
    return [h["_source"] for h in resp["hits"]["hits"]]


# --- rebuild ---------------------------------------------------------------------
Loader = Callable[[str, str], int]  # (entity, new index name) -> records loaded


def rebuild(
    client: Elasticsearch,
    prefix: str,
    load: Loader,
    *,
    shards: dict[str, int] | None = None,
    replicas: int = 1,
    progress: Callable[[str], None] = lambda _msg: None,
) -> dict[str, Any]:
    """Build a new versioned index per entity, fill each with ``load(entity, index)``,
    refresh, then swap every alias in one atomic call. Returns the audit detail.
    ``shards``: primary shards per entity (default 1; see docs/scaling.md)."""
    ensure_meta(client, prefix, replicas)
    lock = MaintenanceLock(client, prefix, "rebuild")
    started = now_iso()
    t0 = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
    built: dict[str, str] = {}
    detail: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "counts": {}, "new": {}, "old": {}}
    with lock:
        try:
            for entity in ENTITIES:
                name = versioned_name(prefix, entity, stamp)
                create_index(client, name, entity, shards=(shards or {}).get(entity, 1), replicas=replicas,
                             bulk_load=True)
                built[entity] = name
                progress(f"{entity}: loading into {name}")
                detail["counts"][entity] = load(entity, name)
                client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
                client.indices.refresh(index=name)
                counted = client.count(index=name)["count"]
                if counted != detail["counts"][entity]:
                    raise ElasticStoreError(
                        f"rebuild: {name} holds {counted} records after loading {detail['counts'][entity]}"
                    )
                progress(f"{entity}: {counted} records")
            actions: list[dict[str, Any]] = []
            for entity, name in built.items():
                alias = alias_name(prefix, entity)
                old = alias_targets(client, alias)
                detail["old"][entity] = old
                detail["new"][entity] = name
                for index in old:
                    actions.append({"remove": {"index": index, "alias": alias}})
                actions.append({"add": {"index": name, "alias": alias, "is_write_index": True}})
            client.indices.update_aliases(actions=actions)  # the one atomic switch
        except BaseException as exc:
            for name in built.values():
                client.options(ignore_status=404).indices.delete(index=name)
            detail["error"] = str(exc)[:500]
            detail["seconds"] = round(time.monotonic() - t0, 1)
            _safe_audit(client, prefix, "rebuild", "failed", lock.owner, detail, started)
            if isinstance(exc, ApiError | elastic_transport.TransportError):
                raise explain(exc, "rebuild") from exc
            raise
        detail["deleted"] = cleanup(client, prefix)
        detail["seconds"] = round(time.monotonic() - t0, 1)
        audit(client, prefix, "rebuild", "ok", lock.owner, detail, started)
    return detail


def _safe_audit(*args: Any) -> None:
    # The cluster is failing already; the original error is what matters.
    with contextlib.suppress(ApiError, elastic_transport.TransportError):
        audit(*args)


def cleanup(client: Elasticsearch, prefix: str) -> list[str]:
    """Delete versioned indices of this prefix that no alias points at."""
    resp = client.indices.get_alias(index=f"{prefix}-*", expand_wildcards="open,closed")
    doomed = []
    for index, info in resp.body.items():
        if info.get("aliases"):
            continue
        if any(parse_versioned(prefix, e, index) is not None for e in ENTITIES):
            doomed.append(index)
    for chunk in _chunks(sorted(doomed), 20):
        client.indices.delete(index=",".join(chunk))
    return sorted(doomed)


def destroy(client: Elasticsearch, prefix: str) -> list[str]:
    """Delete every index of this prefix (and so its aliases). Tests use it; nothing else should."""
    resp = client.options(ignore_status=404).indices.get_alias(index=f"{prefix}-*", expand_wildcards="all")
    if resp.meta.status == 404:
        return []
    doomed = [
        i for i in resp.body
        if i == meta_index(prefix) or any(parse_versioned(prefix, e, i) is not None for e in ENTITIES)
    ]
    # Wildcard deletes are refused by default (action.destructive_requires_name): name each.
    for chunk in _chunks(sorted(doomed), 20):
        client.options(ignore_status=404).indices.delete(index=",".join(chunk))
    return sorted(doomed)


def _chunks(items: list[str], n: int) -> Iterator[list[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def index_names(client: Elasticsearch, prefix: str) -> Iterable[str]:
    resp = client.options(ignore_status=404).indices.get_alias(index=f"{prefix}-*")
    return [] if resp.meta.status == 404 else sorted(resp.body)
