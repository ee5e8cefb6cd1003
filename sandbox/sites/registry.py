"""registry.sandbox.test: a replica of 国家企业信用信息公示系统 (list, search, profile)."""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import quote

from sandbox.sites.common import Request, Response, next_link, not_found, page
from sandbox.world import name_at

PER_PAGE = 50
_KIND_TABLES = (("abnormal", "abnormal", "经营异常名录"), ("penalty", "penalties", "行政处罚信息"),
                ("serious", "serious", "严重违法失信名单"), ("change", "changes", "变更记录"))


def handle(req: Request) -> Response:
    path = req.path.rstrip("/") or "/"
    if "duplicates" in req.behaviours and path.endswith("/index.html"):
        path = path[: -len("/index.html")] or "/"
    if path == "/":
        return Response(200, page("企业信用信息公示系统", '<h1>企业信用信息公示系统</h1><p><a href="/companies?page=1">企业名录</a></p>'
                                  '<form action="/search"><input name="q"></form>'), last_modified=req.as_of, html=True)
    if path == "/companies":
        return _list(req, None)
    if path == "/search":
        return _list(req, req.query.get("q", "").strip())
    if path.startswith("/company/"):
        return _profile(req, path[len("/company/"):])
    return not_found()


def _list(req: Request, q: str | None) -> Response:
    n = req.int_arg("page", 1)
    if q is not None and not q:
        rows: list[Any] = []
    elif q is not None:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = req.db.execute(
            "SELECT code, profile FROM companies WHERE founded <= ? AND name LIKE ? ESCAPE '\\'"
            " ORDER BY code LIMIT ? OFFSET ?", (req.as_of, like, PER_PAGE + 1, (n - 1) * PER_PAGE)).fetchall()
    else:
        rows = req.db.execute("SELECT code, profile FROM companies WHERE founded <= ? ORDER BY code LIMIT ? OFFSET ?",
                              (req.as_of, PER_PAGE + 1, (n - 1) * PER_PAGE)).fetchall()
    more = len(rows) > PER_PAGE
    items = []
    for code, prof in rows[:PER_PAGE]:
        items.append(f'<li><a class="company" href="/company/{code}">{escape(name_at(json.loads(prof), req.as_of))}</a></li>')
    if q is not None:
        nxt = f"/search?q={quote(q)}&page={n + 1}" if more else None
        title = f"搜索：{q}"
    else:
        nxt = f"/companies?page={n + 1}" if more else None
        title = f"企业名录 第{n}页"
    body = f"<h1>{escape(title)}</h1>\n<ul class=\"company-list\">\n" + "\n".join(items) + "\n</ul>\n" + next_link(nxt)
    return Response(200, page(title, body), last_modified=req.as_of, html=True)


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"


def profile_values(prof: dict[str, Any], code: str, as_of: str) -> dict[str, str]:
    names = [n for d, n in prof["names"] if d <= as_of]
    status = "存续"
    for d, s in prof["status"]:
        if d <= as_of:
            status = s
    rep = next((p[0] for p in prof["people"] if p[1] == "法定代表人"), "")
    return {
        "统一社会信用代码": code, "企业名称": names[-1], "曾用名": "；".join(reversed(names[:-1])), "法定代表人": rep,
        "注册资本": f"{prof['capital']}万元人民币", "实缴资本": f"{prof['paid']}万元人民币" if prof["paid"] else "",
        "成立日期": prof["names"][0][0], "登记状态": status, "住所": prof["address"], "行政区划": prof["region"],
        "所属行业": prof["industry"], "经营范围": prof["scope"], "联系电话": "；".join(prof["phones"]),
        "电子邮箱": "；".join(prof["emails"]), "网站": "；".join(d for d, f in prof["websites"] if f <= as_of),
        "品牌": "；".join(prof["brands"]) if any(f <= as_of for _, f in prof["websites"]) or not prof.get("scheme") else "",
    }


def _profile(req: Request, code: str) -> Response:
    row = req.db.execute("SELECT profile, founded FROM companies WHERE code = ?", (code,)).fetchone()
    if not row or row[1] > req.as_of:
        return not_found("查无此企业")
    prof = json.loads(row[0])
    values = profile_values(prof, code, req.as_of)
    parts = [f"<h1>{escape(values['企业名称'])}</h1>", '<table class="profile"><tbody>']
    parts += [_row(k, v) for k, v in values.items()]
    parts.append("</tbody></table>")
    parts.append('<h2>主要人员</h2><table class="people"><thead><tr><th>姓名</th><th>职务</th><th>持股比例</th></tr></thead><tbody>')
    for name, role, share in prof["people"]:
        pct = f"{share}%" if role == "股东" and share is not None else ""
        parts.append(f'<tr><td class="name">{escape(name)}</td><td class="role">{escape(role)}</td><td class="share">{pct}</td></tr>')
    parts.append("</tbody></table>")
    entries = req.db.execute("SELECT kind, date, reason, authority, removed, detail FROM entries WHERE code = ? AND date <= ?"
                             " ORDER BY date, rowid", (code, req.as_of)).fetchall()
    last = values["成立日期"]
    for kind, cls, label in _KIND_TABLES:
        parts.append(f'<h2>{label}</h2><table class="{cls}"><tbody>')
        for k, date, reason, auth, removed, detail in entries:
            if k != kind:
                continue
            last = max(last, date)
            cells = [("date", date), ("reason", reason)]
            if kind == "abnormal":
                cells += [("authority", auth), ("removed", removed if removed and removed <= req.as_of else "")]
            elif kind == "penalty":
                cells += [("detail", detail), ("authority", auth)]
            elif kind == "serious":
                cells += [("authority", auth)]
            else:
                cells += [("detail", detail)]
            parts.append("<tr>" + "".join(f'<td class="{c}">{escape(v)}</td>' for c, v in cells) + "</tr>")
        parts.append("</tbody></table>")
    for d, _ in prof["status"]:
        if d <= req.as_of:
            last = max(last, d)
    return Response(200, page(values["企业名称"], "\n".join(parts), published=values["成立日期"]), last_modified=last, html=True)
