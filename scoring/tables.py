"""A scoring run's working tables, on disk: what one company's score needs to know about the
others, kept out of memory so that a run's memory does not grow with the number of companies.

``score_store`` writes, while it streams the store's companies once (pass 1): each company's
network keys, its promotional pages, its pass-1 result and its measurements; from those it
builds the network (groups, clusters, ties to seeds, near-copies) with SQL over indexes. The
context of one company is then read back by key (``Lookup``), in pass 2, one company at a time.

The tables live in a private temporary SQLite file (``sqlite3.connect("")``): SQLite keeps
a few MiB of it in its page cache and the rest on disk, and deletes the file on close.
"""

from __future__ import annotations

import pickle
import sqlite3
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scoring.indicators import Measurement

CACHE_KIB = 16_384  # SQLite's page cache for the working tables


class Lookup:
    """A read-only mapping computed per key (``get`` / ``[]`` / ``in``), for the ScoringContext
    fields that would otherwise be dicts over every company. Not iterable: nothing in scoring
    walks them."""

    def __init__(self, fetch: Callable[[str], Any]) -> None:
        self._fetch = fetch

    def get(self, key: str, default: Any = None) -> Any:
        v = self._fetch(key)
        return default if v is None else v

    def __getitem__(self, key: str) -> Any:
        v = self._fetch(key)
        if v is None:
            raise KeyError(key)
        return v

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._fetch(key) is not None


class BoundedCache(OrderedDict):
    """A least-recently-used dict of at most ``size`` entries (the per-run text analysis cache:
    a document linked to several companies of one batch is analysed once, and memory stays flat)."""

    def __init__(self, size: int = 256) -> None:
        super().__init__()
        self.size = size

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


def pack_measurements(m: dict[str, Measurement]) -> bytes:
    return zlib.compress(pickle.dumps({k: (v.value, v.evidence) for k, v in m.items()}, protocol=5), 1)


def unpack_measurements(blob: bytes) -> dict[str, Measurement]:
    return {k: Measurement(v, ev) for k, (v, ev) in pickle.loads(zlib.decompress(blob)).items()}


class WorkTables:
    """See module docstring. ``rows`` helpers stream query results in pages."""

    def __init__(self, path: str = "") -> None:
        """``path`` "" : a private temporary file; a path: a file worker processes can read
        (``reader``) once pass 0 is committed."""
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.executescript(f"""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-{CACHE_KIB};
            PRAGMA temp_store=FILE;
            CREATE TABLE co(code TEXT PRIMARY KEY, name TEXT, url TEXT, p1 REAL, punished INT, m BLOB);
            CREATE TABLE keys(kind TEXT, via TEXT, code TEXT);
            CREATE TABLE promo(code TEXT, seq INT, doc_id TEXT, day TEXT, url TEXT, snip TEXT, sq TEXT);
            CREATE TABLE changed(code TEXT PRIMARY KEY);  -- the store wrote their record or documents
            CREATE TABLE flags(k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE dishonest(name TEXT PRIMARY KEY, day TEXT, id TEXT, ev BLOB);
            CREATE TABLE uf(code TEXT PRIMARY KEY, parent TEXT);
            CREATE TABLE near(code TEXT PRIMARY KEY, v BLOB);
        """)
        self.db.execute("BEGIN")

    @classmethod
    def reader(cls, path: str) -> WorkTables:
        t = cls.__new__(cls)
        t.path = path
        t.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        t.db.execute(f"PRAGMA cache_size=-{CACHE_KIB // 4}")
        return t

    def mark_all_changed(self) -> None:
        """The store cannot say what changed since the memo's last run: everyone may have."""
        self.db.execute("INSERT OR REPLACE INTO flags VALUES ('all_changed', '1')")

    def changed(self, code: str) -> bool:
        """Whether the store wrote ``code``'s record or documents since the memo's last run."""
        if self.one("SELECT 1 FROM flags WHERE k = 'all_changed'") is not None:
            return True
        return self.one("SELECT 1 FROM changed WHERE code = ?", (code,)) is not None

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.close()

    def rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[tuple]:
        cur = self.db.execute(sql, tuple(params))
        while True:
            page = cur.fetchmany(1000)
            if not page:
                return
            yield from page

    def one(self, sql: str, params: Iterable[Any] = ()) -> tuple | None:
        return self.db.execute(sql, tuple(params)).fetchone()
