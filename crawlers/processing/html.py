"""HTML clean-up and boilerplate removal: the text a reader sees, nothing else.

Scripts, styles, navigation, headers, footers, forms and comments are dropped;
when the site config names a content selector, only that is kept. Text that is only
in ``alt`` attributes (promotional banners put the yield there) is collected too.
Malformed, unclosed HTML (sandbox ``malformed``) is repaired by lxml's parser.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "template")
_BOILERPLATE_CLASS = re.compile(r"(^|[\s_-])(nav|menu|footer|header|sidebar|breadcrumb|copyright|share|ad|ads)([\s_-]|$)", re.I)
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "section", "article", "table")
_WS = re.compile(r"[ \t\r\f\v\u3000]+")
_NL = re.compile(r"\n\s*\n+")
MAX_TEXT = 200_000  # characters kept per page: crawled text is hostile, cap it


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def clean_html(html: str, content_selector: str = "") -> tuple[str, str, list[str]]:
    """(title, main text, alt texts) of a page."""
    soup = soup_of(html)
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for tag in soup.find_all(_DROP):
        tag.decompose()
    roots = soup.select(content_selector) if content_selector else []
    if not roots:
        for tag in soup.find_all(True, attrs={"class": True}):
            if getattr(tag, "decomposed", False) or tag.attrs is None:
                continue  # inside an element removed earlier in this loop
            if _BOILERPLATE_CLASS.search(" ".join(tag.get("class") or [])):
                tag.decompose()
        roots = [soup.body or soup]
    alts = [img.get("alt", "").strip() for r in roots for img in r.find_all("img") if img.get("alt", "").strip()]
    parts = [element_text(r) for r in roots]
    text = "\n\n".join(p for p in parts if p)
    return title[:500], text[:MAX_TEXT], alts[:200]


def element_text(el) -> str:
    """Text of one element with block elements on their own lines."""
    for br in el.find_all("br"):
        br.replace_with("\n")
    for tag in el.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = el.get_text("")
    text = _WS.sub(" ", text)
    lines = [ln.strip() for ln in text.split("\n")]
    return _NL.sub("\n\n", "\n".join(ln for ln in lines if ln)).strip()
