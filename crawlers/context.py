"""Per-crawl shared state: the store, the entity linker, counters. One per crawler,
created on first use by whichever component needs it, closed by the store pipeline."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from crawlers.processing.linking import Linker

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from indexing.store.base import Store


class CrawlContext:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._store: Store | None = None
        self._linker: Linker | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from indexing.store import open_store

            spec = self.crawler.settings.get("SMOKE_STORE_SPEC")
            if not spec:
                raise RuntimeError("SMOKE_STORE_SPEC is not set (crawlers.crawl sets it)")
            self._store = open_store(spec=spec)
        return self._store

    @property
    def linker(self) -> Linker:
        if self._linker is None:
            self._linker = Linker(self.store.iter_companies())
        return self._linker

    def count_error(self, kind: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"smoke/errors/{kind}", n)

    def inc(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"smoke/{key}", n)

    # --- per-URL validators (ETag / Last-Modified), written only once the item is stored
    def validators(self, url: str) -> dict[str, str]:
        raw = self.store.get_state(f"http:{url}")
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}

    def set_validators(self, url: str, etag: str, last_modified: str) -> None:
        if etag or last_modified:
            self.store.set_state(f"http:{url}", json.dumps({"etag": etag, "last_modified": last_modified}))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def context(crawler: Crawler) -> CrawlContext:
    ctx = getattr(crawler, "_smoke_context", None)
    if ctx is None:
        ctx = CrawlContext(crawler)
        crawler._smoke_context = ctx  # type: ignore[attr-defined]
    return ctx
