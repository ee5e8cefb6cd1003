"""The world's SQLite index (``world.db``): written once by the generator, opened
read-only by the server. Text is not stored: pages, complaints and judgments keep the
seed and parameters they are rendered from, so the file stays small and the bytes of
every page are a pure function of the world."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE companies (
    code TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, founded TEXT NOT NULL,
    category TEXT NOT NULL, archetype TEXT, profile TEXT NOT NULL
);
CREATE TABLE entries (
    code TEXT NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL, reason TEXT NOT NULL,
    authority TEXT NOT NULL, removed TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE TABLE judgments (
    id TEXT PRIMARY KEY, date TEXT NOT NULL, title TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE dishonest (id TEXT PRIMARY KEY, publish_date TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE complaints (id TEXT PRIMARY KEY, date TEXT NOT NULL, code TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE sites (
    domain TEXT PRIMARY KEY, kind TEXT NOT NULL, first_date TEXT NOT NULL, code TEXT,
    encoding TEXT NOT NULL, header TEXT NOT NULL, name TEXT NOT NULL
);
CREATE TABLE pages (
    domain TEXT NOT NULL, path TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL,
    ptype TEXT NOT NULL, code TEXT, data TEXT NOT NULL, PRIMARY KEY (domain, path)
) WITHOUT ROWID;
CREATE TABLE managers (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, reg_no TEXT NOT NULL, reg_date TEXT NOT NULL,
    status TEXT NOT NULL, lost_date TEXT NOT NULL
);
"""

INDEXES = """
CREATE INDEX companies_founded ON companies (founded);
CREATE INDEX entries_code ON entries (code, date);
CREATE INDEX judgments_date ON judgments (date DESC, id);
CREATE INDEX dishonest_date ON dishonest (publish_date, id);
CREATE INDEX complaints_date ON complaints (date, id);
CREATE INDEX complaints_code ON complaints (code);
CREATE INDEX pages_date ON pages (domain, date);
CREATE INDEX sites_first ON sites (first_date, domain);
CREATE INDEX managers_reg ON managers (reg_date, code);
"""


def create(path: Path) -> sqlite3.Connection:
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path)
    # The file is written once, in one transaction; no journal is needed and a crash
    # means regenerating anyway.
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-65536")  # 64 MiB, bounded whatever N is
    conn.executescript(SCHEMA)
    return conn


def open_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    conn.execute("PRAGMA cache_size=-16384")
    return conn
