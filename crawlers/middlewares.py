"""Downloader and spider middlewares: proxy, traps, anti-bot detection, conditional
requests, charset repair, retries with backoff and Retry-After, parse-error guard."""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response, TextResponse

from crawlers.context import context
from crawlers.errors import Blocked, BrokenPage, TrapRequest, Unchanged
from crawlers.processing.charset import decode_html


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class _Base:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    @property
    def source(self) -> Any:
        return getattr(self.crawler.spider, "source", None)


class SourceProxy(_Base):
    """Sets meta['proxy'] of every request, robots.txt ones too, from the source config
    (the sandbox is reached as a forward proxy: docs/sandbox-sites.md)."""

    def process_request(self, request: Request) -> None:
        proxy = getattr(self.crawler.spider, "proxy", None)
        if proxy and "proxy" not in request.meta:
            request.meta["proxy"] = proxy


class TrapFilter(_Base):
    """Refuses URLs matching the source's trap patterns (endless calendars) and stops
    a host once it has used its page budget."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._patterns: list[re.Pattern[str]] | None = None
        self._per_host: Counter[str] = Counter()

    def process_request(self, request: Request) -> None:
        src = self.source
        if src is None or request.url.endswith("/robots.txt"):
            return
        if self._patterns is None:
            self._patterns = [re.compile(p) for p in src.traps.deny_patterns]
        if any(p.search(request.url) for p in self._patterns):
            raise TrapRequest(f"trap pattern: {request.url}")
        host = _host(request.url)
        self._per_host[host] += 1
        if self._per_host[host] > src.traps.max_pages_per_host:
            raise TrapRequest(f"page budget of {host} used up")


class BlockDetection(_Base):
    """Captcha / anti-bot interstitials (sandbox 'captcha': ``<div id="captcha">`` with
    status 200; real sites: 验证码 pages). Never solved: the host is marked blocked,
    further requests to it are dropped, and when it is a host of the source's start
    URLs the spider closes with reason 'blocked'."""

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        reason = getattr(spider, "blocked_hosts", {}).get(_host(request.url))
        if reason:
            raise Blocked(f"host blocked earlier in this crawl: {reason}")

    def process_response(self, request: Request, response: Response) -> Response:
        src = self.source
        if src is None or response.status != 200 or request.url.endswith("/robots.txt"):
            return response
        head = response.body[:20000]
        for marker in src.blocking.markers:
            for enc in ("utf-8", "gb18030", "big5"):
                try:
                    needle = marker.encode(enc)
                except UnicodeEncodeError:
                    continue
                if needle in head:
                    host = _host(request.url)
                    reason = f"anti-bot page at {host} ({marker})"
                    spider = self.crawler.spider
                    spider.mark_blocked(host, reason)
                    raise Blocked(reason)
        return response


class ConditionalRequests(_Base):
    """ETag / Last-Modified per URL: requests marked ``meta['conditional']`` carry
    If-None-Match / If-Modified-Since; a 304 means the stored copy is current."""

    def process_request(self, request: Request) -> None:
        src = self.source
        if not request.meta.get("conditional") or src is None or not src.incremental.conditional:
            return
        v = context(self.crawler).validators(request.url)
        if v.get("etag"):
            request.headers.setdefault("If-None-Match", v["etag"])
        if v.get("last_modified"):
            request.headers.setdefault("If-Modified-Since", v["last_modified"])

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304:
            context(self.crawler).inc("unchanged")
            raise Unchanged(request.url)
        return response


class CharsetFix(_Base):
    """Re-decodes text responses with crawlers.processing.charset (lying headers) and
    hands the spider a UTF-8 response; the detected charset goes to meta['encoding']."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or request.url.endswith("/robots.txt"):
            return response
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if "json" in ctype:
            return response
        hints = tuple(self.source.encoding) if self.source is not None else ()
        text, enc = decode_html(response.body, ctype, hints)
        request.meta["encoding"] = enc
        return response.replace(body=text.encode("utf-8"), encoding="utf-8")


