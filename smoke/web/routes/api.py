"""JSON API under /api/v1: bearer tokens, same permissions as the pages, errors as
JSON ``{"error": message, "status": code}``."""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smoke.accounts import AccountError, LoginRefused, Session, can
from smoke.exports import ExportError
from smoke.service.alerts import AlertFilters, list_alerts
from smoke.service.companies import MAX_KEY, lookup_company
from smoke.service.filters import FilterError, Filters, FilterSpec, parse_filters
from smoke.service.search import company_row, document_row, search_companies, search_documents
from smoke.sources import UnknownSource, source_overview, switch_source
from smoke.web.api_json import JSONResponse
from smoke.web.context import ApiError, cfg, client_addr, slow_refusal, store
from smoke.web.openapi import openapi_spec
from smoke.web.profile import company_profile
from smoke.web.routes.admin import export_params, file_response, run_export

MAX_LIMIT = 200


def _bearer(request: Request, permission: str = "read") -> Session:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "missing bearer token", {"WWW-Authenticate": "Bearer"})
    session = cfg(request).accounts.get_session(token.strip(), "api")
    if session is None:
        raise ApiError(401, "invalid or expired token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if not can(session.role, permission):
        raise ApiError(403, f"role {session.role} may not do this")
    return session


def _audit(request: Request, session: Session, action: str, detail: dict[str, Any], rows: int | None = None) -> None:
    cfg(request).accounts.audit(session.username, action, {**detail, "via": "api"}, rows, client_addr(request))


def _only(p: Any, allowed: set[str]) -> None:
    """Unknown query parameters are refused, so a typo is not silently ignored."""
    unknown = sorted(set(p.keys()) - allowed)
    if unknown:
        raise ApiError(400, f"unknown parameter(s): {', '.join(repr(k) for k in unknown)}; expected {', '.join(sorted(allowed))}")


def _str(p: Any, key: str, max_len: int) -> str:
    v = str(p.get(key, "") or "")
    if len(v) > max_len:
        raise ApiError(400, f"{key}: expected at most {max_len} characters")
    return v


def _int(p: Any, key: str, default: int, hi: int) -> int:
    raw = p.get(key)
    if raw is None:
        return default
    try:
        v = int(raw)
    except ValueError:
        raise ApiError(400, f"{key}: expected an integer") from None
    if not 0 <= v <= hi:
        raise ApiError(400, f"{key}: expected 0 to {hi}")
    return v


def _filters(p: Any, spec: FilterSpec) -> Filters:
    """The service's strict filter parser: a bad value is a 400 naming the field and what it takes."""
    _only(p, set(spec.allowed))
    try:
        return parse_filters(p, spec, strict=True)
    except FilterError as exc:
        raise ApiError(400, str(exc)) from None


COMPANY_SPEC = FilterSpec.of("q", "min_score", "max_score", "region", "industry", "level", "sort", "limit", "offset",
                             sorts=("relevance", "index", "rise", "name"), default_limit=50, max_limit=MAX_LIMIT)
DOCUMENT_SPEC = FilterSpec.of("q", "kind", "source_kind", "date_from", "date_to", "sort", "limit", "offset",
                              sorts=("relevance", "date"), default_limit=50, max_limit=MAX_LIMIT)
ALERT_SPEC = FilterSpec.of("rule", "state", "credit_code", "level", "region", "date_from", "date_to", "limit",
                           "offset", default_limit=50, max_limit=MAX_LIMIT)
EXPORT_FILTERS = {"format", "min_score", "region", "industry", "level"}


def _token(request: Request, body: Any) -> Response:
    if not isinstance(body, dict) or not isinstance(body.get("username"), str) or not isinstance(body.get("password"), str):
        raise ApiError(400, "body: expected JSON object with string fields username and password")
    username, password = body["username"], body["password"]
    if len(username) > 64 or len(password) > 1024:
        raise ApiError(400, "body: username at most 64 and password at most 1024 characters")
    accounts = cfg(request).accounts
    client = client_addr(request)
    user = accounts.check_login(username, password, client)  # LoginRefused: answered by token()
    if user is None:
        accounts.audit(username or "-", "login_failed", {"via": "api"}, None, client)
        raise ApiError(401, "wrong username or password", {"WWW-Authenticate": "Bearer"})
    token, session = accounts.create_session(user.username, "api")
    accounts.audit(user.username, "token", {"via": "api"}, None, client)
    return JSONResponse({"access_token": token, "token_type": "bearer", "expires": session.expires, "role": user.role})


def _json_body(raw: bytes) -> Any:
    """A request body as JSON: capped in size, a clear 400 when it is not JSON."""
    if len(raw) > 20_000:
        raise ApiError(400, "body: too large")
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "body: expected JSON") from None


