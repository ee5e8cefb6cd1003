"""The second family of fixture sites (tests/crawlers/other_sites): one per kind, with
markup, JSON shapes, pagination, encodings and date styles unlike the sandbox's, crawled
through their YAML files alone (other_sites/sources/) by the real runner, subprocesses
and store, served by a real local HTTP server. Every extracted field is checked."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from indexing.models import stable_id
from tests.crawlers.conftest import FAST
from tests.crawlers.siteserver import SiteServer

OTHER = Path(__file__).parent / "other_sites"
A, B, C, D = "91440300MA5F00001A", "91110108MA01000023", "91310000MA1K00003F", "91330100MA2800004R"
SOURCES = ["other_amac", "other_registry", "other_court", "other_complaints", "other_web"]

# Slow lane: the real runner starts crawler processes against a local server (integration
# level, like test_crawl.py). The default run and CI run it.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One crawl of the five sites into a fresh store: (run, store path, server)."""
    from crawlers.runner import run_crawl

    tmp = tmp_path_factory.mktemp("other")
    mp = pytest.MonkeyPatch()
    mp.setenv("SMOKE_HOME", str(tmp / "home"))
    mp.delenv("SMOKE_CONFIG_DIR", raising=False)
    mp.delenv("SMOKE_REDIS_URL", raising=False)
    server = SiteServer(root=OTHER / "pages")
    server.start()
    try:
        run = run_crawl(tmp / "smoke.db", SOURCES, proxy=server.proxy_url, config_dir=OTHER, progress=False,
                        settings=dict(FAST))
        yield run, tmp / "smoke.db", server
    finally:
        server.stop()
        mp.undo()


@pytest.fixture
def db(crawled):
    from indexing.store.sqlite import SQLiteStore

    store = SQLiteStore(crawled[1])
    yield store
    store.close()


def doc(db, url: str):
    d = db.get_document(stable_id(url))
    assert d is not None, url
    return d


def test_every_site_crawled_in_order_with_its_troubles_counted(crawled):
    run, _, server = crawled
    assert list(run.sources) == SOURCES
    st = run.sources
    assert st["other_registry"].errors == {"bad_date": 1}  # 日期不详 in the change log
    assert st["other_court"].errors == {"broken_page": 1}  # a maintenance page where a judgment should be
    for name in ("other_amac", "other_complaints", "other_web"):
        assert st[name].errors == {}, (name, st[name])
    hits = server.fetched()
    # page numbers until an empty page; offsets until the total; a cursor until null; a next link by its text
    assert hits[("qiye.other.test", "/search.do?pageNo=3")] == 1 and ("qiye.other.test", "/search.do?pageNo=4") not in hits
    assert hits[("wenshu.other.test", "/api/search?rows=2&start=2")] == 1
    assert ("wenshu.other.test", "/api/search?rows=2&start=4") not in hits
    assert hits[("dir.other.test", "/api/sites?after=n2&size=1")] == 1
    assert hits[("wenshu.other.test", "/sxbzxr/list?p=2")] == 1


def test_registry_gbk_labels_tables_and_dates(db):
    a = db.get_company(A)
    assert a.name == "深圳市鑫盛财富投资管理有限公司" and a.former_names == ["深圳市鑫盛投资咨询有限公司"]
    assert a.legal_rep == "王大明" and a.registered_capital == 5000.0 and a.founded == "2019-06-01"
    assert a.status == "存续（在营、开业、在册）" and a.address == "某市某区某路1号"
    assert a.business_scope == "投资管理；资产管理"
    assert a.phones == ["0755-1234567", "13800000000"] and a.websites == ["xinsheng.test"]
    assert a.aliases == ["鑫盛宝", "鑫盛财富"]
    assert a.source_url == "http://qiye.other.test/detail.do?id=1"
    assert [(p.name, p.role, p.share) for p in a.people] == [("王大明", "executive", None), ("孙八", "shareholder", 0.35)]
    entries = {(e.kind, e.date, e.reason, e.authority, e.removed_date, e.detail) for e in a.entries}
    assert entries == {
        ("abnormal", "2024-03-01", "通过登记的住所或者经营场所无法联系", "深圳市市场监督管理局", "", ""),
        ("penalty", "2024-05-10", "虚假宣传", "深圳市市场监督管理局", "", "罚款20万元"),  # 二〇二四年五月十日
        ("change", "2023-01-05", "名称变更", "", "", "深圳市鑫盛投资咨询有限公司 → 深圳市鑫盛财富投资管理有限公司"),
    }  # the change dated 日期不详 is dropped and counted, not raised
    d = db.get_company(D)
    assert d.name == "杭州天利科技有限公司" and d.former_names == [] and d.registered_capital == 100.0
    assert d.founded == "2020-01-02" and d.people == [] and d.entries == []
    assert a.amac_registered is False  # the AMAC site (crawled first) lists C only


