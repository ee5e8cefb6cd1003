"""AMAC-style private fund manager list -> AmacItem per manager (fields declared in the source)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.items import AmacItem
from crawlers.spiders.base import FeedSpider


class Amac(FeedSpider):
    name = "amac"
    kind = "amac"

    def build_items(self, feed: str, values: dict[str, Any], response: Response, from_listing: bool) -> Iterator[Any]:
        name = str(values.get("name", "")).strip()
        if not name:
            return
        yield AmacItem(
            url=values["url"], source=self.source_name, name=name,
            credit_code=str(values.get("credit_code", "")).strip().upper(),
            registration_no=str(values.get("registration_no", "")),
            registered_date=str(values.get("registered_date", "")),
            status=str(values.get("status", "")),
            text=str(values.get("text", "")),
            **({} if from_listing else self.validators(response)),
        )
