"""Exports for auditors, users and the audit log for admins."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from smoke import labels
from smoke.accounts import ROLES, AccountError
from smoke.exports import FORMATS, ExportError, media_type, neutralise, write_export
from smoke.service.filters import FilterError, FilterSpec, parse_filters
from smoke.service.threshold import high_risk
from smoke.sources import UnknownSource, source_overview, switch_source
from smoke.web import views
from smoke.web.context import ApiError, audit, cfg, check_csrf, render, require, store

EXPORT_SPEC = FilterSpec.of("format", "min_score", "region", "industry", "level", formats=tuple(FORMATS),
                            default_format="csv")


def export_params(p: Any) -> tuple[str, float, dict[str, Any]]:
    """(format, min_score, filters) from query parameters or a form (the service's strict
    parser: unknown fields are ignored here, the API refuses them first), or ExportError
    naming the field."""
    try:
        f = parse_filters({k: v for k, v in p.items() if k in EXPORT_SPEC.allowed}, EXPORT_SPEC, strict=True)
    except FilterError as exc:
        raise ExportError(str(exc)) from None
    filters: dict[str, Any] = {k: v for k, v in (("region", f.region), ("industry", f.industry),
                                                 ("level", f.level)) if v}  # fmt: skip
    return f.format or "csv", high_risk() if f.min_score is None else f.min_score, filters


def run_export(request: Request, username: str, fmt: str, min_score: float, filters: dict[str, Any]) -> tuple[Path, dict]:
    """Write an export into a temporary folder under the export dir; audit it; return (file, manifest)."""
    base = cfg(request).export_dir
    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="export-", dir=base))
    path = folder / f"smokewatch-high-risk.{fmt}"
    manifest = write_export(store(request), path, fmt=fmt, min_score=min_score, filters=filters)
    cfg(request).accounts.audit(
        username,
        "export",
        {"format": fmt, "min_score": min_score, "filters": filters, "sha256": manifest["sha256"],
         "model_versions": manifest["model_versions"], "as_of": manifest["as_of"]},
        manifest["row_count"],
        request.client.host if request.client else "",
    )  # fmt: skip
    return path, manifest


def _cleanup(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".manifest.json")):
        p.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def file_response(path: Path, fmt: str, manifest: dict) -> FileResponse:
    return FileResponse(
        path,
        media_type=media_type(fmt),
        filename=path.name,
        headers={"X-Export-SHA256": manifest["sha256"], "X-Export-Rows": str(manifest["row_count"])},
        background=BackgroundTask(_cleanup, path),
    )


def export_page(request: Request) -> Response:
    require(request, "export")
    return render(request, "export.html", FORMATS=FORMATS, LEVEL_ZH=views.LEVEL_ZH, error="")


def _export_download(request: Request, form: Any) -> Response:
    session = require(request, "export")
    check_csrf(request, form, session)  # an export writes a file and an audit row: never a cross-site GET
    try:
        fmt, min_score, filters = export_params(form)
    except ExportError as exc:
        return render(request, "export.html", status_code=400, FORMATS=FORMATS, LEVEL_ZH=views.LEVEL_ZH, error=str(exc))
    path, manifest = run_export(request, session.username, fmt, min_score, filters)
    return file_response(path, fmt, manifest)


async def export_download(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_export_download, request, form)


def users_page(request: Request, error: str = "", status: int = 200) -> Response:
    require(request, "admin")
    return render(
        request, "users.html", status_code=status, users=cfg(request).accounts.list_users(), ROLES=ROLES, error=error
    )


def _users_post(request: Request, form: Any) -> Response:
    session = require(request, "admin")
    check_csrf(request, form, session)
    accounts = cfg(request).accounts
    action = str(form.get("action", ""))
    username = str(form.get("username", ""))[:64]
    try:
        if action == "add":
            accounts.add_user(username, str(form.get("password", "")), str(form.get("role", "")))
        elif action == "role":
            accounts.set_role(username, str(form.get("role", "")))
        elif action in ("disable", "enable"):
            if username == session.username:
                raise AccountError("username: you cannot disable yourself")
            accounts.set_disabled(username, action == "disable")
        else:
            raise AccountError("action: expected add, role, disable or enable")
    except AccountError as exc:
        return users_page(request, str(exc), 400)
    audit(request, session, f"user_{action}", {"username": username, "role": str(form.get("role", ""))})
    return RedirectResponse("/admin/users", status_code=303)


async def users_post(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_users_post, request, form)


def sources_page(request: Request, error: str = "", status: int = 200) -> Response:
    require(request, "admin")
    return render(request, "sources.html", status_code=status, sources=source_overview(store(request)), error=error)


def _sources_post(request: Request, form: Any) -> Response:
    session = require(request, "admin")
    check_csrf(request, form, session)
    action = str(form.get("action", ""))
    name = str(form.get("name", ""))[:64]
    reason = str(form.get("reason", "") or "").strip()
    if action not in ("disable", "enable"):
        return sources_page(request, "action: expected disable or enable", 400)
    if len(reason) > 500:
        return sources_page(request, "reason: expected at most 500 characters", 400)
    try:
        switch_source(store(request), name, action == "enable", session.username, reason)
    except UnknownSource:
        return sources_page(request, f"name: no configured source {name!r}", 400)
    audit(request, session, f"source_{action}", {"source": name, "reason": reason})
    return RedirectResponse("/admin/sources", status_code=303)


async def sources_post(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_sources_post, request, form)


def audit_page(request: Request) -> Response:
    require(request, "admin")
    p = request.query_params
    username = str(p.get("username", ""))[:64]
    action = str(p.get("action", ""))[:40]
    entries = cfg(request).accounts.list_audit(limit=200, username=username, action=action)
    actions = list(labels.labels().audit_actions.items())
    return render(request, "audit.html", entries=entries, username=username, action=action, ACTIONS=actions)


def audit_csv(request: Request) -> Response:
    session = require(request, "admin")
    entries = cfg(request).accounts.list_audit(limit=10_000)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    # Chinese first like the page; the stored codes and the JSON stay for scripts.
    w.writerow(["编号 id", "时间（北京时间） ts", "用户 username", "操作", "操作代码 action", "条件",
                "条件 JSON detail", "行数 row_count", "来源 client"])  # fmt: skip
    for e in entries:
        d = e.to_dict()
        w.writerow([neutralise(v) for v in (
            d["id"], labels.shanghai(d["ts"], seconds=True), d["username"], labels.audit_action_zh(d["action"]),
            d["action"], labels.audit_detail_text(d["detail"]),
            json.dumps(d["detail"], ensure_ascii=False, sort_keys=True), d["row_count"], d["client"])])  # fmt: skip
    audit(request, session, "export_audit", {}, len(entries))
    return Response(
        buf.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="smokewatch-audit.csv"'},
    )


routes = [
    Route("/export", export_page, methods=["GET"]),
    Route("/export/download", export_download, methods=["POST"]),
    Route("/admin/users", users_page, methods=["GET"]),
    Route("/admin/users", users_post, methods=["POST"]),
    Route("/admin/sources", sources_page, methods=["GET"]),
    Route("/admin/sources", sources_post, methods=["POST"]),
    Route("/admin/audit", audit_page, methods=["GET"]),
    Route("/admin/audit.csv", audit_csv, methods=["GET"]),
]

__all__ = ["ApiError", "export_params", "file_response", "routes", "run_export"]
