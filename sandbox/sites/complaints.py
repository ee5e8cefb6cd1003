"""complaints.sandbox.test: a complaint platform (黑猫投诉-like): JSON API with cursor
pagination (oldest first) and HTML detail pages."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from sandbox import render
from sandbox.sites.common import Request, Response, json_response, not_found, page

HOST = "complaints.sandbox.test"


def _render(req: Request, cid: str, date: str, code: str, data: str) -> tuple[render.Doc, dict[str, Any]]:
    row = json.loads(data)
    prof_row = req.db.execute("SELECT profile FROM companies WHERE code = ?", (code,)).fetchone()
    prof = json.loads(prof_row[0]) if prof_row else {}
    doc, meta = render.complaint(row, date, prof)
    meta["company"] = row["typed"]
    return doc, meta


def handle(req: Request) -> Response:
    path = req.path.rstrip("/") or "/"
    if path == "/":
        return Response(200, page("投诉平台", "<h1>投诉平台</h1>"), last_modified=req.as_of, html=True)
    if path == "/api/complaints":
        return _api(req)
    if path.startswith("/complaint/"):
        cid = path[len("/complaint/"):]
        row = req.db.execute("SELECT id, date, code, data FROM complaints WHERE id = ?", (cid,)).fetchone()
        if not row or row[1] > req.as_of:
            return not_found("投诉不存在")
        doc, meta = _render(req, *row)
        text = doc.blocks[0][1] + (render.SCRIPT if "script" in req.behaviours else "")
        body = (f'<h1 class="title">{escape(doc.title)}</h1>\n<div class="meta">'
                f'<span class="company">{escape(meta["company"])}</span> <span class="date">{row[1]}</span> '
                f'<span class="amount">{meta["amount"]}</span> <span class="demand">{escape(meta["demand"])}</span> '
                f'<span class="status">{escape(meta["status"])}</span></div>\n<div class="content"><p>{escape(text)}</p></div>')
        return Response(200, page(doc.title, body, published=row[1]), last_modified=row[1], html=True)
    return not_found()


def _api(req: Request) -> Response:
    limit = req.int_arg("limit", 50, 1, 200)
    cursor = req.query.get("cursor", "")
    if cursor:
        date, _, cid = cursor.partition("_")
        rows = req.db.execute("SELECT id, date, code, data FROM complaints WHERE date <= ? AND (date > ? OR (date = ? AND id > ?))"
                              " ORDER BY date, id LIMIT ?", (req.as_of, date, date, cid, limit + 1)).fetchall()
    else:
        rows = req.db.execute("SELECT id, date, code, data FROM complaints WHERE date <= ? ORDER BY date, id LIMIT ?",
                              (req.as_of, limit + 1)).fetchall()
    items = []
    for cid, date, code, data in rows[:limit]:
        doc, meta = _render(req, cid, date, code, data)
        items.append({"id": cid, "title": doc.title, "company": meta["company"], "date": date, "amount": meta["amount"],
                      "demand": meta["demand"], "status": meta["status"], "url": f"http://{HOST}/complaint/{cid}"})
    nxt = f"{rows[limit - 1][1]}_{rows[limit - 1][0]}" if len(rows) > limit else None
    return json_response({"items": items, "next_cursor": nxt})
