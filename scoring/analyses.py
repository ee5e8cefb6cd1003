"""Text analyses kept on disk between runs, with the analyser's and lexicon's versions in
their key: a document's text is analysed once, and again only when it, or the analyser or
lexicon version, changes (issue 14). A run's ``ScoringContext.analysis_cache`` is an
``AnalysisCache``: a small in-memory LRU in front of the file.

Kept by the scorer beside its memo (SMOKE_HOME/scoring/), not in the Store: the file is
the scorer's own cache, written by a trusted process and read back with pickle; deleting it
only costs re-analysis. Several worker processes write it (WAL, a busy timeout, one
transaction per batch).
"""

from __future__ import annotations

import pickle
import sqlite3
import zlib
from pathlib import Path

from scoring.tables import BoundedCache

FLUSH_EVERY = 200  # analyses written per transaction


def analyses_version() -> str:
    from scoring.lexicon import load_lexicon
    from scoring.text import load_rules
    from scoring.text.learned import analyser_version, load_text_model

    return f"{analyser_version(load_rules().version, load_text_model())}|{load_lexicon().version}"


class AnalysisCache:
    """``get`` / ``[]=`` over analysis keys (scoring.facts.analysis_key): memory first, then the
    file; new analyses are written ``FLUSH_EVERY`` at a time and at ``flush``."""

    def __init__(self, path: Path | None, size: int = 256) -> None:
        self.memory = BoundedCache(size)
        self.version = analyses_version()
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, bytes]] = []
        self.hits = self.misses = 0
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.db = self._open(path)
            except sqlite3.DatabaseError:  # a damaged cache: start afresh
                for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    p.unlink(missing_ok=True)
                self.db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=120, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS analyses(k TEXT PRIMARY KEY, v BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT)")
        row = db.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
        if row is None or row[0] != self.version:  # analyses of another analyser or lexicon: never read again
            db.execute("BEGIN IMMEDIATE")
            if row is None or row[0] != self.version:
                db.execute("DELETE FROM analyses")
                db.execute("DELETE FROM meta")  # the index step's markers too: everything is analysed anew
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
            db.execute("COMMIT")
        return db

    def get(self, key: str, default: object = None) -> object:
        v = self.memory.get(key)
        if v is not None or self.db is None:
            return v if v is not None else default
        row = self.db.execute("SELECT v FROM analyses WHERE k = ?", (f"{self.version}|{key}",)).fetchone()
        if row is None:
            self.misses += 1
            return default
        self.hits += 1
        v = pickle.loads(zlib.decompress(row[0]))
        self.memory[key] = v
        return v

    def has(self, key: str) -> bool:
        """Whether ``key``'s analysis is kept (without reading it)."""
        if key in self.memory or any(k == f"{self.version}|{key}" for k, _ in self.pending):
            return True
        return self.db is not None and self.db.execute(
            "SELECT 1 FROM analyses WHERE k = ?", (f"{self.version}|{key}",)).fetchone() is not None

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k = ?", (f"x:{key}",)).fetchone() if self.db else None
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        if self.db is not None:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"x:{key}", value))

    def __setitem__(self, key: str, value: object) -> None:
        self.memory[key] = value
        if self.db is not None:
            self.pending.append((f"{self.version}|{key}", zlib.compress(pickle.dumps(value, protocol=5), 1)))
            if len(self.pending) >= FLUSH_EVERY:
                self.flush()

    def flush(self) -> None:
        if self.db is not None and self.pending:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany("INSERT OR REPLACE INTO analyses VALUES (?, ?)", self.pending)
            self.pending = []

    def close(self) -> None:
        self.flush()
        if self.db is not None:
            self.db.close()
            self.db = None
