"""One place that maps the project's errors to CLI exit codes and HTTP statuses.

The errors (each message one line naming the file or setting and what is wrong):
``config.SmokeError`` is the root; ``config.ConfigError`` (a bad or missing
configuration file or setting), ``DataFileError`` (a store or account database that
is not a readable SQLite file), ``smoke.locking.LockBusy`` (another run holds the
lock); the store backends' ``StoreError`` (unreachable Elasticsearch, wrong schema)
maps beside them.

Exit codes (docs/cli.md, "Exit codes"): 0 done; 1 failed; 2 bad configuration or
usage; 3 store or account database unreadable; 4 partial (smoke.runstate); 5 busy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from config import ConfigError, SmokeError
from indexing.store.base import StoreError
from smoke.locking import LockBusy

EXIT_CONFIG = 2
EXIT_DATA = 3
EXIT_BUSY = 5


class DataFileError(SmokeError):
    """A data file (the SQLite store, ``app.db``) cannot be read: the message names it."""


@dataclass(frozen=True, slots=True)
class Kind:
    label: str  # the CLI's line starts with it: "config error: config/model.yaml: ..."
    exit_code: int
    http_status: int


# Most specific first.
KINDS: tuple[tuple[type[BaseException], Kind], ...] = (
    (LockBusy, Kind("busy", EXIT_BUSY, 409)),
    (ConfigError, Kind("config error", EXIT_CONFIG, 500)),
    (DataFileError, Kind("data error", EXIT_DATA, 503)),
    (StoreError, Kind("store error", EXIT_DATA, 503)),
    (SmokeError, Kind("error", 1, 500)),
)


def kind_of(exc: BaseException) -> Kind | None:
    """How ``exc`` is reported, or None when it is not one of the project's errors."""
    for cls, kind in KINDS:
        if isinstance(exc, cls):
            return kind
    return None


def not_sqlite(path: Path, exc: sqlite3.DatabaseError, what: str) -> DataFileError:
    return DataFileError(f"{path}: the {what} is not a readable SQLite database ({exc}); "
                         f"restore it from a backup or move it away to start afresh")


@contextmanager
def reading(path: Path, what: str) -> Iterator[None]:
    """Turn SQLite's 'file is not a database' / 'malformed' inside the block into a
    ``DataFileError`` naming ``path``. Busy and locked databases are not corruption."""
    try:
        yield
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:
        raise not_sqlite(path, exc, what) from exc
