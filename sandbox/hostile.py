"""Hostile behaviour, switchable per host and by profile (docs/sandbox-sites.md).

Deterministic where a test needs it: 5xx bursts and captchas follow a per-host request
counter (3 failures in every 10 requests; a captcha every 7th), rate limiting a
one-second sliding window per host."""

from __future__ import annotations

import re
import threading
import time
import zlib
from collections import deque

from sandbox.sites.common import Response, page

BEHAVIOURS = ("errors_5xx", "slow", "rate_limit", "robots", "captcha", "trap", "duplicates", "malformed",
              "wrong_charset", "oversized", "script")
SANDBOX_HOSTS = ("registry.sandbox.test", "court.sandbox.test", "complaints.sandbox.test", "amac.sandbox.test",
                 "web.sandbox.test")
PROMO = "*"  # any promotional domain

PROFILES: dict[str, dict[str, frozenset[str]]] = {
    "none": {},
    "mild": {
        "registry.sandbox.test": frozenset({"rate_limit", "robots"}),
        "court.sandbox.test": frozenset({"errors_5xx"}),
        "complaints.sandbox.test": frozenset({"errors_5xx"}),
        PROMO: frozenset({"duplicates", "wrong_charset"}),
    },
    "nasty": {
        "registry.sandbox.test": frozenset({"rate_limit", "errors_5xx", "captcha", "robots", "duplicates", "malformed", "script"}),
        "court.sandbox.test": frozenset({"errors_5xx", "rate_limit", "captcha", "malformed", "script", "oversized"}),
        "complaints.sandbox.test": frozenset({"errors_5xx", "rate_limit", "script"}),
        "amac.sandbox.test": frozenset({"errors_5xx"}),
        "web.sandbox.test": frozenset({"slow", "trap"}),
        PROMO: frozenset({"duplicates", "wrong_charset", "malformed", "trap", "robots", "oversized", "script", "captcha",
                          "errors_5xx"}),
    },
}

CAPTCHA_HTML = page("安全验证", '<div id="captcha"><h1>请完成安全验证</h1><p>访问过于频繁，请拖动滑块完成验证后继续访问。</p>'
                                '<img src="/captcha.png" alt="验证码"><form method="post" action="/verify">'
                                '<input name="code"><button>提交</button></form></div>')


class HostileState:
    def __init__(self, profile: str = "none") -> None:
        self._lock = threading.Lock()
        self.reset(profile)

    def reset(self, profile: str) -> None:
        with self._lock:
            self.profile = profile
            self.overrides: dict[str, dict[str, bool]] = {}
            self.counters: dict[str, int] = {}
            self.windows: dict[str, deque[float]] = {}

    def set(self, host: str, behaviour: str, on: bool) -> None:
        with self._lock:
            self.overrides.setdefault(host.lower(), {})[behaviour] = on

    def behaviours(self, host: str) -> frozenset[str]:
        rules = PROFILES[self.profile]
        base = set(rules.get(host) or (rules.get(PROMO, frozenset()) if host not in SANDBOX_HOSTS else frozenset()))
        for b, on in self.overrides.get(host, {}).items():
            (base.add if on else base.discard)(b)
        return frozenset(base)

    def describe(self) -> dict:
        return {"profile": self.profile, "overrides": self.overrides, "behaviours": list(BEHAVIOURS)}

    def intercept(self, host: str, behaviours: frozenset[str], path: str, rate: int) -> Response | None:
        """A response that replaces the page (429, 5xx, captcha), or None to serve it."""
        if not behaviours:
            return None
        with self._lock:
            n = self.counters.get(host, 0)
            self.counters[host] = n + 1
            if "rate_limit" in behaviours:
                now = time.monotonic()
                w = self.windows.setdefault(host, deque())
                while w and now - w[0] > 1.0:
                    w.popleft()
                if len(w) >= rate:
                    return Response(429, "Too Many Requests\n", "text/plain", headers={"Retry-After": "1"})
                w.append(now)
        if "errors_5xx" in behaviours and n % 10 in (3, 4, 5):
            status = (500, 502, 503)[n % 3]
            return Response(status, f"{status} upstream error\n", "text/plain",
                            headers={"Retry-After": "1"} if status == 503 else {})
        if "captcha" in behaviours and n % 7 == 6 and path != "/robots.txt":
            return Response(200, CAPTCHA_HTML, "text/html")
        return None

    def postprocess(self, host: str, target: str, html: str, behaviours: frozenset[str]) -> str:
        if "oversized" in behaviours and zlib.crc32(target.encode()) % 8 == 0 and "填充数据" not in html:
            html = html.replace("</body>", "<!-- " + ("填充数据" * 64 + "\n") * 6000 + " --></body>")
        if "malformed" in behaviours:
            html = _malform(html)
        return html


_CLOSERS = re.compile(r"</(p|li|td|tr|span|dd|dt)>")


def _malform(html: str) -> str:
    """Broken HTML as sloppy sites serve it: missing closers, a stray unclosed tag,
    no end of document. The class-marked elements stay, so lenient parsers recover."""
    html = _CLOSERS.sub("", html)
    html = html.replace("<body>", '<body><div class="ad"><b>广告 <font color=red>热门推荐', 1)
    return html.replace("</body></html>", "<p>&copy 2024 <a href='/'>首页")
