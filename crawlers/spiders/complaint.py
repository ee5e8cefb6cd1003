"""Complaint platforms: a listing (JSON API or HTML) -> one page per complaint -> Document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.items import DocumentItem
from crawlers.spiders.base import FeedSpider


class Complaint(FeedSpider):
    name = "complaint"
    kind = "complaint"

    def build_items(self, feed: str, values: dict[str, Any], response: Response, from_listing: bool) -> Iterator[Any]:
        company = str(values.get("company", ""))
        yield DocumentItem(
            url=values["url"], source=self.source_name, source_kind="complaint", title=str(values.get("title", "")),
            html=str(values.get("content", "")), text=str(values.get("text", "")),
            published=str(values.get("published", "")), encoding=response.meta.get("encoding", ""),
            typed_company=company,
            fields={"platform": self.source_name, "company_typed": company, "amount": values.get("amount"),
                    "demand": str(values.get("demand", "")), "status": str(values.get("status", "")),
                    "complaint_id": str(values.get("complaint_id", ""))},
            **({} if from_listing else self.validators(response)),
        )
