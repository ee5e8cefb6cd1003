"""court.sandbox.test: judgments (HTML list and detail) and the 失信被执行人 JSON API."""

from __future__ import annotations

import json
from html import escape

from sandbox import render
from sandbox.sites.common import Request, Response, json_response, next_link, not_found, page

PER_PAGE = 20


def handle(req: Request) -> Response:
    path = req.path.rstrip("/") or "/"
    if path == "/":
        return Response(200, page("裁判文书", '<h1>裁判文书</h1><p><a href="/judgments?page=1">文书列表</a></p>'),
                        last_modified=req.as_of, html=True)
    if path == "/judgments":
        n = req.int_arg("page", 1)
        rows = req.db.execute("SELECT id, date, title FROM judgments WHERE date <= ? ORDER BY date DESC, id LIMIT ? OFFSET ?",
                              (req.as_of, PER_PAGE + 1, (n - 1) * PER_PAGE)).fetchall()
        items = [f'<li><a class="judgment" href="/judgment/{jid}">{escape(title)}</a><span class="date">{date}</span></li>'
                 for jid, date, title in rows[:PER_PAGE]]
        nxt = f"/judgments?page={n + 1}" if len(rows) > PER_PAGE else None
        body = f"<h1>裁判文书 第{n}页</h1>\n<ul class=\"judgments\">\n" + "\n".join(items) + "\n</ul>\n" + next_link(nxt)
        return Response(200, page(f"裁判文书列表 第{n}页", body), last_modified=rows[0][1] if rows else req.as_of, html=True)
    if path.startswith("/judgment/"):
        return _judgment(req, path[len("/judgment/"):])
    if path == "/api/dishonest":
        return _dishonest(req)
    return not_found()


def _judgment(req: Request, jid: str) -> Response:
    row = req.db.execute("SELECT date, title, data FROM judgments WHERE id = ?", (jid,)).fetchone()
    if not row or row[0] > req.as_of:
        return not_found("文书不存在")
    date, title, data = row
    j = json.loads(data)
    prof_row = req.db.execute("SELECT profile FROM companies WHERE code = ?", (j["code"],)).fetchone()
    prof = json.loads(prof_row[0]) if prof_row else {"brands": []}
    text = render.judgment_text(j, prof)
    if "script" in req.behaviours:
        text += "\n" + render.SCRIPT
    meta = [("案号", j["case_no"]), ("法院", j["court"]), ("裁判日期", date), ("案由", j["cause"]), ("文书类型", j["doc_type"])]
    if j.get("amount"):
        meta.append(("涉案金额", f"{j['amount']}元"))
    parties = []
    for p in j["parties"]:
        cc = f' data-credit-code="{escape(p["credit_code"])}"' if p.get("credit_code") else ""
        parties.append(f'<li data-role="{p["role"]}"{cc}>{escape(p["name"])}</li>')
    body = (f'<h1 class="title">{escape(title)}</h1>\n<dl class="meta">'
            + "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in meta)
            + '</dl>\n<ul class="parties">' + "".join(parties) + "</ul>\n<div class=\"content\">"
            + "".join(f"<p>{escape(line)}</p>" for line in text.split("\n")) + "</div>")
    return Response(200, page(title, body, published=date), last_modified=date, html=True)


def _dishonest(req: Request) -> Response:
    n = req.int_arg("page", 1)
    size = req.int_arg("size", 50, 1, 200)
    total = req.db.execute("SELECT count(*) FROM dishonest WHERE publish_date <= ?", (req.as_of,)).fetchone()[0]
    rows = req.db.execute("SELECT data FROM dishonest WHERE publish_date <= ? ORDER BY publish_date, id LIMIT ? OFFSET ?",
                          (req.as_of, size, (n - 1) * size)).fetchall()
    items = [json.loads(r[0]) for r in rows]
    return json_response({"total": total, "page": n, "size": size, "items": items})
