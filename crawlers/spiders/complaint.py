"""Complaint platform: cursor-paginated JSON API -> HTML detail page per complaint."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.items import DocumentItem
from crawlers.processing.extract import parse_amount
from crawlers.spiders.base import JsonApiSpider, json_path


def _text(node) -> str:
    return re.sub(r"\s+", " ", " ".join(node.css("::text").getall())).strip()


class Complaint(JsonApiSpider):
    name = "complaint"
    kind = "complaint"

    def parse_entry(self, entry: dict, response: Response) -> Iterator[Any]:
        jp = self.source.json_paths
        url = json_path(entry, jp.get("url", "url"))
        if not url:
            return
        date = str(json_path(entry, jp.get("date", "date"), ""))[:10]
        self.see_date(date)
        yield self.request(response.urljoin(url), self.parse_detail, conditional=True, api=entry)

    def parse_detail(self, response: Response) -> Iterator[Any]:
        api = response.meta.get("api", {})
        title = _text(self.sel(response, "title")) or str(api.get("title", ""))
        content = self.sel(response, "content").get() or ""
        company = _text(self.sel(response, "company")) or str(api.get("company", ""))
        date = (_text(self.sel(response, "date")) or str(api.get("date", "")))[:10]
        amount = parse_amount(_text(self.sel(response, "amount")) or str(api.get("amount", "")))
        if not (title or content):
            self.count_error("broken_page")
            return
        yield DocumentItem(
            url=response.url, source=self.source_name, source_kind="complaint", title=title, html=content,
            published=date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "",
            encoding=response.meta.get("encoding", ""), typed_company=company,
            fields={"platform": self.source_name, "company_typed": company, "amount": amount,
                    "demand": _text(self.sel(response, "demand")) or str(api.get("demand", "")),
                    "status": _text(self.sel(response, "status")) or str(api.get("status", "")),
                    "complaint_id": str(api.get("id", ""))},
            **self.validators(response),
        )
