"""Each hostile behaviour is served, switched per host through the control host."""

from __future__ import annotations

import time

from lxml import html as lxml_html

from sandbox.server import SandboxServer
from sandbox.truth import iter_documents

REG = "http://registry.sandbox.test"


def _switch(client, host: str, behaviour: str, on: bool = True) -> None:
    r = client.json(f"http://control.sandbox.test/hostile?site={host}&behaviour={behaviour}&on={int(on)}")
    assert (behaviour in r["overrides"][host]) and r["overrides"][host][behaviour] is on


def _promo(world) -> tuple[str, str]:
    url = next(d["url"] for d in iter_documents(world) if d["url"].endswith("/plan.html"))
    return url.split("/")[2], url


def test_errors_5xx_come_in_bursts_and_stop_when_switched_off(client):
    _switch(client, "registry.sandbox.test", "errors_5xx")
    statuses = [client.get(f"{REG}/companies?page=1").status for _ in range(20)]
    assert {500, 502, 503} <= set(statuses) and 200 in statuses
    assert any(statuses[i] >= 500 and statuses[i + 1] >= 500 for i in range(19))  # a burst
    _switch(client, "registry.sandbox.test", "errors_5xx", False)
    assert all(client.get(f"{REG}/companies?page=1").status == 200 for _ in range(10))


def test_rate_limit_answers_429_with_retry_after(client):
    _switch(client, "court.sandbox.test", "rate_limit")
    rs = [client.get("http://court.sandbox.test/judgments?page=1") for _ in range(30)]
    limited = [r for r in rs if r.status == 429]
    assert limited and limited[0].headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert client.get("http://court.sandbox.test/judgments?page=1").status == 200
    # other hosts are not affected
    assert all(client.get(f"{REG}/companies?page=1").status == 200 for _ in range(15))


def test_slow_responses(server, client):
    server.slow_seconds = 1.2
    _switch(client, "amac.sandbox.test", "slow")
    t = time.monotonic()
    assert client.get("http://amac.sandbox.test/api/managers?page=1").status == 200
    assert time.monotonic() - t >= 1.2


def test_robots_disallows_paths(client, world):
    assert b"Disallow:\n" in client.get(f"{REG}/robots.txt").body
    _switch(client, "registry.sandbox.test", "robots")
    body = client.get(f"{REG}/robots.txt").body.decode()
    assert "Disallow: /search" in body
    host, _ = _promo(world)
    _switch(client, host, "robots")
    assert "Disallow: /private/" in client.get(f"http://{host}/robots.txt").body.decode()
    assert "/private/members.html" in client.get(f"http://{host}/").text()


def test_captcha_interstitial_is_a_200_page(client):
    _switch(client, "registry.sandbox.test", "captcha")
    rs = [client.get(f"{REG}/companies?page=1") for _ in range(8)]
    caps = [r for r in rs if b'id="captcha"' in r.body]
    assert caps and all(r.status == 200 for r in caps)
    assert any(b"company-list" in r.body for r in rs)


def test_trap_is_an_endless_calendar(client, world):
    host, _ = _promo(world)
    _switch(client, host, "trap")
    home = lxml_html.fromstring(client.get(f"http://{host}/").text())
    href = next(a.get("href") for a in home.iter("a") if (a.get("href") or "").startswith("/calendar/"))
    for _ in range(40):
        t = lxml_html.fromstring(client.get(f"http://{host}{href}").text())
        href = max(a.get("href") for a in t.iter("a") if (a.get("href") or "").startswith("/calendar/"))
    assert href.startswith("/calendar/2027/")


def test_duplicates_serve_the_same_page_under_several_urls(client, world):
    host, url = _promo(world)
    assert client.get(url + "/").status == 404
    _switch(client, host, "duplicates")
    base = client.get(url).body
    assert client.get(url + "?utm_source=wechat").body == base
    assert client.get(url + "/").body == base
    home = client.get(f"http://{host}/").body
    assert client.get(f"http://{host}/index.html").body == home
    assert b"utm_source=" in home
    _switch(client, "registry.sandbox.test", "duplicates")
    code = lxml_html.fromstring(client.get(f"{REG}/companies?page=1").body).cssselect("a.company")[0].get("href")
    assert client.get(f"{REG}{code}/").body == client.get(f"{REG}{code}").body


def test_malformed_html_still_carries_the_classes(client):
    _switch(client, "registry.sandbox.test", "malformed")
    body = client.get(f"{REG}/companies?page=1").body.decode()
    assert "</li>" not in body and "</html>" not in body and 'class="company-list"' in body
    assert len(lxml_html.fromstring(body).cssselect("a.company")) == 50


def test_wrong_charset_header(client, world):
    host, url = _promo(world)
    _switch(client, host, "wrong_charset")
    r = client.get(url)
    meta = r.text() and r.body.split(b'<meta charset="')[1].split(b'"')[0].decode()
    header = r.headers["Content-Type"].split("charset=")[1]
    assert header != meta


def test_oversized_pages(client, world):
    host, _ = _promo(world)
    _switch(client, host, "oversized")
    assert "/big.html" in client.get(f"http://{host}/").text()
    r = client.get(f"http://{host}/big.html")
    assert r.status == 200 and len(r.body) > 3_000_000


def test_script_planted_in_crawled_text_is_escaped_markup(client, world):
    host, url = _promo(world)
    _switch(client, host, "script")
    r = client.get(url)
    t = lxml_html.fromstring(r.text())
    assert '<script>alert("sandbox-xss")</script>' in t.cssselect("div.content")[0].text_content()
    assert b"<script>" not in r.body  # it is text on the page, not a script element
    _switch(client, "complaints.sandbox.test", "script")
    item = client.json("http://complaints.sandbox.test/api/complaints?limit=1")["items"][0]
    assert "<script>" in lxml_html.fromstring(client.get(item["url"]).body).cssselect("div.content")[0].text_content()


def test_profiles_switch_many_hosts_at_once(world):
    with SandboxServer(world, hostile="nasty") as s:
        assert "captcha" in s.hostile.behaviours("registry.sandbox.test")
        assert "trap" in s.hostile.behaviours("anything.test")
        s.set_hostile("anything.test", "trap", False)
        assert "trap" not in s.hostile.behaviours("anything.test")
    with SandboxServer(world, hostile="none") as s:
        assert not s.hostile.behaviours("registry.sandbox.test")
