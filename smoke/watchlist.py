"""Watchlists: the companies a person follows, and what changed about them.

Kept in the app database (``$SMOKE_HOME/app.db``, beside users and the audit log): a
watchlist is about a person, not about the crawled data. Each followed company carries a
**snapshot** of what the person last heard about it (index, band, the documents
mentioning it, its registry facts). ``changes`` compares the store with that snapshot:

* new evidence: documents mentioning the company that were not there before;
* score moves: the index moved by ``min_score_move`` points or more (``rules.watch`` in
  ``config/alerts.yaml``), or changed band;
* registry changes: name, status, legal representative, address, capital, scope,
  经营异常 / 行政处罚 / 严重违法失信 entries, AMAC registration.

The per-user digest (``smoke.alerts.digests``) sends the changes and then moves the
snapshots forward, so a digest that could not be sent is sent, with everything since,
on the next cycle.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from indexing.models import Company, Score
from indexing.store.base import Store
from smoke.labels import level_names
from smoke.service.companies import fold_code
from smoke.service.timefmt import SHANGHAI as TZ

MAX_WATCHED = 5000  # companies one person follows
MAX_SNAPSHOT_DOCS = 5000  # document ids remembered per followed company (the newest)
MAX_NEW_DOCS_SHOWN = 5  # titles listed per company in a digest
LEVEL_ZH = level_names()  # one place: smoke.labels
ENTRY_KIND_ZH = {"abnormal": "经营异常", "penalty": "行政处罚", "serious_violation": "严重违法失信", "change": "变更记录"}
REGISTRY_FIELDS = {
    "name": "名称",
    "status": "登记状态",
    "legal_rep": "法定代表人",
    "address": "住所",
    "registered_capital": "注册资本（万元）",
    "business_scope": "经营范围",
    "amac_registered": "基金业协会登记",
}
EMAIL_MAX = 254

_SCHEMA = """
CREATE TABLE IF NOT EXISTS watchlist (
    username TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    added TEXT NOT NULL,
    snapshot TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (username, credit_code)
);
CREATE TABLE IF NOT EXISTS watch_contacts (
    username TEXT PRIMARY KEY,
    email TEXT NOT NULL
);
"""


class WatchError(ValueError):
    """A watchlist request that cannot be done (unknown user or company, bad address, too many)."""


def normalize_code(raw: str) -> str:
    """A credit code as typed or pasted: full-width forms folded (ＡＢ１２ → AB12), spaces
    dropped, upper case (the company lookup's rule, smoke.service.companies.fold_code)."""
    return fold_code(raw)


def _now() -> str:
    return datetime.now(TZ).isoformat(timespec="seconds")


# --- snapshots and changes ---------------------------------------------------------


def registry_facts(company: Company) -> dict[str, Any]:
    facts: dict[str, Any] = {k: getattr(company, k) for k in REGISTRY_FIELDS}
    facts["entries"] = sorted(f"{e.kind}|{e.date}|{e.reason}|{e.removed_date}" for e in company.entries)
    return facts


def snapshot(store: Store, company: Company, score: Score | None, doc_ids: list[str] | None = None) -> dict[str, Any]:
    """What a follower knows about ``company`` now."""
    if doc_ids is None:
        doc_ids = [d.id for d in store.documents_for(company.credit_code)]
    return {
        "as_of": score.as_of[:10] if score else "",
        "index": round(score.smoke_index, 2) if score else None,
        "level": score.level if score else "",
        "docs": sorted(doc_ids)[-MAX_SNAPSHOT_DOCS:],
        "registry": registry_facts(company),
    }


@dataclass(slots=True)
class Change:
    kind: str  # evidence | score | registry
    text: str  # one line, Chinese
    url: str = ""  # the document, for evidence

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text, "url": self.url}


CHANGE_KIND_ZH = {"evidence": "新证据", "score": "指数变动", "registry": "登记变更", "alert": "预警"}


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def changes(store: Store, before: dict[str, Any], company: Company, score: Score | None,
            documents: list | None = None, *, min_score_move: float) -> tuple[list[Change], dict[str, Any]]:
    """(what changed since ``before``, the new snapshot). ``min_score_move``: the smallest
    move of the index worth a line (``AlertRules.watch``; smaller ones are the noise of
    time decay)."""
    docs = documents if documents is not None else store.documents_for(company.credit_code)
    now = snapshot(store, company, score, [d.id for d in docs])
    out: list[Change] = []
    # score moves
    b_index, n_index = before.get("index"), now["index"]
    if n_index is not None and (b_index is None or abs(n_index - b_index) >= min_score_move
                                or before.get("level") != now["level"]):
        b_text = "未评分" if b_index is None else f"{b_index:.1f}（{LEVEL_ZH.get(before.get('level', ''), '—')}）"
        out.append(Change("score", f"冒烟指数 {b_text} → {n_index:.1f}（{LEVEL_ZH.get(now['level'], '—')}），"
                                   f"数据日期 {now['as_of']}"))
    # new evidence
    known = set(before.get("docs", []))
    if "docs" in before:
        fresh = [d for d in docs if d.id not in known]
        fresh.sort(key=lambda d: (d.published or d.fetched or "", d.id), reverse=True)
        for d in fresh[:MAX_NEW_DOCS_SHOWN]:
            day = (d.published or d.fetched or "")[:10]
            out.append(Change("evidence", f"新文档：{_fmt(d.title or d.url)}（{day}）", d.url))
        if len(fresh) > MAX_NEW_DOCS_SHOWN:
            out.append(Change("evidence", f"另有 {len(fresh) - MAX_NEW_DOCS_SHOWN} 篇新文档"))
    # registry changes
    b_reg, n_reg = before.get("registry") or {}, now["registry"]
    if b_reg:
        for key, label in REGISTRY_FIELDS.items():
            if b_reg.get(key) != n_reg.get(key):
                out.append(Change("registry", f"{label}：{_fmt(b_reg.get(key))} → {_fmt(n_reg.get(key))}"))
        added = sorted(set(n_reg["entries"]) - set(b_reg.get("entries", [])))
        for entry in added:
            kind, day, reason, removed = (entry.split("|") + ["", "", "", ""])[:4]
            what = "移出" if removed else "列入"
            out.append(Change("registry", f"{ENTRY_KIND_ZH.get(kind, kind)}{what}：{_fmt(reason)}（{day}）"))
    return out, now


