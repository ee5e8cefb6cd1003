"""The promotional web: directory -> each site's sitemap and same-site links -> pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response, TextResponse

from crawlers.items import DocumentItem
from crawlers.processing.urls import canonicalize, domain_of
from crawlers.spiders.base import ConfiguredSpider

_INVITE = re.compile(r"邀请码\s*[:：]\s*([A-Za-z0-9]{4,16})")
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
_SKIP_EXT = re.compile(r"\.(jpg|jpeg|png|gif|svg|css|js|pdf|zip|rar|exe|mp4|mp3|ico|woff2?)$", re.I)


class Promo(ConfiguredSpider):
    name = "promo"
    kind = "promo"

    def parse_start(self, response: Response) -> Iterator[Any]:
        yield from self.parse_directory(response)

    def parse_directory(self, response: Response) -> Iterator[Any]:
        for href in self.sel(response, "site_links").getall():
            root = canonicalize(response.urljoin(href))
            host = urlsplit(root).hostname or ""
            yield self.request(f"http://{host}/sitemap.xml", self.parse_sitemap, site_host=host)
            yield self.request(root, self.parse_page, conditional=True, site_host=host)
        nxt = response.css(self.source.pagination.next_selector).get()
        if nxt:
            # depth_reset: every directory page counts as depth 0, or sites listed on
            # page 5 and later would already be past the trap depth limit (seen on a
            # 1,000-company world: 853 pages never crawled).
            yield self.request(response.urljoin(nxt), self.parse_directory, depth_reset=True)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        host = response.meta["site_host"]
        body = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        for loc in _LOC.findall(body)[:5000]:
            if (urlsplit(loc).hostname or "") == host:
                yield self.request(loc, self.parse_page, conditional=True, site_host=host)

    def parse_page(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        host = response.meta.get("site_host") or (urlsplit(response.url).hostname or "")
        links, external = [], set()
        for href in response.css("a::attr(href)").getall()[:500]:
            url = response.urljoin(href)
            h = urlsplit(url).hostname or ""
            if not url.startswith("http") or _SKIP_EXT.search(urlsplit(url).path):
                continue
            if h == host:
                links.append(url)
            elif h:
                external.add(domain_of(url))
        for url in links:
            yield self.request(url, self.parse_page, conditional=True, site_host=host)
        content = self.sel(response, "content").getall()
        if not content:
            return  # a navigation page: nothing to index
        html = "\n".join(content)
        title = (response.css("title::text").get() or "").strip()
        published = (response.css('meta[name="published"]::attr(content)').get() or "").strip()[:10]
        alltext = " ".join(response.css("div.content ::text, div.post ::text, img::attr(alt)").getall())
        invite = sorted(set(_INVITE.findall(alltext)))
        yield DocumentItem(
            url=response.url, source=self.source_name, source_kind="promo", title=title,
            html=f"<html><body>{html}</body></html>",
            published=published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else "",
            encoding=response.meta.get("encoding", ""),
            fields={"page_type": "forum" if response.css("div.post") else "article",
                    "posts": len(response.css("div.post")), "invite_codes": invite,
                    "links": sorted(external)[:100]},
            **self.validators(response),
        )
