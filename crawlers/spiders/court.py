"""Court: judgment lists -> judgment pages, and 失信被执行人 (dishonest-debtor) lists.

A judgment's parties come from a declared table (name, role, credit code); an entry
that is itself about one party (a debtor list) declares ``name`` / ``credit_code`` /
``role``. ``dishonest`` is a declared field: the debtor list's source says it is one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.items import DocumentItem
from crawlers.processing.extract import valid_credit_code
from crawlers.spiders.base import FeedSpider

# Entry fields that make the document itself (not Document.fields).
_DOCUMENT_KEYS = {"url", "title", "content", "text", "published", "name", "credit_code", "role", "id"}


class Court(FeedSpider):
    name = "court"
    kind = "court"

    def build_items(self, feed: str, values: dict[str, Any], response: Response, from_listing: bool) -> Iterator[Any]:
        if values.get("parties"):
            parties, method = list(values["parties"]), "party"
        elif values.get("name") or values.get("credit_code"):
            parties, method = [{k: values.get(k, "") for k in ("name", "role", "credit_code")}], "credit_code"
        else:
            parties, method = [], "party"
        parties = [{"name": str(p.get("name", "")), "role": str(p.get("role", "") or ""),
                    "credit_code": str(p.get("credit_code", "") or "").strip().upper()} for p in parties]
        mentions: list[dict[str, Any]] = []
        for p in parties:
            if p["credit_code"] and valid_credit_code(p["credit_code"]):
                mentions.append({"credit_code": p["credit_code"], "method": method, "confidence": 1.0, "role": p["role"]})
            elif p["name"]:
                mentions.append({"name": p["name"], "role": p["role"], "fuzzy": "公司" in p["name"]})
        fields = {k: v for k, v in values.items() if k not in _DOCUMENT_KEYS}
        fields["parties"] = parties
        fields["dishonest"] = bool(values.get("dishonest", False))
        yield DocumentItem(
            url=values["url"], source=self.source_name, source_kind="court", title=str(values.get("title", "")),
            html=str(values.get("content", "")), text=str(values.get("text", "")),
            published=str(values.get("published", "")), encoding=response.meta.get("encoding", ""),
            fields=fields, mentions=mentions, **({} if from_listing else self.validators(response)),
        )
