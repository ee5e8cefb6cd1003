"""The Store: one interface (``base.Store``), two backends. ``open_store`` picks one from settings."""

from __future__ import annotations

from pathlib import Path

from config.settings import Settings, get_settings
from indexing.store.base import CompanyQuery, DocumentQuery, Page, Store, UpsertResult
from indexing.store.spec import StoreSpec

__all__ = ["CompanyQuery", "DocumentQuery", "Page", "Store", "StoreSpec", "UpsertResult", "open_store"]


def open_store(settings: Settings | None = None, sqlite_path: Path | None = None,
               spec: StoreSpec | str | None = None) -> Store:
    """The store ``spec`` names (``StoreSpec``) or else the configured one: SQLite under
    SMOKE_HOME by default, Elasticsearch with SMOKE_STORE."""
    settings = settings or get_settings()
    if spec is not None:
        return StoreSpec.parse(spec).open(settings)
    if settings.store == "elasticsearch":
        from indexing.store.elastic import ElasticStore

        return ElasticStore.from_settings(settings)
    from indexing.store.sqlite import SQLiteStore

    path = sqlite_path or settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return SQLiteStore(path)
