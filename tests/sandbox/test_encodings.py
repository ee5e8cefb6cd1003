"""Pages are served in UTF-8, GBK, GB18030 and Big5; the meta charset tells the truth."""

from __future__ import annotations

import re
import sqlite3

from lxml import html as lxml_html


def test_every_encoding_is_served_and_decodes(client, world):
    db = sqlite3.connect(world / "world.db")
    seen = {}
    for enc in ("utf-8", "gbk", "gb18030", "big5"):
        row = db.execute("SELECT s.domain, p.path FROM sites s JOIN pages p ON p.domain = s.domain"
                         " WHERE s.encoding = ? AND s.header = 'ok' AND p.kind IN ('promo', 'recruit', 'news', 'other')"
                         " ORDER BY s.domain LIMIT 1", (enc,)).fetchone()
        assert row, enc
        r = client.get(f"http://{row[0]}{row[1]}")
        assert r.status == 200
        assert r.headers["Content-Type"].endswith(f"charset={enc}")
        text = r.body.decode(enc)  # strict: the bytes really are in that encoding
        assert f'<meta charset="{enc}">' in text
        if enc != "utf-8":
            try:
                r.body.decode("utf-8")
                raise AssertionError(f"{enc} page is also valid UTF-8: not really {enc}")
            except UnicodeDecodeError:
                pass
        assert lxml_html.fromstring(text).cssselect("div.content, div.post")
        seen[enc] = text
    assert re.search("[們這個來時會錢]", seen["big5"])  # Big5 sites write traditional characters


def test_missing_charset_header_occurs(client, world):
    db = sqlite3.connect(world / "world.db")
    row = db.execute("SELECT s.domain FROM sites s WHERE s.header = 'missing' LIMIT 1").fetchone()
    assert row
    r = client.get(f"http://{row[0]}/sitemap.xml")
    sm_url = re.search(rb"<loc>([^<]+)</loc>", r.body)
    r = client.get(sm_url.group(1).decode()) if sm_url else client.get(f"http://{row[0]}/")
    assert r.headers["Content-Type"] == "text/html"
