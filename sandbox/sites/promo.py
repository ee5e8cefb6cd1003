"""The promotional web: every other ``*.test`` domain (scheme sites, company sites,
forums, article and news sites, regulators). Pages come from the ``pages`` table and
are rendered by ``sandbox.render``; the site's encoding and header quirks apply."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from sandbox import render
from sandbox.text.grammar import expand, seeded
from sandbox.sites.common import Request, Response, content_html, not_found, page, posts_html

LIST_SIZE = 30
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def handle(req: Request, site: tuple) -> Response:
    domain, kind, first_date, code, encoding, header, name = site
    if first_date > req.as_of:
        return not_found("站点不存在")
    path = req.path or "/"
    dup = "duplicates" in req.behaviours
    if dup:  # the same page under several URLs
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        if len(path) > 1 and path.endswith("/") and not path.endswith(".html/"):
            path = path.rstrip("/") or "/"
        path = path.rstrip("/") if path.endswith(".html/") else path
    if path == "/robots.txt":
        lines = ["User-agent: *"]
        if "robots" in req.behaviours:
            lines += ["Disallow: /private/", "Disallow: /list/", "Crawl-delay: 1"]
        else:
            lines.append("Disallow:")
        lines.append(f"Sitemap: http://{domain}/sitemap.xml")
        return Response(200, "\n".join(lines) + "\n", "text/plain", last_modified=first_date)
    if path == "/sitemap.xml":
        rows = req.db.execute("SELECT path, date FROM pages WHERE domain = ? AND date <= ? ORDER BY path",
                              (domain, req.as_of)).fetchall()
        urls = "".join(f"<url><loc>http://{domain}{escape(p)}</loc><lastmod>{d}</lastmod></url>" for p, d in rows)
        return Response(200, f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n',
                        "application/xml", last_modified=max((d for _, d in rows), default=first_date))
    if path.startswith("/img/"):
        return Response(200, PNG, "image/png", header_charset=None, last_modified=first_date)
    if path == "/big.html" and "oversized" in req.behaviours:
        return _wrap(req, site, "资料下载", f'<div class="content"><p>{escape(name)}</p></div>', first_date, big=True)
    if path.startswith("/calendar/") and "trap" in req.behaviours:
        return _calendar(req, site, path)
    if path.startswith("/private/") and "robots" in req.behaviours:
        return _wrap(req, site, "内部资料", '<div class="content"><p>会员内部资料，请勿外传。</p></div>', first_date)
    row = req.db.execute("SELECT path, date, kind, ptype, code, data FROM pages WHERE domain = ? AND path = ?",
                         (domain, path)).fetchone()
    list_page = 1
    if row is None and path.startswith("/list/") and path.endswith(".html"):
        try:
            list_page = int(path[6:-5])
        except ValueError:
            return not_found()
        path = "/"
    if row is not None and row[1] > req.as_of:
        return not_found()
    if row is None and path != "/":
        return not_found()
    return _page(req, site, row, list_page)


def _profile(req: Request, code: str | None) -> dict[str, Any] | None:
    if not code:
        return None
    r = req.db.execute("SELECT profile FROM companies WHERE code = ?", (code,)).fetchone()
    return json.loads(r[0]) if r else None


def _doc(req: Request, site: tuple, row: tuple) -> tuple[render.Doc, str]:
    path, date, kind, ptype, code, data = row
    extra = json.loads(data)
    seed = extra.get("seed", 0)
    prof = _profile(req, code)
    if ptype.startswith("scheme_"):
        doc = render.scheme_page(prof, ptype[7:], path, seed, date, img=extra.get("img", False))
        coll = prof["scheme"].get("collapse")
        if ptype == "scheme_home" and coll and coll <= req.as_of:  # the site after the collapse
            notice = expand(seeded(seed, "notice"), "【[公告|紧急通知|重要提示]】[因系统升级维护|因第三方支付通道调整|为配合监管检查|由于市场波动]，"
                                                     "[提现功能暂停|暂停一切出金|本金兑付延期{n}个月]，[恢复时间另行通知|请会员耐心等待|请勿听信谣言|"
                                                     "届时将按比例兑付]。", {"n": str(seed % 5 + 2)})
            doc.blocks.insert(0, ("p", notice))
        return doc, "content"
    if ptype == "softad":
        return render.scheme_page(prof, "softad", path, seed, date), "content"
    if ptype.startswith("thread_"):
        return render.thread(prof, ptype[7:], path, seed, date, extra.get("replies", 3), extra.get("end"), req.as_of), "posts"
    if ptype == "warning":
        return render.warning(extra, site[6], date, seed), "content"
    if ptype.startswith("news_"):
        return render.news(extra, date, seed), "content"
    if ptype == "law_article":
        return render.law_article(extra, date, seed), "content"
    if ptype.startswith("ordinary_"):
        return render.ordinary_page(prof, ptype, seed, date, extra.get("industry", "")), "content"
    return render.legit_page(prof, ptype, seed, date, extra.get("annual")), "content"


def _nav(req: Request, site: tuple, list_page: int) -> tuple[str, str]:
    domain = site[0]
    rows = req.db.execute("SELECT path, date, ptype FROM pages WHERE domain = ? AND date <= ? AND path != '/'"
                          " ORDER BY date DESC, path LIMIT ? OFFSET ?",
                          (domain, req.as_of, LIST_SIZE + 1, (list_page - 1) * LIST_SIZE)).fetchall()
    dup = "duplicates" in req.behaviours
    links = []
    for p, d, _ in rows[:LIST_SIZE]:
        href = p + ("?utm_source=share" if dup and len(links) % 2 == 0 else "")
        links.append(f'<li><a href="{escape(href)}">{escape(p)}</a> <span class="date">{d}</span></li>')
    more = ""
    if len(rows) > LIST_SIZE:
        more = f'<a class="next" href="/list/{list_page + 1}.html">下一页</a>'
    extra = ""
    if "trap" in req.behaviours:
        extra += f'<a href="/calendar/{req.as_of[:4]}/{req.as_of[5:7]}">活动日历</a> '
    if "robots" in req.behaviours:
        extra += '<a href="/private/members.html">会员专区</a> '
    if "oversized" in req.behaviours:
        extra += '<a href="/big.html">资料下载</a> '
    if dup:
        extra += '<a href="/index.html">首页</a> '
    nav = '<ul class="nav"><li><a href="/">首页</a></li>' + "".join(links) + "</ul>" + more + extra
    return nav, rows[0][1] if rows else site[2]


def _page(req: Request, site: tuple, row: tuple | None, list_page: int) -> Response:
    domain, kind, first_date, code, encoding, header, name = site
    script = "script" in req.behaviours
    nav, newest = _nav(req, site, list_page) if row is None or row[0] == "/" else ("", "")
    if row is None:  # the index of a shared site
        title = name if list_page == 1 else f"{name} 第{list_page}页"
        return _wrap(req, site, title, f"<h1>{escape(name)}</h1>\n{nav}", max(newest, first_date))
    doc, shape = _doc(req, site, row)
    if doc is None:
        return not_found()
    if shape == "posts":
        main = f'<h1>{escape(doc.title)}</h1>\n' + posts_html(doc, script)
    else:
        main = f'<h1>{escape(doc.title)}</h1>\n' + content_html(doc, script)
    links = ""
    prof_sites = []
    if row[3].startswith(("thread_", "softad")) and row[4]:
        prof = _profile(req, row[4])
        prof_sites = [d for d, f in (prof or {}).get("websites", []) if f <= req.as_of]
    if prof_sites:
        links = '<p class="links">' + " ".join(f'<a href="http://{d}/">{escape(d)}</a>' for d in prof_sites) + "</p>"
    back = '<p><a href="/">返回首页</a></p>'
    last = max(row[1], max((b[2] for b in doc.blocks if b[0] == "post"), default=row[1]))
    return _wrap(req, site, doc.title, main + "\n" + links + nav + back, last, published=row[1])


def _calendar(req: Request, site: tuple, path: str) -> Response:
    """An endless calendar: every month links to the next and the previous one."""
    try:
        y, m = (int(x) for x in path.split("/")[2:4])
    except ValueError:
        return not_found()
    nxt = (y + (m == 12), m % 12 + 1)
    prv = (y - (m == 1), (m - 2) % 12 + 1)
    body = (f'<h1>{y}年{m}月活动日历</h1><div class="content"><p>本月暂无活动。</p></div>'
            f'<a href="/calendar/{prv[0]}/{prv[1]:02d}">上个月</a> <a href="/calendar/{nxt[0]}/{nxt[1]:02d}">下个月</a>')
    return _wrap(req, site, f"{y}年{m}月", body, site[2])


def _wrap(req: Request, site: tuple, title: str, body: str, last: str, published: str | None = None, big: bool = False) -> Response:
    domain, kind, first_date, code, encoding, header, name = site
    html = page(title, body, published=published, charset=encoding)
    if big:
        filler = "<!-- " + ("填充数据" * 64 + "\n") * 6000 + " -->"
        html = html.replace("</body>", filler + "</body>")
    if encoding == "big5":
        from sandbox.text.evasion import traditional

        html = traditional(html)
    header_mode = "wrong" if "wrong_charset" in req.behaviours else header
    if header_mode == "ok":
        hc: str | None = encoding
    elif header_mode == "missing":
        hc = None
    else:
        hc = "gbk" if encoding == "utf-8" else "utf-8"
    return Response(200, html, "text/html", encoding=encoding, header_charset=hc, last_modified=last, html=True)


def page_text(db, domain: str, path: str, as_of: str) -> tuple[str, list[str]]:
    """Title and text blocks of one page as served (for tests and evaluation tools that
    want the text without HTTP)."""
    site = db.execute("SELECT domain, kind, first_date, code, encoding, header, name FROM sites WHERE domain = ?",
                      (domain,)).fetchone()
    row = db.execute("SELECT path, date, kind, ptype, code, data FROM pages WHERE domain = ? AND path = ?",
                     (domain, path)).fetchone()
    req = Request(domain, path, {}, as_of, db, frozenset(), None)
    doc, _ = _doc(req, site, row)
    texts = [b[1] if b[0] in ("p", "img") else b[3] for b in doc.blocks]
    return doc.title, texts
