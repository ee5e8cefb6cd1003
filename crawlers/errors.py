"""The crawl's exception hierarchy; each class says where it is raised."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class CrawlError(Exception):
    """Base of our own errors outside Scrapy's request flow (runner, arguments)."""


class SpiderArgumentError(CrawlError):
    """crawlers.spiders.base: a bad spider argument (``-a source=...``) or source config."""


class Unchanged(IgnoreRequest):
    """middlewares.ConditionalRequests: the server answered 304, the stored copy is current."""


class Blocked(IgnoreRequest):
    """middlewares.BlockDetection: a captcha / anti-bot page, or a request to a host already blocked."""


class TrapRequest(IgnoreRequest):
    """middlewares.TrapFilter: a URL matching a trap pattern, or a host over its page budget."""


class BrokenPage(Exception):
    """spiders: the page answered 200 but does not carry what the source's selectors expect."""
