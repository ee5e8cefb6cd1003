"""Opening the store for commands that only read it.

``indexing.store.open_store`` creates an empty SQLite store where none is; a search
or a company lookup run from another folder (SMOKE_HOME unset: ./var there) would then
answer "no matches" from that empty store. Readers open only a store that exists."""

from __future__ import annotations

import os
from pathlib import Path

from config import ConfigError
from config.settings import Settings, get_settings
from indexing.store import open_store
from indexing.store.base import Store


def missing_store_message(path: Path, home_set: bool) -> str:
    where = (f"SMOKE_HOME={os.environ.get('SMOKE_HOME')}" if home_set
             else f"SMOKE_HOME is not set, so ./var under the current folder {Path.cwd()} was used")
    return (f"store: no store at {path} ({where}); set SMOKE_HOME to the folder that holds smoke.db "
            f"(export SMOKE_HOME=/path/to/var), run from the project folder, or build one with `smoke run`")


def open_existing_store(settings: Settings | None = None) -> Store:
    """The configured store, or ConfigError naming the SQLite file looked for and how to
    point SMOKE_HOME at the right one (Elasticsearch stores are opened as configured)."""
    settings = settings or get_settings()
    if settings.store == "sqlite" and not settings.sqlite_path.is_file():
        raise ConfigError(missing_store_message(settings.sqlite_path, bool(os.environ.get("SMOKE_HOME"))))
    return open_store(settings)
