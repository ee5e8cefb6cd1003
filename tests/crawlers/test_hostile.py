"""Each hostile behaviour of a site, crawled for real: counted by type, never a crash."""

from __future__ import annotations

from indexing.models import stable_id

HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_5xx_bursts_are_retried(crawl, site, open_db):
    site.set_hostile("complaints.sandbox.test", "errors_5xx")
    run = crawl("complaints")
    s = run.sources["complaints"]
    assert s.items == 3 and not s.errors, s  # two 503s per URL, then success
    assert site.hits[("complaints.sandbox.test", "/complaint/c1")] == 3


def test_429_retry_after_is_honoured(crawl, site):
    site.set_hostile("amac.sandbox.test", "rate_limit")  # first hit of each URL: 429, Retry-After: 1
    run = crawl("amac")
    assert run.sources["amac"].items == 1 and not run.sources["amac"].errors
    times = [t for t, h, k in site.log if h == "amac.sandbox.test" and k.startswith("/api/managers")]
    assert len(times) == 2 and times[1] - times[0] >= 0.95  # waited as told, not the 0.05 s backoff


def test_slow_site_times_out_and_is_counted(crawl, site):
    site.set_hostile("amac.sandbox.test", "slow")  # 3 s per response
    run = crawl("amac", settings={"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "0"})
    s = run.sources["amac"]
    assert s.errors.get("timeout", 0) >= 1 and s.items == 0, s
    assert run.status == "ok"  # a slow source is a counted error, not a failed run


def test_robots_txt_is_obeyed(crawl, site):
    site.set_hostile("complaints.sandbox.test", "robots")  # Disallow: /complaint/
    run = crawl("complaints")
    s = run.sources["complaints"]
    assert s.errors.get("robots") == 3 and s.items == 0, s
    assert not [k for (h, k) in site.hits if h == "complaints.sandbox.test" and k.startswith("/complaint/")]


def test_captcha_marks_source_blocked_and_stops(crawl, site, open_db):
    site.set_hostile("registry.sandbox.test", "captcha")
    run = crawl("registry")
    s = run.sources["registry"]
    assert s.blocked and "captcha" in s.blocked_reason and s.items == 0, s
    assert run.status == "partial" and "registry" in run.message
    fetched = [k for (h, k) in site.hits if h == "registry.sandbox.test" and k != "/robots.txt"]
    assert fetched == ["/companies?page=1"]  # stopped at the interstitial, nothing solved, nothing more


def _calendar(host):
    def handler(h, key, headers):
        if h != host:
            return None
        if key == "/":
            return 200, HTML, b'<html><body><a href="/calendar/2024/1">calendar</a><a href="/thread/1">t</a></body></html>'
        if key.startswith("/calendar/"):
            y, m = (int(x) for x in key.split("/")[2:4])
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            return 200, HTML, f'<html><body><div class="content">{key}</div><a href="/calendar/{y}/{m}">next</a></body></html>'.encode()
        return None

    return handler


def test_trap_patterns_and_depth_limit(crawl, site, tmp_path):
    site.handlers.append(_calendar("forum.test"))
    run = crawl("web")
    assert run.sources["web"].errors.get("trap", 0) >= 1
    assert not [k for (h, k) in site.hits if k.startswith("/calendar/")]  # the pattern: never fetched
    # Without the pattern, the depth limit still ends the endless calendar.
    cfg = tmp_path / "cfg"
    (cfg / "sources").mkdir(parents=True)
    (cfg / "sources" / "web.yaml").write_text(
        'kind: promo\nstart_urls: ["http://web.sandbox.test/sites?page=1"]\nproxy: ${SMOKE_SANDBOX_PROXY}\n'
        'list: {records: "ul.sites a.site", fields: {url: "::attr(href)"}}\n'
        'detail: {fields: {content: {css: "div.content, div.post", type: html, all: true}}}\n'
        "traps: {depth_limit: 5}\n", encoding="utf-8")
    crawl("web", config_dir=cfg)
    cal = [k for (h, k) in site.hits if k.startswith("/calendar/")]
    assert 0 < len(cal) <= 4


def test_duplicate_urls_fetch_and_store_once(crawl, site, open_db):
    def handler(h, key, headers):
        if h == "forum.test" and key == "/":
            return 200, HTML, (b'<html><body><a href="/thread/1?utm_source=wx">a</a><a href="/thread/1/">b</a>'
                               b'<a href="/thread/1/index.html">c</a><a href="/thread/1?utm_medium=x&amp;utm_campaign=y">d</a>'
                               b"</body></html>")
        return None

    site.handlers.append(handler)
    crawl("web")
    assert not [k for (h, k) in site.hits if "utm_" in k]
    assert site.hits[("forum.test", "/thread/1")] == 1
    db = open_db()
    assert sum(1 for d in db.iter_documents("promo") if "thread/1" in d.url) == 1


def test_same_content_under_two_urls_is_one_document(crawl, site, open_db):
    body = (Path_fixture("promo/forum.test/thread/1.html")).read_bytes()

    def handler(h, key, headers):
        if h == "forum.test" and key == "/":
            return 200, HTML, b'<html><body><a href="/thread/1">a</a><a href="/print/1">print</a></body></html>'
        if h == "forum.test" and key == "/print/1":
            return 200, HTML, body
        return None

    site.handlers.append(handler)
    run = crawl("web")
    db = open_db()
    urls = [d.url for d in db.iter_documents("promo") if d.domain == "forum.test" and "鑫盛宝" in d.text]
    assert len(urls) == 1, urls
    assert run.sources["web"].errors == {}


def Path_fixture(rel):  # noqa: N802
    from pathlib import Path

    return Path(__file__).parent / "fixtures" / rel


def test_malformed_html_wrong_charset_and_oversized(crawl, site, open_db):
    big5 = '<html><head><title>鑫盛寶</title></head><body><div class="content">鑫盛寶穩賺不賠，保本保息，月息三分</div></body></html>'

    def handler(h, key, headers):
        if h != "forum.test":
            return None
        if key == "/thread/1":  # unclosed tags everywhere
            return 200, HTML, '<html><body><div class="post"><p>鑫盛宝<b>拉人头<div class="post">第二帖<i>无结尾'.encode()
        if key == "/thread/2":  # Big5 bytes, header says GBK, no meta
            return 200, {"Content-Type": "text/html; charset=gbk"}, big5.encode("big5")
        if key == "/":
            return 200, HTML, b'<html><body><a href="/thread/1">1</a><a href="/thread/2">2</a><a href="/huge">3</a></body></html>'
        if key == "/huge":  # several MB: over the source's max_bytes
            return 200, HTML, b"<html><body>" + b"x" * (5 * 1024 * 1024) + b"</body></html>"
        return None

    site.handlers.append(handler)
    run = crawl("web")
    s = run.sources["web"]
    assert s.errors.get("oversized") == 1, s
    db = open_db()
    t1 = db.get_document(stable_id("http://forum.test/thread/1"))
    assert "拉人头" in t1.text and "第二帖" in t1.text
    t2 = db.get_document(stable_id("http://forum.test/thread/2"))
    assert t2.encoding == "big5" and "稳赚不赔" in t2.text and "穩賺不賠" in t2.raw_text  # simplified in text, raw kept
    assert t2.mentions and t2.mentions[0].method == "alias" if db.count_companies() else True


def test_parse_error_on_one_page_is_counted(crawl, site):
    def handler(h, key, headers):
        if h == "amac.sandbox.test" and key.startswith("/api/managers"):
            return 200, {"Content-Type": "application/json"}, b'{"total": 1, "items": [{"name": "x"'
        return None

    site.handlers.append(handler)
    run = crawl("amac")
    assert run.sources["amac"].errors == {"bad_json": 1}


def test_long_listing_is_not_cut_by_the_trap_depth_limit(crawl, site, open_db):
    """Pagination does not count as depth: sites listed on directory page 8 are crawled
    although the trap limit is depth 2 (a 1,000-company world lost 853 pages to this)."""
    pages = 8

    def directory(host: str, key: str, headers: dict[str, str]):
        if host == "web.sandbox.test" and key.startswith("/sites?page="):
            n = int(key.split("=")[1])
            nxt = f'<a class="next" href="/sites?page={n + 1}">下一页</a>' if n < pages else ""
            body = f'<ul class="sites"><li><a class="site" href="http://deep{n}.test/">站{n}</a></li></ul>{nxt}'
            return 200, HTML, f"<html><body>{body}</body></html>".encode()
        if host.startswith("deep") and key == "/":
            text = f"<html><head><title>站{host}</title></head><body><div class='content'>{host} 的页面正文</div></body></html>"
            return 200, HTML, text.encode()
        if host.startswith("deep"):
            return 404, HTML, b"not here"
        return None

    site.handlers.append(directory)
    run = crawl("web", settings={"DEPTH_LIMIT": "2"})
    assert run.sources["web"].items >= pages, run.sources["web"]
    urls = {d.url for d in open_db(crawl.store_path).iter_documents("promo")}
    assert {f"http://deep{n}.test/" for n in range(1, pages + 1)} <= urls
