"""web.sandbox.test: a directory of the promotional web (a search-engine stand-in)."""

from __future__ import annotations

from html import escape

from sandbox.sites.common import Request, Response, next_link, not_found, page

PER_PAGE = 50


def handle(req: Request) -> Response:
    path = req.path.rstrip("/") or "/"
    if path == "/":
        return Response(200, page("网址导航", '<h1>网址导航</h1><p><a href="/sites?page=1">全部网站</a></p>'),
                        last_modified=req.as_of, html=True)
    if path != "/sites":
        return not_found()
    n = req.int_arg("page", 1)
    rows = req.db.execute("SELECT domain, name FROM sites WHERE first_date <= ? ORDER BY domain LIMIT ? OFFSET ?",
                          (req.as_of, PER_PAGE + 1, (n - 1) * PER_PAGE)).fetchall()
    items = [f'<li><a class="site" href="http://{d}/">{escape(name)}</a></li>' for d, name in rows[:PER_PAGE]]
    nxt = f"/sites?page={n + 1}" if len(rows) > PER_PAGE else None
    body = f"<h1>网站目录 第{n}页</h1>\n<ul class=\"sites\">\n" + "\n".join(items) + "\n</ul>\n" + next_link(nxt)
    return Response(200, page(f"网站目录 第{n}页", body), last_modified=req.as_of, html=True)
