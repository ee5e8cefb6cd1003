"""A small in-memory Store used only while branch `store` (SQLiteStore) is not merged.

It follows indexing/store/base.py closely enough for the web tests: substring
search instead of FTS, highlights escaped with <mark>. Remove once SQLiteStore lands."""

from __future__ import annotations

import copy
import html
from collections.abc import Iterable, Iterator

from indexing.models import Alert, Company, Document, Run, Score
from indexing.store.base import (
    CompanyHit,
    CompanyQuery,
    DocumentHit,
    DocumentQuery,
    Page,
    Store,
    UpsertResult,
)


def _hl(text: str, q: str) -> str:
    if not q or q not in text:
        return html.escape(text[:120])
    i = text.index(q)
    start = max(0, i - 40)
    return html.escape(text[start:i]) + "<mark>" + html.escape(q) + "</mark>" + html.escape(text[i + len(q) : i + len(q) + 60])


class MemStore(Store):
    def __init__(self) -> None:
        self.companies: dict[str, Company] = {}
        self.documents: dict[str, Document] = {}
        self.scores: dict[tuple[str, str, str], Score] = {}
        self.alerts: dict[str, Alert] = {}
        self.runs: dict[str, Run] = {}
        self.state: dict[str, str] = {}

    def close(self) -> None:
        pass

    def upsert_companies(self, companies: Iterable[Company]) -> UpsertResult:
        r = UpsertResult()
        for c in companies:
            r.new += c.credit_code not in self.companies
            self.companies[c.credit_code] = copy.deepcopy(c)
        return r

    def get_company(self, credit_code: str) -> Company | None:
        return copy.deepcopy(self.companies.get(credit_code))

    def iter_companies(self) -> Iterator[Company]:
        yield from (copy.deepcopy(c) for c in self.companies.values())

    def count_companies(self) -> int:
        return len(self.companies)

    def companies_by_name(self, name: str) -> list[Company]:
        return [c for c in self.companies.values() if name == c.name or name in c.former_names or name in c.aliases]

    def companies_by_domain(self, domain: str) -> list[Company]:
        return [c for c in self.companies.values() if domain in c.websites]

    def upsert_documents(self, documents: Iterable[Document]) -> UpsertResult:
        r = UpsertResult()
        for d in documents:
            r.new += d.id not in self.documents
            self.documents[d.id] = copy.deepcopy(d)
        return r

    def get_document(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def documents_for(self, credit_code: str, source_kind: str = "") -> list[Document]:
        docs = [d for d in self.documents.values() if any(m.credit_code == credit_code for m in d.mentions)]
        docs = [d for d in docs if not source_kind or d.source_kind == source_kind]
        return sorted(docs, key=lambda d: d.published or d.fetched)

    def iter_documents(self, source_kind: str = "") -> Iterator[Document]:
        yield from (d for d in self.documents.values() if not source_kind or d.source_kind == source_kind)

    def count_documents(self, source_kind: str = "") -> int:
        return sum(1 for _ in self.iter_documents(source_kind))

    def document_ids_with_hash(self, content_hash: str) -> list[str]:
        return [d.id for d in self.documents.values() if d.content_hash == content_hash]

    def _current(self, code: str) -> Score | None:
        mine = [s for k, s in self.scores.items() if k[0] == code]
        return max(mine, key=lambda s: s.as_of) if mine else None

    def search_companies(self, query: CompanyQuery) -> Page:
        hits = []
        for c in self.companies.values():
            s = self._current(c.credit_code)
            idx = s.smoke_index if s else None
            blob = " ".join([c.name, c.credit_code, c.address, c.legal_rep, *c.phones, *(p.name for p in c.people)])
            if query.text and query.text not in blob:
                continue
            if query.region and not c.region_code.startswith(query.region):
                continue
            if query.industry and c.industry != query.industry:
                continue
            if query.level and (not s or s.level != query.level):
                continue
            if query.min_score is not None and (idx is None or idx < query.min_score):
                continue
            if query.max_score is not None and (idx is None or idx > query.max_score):
                continue
            hits.append(CompanyHit(copy.deepcopy(c), idx, s.level if s else "", _hl(c.name, query.text)))
        if query.sort == "name":
            hits.sort(key=lambda h: h.company.name)
        else:
            hits.sort(key=lambda h: (-(h.smoke_index or 0), h.company.credit_code))
        return Page(hits[query.offset : query.offset + query.limit], len(hits))

    def search_documents(self, query: DocumentQuery) -> Page:
        hits = []
        for d in self.documents.values():
            if query.text and query.text not in d.text and query.text not in d.title:
                continue
            if query.source_kind and d.source_kind != query.source_kind:
                continue
            date = d.published or d.fetched[:10]
            if query.date_from and date < query.date_from or query.date_to and date > query.date_to:
                continue
            hits.append(DocumentHit(d, 1.0, _hl(d.text, query.text)))
        return Page(hits[query.offset : query.offset + query.limit], len(hits))

    def aggregate_companies(self, field_name: str, query: CompanyQuery | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.companies.values():
            if field_name == "level":
                s = self._current(c.credit_code)
                key = s.level if s else ""
            elif field_name == "region":
                key = c.region_code[:2]
            else:
                key = c.industry
            if key:
                out[key] = out.get(key, 0) + 1
        return out

    def save_scores(self, scores: Iterable[Score]) -> int:
        n = 0
        for s in scores:
            self.scores[(s.credit_code, s.as_of, s.model_version)] = copy.deepcopy(s)
            n += 1
        return n

    def latest_score(self, credit_code: str) -> Score | None:
        return copy.deepcopy(self._current(credit_code))

    def score_history(self, credit_code: str) -> list[tuple[str, float, str]]:
        return sorted((k[1], s.smoke_index, k[2]) for k, s in self.scores.items() if k[0] == credit_code)

    def iter_latest_scores(self, min_score: float | None = None) -> Iterator[Score]:
        cur = [self._current(c) for c in self.companies]
        cur = [s for s in cur if s and (min_score is None or s.smoke_index >= min_score)]
        yield from sorted(cur, key=lambda s: -s.smoke_index)

    def save_alert(self, alert: Alert) -> bool:
        if alert.id in self.alerts:
            return False
        self.alerts[alert.id] = copy.deepcopy(alert)
        return True

    def update_alert(self, alert: Alert) -> None:
        self.alerts[alert.id] = copy.deepcopy(alert)

    def list_alerts(self, since: str = "", unacknowledged_only: bool = False, limit: int = 100) -> list[Alert]:
        out = [a for a in self.alerts.values() if a.created >= since and not (unacknowledged_only and a.acknowledged_by)]
        return sorted(out, key=lambda a: a.created, reverse=True)[:limit]

    def save_run(self, run: Run) -> None:
        self.runs[run.id] = copy.deepcopy(run)

    def list_runs(self, limit: int = 20) -> list[Run]:
        return sorted(self.runs.values(), key=lambda r: r.started, reverse=True)[:limit]

    def get_state(self, key: str) -> str | None:
        return self.state.get(key)

    def set_state(self, key: str, value: str) -> None:
        self.state[key] = value
