"""The sandbox HTTP server: one server, many hosts, reached as a forward proxy
(docs/sandbox-sites.md). Time-aware (serves the world as of a date) and switchably
hostile per host. Reads world.db through a small pool of read-only connections, so a
million-company world costs no memory beyond SQLite's page caches."""

from __future__ import annotations

import email.utils
import hashlib
import json
import queue
import threading
import time
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sandbox.db import open_readonly
from sandbox.hostile import BEHAVIOURS, PROFILES, HostileState
from sandbox.sites import amac, complaints, court, promo, registry, web
from sandbox.sites.common import Request, Response, json_response, not_found
from sandbox.world import read_world_meta

CONTROL = "control.sandbox.test"
SITES = {
    "registry.sandbox.test": registry.handle,
    "court.sandbox.test": court.handle,
    "complaints.sandbox.test": complaints.handle,
    "amac.sandbox.test": amac.handle,
    "web.sandbox.test": web.handle,
}
MAX_SITE_CACHE = 4096


class World:
    """Read access to a world folder: meta plus a pool of read-only SQLite connections."""

    def __init__(self, world_dir: Path, pool_size: int = 16) -> None:
        self.dir = Path(world_dir)
        self.meta = read_world_meta(self.dir)
        self._db_path = self.dir / "world.db"
        if not self._db_path.is_file():
            raise FileNotFoundError(f"{self._db_path}: missing (regenerate the world)")
        self._pool: queue.LifoQueue = queue.LifoQueue()
        self._created = 0
        self._pool_size = pool_size
        self._lock = threading.Lock()
        self._sites: dict[str, tuple | None] = {}

    @contextmanager
    def connection(self):
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = open_readonly(self._db_path)
        try:
            yield conn
        finally:
            if self._pool.qsize() < self._pool_size:
                self._pool.put(conn)
            else:
                conn.close()

    def site(self, conn: Any, domain: str) -> tuple | None:
        if domain in self._sites:
            return self._sites[domain]
        row = conn.execute("SELECT domain, kind, first_date, code, encoding, header, name FROM sites WHERE domain = ?",
                           (domain,)).fetchone()
        with self._lock:
            if len(self._sites) > MAX_SITE_CACHE:
                self._sites.clear()
            self._sites[domain] = row
        return row

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return


