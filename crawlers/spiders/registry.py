"""Registry (企业信用信息公示系统 replica): company list -> profile page -> Company."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.items import CompanyItem
from crawlers.processing.extract import parse_capital_wan
from crawlers.spiders.base import ListDetailSpider

_LIST_FIELDS = {"former_names", "phones", "emails", "websites", "aliases"}
_ROLES = {"法定代表人": "legal_rep", "股东": "shareholder", "董事": "executive", "监事": "executive", "经理": "executive"}


def _text(node) -> str:
    return re.sub(r"\s+", " ", " ".join(node.css("::text").getall())).strip()


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[；;]", value) if v.strip()]


class Registry(ListDetailSpider):
    name = "registry"
    kind = "registry"

    def parse_detail(self, response: Response) -> Iterator[Any]:
        labels = self.source.labels
        values: dict[str, Any] = {}
        for row in self.sel(response, "profile_rows"):
            label = _text(row.css("th")).rstrip("：:")
            key = labels.get(label)
            if key:
                values[key] = _text(row.css("td"))
        code = values.get("credit_code", "").upper()
        if not code:
            self.count_error("broken_page")
            return
        company: dict[str, Any] = {"credit_code": code, "source_url": response.url}
        for key, value in values.items():
            if key in _LIST_FIELDS:
                company[key] = _split(value)
            elif key in ("registered_capital", "paid_in_capital"):
                company[key] = parse_capital_wan(value)
            else:
                company[key] = value
        company["websites"] = [w.lower().removeprefix("http://").removeprefix("https://").strip("/") for w in company.get("websites", [])]
        people = []
        for row in self.sel(response, "people_rows"):
            name = _text(row.css("td.name"))
            role_cn = _text(row.css("td.role"))
            share = _text(row.css("td.share")).rstrip("%")
            if name:
                people.append({
                    "name": name,
                    "role": _ROLES.get(role_cn, "executive"),
                    "share": float(share) / 100 if re.fullmatch(r"\d+(\.\d+)?", share) else None,
                })
        company["people"] = people
        entries = []
        for kind, sel in (("abnormal", "abnormal_rows"), ("penalty", "penalty_rows"),
                          ("serious_violation", "serious_rows"), ("change", "change_rows")):
            for row in self.sel(response, sel):
                date = _text(row.css("td.date"))
                if not date:
                    continue
                entries.append({
                    "kind": kind, "date": date[:10], "reason": _text(row.css("td.reason")),
                    "authority": _text(row.css("td.authority")), "removed_date": _text(row.css("td.removed"))[:10],
                    "detail": _text(row.css("td.detail")), "url": response.url,
                })
        company["entries"] = entries
        yield CompanyItem(url=response.url, source=self.source_name, company=company, **self.validators(response))