def retry_after_seconds(value: str | bytes | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    s = value.decode("latin-1") if isinstance(value, bytes) else value
    s = s.strip()
    if s.isdigit():
        return float(s)
    try:
        when = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class BackoffRetry(RetryMiddleware):
    """Scrapy's retry with exponential backoff (base * 2**attempt) and Retry-After on
    429 / 503 honoured (capped by the source's max_retry_after_s). The delay is
    carried in meta['not_before'] and served by RetryDelay."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self._last_slowdown: dict[int, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetry:
        return cls(crawler)

    def _delay(self, request: Request, response: Response | None) -> float:
        src = getattr(self.crawler.spider, "source", None)
        base = src.rate.retry_base_delay_s if src else 1.0
        override = self.crawler.settings.get("SMOKE_RETRY_BASE_DELAY")
        if override not in (None, ""):
            base = float(override)  # tests and benchmarks shorten the backoff
        cap = src.rate.max_retry_after_s if src else 120.0
        attempt = request.meta.get("retry_times", 0)
        delay = base * (2**attempt)
        if response is not None and response.status in (429, 503):
            ra = retry_after_seconds(response.headers.get(b"Retry-After"))
            if ra is not None:
                context(self.crawler).inc("retry_after")
                delay = max(delay, min(ra, cap))
            if response.status == 429:
                self._slow_down(request)
        return delay

    def _slot(self, request: Request):
        downloader = self.crawler.engine.downloader
        try:
            return downloader.slots.get(downloader.get_slot_key(request))
        except AttributeError:  # another Scrapy's downloader internals: retries still back off
            return None

    def _slow_down(self, request: Request) -> None:
        """429 means the whole host wants fewer requests, not only this one retried later:
        halve the host's concurrency and double its delay (otherwise every retry fires
        together after Retry-After and is refused again). Successes undo it (AIMD)."""
        slot = self._slot(request)
        now = time.monotonic()
        key = id(slot)
        if slot is not None and now - self._last_slowdown.get(key, 0.0) > 1.0:
            # once per second at most: a burst of 429s is one signal, not eight
            self._last_slowdown[key] = now
            slot.concurrency = max(1, slot.concurrency // 2)
            slot.delay = min(5.0, max(0.1, slot.delay * 2))
            context(self.crawler).inc("slowdowns")

    def _recover(self, request: Request) -> None:
        slot = self._slot(request)
        if slot is None:
            return
        base_delay = self.crawler.settings.getfloat("DOWNLOAD_DELAY")
        base_conc = self.crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        if slot.delay > base_delay:
            slot.delay = max(base_delay, slot.delay * 0.9)
        if slot.concurrency < base_conc and slot.delay <= max(base_delay, 0.1) * 1.5:
            slot.concurrency += 1

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if 200 <= response.status < 400:
            self._recover(request)
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = self._delay(request, response)
        new = self._retry(request, f"{response.status}")
        if new is None:
            return response
        new.meta["not_before"] = time.monotonic() + delay
        return new

    def process_exception(self, request: Request, exception: Exception) -> Request | None:  # type: ignore[override]
        if isinstance(exception, Unchanged | Blocked | TrapRequest):
            return None
        new = super().process_exception(request, exception)
        if isinstance(new, Request):
            new.meta["not_before"] = time.monotonic() + self._delay(request, None)
        return new


class RetryDelay(_Base):
    """Waits until meta['not_before'] before a retried request goes out (without
    blocking other requests: the wait is an asyncio sleep)."""

    async def process_request(self, request: Request) -> None:
        wait = request.meta.pop("not_before", 0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return None


class ParseErrorGuard(_Base):
    """A callback that raises on one page is counted (errors['parse'], or errors['broken_page']
    for a page that answered but lacks what its source declares) and the crawl goes on."""

    def process_spider_exception(self, response: Response, exception: Exception) -> list[Any]:
        context(self.crawler).count_error("broken_page" if isinstance(exception, BrokenPage) else "parse")
        self.crawler.spider.logger.warning("parse error on %s: %r", response.url, exception)
        return []
