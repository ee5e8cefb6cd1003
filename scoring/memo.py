"""What the last runs measured, kept between runs, so a daily run analyses only the companies
whose inputs changed (issue 14's incremental cycle).

A company's pass-1 measurements (every indicator but the network's) are a function of:
its registry record, its documents, two facts about the others (how many companies share
its address, whether its legal representative is a dishonest person), the model, lexicon
and analyser versions, and the as-of date. The memo keeps, per company, a fingerprint of
the record and of the two facts, the date from which the date cannot matter any more
(``settled_date``), the measurements and the company's comparable promotional pages (for
the near-copy search). Its documents are never read to decide: the store says which
companies' records or documents were written since the memo's last run
(``Store.changed_since`` of the marker kept with the memo), and only those, and those whose
record, facts or date say so, are measured again. Any other version of the model, lexicon
or analyser empties the memo: the next run is a full rescore; so does a marker the store
does not recognise (another store, or a store file made anew).

The network (ties to seeds, clusters, near-copies) is rebuilt by every run from the
reused and fresh pass-1 results: it costs no text analysis, and so a neighbour of a changed
company, or a company whose near-copied scheme was just punished, is rescored exactly.
The result equals a full rescore, company by company (tests/test_incremental_cycle.py).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
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

SCHEMA = 2
_SKIPPED_KINDS = ("registry", "amac")  # never read by gather
NEVER = ""  # settled_date: measurements that hold on their own as-of date only


def _canon(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


def record_fingerprint(company: Company) -> str:
    """The company's registry record as the scorer reads it (its ``updated``, when the crawler
    saw a change, is never read by scoring)."""
    record = company.to_dict()
    record.pop("updated", None)
    return hashlib.sha1(_canon(record).encode("utf-8")).hexdigest()


def context_fingerprint(company: Company, context: ScoringContext) -> str:
    addr = normalize_address(company.address)
    rep = context.dishonest_people.get(company.legal_rep) if company.legal_rep else None
    return _canon([context.address_counts.get(addr, 1) if addr else 0, rep])


def model_key(model: Model) -> str:
    """The versions recorded with every score, and the model's parameters themselves (a
    calibration may try weights under the same version)."""
    return _canon([versions(model), hashlib.sha1(repr(model.config).encode("utf-8")).hexdigest(), SCHEMA])


def settled_date(company: Company, documents: list[Document], m: dict[str, Measurement], model: Model) -> str:
    """The first as-of date from which measurements with the same inputs no longer depend on
    the date (``NEVER``: they do every day). Complaints decay every day; every other use of
    the date compares it with dates of the company's inputs within a window (penalties,
    changes, capital and age anomalies, recent pages, documents published later), so once
    the widest window has passed the newest input date nothing can move."""
    volume = m.get("complaints.volume")  # > 0 (with evidence) as soon as there is a complaint
    if volume is None or volume.value or volume.evidence:
        return NEVER
    cfg = model.config
    horizon = max(3 * 365, 730, cfg.penalty_window_days, 2 * cfg.recent_days) + 1
    dates = [doc_date(d) for d in documents if d.source_kind not in _SKIPPED_KINDS]
    dates += [x for e in company.entries for x in (e.date, e.removed_date)]
    dates.append(company.founded or "")
    latest = max((x[:10] for x in dates if x), default="")
    if not latest:
        return "0000-00-00"
    try:
        return (date.fromisoformat(latest) + timedelta(days=horizon)).isoformat()
    except (ValueError, OverflowError):  # a date the scorer cannot place: measure every day
        return NEVER


@dataclass(slots=True)
class Kept:
    """What the memo keeps of a company's last measurement."""

    m: dict[str, Measurement]
    promo: list  # scoring.pass1.Measured.promo


def check(db: sqlite3.Connection, company: Company, context: ScoringContext, as_of: str,
          changed: Callable[[str], bool]) -> tuple[Kept | None, str, str]:
    """(what the memo keeps when it still holds, else None; the record and context
    fingerprints to record). Reads no document: ``changed(code)`` says whether the store
    wrote the company's record or documents since the memo's last run."""
    fp, ctx = record_fingerprint(company), context_fingerprint(company, context)
    code = company.credit_code
    row = db.execute("SELECT fp, ctx, as_of, settled, m, promo FROM memo WHERE code=?", (code,)).fetchone()
    if row is None or row[0] != fp or row[1] != ctx or changed(code):
        return None, fp, ctx
    then, settled = row[2], row[3]
    if as_of != then and not (as_of > then and settled != NEVER and as_of >= settled):
        return None, fp, ctx
    return Kept(unpack_measurements(row[4]), pickle.loads(zlib.decompress(row[5]))), fp, ctx


class ScoreMemo:
    """The memo file (SQLite). One scoring run at a time uses it (the cycle holds the store's
    ``score`` lock). ``marker``: the store's change marker taken when the last complete run
    began ("" none: every company is measured)."""

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
        """)
        key = model_key(model)
        row = self.db.execute("SELECT v FROM meta WHERE k='model'").fetchone()
        self.full = row is None or row[0] != key  # another model, lexicon or analyser: everyone anew
        if self.full:
            self.db.executescript("""
                DROP TABLE IF EXISTS memo; DELETE FROM meta;
                CREATE TABLE memo(code TEXT PRIMARY KEY, fp TEXT, ctx TEXT, as_of TEXT, settled TEXT, m BLOB,
                                  promo BLOB, run INT);
            """)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (key,))
        row = self.db.execute("SELECT v FROM meta WHERE k='run'").fetchone()
        self.run = (int(row[0]) if row else 0) + 1
        row = self.db.execute("SELECT v FROM meta WHERE k='marker'").fetchone()
        self.marker = row[0] if row else ""
        self.db.execute("BEGIN")
        self._pending = 0

    @staticmethod
    def reader(path: Path) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)

    def record(self, code: str, fp: str, ctx: str, as_of: str, fresh: tuple[str, bytes, bytes] | None) -> None:
        """After ``check``: ``fresh`` None marks the kept measurements as still in use; else
        (settled date, packed measurements, packed promotional pages) replace them."""
        if fresh is None:
            self.db.execute("UPDATE memo SET run=? WHERE code=?", (self.run, code))
        else:
            self.db.execute("INSERT OR REPLACE INTO memo VALUES (?,?,?,?,?,?,?,?)",
                            (code, fp, ctx, as_of, *fresh, self.run))
        self._pending += 1
        if self._pending >= 1000:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
            self._pending = 0

    def finish(self, marker: str = "") -> None:
        """After a complete run that began at the store's change ``marker``: forget companies
        the store no longer holds; the next run asks the store what changed since ``marker``."""
        self.db.execute("DELETE FROM memo WHERE run != ?", (self.run,))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('run', ?)", (str(self.run),))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('marker', ?)", (marker,))
        self.db.execute("COMMIT")
        self.marker = marker
        self.db.execute("BEGIN")

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.close()


def pack_promo(promo: list) -> bytes:
    return zlib.compress(pickle.dumps(promo, protocol=5), 1)
