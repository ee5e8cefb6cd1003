"""Entity linking of every document (crawlers.processing.linking): mentions with
method and confidence; mentions the page states outright (court parties, a
complaint's company) are merged in."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawlers.context import context
from crawlers.items import CompanyItem, DocumentItem
from crawlers.processing.linking import CONF, merge
from crawlers.processing.urls import domain_of
from indexing.models import Company, Mention


class LinkPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LinkPipeline:
        return cls(crawler)

    def process_item(self, item):
        if isinstance(item, CompanyItem):
            # a company crawled now is linkable by the documents that follow in this crawl
            context(self.crawler).linker.add(Company.from_dict(item.company))
            return item
        if not isinstance(item, DocumentItem):
            return item
        linker = context(self.crawler).linker
        stated: list[Mention] = []
        for m in item.mentions:
            code = m.get("credit_code", "")
            if code:
                stated.append(Mention(code, m.get("method", "credit_code"), float(m.get("confidence", 1.0)), m.get("role", "")))
                continue
            found = linker.lookup_name(m.get("name", ""), fuzzy=m.get("fuzzy", True))
            if found:
                method = "party" if m.get("role") else found.method
                conf = CONF["party"] if method == "party" and found.method == "name" else found.confidence
                stated.append(Mention(found.credit_code, method, conf, m.get("role", "")))
        if item.typed_company:
            found = linker.lookup_name(item.typed_company)
            if found:
                stated.append(found)
        norm = item.fields.get("_normalized", item.text)
        # Court pages: parties found above are the companies concerned; the judgment text
        # names them again (and names others only in passing), so do not link the text.
        from_text = [] if item.source_kind == "court" and stated else linker.link_document(norm, item.title, domain_of(item.url))
        item.mentions = [
            {"credit_code": m.credit_code, "method": m.method, "confidence": m.confidence, "role": m.role}
            for m in merge(stated, from_text)
        ]
        return item
