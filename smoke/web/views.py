"""Data assembled for pages: highlights made safe, dashboard figures, risers,
the relationship graph, similar companies and source health. No HTTP here."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from indexing.models import Company
from indexing.store.base import CompanyQuery, Store, link_keys
from smoke import labels
from smoke.service.alerts import RULE_ZH
from smoke.service.health import SOURCE_STATE_ZH, source_health
from smoke.service.regions import PROVINCES, region_name
from smoke.service.threshold import high_risk, is_high
from smoke.web import charts

__all__ = ["PROVINCES", "SOURCE_STATE_ZH", "is_high", "region_name", "source_health"]  # moved down; kept here for callers

# Names come from the one labels module (config/labels.yaml); these aliases keep callers short.
LEVEL_ORDER = list(labels.LEVEL_ORDER)  # green .. red
LEVEL_ZH = labels.level_names()
SOURCE_KIND_ZH = dict(labels.labels().source_kinds)
DIMENSION_ZH = dict(labels.labels().dimensions)

_MARK = re.compile(r"(<mark>|</mark>)")
MAX_GRAPH_PER_KEY = 15  # companies drawn per shared person, address, phone or website
MAX_GRAPH_KEYS = 20  # shared things drawn per company


def safe_highlight(text: str) -> Markup:
    """A store highlight made safe: only <mark> tags survive, everything else is escaped.

    The store promises escaped text with <mark>; we do not rely on it. Each piece
    between marks is unescaped once and escaped again, so correct input renders the
    same and incorrect input (raw tags) shows as text.
    """
    out: list[str] = []
    open_mark = False
    for part in _MARK.split(text or ""):
        if part == "<mark>":
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == "</mark>":
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(html.escape(html.unescape(part), quote=True))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))


def dashboard(store: Store, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    levels = store.aggregate_companies("level")
    # Where the risk is: the region and industry charts count high-risk companies only.
    high = CompanyQuery(min_score=float(high_risk()))
    regions = store.aggregate_companies("region", high)
    industries = store.aggregate_companies("industry", high)
    # The latest cycle's alerts, by the data's day: a sandbox or replayed cycle dates its
    # alerts by its data, so "since midnight by the wall clock" counted 0 after 42 alerts.
    from smoke.alerts.triage import group_alerts, latest_cycle_alerts

    alerts_day, alerts = latest_cycle_alerts(store)
    return {
        "total": store.count_companies(),
        "documents": store.count_documents(),
        "high_risk": store.search_companies(CompanyQuery(min_score=high_risk(), limit=1, exact_total=True)).total,
        "region_counts": dict(regions),
        "trend": charts.high_risk_trend(store),
        "levels": [{"key": lv, "label": LEVEL_ZH[lv], "count": levels.get(lv, 0)} for lv in LEVEL_ORDER],
        "regions": sorted(
            ({"key": k, "label": region_name(k), "count": v} for k, v in regions.items()),
            key=lambda r: (-r["count"], r["key"]),
        )[:12],
        "industries": sorted(
            ({"key": k, "label": k or "未知", "count": v} for k, v in industries.items()),
            key=lambda r: (-r["count"], r["key"]),
        )[:12],
        "alerts": alerts,
        "alerts_count": len(alerts),
        "alerts_day": alerts_day,
        "alert_groups": group_alerts(store, alerts)[:10],  # one row per company and day
        "risers": risers(store),
    }


def _delta_since(history: list[tuple[str, float, str]], since: str) -> tuple[float, float] | None:
    """(latest index, rise since the last score on or before ``since``) for one model version."""
    if not history:
        return None
    latest = history[-1]
    same = [h for h in history if h[2] == latest[2]]
    before = [h for h in same if h[0] <= since]
    base = before[-1][1] if before else same[0][1]
    return latest[1], latest[1] - base


def risers(store: Store, today: date | None = None, limit: int = 8) -> list[dict[str, Any]]:
    """Companies whose index rose most in the seven days before ``today`` (from score
    history). By default ``today`` is the newest score date, not the wall clock: scores
    carry the data's date, and a replayed or late world must still show its risers."""
    candidates = store.search_companies(CompanyQuery(sort="rise", limit=50)).hits  # both stores sort by rise
    histories = store.score_histories(hit.company.credit_code for hit in candidates)
    if today is None:
        newest = max((h[-1][0][:10] for h in histories.values() if h), default="")
        today = date.fromisoformat(newest) if newest else date.today()
    since = (today - timedelta(days=7)).isoformat()
    out = []
    for hit in candidates:
        d = _delta_since(histories.get(hit.company.credit_code, []), since)
        if d and d[1] > 0:
            out.append(
                {
                    "credit_code": hit.company.credit_code,
                    "name": hit.company.name,
                    "smoke_index": round(d[0], 1),
                    "level": hit.level,
                    "rise": round(d[1], 1),
                }
            )
    out.sort(key=lambda r: (-r["rise"], r["credit_code"]))
    return out[:limit]


def relationship_graph(store: Store, company: Company) -> dict[str, Any]:
    """Companies linked to ``company`` (as stored) through shared people, addresses, phones
    and websites: its first ``MAX_GRAPH_KEYS`` link keys, each with up to
    ``MAX_GRAPH_PER_KEY`` companies and the count of all the others. Three store calls
    whatever the graph's size (batch reads: each a round trip on Elasticsearch)."""
    keys = link_keys(company)[:MAX_GRAPH_KEYS]
    # One more than shown per key: the company itself is among them.
    shared = store.sharing(keys, limit=MAX_GRAPH_PER_KEY + 1)
    others = {k: [cc for cc in codes if cc != company.credit_code][:MAX_GRAPH_PER_KEY]
              for k, (codes, _) in shared.items()}
    companies = store.get_companies(cc for codes in others.values() for cc in codes)
    companies[company.credit_code] = company
    scores = store.latest_scores(companies)

    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, str]] = []
    link_nodes: dict[str, dict[str, Any]] = {}

    def add_company(c: Company) -> None:
        if c.credit_code not in nodes:
            score = scores.get(c.credit_code)
            nodes[c.credit_code] = {
                "id": c.credit_code,
                "label": c.name,
                "type": "company",
                "level": score.level if score else "",
                "smoke_index": round(score.smoke_index, 1) if score else None,
                "center": c.credit_code == company.credit_code,
            }

    add_company(company)
    for kind, value in keys:
        linked = [companies[cc] for cc in others[(kind, value)] if cc in companies]
        if not linked:
            continue
        key_id = f"{kind}:{value}"
        # The count includes the company itself, as stored.
        count = max(shared[(kind, value)][1] - 1, len(linked))
        link_nodes[key_id] = {"id": key_id, "label": value, "type": kind, "count": count}
        edges.append({"source": company.credit_code, "target": key_id})
        for c in linked:
            add_company(c)
            edges.append({"source": c.credit_code, "target": key_id})
    return {"nodes": list(nodes.values()) + list(link_nodes.values()), "edges": edges}


def similar_companies(store: Store, company: Company, smoke_index: float | None, limit: int = 6) -> list[Any]:
    """Companies in the same industry and province with a close index."""
    q = CompanyQuery(industry=company.industry, region=(company.region_code or "")[:2], limit=limit + 1)
    if smoke_index is not None:
        q.min_score = max(0.0, smoke_index - 15)
        q.max_score = min(100.0, smoke_index + 15)
    hits = [h for h in store.search_companies(q).hits if h.company.credit_code != company.credit_code]
    return hits[:limit]


ALERT_RULE_ZH = RULE_ZH  # one definition: config/labels.yaml
DELIVERY_STATE_ZH = dict(labels.labels().delivery_states)