async def token(request: Request) -> Response:
    body = _json_body(await request.body())
    try:
        if isinstance(body, dict) and isinstance(body.get("username"), str):
            # a flood's repeats are refused here, without a worker thread
            cfg(request).accounts.precheck_login(body["username"][:64], client_addr(request))
        return await run_in_threadpool(_token, request, body)
    except LoginRefused as exc:
        await slow_refusal()
        raise ApiError(429, f"too many login attempts ({exc.reason}); try again later",
                       {"Retry-After": str(exc.retry_after_s)}) from None


def companies(request: Request) -> Response:
    session = _bearer(request)
    p = request.query_params
    f = _filters(p, COMPANY_SPEC)
    hits, total, capped = search_companies(store(request), f)
    items = [company_row(h.company, h.smoke_index, h.level) for h in hits]
    _audit(request, session, "search", {k: v for k, v in p.items()}, total)
    headers = {"X-Total-Count": str(total)}
    if capped:  # more than core.COUNT_CAP companies match: the store stopped counting
        headers["X-Total-Capped"] = "true"
    return JSONResponse(items, headers=headers)


def company(request: Request) -> Response:
    """One company by credit code (full-width too) or exact name, like the page: 404 when
    absent, 409 listing the candidates when a name is shared; never a fuzzy match."""
    session = _bearer(request)
    code = request.path_params["credit_code"][:MAX_KEY]
    s = store(request)
    found = lookup_company(s, code)
    profile = company_profile(s, found.company.credit_code) if found.company else None
    _audit(request, session, "view_company", {"credit_code": code[:64], "found": profile is not None})
    if found.status == "ambiguous":
        return JSONResponse({"error": f"ambiguous: {found.matches} matches; give the credit code", "status": 409,
                             "candidates": [{"credit_code": c.credit_code, "name": c.name} for c in found.candidates]},
                            status_code=409)
    if profile is None:
        raise ApiError(404, "no such company")
    return JSONResponse(profile)


def documents(request: Request) -> Response:
    """Crawled documents matching ``q`` and filters, each with its kind and the companies it concerns."""
    session = _bearer(request)
    p = request.query_params
    f = _filters(p, DOCUMENT_SPEC)
    result = search_documents(store(request), f)
    items = [document_row(h.document, result.kinds.get(h.document.id, ""), h.highlight) for h in result.hits]
    _audit(request, session, "search_documents", {k: v for k, v in p.items()}, result.total)
    headers = {"X-Total-Count": str(result.total)}
    if result.capped:  # more than core.COUNT_CAP documents match: the store stopped counting
        headers["X-Total-Capped"] = "true"
    return JSONResponse(items, headers=headers)


def alerts(request: Request) -> Response:
    """Alerts, newest first, filtered by rule, state, company, band, region and date."""
    session = _bearer(request)
    p = request.query_params
    f = _filters(p, ALERT_SPEC)
    af = AlertFilters(rule=_str(p, "rule", 40), state=_str(p, "state", 12), credit_code=_str(p, "credit_code", 18),
                      level=f.level, region=f.region, date_from=f.date_from, date_to=f.date_to)
    try:
        rows, total = list_alerts(store(request), af, limit=f.limit, offset=f.offset)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    _audit(request, session, "read_alerts", {k: v for k, v in p.items()}, total)
    return JSONResponse(rows, headers={"X-Total-Count": str(total)})


