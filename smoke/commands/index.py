"""`smoke index ...`: the Elasticsearch indices (rebuild, copy a store into another,
print the mappings, show status)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from config.settings import get_settings
from smoke.cli_text import t


def _progress(msg: str) -> None:
    click.echo(f"  {msg}", err=True)


def _open(check_schema: bool = True):
    from indexing.store.elastic import ElasticStore

    settings = get_settings()
    return ElasticStore.from_settings(settings, check_schema=check_schema)


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc)) from exc


@click.group("index")
def index_group() -> None:
    """Elasticsearch 索引：重建、迁移嵌入式存储、打印映射。

    Elasticsearch indices: rebuild, migrate the embedded store, print mappings.

    Uses SMOKE_ES_URL, SMOKE_ES_API_KEY or SMOKE_ES_USER / SMOKE_ES_PASSWORD,
    SMOKE_ES_CA_CERTS and SMOKE_ES_PREFIX from the environment.
    """


@index_group.command("templates")
@click.option("--print", "print_", is_flag=True, required=True, help="Print every index's settings and mappings.")
@click.option("--shards", type=click.IntRange(1, 1024), default=1, show_default=True, help="Primary shards per index.")
@click.option("--replicas", type=click.IntRange(0, 16), default=1, show_default=True, help="Replicas per shard.")
def templates(print_: bool, shards: int, replicas: int) -> None:
    """以 JSON 打印每个索引的设置与映射（无需集群）。

    Print the settings and mappings of every index as JSON (no cluster needed)."""
    from indexing.store.elastic.mappings import all_templates

    click.echo(json.dumps(all_templates(shards, replicas), ensure_ascii=False, indent=2))


def _shards(values: tuple[str, ...]) -> dict[str, int]:
    from indexing.store.elastic.mappings import ENTITIES

    out: dict[str, int] = {}
    for v in values:
        entity, _, n = v.partition("=")
        if entity not in ENTITIES or not n.isdigit() or not 1 <= int(n) <= 1024:
            raise click.BadParameter(f"expected ENTITY=N with ENTITY one of {', '.join(ENTITIES)} "
                                     f"and N 1..1024, got {v!r}", param_hint="--shards")
        out[entity] = int(n)
    return out


def _source_spec(from_sqlite: Path | None, from_spec: str | None):
    """The store a rebuild or copy reads (a StoreSpec), or None; an embedded file must exist."""
    from indexing.store.elastic.client import ElasticStoreError
    from indexing.store.spec import StoreSpec

    if from_sqlite and from_spec:
        raise click.UsageError("give --from-sqlite or --from, not both")
    if not (from_sqlite or from_spec):
        return None
    try:
        spec = StoreSpec.parse(from_sqlite if from_sqlite else str(from_spec))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--from") from exc
    if spec.local_file is not None and not spec.local_file.is_file():
        raise ElasticStoreError(f"{spec.local_file}: no such embedded store file")
    return spec


@index_group.command("rebuild")
@click.option("--from-sqlite", "from_sqlite", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fill the new indices from this embedded store file instead of the current indices.")
@click.option("--from", "from_spec", default=None, metavar="STORE",
              help="Fill the new indices from this store (sqlite:PATH or elasticsearch:URL#PREFIX).")
@click.option("--shards", "shards", multiple=True, metavar="ENTITY=N",
              help="Primary shards of an entity's new index, e.g. --shards documents=30 (default 1 each).")
@click.option("--replicas", type=click.IntRange(0, 16), default=None,
              help="Replicas per shard of the new indices (default: 1).")
def rebuild(from_sqlite: Path | None, from_spec: str | None, shards: tuple[str, ...], replicas: int | None) -> None:
    """新建带版本的索引、载入数据，并一次性切换所有别名。

    Build new versioned indices, load them, and switch every alias in one atomic call.

    The source is the current indices (default) or another store, read through the
    store interface. The old indices serve searches until the switch; stop writers
    (the scheduler, crawlers) first, or what they write meanwhile stays in the old
    indices. A failed rebuild deletes what it half-built; indices no alias points at
    are deleted afterwards. Run it after upgrading smokewatch when the store refuses
    to open because of a schema version change.
    """
    from indexing.store.base import StoreError
    from indexing.store.elastic import admin as es_admin
    from indexing.store.elastic import migrate as es_migrate

    t0 = time.monotonic()
    source = None
    per_entity = _shards(shards)
    try:
        spec = _source_spec(from_sqlite, from_spec)
        store = _open(check_schema=False)
        try:
            if spec is not None:
                source = spec.open()
                load = es_migrate.load_from_store(store, source, _progress)
            else:
                load = es_migrate.load_from_alias(store, _progress)
            detail = es_admin.rebuild(store.client, store.prefix, load, shards=per_entity,
                                      replicas=store.replicas if replicas is None else replicas,
                                      progress=_progress)
        finally:
            store.close()
            if source:
                source.close()
    except StoreError as exc:
        _fail(exc)
    click.echo(t("index.rebuilt", version=detail["schema_version"], secs=f"{time.monotonic() - t0:.1f}"))
    for entity, n in detail["counts"].items():
        click.echo(f"  {entity:<10} {n:>10}  {detail['new'][entity]}")
    if detail.get("deleted"):
        click.echo(t("index.deleted", names=", ".join(detail["deleted"])))


@index_group.command("migrate")
@click.option("--to", "target", required=True, metavar="STORE",
              help="Where to copy to: elasticsearch (the configured cluster), sqlite:PATH or "
                   "elasticsearch:URL#PREFIX.")
@click.option("--from-sqlite", "from_sqlite", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The embedded store file to copy (default with --to elasticsearch: SMOKE_HOME/smoke.db).")
@click.option("--from", "from_spec", default=None, metavar="STORE",
              help="The store to copy (sqlite:PATH or elasticsearch:URL#PREFIX; default with --to sqlite:PATH: "
                   "the configured cluster).")
@click.option("--batch", type=click.IntRange(1, 10000), default=1000, show_default=True,
              help="Records per bulk request (and per checkpoint).")
@click.option("--restart", is_flag=True, help="Ignore checkpoints of an earlier run and copy everything again.")
def migrate(target: str, from_sqlite: Path | None, from_spec: str | None, batch: int, restart: bool) -> None:
    """把一个存储的全部记录可续传地复制到另一个存储。

    Copy every record of one store into another, resumably, through the store interface.

    Usually the embedded store into the cluster (--to elasticsearch), but any backend
    can be the source or the target (--to sqlite:PATH copies the cluster back into a
    file). Interrupt it at any time: the next run continues after the last batch
    that was written (checkpoints are kept in the target's state). At the end the
    record counts of both sides are compared; a mismatch exits with status 1.
    """
    from indexing.store.base import StoreError
    from indexing.store.copy import copy_records
    from indexing.store.elastic import ElasticStore
    from indexing.store.elastic import migrate as es_migrate
    from indexing.store.spec import StoreSpec

    settings = get_settings()
    t0 = time.monotonic()
    try:
        to_configured = target == "elasticsearch"
        try:
            tspec = None if to_configured else StoreSpec.parse(target)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--to") from exc
        spec = _source_spec(from_sqlite, from_spec)
        if spec is None:
            if to_configured or (tspec is not None and tspec.backend == "elasticsearch"):
                spec = _source_spec(settings.sqlite_path, None)
            else:
                if not settings.es_url:
                    raise click.UsageError("--to sqlite:PATH copies the configured cluster: set SMOKE_ES_URL, "
                                           "or name the source with --from")
                spec = StoreSpec("elasticsearch", settings.es_url, settings.es_prefix)
        source = spec.open(settings)
        try:
            store = _open() if to_configured else tspec.open(settings)
            try:
                click.echo(t("index.migrating", source=spec, target=target), err=True)
                if isinstance(store, ElasticStore):
                    report = es_migrate.migrate(source, store, batch=batch, restart=restart, progress=_progress)
                else:
                    report = copy_records(source, store, batch=batch, restart=restart, progress=_progress)
            finally:
                store.close()
        finally:
            source.close()
    except StoreError as exc:
        _fail(exc)
    click.echo(t("index.migrated", secs=f"{time.monotonic() - t0:.1f}"))
    c = t("index.cols").split("|")
    click.echo(f"  {c[0]:<10} {c[1]:>10} {c[2]:>10} {c[3]:>11}")
    for entity, n in report.source.items():
        mark = "" if report.target.get(entity) == n else "  " + t("index.mismatch")
        click.echo(f"  {entity:<10} {n:>10} {report.target.get(entity, 0):>10} {report.copied.get(entity, 0):>11}{mark}")
    if not report.ok:
        raise click.ClickException(t("index.counts_differ"))
    click.echo(t("index.counts_match"))


@index_group.command("status")
def status() -> None:
    """查看索引别名、所指索引、记录数及最近的重建。

    Show the aliases, the index each points at, record counts and the last rebuilds."""
    from indexing.store.elastic import admin as es_admin
    from indexing.store.elastic.client import ElasticStoreError
    from indexing.store.elastic.mappings import ENTITIES, SCHEMA_VERSION
    from smoke.cli_text import when

    try:
        store = _open(check_schema=False)
        try:
            v = store.server.version if store.server else "?"
            click.echo(t("index.status", version=v, prefix=store.prefix, schema=SCHEMA_VERSION))
            for entity in ENTITIES:
                n = store.client.count(index=store.alias(entity))["count"]
                click.echo(f"  {store.alias(entity):<30} -> {store.indices[entity]:<45} {n:>10}")
            for rec in es_admin.audit_log(store.client, store.prefix, limit=5):
                click.echo(f"  {when(rec['created'])}  {rec['kind']:<8} {rec['status']:<8} {rec['owner']}")
        finally:
            store.close()
    except ElasticStoreError as exc:
        _fail(exc)


COMMANDS = [index_group]
