"""The embedded store: one SQLite file, FTS5 over jieba tokens and CJK bigrams.

Layout (``SCHEMA``): one row per company / document / score / alert / run with its
full entity as JSON in ``data`` and the fields we filter or sort on as columns.
Full-text search uses external-content FTS5 tables kept in sync by triggers, over
columns holding ``indexing.tokenize`` output: jieba tokens (the same tokens the
Elasticsearch backend indexes) and overlapping CJK bigrams (so a 2+ character
substring is found even where jieba segments the text differently).

Concurrency: one connection per ``SQLiteStore``, opened with
``check_same_thread=False`` and guarded by a re-entrant lock, so a store object can
be shared by threads (web server, scheduler). Several processes may open the same
file: WAL mode lets readers run while one process writes (the crawler), writes
take the write lock up front (``BEGIN IMMEDIATE``) and wait up to ``busy_timeout``.
Iterators read in keyset pages and release the lock between pages, so the caller
may use the store inside the loop.

Every statement is parameterised; FTS5 query strings are built only from quoted
tokens (``_fts_phrase``), never from raw user text.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from indexing.doc_kind import check_doc_kind
from indexing.doc_kind import classify as classify_doc_kind
from indexing.models import Alert, Company, Document, Run, Score
from indexing.normalize import normalize_domain, normalize_name
from indexing.query_syntax import Node, Or, ParsedQuery, Term
from indexing.store import core
from indexing.store.base import (
    MAX_NEAR_BITS,
    SIMHASH_BANDS,
    CompanyQuery,
    DocumentQuery,
    Page,
    Store,
    StoreError,
    UpsertResult,
    check_link_kind,
    check_near_args,
    check_record_kind,
    fields_simhash,
    link_keys,
    nearest,
    simhash_bands,
)
from indexing.tokenize import analyze, query_bigrams

SCHEMA_VERSION = 5  # 2: company_links; 3: simhash_bands; 4: pinyin of names in name_tok; 5: documents.doc_kind
BATCH = 1000  # documents / companies per write transaction
_ID_CHUNK = 500  # ids per "IN (...)" lookup (well under SQLite's variable limit)
_PAGE = 1000  # rows per page of the iterators

SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS companies (
    rid INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL,
    data TEXT NOT NULL,
    name_tok TEXT NOT NULL DEFAULT '',
    alias_tok TEXT NOT NULL DEFAULT '',
    scope_tok TEXT NOT NULL DEFAULT '',
    grams TEXT NOT NULL DEFAULT '',
    smoke_index REAL,
    level TEXT,
    score_as_of TEXT,
    rise REAL
);
CREATE INDEX IF NOT EXISTS companies_region ON companies(region_code);
CREATE INDEX IF NOT EXISTS companies_industry ON companies(industry);
CREATE INDEX IF NOT EXISTS companies_level ON companies(level);
CREATE INDEX IF NOT EXISTS companies_score ON companies(COALESCE(smoke_index, -1.0) DESC, credit_code);
CREATE INDEX IF NOT EXISTS companies_name ON companies(name, credit_code);
-- The rise sort's own index (its expression as search_companies writes it: core.MISSING_RISE),
-- and one industry's companies in score order (the company page's similar companies: one
-- industry, one province, an index range), so that search reads a page of index entries and
-- its capped count an index range, not the rows.
CREATE INDEX IF NOT EXISTS companies_rise ON companies(COALESCE(rise, -1e+18) DESC, credit_code);
CREATE INDEX IF NOT EXISTS companies_industry_score
    ON companies(industry, COALESCE(smoke_index, -1.0) DESC, credit_code, region_code, smoke_index);

CREATE TABLE IF NOT EXISTS company_names (
    norm TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    kind TEXT NOT NULL,  -- name | former_name | alias
    PRIMARY KEY (norm, credit_code, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS company_names_code ON company_names(credit_code);

CREATE TABLE IF NOT EXISTS company_domains (
    domain TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    PRIMARY KEY (domain, credit_code)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS company_domains_code ON company_domains(credit_code);

-- base.link_keys of each company: who shares a person, address, phone or website.
CREATE TABLE IF NOT EXISTS company_links (
    kind TEXT NOT NULL,  -- person | address | phone | website
    value TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    PRIMARY KEY (kind, value, credit_code)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS company_links_code ON company_links(credit_code);

CREATE VIRTUAL TABLE IF NOT EXISTS companies_fts USING fts5(
    name_tok, alias_tok, scope_tok, grams, content='companies', content_rowid='rid');
CREATE TRIGGER IF NOT EXISTS companies_ai AFTER INSERT ON companies BEGIN
    INSERT INTO companies_fts(rowid, name_tok, alias_tok, scope_tok, grams)
    VALUES (new.rid, new.name_tok, new.alias_tok, new.scope_tok, new.grams);
END;
CREATE TRIGGER IF NOT EXISTS companies_ad AFTER DELETE ON companies BEGIN
    INSERT INTO companies_fts(companies_fts, rowid, name_tok, alias_tok, scope_tok, grams)
    VALUES ('delete', old.rid, old.name_tok, old.alias_tok, old.scope_tok, old.grams);
END;
CREATE TRIGGER IF NOT EXISTS companies_au AFTER UPDATE OF name_tok, alias_tok, scope_tok, grams
ON companies BEGIN
    INSERT INTO companies_fts(companies_fts, rowid, name_tok, alias_tok, scope_tok, grams)
    VALUES ('delete', old.rid, old.name_tok, old.alias_tok, old.scope_tok, old.grams);
    INSERT INTO companies_fts(rowid, name_tok, alias_tok, scope_tok, grams)
    VALUES (new.rid, new.name_tok, new.alias_tok, new.scope_tok, new.grams);
END;

CREATE TABLE IF NOT EXISTS documents (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    site TEXT NOT NULL DEFAULT '',
    domain TEXT NOT NULL DEFAULT '',
    day TEXT NOT NULL DEFAULT '',  -- published date, else the fetch date (ISO, 10 chars)
    content_hash TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,  -- every other field, JSON
    title_tok TEXT NOT NULL DEFAULT '',
    text_tok TEXT NOT NULL DEFAULT '',
    grams TEXT NOT NULL DEFAULT '',
    doc_kind TEXT NOT NULL DEFAULT ''  -- indexing.doc_kind, computed when the document is written
);
CREATE INDEX IF NOT EXISTS documents_kind_day ON documents(source_kind, day);
CREATE INDEX IF NOT EXISTS documents_day ON documents(day, id);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
-- search_documents by kind, newest first (the date order pages by (day, id)).
CREATE INDEX IF NOT EXISTS documents_doc_kind ON documents(doc_kind, day, id);

CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    title_tok, text_tok, grams, content='documents', content_rowid='rid');
CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title_tok, text_tok, grams)
    VALUES (new.rid, new.title_tok, new.text_tok, new.grams);
END;
CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title_tok, text_tok, grams)
    VALUES ('delete', old.rid, old.title_tok, old.text_tok, old.grams);
END;
CREATE TRIGGER IF NOT EXISTS documents_au AFTER UPDATE OF title_tok, text_tok, grams ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title_tok, text_tok, grams)
    VALUES ('delete', old.rid, old.title_tok, old.text_tok, old.grams);
    INSERT INTO documents_fts(rowid, title_tok, text_tok, grams)
    VALUES (new.rid, new.title_tok, new.text_tok, new.grams);
END;

-- The 16-bit bands of each document's fields["simhash"] (base.simhash_bands): near_duplicates.
-- The full hash is kept as 16 hex digits: SQLite integers are signed 64-bit, and half of
-- all simhashes are 2^63 or more.
CREATE TABLE IF NOT EXISTS simhash_bands (
    band INTEGER NOT NULL,  -- 0..3, band 0 = the lowest 16 bits
    value INTEGER NOT NULL,  -- 0..65535
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    simhash TEXT NOT NULL,
    PRIMARY KEY (band, value, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS simhash_bands_doc ON simhash_bands(doc_id);

CREATE TABLE IF NOT EXISTS mentions (
    credit_code TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (credit_code, doc_id, role)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc_id);

CREATE TABLE IF NOT EXISTS scores (
    rid INTEGER PRIMARY KEY,  -- grows with every save: the tie-break for equal as_of
    credit_code TEXT NOT NULL,
    as_of TEXT NOT NULL,
    model_version TEXT NOT NULL,
    smoke_index REAL NOT NULL,
    level TEXT NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    UNIQUE (credit_code, as_of, model_version)
);
CREATE INDEX IF NOT EXISTS scores_code ON scores(credit_code, as_of, rid);
CREATE INDEX IF NOT EXISTS scores_current ON scores(is_current, smoke_index DESC, credit_code);

CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    credit_code TEXT NOT NULL,
    created TEXT NOT NULL,
    acknowledged_at TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts(created);

CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    started TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_started ON runs(started);

CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Store.changed_since: per company, the sequence number of the last write transaction that
-- changed its record or its documents (one row per company, so the table never outgrows them).
CREATE TABLE IF NOT EXISTS changes (
    credit_code TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS changes_seq ON changes(seq);
-- this file's identity, part of every change marker (not state: copies of a store do not share it)
CREATE TABLE IF NOT EXISTS changes_store (id TEXT NOT NULL);
"""


