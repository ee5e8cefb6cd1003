"""Court: judgments (HTML list newest first -> detail) and 失信被执行人 (JSON API)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.items import DocumentItem
from crawlers.processing.extract import parse_amount, valid_credit_code
from crawlers.spiders.base import JsonApiSpider, ListDetailSpider, json_path, with_query

_ROLE_CN = {"原告": "plaintiff", "被告": "defendant", "第三人": "third_party"}


def _text(node) -> str:
    return re.sub(r"\s+", " ", " ".join(node.css("::text").getall())).strip()


class Court(ListDetailSpider, JsonApiSpider):
    name = "court"
    kind = "court"

    def start_requests_list(self):
        reqs = [self.request(u, self.parse_start) for u in self.start_urls]
        api = self.source.endpoints.get("dishonest")
        if api:
            reqs.append(self.request(api.format(page=1), self.parse_dishonest, page_no=1))
        return reqs

    def parse_start(self, response: Response) -> Iterator[Any]:
        yield from self.parse_list(response)

    def list_entries(self, response: Response) -> list[tuple[str, str]]:
        out = []
        for li in self.sel(response, "list_items"):
            href = self.sel(li, "detail_link").get()
            if href:
                out.append((response.urljoin(href), (self.sel(li, "list_date").get() or "").strip()[:10]))
        return out

    def parse_detail(self, response: Response) -> Iterator[Any]:
        labels = self.source.labels
        meta: dict[str, str] = {}
        terms = [_text(t).rstrip("：:") for t in self.sel(response, "meta_terms")]
        vals = [_text(v) for v in self.sel(response, "meta_values")]
        for term, val in zip(terms, vals, strict=False):
            if labels.get(term):
                meta[labels[term]] = val
        parties, mentions = [], []
        for li in self.sel(response, "parties"):
            name = _text(li)
            role = li.attrib.get("data-role", "") or _ROLE_CN.get(li.attrib.get("data-role-cn", ""), "")
            code = (li.attrib.get("data-credit-code") or "").strip().upper()
            parties.append({"name": name, "role": role, "credit_code": code})
            if code and valid_credit_code(code):
                mentions.append({"credit_code": code, "method": "party", "confidence": 1.0, "role": role})
            elif name:
                mentions.append({"name": name, "role": role, "fuzzy": "公司" in name})
        content = self.sel(response, "content").get() or ""
        title = _text(self.sel(response, "title"))
        if not (title or content):
            self.count_error("broken_page")
            return
        published = meta.pop("published", "")[:10]
        self.see_date(published)
        fields = {**meta, "parties": parties, "dishonest": False}
        if "amount" in fields:
            fields["amount"] = parse_amount(fields["amount"])
        yield DocumentItem(
            url=response.url, source=self.source_name, source_kind="court", title=title, html=content,
            published=published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else "",
            encoding=response.meta.get("encoding", ""), fields=fields, mentions=mentions, **self.validators(response),
        )

    # --- 失信被执行人 API -----------------------------------------------------
    def parse_dishonest(self, response: Response) -> Iterator[Any]:
        data = self.load_json(response)
        if data is None:
            return
        items = json_path(data, self.source.json_paths.get("items", "items"), []) or []
        base = response.url.split("/api/")[0]
        for e in items:
            if not isinstance(e, dict) or not e.get("id"):
                continue
            code = str(e.get("credit_code") or "").upper()
            mentions = []
            if code and valid_credit_code(code):
                mentions.append({"credit_code": code, "method": "credit_code", "confidence": 1.0, "role": "dishonest"})
            text = (f"失信被执行人 {e.get('name', '')} 案号 {e.get('case_no', '')} 执行法院 {e.get('court', '')} "
                    f"生效法律文书确定的义务 {e.get('duty', '')} 履行情况 {e.get('performance', '')}")
            date = str(e.get("publish_date") or "")[:10]
            yield DocumentItem(
                url=f"{base}/dishonest/{e['id']}", source=self.source_name, source_kind="court",
                title=f"失信被执行人 {e.get('name', '')}", text=text,
                published=date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "",
                fields={"case_no": e.get("case_no", ""), "court": e.get("court", ""), "dishonest": True,
                        "parties": [{"name": e.get("name", ""), "role": "dishonest", "credit_code": code}],
                        "region": e.get("region", "")},
                mentions=mentions,
            )
        page = response.meta.get("page_no", 1)
        if items and page < self.source.pagination.max_pages:
            yield self.request(with_query(response.url, {"page": str(page + 1)}), self.parse_dishonest, page_no=page + 1)
