"""A real Scrapy crawl of every site through the sandbox proxy (in a subprocess, as
Scrapy's reactor cannot restart inside pytest)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter

SPIDER = textwrap.dedent('''
    import json
    import scrapy


    class SandboxTour(scrapy.Spider):
        name = "sandbox_tour"
        custom_settings = {"LOG_LEVEL": "WARNING", "CONCURRENT_REQUESTS": 16, "ROBOTSTXT_OBEY": False,
                           "HTTPERROR_ALLOW_ALL": False, "RETRY_ENABLED": True}

        def __init__(self, proxy, **kw):
            super().__init__(**kw)
            self.proxy = proxy

        def req(self, url, cb, **kw):
            return scrapy.Request(url, cb, meta={"proxy": self.proxy}, **kw)

        async def start(self):
            yield self.req("http://registry.sandbox.test/robots.txt", self.robots)
            yield self.req("http://registry.sandbox.test/companies?page=1", self.registry_list)
            yield self.req("http://court.sandbox.test/judgments?page=1", self.judgments)
            yield self.req("http://court.sandbox.test/api/dishonest?page=1&size=50", self.api)
            yield self.req("http://complaints.sandbox.test/api/complaints?limit=20", self.complaints)
            yield self.req("http://amac.sandbox.test/api/managers?page=1&size=100", self.api)
            yield self.req("http://web.sandbox.test/sites?page=1", self.sites)

        def item(self, response, kind, **extra):
            return {"host": response.url.split("/")[2], "url": response.url, "status": response.status,
                    "kind": kind, "encoding": response.encoding, **extra}

        def robots(self, response):
            yield self.item(response, "robots")

        def api(self, response):
            data = json.loads(response.text)
            yield self.item(response, "api", n=len(data["items"]))

        def registry_list(self, response):
            yield self.item(response, "list")
            for href in response.css("ul.company-list a.company::attr(href)").getall()[:10]:
                yield self.req(response.urljoin(href), self.company)

        def company(self, response):
            yield self.item(response, "company", code=response.css("table.profile td::text").get())

        def judgments(self, response):
            yield self.item(response, "list")
            for href in response.css("a.judgment::attr(href)").getall()[:5]:
                yield self.req(response.urljoin(href), self.judgment)

        def judgment(self, response):
            yield self.item(response, "judgment", title=response.css("h1.title::text").get())

        def complaints(self, response):
            data = json.loads(response.text)
            yield self.item(response, "api", n=len(data["items"]))
            for it in data["items"][:5]:
                yield self.req(it["url"], self.complaint)

        def complaint(self, response):
            yield self.item(response, "complaint", title=response.css("h1.title::text").get())

        def sites(self, response):
            yield self.item(response, "list")
            for href in response.css("ul.sites a.site::attr(href)").getall():
                yield self.req(href + "sitemap.xml", self.sitemap)
            nxt = response.css("a.next::attr(href)").get()
            if nxt:
                yield self.req(response.urljoin(nxt), self.sites)

        def sitemap(self, response):
            yield self.item(response, "sitemap")
            response.selector.remove_namespaces()
            for loc in response.xpath("//url/loc/text()").getall()[:2]:
                yield self.req(loc, self.page)

        def page(self, response):
            text = " ".join(response.css("div.content ::text, div.post ::text").getall())
            yield self.item(response, "page", chars=len(text.strip()))
''')


def test_scrapy_crawls_every_site_through_the_proxy(server, tmp_path):
    spider = tmp_path / "tour.py"
    spider.write_text(SPIDER, encoding="utf-8")
    out = tmp_path / "items.jsonl"
    proc = subprocess.run([sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"proxy={server.proxy_url}",
                           "-o", f"{out}:jsonlines", "-s", "TELNETCONSOLE_ENABLED=False"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    hosts = Counter(i["host"] for i in items)
    for h in ("registry.sandbox.test", "court.sandbox.test", "complaints.sandbox.test", "amac.sandbox.test",
              "web.sandbox.test"):
        assert hosts[h] > 0, h
    kinds = Counter(i["kind"] for i in items)
    assert kinds["company"] == 10 and kinds["judgment"] == 5 and kinds["complaint"] == 5
    promo_hosts = {i["host"] for i in items if i["kind"] == "page"}
    assert len(promo_hosts) > 50  # every promotional site in the directory was crawled
    assert all(i["chars"] > 0 for i in items if i["kind"] == "page")
    # w3lib decodes GBK as its superset GB18030 and Big5 as Big5-HKSCS
    assert {i["encoding"] for i in items if i["kind"] == "page"} >= {"utf-8", "gb18030", "big5hkscs"}
    assert all(i["status"] == 200 for i in items)
    assert all(i["code"] for i in items if i["kind"] == "company")
