"""Write items to the store in batches (the store pipeline only writes: items arrive
validated, cleaned, reconciled and linked), then record each page's validators (ETag /
Last-Modified) so that a later crawl can skip it with a conditional request.

Validators are written only *after* the batch is committed: a crawl killed with
SIGKILL loses at most the uncommitted batch, and since those pages have no
validators yet they are fetched again on the next run (nothing lost); upserts by
stable id mean nothing is duplicated either.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from scrapy import signals
from scrapy.crawler import Crawler

from crawlers.context import context
from crawlers.items import AmacItem, CompanyItem, DocumentItem
from crawlers.processing.urls import domain_of
from indexing.models import Company, Document, Mention, stable_id


def _warm_tokenizer() -> None:
    try:
        from indexing.tokenize import tokens

        tokens("预热")
    except Exception:  # noqa: BLE001 - only a warm-up; the real write reports errors
        pass


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.batch = crawler.settings.getint("SMOKE_STORE_BATCH", 50)
        self.docs: list[Document] = []
        self.companies: list[Company] = []
        self.validators: list[tuple[str, str, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        p = cls(crawler)
        crawler.signals.connect(p.closing, signal=signals.spider_closed)
        crawler.signals.connect(p.opening, signal=signals.spider_opened)
        return p

    def opening(self, spider) -> None:
        # The store tokenises with jieba, whose dictionary takes seconds to load: load it
        # in the background while the first pages download instead of at the first write.
        threading.Thread(target=_warm_tokenizer, daemon=True).start()

    def process_item(self, item):
        if isinstance(item, CompanyItem):
            company = Company.from_dict(item.company)
            company.updated = _now()
            self.companies.append(company)
        elif isinstance(item, AmacItem):
            self.docs.append(self._amac_document(item))
            if item.registered_company is not None:
                self.companies.append(Company.from_dict(item.registered_company))
        elif isinstance(item, DocumentItem):
            self.docs.append(self._document(item))
        self.validators.append((item.url, item.etag, item.last_modified))
        if len(self.docs) + len(self.companies) >= self.batch:
            self.flush()
        return item

    def _document(self, item: DocumentItem) -> Document:
        fields = {k: v for k, v in item.fields.items() if not k.startswith("_")}
        return Document(
            id=stable_id(item.url),
            url=item.url,
            source_kind=item.source_kind,
            site=item.source,
            title=item.title[:500],
            text=item.fields.get("_normalized", item.text),
            raw_text=item.text,
            fetched=_now(),
            published=item.published,
            content_hash=fields.pop("content_hash", ""),
            encoding=item.encoding,
            domain=domain_of(item.url),
            mentions=[Mention(**m) for m in item.mentions],
            fields=fields,
        )

    def _amac_document(self, item: AmacItem) -> Document:
        return Document(
            id=stable_id(item.url), url=item.url, source_kind="amac", site=item.source, title=item.name,
            text=item.text, raw_text=item.text, fetched=_now(), published=item.registered_date[:10],
            domain=domain_of(item.url), mentions=[Mention(**m) for m in item.mentions],
            fields={"manager_name": item.name, "registration_no": item.registration_no,
                    "credit_code": item.credit_code, "status": item.status},
        )

    def flush(self) -> None:
        ctx = context(self.crawler)
        if self.companies:
            res = ctx.store.upsert_companies(self.companies)
            self._count(res)
            self.companies = []
        if self.docs:
            res = ctx.store.upsert_documents(self.docs)
            self._count(res)
            self.docs = []
        for url, etag, lm in self.validators:
            ctx.set_validators(url, etag, lm)
        self.validators = []

    def _count(self, res) -> None:
        ctx = context(self.crawler)
        ctx.inc("stored/new", res.new)
        ctx.inc("stored/changed", res.changed)
        ctx.inc("stored/unchanged", res.unchanged)
        if res.failed:
            ctx.count_error("store", len(res.failed))

    def closing(self, spider, reason) -> None:
        ctx = context(self.crawler)
        try:
            self.flush()
            spider.on_finished(ctx.store, reason)
        finally:
            ctx.close()
