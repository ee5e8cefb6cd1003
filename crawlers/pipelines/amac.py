"""AMAC reconciliation, before linking: registry companies learn whether they are on the
AMAC list (crawled first in a cycle), and each AMAC manager is tied to its company.

* CompanyItem: ``amac_registered`` from the codes the last complete AMAC crawl saw.
* AmacItem: its mention (credit code, else the exact name), and the stored company it
  names, marked registered, for the store pipeline to write.
* At the end of a complete AMAC crawl, the codes it saw are kept for the next registry crawl.
"""

from __future__ import annotations

import json

from scrapy import signals
from scrapy.crawler import Crawler

from crawlers.context import context
from crawlers.items import AmacItem, CompanyItem

AMAC_STATE = "amac:codes"


class AmacPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.codes: set[str] | None = None
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AmacPipeline:
        p = cls(crawler)
        # connected before the store pipeline's handler (pipelines are built in order), so
        # the store is still open here
        crawler.signals.connect(p.closing, signal=signals.spider_closed)
        return p

    def _registered_codes(self) -> set[str]:
        if self.codes is None:
            raw = context(self.crawler).store.get_state(AMAC_STATE)
            self.codes = set(json.loads(raw)) if raw else set()
        return self.codes

    def process_item(self, item):
        if isinstance(item, CompanyItem):
            codes = self._registered_codes()
            if codes:  # no AMAC crawl yet: unknown, not "unregistered"
                item.company["amac_registered"] = item.company.get("credit_code") in codes
        elif isinstance(item, AmacItem):
            self._manager(item)
        return item

    def _manager(self, item: AmacItem) -> None:
        ctx = context(self.crawler)
        if item.credit_code:
            self.seen.add(item.credit_code)
            item.mentions = [{"credit_code": item.credit_code, "method": "credit_code", "confidence": 1.0, "role": ""}]
            existing = ctx.store.get_company(item.credit_code)
            if existing is not None and existing.amac_registered is not True:
                existing.amac_registered = True
                item.registered_company = existing.to_dict()
        else:
            found = ctx.linker.lookup_name(item.name, fuzzy=False)
            item.mentions = [{"credit_code": found.credit_code, "method": found.method,
                              "confidence": found.confidence, "role": found.role}] if found else []

    def closing(self, spider, reason) -> None:
        if getattr(spider, "kind", "") == "amac" and reason == "finished" and self.seen:
            context(self.crawler).store.set_state(AMAC_STATE, json.dumps(sorted(self.seen)))