# The rows core.current_score decides from, newest first: it reads them lazily and stops at
# the first earlier as_of, so a long history costs two rows (scores_code serves the order).
CURRENT_ROWS_SQL = """SELECT as_of, rid, smoke_index, level, model_version FROM scores
                      WHERE credit_code = ? ORDER BY as_of DESC, rid DESC"""
# Writing the decision back. "+is_current" keeps the planner on scores_code (credit_code=?):
# through scores_current it would visit every current score for each company, which made
# saving 100k scores quadratic (minutes instead of seconds).
SET_CURRENT_SQL = "UPDATE scores SET is_current = (rid = ?1) WHERE credit_code = ?2 AND (+is_current = 1 OR rid = ?1)"
SET_COMPANY_SQL = "UPDATE companies SET smoke_index = ?, level = ?, score_as_of = ?, rise = ? WHERE credit_code = ?"
_NO_SCORE = dict.fromkeys(("smoke_index", "level", "score_as_of", "rise"))  # SET_COMPANY_SQL's order


class SQLiteStoreError(StoreError):
    """Raised by SQLiteStore for a database it cannot use (e.g. a newer schema)."""


_PRIMITIVE = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(o: Any) -> Any:
    """``dataclasses.asdict`` without its deep copies (3x faster on our entities)."""
    t = type(o)
    if t in _PRIMITIVE:
        return o
    names = _FIELD_NAMES.get(t)
    if names is None:
        if dataclasses.is_dataclass(o):
            names = _FIELD_NAMES[t] = tuple(f.name for f in dataclasses.fields(o))
        elif isinstance(o, list | tuple):
            return [_plain(x) for x in o]
        elif isinstance(o, dict):
            return {k: _plain(v) for k, v in o.items()}
        else:
            return o
    return {n: _plain(getattr(o, n)) for n in names}


_json = core.canonical_json


def _fts_phrase(tokens: Sequence[str]) -> str:
    """A quoted FTS5 phrase: the only way user text enters a MATCH expression."""
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _match_expr(words: Sequence[str], token_cols: str) -> str:
    """Every query word must match, as a jieba token or (CJK words) as a bigram phrase."""
    parts = []
    for w in words:
        alts = [f"{token_cols} : {_fts_phrase([w])}"]
        grams = query_bigrams(w)
        if grams:
            alts.append(f"grams : {_fts_phrase(grams)}")
        parts.append("(" + " OR ".join(alts) + ")")
    return " AND ".join(parts)


def _fts_expr(node: Node, token_cols: str) -> str:
    """A query tree (indexing.query_syntax) as an FTS5 MATCH expression; every piece of user
    text in it is a quoted phrase (``_fts_phrase``), the operators are ours."""
    if isinstance(node, Term):
        if not node.phrase:
            return _match_expr(node.words, token_cols)
        alts = [f"{token_cols} : {_fts_phrase(node.words)}"]
        if node.grams:
            alts.append(f"grams : {_fts_phrase(node.grams)}")
        return " OR ".join(alts)
    if isinstance(node, Or):
        return " OR ".join(f"({_fts_expr(n, token_cols)})" for n in node.any)
    must = " AND ".join(f"({_fts_expr(n, token_cols)})" for n in node.must)
    if not node.must_not:
        return must
    # FTS5's NOT is binary ("a NOT b"): the tree never has an exclusion without a must.
    return f"({must}) NOT ({' OR '.join(f'({_fts_expr(n, token_cols)})' for n in node.must_not)})"


def _walks(matches: int, wanted: int, companies: int) -> bool:
    """Whether a company search walks its sort index, checking each row, rather than gathering
    its ``matches`` and sorting them: walking reads about ``wanted`` x ``companies`` / ``matches``
    rows (the matches are spread evenly along the index, as far as we know), gathering reads
    every match. Both give the same page (tests/test_store_contract.py runs both)."""
    return matches * matches > wanted * companies


# A company query text's FTS5 matches (one parameter: the expression), and with their bm25.
_COMPANY_MATCH = "SELECT rowid AS rid FROM companies_fts WHERE companies_fts MATCH ?"
_COMPANY_RANK = ("SELECT rowid AS rid, bm25(companies_fts, 10.0, 5.0, 1.0, 0.5) AS rank "
                 "FROM companies_fts WHERE companies_fts MATCH ?")

_DOCUMENT_MATCH = "SELECT rowid AS rid FROM documents_fts WHERE documents_fts MATCH ?"
_DOCUMENT_RANK = ("SELECT rowid AS rid, bm25(documents_fts, 3.0, 1.0, 0.5) AS rank "
                  "FROM documents_fts WHERE documents_fts MATCH ?")


@dataclasses.dataclass(slots=True)
class _CompanyText:
    """A company query's text as SQL: FTS5 expression (None: no words to match), credit-code
    prefix condition ('' when the text is not one), the words to highlight, and ``nothing``
    when the text can match no company."""

    fts: str | None = None
    code_sql: str = ""
    code_params: list[Any] = dataclasses.field(default_factory=list)
    words: list[str] = dataclasses.field(default_factory=list)
    nothing: bool = False


def _day(d: Document) -> str:
    return (d.published or d.fetched or "")[:10]


def _prefix_bounds(prefix: str) -> tuple[str, str]:
    # [prefix, prefix + U+10FFFF) is every string starting with prefix, and it uses the index.
    return prefix, prefix + "\U0010ffff"


def _backfill(c: sqlite3.Connection, table: str, select: str, insert: str,
              rows_of: Callable[[str, dict[str, Any]], Iterable[tuple]]) -> None:
    """Refill a derived table from stored (key, JSON) rows, a page at a time (migrations)."""
    c.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants of this module
    cur = c.execute(select)
    while rows := cur.fetchmany(_PAGE):
        c.executemany(insert, [r for key, data in rows for r in rows_of(key, json.loads(data))])


