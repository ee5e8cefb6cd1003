"""The company profile: one object for `smoke company --json`, the API and the web page."""

from __future__ import annotations

from typing import Any

from indexing.models import CORE_DIMENSIONS, DIMENSIONS
from indexing.store.base import Store
from smoke.labels import level_names
from smoke.service.companies import find_company

LEVEL_NAMES_ZH = level_names()  # one place: smoke.labels


def company_profile(store: Store, name_or_code: str) -> dict[str, Any] | None:
    """Everything a person needs to see why a company scores what it scores."""
    company = find_company(store, name_or_code)  # exact: credit code or the name alone (smoke.service.companies)
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