def _http_date(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return email.utils.format_datetime(datetime(d.year, d.month, d.day, tzinfo=UTC), usegmt=True)


def _valid_date(s: str) -> bool:
    try:
        date.fromisoformat(s)
        return len(s) == 10
    except ValueError:
        return False


class SandboxServer:
    """The sandbox as a background HTTP server (``with SandboxServer(dir) as s: s.proxy_url``)."""

    def __init__(self, world_dir: Path, as_of: str | None = None, hostile: str = "none", host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self.world = World(world_dir)
        self.today: str = self.world.meta["today"]
        self.start_date: str = self.world.meta["start"]
        if as_of is not None and not _valid_date(as_of):
            raise ValueError(f"as_of: expected YYYY-MM-DD, got {as_of!r}")
        self.as_of: str = as_of or self.today
        if hostile not in PROFILES:
            raise ValueError(f"hostile: expected one of {', '.join(PROFILES)}, got {hostile!r}")
        self.hostile = HostileState(hostile)
        self.slow_seconds = 2.0
        self.rate_limit_per_second = 10
        self._bind = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests = 0

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> SandboxServer:
        handler = type("Handler", (_Handler,), {"sandbox": self})
        self._httpd = ThreadingHTTPServer(self._bind, handler)
        self._httpd.daemon_threads = True
        self._httpd.request_queue_size = 256
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="sandbox-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Run in the current thread (for ``smoke sandbox serve``) until interrupted."""
        handler = type("Handler", (_Handler,), {"sandbox": self})
        self._httpd = ThreadingHTTPServer(self._bind, handler)
        self._httpd.daemon_threads = True
        self._httpd.request_queue_size = 256
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()
            self.world.close()

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self.world.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if not self._httpd:
            raise RuntimeError("server not started")
        return self._httpd.server_address[1]

    @property
    def proxy_url(self) -> str:
        return f"http://{self._bind[0]}:{self.port}"

    # ---------------------------------------------------------------- controls
    def set_as_of(self, date_: str) -> None:
        if not _valid_date(date_):
            raise ValueError(f"as_of: expected YYYY-MM-DD, got {date_!r}")
        self.as_of = date_

    def set_hostile(self, site_host: str, behaviour: str, on: bool) -> None:
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"behaviour: expected one of {', '.join(BEHAVIOURS)}, got {behaviour!r}")
        self.hostile.set(site_host, behaviour, on)

    # ---------------------------------------------------------------- dispatch
    def handle(self, host: str, target: str, headers: Any) -> Response:
        parts = urlsplit(target)
        path = parts.path or "/"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if host == CONTROL:
            return self._control(path, query)
        behaviours = self.hostile.behaviours(host)
        early = self.hostile.intercept(host, behaviours, path, self.rate_limit_per_second)
        if early is not None:
            return early
        if "slow" in behaviours:
            time.sleep(self.slow_seconds)
        with self.world.connection() as conn:
            site = None
            fn = SITES.get(host)
            if fn is None:
                site = self.world.site(conn, host)
                if site is None:
                    return Response(502, f"unknown host {host}\n", "text/plain")
            req = Request(host, path, query, self.as_of, conn, behaviours, self.world)
            if path == "/robots.txt" and fn is not None:
                return self._robots(req)
            if "duplicates" in behaviours and fn is not None and "utm_source" in query:
                query.pop("utm_source")
            resp = fn(req) if fn is not None else promo.handle(req, site)
        return resp

    def _robots(self, req: Request) -> Response:
        lines = ["User-agent: *"]
        if "robots" in req.behaviours:
            lines += ["Disallow: /search", "Disallow: /private/", "Crawl-delay: 1"]
        else:
            lines.append("Disallow:")
        return Response(200, "\n".join(lines) + "\n", "text/plain", last_modified=self.start_date)

    def _control(self, path: str, query: dict[str, str]) -> Response:
        if path == "/as-of":
            if "date" in query:
                if not _valid_date(query["date"]):
                    return Response(400, json.dumps({"error": "date: expected YYYY-MM-DD"}), "application/json")
                self.set_as_of(query["date"])
            return json_response({"as_of": self.as_of, "start": self.start_date, "today": self.today})
        if path == "/hostile":
            if "profile" in query:  # additive to the contract: switch a whole profile
                if query["profile"] not in PROFILES:
                    return Response(400, json.dumps({"error": f"profile: expected one of {list(PROFILES)}"}), "application/json")
                self.hostile.reset(query["profile"])
            elif "site" in query or "behaviour" in query:
                site, beh = query.get("site", ""), query.get("behaviour", "")
                if not site or beh not in BEHAVIOURS:
                    return Response(400, json.dumps({"error": f"site and behaviour (one of {list(BEHAVIOURS)}) are required"},
                                                    ensure_ascii=False), "application/json")
                self.set_hostile(site, beh, query.get("on", "1") not in ("0", "false", "off", ""))
            return json_response(self.hostile.describe())
        return not_found()


class _Handler(BaseHTTPRequestHandler):
    sandbox: SandboxServer
    protocol_version = "HTTP/1.1"
    server_version = "SandboxHTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and crawls make thousands
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        sb = self.sandbox
        sb.requests += 1
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute form: we are the proxy
            parts = urlsplit(target)
            host = (parts.hostname or "").lower()
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        else:
            host = (self.headers.get("Host") or "").split(":")[0].lower()
        try:
            resp = sb.handle(host, target, self.headers)
        except Exception as exc:  # a bug must not kill the server thread; say what happened
            resp = Response(500, f"sandbox error: {type(exc).__name__}: {exc}\n", "text/plain")
        self._send(resp, head, host, target)

    def _send(self, resp: Response, head: bool, host: str, target: str) -> None:
        body = resp.body
        if isinstance(body, str):
            if resp.html and resp.status == 200:
                body = self.sandbox.hostile.postprocess(host, target, body, self.sandbox.hostile.behaviours(host))
            body = body.encode(resp.encoding, errors="xmlcharrefreplace")
        headers = dict(resp.headers)
        ctype = resp.content_type
        if resp.header_charset and not ctype.startswith("image/"):
            ctype += f"; charset={resp.header_charset}"
        headers["Content-Type"] = ctype
        if resp.status == 200 and resp.last_modified:
            etag = 'W/"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            lm = _http_date(resp.last_modified)
            headers["ETag"] = etag
            headers["Last-Modified"] = lm
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            not_modified = False
            if inm is not None:
                not_modified = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
            elif ims:
                try:
                    not_modified = email.utils.parsedate_to_datetime(ims) >= email.utils.parsedate_to_datetime(lm)
                except (TypeError, ValueError):
                    not_modified = False
            if not_modified:
                self.send_response(304)
                for k in ("ETag", "Last-Modified"):
                    self.send_header(k, headers[k])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send_response(resp.status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

