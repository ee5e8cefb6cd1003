"""The pages regulators read: dashboard, search, company, high-risk list, alerts, runs.

GET handlers are plain functions: Starlette runs them in its thread pool, where
each thread has its own store connection."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from indexing.models import DIMENSIONS, high_levels, level_for
from indexing.store.base import CompanyQuery
from smoke.evidence import by_dimension, cite, registry_facts
from smoke.regions import region_name as full_region_name
from smoke.service.companies import lookup_company
from smoke.service.doc_kinds import doc_kind_labels
from smoke.service.filters import SORTS as SORTS_ZH
from smoke.service.filters import FilterSpec, parse_filters
from smoke.service.search import search_companies, search_documents
from smoke.service.threshold import high_risk as high_risk_threshold
from smoke.watchlist import Watchlists
from smoke.web import charts, views
from smoke.web.context import audit, cfg, render, require, store
from smoke.web.profile import company_profile, history_points

PAGE_SIZE = 20
MAX_OFFSET = 10_000


def dashboard(request: Request) -> Response:
    require(request)
    data = views.dashboard(store(request))
    return render(request, "dashboard.html", d=data, trend_svg=charts.trend_svg(data["trend"]),
                  map_svg=charts.province_map(data["region_counts"]), map_legend=charts.map_legend(data["region_counts"]))


# The search page's orders: companies by relevance, index, rise or name; documents by relevance or date.
SEARCH_SORTS = {"companies": ("relevance", "index", "rise", "name"), "documents": ("relevance", "date")}
# What the pages accept; a bad value is dropped or clamped (lenient), never an error page.
SEARCH_SPEC = FilterSpec.of("q", "region", "industry", "level", "min_score", "max_score", "source_kind", "kind",
                            "date_from", "date_to", "sort", "offset", sorts=("relevance", "index", "rise", "name", "date"),
                            default_limit=PAGE_SIZE, max_offset=MAX_OFFSET)


def search(request: Request) -> Response:
    session = require(request)
    p = request.query_params
    kind = "documents" if p.get("kind") == "documents" else "companies"
    params = {k: v for k, v in p.items() if k != "kind"}
    if p.get("doc_kind"):
        params["kind"] = p["doc_kind"]  # "kind" names the tab; the document kind is doc_kind here
    f = parse_filters(params, SEARCH_SPEC, strict=False)
    if f.sort not in SEARCH_SORTS[kind]:
        f.sort = ""
    if not f.sort and p.get("from") == "high-risk":
        f.sort = "index"  # a search started from the high-risk views: risk first
    s = store(request)
    searched = bool(f.q or f.active())
    kinds: dict[str, str] = {}
    if kind == "companies":
        hits, total, capped = search_companies(s, f)
    else:
        docs = search_documents(s, f)
        hits, total, kinds, capped = docs.hits, docs.total, docs.kinds, docs.capped
    detail = {**f.active(), "kind": kind, "offset": f.offset}
    if f.sort:
        detail["sort"] = f.sort
    audit(request, session, "search", detail, total)
    base = {k: v for k, v in p.items() if k != "offset"}
    prev_url = f"/search?{urlencode({**base, 'offset': max(0, f.offset - PAGE_SIZE)})}" if f.offset else ""
    next_url = f"/search?{urlencode({**base, 'offset': f.offset + PAGE_SIZE})}" if f.offset + PAGE_SIZE < total else ""
    return render(
        request,
        "search.html",
        kind=kind,
        f=f,
        source_kind=f.source_kind,
        doc_kind=f.kind,
        date_from=f.date_from,
        date_to=f.date_to,
        hits=hits,
        total=total,
        total_capped=capped,
        offset=f.offset,
        searched=searched,
        prev_url=prev_url,
        next_url=next_url,
        sort=f.sort or ("relevance" if f.q else ("index" if kind == "companies" else "date")),
        sorts={k: SORTS_ZH[k] for k in SEARCH_SORTS[kind]},
        kinds=kinds,
        DOC_KIND_ZH=doc_kind_labels(),
        notes=f.notes,
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
    found = lookup_company(s, key)
    comp = found.company
    profile = company_profile(s, comp.credit_code) if comp else None
    audit(request, session, "view_company", {"credit_code": key[:64], "found": profile is not None}, None)
    if found.status == "ambiguous":
        return render(request, "error.html", status_code=409, status=409,
                      message=f"有 {found.matches} 家企业使用该名称，请用统一社会信用代码查看："
                              + "、".join(f"{c.name}（{c.credit_code}）" for c in found.candidates[:10]))
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
        following=Watchlists(cfg(request).accounts.path).follows(session.username, comp.credit_code),
        LEVEL_ZH=views.LEVEL_ZH,
        DIMENSION_ZH=views.DIMENSION_ZH,
        SOURCE_KIND_ZH=views.SOURCE_KIND_ZH,
        region_name=views.region_name,
        region_full=full_region_name,
        level_for=level_for,
    )


SORTS = {"score": "冒烟指数", "name": "名称", "rise": "涨幅"}
HIGH_RISK_SPEC = FilterSpec.of("q", "region", "industry", "level", "min_score", "max_score", "sort", "offset",
                               sorts=("index", "name", "rise"), max_offset=MAX_OFFSET)


def high_risk(request: Request) -> Response:
    session = require(request)
    p = request.query_params
    fl = parse_filters(p, HIGH_RISK_SPEC, strict=False)
    f = {"q": fl.q, "region": fl.region, "industry": fl.industry, "level": fl.level, "min_score": fl.min_score,
         "max_score": fl.max_score}
    sort = {"index": "score"}.get(fl.sort, fl.sort) or "score"
    offset = fl.offset
    threshold = high_risk_threshold()
    min_score = max(threshold, f["min_score"] or threshold)
    q = CompanyQuery(
        text=f["q"], region=f["region"], industry=f["industry"], level=f["level"] if f["level"] in high_levels() else "",
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
        total_capped=page.total_is_lower_bound,
        f=f,
        sort=sort,
        SORTS=SORTS,
        offset=offset,
        next_url=next_url,
        base_qs=urlencode({k: v for k, v in base.items() if k != "sort"}),
        LEVEL_ZH=views.LEVEL_ZH,
        region_name=views.region_name,
    )




def runs(request: Request) -> Response:
    require(request)
    items = store(request).list_runs(limit=50)
    return render(request, "runs.html", runs=items, health=views.source_health(items))


routes = [
    Route("/", dashboard, methods=["GET"]),
    Route("/search", search, methods=["GET"]),
    Route("/company/{credit_code}", company, methods=["GET"]),
    Route("/high-risk", high_risk, methods=["GET"]),
    Route("/runs", runs, methods=["GET"]),
]
