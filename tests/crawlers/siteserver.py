"""A real local HTTP server playing several hosts from saved fixture pages, reached as
a forward proxy like the sandbox (absolute-form request lines), with switchable
hostile behaviours and a server-side count of every request.

Fixture files: fixtures/<kind>/<host>/<path>[@<sorted query>].<ext>; '/' is _index.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
_TYPES = {".html": "text/html; charset=utf-8", ".json": "application/json", ".xml": "application/xml",
          ".txt": "text/plain"}
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)

Handler = Callable[[str, str, dict[str, str]], tuple[int, dict[str, str], bytes] | None]


class SiteServer:
    def __init__(self, kinds: tuple[str, ...] = ("registry", "court", "complaint", "amac", "promo"),
                 root: Path = FIXTURES) -> None:
        self.files: dict[tuple[str, str], Path] = {}
        for kind in kinds:
            for f in (root / kind).rglob("*"):
                if f.is_file():
                    host = f.relative_to(root / kind).parts[0]
                    rel = "/".join(f.relative_to(root / kind / host).parts)
                    self.files[(host, self._key_of_file(rel))] = f
        self.hits: Counter[tuple[str, str]] = Counter()
        self.log: list[tuple[float, str, str]] = []  # (monotonic time, host, key) of every request
        self.handlers: list[Handler] = []  # tried first, in order; None: fall through
        self.hostile: dict[str, set[str]] = {}
        self.delay = 0.0
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @staticmethod
    def _key_of_file(rel: str) -> str:
        stem = rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel
        if stem in ("_index",) or stem.endswith("/_index"):
            stem = stem[: -len("_index")]
        if rel in ("robots.txt", "sitemap.xml"):
            stem = rel
        path, _, query = stem.partition("@")
        return "/" + path + (("?" + query) if query else "")

    @staticmethod
    def key(path_qs: str) -> str:
        parts = urlsplit(path_qs)
        q = sorted(parse_qsl(parts.query, keep_blank_values=True))
        path = parts.path.rstrip("/") if parts.path != "/" else "/"
        for index in ("/index.html",):
            if path.endswith(index):
                path = path[: -len(index)] or "/"
        if path == "":
            path = "/"
        return path + (("?" + urlencode(q)) if q else "")

    def set_hostile(self, host: str, behaviour: str, on: bool = True) -> None:
        s = self.hostile.setdefault(host, set())
        (s.add if on else s.discard)(behaviour)

    def fetched(self, host: str | None = None) -> Counter[tuple[str, str]]:
        return Counter({k: v for k, v in self.hits.items() if host is None or k[0] == host})

    # --- serving ---------------------------------------------------------------
    def respond(self, host: str, path_qs: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        key = self.key(path_qs)
        with self._lock:
            self.hits[(host, key)] += 1
            n = self.hits[(host, key)]
            self.log.append((time.monotonic(), host, key))
        for h in self.handlers:
            out = h(host, key, headers)
            if out is not None:
                return out
        beh = self.hostile.get(host, set())
        if "slow" in beh:
            time.sleep(3)
        if "errors_5xx" in beh and n <= 2 and not key.endswith("robots.txt"):
            return 503, {"Content-Type": "text/plain"}, b"busy"
        if "rate_limit" in beh and n == 1 and not key.endswith("robots.txt"):
            return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"
        if "captcha" in beh and not key.endswith("robots.txt"):
            body = '<html><body><div id="captcha">请输入验证码</div></body></html>'.encode()
            return 200, {"Content-Type": "text/html; charset=utf-8"}, body
        if key == "/robots.txt" and "robots" in beh:
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /complaint/\nDisallow: /company/\n"
        f = self.files.get((host, key))
        if f is None:
            if key == "/robots.txt":
                return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
            return 404, {"Content-Type": "text/plain"}, b"not found"
        body = f.read_bytes()
        etag = 'W/"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if headers.get("if-none-match") == etag:
            return 304, {"ETag": etag}, b""
        ctype = _TYPES.get(f.suffix, "application/octet-stream")
        return 200, {"Content-Type": ctype, "ETag": etag, "Last-Modified": LAST_MODIFIED}, body

    def start(self) -> str:
        server = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                if self.path.startswith("http://"):
                    parts = urlsplit(self.path)
                    host, path_qs = parts.hostname or "", parts.path + (("?" + parts.query) if parts.query else "")
                else:
                    host, path_qs = (self.headers.get("Host") or "").split(":")[0], self.path
                if server.delay:
                    time.sleep(server.delay)
                hdrs = {k.lower(): v for k, v in self.headers.items()}
                status, headers, body = server.respond(host.lower(), path_qs or "/", hdrs)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # clients hanging up mid-answer: expected
                pass

        self._httpd = Quiet(("127.0.0.1", 0), H)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self.proxy_url

    @property
    def proxy_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


def _cc(body17: str) -> str:
    from indexing.creditcode import check_digit

    return body17 + check_digit(body17)


def synthetic_court(n: int = 200, per_page: int = 20, host: str = "court.sandbox.test") -> tuple[Handler, list[str]]:
    """A court site with ``n`` judgments (newest first), each naming one company by code.
    Returns the handler and the credit codes."""
    codes = [_cc(f"9144030000{i:07d}") for i in range(n)]

    def handler(h: str, key: str, headers: dict[str, str]):
        if h != host:
            return None
        html = "text/html; charset=utf-8"
        if key.startswith("/judgments?page="):
            page = int(key.split("=")[1])
            ids = list(range(n))[(page - 1) * per_page : page * per_page]
            lis = "".join(f'<li><a class="judgment" href="/judgment/s{i}">案件{i}</a><span class="date">2024-01-01</span></li>'
                          for i in ids)
            nxt = f'<a class="next" href="/judgments?page={page + 1}">下一页</a>' if page * per_page < n else ""
            return 200, {"Content-Type": html}, f'<html><body><ul class="judgments">{lis}</ul>{nxt}</body></html>'.encode()
        if key.startswith("/judgment/s"):
            i = int(key.rsplit("s", 1)[1])
            etag = f'W/"s{i}"'
            if headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            body = (f'<html><body><h1 class="title">案件{i}判决书</h1><dl class="meta"><dt>案号</dt><dd>（2024）粤01民初{i}号</dd>'
                    f'<dt>裁判日期</dt><dd>2024-01-01</dd></dl><ul class="parties"><li data-role="defendant" '
                    f'data-credit-code="{codes[i]}">某某{i}有限公司</li></ul><div class="content">第{i}号案件的判决内容，'
                    f'被告应偿还借款{i}万元。</div></body></html>')
            return 200, {"Content-Type": html, "ETag": etag}, body.encode()
        if key.startswith("/api/dishonest"):
            return 200, {"Content-Type": "application/json"}, b'{"total": 0, "items": []}'
        return None

    return handler, codes
