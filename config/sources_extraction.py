"""What a source file declares about *reading* its site: where the entries of a listing
are, which field comes from where (CSS, XPath, JSON path, a labelled row, a template or
a constant), how a value is typed (dates, amounts, value maps), how listings page on,
and the extra listings of a site (``feeds``). The spiders hold no site's markup; it is
all here (docs/crawling.md, "Reading a site").
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Access = Literal["list_detail", "json_api", "sitemap", "rss"]
FieldType = Literal["text", "html", "date", "amount", "capital_wan", "percent", "number", "int", "upper",
                    "domain", "count", "bool"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def is_xpath(expr: str) -> bool:
    """The one rule: a selector is XPath when it starts with / ( ./ ../ or is '.', CSS otherwise."""
    return expr == "." or expr.startswith(("/", "(", "./", "../"))


def check_selector(expr: str) -> str:
    """``expr`` when it compiles as the selector it looks like; ValueError saying what was expected."""
    if not expr:
        return expr
    if is_xpath(expr):
        from lxml import etree

        try:
            etree.XPath(expr)
        except etree.XPathSyntaxError as exc:
            raise ValueError(f"expected an XPath expression, got {expr!r} ({exc})") from exc
    else:
        from parsel.csstranslator import HTMLTranslator

        try:
            HTMLTranslator().css_to_xpath(expr)
        except Exception as exc:  # noqa: BLE001 - cssselect raises several types
            raise ValueError(f"expected a CSS selector, got {expr!r} ({exc})") from exc
    return expr


class Pagination(_Strict):
    """How a listing moves on: a next link, a page number, an offset or a cursor."""

    type: Literal["next_link", "page_param", "offset", "cursor", "none"] = "next_link"
    next_selector: str = "a.next::attr(href)"  # next_link: selector (HTML) or JSON path (JSON) of the next URL
    param: str = "page"  # page_param: the page-number parameter; offset: the offset parameter
    start: int = Field(1, ge=0)  # page_param: the first page number; offset: the first offset
    size_param: str = ""  # the page-size parameter, if any
    size: int = Field(50, ge=1, le=1000)
    total: str = ""  # JSON path of the total number of entries, when the API says it
    cursor_param: str = "cursor"  # cursor: the query parameter carrying the cursor
    cursor_path: str = "next_cursor"  # cursor: the JSON path of the next cursor
    max_pages: int = Field(10_000, ge=1)  # hard stop, whatever the site says


class FieldSpec(_Strict):
    """One field: exactly one of css, xpath, json, label, template or value says where it comes from."""

    path: str = ""  # a bare string in the file: a selector on pages, a JSON path on a JSON API's entries
    css: str = ""  # CSS selector (XPath when it starts with / ( ./ or is '.')
    xpath: str = ""
    json_path: str = Field("", alias="json")  # dotted path into a JSON entry ('a.b.0.c')
    label: str = ""  # the value of the row with this label in the page's label table
    template: str | list[str] = ""  # from the entry's other fields: "{origin}/dishonest/{id}"; a list: the first one all of whose fields are there
    value: Any = None  # a constant, e.g. dishonest: {value: true}
    all: bool = False  # every match, as a list (default: the first)
    split: str = ""  # a regex that splits the text into a list ("[；;]")
    pattern: str = ""  # a regex: keep its first group (or the whole match)
    map: dict[str, Any] = Field(default_factory=dict)  # value map, e.g. role labels -> roles
    default: Any = None  # when the value is empty, or not in the map
    type: FieldType = "text"
    date_format: str = ""  # type date: a strptime format tried before the Chinese styles
    required: bool = False  # an entry or page without it is skipped (a detail page: counted broken)

    @model_validator(mode="after")
    def _one_origin(self) -> FieldSpec:
        origins = [k for k in ("path", "css", "xpath", "json_path", "label", "template") if getattr(self, k)]
        if self.value is not None:
            origins.append("value")
        if len(origins) != 1:
            raise ValueError(f"expected exactly one of css, xpath, json, label, template or value, got {origins or 'none'}")
        return self

    @field_validator("css", "xpath")
    @classmethod
    def _selector(cls, v: str) -> str:
        return check_selector(v)

    @field_validator("split", "pattern")
    @classmethod
    def _regex(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"expected a regular expression, got {v!r} ({exc})") from exc
        return v


def _bare_strings(fields: Any) -> Any:
    """``title: "h1"`` is ``title: {path: "h1"}``."""
    if isinstance(fields, dict):
        return {k: {"path": v} if isinstance(v, str) else v for k, v in fields.items()}
    return fields


class LabelTable(_Strict):
    """Label / value pairs (profile tables, <dl> lists): fields with ``label:`` read them."""

    rows: str = ""  # each pair's row; empty: ``label`` and ``value`` match page-wide and are zipped
    label: str
    value: str
    strip: str = "：: "  # characters stripped from the ends of a label

    @field_validator("rows", "label", "value")
    @classmethod
    def _selector(cls, v: str) -> str:
        return check_selector(v)


class Table(_Strict):
    """Repeated rows of a page (parties, people, register entries): a list of dicts."""

    records: str  # selector of each row
    fields: dict[str, FieldSpec]

    @field_validator("fields", mode="before")
    @classmethod
    def _bare(cls, v: Any) -> Any:
        return _bare_strings(v)

    @field_validator("records")
    @classmethod
    def _selector(cls, v: str) -> str:
        return check_selector(v)


class PageSpec(_Strict):
    """What to read from a page: a listing's entries (``records``), or one detail page."""

    records: str = ""  # listing: selector (HTML) or JSON path (JSON) of each entry
    page_fields: dict[str, FieldSpec] = Field(default_factory=dict)  # listing: read once per page (year ...)
    labels: LabelTable | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    tables: dict[str, Table] = Field(default_factory=dict)

    @field_validator("page_fields", "fields", mode="before")
    @classmethod
    def _bare(cls, v: Any) -> Any:
        return _bare_strings(v)


class Feed(_Strict):
    """One listing of a site and what to read from it. The source's own top-level
    ``access`` / ``start_urls`` / ``pagination`` / ``list`` / ``detail`` are its main feed."""

    access: Access = "list_detail"
    start_urls: list[str] = Field(min_length=1)
    pagination: Pagination = Field(default_factory=Pagination)
    listing: PageSpec = Field(default_factory=PageSpec, alias="list")
    detail: PageSpec | None = None  # fetched for each entry with a ``url``; none: the entry is the item

    @model_validator(mode="after")
    def _html_selectors(self) -> Feed:
        check_page_selectors(self.access, self.listing, self.detail)
        return self

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, v: list[str]) -> list[str]:
        return check_urls(v)


