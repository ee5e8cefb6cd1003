"""Reading a feed's pages as its source declares: a listing page (HTML, JSON API,
sitemap or RSS) -> its entries, a detail page -> its fields, and the next listing URL.

Shared by the spiders (crawlers.spiders.base.FeedSpider) and ``smoke sources check``,
so what the check shows is what a crawl extracts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from parsel import Selector
from scrapy.http import Response, TextResponse

from config.sources_extraction import XML_DEFAULTS, Feed, PageSpec, Pagination
from crawlers.processing.fields import Extracted, FieldReader, json_path, select


@dataclass
class ListingPage:
    entries: list[Extracted] = field(default_factory=list)
    node: Any = None  # the page as a selector (HTML, or XML without namespaces)
    data: Any = None  # the JSON answer
    context: dict[str, Any] = field(default_factory=dict)  # the page's own fields (list.page_fields)
    problem: str = ""  # "bad_json" | "broken_page" when the page cannot be read as declared


def listing_spec(feed: Feed) -> PageSpec:
    """The feed's listing, with the sitemap / RSS defaults where it declares nothing."""
    spec = feed.listing
    default = XML_DEFAULTS.get(feed.access)
    if default is None:
        return spec
    return spec.model_copy(update={"records": spec.records or default.records, "fields": spec.fields or default.fields})


def page_context(url: str) -> dict[str, Any]:
    """What templates may use besides the entry's own fields: {origin}, {host}, {listing}."""
    parts = urlsplit(url)
    return {"origin": f"{parts.scheme}://{parts.netloc}", "host": parts.hostname or "",
            "listing": urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))}


def read_listing(feed: Feed, response: Response, reader: FieldReader) -> ListingPage:
    """The entries of one listing page."""
    spec = listing_spec(feed)
    context = page_context(response.url)
    if feed.access == "json_api":
        try:
            data = json.loads(response.text if isinstance(response, TextResponse) else response.body)
        except ValueError:
            return ListingPage(problem="bad_json")
        own = reader.read(spec.page_fields, entry=data, json=True).values
        context.update(own)
        raw = json_path(data, spec.records) if spec.records else data
        if not isinstance(raw, list):  # 200, but not the answer the source describes
            return ListingPage(data=data, problem="broken_page")
        rows = [e for e in raw if isinstance(e, dict)]
        entries = [reader.read_page(spec, entry=e, context=context, json=True) for e in rows]
        return ListingPage(entries, data=data, context=own)
    if not isinstance(response, TextResponse):
        return ListingPage(problem="broken_page")
    node: Any = response
    if feed.access in XML_DEFAULTS:
        node = Selector(text=response.text, type="xml")
        node.remove_namespaces()
    own = reader.read(spec.page_fields, node).values
    context.update(own)
    records = select(node, spec.records) if spec.records else [node]
    return ListingPage([reader.read_page(spec, node=r, context=context) for r in records], node=node, context=own)


def detail_context(page: ListingPage, entry: dict[str, Any]) -> dict[str, Any]:
    """What a detail page inherits from its listing: the year of dates written without one
    (the listing's ``year``, else the year of the entry's own date)."""
    year = page.context.get("year")
    published = str(entry.get("published") or "")
    if not isinstance(year, int) and published[:4].isdigit():
        year = int(published[:4])
    return {"year": year} if isinstance(year, int) else {}


def read_detail(spec: PageSpec, response: Response, reader: FieldReader,
                inherited: dict[str, Any] | None = None) -> Extracted | None:
    """The declared fields of a detail page (``inherited``: from detail_context); None when it
    is not a text page at all."""
    if not isinstance(response, TextResponse):
        return None
    return reader.read_page(spec, node=response, context={**(inherited or {}), **page_context(response.url)})


def next_page(p: Pagination, response: Response, page: ListingPage) -> str | None:
    """The next listing URL by the feed's pagination; None at the end."""
    node, data, n_entries = page.node, page.data, len(page.entries)
    page_no = response.meta.get("page_no", 1) if response.request is not None else 1
    if p.type == "none" or page_no >= p.max_pages:
        return None
    if p.type == "next_link":
        href = json_path(data, p.next_selector) if data is not None else (
            select(node, p.next_selector).get() if node is not None else None)
        return response.urljoin(str(href).strip()) if href else None
    if not n_entries:
        return None
    if p.type == "cursor":
        cursor = json_path(data, p.cursor_path) if data is not None else select(node, p.cursor_path).get()
        return with_query(response.url, {p.cursor_param: str(cursor)}) if cursor else None
    query = dict(parse_qsl(urlsplit(response.url).query))
    current = int(query.get(p.param, p.start))
    total = json_path(data, p.total) if p.total and data is not None else None
    if p.type == "offset":
        nxt = current + n_entries
        if isinstance(total, int) and nxt >= total:
            return None
        return with_query(response.url, {p.param: str(nxt)})
    if isinstance(total, int) and (current - p.start + 1) * max(n_entries, 1) >= total:
        return None
    return with_query(response.url, {p.param: str(current + 1)})


def with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query, keep_blank_values=True))
    q.update(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(sorted(q.items())), ""))
