"""The pages regulators read: dashboard, search, company, high-risk list, alerts, runs.

GET handlers are plain functions: Starlette runs them in its thread pool, where
each thread has its own store connection."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from indexing.models import DIMENSIONS, SOURCE_KINDS, level_for
from indexing.store.base import CompanyQuery, DocumentQuery
from smoke.evidence import by_dimension, cite, registry_facts
from smoke.regions import region_name as full_region_name
from smoke.web import views
from smoke.web.context import audit, check_csrf, render, require, store
from smoke.web.profile import company_profile, find_company, history_points

PAGE_SIZE = 20
MAX_OFFSET = 10_000


def _int(value: str | None, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(value or default)))
    except ValueError:
        return default


def _text(params: Any, key: str, cap: int = 200) -> str:
    return str(params.get(key, "") or "").strip()[:cap]


def dashboard(request: Request) -> Response:
    require(request)
    data = views.dashboard(store(request))
    return render(request, "dashboard.html", d=data, LEVEL_ZH=views.LEVEL_ZH, region_name=views.region_name)


def _company_filters(p: Any) -> dict[str, Any]:
    level = _text(p, "level", 10)
    return {
        "q": _text(p, "q"),
        "region": "".join(ch for ch in _text(p, "region", 6) if ch.isdigit()),
        "industry": _text(p, "industry", 50),
        "level": level if level in views.LEVEL_ZH else "",
        "min_score": views.parse_float(p.get("min_score")),
        "max_score": views.parse_float(p.get("max_score")),
    }


def search(request: Request) -> Response:
    session = require(request)
    p = request.query_params
    kind = "documents" if p.get("kind") == "documents" else "companies"
    offset = _int(p.get("offset"), 0, 0, MAX_OFFSET)
    f = _company_filters(p)
    source_kind = _text(p, "source_kind", 20)
    source_kind = source_kind if source_kind in SOURCE_KINDS else ""
    date_from, date_to = _text(p, "date_from", 10), _text(p, "date_to", 10)
    s = store(request)
    hits: list[Any] = []
    total = 0
    searched = bool(f["q"] or any(p.get(k) for k in ("region", "industry", "level", "min_score", "max_score",
                                                     "source_kind", "date_from", "date_to")))  # fmt: skip
    if kind == "companies":
        q = CompanyQuery(
            text=f["q"],
            region=f["region"],
            industry=f["industry"],
            level=f["level"],
            min_score=f["min_score"],
            max_score=f["max_score"],
            sort="relevance" if f["q"] else "score",
            limit=PAGE_SIZE,
            offset=offset,
        )
        page = s.search_companies(q)
    else:
        page = s.search_documents(
            DocumentQuery(
                text=f["q"],
                source_kind=source_kind,
                date_from=date_from,
                date_to=date_to,
                sort="relevance" if f["q"] else "date",
                limit=PAGE_SIZE,
                offset=offset,
            )
        )
    hits, total = page.hits, page.total
    detail = {k: v for k, v in f.items() if v not in ("", None)}
    detail.update({"kind": kind, "offset": offset})
    if kind == "documents":
        detail.update({k: v for k, v in {"source_kind": source_kind, "date_from": date_from,
                                          "date_to": date_to}.items() if v})  # fmt: skip
    audit(request, session, "search", detail, total)
    base = {k: v for k, v in p.items() if k != "offset"}
    prev_url = f"/search?{urlencode({**base, 'offset': max(0, offset - PAGE_SIZE)})}" if offset else ""
    next_url = f"/search?{urlencode({**base, 'offset': offset + PAGE_SIZE})}" if offset + PAGE_SIZE < total else ""
    return render(
        request,
        "search.html",
        kind=kind,
        f=f,
        source_kind=source_kind,
        date_from=date_from,
        date_to=date_to,
        hits=hits,
        total=total,
        offset=offset,
        searched=searched,
        prev_url=prev_url,
        next_url=next_url,
        hl=views.safe_highlight,
        LEVEL_ZH=views.LEVEL_ZH,
        SOURCE_KIND_ZH=views.SOURCE_KIND_ZH,
        region_name=views.region_name,
    )


COMPANY_TABS = (("overview", "概览"), ("evidence", "证据"), ("documents", "文档"), ("relations", "关联"), ("history", "历史"))


def company(request: Request) -> Response:
    session = require(request)
    key = request.path_params["credit_code"]
    s = store(request)
    comp = find_company(s, key)
    profile = company_profile(s, comp.credit_code) if comp else None
    audit(request, session, "view_company", {"credit_code": key[:64], "found": profile is not None}, None)
    if comp is None or profile is None:
        return render(request, "error.html", status_code=404, status=404, message="未找到该企业。")
    index = profile.get("smoke_index")
    dims = profile.get("dimensions") or {}
    radar = [{"key": d, "label": views.DIMENSION_ZH[d], "value": round(float(dims.get(d, 0) or 0), 1)} for d in DIMENSIONS]
    documents = s.documents_for(comp.credit_code)[-30:][::-1]
    indicators = profile.get("indicators") or []
    # evidence: each quoted sentence once (referenced after), zero-point indicators apart (a closed toggle)
    evidence_dims, zero = by_dimension(indicators, views.DIMENSION_ZH, dims)
    return render(
        request,
        "company.html",
        p=profile,
        c=comp,
        TABS=COMPANY_TABS,
        facts=registry_facts(comp),
        top_quotes=cite(indicators, per_indicator=3)[:5],
        evidence_dims=evidence_dims,
        evidence_count=sum(len(d["indicators"]) for d in evidence_dims),
        zero=zero,
        radar=radar,
        history=history_points(profile),
        graph=views.relationship_graph(s, comp),
        similar=views.similar_companies(s, comp, index),
        documents=documents,
        LEVEL_ZH=views.LEVEL_ZH,
        DIMENSION_ZH=views.DIMENSION_ZH,
        SOURCE_KIND_ZH=views.SOURCE_KIND_ZH,
        region_name=views.region_name,
        region_full=full_region_name,
        level_for=level_for,
    )


SORTS = {"score": "冒烟指数", "name": "名称", "rise": "涨幅"}


def high_risk(request: Request) -> Response:
    session = require(request)
    p = request.query_params
    f = _company_filters(p)
    sort = p.get("sort", "score")
    sort = sort if sort in SORTS else "score"
    offset = _int(p.get("offset"), 0, 0, MAX_OFFSET)
    min_score = max(60.0, f["min_score"] or 60.0)
    q = CompanyQuery(
        text=f["q"], region=f["region"], industry=f["industry"], level=f["level"] if f["level"] in ("orange", "red") else "",
        min_score=min_score, max_score=f["max_score"], sort=sort, limit=50, offset=offset,
    )  # fmt: skip
    page = store(request).search_companies(q)
    audit(request, session, "high_risk_list", {**{k: v for k, v in f.items() if v not in ("", None)}, "sort": sort}, page.total)
    base = {k: v for k, v in p.items() if k != "offset"}
    next_url = f"/high-risk?{urlencode({**base, 'offset': offset + 50})}" if offset + 50 < page.total else ""
    return render(
        request,
        "high_risk.html",
        hits=page.hits,
        total=page.total,
        f=f,
        sort=sort,
        SORTS=SORTS,
        offset=offset,
        next_url=next_url,
        base_qs=urlencode({k: v for k, v in base.items() if k != "sort"}),
        LEVEL_ZH=views.LEVEL_ZH,
        region_name=views.region_name,
    )


def alerts(request: Request) -> Response:
    require(request)
    only_open = request.query_params.get("open", "1") == "1"
    s = store(request)
    items = s.list_alerts(unacknowledged_only=only_open, limit=200)
    names = {}
    for a in items:
        if a.credit_code not in names:
            c = s.get_company(a.credit_code)
            names[a.credit_code] = c.name if c else a.credit_code
    return render(request, "alerts.html", alerts=items, names=names, only_open=only_open,
                  rule_zh=views.ALERT_RULE_ZH, delivery_zh=views.DELIVERY_STATE_ZH)


def _ack(request: Request, form: Any) -> Response:
    session = require(request, "ack_alerts")
    check_csrf(request, form, session)
    alert_id = request.path_params["alert_id"]
    s = store(request)
    found = s.get_alert(alert_id)
    if found is None:
        return render(request, "error.html", status_code=404, status=404, message="未找到该预警。")
    if s.acknowledge_alert(alert_id, session.username, datetime.now(UTC).isoformat(timespec="seconds")):
        audit(request, session, "ack_alert", {"alert_id": alert_id, "credit_code": found.credit_code})
    return RedirectResponse("/alerts", status_code=303)


async def ack_alert(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_ack, request, form)


# Plain words for a run's status: a partial or interrupted run must not read like a finished one.
RUN_STATUS_ZH = {"ok": "完成 ok", "running": "运行中 running", "partial": "部分完成 PARTIAL",
                 "failed": "失败 FAILED", "interrupted": "已中断 INTERRUPTED"}


def runs(request: Request) -> Response:
    require(request)
    items = store(request).list_runs(limit=50)
    return render(request, "runs.html", runs=items, health=views.source_health(items), RUN_STATUS_ZH=RUN_STATUS_ZH)


routes = [
    Route("/", dashboard, methods=["GET"]),
    Route("/search", search, methods=["GET"]),
    Route("/company/{credit_code}", company, methods=["GET"]),
    Route("/high-risk", high_risk, methods=["GET"]),
    Route("/alerts", alerts, methods=["GET"]),
    Route("/alerts/{alert_id}/ack", ack_alert, methods=["POST"]),
    Route("/runs", runs, methods=["GET"]),
]