def check_urls(urls: list[str]) -> list[str]:
    for u in urls:
        if not re.match(r"^https?://[^/\s]+", u):
            raise ValueError(f"expected an absolute http(s) URL, got {u!r}")
    return urls


def check_page_selectors(access: str, listing: PageSpec, detail: PageSpec | None) -> None:
    """Bare strings (``path``) are selectors on HTML / XML pages (JSON paths on a JSON API's
    entries): check them as selectors where they are; the error names the field."""
    pages = ([] if access == "json_api" else [("list", listing)]) + ([("detail", detail)] if detail else [])
    for where, page in pages:
        named = [(f"{where}.fields.{k}", d) for k, d in page.fields.items()]
        named += [(f"{where}.page_fields.{k}", d) for k, d in page.page_fields.items()]
        named += [(f"{where}.tables.{t}.fields.{k}", d) for t, table in page.tables.items() for k, d in table.fields.items()]
        if page.records:
            named.append((f"{where}.records", FieldSpec(path=page.records)))
        for name, decl in named:
            try:
                check_selector(decl.path)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None


class SiteCrawl(_Strict):
    """promo: each listed site is crawled from its sitemap and its own links."""

    sitemap: str = "{scheme}://{host}/sitemap.xml"  # template; "" for none
    links: str = "a::attr(href)"  # links followed within the site
    max_links: int = Field(500, ge=0)  # links read per page

    @field_validator("links")
    @classmethod
    def _selector(cls, v: str) -> str:
        return check_selector(v)


# Standard formats read without declaring anything (a source may still declare its own):
# the sitemap protocol (sitemaps.org) and RSS 2.0 / Atom. XML namespaces are dropped first.
XML_DEFAULTS: dict[str, PageSpec] = {
    "sitemap": PageSpec(records="//url", fields={"url": "./loc/text()", "published": {"xpath": "./lastmod/text()", "type": "date"}}),
    "rss": PageSpec(records="//item | //entry", fields={
        "url": "./link/text() | ./link/@href", "title": "./title/text()",
        "published": {"xpath": "./pubDate/text() | ./published/text() | ./updated/text()", "type": "date"},
    }),
}
SITEMAP_INDEX = "//sitemap/loc/text()"  # a sitemap index lists more sitemaps
