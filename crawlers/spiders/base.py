"""Base spiders by access pattern, configured by a source YAML:

* ``ConfiguredSpider``: loads the source, makes canonical requests with our errback
  (errors counted by type), tracks blocked hosts and the per-source watermark.
* ``ListDetailSpider``: an HTML listing (next link) -> one detail page per entry.
* ``JsonApiSpider``: a paginated JSON API (page number or cursor).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from config import ConfigError
from config.sources import SourceConfig, load_sources
from crawlers.context import context
from crawlers.errors import Blocked, SpiderArgumentError, TrapRequest, Unchanged
from crawlers.processing.urls import canonicalize


def json_path(data: Any, path: str, default: Any = None) -> Any:
    """'a.b.0.c' into nested dicts / lists; ``default`` when any step is missing."""
    cur = data
    for part in path.split(".") if path else []:
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return default
        if cur is None:
            return default
    return cur


def classify_failure(failure: Failure) -> str | None:
    """The error type of a failed request; None for outcomes that are not errors."""
    exc = failure.value
    if isinstance(exc, Unchanged):
        return None
    if isinstance(exc, Blocked):
        return "blocked"
    if isinstance(exc, TrapRequest):
        return "trap"
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    name = type(exc).__name__
    msg = str(exc)
    if name == "IgnoreRequest" and "robots.txt" in msg:
        return "robots"
    if name in ("DownloadCancelledError",) or "maxsize" in msg.lower() or "max size" in msg.lower():
        return "oversized"
    if "Timeout" in name or "timed out" in msg.lower() or "took longer than" in msg:
        return "timeout"
    if name in ("CannotResolveHostError", "DNSLookupError"):
        return "dns"
    if "Connection" in name or "ResponseNeverReceived" in name or "DataLoss" in name or "Refused" in name:
        return "connection"
    if name == "IgnoreRequest":
        return "ignored"
    return name.lower()


class ConfiguredSpider(scrapy.Spider):
    kind: str = ""

    def __init__(self, source: str = "", config_dir: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not source:
            raise SpiderArgumentError(f"spider {self.name}: argument 'source' is required (-a source=NAME)")
        try:
            sources = load_sources(Path(config_dir) if config_dir else None, include_disabled=True)
        except ConfigError as exc:
            raise SpiderArgumentError(str(exc)) from exc
        if source not in sources:
            raise SpiderArgumentError(f"spider {self.name}: source {source!r} is not configured")
        cfg = sources[source]
        if cfg.kind != self.kind:
            raise SpiderArgumentError(f"spider {self.name}: source {source!r} is of kind {cfg.kind!r}")
        self.source: SourceConfig = cfg
        self.source_name = source
        self.proxy = cfg.resolved_proxy()
        self.start_urls = [canonicalize(u) for u in cfg.start_urls]
        hosts = {urlsplit(u).hostname for u in [*cfg.start_urls, *cfg.endpoints.values()]}
        self.primary_hosts = {h.lower() for h in hosts if h}
        if cfg.allowed_domains:
            self.allowed_domains = list(cfg.allowed_domains)
        self.blocked_hosts: dict[str, str] = {}
        self.blocked_reason = ""
        self.new_watermark = ""
        self._watermark: str | None = None

    # --- requests --------------------------------------------------------------
    def request(self, url: str, callback, conditional: bool = False, **meta: Any) -> scrapy.Request:
        meta["conditional"] = conditional
        return scrapy.Request(canonicalize(url), callback=callback, errback=self.on_error, meta=meta)

    async def start(self) -> AsyncIterator[Any]:
        for req in self.start_requests_list():
            yield req

    def start_requests_list(self) -> list[scrapy.Request]:
        return [self.request(u, self.parse_start) for u in self.start_urls]

    def parse_start(self, response: Response) -> Iterator[Any]:
        raise NotImplementedError

    def on_error(self, failure: Failure) -> None:
        kind = classify_failure(failure)
        if kind is not None:
            self.count_error(kind)

    # --- selectors -------------------------------------------------------------
    def sel(self, node: Any, name: str, default: str = ""):
        """Run the configured selector ``name`` (CSS, or XPath when it starts with / or ()."""
        expr = self.source.selectors.get(name, default)
        if not expr:
            raise KeyError(f"source {self.source_name}: selectors.{name} is not configured")
        return node.xpath(expr) if expr.startswith(("/", "(", "./")) else node.css(expr)

    # --- blocking and state ----------------------------------------------------
    def mark_blocked(self, host: str, reason: str) -> None:
        if host in self.blocked_hosts:
            return
        self.blocked_hosts[host] = reason
        self.logger.warning("blocked: %s", reason)
        if host in self.primary_hosts and not self.blocked_reason:
            self.blocked_reason = reason
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="blocked"))

    def watermark(self) -> str:
        """The newest date a previous *complete* crawl of this source saw ('' when none)."""
        if self._watermark is None:
            crawler = getattr(self, "crawler", None)
            if not self.source.incremental.watermark or crawler is None:
                self._watermark = ""
            else:
                self._watermark = context(crawler).store.get_state(f"watermark:{self.source_name}") or ""
        return self._watermark

    def count_error(self, kind: str) -> None:
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            context(crawler).count_error(kind)

    def see_date(self, date: str) -> None:
        if date and date > self.new_watermark:
            self.new_watermark = date[:10]

    def on_finished(self, store, reason: str) -> None:
        """Called by the store pipeline at close: the watermark moves only after a complete crawl."""
        if reason == "finished" and self.new_watermark:
            old = store.get_state(f"watermark:{self.source_name}") or ""
            if self.new_watermark > old:
                store.set_state(f"watermark:{self.source_name}", self.new_watermark)

    @staticmethod
    def validators(response: Response) -> dict[str, str]:
        return {
            "etag": response.headers.get(b"ETag", b"").decode("latin-1"),
            "last_modified": response.headers.get(b"Last-Modified", b"").decode("latin-1"),
        }


class ListDetailSpider(ConfiguredSpider):
    """HTML listing pages with a next link; ``detail_links`` selects the entries."""

    def parse_start(self, response: Response) -> Iterator[Any]:
        yield from self.parse_list(response)

    def list_entries(self, response: Response) -> list[tuple[str, str]]:
        """(detail URL, date or '') of each entry of a listing page."""
        return [(response.urljoin(h), "") for h in self.sel(response, "detail_links").getall()]

    def parse_list(self, response: Response) -> Iterator[Any]:
        entries = self.list_entries(response)
        mark = self.watermark()
        for url, date in entries:
            self.see_date(date)
            yield self.request(url, self.parse_detail, conditional=True)
        # Newest-first listings: once a whole page is older than the watermark, the
        # rest was seen by an earlier complete crawl.
        dates = [d for _, d in entries if d]
        if mark and dates and len(dates) == len(entries) and max(dates) < mark:
            self.crawler.stats.inc_value("smoke/watermark_stop")
            return
        nxt = self.sel(response, "next", self.source.pagination.next_selector).get()
        if nxt and response.meta.get("page_no", 1) < self.source.pagination.max_pages:
            # depth_reset: the next listing page is as shallow as the first, so a long
            # listing is not cut off by the trap depth limit (meant for links within a site).
            yield self.request(response.urljoin(nxt), self.parse_list, page_no=response.meta.get("page_no", 1) + 1,
                               depth_reset=True)

    def parse_detail(self, response: Response) -> Iterator[Any]:
        raise NotImplementedError


class JsonApiSpider(ConfiguredSpider):
    """A paginated JSON API: ``pagination.type`` page_param or cursor; ``json_paths.items``
    is where the list is."""

    def parse_start(self, response: Response) -> Iterator[Any]:
        yield from self.parse_api(response)

    def load_json(self, response: Response) -> Any:
        try:
            return json.loads(response.text if hasattr(response, "text") else response.body)
        except ValueError:
            self.count_error("bad_json")
            return None

    def parse_api(self, response: Response) -> Iterator[Any]:
        data = self.load_json(response)
        if data is None:
            return
        items = json_path(data, self.source.json_paths.get("items", "items"), []) or []
        for entry in items:
            if isinstance(entry, dict):
                yield from self.parse_entry(entry, response)
        yield from self.next_api_page(response, data, items)

    def next_api_page(self, response: Response, data: Any, items: list) -> Iterator[Any]:
        p = self.source.pagination
        page_no = response.meta.get("page_no", 1)
        if not items or page_no >= p.max_pages:
            return
        if p.type == "cursor":
            cursor = json_path(data, p.cursor_path)
            if cursor:
                yield self.request(with_query(response.url, {p.cursor_param: str(cursor)}), self.parse_api, page_no=page_no + 1)
        elif p.type == "page_param":
            total = json_path(data, self.source.json_paths.get("total", "total"))
            current = int(dict(parse_qsl(urlsplit(response.url).query)).get(p.param, p.start))
            size = len(items)
            if isinstance(total, int) and (current - p.start + 1) * max(size, 1) >= total:
                return
            yield self.request(with_query(response.url, {p.param: str(current + 1)}), self.parse_api, page_no=page_no + 1)

    def parse_entry(self, entry: dict, response: Response) -> Iterator[Any]:
        raise NotImplementedError


def with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query, keep_blank_values=True))
    q.update(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(sorted(q.items())), ""))


def absolute(response: Response, href: str) -> str:
    return urljoin(response.url, href)
