"""AMAC-style private fund manager list (paginated JSON API) -> AmacItem per manager."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.items import AmacItem
from crawlers.spiders.base import JsonApiSpider, json_path


class Amac(JsonApiSpider):
    name = "amac"
    kind = "amac"

    def parse_entry(self, entry: dict, response: Response) -> Iterator[Any]:
        jp = self.source.json_paths
        name = str(json_path(entry, jp.get("name", "name"), "")).strip()
        if not name:
            return
        yield AmacItem(
            url=response.url, source=self.source_name, name=name,
            credit_code=str(json_path(entry, jp.get("credit_code", "credit_code"), "")).strip().upper(),
            registration_no=str(json_path(entry, jp.get("registration_no", "registration_no"), "")),
            registered_date=str(json_path(entry, jp.get("registered_date", "registered_date"), ""))[:10],
            status=str(json_path(entry, jp.get("status", "status"), "")),
        )