def test_court_api_offsets_parties_in_text_and_a_debtor_table(db):
    j1 = doc(db, "http://wenshu.other.test/wenshu/a1")
    assert j1.title == "王某某等非法吸收公众存款案刑事判决书"
    assert j1.published == "2024-08-01"  # the page's 8月1日, in the year of the listing's 2024-8-1 10:30
    f = j1.fields
    assert (f["case_no"], f["court"], f["cause"], f["judgment_type"], f["amount"], f["doc_id"]) == (
        "（2024）粤03刑初100号", "深圳市中级人民法院", "非法吸收公众存款", "判决书", 12_000_000, "a1")
    assert f["parties"] == [{"name": "深圳市人民检察院", "role": "plaintiff", "credit_code": ""},
                            {"name": "深圳市鑫盛财富投资管理有限公司", "role": "defendant", "credit_code": A}]
    assert f["dishonest"] is False and "高额回报" in j1.text
    assert {(m.credit_code, m.role) for m in j1.mentions} == {(A, "defendant")}
    j2 = doc(db, "http://wenshu.other.test/wenshu/a2")
    assert j2.published == "2024-06-01" and j2.fields["cause"] == "合同纠纷" and "amount" not in j2.fields
    assert [(p["role"], p["credit_code"]) for p in j2.fields["parties"]] == [("plaintiff", C), ("defendant", "")]
    assert {(m.credit_code, m.role) for m in j2.mentions} == {(C, "plaintiff"), (D, "defendant")}
    assert db.get_document(stable_id("http://wenshu.other.test/wenshu/a3")) is None  # broken, counted
    d1 = doc(db, "http://wenshu.other.test/sxbzxr/item/sx1")
    assert d1.published == "2024-09-01"  # 9月1日 under the caption 2024年
    assert d1.title == "失信被执行人 深圳市鑫盛财富投资管理有限公司" and "全部未履行" in d1.text
    assert d1.fields["dishonest"] is True and d1.fields["case_no"] == "（2024）粤03执10号"
    assert d1.fields["court"] == "深圳市中级人民法院" and d1.fields["performance"] == "全部未履行"
    assert d1.fields["parties"] == [{"name": "深圳市鑫盛财富投资管理有限公司", "role": "dishonest", "credit_code": A}]
    assert {(m.credit_code, m.role) for m in d1.mentions} == {(A, "dishonest")}
    d2 = doc(db, "http://wenshu.other.test/sxbzxr/item/sx2")  # page 2, by the 下一页 link
    assert d2.published == "2024-09-03" and d2.fields["parties"][0] == {"name": "王大明", "role": "dishonest", "credit_code": ""}


def test_complaints_rss_then_big5_pages_with_relative_dates(db):
    today = date.today()
    c1 = doc(db, "http://tousu.other.test/t/1001")
    assert c1.title == "鑫盛寶不給提現" and c1.encoding == "big5"
    assert c1.published == (today - timedelta(days=1)).isoformat()  # 昨天 14:02 on the page beats the feed's date
    assert c1.fields["company_typed"] == "鑫盛宝" and c1.fields["amount"] == 50000
    assert (c1.fields["demand"], c1.fields["status"], c1.fields["complaint_id"]) == ("退還本金", "處理中", "1001")
    assert "無法提現" in c1.raw_text
    assert A in {m.credit_code for m in c1.mentions}  # the feed's company (a brand) links
    c2 = doc(db, "http://tousu.other.test/t/1002")
    assert c2.published == (today - timedelta(days=3)).isoformat()  # 3天前
    assert (c2.fields["amount"], c2.fields["demand"], c2.fields["status"]) == (300, "退款", "已完成")
    assert D in {m.credit_code for m in c2.mentions}  # a misspelt company name


def test_promotions_json_directory_cursor_gbk_article_and_forum(db):
    art = doc(db, "http://licai.other.test/news/1")
    assert art.encoding == "gb18030" and art.published == "2024-06-01"
    assert art.title == "鑫盛宝年化18%保本保息" and "投1万每月返800" in art.text
    assert art.fields["invite_codes"] == ["XS8888"] and art.fields["page_type"] == "article"
    assert A in {m.credit_code for m in art.mentions}
    thread = doc(db, "http://bbs.other.test/thread/9")
    assert thread.published == "2024-06-03" and thread.fields["page_type"] == "forum" and thread.fields["posts"] == 2
    assert thread.fields["invite_codes"] == ["AB12CD"] and "取不出来" in thread.text
    assert db.get_document(stable_id("http://bbs.other.test/")) is None  # navigation only


def test_amac_sitemap_manager_pages(db):
    m = doc(db, "http://gs.other.test/manager/P1000001")
    assert m.source_kind == "amac" and m.title == "上海汇通控股有限公司" and m.published == "2018-01-01"  # 20180101
    assert m.fields == {"manager_name": "上海汇通控股有限公司", "registration_no": "P1000001", "credit_code": C,
                        "status": "正常"}
    assert "登记编号 P1000001" in m.text
    assert [(x.credit_code, x.method) for x in m.mentions] == [(C, "credit_code")]
