"""Fixture-based parsing per source kind: saved pages -> items, no network."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from crawlers.items import AmacItem, CompanyItem, DocumentItem
from crawlers.spiders.amac import Amac
from crawlers.spiders.complaint import Complaint
from crawlers.spiders.court import Court
from crawlers.spiders.promo import Promo
from crawlers.spiders.registry import Registry

FIX = Path(__file__).parent / "fixtures"
A = "91440300MA5F00001A"


def response(kind: str, host: str, path: str, url: str, meta: dict | None = None):
    body = (FIX / kind / host / path).read_bytes()
    req = Request(url, meta=meta or {})
    cls = TextResponse if path.endswith(".json") else HtmlResponse
    return cls(url=url, body=body, encoding="utf-8", request=req, headers={"ETag": 'W/"x"'})


def items(results, cls):
    return [r for r in results if isinstance(r, cls)]


def requests(results):
    return [r for r in results if isinstance(r, Request)]


def test_registry_list_and_profile():
    sp = Registry(source="registry")
    out = list(sp.parse_listing(response("registry", "registry.sandbox.test", "companies@page=1.html",
                                      "http://registry.sandbox.test/companies?page=1")))
    urls = [r.url for r in requests(out)]
    assert "http://registry.sandbox.test/companies?page=2" in urls
    assert sum("/company/" in u for u in urls) == 2
    assert all(r.meta["conditional"] for r in requests(out) if "/company/" in r.url)
    (item,) = items(sp.parse_detail(response("registry", "registry.sandbox.test", f"company/{A}.html",
                                             f"http://registry.sandbox.test/company/{A}")), CompanyItem)
    c = item.company
    assert c["credit_code"] == A and c["name"] == "深圳市鑫盛财富投资管理有限公司"
    assert c["former_names"] == ["深圳市鑫盛投资咨询有限公司"] and c["aliases"] == ["鑫盛宝", "鑫盛财富"]
    assert c["websites"] == ["xinsheng.test"] and c["registered_capital"] == 5000.0
    assert c["phones"] == ["0755-1234567", "13800000000"] and c["region_code"] == "440300"
    kinds = sorted(e["kind"] for e in c["entries"])
    assert kinds == ["abnormal", "change", "penalty"]
    assert c["people"][1] == {"name": "孙八", "role": "shareholder", "share": 0.35}
    assert item.etag == 'W/"x"'


def test_court_judgment_and_dishonest_api():
    sp = Court(source="court")
    out = list(sp.parse_listing(response("court", "court.sandbox.test", "judgments@page=1.html",
                                      "http://court.sandbox.test/judgments?page=1")))
    assert [r.url for r in requests(out)] == ["http://court.sandbox.test/judgment/j1", "http://court.sandbox.test/judgment/j2"]
    assert sp.new_watermark == "2024-08-01"
    (doc,) = items(sp.parse_detail(response("court", "court.sandbox.test", "judgment/j1.html",
                                            "http://court.sandbox.test/judgment/j1")), DocumentItem)
    assert doc.fields["case_no"] == "（2024）粤03刑初100号" and doc.fields["cause"] == "非法吸收公众存款"
    assert doc.fields["amount"] == 12_000_000 and doc.published == "2024-08-01"
    assert {"credit_code": A, "method": "party", "confidence": 1.0, "role": "defendant"} in doc.mentions
    assert {"name": "深圳市人民检察院", "role": "plaintiff", "fuzzy": False} in doc.mentions
    out = list(sp.parse_listing(response("court", "court.sandbox.test", "api/dishonest@page=1&size=50.json",
                                           "http://court.sandbox.test/api/dishonest?page=1&size=50", {"page_no": 1, "feed": "dishonest"})))
    (d,) = items(out, DocumentItem)
    assert d.fields["dishonest"] and d.mentions[0]["credit_code"] == A and d.mentions[0]["role"] == "dishonest"
    assert [r.url for r in requests(out)] == ["http://court.sandbox.test/api/dishonest?page=2&size=50"]


def test_complaint_api_cursor_and_detail():
    sp = Complaint(source="complaints")
    out = list(sp.parse_listing(response("complaint", "complaints.sandbox.test", "api/complaints@limit=50.json",
                                     "http://complaints.sandbox.test/api/complaints?limit=50")))
    urls = [r.url for r in requests(out)]
    assert urls[-1] == "http://complaints.sandbox.test/api/complaints?cursor=abc&limit=50"
    assert urls[:2] == ["http://complaints.sandbox.test/complaint/c1", "http://complaints.sandbox.test/complaint/c2"]
    (entry,) = [r.meta["entry"] for r in requests(out) if r.url.endswith("/c1")]
    (doc,) = items(sp.parse_detail(response("complaint", "complaints.sandbox.test", "complaint/c1.html",
                                            "http://complaints.sandbox.test/complaint/c1", {"entry": entry})), DocumentItem)
    assert doc.typed_company == "鑫盛宝" and doc.fields["amount"] == 50000 and doc.published == "2024-07-01"
    last = list(sp.parse_listing(response("complaint", "complaints.sandbox.test", "api/complaints@cursor=abc&limit=50.json",
                                      "http://complaints.sandbox.test/api/complaints?cursor=abc&limit=50")))
    assert not [r for r in requests(last) if "/api/" in r.url]  # next_cursor null: the end


def test_amac_api():
    sp = Amac(source="amac")
    out = list(sp.parse_listing(response("amac", "amac.sandbox.test", "api/managers@page=1&size=100.json",
                                     "http://amac.sandbox.test/api/managers?page=1&size=100")))
    (m,) = items(out, AmacItem)
    assert m.credit_code == "91310000MA1K00003F" and m.registration_no == "P1000001"
    assert requests(out) == []  # total reached


def test_promo_directory_sitemap_and_page():
    sp = Promo(source="web")
    out = list(sp.parse_listing(response("promo", "web.sandbox.test", "sites@page=1.html", "http://web.sandbox.test/sites?page=1")))
    assert {r.url for r in requests(out)} >= {"http://xinsheng.test/sitemap.xml", "http://xinsheng.test/", "http://forum.test/"}
    out = list(sp.parse_detail(response("promo", "forum.test", "thread/1.html", "http://forum.test/thread/1",
                                      {"site_host": "forum.test"})))
    (doc,) = items(out, DocumentItem)
    assert doc.fields["page_type"] == "forum" and doc.fields["posts"] == 2
    assert doc.fields["invite_codes"] == ["AB12CD"] and doc.published == "2024-06-01"


def test_spider_arguments_are_checked():
    from crawlers.errors import SpiderArgumentError

    with pytest.raises(SpiderArgumentError, match="kind 'court'"):
        Registry(source="court")
    with pytest.raises(SpiderArgumentError, match="not configured"):
        Registry(source="nope")
