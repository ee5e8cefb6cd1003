"""API for daily work: the caller's watchlist, batch screenings, and alert triage.

Strict like the rest of /api/v1: an unknown parameter or a bad value is a 400 naming it."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smoke.alerts.triage import TriageError, TriageFilter, acknowledge_many, add_note, assign, list_groups
from smoke.screening import ScreeningError, screen_file
from smoke.watchlist import WatchError, Watchlists
from smoke.web.api_json import JSONResponse
from smoke.web.context import ApiError, cfg, store
from smoke.web.routes.api import _audit, _bearer, _int, _json_body, _only, _str
from smoke.web.routes.watch import MAX_IDS, read_upload, screening_response


def _watchlists(request: Request) -> Watchlists:
    return Watchlists(cfg(request).accounts.path)


def _code_from(body: Any) -> str:
    if not isinstance(body, dict) or not isinstance(body.get("credit_code"), str) or not body["credit_code"].strip():
        raise ApiError(400, "body: expected a JSON object with a string field credit_code")
    extra = sorted(set(body) - {"credit_code"})
    if extra:
        raise ApiError(400, f"body: unknown field(s) {', '.join(repr(k) for k in extra)}; expected credit_code")
    return body["credit_code"][:64]


def _list(request: Request) -> Response:
    session = _bearer(request)
    _only(request.query_params, set())
    entries = _watchlists(request).entries(session.username)
    codes = [e.credit_code for e in entries]
    s = store(request)
    companies, scores = s.get_companies(codes), s.latest_scores(codes)
    items = []
    for e in entries:
        c, sc = companies.get(e.credit_code), scores.get(e.credit_code)
        items.append({"credit_code": e.credit_code, "name": c.name if c else "", "added": e.added,
                      "smoke_index": round(sc.smoke_index, 1) if sc else None, "level": sc.level if sc else ""})
    _audit(request, session, "watch_list", {}, len(items))
    return JSONResponse(items)


def _add(request: Request, raw: bytes) -> Response:
    session = _bearer(request)
    code = _code_from(_json_body(raw))
    try:
        entry, new = _watchlists(request).add(store(request), session.username, code)
    except WatchError as exc:
        raise ApiError(404 if "no company" in str(exc) else 400, str(exc)) from None
    if new:
        _audit(request, session, "watch_add", {"credit_code": entry.credit_code})
    return JSONResponse({"credit_code": entry.credit_code, "added": entry.added, "new": new},
                        status_code=201 if new else 200)


def _remove(request: Request, raw: bytes) -> Response:
    session = _bearer(request)
    code = request.path_params.get("credit_code") or request.query_params.get("credit_code")
    _only(request.query_params, set() if request.path_params.get("credit_code") else {"credit_code"})
    if not code:
        code = _code_from(_json_body(raw))
    if not _watchlists(request).remove(session.username, code[:64]):
        raise ApiError(404, "not in your watchlist")
    _audit(request, session, "watch_remove", {"credit_code": code[:64]})
    return JSONResponse({"removed": code[:64]})


def _with_body(handler: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        raw = await request.body()
        return await run_in_threadpool(handler, request, raw)

    return endpoint


async def watchlist(request: Request) -> Response:
    if request.method == "POST":
        return await _with_body(_add)(request)
    if request.method == "DELETE":
        return await _with_body(_remove)(request)
    return await run_in_threadpool(_list, request)


def _screen(request: Request, name: str, data: bytes) -> Response:
    session = _bearer(request)
    try:
        result, workbook = screen_file(store(request), data, name)
    except ScreeningError as exc:
        raise ApiError(400, str(exc)) from None
    _audit(request, session, "screening", {"file": name, "rows": len(result.rows),
                                           **{k: v for k, v in result.counts().items() if v}}, len(result.rows))
    return screening_response(result, workbook)


async def screenings(request: Request) -> Response:
    await run_in_threadpool(_bearer, request)  # no token: 401 before the upload is read
    _only(request.query_params, set())
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "body: expected multipart/form-data with a CSV or XLSX file in field 'file'")
    form = await request.form(max_files=1, max_fields=5)
    try:
        name, data = await read_upload(form)
    except ScreeningError as exc:
        raise ApiError(400, str(exc)) from None
    return await run_in_threadpool(_screen, request, name, data)


# --- alert triage ------------------------------------------------------------------------


def groups(request: Request) -> Response:
    session = _bearer(request)
    p = request.query_params
    _only(p, {"rule", "band", "region", "assignee", "state", "day", "mine", "limit"})
    if "day" in p and not p["day"]:
        raise ApiError(400, "day: expected YYYY-MM-DD (leave the parameter out for every day)")
    mine = _str(p, "mine", 1)
    if mine not in ("", "0", "1"):
        raise ApiError(400, "mine: expected 0 or 1")
    f = TriageFilter(rule=_str(p, "rule", 20), band=_str(p, "band", 10), region=_str(p, "region", 6),
                     assignee=_str(p, "assignee", 64), state=_str(p, "state", 10) or "open", day=_str(p, "day", 10))
    if f.rule and f.rule not in ("crossing", "rise", "critical"):
        raise ApiError(400, "rule: expected one of crossing, rise, critical")
    if mine == "1":
        f.credit_codes = _watchlists(request).codes(session.username)
    try:
        found = list_groups(store(request), f, limit=_int(p, "limit", 100, 1000))
    except TriageError as exc:
        raise ApiError(400, str(exc)) from None
    _audit(request, session, "alert_groups", {k: v for k, v in p.items()}, len(found))
    return JSONResponse([g.to_dict() for g in found])


def _ids(body: Any, allowed: set[str]) -> list[str]:
    if not isinstance(body, dict) or not isinstance(body.get("ids"), list) or not body["ids"] \
            or not all(isinstance(i, str) and 0 < len(i) <= 100 for i in body["ids"]):
        raise ApiError(400, "ids: expected a non-empty list of alert ids (strings)")
    extra = sorted(set(body) - allowed)
    if extra:
        raise ApiError(400, f"body: unknown field(s) {', '.join(repr(k) for k in extra)}; expected {', '.join(sorted(allowed))}")
    if len(body["ids"]) > MAX_IDS:
        raise ApiError(400, f"ids: at most {MAX_IDS} alerts at once")
    return list(dict.fromkeys(body["ids"]))


def _ack(request: Request, raw: bytes) -> Response:
    session = _bearer(request, "ack_alerts")
    ids = _ids(_json_body(raw), {"ids"})
    done, missing = acknowledge_many(store(request), ids, session.username)
    if done:
        _audit(request, session, "ack_alerts_bulk", {"alert_ids": done[:200], "count": len(done)}, len(done))
    return JSONResponse({"acknowledged": done, "missing": missing})


def _triage(request: Request, raw: bytes) -> Response:
    session = _bearer(request, "ack_alerts")
    body = _json_body(raw)
    ids = _ids(body, {"ids", "assignee", "note"})
    if "assignee" not in body and "note" not in body:
        raise ApiError(400, "body: expected assignee and/or note besides ids")
    for key in ("assignee", "note"):
        if key in body and not isinstance(body[key], str):
            raise ApiError(400, f"{key}: expected a string")
    s = store(request)
    try:
        if "assignee" in body:
            changed = assign(s, ids, body["assignee"])
            if changed:
                _audit(request, session, "alert_assign", {"alert_ids": changed[:200], "assignee": body["assignee"].strip()})
        if body.get("note", "").strip():
            add_note(s, ids, body["note"], session.username)
            _audit(request, session, "alert_note", {"alert_ids": ids[:200], "chars": len(body["note"].strip())})
    except TriageError as exc:
        raise ApiError(404 if str(exc).startswith("no such alert") else 400, str(exc)) from None
    return JSONResponse({"ids": ids})


routes = [
    # One route for the three methods, so a 405 lists all of them in Allow.
    Route("/api/v1/watchlist", watchlist, methods=["GET", "POST", "DELETE"]),
    Route("/api/v1/watchlist/{credit_code}", _with_body(_remove), methods=["DELETE"]),
    Route("/api/v1/screenings", screenings, methods=["POST"]),
    Route("/api/v1/alerts/groups", groups, methods=["GET"]),
    Route("/api/v1/alerts/ack", _with_body(_ack), methods=["POST"]),
    Route("/api/v1/alerts/triage", _with_body(_triage), methods=["POST"]),
]
