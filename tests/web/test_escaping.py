"""Crawled text is hostile: shown as text, never run."""

from __future__ import annotations

import re

from smoke.web.views import safe_highlight
from tests.web.world import IMG_PAYLOAD, SCRIPT_NAME


def test_safe_highlight_keeps_only_marks():
    assert safe_highlight("a &lt;b&gt; <mark>集资</mark>") == "a &lt;b&gt; <mark>集资</mark>"
    out = safe_highlight('<script>alert(1)</script><mark>x</mark><img src=x onerror=alert(2)>')
    assert "<script" not in out and "<img" not in out and "<mark>x</mark>" in out
    assert safe_highlight("<mark>open") == "<mark>open</mark>"
    assert safe_highlight("</mark>x") == "x"


def _no_inline_script(html: str) -> None:
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag


def test_company_page_escapes(as_role, codes):
    c = as_role("viewer")
    r = c.get(f"/company/{codes['evil']}")
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<script>window.__pwned" not in r.text
    assert 'href="javascript:' not in r.text  # evidence link with javascript: scheme is neutralised
    _no_inline_script(r.text)
    # the JSON data blocks cannot be closed early by crawled text
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', r.text, re.S):
        assert "<" not in block


def test_search_and_lists_escape(as_role):
    c = as_role("viewer")
    for path in ("/search?kind=documents&q=无法提现", "/search?q=投资", "/high-risk", "/", "/alerts?open=0"):
        r = c.get(path)
        assert r.status_code == 200, path
        assert IMG_PAYLOAD not in r.text and "<img" not in r.text, path
        assert SCRIPT_NAME not in r.text and "window.__pwned=1</script>" not in r.text, path
        _no_inline_script(r.text)
