"""What the last runs measured, kept between runs, so a daily run analyses only the companies
whose inputs changed (issue 14's incremental cycle).

A company's pass-1 measurements (every indicator but the network's) are a function of:
its registry record, its documents, two facts about the others (how many companies share
its address, whether its legal representative is a dishonest person), the model, lexicon
and analyser versions, and the as-of date. The memo keeps, per company, a fingerprint of
the first three and the measurements; a run reuses the measurements when the fingerprints
agree and the date cannot matter (``date_sensitive``). Any other version of the model,
lexicon or analyser empties the memo: the next run is a full rescore.

The network (ties to seeds, clusters, near-copies) is rebuilt by every run from the
reused and fresh pass-1 results: it costs no text analysis, and so a neighbour of a changed
company, or a company whose near-copied scheme was just punished, is rescored exactly.
The result equals a full rescore, company by company (tests/test_incremental_cycle.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from indexing.models import Company, Document
from scoring.context import ScoringContext
from scoring.facts import doc_date
from scoring.indicators import Measurement
from scoring.indicators.compliance import normalize_address
from scoring.model import Model
from scoring.provenance import versions
from scoring.tables import unpack_measurements

SCHEMA = 1
_SKIPPED_KINDS = ("registry", "amac")  # never read by gather


def _canon(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


def input_fingerprint(company: Company, documents: list[Document]) -> str:
    """The company's record and documents as the scorer reads them: the text hashed as it is
    (no JSON round of the bulk), the small fields as canonical JSON; the fetch time counts only
    where it stands for the missing published date (``doc_date``); ``raw_text``, the
    detected encoding and the company's ``updated`` are never read by scoring."""
    record = company.to_dict()
    record.pop("updated", None)  # when the crawler saw a change; scoring never reads it
    h = hashlib.sha1(_canon(record).encode("utf-8"))
    for d in documents:
        meta = [d.id, d.url, d.source_kind, d.site, d.title, d.published, doc_date(d), d.content_hash, d.domain,
                [dataclasses.astuple(m) for m in d.mentions], d.fields]
        h.update(b"\0" + _canon(meta).encode("utf-8") + b"\0")
        h.update(d.text.encode("utf-8"))
    return h.hexdigest()


def context_fingerprint(company: Company, context: ScoringContext) -> str:
    addr = normalize_address(company.address)
    rep = context.dishonest_people.get(company.legal_rep) if company.legal_rep else None
    return _canon([context.address_counts.get(addr, 1) if addr else 0, rep])


def model_key(model: Model) -> str:
    """The versions recorded with every score, and the model's parameters themselves (a
    calibration may try weights under the same version)."""
    return _canon([versions(model), hashlib.sha1(repr(model.config).encode("utf-8")).hexdigest(), SCHEMA])


def date_sensitive(company: Company, documents: list[Document], m: dict[str, Measurement], then: str,
                   now: str, model: Model) -> bool:
    """Whether measurements taken as of ``then`` may differ as of ``now`` with the same inputs:
    complaints decay every day; every other use of the date compares it with dates of the
    company's inputs within a window (penalties, changes, capital and age anomalies, recent
    pages, documents published after ``then``), so inputs all older than the widest window
    cannot move."""
    if now == then:
        return False
    if now < then:
        return True
    volume = m.get("complaints.volume")  # > 0 (with evidence) as soon as there is a complaint
    if volume is None or volume.value or volume.evidence:
        return True
    cfg = model.config
    horizon = max(3 * 365, 730, cfg.penalty_window_days, 2 * cfg.recent_days) + 1
    cutoff = (date.fromisoformat(now) - timedelta(days=horizon)).isoformat()
    dates = [doc_date(d) for d in documents if d.source_kind not in _SKIPPED_KINDS]
    dates += [x for e in company.entries for x in (e.date, e.removed_date)]
    dates.append(company.founded or "")
    return any(x and x[:10] > cutoff for x in dates)


def check(db: sqlite3.Connection, model: Model, company: Company, documents: list[Document],
          context: ScoringContext, as_of: str) -> tuple[dict[str, Measurement] | None, str, str]:
    """See ``ScoreMemo.check``."""
    fp, ctx = input_fingerprint(company, documents), context_fingerprint(company, context)
    row = db.execute("SELECT fp, ctx, as_of, m FROM memo WHERE code=?", (company.credit_code,)).fetchone()
    if row is None or row[0] != fp or row[1] != ctx:
        return None, fp, ctx
    m = unpack_measurements(row[3])
    if date_sensitive(company, documents, m, row[2], as_of, model):
        return None, fp, ctx
    return m, fp, ctx


class ScoreMemo:
    """The memo file (SQLite). One scoring run at a time uses it (the cycle holds the store's
    ``score`` lock)."""

    def __init__(self, path: Path, model: Model) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.path = path
        try:
            self._open(path)
        except sqlite3.DatabaseError:  # a damaged memo is only a cache: start afresh (a full rescore)
            for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                p.unlink(missing_ok=True)
            self._open(path)

    def _open(self, path: Path) -> None:
        model = self.model
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.executescript("""
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE IF NOT EXISTS memo(code TEXT PRIMARY KEY, fp TEXT, ctx TEXT, as_of TEXT, m BLOB, run INT);
        """)
        key = model_key(model)
        row = self.db.execute("SELECT v FROM meta WHERE k='model'").fetchone()
        self.full = row is None or row[0] != key  # another model, lexicon or analyser: everyone anew
        if self.full:
            self.db.execute("DELETE FROM memo")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (key,))
        row = self.db.execute("SELECT v FROM meta WHERE k='run'").fetchone()
        self.run = (int(row[0]) if row else 0) + 1
        self.db.execute("BEGIN")
        self._pending = 0

    def check(self, company: Company, documents: list[Document], context: ScoringContext,
              as_of: str) -> tuple[dict[str, Measurement] | None, str, str]:
        """(the kept measurements when they still hold, else None; the input and context
        fingerprints to record). Reads only: worker processes call it on their own
        read-only connection (``reader``)."""
        return check(self.db, self.model, company, documents, context, as_of)

    @staticmethod
    def reader(path: Path) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)

    def record(self, code: str, fp: str, ctx: str, as_of: str, blob: bytes | None) -> None:
        """After ``check``: ``blob`` None marks the kept measurements as still in use; else
        the packed fresh measurements replace them."""
        if blob is None:
            self.db.execute("UPDATE memo SET run=? WHERE code=?", (self.run, code))
        else:
            self.db.execute("INSERT OR REPLACE INTO memo VALUES (?,?,?,?,?,?)", (code, fp, ctx, as_of, blob, self.run))
        self._pending += 1
        if self._pending >= 1000:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
            self._pending = 0

    def finish(self) -> None:
        """After a complete run: forget companies the store no longer holds."""
        self.db.execute("DELETE FROM memo WHERE run != ?", (self.run,))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('run', ?)", (str(self.run),))
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.close()
