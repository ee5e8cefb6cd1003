"""What every site shares: the request and response types, HTML building with
escaping, and JSON responses."""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from html import escape
from typing import Any

from sandbox import render


@dataclass
class Request:
    host: str
    path: str
    query: dict[str, str]
    as_of: str
    db: sqlite3.Connection
    behaviours: frozenset[str]
    world: Any  # sandbox.server.World

    def int_arg(self, name: str, default: int, lo: int = 1, hi: int = 10**9) -> int:
        try:
            v = int(self.query.get(name, default))
        except ValueError:
            v = default
        return max(lo, min(hi, v))


@dataclass
class Response:
    status: int = 200
    body: str | bytes = ""
    content_type: str = "text/html"
    encoding: str = "utf-8"
    header_charset: str | None = "utf-8"  # None: no charset in the header
    last_modified: str | None = None  # ISO date
    headers: dict[str, str] = field(default_factory=dict)
    html: bool = False  # an HTML page that hostile post-processing may alter


def not_found(what: str = "页面不存在") -> Response:
    return Response(404, page("404 Not Found", f"<h1>404</h1><p>{escape(what)}</p>"), html=False)


def json_response(obj: Any, last_modified: str | None = None) -> Response:
    return Response(200, json.dumps(obj, ensure_ascii=False, separators=(",", ":")), "application/json",
                    last_modified=last_modified)


def page(title: str, body: str, published: str | None = None, charset: str = "utf-8", extra_head: str = "") -> str:
    pub = f'<meta name="published" content="{escape(published)}">' if published else ""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
            f"<title>{escape(title)}</title>{pub}{extra_head}</head>\n<body>\n{body}\n</body></html>\n")


def next_link(href: str | None) -> str:
    return f'<a class="next" href="{escape(href)}">下一页</a>' if href else ""


def content_html(doc: render.Doc, script: bool = False) -> str:
    parts = []
    for b in doc.blocks:
        if b[0] == "p":
            parts.append(f"<p>{escape(b[1])}</p>")
        elif b[0] == "img":
            parts.append(f'<p><img src="/img/{zlib.crc32(b[1].encode()) % 97}.png" alt="{escape(b[1])}"></p>')
    if doc.invite:
        parts.append(f"<p>邀请码：{escape(doc.invite)}</p>")
    if script:
        parts.append(f"<p>{escape(render.SCRIPT)}</p>")
    return '<div class="content">\n' + "\n".join(parts) + "\n</div>"


def posts_html(doc: render.Doc, script: bool = False) -> str:
    out = []
    for b in doc.blocks:
        if b[0] == "post":
            text = b[3] + (render.SCRIPT if script else "")
            out.append(f'<div class="post"><span class="author">{escape(b[1])}</span> '
                       f'<span class="date">{escape(b[2])}</span><p>{escape(text)}</p></div>')
    if doc.invite:
        out.append(f'<div class="post"><p>邀请码：{escape(doc.invite)}</p></div>')
    return '<div class="thread">\n' + "\n".join(out) + "\n</div>"
