"""Every site answers as docs/sandbox-sites.md says, through the proxy."""

from __future__ import annotations

import re
import socket
from urllib.parse import quote

from lxml import html as lxml_html

from sandbox.creditcode import is_valid
from sandbox.truth import iter_companies, iter_documents

PROFILE_LABELS = ("统一社会信用代码", "企业名称", "曾用名", "法定代表人", "注册资本", "实缴资本", "成立日期", "登记状态", "住所",
                  "行政区划", "所属行业", "经营范围", "联系电话", "电子邮箱", "网站", "品牌")


def _tree(r):
    return lxml_html.fromstring(r.body)


def test_registry_list_pages_until_the_end_and_profiles(client, world):
    codes, n = [], 1
    while True:
        r = client.get(f"http://registry.sandbox.test/companies?page={n}")
        assert r.status == 200 and "charset=utf-8" in r.headers["Content-Type"]
        t = _tree(r)
        codes += [a.get("href").rsplit("/", 1)[1] for a in t.cssselect("ul.company-list li a.company")]
        nxt = t.cssselect("a.next")
        if not nxt:
            break
        assert nxt[0].get("href") == f"/companies?page={n + 1}"
        n += 1
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    assert len(codes) == sum(1 for c in iter_companies(world) if c["founded"] <= "2024-06-30")
    assert n == -(-len(codes) // 50)
    scheme = next(c for c in iter_companies(world) if c["is_scheme"] and c["collapse"] and c["collapse"] < "2023-06-01")
    t = _tree(client.get(f"http://registry.sandbox.test/company/{scheme['credit_code']}"))
    labels = [th.text_content() for th in t.cssselect("table.profile th")]
    assert labels == list(PROFILE_LABELS)
    values = dict(zip(labels, [td.text_content() for td in t.cssselect("table.profile td")], strict=True))
    assert values["统一社会信用代码"] == scheme["credit_code"] and is_valid(values["统一社会信用代码"])
    assert re.fullmatch(r"\d+万元人民币", values["注册资本"]) and re.fullmatch(r"\d{6}", values["行政区划"])
    assert values["网站"] and all(d.endswith(".test") for d in values["网站"].split("；"))
    for cls in ("people", "abnormal", "penalties", "serious", "changes"):
        assert t.cssselect(f"table.{cls} tbody"), cls
    assert {td.text_content() for td in t.cssselect("table.people td.role")} >= {"法定代表人", "股东"}
    reasons = [td.text_content() for td in t.cssselect("table.abnormal td.reason")]
    assert "通过登记的住所或者经营场所无法联系" in reasons
    assert t.cssselect("table.abnormal td.authority") and t.cssselect("table.abnormal td.removed")
    assert client.get("http://registry.sandbox.test/company/911101050000000000").status == 404


def test_registry_search_finds_names_and_former_names(client, world):
    truth = next(c for c in iter_companies(world) if c["is_scheme"])
    word = truth["name"][2:6]
    t = _tree(client.get(f"http://registry.sandbox.test/search?q={quote(word)}"))
    hrefs = [a.get("href") for a in t.cssselect("ul.company-list a.company")]
    assert f"/company/{truth['credit_code']}" in hrefs
    renamed = [c for c in iter_companies(world) if len(c["names"]) > 1]
    if renamed:
        t = _tree(client.get("http://registry.sandbox.test/search?q=" + quote(renamed[0]["names"][0])))
        assert f"/company/{renamed[0]['credit_code']}" in [a.get("href") for a in t.cssselect("a.company")]
        prof = _tree(client.get(f"http://registry.sandbox.test/company/{renamed[0]['credit_code']}"))
        assert renamed[0]["names"][0] in prof.cssselect("table.profile")[0].text_content()


def test_court_judgments_and_dishonest_api(client, world):
    t = _tree(client.get("http://court.sandbox.test/judgments?page=1"))
    items = t.cssselect("ul.judgments li")
    assert len(items) == 20
    dates = [li.cssselect("span.date")[0].text for li in items]
    assert dates == sorted(dates, reverse=True)
    n, total = 1, 0
    while True:
        t = _tree(client.get(f"http://court.sandbox.test/judgments?page={n}"))
        total += len(t.cssselect("a.judgment"))
        if not t.cssselect("a.next"):
            break
        n += 1
    assert total == sum(1 for d in iter_documents(world) if d["kind"] == "judgment")
    criminal = next(d for d in iter_documents(world) if d["kind"] == "judgment" and "/judgment/" in d["url"]
                    and "刑" in _tree(client.get(d["url"])).cssselect("dl.meta")[0].text_content())
    j = _tree(client.get(criminal["url"]))
    assert j.cssselect("h1.title")[0].text_content()
    dts = [dt.text for dt in j.cssselect("dl.meta dt")]
    assert dts[:5] == ["案号", "法院", "裁判日期", "案由", "文书类型"]
    roles = {li.get("data-role") for li in j.cssselect("ul.parties li")}
    assert roles <= {"plaintiff", "defendant", "third_party"} and "defendant" in roles
    assert "罪" in j.cssselect("dl.meta")[0].text_content()
    assert len(j.cssselect("div.content")[0].text_content()) > 100
    page1 = client.json("http://court.sandbox.test/api/dishonest?page=1&size=50")
    assert set(page1) == {"total", "page", "size", "items"} and page1["total"] > 0
    item = page1["items"][0]
    assert set(item) == {"id", "case_no", "name", "credit_code", "court", "publish_date", "duty", "performance", "region"}
    assert any(i["credit_code"] == "" for i in page1["items"]) and any(i["credit_code"] for i in page1["items"])
    last = client.json(f"http://court.sandbox.test/api/dishonest?page={page1['total'] // 50 + 2}&size=50")
    assert last["items"] == []


def test_complaints_cursor_api_walks_everything_oldest_first(client, world):
    seen, cursor = [], None
    while True:
        url = "http://complaints.sandbox.test/api/complaints?limit=50" + (f"&cursor={cursor}" if cursor else "")
        data = client.json(url)
        assert set(data) == {"items", "next_cursor"}
        seen += data["items"]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == sum(1 for d in iter_documents(world) if d["kind"] == "complaint")
    assert [i["date"] for i in seen] == sorted(i["date"] for i in seen)
    assert len({i["id"] for i in seen}) == len(seen)
    item = seen[0]
    assert set(item) == {"id", "title", "company", "date", "amount", "demand", "status", "url"}
    t = _tree(client.get(item["url"]))
    assert t.cssselect("h1.title")[0].text_content() == item["title"]
    for cls in ("company", "date", "amount", "demand", "status"):
        assert t.cssselect(f"div.meta span.{cls}"), cls
    assert t.cssselect("div.content")[0].text_content()


def test_amac_managers(client, world):
    data = client.json("http://amac.sandbox.test/api/managers?page=1&size=100")
    assert data["total"] >= 1 and data["page"] == 1 and data["size"] == 100
    assert set(data["items"][0]) == {"name", "credit_code", "registration_no", "registered_date", "status"}


def test_directory_and_promotional_sites(client, world):
    domains, n = [], 1
    while True:
        t = _tree(client.get(f"http://web.sandbox.test/sites?page={n}"))
        domains += [a.get("href") for a in t.cssselect("ul.sites a.site")]
        if not t.cssselect("a.next"):
            break
        n += 1
    assert len(domains) > 50 and all(re.fullmatch(r"http://[a-z0-9-]+\.test/", d) for d in domains)
    promo = next(d for d in iter_documents(world) if d["kind"] == "promo" and d["url"].endswith("/plan.html"))
    base = promo["url"].rsplit("/", 1)[0]
    assert client.get(base + "/robots.txt").body.startswith(b"User-agent: *")
    sm = client.get(base + "/sitemap.xml")
    assert sm.status == 200 and b"<urlset" in sm.body and b"<lastmod>" in sm.body
    assert promo["url"].encode() in sm.body
    r = client.get(promo["url"])
    t = lxml_html.fromstring(r.text())
    assert t.cssselect("div.content") and t.findtext(".//title")
    assert t.cssselect('meta[name="published"]')[0].get("content") == promo["date"]
    thread = next(d for d in iter_documents(world) if "/thread/" in d["url"])
    t = lxml_html.fromstring(client.get(thread["url"]).text())
    assert len(t.cssselect("div.post")) >= 2
    joined = [d for d in iter_documents(world) if d["url"].endswith("/join.html")]
    assert any("邀请码：" in client.get(d["url"]).text() for d in joined)


def test_origin_form_requests_by_host_header(server):
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(b"GET /companies?page=1 HTTP/1.1\r\nHost: registry.sandbox.test\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200") and b'class="company-list"' in data


def test_unknown_host_is_refused(client):
    assert client.get("http://nowhere-at-all.test/").status == 502


def test_conditional_requests_get_304(client, world):
    url = next(d["url"] for d in iter_documents(world) if d["kind"] == "judgment")
    r = client.get(url)
    etag, lm = r.headers["ETag"], r.headers["Last-Modified"]
    assert etag.startswith('W/"') and lm.endswith("GMT")
    assert client.get(url, {"If-None-Match": etag}).status == 304
    assert client.get(url, {"If-Modified-Since": lm}).status == 304
    assert client.get(url, {"If-None-Match": 'W/"other"'}).status == 200
    assert client.get(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200