def export(request: Request) -> Response:
    session = _bearer(request, "export")
    _only(request.query_params, EXPORT_FILTERS)
    try:
        fmt, min_score, filters = export_params(request.query_params)
    except ExportError as exc:
        raise ApiError(400, str(exc)) from None
    path, manifest = run_export(request, session.username, fmt, min_score, filters)
    return file_response(path, fmt, manifest)


def audit_log(request: Request) -> Response:
    session = _bearer(request, "admin")
    p = request.query_params
    _only(p, {"limit", "offset", "username", "action"})
    entries = cfg(request).accounts.list_audit(
        limit=_int(p, "limit", 100, 1000),
        offset=_int(p, "offset", 0, 1_000_000),
        username=_str(p, "username", 64),
        action=_str(p, "action", 40),
    )
    _audit(request, session, "read_audit", {}, len(entries))
    return JSONResponse([e.to_dict() for e in entries])


def sources(request: Request) -> Response:
    session = _bearer(request, "admin")
    _only(request.query_params, set())
    rows = source_overview(store(request))
    _audit(request, session, "read_sources", {}, len(rows))
    return JSONResponse(rows)


def _source_switch(request: Request, raw: bytes) -> Response:
    session = _bearer(request, "admin")  # before looking at the body: no token is a 401 whatever it holds
    name = request.path_params["name"]
    body = _json_body(raw)
    if not isinstance(body, dict) or not isinstance(body.get("enabled"), bool):
        raise ApiError(400, "body: expected a JSON object with a boolean field enabled (and an optional string reason)")
    extra = sorted(set(body) - {"enabled", "reason"})
    if extra:
        raise ApiError(400, f"body: unknown field(s) {', '.join(repr(k) for k in extra)}; expected enabled, reason")
    reason = body.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 500:
        raise ApiError(400, "reason: expected a string of at most 500 characters")
    s = store(request)
    try:
        switch_source(s, name, body["enabled"], session.username, reason)
    except UnknownSource:
        raise ApiError(404, "no such source") from None
    action = "enable" if body["enabled"] else "disable"
    _audit(request, session, f"source_{action}", {"source": name, "reason": reason.strip()})
    row = next(r for r in source_overview(s) if r["name"] == name)
    return JSONResponse(row)


async def source_switch(request: Request) -> Response:
    raw = await request.body()
    return await run_in_threadpool(_source_switch, request, raw)


def tokens(request: Request) -> Response:
    """The caller's live API tokens (an admin's: everyone's), by id; never the tokens."""
    session = _bearer(request)
    _only(request.query_params, set())
    owner = "" if can(session.role, "admin") else session.username
    return JSONResponse({"tokens": cfg(request).accounts.list_tokens(owner)})


def revoke_token(request: Request) -> Response:
    """End an API token by id (one's own; an admin: anyone's)."""
    session = _bearer(request)
    owner = "" if can(session.role, "admin") else session.username
    try:
        gone = cfg(request).accounts.revoke_token(request.path_params["token_id"], owner)
    except AccountError as exc:
        raise ApiError(400, str(exc)) from None
    if not gone:
        raise ApiError(404, "no such token")
    _audit(request, session, "token_revoke", {"token": request.path_params["token_id"]})
    return JSONResponse({"revoked": request.path_params["token_id"]})


def openapi(request: Request) -> Response:
    return JSONResponse(openapi_spec())


routes = [
    Route("/api/v1/openapi.json", openapi, methods=["GET"]),
    Route("/api/v1/auth/token", token, methods=["POST"]),
    Route("/api/v1/auth/tokens", tokens, methods=["GET"]),
    Route("/api/v1/auth/tokens/{token_id}", revoke_token, methods=["DELETE"]),
    Route("/api/v1/companies", companies, methods=["GET"]),
    Route("/api/v1/companies/{credit_code}", company, methods=["GET"]),
    Route("/api/v1/documents", documents, methods=["GET"]),
    Route("/api/v1/alerts", alerts, methods=["GET"]),
    Route("/api/v1/export", export, methods=["POST"]),  # a state change (a file, an audit row): never a GET
    Route("/api/v1/audit", audit_log, methods=["GET"]),
    Route("/api/v1/sources", sources, methods=["GET"]),
    Route("/api/v1/sources/{name}", source_switch, methods=["POST"]),
]
