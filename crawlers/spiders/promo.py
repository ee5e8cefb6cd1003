"""The promotional web: a directory of sites -> each site's sitemap and same-site links -> pages.

The directory is the source's main feed (its entries' ``url`` is a site); how a site is
walked is ``site_crawl``; what a page carries is ``detail``. A page without ``content``
is navigation and yields nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import Response, TextResponse

from config.sources_extraction import XML_DEFAULTS, Feed
from crawlers.items import DocumentItem
from crawlers.processing.fields import select
from crawlers.processing.listing import read_detail
from crawlers.processing.urls import canonicalize, domain_of
from crawlers.spiders.base import FeedSpider

_SKIP_EXT = re.compile(r"\.(jpg|jpeg|png|gif|svg|css|js|pdf|zip|rar|exe|mp4|mp3|ico|woff2?)$", re.I)


class Promo(FeedSpider):
    name = "promo"
    kind = "promo"

    def follow_entry(self, name: str, feed: Feed, values: dict[str, Any], response: Response,
                     inherited: dict[str, Any]) -> Iterator[Any]:
        """A listed site: its sitemap and its home page."""
        url = str(values.get("url") or "")
        if not url:
            return
        root = canonicalize(response.urljoin(url))
        parts = urlsplit(root)
        host = parts.hostname or ""
        sitemap = self.source.site_crawl.sitemap
        if sitemap:
            yield self.request(sitemap.format(scheme=parts.scheme, host=host, root=root.rstrip("/")),
                               self.parse_sitemap, site_host=host)
        yield self.request(root, self.parse_detail, conditional=True, site_host=host, feed=name)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        host = response.meta["site_host"]
        body = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        node = Selector(text=body, type="xml")
        node.remove_namespaces()
        spec = XML_DEFAULTS["sitemap"]
        for rec in select(node, spec.records)[:5000]:
            loc = self.reader.read(spec.fields, rec).values.get("url", "")
            if loc and (urlsplit(loc).hostname or "") == host:
                yield self.request(loc, self.parse_detail, conditional=True, site_host=host, feed="main")

    def parse_detail(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        host = response.meta.get("site_host") or (urlsplit(response.url).hostname or "")
        crawl = self.source.site_crawl
        external = set()
        for href in select(response, crawl.links).getall()[: crawl.max_links]:
            url = response.urljoin(href)
            h = urlsplit(url).hostname or ""
            if not url.startswith("http") or _SKIP_EXT.search(urlsplit(url).path):
                continue
            if h == host:
                yield self.request(url, self.parse_detail, conditional=True, site_host=host, feed="main")
            elif h:
                external.add(domain_of(url))
        got = read_detail(self.feeds["main"].detail or self.source.listing, response, self.reader)
        if got is None:
            return
        self.count_bad(got)
        content = got.values.get("content") or []
        if not content:
            return  # a navigation page: nothing to index
        html = "\n".join(content) if isinstance(content, list) else str(content)
        posts = int(got.values.get("posts", 0) or 0)
        yield DocumentItem(
            url=response.url, source=self.source_name, source_kind="promo", title=str(got.values.get("title", "")),
            html=f"<html><body>{html}</body></html>", published=str(got.values.get("published", "")),
            encoding=response.meta.get("encoding", ""),
            fields={"page_type": "forum" if posts else "article", "posts": posts,
                    "invite_codes": sorted(set(got.values.get("invite_codes", []))), "links": sorted(external)[:100]},
            **self.validators(response),
        )

    def build_items(self, feed: str, values: dict[str, Any], response: Response, from_listing: bool) -> Iterator[Any]:
        return iter(())  # pages are read in parse_detail: a promo site has no entry-level items
