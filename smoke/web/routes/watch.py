"""Pages for daily triage: the alert inbox (grouped per company and day, filters, bulk
acknowledgement, assignee and notes), following companies, and batch screening."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from smoke.alerts.triage import (
    STATES,
    TriageError,
    TriageFilter,
    acknowledge_many,
    add_note,
    assign,
    list_groups,
)
from smoke.labels import level_names
from smoke.screening import MAX_BYTES, MAX_ROWS, STATUS_ZH, ScreeningError, screen_file
from smoke.watchlist import WatchError, Watchlists
from smoke.web import views
from smoke.web.context import audit, cfg, check_csrf, render, require, store

MAX_IDS = 2000  # alerts one bulk action may touch
LEVEL_ZH = level_names()  # one place: smoke.labels


def watchlists(request: Request) -> Watchlists:
    return Watchlists(cfg(request).accounts.path)


def _text(p: Any, key: str, cap: int) -> str:
    return str(p.get(key, "") or "").strip()[:cap]


def _filters(p: Any, username: str, wl: Watchlists) -> tuple[TriageFilter, str]:
    """Lenient, like every page: an unknown value is dropped and named in a notice."""
    state = _text(p, "state", 10)
    if not state:  # the inbox's old link: ?open=0 for all, ?open=1 (default) for the open ones
        state = "all" if p.get("open") == "0" else "open"
    f = TriageFilter(rule=_text(p, "rule", 20), band=_text(p, "band", 10), region=_text(p, "region", 6),
                     assignee=_text(p, "assignee", 64), state=state, day=_text(p, "day", 10))
    notices = []
    for name, ok, reset in (
        ("rule", not f.rule or f.rule in views.ALERT_RULE_ZH, ""),
        ("band", not f.band or f.band in LEVEL_ZH, ""),
        ("region", not f.region or f.region.isdigit(), ""),
        ("state", f.state in STATES, "open"),
    ):
        if not ok:
            setattr(f, name, reset)
            notices.append(name)
    try:
        f.check()
    except TriageError as exc:
        f.day = ""
        notices.append(str(exc).split(":")[0])
    if p.get("mine") == "1":
        f.credit_codes = wl.codes(username)
    notice = f"已忽略无法识别的筛选条件：{'、'.join(notices)}" if notices else ""
    return f, notice


def alerts(request: Request) -> Response:
    session = require(request)
    p = request.query_params
    wl = watchlists(request)
    f, notice = _filters(p, session.username, wl)
    groups = list_groups(store(request), f, limit=200)
    qs = urlencode({k: v for k, v in p.items()})
    return render(request, "alerts.html", groups=groups, f=f, mine=p.get("mine") == "1", notice=notice,
                  back=f"/alerts?{qs}" if qs else "/alerts", rule_zh=views.ALERT_RULE_ZH,
                  delivery_zh=views.DELIVERY_STATE_ZH, LEVEL_ZH=LEVEL_ZH, STATES={"open": "未确认", "acked": "已确认",
                                                                                  "all": "全部"},
                  region_name=views.region_name)


def _ids(form: Any) -> list[str]:
    """Alert ids from a form: ``ids`` fields, each one id or a group's ids joined by commas."""
    out: list[str] = []
    for raw in form.getlist("ids"):
        out.extend(x.strip() for x in str(raw).split(",") if x.strip())
    return list(dict.fromkeys(out))[:MAX_IDS]


def _back(form: Any) -> str:
    back = str(form.get("back", "") or "")
    return back if back.startswith("/alerts") and "//" not in back and "\\" not in back else "/alerts"


def _ack_one(request: Request, form: Any) -> Response:
    session = require(request, "ack_alerts")
    check_csrf(request, form, session)
    alert_id = request.path_params["alert_id"]
    s = store(request)
    found = s.get_alert(alert_id)
    if found is None:
        return render(request, "error.html", status_code=404, status=404, message="未找到该预警。")
    done, _ = acknowledge_many(s, [alert_id], session.username)
    if done:
        audit(request, session, "ack_alert", {"alert_id": alert_id, "credit_code": found.credit_code})
    return RedirectResponse(_back(form), status_code=303)


def _ack_bulk(request: Request, form: Any) -> Response:
    session = require(request, "ack_alerts")
    check_csrf(request, form, session)
    ids = _ids(form)
    done, missing = acknowledge_many(store(request), ids, session.username)
    if done:
        audit(request, session, "ack_alerts_bulk", {"alert_ids": done[:200], "count": len(done)}, len(done))
    if missing and not done:
        return render(request, "error.html", status_code=404, status=404, message="未找到所选预警。")
    return RedirectResponse(_back(form), status_code=303)


