"""Time-aware serving: nothing dated after as_of exists; after a collapse its court
records and penalties are there."""

from __future__ import annotations

from datetime import date, timedelta

from lxml import html as lxml_html

from sandbox.truth import iter_companies, iter_documents


def _minus(d: str, days: int) -> str:
    return (date.fromisoformat(d) - timedelta(days=days)).isoformat()


def test_before_launch_nothing_of_a_scheme_is_served_after_collapse_its_records_are(client, world):
    scheme = next(c for c in iter_companies(world) if c["is_scheme"] and c["collapse"] and c["collapse"] < "2023-03-01"
                  and c["founded"] > "2021-01-01")
    code = scheme["credit_code"]
    docs = [d for d in iter_documents(world) if code in d["credit_codes"]]
    assert any(d["kind"] == "judgment" for d in docs)

    before = _minus(scheme["founded"], 1)
    assert client.json(f"http://control.sandbox.test/as-of?date={before}")["as_of"] == before
    assert client.get(f"http://registry.sandbox.test/company/{code}").status == 404
    for d in docs:
        assert client.get(d["url"]).status in (404, 502), d["url"]
    listing = client.get("http://registry.sandbox.test/search?q=" + scheme["name"][:4].encode().decode("latin-1")
                         if False else "http://registry.sandbox.test/companies?page=1")
    assert code.encode() not in listing.body

    client.json(f"http://control.sandbox.test/as-of?date={_minus(scheme['collapse'], 1)}")
    prof = lxml_html.fromstring(client.get(f"http://registry.sandbox.test/company/{code}").body)
    assert "无法联系" not in prof.cssselect("table.abnormal")[0].text_content()
    crim = [d for d in docs if d["kind"] == "judgment" and d["date"] > scheme["collapse"]]
    for d in crim:
        assert client.get(d["url"]).status == 404

    client.json("http://control.sandbox.test/as-of?date=2024-06-30")
    prof = lxml_html.fromstring(client.get(f"http://registry.sandbox.test/company/{code}").body)
    assert "通过登记的住所或者经营场所无法联系" in prof.cssselect("table.abnormal")[0].text_content()
    for d in crim:
        assert client.get(d["url"]).status == 200
    assert any(client.get(d["url"]).status == 200 for d in docs if d["kind"] == "news")


def test_lists_and_apis_filter_by_date(server, client, world):
    server.set_as_of("2022-01-01")
    comp = client.json("http://complaints.sandbox.test/api/complaints?limit=200")
    assert all(i["date"] <= "2022-01-01" for i in comp["items"])
    dis = client.json("http://court.sandbox.test/api/dishonest?page=1")
    assert all(i["publish_date"] <= "2022-01-01" for i in dis["items"])
    t = lxml_html.fromstring(client.get("http://court.sandbox.test/judgments?page=1").body)
    assert all(s.text <= "2022-01-01" for s in t.cssselect("span.date"))
    sites_then = client.get("http://web.sandbox.test/sites?page=1").body
    server.set_as_of("2024-06-30")
    assert client.get("http://web.sandbox.test/sites?page=1").body != sites_then
    assert client.json("http://control.sandbox.test/as-of")["as_of"] == "2024-06-30"
    assert client.get("http://control.sandbox.test/as-of?date=2024-13-01").status == 400


def test_pages_dated_later_do_not_exist(server, client, world):
    later = [d for d in iter_documents(world) if d["kind"] == "promo" and d["date"] > "2023-01-01"][:10]
    server.set_as_of("2023-01-01")
    for d in later:
        assert client.get(d["url"]).status in (404, 502)
    server.set_as_of("2024-06-30")
    for d in later:
        r = client.get(d["url"])
        assert r.status == 200
        assert f'<meta name="published" content="{d["date"]}">' in r.text()