class SQLiteStore(Store):
    """The embedded Store backend (see module docstring)."""

    def __init__(self, path: Path | str, timeout_s: float = 30.0) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(self.path), timeout=timeout_s, isolation_level=None, check_same_thread=False
        )
        c = self._conn
        c.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses at most the last commits
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA temp_store = MEMORY")
        c.execute("PRAGMA cell_size_check = ON")  # a damaged page raises instead of reading as rows
        c.execute("PRAGMA cache_size = -65536")  # 64 MiB
        self._migrate()

    # --- plumbing ------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _migrate(self) -> None:
        with self._write() as c:
            self._add_columns(c)
            for stmt in _statements(SCHEMA):
                c.execute(stmt)
            row = c.execute("SELECT version FROM schema_version").fetchone()
            if row is None:
                c.execute("INSERT INTO schema_version(version) VALUES (?)", (SCHEMA_VERSION,))
            elif row[0] > SCHEMA_VERSION:
                raise SQLiteStoreError(
                    f"{self.path}: schema version {row[0]} is newer than this program's "
                    f"({SCHEMA_VERSION}); upgrade smokewatch"
                )
            elif row[0] < SCHEMA_VERSION:
                # SCHEMA above created any new table empty; fill it from the stored rows. One
                # transaction: a crash leaves the old version, and the next open starts again.
                if row[0] < 2:
                    self._backfill_links(c)
                if row[0] < 3:
                    self._backfill_simhash(c)
                if row[0] < 4:
                    self._backfill_name_tokens(c)
                if row[0] < 5:
                    self._backfill_doc_kinds(c)
                c.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))

    # Columns added to existing tables since version 1: CREATE TABLE IF NOT EXISTS leaves an
    # old table as it was, and SCHEMA's indexes on a new column would fail without it.
    _ADDED_COLUMNS = (("documents", "doc_kind", "TEXT NOT NULL DEFAULT ''"),)

    @classmethod
    def _add_columns(cls, c: sqlite3.Connection) -> None:
        for table, column, decl in cls._ADDED_COLUMNS:
            have = {r[1] for r in c.execute(f"PRAGMA table_info({table})")}  # empty for a new file
            if have and column not in have:
                c.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    @staticmethod
    def _backfill_links(c: sqlite3.Connection) -> None:
        """company_links for every stored company (databases written before version 2)."""
        _backfill(c, "company_links", "SELECT credit_code, data FROM companies",
                  "INSERT OR IGNORE INTO company_links(kind, value, credit_code) VALUES (?,?,?)",
                  lambda code, data: [(k, v, code) for k, v in link_keys(Company.from_dict(data))])

    @staticmethod
    def _backfill_simhash(c: sqlite3.Connection) -> None:
        """simhash_bands for every stored document carrying one (databases before version 3)."""
        _backfill(c, "simhash_bands", "SELECT id, data FROM documents",
                  "INSERT OR IGNORE INTO simhash_bands(band, value, doc_id, simhash) VALUES (?,?,?,?)",
                  lambda doc_id, data: _simhash_rows(doc_id, data.get("fields")))

    @staticmethod
    def _backfill_name_tokens(c: sqlite3.Connection) -> None:
        """name_tok with the names' pinyin forms (databases before version 4); the update
        trigger keeps companies_fts in step."""
        last = 0
        while rows := c.execute("SELECT rid, name FROM companies WHERE rid > ? ORDER BY rid LIMIT ?",
                                (last, _PAGE)).fetchall():
            c.executemany("UPDATE companies SET name_tok = ? WHERE rid = ?",
                          [(core.name_tokens(name, analyze(name)[0]), rid) for rid, name in rows])
            last = rows[-1][0]

    @staticmethod
    def _backfill_doc_kinds(c: sqlite3.Connection) -> None:
        """doc_kind of every stored document (databases before version 5), by the one rule."""
        last = 0
        while rows := c.execute("SELECT rid, source_kind, title, text FROM documents WHERE rid > ? ORDER BY rid LIMIT ?",
                                (last, _PAGE)).fetchall():
            c.executemany("UPDATE documents SET doc_kind = ? WHERE rid = ?",
                          [(classify_doc_kind(sk, title, text), rid) for rid, sk, title, text in rows])
            last = rows[-1][0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def check_integrity(self) -> list[str]:
        """SQLite's quick check (every page and index entry read once: seconds per GB)."""
        try:
            rows = [r[0] for r in self._conn.execute("PRAGMA quick_check(20)")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if rows == ["ok"] else [" ".join(str(r).split()) for r in rows]  # one line each

    def schema_version(self) -> int:
        return self._query("SELECT version FROM schema_version")[0][0]

    def optimize(self) -> None:
        """Merge FTS5 segments and refresh planner statistics (after big loads)."""
        with self._write() as c:
            c.execute("INSERT INTO companies_fts(companies_fts) VALUES ('optimize')")
            c.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")
        with self._lock:
            self._conn.execute("PRAGMA optimize")

    # --- companies -----------------------------------------------------------
    def upsert_companies(self, companies: Iterable[Company]) -> UpsertResult:
        result = UpsertResult()
        batch: list[Company] = []
        for co in companies:
            batch.append(co)
            if len(batch) >= BATCH:
                self._upsert_company_batch(batch, result)
                batch = []
        if batch:
            self._upsert_company_batch(batch, result)
        return result

    def _existing(self, table: str, key: str, ids: list[str], cols: str) -> dict[str, tuple]:
        out: dict[str, tuple] = {}
        for i in range(0, len(ids), _ID_CHUNK):
            chunk = ids[i : i + _ID_CHUNK]
            marks = ",".join("?" * len(chunk))
            # table, key and cols are our constants, never user input.
            for row in self._query(f"SELECT {key}, {cols} FROM {table} WHERE {key} IN ({marks})", chunk):
                out[row[0]] = row[1:]
        return out

    def _upsert_company_batch(self, batch: list[Company], result: UpsertResult) -> None:
        codes = [c.credit_code for c in batch]
        existing = self._existing("companies", "credit_code", codes, "fingerprint")
        rows, names, domains, links, touched = [], [], [], [], []
        for co in batch:
            try:
                core.require_company(co)
                d = _plain(co)
                fp = core.company_fingerprint(d)
                old = existing.get(co.credit_code)
                kind, write = core.company_change(old[0] if old is not None else None, fp)
                setattr(result, kind, getattr(result, kind) + 1)
                if not write:
                    continue
                existing[co.credit_code] = (fp,)
                other_names = " ".join(co.former_names + co.aliases)
                name_tok, name_grams = analyze(co.name)
                name_tok = core.name_tokens(co.name, name_tok)
                alias_tok, alias_grams = analyze(other_names) if other_names else ("", "")
                scope_tok, scope_grams = analyze(co.business_scope) if co.business_scope else ("", "")
                grams = " ".join(g for g in (name_grams, alias_grams, scope_grams) if g)
                rows.append((co.credit_code, co.name, co.region_code, co.industry, fp, _json(d),
                             name_tok, alias_tok, scope_tok, grams))
                keyed = {(normalize_name(co.name), "name")}
                keyed |= {(normalize_name(n), "former_name") for n in co.former_names}
                keyed |= {(normalize_name(n), "alias") for n in co.aliases}
                names.extend((n, co.credit_code, k) for n, k in keyed if n)
                domains.extend((dm, co.credit_code) for dm in {normalize_domain(w) for w in co.websites} if dm)
                links.extend((k, v, co.credit_code) for k, v in link_keys(co))
                touched.append(co.credit_code)
            except (ValueError, TypeError) as e:  # a bad record is counted, never fatal
                result.failed.append(f"{co.credit_code or '?'}: {e}")
        if not rows:
            return
        with self._write() as c:
            c.executemany(
                """INSERT INTO companies(credit_code, name, region_code, industry, fingerprint, data,
                                         name_tok, alias_tok, scope_tok, grams)
                   VALUES (?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(credit_code) DO UPDATE SET
                     name=excluded.name, region_code=excluded.region_code, industry=excluded.industry,
                     fingerprint=excluded.fingerprint, data=excluded.data, name_tok=excluded.name_tok,
                     alias_tok=excluded.alias_tok, scope_tok=excluded.scope_tok, grams=excluded.grams""",
                rows,
            )
            params = [(code,) for code in touched]
            c.executemany("DELETE FROM company_names WHERE credit_code = ?", params)
            c.executemany("DELETE FROM company_domains WHERE credit_code = ?", params)
            # Replaced, not merged: a phone the registry no longer lists stops linking.
            c.executemany("DELETE FROM company_links WHERE credit_code = ?", params)
            c.executemany("INSERT OR IGNORE INTO company_names(norm, credit_code, kind) VALUES (?,?,?)", names)
            c.executemany("INSERT OR IGNORE INTO company_domains(domain, credit_code) VALUES (?,?)", domains)
            c.executemany("INSERT OR IGNORE INTO company_links(kind, value, credit_code) VALUES (?,?,?)", links)
            # A company that arrives after its scores picks up its current score.
            self._refresh_current(c, touched, scores_changed=False)
            _mark_changed(c, touched)

    def get_company(self, credit_code: str) -> Company | None:
        rows = self._query("SELECT data FROM companies WHERE credit_code = ?", (credit_code,))
        return Company.from_dict(json.loads(rows[0][0])) if rows else None

    def iter_companies(self) -> Iterator[Company]:
        last = 0
        while True:
            rows = self._query(
                "SELECT rid, data FROM companies WHERE rid > ? ORDER BY rid LIMIT ?", (last, _PAGE)
            )
            if not rows:
                return
            for _, data in rows:
                yield Company.from_dict(json.loads(data))
            last = rows[-1][0]

    def count_companies(self) -> int:
        return self._query("SELECT COUNT(*) FROM companies")[0][0]

    def _companies_by_codes(self, codes: Iterable[str]) -> list[Company]:
        uniq = sorted(set(codes))
        found = self._existing("companies", "credit_code", uniq, "data")
        return [Company.from_dict(json.loads(found[c][0])) for c in uniq if c in found]

    def get_companies(self, credit_codes: Iterable[str]) -> dict[str, Company]:
        """The stored companies among ``credit_codes``, a few hundred per query."""
        codes = [c for c in dict.fromkeys(credit_codes) if c]
        found = self._existing("companies", "credit_code", codes, "data")
        return {c: Company.from_dict(json.loads(found[c][0])) for c in codes if c in found}

    def companies_by_name(self, name: str) -> list[Company]:
        norm = normalize_name(name)
        if not norm:
            return []
        rows = self._query("SELECT credit_code FROM company_names WHERE norm = ?", (norm,))
        return self._companies_by_codes(r[0] for r in rows)

    def companies_by_domain(self, domain: str) -> list[Company]:
        dm = normalize_domain(domain)
        if not dm:
            return []
        rows = self._query("SELECT credit_code FROM company_domains WHERE domain = ?", (dm,))
        return self._companies_by_codes(r[0] for r in rows)

    def companies_sharing(self, kind: str, value: str, limit: int = 50) -> list[str]:
        check_link_kind(kind)
        rows = self._query(
            "SELECT credit_code FROM company_links WHERE kind = ? AND value = ? ORDER BY credit_code LIMIT ?",
            (kind, value, max(0, int(limit))),
        )
        return [r[0] for r in rows]

    def count_companies_sharing(self, kind: str, value: str) -> int:
        check_link_kind(kind)
        return self._query("SELECT COUNT(*) FROM company_links WHERE kind = ? AND value = ?", (kind, value))[0][0]

    # --- documents -----------------------------------------------------------
    def upsert_documents(self, documents: Iterable[Document]) -> UpsertResult:
        result = UpsertResult()
        batch: list[Document] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= BATCH:
                self._upsert_document_batch(batch, result)
                batch = []
        if batch:
            self._upsert_document_batch(batch, result)
        return result

    def _upsert_document_batch(self, batch: list[Document], result: UpsertResult) -> None:
        existing = self._existing("documents", "id", [d.id for d in batch], "content_hash, fingerprint")
        rows, mentions, written = [], [], []
        bands: dict[str, list[tuple[int, int, str, str]]] = {}  # by id: the last of a repeated id wins
        for doc in batch:
            try:
                core.require_document(doc)
                d = _plain(doc)
                rest = {k: v for k, v in d.items() if k not in ("title", "text", "doc_kind")}
                # ``fetched`` changes on every crawl; the content does not.
                fp = core.document_fingerprint(d)
                kind, write = core.document_change(existing.get(doc.id), doc.content_hash, fp)
                setattr(result, kind, getattr(result, kind) + 1)
                if not write:
                    continue
                existing[doc.id] = (doc.content_hash, fp)
                title_tok, title_grams = analyze(doc.title)
                text_tok, text_grams = analyze(doc.text)
                rows.append((doc.id, doc.url, doc.source_kind, doc.site, doc.domain, _day(doc),
                             doc.content_hash, fp, doc.title, doc.text, _json(rest),
                             title_tok, text_tok, f"{title_grams} {text_grams}".strip(),
                             classify_doc_kind(doc.source_kind, doc.title, doc.text)))
                mentions.extend((m.credit_code, doc.id, m.role, m.method, m.confidence)
                                for m in doc.mentions if m.credit_code)
                written.append((doc.id,))
                bands[doc.id] = _simhash_rows(doc.id, doc.fields)
            except (ValueError, TypeError, AttributeError) as e:
                result.failed.append(f"{doc.id or '?'}: {e}")
        if not rows:
            return
        with self._write() as c:
            c.executemany(
                """INSERT INTO documents(id, url, source_kind, site, domain, day, content_hash,
                                         fingerprint, title, text, data, title_tok, text_tok, grams, doc_kind)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET
                     url=excluded.url, source_kind=excluded.source_kind, site=excluded.site,
                     domain=excluded.domain, day=excluded.day, content_hash=excluded.content_hash,
                     fingerprint=excluded.fingerprint, title=excluded.title, text=excluded.text,
                     data=excluded.data, title_tok=excluded.title_tok, text_tok=excluded.text_tok,
                     grams=excluded.grams, doc_kind=excluded.doc_kind""",
                rows,
            )
            # the companies a written document named before and names now: their inputs changed
            changed = {r[0] for ids in _chunks([w[0] for w in written], _ID_CHUNK) for r in c.execute(
                f"SELECT credit_code FROM mentions WHERE doc_id IN ({','.join('?' * len(ids))})", ids)}
            changed.update(m[0] for m in mentions)
            _mark_changed(c, sorted(changed))
            c.executemany("DELETE FROM mentions WHERE doc_id = ?", written)
            # Replaced, not merged: a page whose text changed stops matching its old simhash.
            c.executemany("DELETE FROM simhash_bands WHERE doc_id = ?", written)
            c.executemany("INSERT OR IGNORE INTO simhash_bands(band, value, doc_id, simhash) VALUES (?,?,?,?)",
                          [r for doc_rows in bands.values() for r in doc_rows])
            c.executemany(
                """INSERT INTO mentions(credit_code, doc_id, role, method, confidence) VALUES (?,?,?,?,?)
                   ON CONFLICT DO UPDATE SET method=excluded.method, confidence=excluded.confidence
                   WHERE excluded.confidence > mentions.confidence""",
                mentions,
            )

    _DOC_COLS = "d.title, d.text, d.data, d.doc_kind"

    @staticmethod
    def _doc(row: Sequence[Any]) -> Document:
        title, text, data, doc_kind = row[0], row[1], row[2], row[3]
        d = json.loads(data)
        d["title"] = title
        d["text"] = text
        d["doc_kind"] = doc_kind
        return Document.from_dict(d)

    def get_document(self, doc_id: str) -> Document | None:
        rows = self._query(f"SELECT {self._DOC_COLS} FROM documents d WHERE d.id = ?", (doc_id,))
        return self._doc(rows[0]) if rows else None

    def documents_for(self, credit_code: str, source_kind: str = "") -> list[Document]:
        sql = (f"SELECT {self._DOC_COLS} FROM documents d "
               "WHERE d.id IN (SELECT doc_id FROM mentions WHERE credit_code = ?)")
        params: list[Any] = [credit_code]
        if source_kind:
            sql += " AND d.source_kind = ?"
            params.append(source_kind)
        sql += " ORDER BY d.day, d.id"
        return [self._doc(r) for r in self._query(sql, params)]

    def iter_documents(self, source_kind: str = "") -> Iterator[Document]:
        last = 0
        kind_sql = " AND d.source_kind = ?" if source_kind else ""
        while True:
            params: list[Any] = [last] + ([source_kind] if source_kind else []) + [_PAGE]
            rows = self._query(
                f"SELECT d.rid, {self._DOC_COLS} FROM documents d WHERE d.rid > ?{kind_sql} "
                "ORDER BY d.rid LIMIT ?",
                params,
            )
            if not rows:
                return
            for r in rows:
                yield self._doc(r[1:])
            last = rows[-1][0]

    def count_documents(self, source_kind: str = "") -> int:
        if source_kind:
            return self._query("SELECT COUNT(*) FROM documents WHERE source_kind = ?", (source_kind,))[0][0]
        return self._query("SELECT COUNT(*) FROM documents")[0][0]

    def document_ids_with_hash(self, content_hash: str) -> list[str]:
        if not content_hash:
            return []
        return [r[0] for r in self._query(
            "SELECT id FROM documents WHERE content_hash = ? ORDER BY id", (content_hash,))]

    def near_duplicates(self, simhash: int, max_bits: int = MAX_NEAR_BITS, exclude: str = "",
                        limit: int = 1) -> list[tuple[str, int]]:
        check_near_args(simhash, max_bits)
        # One (band, value) equality per band: SQLite answers the OR from the primary key.
        where = " OR ".join(["(band = ? AND value = ?)"] * SIMHASH_BANDS)
        params = [x for band, value in enumerate(simhash_bands(simhash)) for x in (band, value)]
        rows = self._query(f"SELECT doc_id, simhash FROM simhash_bands WHERE {where}", params)
        return nearest(((d, int(h, 16)) for d, h in rows), simhash, max_bits, exclude, limit)

    # --- search --------------------------------------------------------------
    def _company_text(self, q: CompanyQuery, parsed: ParsedQuery | None = None) -> _CompanyText:
        """What a company query's text asks for: an FTS5 expression and / or a credit-code prefix."""
        text = (q.text or "").strip()
        if not text:
            return _CompanyText()
        parsed = parsed or core.parse_text(text)
        fts = _fts_expr(parsed.root, "{name_tok alias_tok scope_tok}") if parsed.root is not None else None
        code = core.code_prefix(text)
        code_sql, code_params = ("(c.credit_code >= ? AND c.credit_code < ?)", list(_prefix_bounds(code))) \
            if code else ("", [])
        return _CompanyText(fts, code_sql, code_params, parsed.words, nothing=fts is None and not code)

    @staticmethod
    def _company_where(q: CompanyQuery, walk: bool = False) -> tuple[list[str], list[Any]]:
        """WHERE parts and params of a company query's filters (everything but the text). With
        ``walk`` the columns are written ``+c.col``, which keeps SQLite from answering them
        from their own indexes: the search walks its sort index and checks each row."""
        c = "+c." if walk else "c."
        where: list[str] = []
        params: list[Any] = []
        if q.region:
            where.append(f"{c}region_code >= ? AND {c}region_code < ?")
            params.extend(_prefix_bounds(q.region))
        if q.industry:  # never hinted: companies_industry_score is in the score sort's order
            where.append("c.industry = ?")
            params.append(q.industry)
        if q.level:
            where.append(f"{c}level = ?")
            params.append(q.level)
        # The bounds are written on the score index's own expression, so that a score-sorted
        # search and a count seek to the range in that index. A lower bound above the stand-in
        # for "no score" needs nothing else (the same rows); other bounds keep the column's own
        # test, which leaves out companies without a score.
        idx = f"COALESCE(c.smoke_index, {core.MISSING_SCORE!r})"
        for bound, op in ((q.min_score, ">="), (q.max_score, "<=")):
            if bound is None:
                continue
            where.append(f"{idx} {op} ?")
            params.append(float(bound))
            if op == "<=" or float(bound) <= core.MISSING_SCORE:
                where.append(f"{c}smoke_index {op} ?")
                params.append(float(bound))
        return where, params

    def _company_filters(self, q: CompanyQuery, parsed: ParsedQuery | None = None
                         ) -> tuple[list[str], list[Any], str, list[Any], list[str]]:
        """WHERE parts and params, the FTS join (or ''), its params, and the query words
        (aggregate_companies: every match is read anyway)."""
        t = self._company_text(q, parsed)
        where, params = self._company_where(q)
        join, join_params = "", []
        if t.nothing:
            where.insert(0, "0")
        elif t.code_sql:
            where.insert(0, f"({t.code_sql} OR c.rid IN ({_COMPANY_MATCH}))" if t.fts else t.code_sql)
            params[:0] = t.code_params + ([t.fts] if t.fts else [])
        elif t.fts is not None:
            join, join_params = f"JOIN ({_COMPANY_MATCH}) m ON m.rid = c.rid", [t.fts]
        return where, params, join, join_params, t.words

    def _paged(self, table: str, id_col: str, cols: str, key: str, desc: bool, join: str, join_params: list[Any],
               where: list[str], params: list[Any], query: CompanyQuery | DocumentQuery,
               count: bool = True) -> tuple[list, int, bool]:
        """One page of ``table`` ordered by ``key`` then ``id_col``, by offset or by the
        ``search_after`` cursor; rows are (key, id, *cols). Returns (rows, total, more);
        total is 0 when not ``count``ed."""
        base_where = " AND ".join(where) or "1"
        total = self._query(f"SELECT COUNT(*) FROM {table} {join} WHERE {base_where}",
                            join_params + params)[0][0] if count else 0
        cur_sql, cur_params = _cursor_sql(key, desc, id_col, query.search_after)
        sql = (f"SELECT {key} AS k, {id_col}, {cols} FROM {table} {join} WHERE {base_where}{cur_sql} "
               f"ORDER BY k {'DESC' if desc else 'ASC'}, {id_col} LIMIT ? OFFSET ?")
        limit = max(0, int(query.limit))
        offset = 0 if query.search_after else max(0, int(query.offset))
        rows = self._query(sql, join_params + params + cur_params + [limit + 1, offset])
        return rows[:limit], total, len(rows) > limit

    # (columns, table) per record kind; rowid is the save order.
    _RECORDS = {
        "companies": ("data", "companies"),
        "documents": ("title, text, data, doc_kind", "documents"),
        "scores": ("data", "scores"),
        "alerts": ("data", "alerts"),
        "runs": ("data", "runs"),
        "state": ("key, value", "state"),
    }

    def iter_records(self, kind: str, after: str = "") -> Iterator[tuple[str, Any]]:
        check_record_kind(kind)
        try:
            last = int(after or 0)
        except ValueError:
            raise ValueError(f"iter_records: position must be one this store gave (a row number), got {after!r}") from None
        cols, table = self._RECORDS[kind]
        while True:
            rows = self._query(f"SELECT rowid, {cols} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                               (last, _PAGE))
            for row in rows:
                yield str(row[0]), self._record(kind, row[1:])
            if len(rows) < _PAGE:
                return
            last = rows[-1][0]

    def _record(self, kind: str, row: Sequence[Any]) -> Any:
        if kind == "companies":
            return Company.from_dict(json.loads(row[0]))
        if kind == "documents":
            return self._doc(row)
        if kind == "scores":
            return Score.from_dict(json.loads(row[0]))
        if kind == "alerts":
            return Alert(**json.loads(row[0]))
        if kind == "runs":
            return Run.from_dict(json.loads(row[0]))
        return (row[0], row[1])

    def count_records(self, kind: str) -> int:
        check_record_kind(kind)
        return int(self._query(f"SELECT COUNT(*) FROM {self._RECORDS[kind][1]}")[0][0])

    def search_companies(self, query: CompanyQuery) -> Page:
        """Counts the matches up to core.COUNT_CAP (``exact_total``: all), then fetches one page.
        A text's matches are read from FTS5 in one of two ways, chosen by that count: at most
        COUNT_CAP matches are joined and sorted (bm25 computed for relevance, which runs only up
        to core.RANK_CAP matches); more are filtered one by one while walking the sort's index
        (``EXISTS`` against FTS5, a doclist seek each), so a word found in every business scope
        costs a page's worth of rows, not a million. Only the page's rows are decoded."""
        core.check_cursor(query.search_after)
        parsed = core.parse_text(query.text or "")
        t = self._company_text(query, parsed)
        where, params = self._company_where(query)
        if t.nothing:
            return Page(hits=[], total=0, notice=parsed.notice, sort=core.company_sort(query.sort, False))
        cap = None if query.exact_total else core.COUNT_CAP
        # Counted far enough to know both the total and whether relevance ranks (RANK_CAP).
        counted = self._count_companies(t, where, params, None if cap is None else max(cap, core.RANK_CAP))
        total, lower_bound = core.capped_total(counted, cap)
        sort = core.company_sort_for(query.sort, t.fts is not None, counted > core.RANK_CAP)
        # (sort key expression, direction); ties always broken by credit_code ascending.
        key, desc = {
            "score": (f"COALESCE(c.smoke_index, {core.MISSING_SCORE!r})", True),
            "name": ("c.name", False),
            # An exact credit-code hit outranks every text match.
            "relevance": ("COALESCE(m.rank, -1e9)", False),
            "rise": (f"COALESCE(c.rise, {core.MISSING_RISE!r})", True),
        }[sort]
        # Walk the sort index (checking each row) or gather the matches and sort them: walking
        # reads about (offset + limit) x companies / matches rows, gathering reads every match.
        wanted = (0 if query.search_after else max(0, int(query.offset))) + max(0, int(query.limit)) + 1
        walk = sort != "relevance" and _walks(counted, wanted, self._companies_upper_bound())
        if walk:
            where, params = self._company_where(query, walk=True)
        join, join_params, member, member_params = "", [], [], []
        if t.code_sql:  # a credit-code prefix: the few FTS matches OR'd with a range of the code index
            member = [f"({t.code_sql} OR c.rid IN ({_COMPANY_MATCH}))" if t.fts else t.code_sql]
            member_params = t.code_params + ([t.fts] if t.fts else [])
            if sort == "relevance":
                join, join_params = f"LEFT JOIN ({_COMPANY_RANK}) m ON m.rid = c.rid", [t.fts]
        elif t.fts is not None:
            if sort == "relevance":
                join, join_params = f"JOIN ({_COMPANY_RANK}) m ON m.rid = c.rid", [t.fts]
            elif walk:
                member, member_params = [f"EXISTS ({_COMPANY_MATCH} AND rowid = c.rid)"], [t.fts]
            else:
                join, join_params = f"JOIN ({_COMPANY_MATCH}) m ON m.rid = c.rid", [t.fts]
        rows, _, more = self._paged("companies c", "c.credit_code", "c.rid", key, desc, join, join_params,
                                    member + where, member_params + params, query, count=False)
        found = self._company_rows([r[2] for r in rows])
        hits = [core.company_hit(Company.from_dict(json.loads(found[rid][0])), found[rid][1], found[rid][2], t.words)
                for _k, _code, rid in rows if rid in found]
        nxt = [rows[-1][0], rows[-1][1]] if more and rows else None
        return Page(hits=hits, total=total, next_cursor=nxt, notice=parsed.notice,
                    total_is_lower_bound=lower_bound, sort=sort)

    def _count_companies(self, t: _CompanyText, where: list[str], params: list[Any], cap: int | None) -> int:
        """Companies matching, counting stops after ``cap + 1`` (None: all). Only what the
        conditions need is read: FTS5 alone for a bare text, an index for the filters."""
        limit = -1 if cap is None else cap + 1
        if t.fts is not None and not t.code_sql:
            if not where:
                sql = f"{_COMPANY_MATCH} LIMIT ?"
                args: list[Any] = [t.fts, limit]
            else:
                sql = (f"SELECT 1 FROM companies c JOIN ({_COMPANY_MATCH}) m ON m.rid = c.rid "
                       f"WHERE {' AND '.join(where)} LIMIT ?")
                args = [t.fts, *params, limit]
        else:
            conds = ([f"({t.code_sql} OR c.rid IN ({_COMPANY_MATCH}))" if t.fts else t.code_sql]
                     if t.code_sql else []) + where
            args = (t.code_params + ([t.fts] if t.fts else []) if t.code_sql else []) + params + [limit]
            sql = f"SELECT 1 FROM companies c WHERE {' AND '.join(conds) or '1'} LIMIT ?"
        return int(self._query(f"SELECT COUNT(*) FROM ({sql})", args)[0][0])

    def _companies_upper_bound(self) -> int:
        """At least the number of companies, read in one index seek (the largest row id)."""
        return int(self._query("SELECT COALESCE(MAX(rid), 0) FROM companies")[0][0])

    def _company_rows(self, rids: list[int]) -> dict[int, tuple[str, float | None, str | None]]:
        """(data, smoke_index, level) of the companies ``rids`` (one page: well under _ID_CHUNK)."""
        if not rids:
            return {}
        marks = ",".join("?" * len(rids))
        rows = self._query(f"SELECT rid, data, smoke_index, level FROM companies WHERE rid IN ({marks})", rids)
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def search_documents(self, query: DocumentQuery) -> Page:
        """Like search_companies: the matches counted up to core.COUNT_CAP, bm25 ranking up to
        core.RANK_CAP matches (a broader text is ordered newest first, and ``Page.sort`` says
        so), a broad text's matches checked while walking the date index, and only the page's
        rows decoded (with their bm25, which depends on the whole index, not on the page)."""
        core.check_cursor(query.search_after)
        where: list[str] = []
        params: list[Any] = []
        fts: str | None = None
        words: list[str] = []
        parsed = core.parse_text(query.text or "")
        if (query.text or "").strip():
            if parsed.root is None:
                return Page(hits=[], total=0, notice=parsed.notice, sort=core.document_sort(query.sort, False))
            words = parsed.words
            fts = _fts_expr(parsed.root, "{title_tok text_tok}")
        if query.source_kind:
            where.append("d.source_kind = ?")
            params.append(query.source_kind)
        if query.doc_kind:
            check_doc_kind(query.doc_kind)
            where.append("d.doc_kind = ?")
            params.append(query.doc_kind)
        if query.credit_code:
            where.append("d.id IN (SELECT doc_id FROM mentions WHERE credit_code = ?)")
            params.append(query.credit_code)
        if query.date_from:
            where.append("d.day >= ?")
            params.append(query.date_from[:10])
        if query.date_to:
            where.append("d.day <= ?")
            params.append(query.date_to[:10])
        cap = core.COUNT_CAP
        limit = max(cap, core.RANK_CAP) + 1  # enough to know both the total and whether relevance ranks
        if fts is not None and not where:
            counted_sql, args = f"{_DOCUMENT_MATCH} LIMIT ?", [fts, limit]
        else:
            join = f"JOIN ({_DOCUMENT_MATCH}) m ON m.rid = d.rid" if fts is not None else ""
            counted_sql = f"SELECT 1 FROM documents d {join} WHERE {' AND '.join(where) or '1'} LIMIT ?"
            args = ([fts] if fts is not None else []) + params + [limit]
        counted = int(self._query(f"SELECT COUNT(*) FROM ({counted_sql})", args)[0][0])
        total, lower_bound = core.capped_total(counted, cap)
        sort = core.document_sort(query.sort, fts is not None)
        if sort == "relevance" and counted > core.RANK_CAP:
            sort = "date"
        key, desc = ("m.rank", False) if sort == "relevance" else ("d.day", True)
        join, join_params, member, member_params = "", [], [], []
        if fts is not None:
            wanted = (0 if query.search_after else max(0, int(query.offset))) + max(0, int(query.limit)) + 1
            if sort == "relevance":
                join, join_params = f"JOIN ({_DOCUMENT_RANK}) m ON m.rid = d.rid", [fts]
            elif _walks(counted, wanted, int(self._query("SELECT COALESCE(MAX(rid), 0) FROM documents")[0][0])):
                member, member_params = [f"EXISTS ({_DOCUMENT_MATCH} AND rowid = d.rid)"], [fts]
            else:
                join, join_params = f"JOIN ({_DOCUMENT_MATCH}) m ON m.rid = d.rid", [fts]
        rows, _, more = self._paged("documents d", "d.id", "d.rid", key, desc, join, join_params,
                                    member + where, member_params + params, query, count=False)
        rids = [r[2] for r in rows]
        found: dict[int, tuple] = {}
        ranks: dict[int, float] = {}
        for i in range(0, len(rids), _ID_CHUNK):
            chunk = rids[i : i + _ID_CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update((r[0], r[1:]) for r in self._query(
                f"SELECT d.rid, {self._DOC_COLS} FROM documents d WHERE d.rid IN ({marks})", chunk))
            if fts is not None:
                ranks.update(self._query(f"SELECT rid, rank FROM ({_DOCUMENT_RANK}) WHERE rid IN ({marks})",
                                         [fts, *chunk]))
        # bm25 is lower-is-better; relevance is reported higher-is-better.
        hits = [core.document_hit(self._doc(found[rid]), -float(ranks.get(rid, 0.0)), words)
                for _k, _id, rid in rows if rid in found]
        nxt = [rows[-1][0], rows[-1][1]] if more and rows else None
        return Page(hits=hits, total=total, next_cursor=nxt, notice=parsed.notice,
                    total_is_lower_bound=lower_bound, sort=sort)

    _AGG = {
        "level": "c.level",
        "region": "substr(c.region_code, 1, 2)",
        "industry": "c.industry",
    }

    def aggregate_companies(self, field_name: str, query: CompanyQuery | None = None) -> dict[str, int]:
        expr = self._AGG.get(field_name)
        if expr is None:
            raise ValueError(f"aggregate_companies: field must be one of {sorted(self._AGG)}, got {field_name!r}")
        where, params, join, join_params, _ = self._company_filters(query or CompanyQuery())
        where.append(f"COALESCE({expr}, '') != ''")
        rows = self._query(
            f"SELECT {expr} AS v, COUNT(*) FROM companies c {join} WHERE {' AND '.join(where)} "
            "GROUP BY v ORDER BY COUNT(*) DESC, v",
            join_params + params,
        )
        return {v: n for v, n in rows}

    # --- scores --------------------------------------------------------------
    def save_scores(self, scores: Iterable[Score]) -> int:
        n = 0
        batch: list[tuple] = []
        for s in scores:
            batch.append((s.credit_code, s.as_of, s.model_version, float(s.smoke_index), s.level,
                          _json(_plain(s))))
            if len(batch) >= BATCH:
                n += self._save_score_batch(batch)
                batch = []
        if batch:
            n += self._save_score_batch(batch)
        return n

    def _save_score_batch(self, batch: list[tuple]) -> int:
        with self._write() as c:
            # REPLACE gives the row a new rid: among equal as_of, the last saved is current.
            c.executemany(
                """INSERT OR REPLACE INTO scores(credit_code, as_of, model_version, smoke_index, level, data)
                   VALUES (?,?,?,?,?,?)""",
                batch,
            )
            self._refresh_current(c, sorted({b[0] for b in batch}), scores_changed=True)
        return len(batch)

    @staticmethod
    def _current_of(c: sqlite3.Connection, code: str) -> core.CurrentScore | None:
        cur = c.execute(CURRENT_ROWS_SQL, (code,))
        try:
            return core.current_score((core.ScoreRow(a, rid, i, lv, mv, rid) for a, rid, i, lv, mv in cur),
                                      newest_first=True)
        finally:
            cur.close()

    def _refresh_current(self, c: sqlite3.Connection, codes: list[str], scores_changed: bool) -> None:
        """Write core.current_score's decision for each company: which score row is current,
        and the copy (index, level, as_of, rise) on the company row."""
        decided = [(code, self._current_of(c, code)) for code in codes]
        if scores_changed:
            c.executemany(SET_CURRENT_SQL, [(cs.row.key if cs else -1, code) for code, cs in decided])
        c.executemany(SET_COMPANY_SQL, [(*(cs.company_fields() if cs else _NO_SCORE).values(), code)
                                        for code, cs in decided])

    def current_scores(self, credit_codes: Iterable[str]) -> dict[str, core.CurrentScore]:
        out: dict[str, core.CurrentScore] = {}
        with self._lock:
            for code in dict.fromkeys(credit_codes):
                cs = self._current_of(self._conn, code) if code else None
                if cs is not None:
                    out[code] = cs
        return out

    def latest_score(self, credit_code: str) -> Score | None:
        rows = self._query(
            "SELECT data FROM scores WHERE credit_code = ? ORDER BY as_of DESC, rid DESC LIMIT 1",
            (credit_code,),
        )
        return Score.from_dict(json.loads(rows[0][0])) if rows else None

    def latest_scores(self, credit_codes: Iterable[str]) -> dict[str, Score]:
        """``latest_score`` of each code, a few hundred codes per query (the company page's graph)."""
        codes = [c for c in dict.fromkeys(credit_codes) if c]
        out: dict[str, Score] = {}
        for i in range(0, len(codes), _ID_CHUNK):
            chunk = codes[i : i + _ID_CHUNK]
            rows = self._query(
                "SELECT credit_code, data FROM (SELECT credit_code, data, ROW_NUMBER() OVER (PARTITION BY credit_code "
                "ORDER BY as_of DESC, rid DESC) AS n FROM scores WHERE credit_code IN "
                f"({','.join('?' * len(chunk))})) WHERE n = 1", chunk)
            out.update((code, Score.from_dict(json.loads(data))) for code, data in rows)
        return out

    def score_history(self, credit_code: str) -> list[tuple[str, float, str]]:
        rows = self._query(
            "SELECT as_of, smoke_index, model_version FROM scores WHERE credit_code = ? ORDER BY as_of, rid",
            (credit_code,),
        )
        return [(a, float(i), m) for a, i, m in rows]

    def iter_latest_scores(self, min_score: float | None = None) -> Iterator[Score]:
        floor = float(min_score) if min_score is not None else float("-inf")
        cursor: tuple[float, str] | None = None
        while True:
            sql = "SELECT smoke_index, credit_code, data FROM scores WHERE is_current = 1 AND smoke_index >= ?"
            params: list[Any] = [floor]
            if cursor is not None:
                sql += " AND (smoke_index < ? OR (smoke_index = ? AND credit_code > ?))"
                params += [cursor[0], cursor[0], cursor[1]]
            sql += " ORDER BY smoke_index DESC, credit_code LIMIT ?"
            rows = self._query(sql, params + [_PAGE])
            if not rows:
                return
            for _, _, data in rows:
                yield Score.from_dict(json.loads(data))
            cursor = (rows[-1][0], rows[-1][1])

    # --- alerts --------------------------------------------------------------
    def save_alert(self, alert: Alert) -> bool:
        with self._write() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO alerts(id, credit_code, created, acknowledged_at, data) VALUES (?,?,?,?,?)",
                (alert.id, alert.credit_code, alert.created, alert.acknowledged_at, _json(alert.to_dict())),
            )
            return cur.rowcount == 1

    def update_alert(self, alert: Alert) -> None:
        with self._write() as c:
            c.execute(
                """INSERT INTO alerts(id, credit_code, created, acknowledged_at, data) VALUES (?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET credit_code=excluded.credit_code, created=excluded.created,
                     acknowledged_at=excluded.acknowledged_at, data=excluded.data""",
                (alert.id, alert.credit_code, alert.created, alert.acknowledged_at, _json(alert.to_dict())),
            )

    def get_alert(self, alert_id: str) -> Alert | None:
        rows = self._query("SELECT data FROM alerts WHERE id = ?", (alert_id,))
        return Alert(**json.loads(rows[0][0])) if rows else None

    def acknowledge_alert(self, alert_id: str, by: str, at: str) -> bool:
        # One read-modify-write inside BEGIN IMMEDIATE: no other writer in between.
        with self._write() as c:
            row = c.execute("SELECT data FROM alerts WHERE id = ? AND acknowledged_at = ''", (alert_id,)).fetchone()
            if row is None:
                return False
            data = json.loads(row[0])
            data["acknowledged_by"], data["acknowledged_at"] = by, at
            c.execute("UPDATE alerts SET acknowledged_at = ?, data = ? WHERE id = ?", (at, _json(data), alert_id))
            return True

    def set_alert_delivery(self, alert_id: str, states: dict[str, str]) -> None:
        with self._write() as c:
            row = c.execute("SELECT data FROM alerts WHERE id = ?", (alert_id,)).fetchone()
            if row is None:
                raise StoreError(f"no alert {alert_id!r} to record delivery for")
            data = json.loads(row[0])
            data["delivery"] = {**(data.get("delivery") or {}), **states}
            c.execute("UPDATE alerts SET data = ? WHERE id = ?", (_json(data), alert_id))

    def list_alerts(self, since: str = "", unacknowledged_only: bool = False, limit: int = 100) -> list[Alert]:
        sql = "SELECT data FROM alerts WHERE created >= ?"
        if unacknowledged_only:
            sql += " AND acknowledged_at = ''"
        sql += " ORDER BY created DESC, id LIMIT ?"
        return [Alert(**json.loads(r[0])) for r in self._query(sql, (since, max(0, int(limit))))]

    # --- runs and state ------------------------------------------------------
    def save_run(self, run: Run) -> None:
        with self._write() as c:
            c.execute(
                """INSERT INTO runs(id, started, data) VALUES (?,?,?)
                   ON CONFLICT(id) DO UPDATE SET started=excluded.started, data=excluded.data""",
                (run.id, run.started, _json(run.to_dict())),
            )

    def list_runs(self, limit: int = 20) -> list[Run]:
        rows = self._query("SELECT data FROM runs ORDER BY started DESC, id DESC LIMIT ?", (max(0, int(limit)),))
        return [Run.from_dict(json.loads(r[0])) for r in rows]

    def _store_id(self, c: sqlite3.Connection) -> str:
        row = c.execute("SELECT id FROM changes_store").fetchone()
        if row is None:
            c.execute("INSERT INTO changes_store VALUES (?)", (uuid.uuid4().hex,))
            row = c.execute("SELECT id FROM changes_store").fetchone()
        return row[0]

    def change_marker(self) -> str:
        with self._write() as c:
            sid = self._store_id(c)
            seq = c.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()[0]
        return f"{sid}:{seq}"

    def changed_since(self, marker: str) -> Iterator[str] | None:
        sid, _, seq = (marker or "").partition(":")
        with self._write() as c:
            mine = self._store_id(c)
        if not seq.isdigit() or sid != mine:
            return None  # another store's marker (or this file was recreated): anything may have changed
        return self._changed_after(int(seq))

    def _changed_after(self, seq: int) -> Iterator[str]:
        last = ""
        while True:
            rows = self._query("SELECT credit_code FROM changes WHERE seq > ? AND credit_code > ? "
                               "ORDER BY credit_code LIMIT ?", (seq, last, _PAGE))
            if not rows:
                return
            yield from (r[0] for r in rows)
            last = rows[-1][0]

    def get_state(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM state WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_state(self, key: str, value: str) -> None:
        with self._write() as c:
            c.execute(
                "INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )


def _mark_changed(c: sqlite3.Connection, codes: Sequence[str]) -> None:
    """Inside a write transaction: ``codes`` changed in this transaction (``changed_since``)."""
    if codes:
        seq = c.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM changes").fetchone()[0]
        c.executemany("INSERT INTO changes VALUES (?, ?) ON CONFLICT(credit_code) DO UPDATE SET seq = excluded.seq",
                      [(code, seq) for code in codes])


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _simhash_rows(doc_id: str, fields: Any) -> list[tuple[int, int, str, str]]:
    """simhash_bands rows of one document: none unless it carries a simhash."""
    sh = fields_simhash(fields)
    if sh is None:
        return []
    return [(band, value, doc_id, f"{sh:016x}") for band, value in enumerate(simhash_bands(sh))]


def _cursor_sql(key: str, desc: bool, tiebreak: str, after: list[Any] | None) -> tuple[str, list[Any]]:
    """Keyset condition for rows after the cursor ``[key value, tie-break id]``."""
    after = core.check_cursor(after)
    if after is None:
        return "", []
    op = "<" if desc else ">"
    # The redundant "key <= ?" (or >=) bound lets SQLite seek in the sort index instead of
    # scanning up to the cursor: deep pages cost the same as the first.
    return (f" AND {key} {op}= ? AND ({key} {op} ? OR {tiebreak} > ?)",
            [after[0], after[0], after[1]])


def _statements(script: str) -> list[str]:
    """Split SCHEMA into statements (triggers contain ';' inside BEGIN ... END)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    return out