def _triage(request: Request, form: Any) -> Response:
    session = require(request, "ack_alerts")
    check_csrf(request, form, session)
    ids = _ids(form)
    s = store(request)
    try:
        if not ids:
            raise TriageError("ids: expected at least one alert")
        if "assignee" in form:
            changed = assign(s, ids, str(form.get("assignee", "")))
            if changed:
                audit(request, session, "alert_assign", {"alert_ids": changed[:200],
                                                         "assignee": str(form.get("assignee", "")).strip()})
        note = str(form.get("note", "") or "").strip()
        if note:
            add_note(s, ids, note, session.username)
            audit(request, session, "alert_note", {"alert_ids": ids[:200], "chars": len(note)})
    except TriageError as exc:
        return render(request, "error.html", status_code=400, status=400, message=f"无法保存：{exc}")
    return RedirectResponse(_back(form), status_code=303)


def _follow(request: Request, form: Any) -> Response:
    session = require(request)
    check_csrf(request, form, session)
    code = request.path_params["credit_code"][:64]
    wl = watchlists(request)
    if form.get("action") == "unfollow":
        if wl.remove(session.username, code):
            audit(request, session, "watch_remove", {"credit_code": code})
    else:
        try:
            entry, new = wl.add(store(request), session.username, code)
        except WatchError:
            return render(request, "error.html", status_code=404, status=404, message="未找到该企业。")
        if new:
            audit(request, session, "watch_add", {"credit_code": entry.credit_code})
    back = str(form.get("back", "") or "")
    back = back if back in ("/watchlist",) else f"/company/{quote(code, safe='')}"
    return RedirectResponse(back, status_code=303)


def watchlist_page(request: Request) -> Response:
    session = require(request)
    wl = watchlists(request)
    entries = wl.entries(session.username)
    codes = [e.credit_code for e in entries]
    s = store(request)
    companies, scores = s.get_companies(codes), s.latest_scores(codes)
    return render(request, "watchlist.html", entries=entries, companies=companies, scores=scores,
                  email=wl.email(session.username), LEVEL_ZH=LEVEL_ZH)


def screening_page(request: Request) -> Response:
    require(request)
    return render(request, "screening.html", error="", MAX_ROWS=MAX_ROWS, STATUS_ZH=STATUS_ZH)


def screening_response(result: Any, data: bytes) -> Response:
    counts = result.counts()
    name = f"screening-{result.created[:10]}.xlsx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "X-Screening-Rows": str(len(result.rows)),
                             "X-Screening-Counts": ",".join(f"{k}={v}" for k, v in counts.items())})


async def read_upload(form: Any, field: str = "file") -> tuple[str, bytes]:
    """(file name, bytes) of an uploaded file, at most MAX_BYTES; ScreeningError otherwise."""
    upload = form.get(field)
    if not isinstance(upload, UploadFile):
        raise ScreeningError(f"{field}: expected an uploaded CSV or XLSX file (multipart form field {field!r})")
    data = await upload.read(MAX_BYTES + 1)
    name = (upload.filename or "upload")[-200:]
    if len(data) > MAX_BYTES:
        raise ScreeningError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB; at most {MAX_ROWS:,} rows per screening")
    return name, data


def _screen(request: Request, form: Any, name: str, data: bytes) -> Response:
    session = require(request)
    check_csrf(request, form, session)
    try:
        result, workbook = screen_file(store(request), data, name)
    except ScreeningError as exc:
        return render(request, "screening.html", status_code=400, error=str(exc), MAX_ROWS=MAX_ROWS,
                      STATUS_ZH=STATUS_ZH)
    audit(request, session, "screening", {"file": name, "rows": len(result.rows),
                                          **{k: v for k, v in result.counts().items() if v}}, len(result.rows))
    return screening_response(result, workbook)


async def screening_upload(request: Request) -> Response:
    form = await request.form(max_files=1, max_fields=5)
    try:
        name, data = await read_upload(form)
    except ScreeningError as exc:
        require(request)
        return render(request, "screening.html", status_code=400, error=str(exc), MAX_ROWS=MAX_ROWS, STATUS_ZH=STATUS_ZH)
    return await run_in_threadpool(_screen, request, form, name, data)


def _post(handler: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=MAX_IDS + 10)
        return await run_in_threadpool(handler, request, form)

    return endpoint


routes = [
    Route("/alerts", alerts, methods=["GET"]),
    Route("/alerts/ack", _post(_ack_bulk), methods=["POST"]),
    Route("/alerts/triage", _post(_triage), methods=["POST"]),
    Route("/alerts/{alert_id}/ack", _post(_ack_one), methods=["POST"]),
    Route("/watch/{credit_code}", _post(_follow), methods=["POST"]),
    Route("/watchlist", watchlist_page, methods=["GET"]),
    Route("/screening", screening_page, methods=["GET"]),
    Route("/screening", screening_upload, methods=["POST"]),
]
