"""Search over everything: companies, documents, and the companies documents concern.

The same calls serve ``smoke search``, the /search page and the API. The query text is
handed to the store's own parser (indexing/: phrases, AND / OR / NOT, -word), never
to FTS5 or Elasticsearch raw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indexing.models import Company, Document
from indexing.store.base import CompanyHit, CompanyQuery, DocumentHit, DocumentQuery, Store
from smoke.service.doc_kinds import document_kind
from smoke.service.filters import Filters

# Company orders (our names -> the store's); a company has no date of its own, so "date"
# (documents' order) keeps the risk order for companies.
COMPANY_SORTS = {"relevance": "relevance", "index": "score", "rise": "rise", "name": "name", "date": "score"}
DOCUMENT_SORTS = {"relevance": "relevance", "date": "date", "index": "relevance", "rise": "relevance",
                  "name": "relevance"}
# How many matching documents are read to find the companies they concern.
CONCERN_WINDOW = 200


@dataclass(slots=True)
class DocumentResult:
    hits: list[DocumentHit]
    total: int
    kinds: dict[str, str] = field(default_factory=dict)  # document id -> kind
    capped: bool = False  # the store stopped counting at core.COUNT_CAP: total is a lower bound


@dataclass(slots=True)
class ConcernedCompany:
    company: Company
    smoke_index: float | None
    level: str
    documents: int  # matching documents that mention it


def company_query(f: Filters, sort: str = "") -> CompanyQuery:
    sort = sort or f.sort or ("relevance" if f.q else "index")
    return CompanyQuery(text=f.q, region=f.region, industry=f.industry, level=f.level, min_score=f.min_score,
                        max_score=f.max_score, sort=COMPANY_SORTS.get(sort, "score"), limit=f.limit,
                        offset=f.offset)


def search_companies(store: Store, f: Filters) -> tuple[list[CompanyHit], int, bool]:
    """(hits, total, whether total is a lower bound: the store stops counting at core.COUNT_CAP)."""
    page = store.search_companies(company_query(f))
    return page.hits, page.total, page.total_is_lower_bound


def document_query(f: Filters) -> DocumentQuery:
    """The store query for ``f``: the store filters by document kind itself (indexing.doc_kind,
    stored when each document was indexed), so totals are exact and every page reachable."""
    sort = f.sort or ("relevance" if f.q else "date")
    return DocumentQuery(text=f.q, source_kind=f.source_kind, doc_kind=f.kind, date_from=f.date_from,
                         date_to=f.date_to, sort=DOCUMENT_SORTS.get(sort, "relevance") if f.q else "date",
                         limit=f.limit, offset=f.offset)


def search_documents(store: Store, f: Filters) -> DocumentResult:
    """Documents matching ``f`` (text, source kind, document kind, dates), one page."""
    page = store.search_documents(document_query(f))
    return DocumentResult(page.hits, page.total, {h.document.id: document_kind(h.document) for h in page.hits},
                          page.total_is_lower_bound)


def concerned_companies(store: Store, f: Filters, limit: int = 20) -> tuple[list[ConcernedCompany], int]:
    """The companies the documents matching ``f`` mention (first ``CONCERN_WINDOW``
    documents), risk first unless ``f.sort`` is name; and how many there are."""
    window = Filters(q=f.q, date_from=f.date_from, date_to=f.date_to, kind=f.kind, source_kind=f.source_kind,
                     sort=f.sort if f.sort in ("relevance", "date") else "", limit=CONCERN_WINDOW, offset=0)
    docs = search_documents(store, window).hits
    counts: dict[str, int] = {}
    for h in docs:
        for code in {m.credit_code for m in h.document.mentions if m.credit_code}:
            counts[code] = counts.get(code, 0) + 1
    companies = store.get_companies(counts)
    scores = store.latest_scores(companies)
    out = []
    for code, company in companies.items():
        if f.region and not (company.region_code or "").startswith(f.region):
            continue
        if f.industry and company.industry != f.industry:
            continue
        score = scores.get(code)
        index = score.smoke_index if score else None
        if f.min_score is not None and (index is None or index < f.min_score):
            continue
        if f.max_score is not None and (index is None or index > f.max_score):
            continue
        if f.level and (score.level if score else "") != f.level:
            continue
        out.append(ConcernedCompany(company, index, score.level if score else "", counts[code]))
    if f.sort == "name":
        out.sort(key=lambda c: (c.company.name, c.company.credit_code))
    else:
        out.sort(key=lambda c: (-(c.smoke_index if c.smoke_index is not None else -1), -c.documents,
                                c.company.credit_code))
    return out[:limit], len(out)


def company_row(company: Company, smoke_index: float | None, level: str) -> dict[str, Any]:
    """One company as the CLI's --json and the API list it."""
    return {
        "credit_code": company.credit_code,
        "name": company.name,
        "smoke_index": None if smoke_index is None else round(smoke_index, 1),
        "level": level or "",
        "region": company.region_code,
        "industry": company.industry,
    }


def document_row(doc: Document, kind: str, highlight: str = "") -> dict[str, Any]:
    """One document as the CLI's --json and the API list it (text capped: crawled text is large)."""
    from smoke.service.timefmt import to_shanghai

    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "kind": kind,
        "source_kind": doc.source_kind,
        "site": doc.site,
        "published": doc.published,
        "fetched": to_shanghai(doc.fetched),
        "companies": sorted({m.credit_code for m in doc.mentions if m.credit_code}),
        "highlight": highlight,
        "snippet": doc.text[:200],
    }
