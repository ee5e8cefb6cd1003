"""The company profile: one object for `smoke company --json`, the API and the web page."""

from __future__ import annotations

from typing import Any

from indexing.creditcode import is_valid
from indexing.models import CORE_DIMENSIONS, DIMENSIONS, LEVELS, Company
from indexing.store.base import CompanyQuery, Store

LEVEL_NAMES_ZH = {level: zh for _, level, zh in LEVELS}


def find_company(store: Store, name_or_code: str) -> Company | None:
    """A company by credit code, exact (normalised) name, or best name match."""
    key = name_or_code.strip().upper()
    if len(key) == 18 and is_valid(key):
        return store.get_company(key)
    exact = store.companies_by_name(name_or_code)
    if exact:
        return sorted(exact, key=lambda c: c.credit_code)[0]
    page = store.search_companies(CompanyQuery(text=name_or_code, sort="relevance", limit=1))
    return page.hits[0].company if page.hits else None


def company_profile(store: Store, name_or_code: str) -> dict[str, Any] | None:
    """Everything a person needs to see why a company scores what it scores."""
    company = find_company(store, name_or_code)
    if company is None:
        return None
    score = store.latest_score(company.credit_code)
    dims = score.dimensions if score else {}
    indicators = []
    if score:
        for ind in sorted(score.indicators, key=lambda i: (-i.points, i.id)):
            indicators.append(
                {
                    "id": ind.id,
                    "dimension": ind.dimension,
                    "label": ind.label,
                    "value": ind.value,
                    "points": round(ind.points, 2),
                    # marks: where the matched words sit in the quoted sentence (scoring.quote)
                    "evidence": [{"url": e.url, "snippet": e.snippet, "date": e.date, "marks": e.marks,
                                  "source_kind": e.source_kind, "doc_id": e.doc_id} for e in ind.evidence],
                }
            )
    return {
        "name": company.name,
        "credit_code": company.credit_code,
        "smoke_index": round(score.smoke_index, 1) if score else None,
        "level": score.level if score else None,
        "level_zh": LEVEL_NAMES_ZH.get(score.level, "") if score else "",
        "as_of": score.as_of if score else None,
        "dimensions": {d: round(dims.get(d, 0.0), 1) for d in DIMENSIONS if d in CORE_DIMENSIONS or d in dims},
        "indicators": indicators,
        "hard_rules": list(score.hard_rules) if score else [],
        "model_version": score.model_version if score else None,
        "versions": dict(score.versions) if score else {},  # model, lexicon and analyser versions
        "former_names": company.former_names,
        "legal_rep": company.legal_rep,
        "region_code": company.region_code,
        "industry": company.industry,
        "status": company.status,
        "founded": company.founded,
        "address": company.address,
        "business_scope": company.business_scope,
        "websites": company.websites,
        "registry_url": company.source_url,
        "history": [
            {"as_of": as_of, "smoke_index": round(idx, 1), "model_version": ver}
            for as_of, idx, ver in store.score_history(company.credit_code)
        ],
    }
