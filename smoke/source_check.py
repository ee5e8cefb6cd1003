"""``smoke sources check``: what a source file extracts from its site, before it joins a crawl.

For each feed of the source (its main listing, then ``feeds``) one listing page is fetched
and read as a crawl reads it (crawlers.processing.listing), then the detail page of its
first entry (or ``--url``): every declared field with the value it extracted, the fields
that came out empty, dates nobody could read, and whether a crawl would drop the page.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from config.sources import SourceConfig

_TIMEOUT_S = 20.0


@dataclass
class PageCheck:
    role: str  # "listing" | "detail"
    url: str
    status: str = ""  # HTTP status, or the network error
    encoding: str = ""
    entries: int = -1  # listing: entries found
    values: dict[str, Any] = field(default_factory=dict)  # the first entry's, or the page's
    declared: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    bad_dates: list[tuple[str, str]] = field(default_factory=list)
    unread_labels: list[str] = field(default_factory=list)  # labels on the page no field reads
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not (self.problem or self.missing_required) and self.entries != 0


@dataclass
class FeedCheck:
    name: str
    access: str
    pages: list[PageCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.pages)


def fetch(url: str, proxy: str | None) -> tuple[str, str, bytes]:
    """(status, content type, body) of one GET, through ``proxy`` when given."""
    from crawlers.settings import USER_AGENT

    handlers = [urllib.request.ProxyHandler({"http": proxy, "https": proxy} if proxy else {})]
    opener = urllib.request.build_opener(*handlers)
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(req, timeout=_TIMEOUT_S) as resp:
            return str(resp.status), resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return str(exc.code), exc.headers.get("Content-Type", "") if exc.headers else "", exc.read()
    except (urllib.error.URLError, OSError) as exc:
        return f"error: {getattr(exc, 'reason', exc)}", "", b""


def _response(url: str, ctype: str, body: bytes, hints: list[str]):
    """A Scrapy response as the crawler's charset middleware would hand it to a spider."""
    from scrapy.http import HtmlResponse, Request, TextResponse

    from crawlers.processing.charset import decode_html

    if "json" in ctype:
        return TextResponse(url=url, body=body, encoding="utf-8", request=Request(url)), "utf-8"
    text, enc = decode_html(body, ctype, hints)
    return HtmlResponse(url=url, body=text.encode("utf-8"), encoding="utf-8", request=Request(url)), enc


def _fetch_page(role: str, url: str, cfg: SourceConfig, proxy: str | None):
    page = PageCheck(role, url)
    status, ctype, body = fetch(url, proxy)
    page.status = status
    if status != "200":
        page.problem = f"answered {status}"
        return page, None
    response, page.encoding = _response(url, ctype, body, cfg.encoding)
    return page, response


def check_source(cfg: SourceConfig, detail_url: str | None = None, proxy: str | None = None) -> list[FeedCheck]:
    """Fetch one listing page and one detail page per feed and read them as a crawl would."""
    from crawlers.processing.fields import FieldReader, read_labels
    from crawlers.processing.listing import detail_context, listing_spec, read_detail, read_listing

    proxy = proxy if proxy is not None else cfg.resolved_proxy()
    reader = FieldReader()
    out = []
    for name, feed in cfg.all_feeds().items():
        check = FeedCheck(name, feed.access)
        out.append(check)
        page, response = _fetch_page("listing", feed.start_urls[0], cfg, proxy)
        check.pages.append(page)
        first: dict[str, Any] = {}
        inherited: dict[str, Any] = {}
        if response is not None:
            listing = read_listing(feed, response, reader)
            page.problem = listing.problem
            page.entries = len(listing.entries)
            page.declared = list(listing_spec(feed).fields)
            if listing.entries:
                e = listing.entries[0]
                first = e.values
                inherited = detail_context(listing, first)
                page.values, page.missing, page.missing_required = e.values, e.missing, e.missing_required
                page.bad_dates = [b for x in listing.entries for b in x.bad]
        spec = feed.detail
        url = detail_url if (detail_url and name == "main") else str(first.get("url") or "")
        if spec is None or not url:
            continue
        page, response = _fetch_page("detail", response.urljoin(url) if response is not None else url, cfg, proxy)
        check.pages.append(page)
        got = read_detail(spec, response, reader, inherited) if response is not None else None
        if response is not None and got is None:
            page.problem = "not a text page"
        if got is not None:
            page.declared = [*spec.fields, *spec.tables]
            page.values, page.missing, page.missing_required, page.bad_dates = (
                got.values, got.missing, got.missing_required, got.bad)
            if got.missing_required:
                page.problem = "a crawl counts it as a broken page"
            if spec.labels is not None:
                read = {d.label for d in spec.fields.values()}
                page.unread_labels = [lab for lab in read_labels(spec.labels, response) if lab not in read]
    return out


def _show(value: Any, width: int = 90) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        text = f"{len(value)} rows, first {value[0]}"
    else:
        text = repr(value) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(cfg: SourceConfig, checks: list[FeedCheck]) -> list[str]:
    """The report, one line per fact, for a person adding a site."""
    lines = [f"source {cfg.name} (kind {cfg.kind})"]
    for check in checks:
        lines.append(f"feed {check.name} ({check.access})")
        for page in check.pages:
            head = f"  {page.role} {page.url}: {page.status}"
            if page.encoding:
                head += f", {page.encoding}"
            if page.role == "listing" and page.entries >= 0:
                head += f", {page.entries} entries" + (" (first shown)" if page.entries else "")
            lines.append(head)
            for name in page.declared:
                shown = _show(page.values[name]) if name in page.values and name not in page.missing else "(missing)"
                lines.append(f"    {name:<18} {shown}")
            for name, raw in page.bad_dates:
                lines.append(f"    bad date in {name}: {raw!r}")
            if page.missing:
                lines.append(f"    missing: {', '.join(page.missing)}")
            if page.unread_labels:
                lines.append(f"    labels on the page no field reads: {', '.join(page.unread_labels)}")
            if page.missing_required:
                lines.append(f"    missing required: {', '.join(page.missing_required)}")
            if page.problem:
                lines.append(f"    problem: {page.problem}")
            if page.role == "listing" and page.entries == 0:
                lines.append("    problem: no entries: check list.records")
    lines.append("ok" if all(c.ok for c in checks) else "problems found")
    return lines
