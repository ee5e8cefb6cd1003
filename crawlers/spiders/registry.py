"""Registry (企业信用信息公示系统 and the like): company list -> profile page -> Company.

The profile's fields, the people table and the register-entry tables are declared in
the source file; here they become a Company (indexing.models) and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.items import CompanyItem
from crawlers.spiders.base import FeedSpider

# Tables of register entries a source may declare, by the entry kind they hold.
ENTRY_KINDS = ("abnormal", "penalty", "serious_violation", "change")
_ENTRY_KEYS = ("date", "reason", "authority", "removed_date", "detail")
_LIST_FIELDS = ("former_names", "phones", "emails", "websites", "aliases")
_NOT_COMPANY = {"url", "people", *ENTRY_KINDS}


class Registry(FeedSpider):
    name = "registry"
    kind = "registry"

    def build_items(self, feed: str, values: dict[str, Any], response: Response, from_listing: bool) -> Iterator[Any]:
        company: dict[str, Any] = {k: v for k, v in values.items() if k not in _NOT_COMPANY}
        company["credit_code"] = str(company.get("credit_code", "")).upper()
        company["source_url"] = values["url"]
        for key in _LIST_FIELDS:
            value = company.get(key, [])
            company[key] = value if isinstance(value, list) else [value]
        company["people"] = [{"name": p["name"], "role": p.get("role") or "executive", "share": p.get("share")}
                             for p in values.get("people", []) if p.get("name")]
        company["entries"] = [
            {"kind": kind, **{k: str(row.get(k, "") or "") for k in _ENTRY_KEYS}, "url": values["url"]}
            for kind in ENTRY_KINDS for row in values.get(kind, []) if row.get("date")
        ]
        validators = {} if from_listing else self.validators(response)
        yield CompanyItem(url=values["url"], source=self.source_name, company=company, **validators)
