"""The company object the web page and ``GET /api/v1/companies/{code}`` show.

The lead's ``smoke.profile.company_profile`` (the object of ``smoke company --json``)
is used when present so that the API and the CLI give the same object; until then
an equivalent is built from the Store here.
"""

from __future__ import annotations

from typing import Any

from indexing.models import Company
from indexing.store.base import Store


def find_company(store: Store, key: str) -> Company | None:
    """A company by credit code, else by exact (normalised) name."""
    key = (key or "").strip()
    if not key or len(key) > 200:
        return None
    company = store.get_company(key.upper()) or store.get_company(key)
    if company is None:
        matches = store.companies_by_name(key)
        company = matches[0] if matches else None
    return company


def _fallback_profile(store: Store, key: str) -> dict[str, Any] | None:
    company = find_company(store, key)
    if company is None:
        return None
    score = store.latest_score(company.credit_code)
    history = [
        {"as_of": as_of, "smoke_index": index, "model_version": version}
        for as_of, index, version in store.score_history(company.credit_code)
    ]
    return {
        "name": company.name,
        "credit_code": company.credit_code,
        "region": company.region_code,
        "industry": company.industry,
        "smoke_index": score.smoke_index if score else None,
        "level": score.level if score else "",
        "as_of": score.as_of if score else "",
        "dimensions": dict(score.dimensions) if score else {},
        "indicators": [
            {
                "id": i.id,
                "dimension": i.dimension,
                "label": i.label,
                "value": i.value,
                "points": i.points,
                "evidence": [
                    {"url": e.url, "snippet": e.snippet, "date": e.date, "source_kind": e.source_kind}
                    for e in i.evidence
                ],
            }
            for i in sorted(score.indicators, key=lambda i: (-i.points, i.id))
        ]
        if score
        else [],
        "model_version": score.model_version if score else "",
        "hard_rules": list(score.hard_rules) if score else [],
        "history": history,
    }


def company_profile(store: Store, key: str) -> dict[str, Any] | None:
    """The profile dict (same object as ``smoke company --json``), or None when unknown."""
    if not key or len(key) > 200:
        return None
    try:
        from smoke.profile import company_profile as lead_profile  # type: ignore[import-not-found]
    except ImportError:
        return _fallback_profile(store, key)
    return lead_profile(store, key)


def history_points(profile: dict[str, Any]) -> list[dict[str, Any]]:
    """The history as [{as_of, smoke_index}] whatever shape (dicts or tuples) the profile uses."""
    out = []
    for h in profile.get("history") or []:
        if isinstance(h, dict):
            d = h.get("as_of") or h.get("date") or ""
            v = h.get("smoke_index", h.get("index"))
        else:
            d, v = h[0], h[1]
        if d and v is not None:
            out.append({"as_of": str(d), "smoke_index": round(float(v), 1)})
    return out
