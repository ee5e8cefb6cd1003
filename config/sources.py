"""Schema of a source YAML (``config/sources/<name>.yaml``): one file per site.

A site of a known kind (registry, court, complaint, promo, amac) is data, not code:
its start URLs, how its listings are read and paged (``list``, ``detail``, ``feeds``:
config/sources_extraction.py), rate limits, encoding hints, robots policy, trap limits
and proxy live here, and the spider of its kind reads them. ``load_sources`` validates every file; a bad file raises
``ConfigError`` naming the file, the field and what was expected.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config import CONFIG_DIR, ConfigError, load_yaml
from config.sources_extraction import (
    Access,
    Feed,
    PageSpec,
    Pagination,
    SiteCrawl,
    check_page_selectors,
    check_urls,
)

KINDS = ("registry", "court", "complaint", "promo", "amac")
# Order of a cycle: AMAC and the registry first so that entity linking of the
# other kinds knows every company (and the registry knows the AMAC list).
KIND_ORDER = {"amac": 0, "registry": 1, "court": 2, "complaint": 3, "promo": 4}

_ENV_REF = re.compile(r"\$\{([A-Z0-9_]+)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class RateLimit(_Strict):
    delay_s: float = Field(0.25, ge=0, description="minimum delay between requests to one domain")
    concurrency_per_domain: int = Field(2, ge=1, le=64)
    autothrottle: bool = True
    timeout_s: float = Field(20, gt=0)
    retries: int = Field(3, ge=0, le=10)
    retry_base_delay_s: float = Field(1.0, ge=0, description="backoff: base * 2**attempt seconds")
    max_retry_after_s: float = Field(120, ge=0, description="cap on a site's Retry-After")


class Traps(_Strict):
    depth_limit: int = Field(6, ge=0)
    deny_patterns: list[str] = Field(default_factory=list, description="regexes of URLs never fetched")
    max_pages_per_host: int = Field(20_000, ge=1)
    max_bytes: int = Field(4 * 1024 * 1024, ge=1024, description="DOWNLOAD_MAXSIZE for this source")

    @field_validator("deny_patterns")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for p in v:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"expected a regular expression, got {p!r} ({exc})") from exc
        return v


class Blocking(_Strict):
    """Anti-bot pages: detected, never solved; the source is marked blocked and left alone."""

    markers: list[str] = Field(
        default_factory=lambda: ['id="captcha"', "id='captcha'", 'class="captcha"', "请输入验证码", "滑动验证"]
    )


class Incremental(_Strict):
    conditional: bool = True  # send If-None-Match / If-Modified-Since for detail pages
    watermark: bool = True  # stop paging newest-first listings at the stored watermark


class SourceConfig(_Strict):
    name: str = ""
    kind: Literal["registry", "court", "complaint", "promo", "amac"]
    enabled: bool = True
    description: str = ""
    start_urls: list[str] = Field(min_length=1)
    allowed_domains: list[str] = Field(default_factory=list)  # empty: hosts of start_urls (promo: any)
    access: Access = "list_detail"  # how the main listing is read: HTML list, JSON API, sitemap or RSS
    pagination: Pagination = Field(default_factory=Pagination)
    listing: PageSpec = Field(default_factory=PageSpec, alias="list")  # the entries of a listing page
    detail: PageSpec | None = None  # what a detail page carries; none: the entry is the item
    feeds: dict[str, Feed] = Field(default_factory=dict)  # more listings of the site (a court's debtor API)
    site_crawl: SiteCrawl = Field(default_factory=SiteCrawl)  # promo: how each listed site is crawled
    rate: RateLimit = Field(default_factory=RateLimit)
    traps: Traps = Field(default_factory=Traps)
    blocking: Blocking = Field(default_factory=Blocking)
    incremental: Incremental = Field(default_factory=Incremental)
    encoding: list[str] = Field(default_factory=list, description="charsets to try when a page does not say")
    robots: Literal["obey", "ignore"] = "obey"
    proxy: str | None = None  # http://host:port; ${VAR} is read from the environment

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, v: list[str]) -> list[str]:
        return check_urls(v)

    @model_validator(mode="after")
    def _selectors(self) -> SourceConfig:
        check_page_selectors(self.access, self.listing, self.detail)
        return self

    @field_validator("encoding")
    @classmethod
    def _codecs(cls, v: list[str]) -> list[str]:
        import codecs

        for name in v:
            try:
                codecs.lookup(name)
            except LookupError as exc:
                raise ValueError(f"expected a known charset name, got {name!r}") from exc
        return v

    def main_feed(self) -> Feed:
        """The source's own listing (top-level access, start_urls, pagination, list, detail) as a feed."""
        return Feed(access=self.access, start_urls=self.start_urls, pagination=self.pagination,
                    listing=self.listing, detail=self.detail)

    def all_feeds(self) -> dict[str, Feed]:
        """Every listing to crawl: the main one first (named ``main``), then ``feeds``."""
        return {"main": self.main_feed(), **self.feeds}

    def resolved_proxy(self) -> str | None:
        """The proxy with ``${VAR}`` taken from the environment; None when it comes out empty."""
        if not self.proxy:
            return None
        value = _ENV_REF.sub(lambda m: os.environ.get(m.group(1), ""), self.proxy).strip()
        return value or None


def source_files(config_dir: Path | None = None) -> dict[str, Path]:
    """name -> file: the bundled config/sources/*.yaml, overridden and extended by
    ``config_dir/sources/*.yaml`` (SMOKE_CONFIG_DIR)."""
    if config_dir is None:
        from config.settings import get_settings

        config_dir = get_settings().config_dir
    files = {p.stem: p for p in sorted((CONFIG_DIR / "sources").glob("*.yaml"))}
    if config_dir is not None:
        files.update({p.stem: p for p in sorted((Path(config_dir) / "sources").glob("*.yaml"))})
    return files


def load_source(path: Path) -> SourceConfig:
    cfg = load_yaml(path, SourceConfig)
    if not cfg.name:
        cfg.name = path.stem
    elif cfg.name != path.stem:
        raise ConfigError(f"{path}: name: expected the file name {path.stem!r}, got {cfg.name!r}")
    return cfg


def load_sources(config_dir: Path | None = None, include_disabled: bool = False) -> dict[str, SourceConfig]:
    """Every configured source, validated, in cycle order (amac, registry, court, complaint, promo)."""
    out = [load_source(p) for p in source_files(config_dir).values()]
    out = [s for s in out if s.enabled or include_disabled]
    out.sort(key=lambda s: (KIND_ORDER[s.kind], s.name))
    return {s.name: s for s in out}
