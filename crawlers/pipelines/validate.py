"""Validate items: a credit code must pass its check digit, a document must carry text."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawlers.context import context
from crawlers.items import AmacItem, CompanyItem, DocumentItem
from crawlers.processing.extract import valid_credit_code


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item):
        problem = ""
        if isinstance(item, CompanyItem):
            code = item.company.get("credit_code", "")
            if not valid_credit_code(code):
                problem = f"credit code {code!r} fails its check digit"
            elif not item.company.get("name"):
                problem = "company without a name"
        elif isinstance(item, AmacItem):
            if item.credit_code and not valid_credit_code(item.credit_code):
                problem = f"AMAC credit code {item.credit_code!r} fails its check digit"
        elif isinstance(item, DocumentItem):
            if not (item.html.strip() or item.text.strip() or item.title.strip()):
                problem = "document without text"
        else:
            problem = f"unknown item type {type(item).__name__}"
        if problem:
            context(self.crawler).count_error("invalid_item")
            raise DropItem(f"{getattr(item, 'url', '?')}: {problem}")
        return item
