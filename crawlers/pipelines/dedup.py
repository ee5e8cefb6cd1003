"""Exact and near-duplicate detection.

URLs are canonical already (spiders request canonical URLs, so the dupe filter sees
one URL per page). Here: a page whose normalised text hashes like a stored page of
the same domain under another URL is dropped (counted 'duplicate'); a copy on
another domain is kept (spread is measured on domains) and marked ``duplicate_of``;
a near-copy (simhash within 3 bits) is kept and marked ``near_duplicate_of``.

Near-copies are looked up in the store (``Store.near_duplicates``: band lookups, so a
crawl no longer reads every stored promotion first) and among this crawl's own pages,
which the store pipeline writes in batches and so are not all in the store yet.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawlers.context import context
from crawlers.items import DocumentItem
from crawlers.processing.dedup import NEAR_BITS, NearDuplicateIndex, content_hash, simhash
from crawlers.processing.urls import domain_of
from indexing.models import stable_id


class DedupPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen_hash: dict[str, tuple[str, str]] = {}  # hash -> (doc id, domain), this crawl
        self.near = NearDuplicateIndex()  # simhashes of this crawl's pages

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def _near_copy(self, sh: int, doc_id: str) -> str | None:
        """The closest page within NEAR_BITS of ``sh`` (ties: smallest id), of this crawl or stored."""
        found = self.near.matches(sh, exclude=doc_id)
        found += context(self.crawler).store.near_duplicates(sh, NEAR_BITS, exclude=doc_id, limit=1)
        return min(found, key=lambda hit: (hit[1], hit[0]))[0] if found else None

    def process_item(self, item):
        if not isinstance(item, DocumentItem):
            return item
        ctx = context(self.crawler)
        norm = item.fields.get("_normalized", item.text)
        h = content_hash(f"{item.title}\n{norm}")
        doc_id = stable_id(item.url)
        domain = domain_of(item.url)
        item.fields["content_hash"] = h
        if len(norm) >= 40:  # hashes of near-empty pages collide for no reason
            prior = self.seen_hash.get(h)
            if prior is None:
                for other in ctx.store.document_ids_with_hash(h):
                    if other != doc_id:
                        stored = ctx.store.get_document(other)
                        prior = (other, stored.domain if stored else "")
                        break
            if prior and prior[0] != doc_id:
                if prior[1] == domain:
                    ctx.inc("duplicates")
                    raise DropItem(f"{item.url}: same content as {prior[0]} on the same domain")
                item.fields["duplicate_of"] = prior[0]
            self.seen_hash.setdefault(h, (doc_id, domain))
        if item.source_kind == "promo" and len(norm) >= 40:
            sh = simhash(norm)
            item.fields["simhash"] = f"{sh:016x}"
            near = self._near_copy(sh, doc_id)
            if near and "duplicate_of" not in item.fields:
                item.fields["near_duplicate_of"] = near
                ctx.inc("near_duplicates")
            self.near.add(sh, doc_id)
        return item
