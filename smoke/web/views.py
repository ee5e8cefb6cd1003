"""Data assembled for pages: highlights made safe, dashboard figures, risers,
the relationship graph, similar companies and source health. No HTTP here."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from indexing.models import HIGH_RISK, LEVELS, Company, Run
from indexing.store.base import CompanyQuery, Store, link_keys
from smoke.regions import province_name as region_name  # one region table (smoke.regions)

LEVEL_ORDER = [level for _, level, _ in reversed(LEVELS)]  # green .. red
LEVEL_ZH = {level: zh for _, level, zh in LEVELS}
LEVEL_RANGE = {"green": "0-19", "blue": "20-39", "yellow": "40-59", "orange": "60-79", "red": "80-100"}
SOURCE_KIND_ZH = {"registry": "工商登记", "court": "裁判文书", "complaint": "投诉平台", "promo": "推广页面", "amac": "基金业协会"}
DIMENSION_ZH = {
    "compliance": "机构合规",
    "complaints": "网络投诉",
    "yield": "收益率",
    "feature_words": "特征词",
    "spread": "传播力",
    "network": "关联网络",
}

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


def parse_float(value: str | None, lo: float = 0.0, hi: float = 100.0) -> float | None:
    """A number from a query string, clamped; None when missing or not a finite number."""
    if value is None or str(value).strip() == "":
        return None
    try:
        v = float(value)
    except ValueError:
        return None
    if v != v or v in (float("inf"), float("-inf")):
        return None
    return max(lo, min(hi, v))


def dashboard(store: Store, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    levels = store.aggregate_companies("level")
    regions = store.aggregate_companies("region")
    industries = store.aggregate_companies("industry")
    alerts = store.list_alerts(since=today.isoformat(), limit=50)
    return {
        "total": store.count_companies(),
        "documents": store.count_documents(),
        "high_risk": sum(levels.get(lv, 0) for lv in ("orange", "red")),
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
        "alert_names": _names(store, [a.credit_code for a in alerts[:10]]),
        "risers": risers(store, today),
    }


def _names(store: Store, credit_codes: list[str]) -> dict[str, str]:
    """Each code's company name (the code itself when unknown), in one store call."""
    found = store.get_companies(credit_codes)
    return {c: found[c].name if c in found else c for c in credit_codes}


def _delta_since(history: list[tuple[str, float, str]], since: str) -> tuple[float, float] | None:
    """(latest index, rise since the last score on or before ``since``) for one model version."""
    if not history:
        return None
    latest = history[-1]
    same = [h for h in history if h[2] == latest[2]]
    before = [h for h in same if h[0] <= since]
    base = before[-1][1] if before else same[0][1]
    return latest[1], latest[1] - base


def risers(store: Store, today: date, limit: int = 8) -> list[dict[str, Any]]:
    """Companies whose index rose most in the last seven days (from score history)."""
    since = (today - timedelta(days=7)).isoformat()
    candidates = store.search_companies(CompanyQuery(sort="rise", limit=50)).hits  # both stores sort by rise
    histories = store.score_histories(hit.company.credit_code for hit in candidates)
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


def _source_state(stats: Any) -> str:
    errors = sum((stats.errors or {}).values())
    if stats.blocked:
        return "blocked"
    if errors and not stats.items:
        return "failing"
    if errors:
        return "degraded"
    return "ok"


SOURCE_STATE_ZH = {"blocked": "被封锁", "failing": "失败", "degraded": "部分错误", "ok": "正常"}
ALERT_RULE_ZH = {"crossing": "升至高风险", "rise": "快速上升", "critical": "关键证据"}
DELIVERY_STATE_ZH = {"pending": "待发送", "sent": "已发送", "failed": "发送失败（将重试）", "abandoned": "已放弃（需人工重试）"}


def source_health(runs: list[Run]) -> list[dict[str, Any]]:
    """Per source: its state in the newest run that crawled it, and since when it has been so."""
    runs = sorted(runs, key=lambda r: r.started, reverse=True)
    # a source skipped in a run (switched off by an admin) says nothing of its health
    names = sorted({name for r in runs for name, st in r.sources.items() if not st.skipped})
    out = []
    for name in names:
        seen = [(r, r.sources[name]) for r in runs if name in r.sources and not r.sources[name].skipped]
        state = _source_state(seen[0][1])
        since = seen[0][0].started
        for run, stats in seen[1:]:
            if _source_state(stats) != state:
                break
            since = run.started
        latest = seen[0][1]
        out.append(
            {
                "source": name,
                "state": state,
                "state_zh": SOURCE_STATE_ZH[state],
                "since": since,
                "last_run": seen[0][0].started,
                "pages": latest.pages,
                "items": latest.items,
                "errors": dict(latest.errors or {}),
                "reason": latest.blocked_reason,
            }
        )
    out.sort(key=lambda s: (["blocked", "failing", "degraded", "ok"].index(s["state"]), s["source"]))
    return out


def is_high(index: float | None) -> bool:
    return index is not None and index >= HIGH_RISK