# --- the lists -----------------------------------------------------------------------


@dataclass(slots=True)
class WatchEntry:
    username: str
    credit_code: str
    added: str
    snapshot: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"credit_code": self.credit_code, "added": self.added}


class Watchlists:
    """Who follows which companies, and their e-mail addresses for the digest. Thread-safe:
    one short connection per call (like ``smoke.accounts.Accounts``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._conn() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            with db:
                yield db
        finally:
            db.close()

    def _check_user(self, username: str) -> None:
        from smoke.accounts import Accounts

        if Accounts(self.path).get_user(username) is None:
            raise WatchError(f"user: no such user {username!r} (add one with `smoke users add`)")

    def add(self, store: Store, username: str, key: str) -> tuple[WatchEntry, bool]:
        """Follow the company with credit code ``key``: (the entry, whether it is new).
        The snapshot taken now is the baseline of the first digest."""
        self._check_user(username)
        code = normalize_code(key)
        company = store.get_company(code)
        if company is None:
            raise WatchError(f"credit_code: no company with credit code {key!r} "
                             "(expected an 18-character 统一社会信用代码 of a stored company)")
        with self._conn() as db:
            row = db.execute("SELECT added, snapshot FROM watchlist WHERE username = ? AND credit_code = ?",
                             (username, code)).fetchone()
            if row:
                return WatchEntry(username, code, row[0], json.loads(row[1])), False
            n = db.execute("SELECT COUNT(*) FROM watchlist WHERE username = ?", (username,)).fetchone()[0]
            if n >= MAX_WATCHED:
                raise WatchError(f"watchlist of {username}: at most {MAX_WATCHED} companies")
        snap = snapshot(store, company, store.latest_score(code))
        entry = WatchEntry(username, code, _now(), snap)
        with self._conn() as db:
            db.execute("INSERT OR IGNORE INTO watchlist (username, credit_code, added, snapshot) VALUES (?, ?, ?, ?)",
                       (username, code, entry.added, json.dumps(snap, ensure_ascii=False)))
        return entry, True

    def remove(self, username: str, key: str) -> bool:
        with self._conn() as db:
            return db.execute("DELETE FROM watchlist WHERE username = ? AND credit_code = ?",
                              (username, normalize_code(key))).rowcount > 0

    def entries(self, username: str) -> list[WatchEntry]:
        with self._conn() as db:
            rows = db.execute("SELECT credit_code, added, snapshot FROM watchlist WHERE username = ? "
                              "ORDER BY added, credit_code", (username,)).fetchall()
        return [WatchEntry(username, r[0], r[1], json.loads(r[2])) for r in rows]

    def codes(self, username: str) -> frozenset[str]:
        with self._conn() as db:
            rows = db.execute("SELECT credit_code FROM watchlist WHERE username = ?", (username,)).fetchall()
        return frozenset(r[0] for r in rows)

    def follows(self, username: str, credit_code: str) -> bool:
        with self._conn() as db:
            return db.execute("SELECT 1 FROM watchlist WHERE username = ? AND credit_code = ?",
                              (username, credit_code)).fetchone() is not None

    def users(self) -> list[str]:
        with self._conn() as db:
            return [r[0] for r in db.execute("SELECT DISTINCT username FROM watchlist ORDER BY username")]

    def save_snapshots(self, username: str, snapshots: dict[str, dict[str, Any]]) -> None:
        with self._conn() as db:
            db.executemany("UPDATE watchlist SET snapshot = ? WHERE username = ? AND credit_code = ?",
                           [(json.dumps(s, ensure_ascii=False), username, c) for c, s in snapshots.items()])

    # --- contacts -----------------------------------------------------------------
    def set_email(self, username: str, email: str) -> None:
        self._check_user(username)
        email = (email or "").strip()
        if email and (len(email) > EMAIL_MAX or email.count("@") != 1 or not email.isprintable()
                      or any(ch in email for ch in " ,;<>\"'")):
            raise WatchError(f"email: expected one address like name@example.gov.cn, got {email!r}")
        with self._conn() as db:
            if email:
                db.execute("INSERT INTO watch_contacts (username, email) VALUES (?, ?) "
                           "ON CONFLICT(username) DO UPDATE SET email = excluded.email", (username, email))
            else:
                db.execute("DELETE FROM watch_contacts WHERE username = ?", (username,))

    def email(self, username: str) -> str:
        with self._conn() as db:
            row = db.execute("SELECT email FROM watch_contacts WHERE username = ?", (username,)).fetchone()
        return row[0] if row else ""


def watchlists_for_home(home: Path) -> Watchlists:
    return Watchlists(Path(home) / "app.db")
