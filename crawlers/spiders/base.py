"""Base spiders by access pattern, configured by a source YAML:

* ``ConfiguredSpider``: loads the source, makes canonical requests with our errback
  (errors counted by type), tracks blocked hosts and the per-source watermark.
* ``FeedSpider``: the source's feeds (HTML list -> detail, JSON API, sitemap, RSS),
  read and paged as the source file declares; a kind's spider only builds items.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from config import ConfigError
from config.sources import SourceConfig, load_sources
from config.sources_extraction import SITEMAP_INDEX, Feed
from crawlers.context import context
from crawlers.errors import Blocked, BrokenPage, SpiderArgumentError, TrapRequest, Unchanged
from crawlers.processing.fields import Extracted, FieldReader
from crawlers.processing.listing import detail_context, next_page, read_detail, read_listing
from crawlers.processing.urls import canonicalize


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
        hosts = {urlsplit(u).hostname for feed in cfg.all_feeds().values() for u in feed.start_urls}
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


class FeedSpider(ConfiguredSpider):
    """Every feed of the source (its main listing, then ``feeds``): listing pages (HTML,
    JSON API, sitemap or RSS) -> entries -> a detail page per entry with a ``url`` when the
    feed declares ``detail`` -> ``build_items``, the one thing a kind's spider writes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feeds = self.source.all_feeds()
        self.reader = FieldReader()

    def start_requests_list(self) -> list[scrapy.Request]:
        return [self.request(u, self.parse_listing, feed=name)
                for name, feed in self.feeds.items() for u in feed.start_urls]

    def parse_start(self, response: Response) -> Iterator[Any]:
        yield from self.parse_listing(response)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        name = response.meta.get("feed", "main")
        feed = self.feeds[name]
        page = read_listing(feed, response, self.reader)
        if page.problem:
            self.count_error(page.problem)
            return
        entries = page.entries
        if page.node is not None and feed.access == "sitemap":
            for loc in page.node.xpath(SITEMAP_INDEX).getall():
                yield self.request(response.urljoin(loc.strip()), self.parse_listing, feed=name, depth_reset=True)
        dates = []
        for e in entries:
            self.count_bad(e)
            if not e.ok:
                continue
            values = e.values
            published = str(values.get("published") or "")
            dates.append(published)
            if name == "main":
                self.see_date(published)
            yield from self.follow_entry(name, feed, values, response, detail_context(page, values))
        # Newest-first listings: once a whole page is older than the watermark, the
        # rest was seen by an earlier complete crawl.
        mark = self.watermark() if name == "main" and feed.access == "list_detail" else ""
        if mark and dates and all(dates) and len(dates) == len(entries) and max(dates) < mark:
            self.crawler.stats.inc_value("smoke/watermark_stop")
            return
        nxt = next_page(feed.pagination, response, page)
        if nxt:
            # depth_reset: the next listing page is as shallow as the first, so a long
            # listing is not cut off by the trap depth limit (meant for links within a site).
            page_no = response.meta.get("page_no", 1) + 1
            yield self.request(nxt, self.parse_listing, feed=name, page_no=page_no, depth_reset=True)

    def follow_entry(self, name: str, feed: Feed, values: dict[str, Any], response: Response,
                     inherited: dict[str, Any]) -> Iterator[Any]:
        """An entry's detail page when the feed has one, else the entry itself is the item."""
        url = str(values.get("url") or "")
        if feed.detail is not None and url:
            yield self.request(response.urljoin(url), self.parse_detail, conditional=True, feed=name, entry=values,
                               inherited=inherited)
        elif feed.detail is None:
            values = {**values, "url": response.urljoin(url) if url else response.url}
            yield from self.build_items(name, values, response, from_listing=True)

    # --- detail pages ----------------------------------------------------------------
    def read_detail(self, response: Response) -> tuple[str, dict[str, Any]]:
        """(feed name, the entry's fields overlaid with the page's); BrokenPage when the page
        answered but lacks a required field."""
        name = response.meta.get("feed", "main")
        spec = self.feeds[name].detail
        got = read_detail(spec, response, self.reader, response.meta.get("inherited")) if spec is not None else None
        if got is None:
            raise BrokenPage(f"{response.url}: not a page the source can read")
        self.count_bad(got)
        if not got.ok:
            raise BrokenPage(f"{response.url}: missing {', '.join(got.missing_required)}")
        found = {k: v for k, v in got.values.items() if v not in ("", None, [])}
        return name, {**response.meta.get("entry", {}), **found, "url": response.url}

    def parse_detail(self, response: Response) -> Iterator[Any]:
        name, values = self.read_detail(response)
        yield from self.build_items(name, values, response, from_listing=False)

    def build_items(self, feed: str, values: dict[str, Any], response: Response, from_listing: bool) -> Iterator[Any]:
        """The kind's items from one entry or page's declared fields."""
        raise NotImplementedError

    def count_bad(self, got: Extracted) -> None:
        for field_name, raw in got.bad:
            self.count_error("bad_date")
            self.logger.info("bad date in %s: %r", field_name, raw)
