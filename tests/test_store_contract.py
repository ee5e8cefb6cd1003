"""The Store contract: one suite, run against every backend.

SQLite always; Elasticsearch whenever SMOKE_ES_URL points at a server (each test in
its own index prefix, destroyed afterwards). There is no fake Elasticsearch: the
contract is only worth something when it runs against the real thing.

Tests use only the public Store interface, so a backend passes by behaving alike,
not by sharing code.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from indexing.creditcode import check_digit
from indexing.models import (
    Alert,
    Company,
    Document,
    Evidence,
    IndicatorResult,
    Mention,
    Person,
    RegistryEntry,
    Run,
    Score,
    SourceStats,
    level_for,
)
from indexing.store.base import CompanyQuery, DocumentQuery, Store, StoreError

BACKENDS = ["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        from indexing.store.sqlite import SQLiteStore

        s = SQLiteStore(tmp_path / "store.db")
        try:
            yield s
        finally:
            s.close()
        return
    url = request.getfixturevalue("es_url")
    from indexing.store.elastic import ElasticStore

    es = ElasticStore.for_tests(url=url, prefix=f"smoketest-{uuid4().hex[:8]}")
    try:
        yield es
    finally:
        es.destroy()
        es.close()


# --- builders -------------------------------------------------------------------


def code(n: int, region: str = "440300") -> str:
    """A valid credit code: type 91 (enterprise), region, a 9-char body, check char."""
    body = f"91{region}{n:09d}"
    return body + check_digit(body)


def company(n: int, name: str, **kw) -> Company:
    kw.setdefault("region_code", "440300")
    kw.setdefault("industry", "金融业")
    return Company(credit_code=code(n, kw["region_code"]), name=name, **kw)


def doc(doc_id: str, text: str, kind: str = "promo", title: str = "", published: str = "2024-03-01",
        mentions: list[Mention] | None = None, content_hash: str = "", **kw) -> Document:
    return Document(
        id=doc_id,
        url=f"http://example.test/{doc_id}",
        source_kind=kind,
        site=f"{kind}_site",
        title=title or f"标题 {doc_id}",
        text=text,
        fetched="2024-03-05T10:00:00",
        published=published,
        content_hash=content_hash or f"h-{doc_id}-{len(text)}-{hash(text) & 0xFFFF}",
        mentions=mentions or [],
        **kw,
    )


def score(credit_code: str, as_of: str, index: float, version: str = "m1") -> Score:
    return Score(
        credit_code=credit_code,
        as_of=as_of,
        smoke_index=index,
        level=level_for(index),
        dimensions={"compliance": index, "complaints": 0.0, "yield": 10.0, "feature_words": 5.0, "spread": 1.0},
        indicators=[
            IndicatorResult(
                id="compliance.abnormal",
                dimension="compliance",
                value=1.0,
                points=index,
                label="经营异常",
                evidence=[Evidence(url="http://example.test/r", snippet="列入经营异常名录", date=as_of)],
            )
        ],
        model_version=version,
        versions={"model": version, "lexicon": "lex-1", "analyser": "rules-1"},  # provenance survives the round trip
    )


def codes(page_hits) -> list[str]:
    return [h.company.credit_code for h in page_hits]


def ids(page_hits) -> list[str]:
    return [h.document.id for h in page_hits]


# --- companies ------------------------------------------------------------------


def test_company_roundtrip_keeps_every_field(store: Store) -> None:
    co = company(
        1,
        "深圳市前海鑫利财富投资管理有限公司",
        former_names=["深圳市鑫利投资咨询有限公司"],
        legal_rep="张三",
        people=[Person("张三", "legal_rep"), Person("李四", "shareholder", 0.4)],
        registered_capital=5000.0,
        founded="2016-05-01",
        status="存续",
        address="深圳市前海深港合作区前湾一路1号A栋201室",
        business_scope="投资管理；资产管理；企业管理咨询",
        phones=["0755-12345678"],
        websites=["xinli-caifu.test"],
        aliases=["鑫利财富"],
        entries=[RegistryEntry("abnormal", "2023-01-02", "通过登记的住所或者经营场所无法联系")],
        amac_registered=False,
        source_url="http://registry.test/c/1",
    )
    assert store.upsert_companies([co]).new == 1
    got = store.get_company(co.credit_code)
    assert got == co
    assert store.get_company(code(999)) is None


def test_upsert_companies_is_idempotent(store: Store) -> None:
    cos = [company(i, f"测试{i}号科技有限公司") for i in range(1, 4)]
    r1 = store.upsert_companies(cos)
    assert (r1.new, r1.changed, r1.unchanged, r1.failed) == (3, 0, 0, [])
    r2 = store.upsert_companies(cos)
    assert (r2.new, r2.changed, r2.unchanged) == (0, 0, 3)
    assert store.count_companies() == 3

    cos[1].address = "北京市朝阳区某路2号"
    r3 = store.upsert_companies(cos)
    assert (r3.new, r3.changed, r3.unchanged) == (0, 1, 2)
    assert store.get_company(cos[1].credit_code).address == "北京市朝阳区某路2号"
    assert store.count_companies() == 3
    assert sorted(c.credit_code for c in store.iter_companies()) == sorted(c.credit_code for c in cos)


def test_iter_companies_yields_each_once_and_allows_store_use_inside_the_loop(store: Store) -> None:
    cos = [company(i, f"遍历{i}号有限公司") for i in range(1, 2501)]
    store.upsert_companies(cos)
    seen = []
    for co in store.iter_companies():
        seen.append(co.credit_code)
        if len(seen) % 1000 == 0:  # re-entrant use while iterating
            assert store.get_company(co.credit_code) is not None
    assert len(seen) == 2500 and len(set(seen)) == 2500


def test_companies_by_name_matches_names_former_names_and_aliases_normalised(store: Store) -> None:
    a = company(1, "深圳市鑫利财富投资管理有限公司", former_names=["深圳市鑫利投资咨询有限公司"],
                aliases=["鑫利财富"])
    b = company(2, "广州聚宝盆电子商务有限公司", aliases=["聚宝盆商城"])
    store.upsert_companies([a, b])

    def by(name: str) -> list[str]:
        return [c.credit_code for c in store.companies_by_name(name)]

    assert by("深圳市鑫利财富投资管理有限公司") == [a.credit_code]
    assert by("深圳市鑫利投资咨询有限公司") == [a.credit_code]  # former name
    assert by("鑫利财富") == [a.credit_code]  # alias
    assert by("深圳市鑫利財富投資管理有限公司") == [a.credit_code]  # traditional
    assert by("深圳市 鑫利财富投资管理 （有限公司）") == [a.credit_code]  # spaces, brackets
    assert by("ＸＸ") == []
    assert by("聚寶盆商城") == [b.credit_code]
    assert by("") == []
    # Renaming drops the old key: the current name is the only 'name' entry.
    a.name = "深圳市鑫利新能源有限公司"
    store.upsert_companies([a])
    assert by("深圳市鑫利新能源有限公司") == [a.credit_code]
    assert by("深圳市鑫利财富投资管理有限公司") == []


def test_companies_by_name_returns_every_company_sharing_a_name(store: Store) -> None:
    a = company(1, "华信投资有限公司", region_code="110101")
    b = company(2, "华信投资有限公司", region_code="310101")
    store.upsert_companies([a, b])
    assert sorted(c.credit_code for c in store.companies_by_name("华信投资有限公司")) == sorted(
        [a.credit_code, b.credit_code]
    )


def test_companies_by_domain(store: Store) -> None:
    a = company(1, "甲公司", websites=["jia-invest.test", "www.jia-app.test"])
    b = company(2, "乙公司", websites=["yi.test"])
    store.upsert_companies([a, b])
    assert [c.credit_code for c in store.companies_by_domain("jia-invest.test")] == [a.credit_code]
    assert [c.credit_code for c in store.companies_by_domain("JIA-APP.test")] == [a.credit_code]
    assert [c.credit_code for c in store.companies_by_domain("www.jia-app.test")] == [a.credit_code]
    assert store.companies_by_domain("other.test") == []


def test_companies_sharing_a_person_address_phone_or_website(store: Store) -> None:
    a = company(1, "甲投资有限公司", legal_rep="王伟", people=[Person("王伟", "legal_rep"), Person("李娜", "shareholder")],
                address="深圳市福田区福华路1号", phones=["0755-1111", "0755-2222"], websites=["jia.test"])
    b = company(2, "乙投资有限公司", legal_rep="李娜",  # a's shareholder is b's legal representative
                address="深圳市福田区福华路1号", phones=["0755-2222"])
    c = company(3, "丙咨询有限公司", people=[Person("王伟", "executive")], websites=["jia.test"])
    d = company(4, "丁无关有限公司", legal_rep="赵六", address="北京市朝阳区某路2号", phones=["010-9999"])
    store.upsert_companies([d, c, b, a])
    both = sorted([a.credit_code, b.credit_code])

    assert store.companies_sharing("person", "王伟") == sorted([a.credit_code, c.credit_code])  # legal_rep, people
    assert store.companies_sharing("person", "李娜") == both  # people, legal_rep
    assert store.companies_sharing("address", "深圳市福田区福华路1号") == both
    assert store.companies_sharing("phone", "0755-2222") == both
    assert store.companies_sharing("phone", "0755-1111") == [a.credit_code]
    assert store.companies_sharing("website", "jia.test") == sorted([a.credit_code, c.credit_code])
    assert store.count_companies_sharing("phone", "0755-2222") == 2
    # exact values of the right kind only
    assert store.companies_sharing("phone", "0755") == []
    assert store.companies_sharing("address", "王伟") == []
    assert store.companies_sharing("person", "") == []
    assert store.companies_sharing("person", "张三") == []
    assert store.count_companies_sharing("person", "张三") == 0

    # A re-crawl that drops a phone drops the link; the other keys stay.
    a.phones = ["0755-1111"]
    store.upsert_companies([a])
    assert store.companies_sharing("phone", "0755-2222") == [b.credit_code]
    assert store.count_companies_sharing("phone", "0755-2222") == 1
    assert store.companies_sharing("address", "深圳市福田区福华路1号") == both


def test_companies_sharing_limit_order_and_bad_input(store: Store) -> None:
    cos = [company(i, f"共址{i}号有限公司", address="广州市天河区某大厦8楼") for i in range(1, 8)]
    store.upsert_companies(list(reversed(cos)))
    all_codes = sorted(c.credit_code for c in cos)
    assert store.companies_sharing("address", "广州市天河区某大厦8楼", limit=3) == all_codes[:3]
    assert store.companies_sharing("address", "广州市天河区某大厦8楼") == all_codes
    assert store.companies_sharing("address", "广州市天河区某大厦8楼", limit=0) == []
    assert store.count_companies_sharing("address", "广州市天河区某大厦8楼") == 7
    with pytest.raises(ValueError, match="kind"):
        store.companies_sharing("email", "x@example.test")
    with pytest.raises(ValueError, match="kind"):
        store.count_companies_sharing("address' OR '1'='1", "广州市天河区某大厦8楼")
    for hostile in ["%", "_", "广州市%", "广州市天河区某大厦8楼' OR '1'='1", "' OR 1=1 --", '"; DROP TABLE companies; --',
                    "*", "广州市天河区某大厦8楼\x00", "x" * 100_000]:
        assert store.companies_sharing("address", hostile) == [], hostile
        assert store.count_companies_sharing("address", hostile) == 0, hostile
    assert store.count_companies() == 7


# --- documents ------------------------------------------------------------------


def test_upsert_documents_is_idempotent_and_detects_changes(store: Store) -> None:
    docs = [doc(f"d{i}", f"第{i}篇：投资理财项目介绍，年化收益{i}%") for i in range(5)]
    r1 = store.upsert_documents(docs)
    assert (r1.new, r1.changed, r1.unchanged, r1.failed) == (5, 0, 0, [])
    r2 = store.upsert_documents(docs)
    assert (r2.new, r2.changed, r2.unchanged) == (0, 0, 5)
    assert store.count_documents() == 5

    docs[2].text = "内容已更新：保本保息，月息3分"
    docs[2].content_hash = "h-new"
    r3 = store.upsert_documents(docs)
    assert (r3.new, r3.changed, r3.unchanged) == (0, 1, 4)
    assert store.get_document("d2").text == "内容已更新：保本保息，月息3分"
    assert store.count_documents() == 5
    assert sorted(d.id for d in store.iter_documents()) == [f"d{i}" for i in range(5)]
    # the old text is no longer searchable, the new one is
    assert store.search_documents(DocumentQuery(text="保本保息")).total == 1
    assert "d2" not in ids(store.search_documents(DocumentQuery(text="年化收益")).hits)


def test_bad_records_are_reported_and_the_rest_written(store: Store) -> None:
    bad_doc = doc("bad", "没有网址")
    bad_doc.url = ""
    r = store.upsert_documents([doc("ok1", "正常一"), bad_doc, doc("ok2", "正常二")])
    assert r.new == 2 and len(r.failed) == 1 and "bad" in r.failed[0]
    assert store.count_documents() == 2
    r = store.upsert_companies([company(1, "正常有限公司"), Company(credit_code=code(2), name="")])
    assert r.new == 1 and len(r.failed) == 1 and code(2) in r.failed[0]


def test_refetch_with_same_content_is_unchanged(store: Store) -> None:
    d = doc("r1", "同样的内容")
    store.upsert_documents([d])
    d.fetched = "2024-04-01T00:00:00"
    r = store.upsert_documents([d])
    assert (r.new, r.changed, r.unchanged) == (0, 0, 1)


def test_document_roundtrip_keeps_every_field(store: Store) -> None:
    d = doc(
        "court-1",
        "被告人组织、领导传销活动，判处有期徒刑五年。",
        kind="court",
        title="刑事判决书",
        raw_text="被告人組織、領導傳銷活動",
        encoding="gb18030",
        domain="court.test",
        mentions=[Mention(code(1), "party", 1.0, "defendant")],
        fields={"case_no": "(2023)粤0304刑初123号", "cause": "组织、领导传销活动罪",
                "parties": [{"name": "某公司", "role": "defendant"}], "amount": 1200000.5},
    )
    store.upsert_documents([d])
    assert store.get_document("court-1") == dataclasses.replace(d, doc_kind="judgment")  # the store sets the kind
    assert store.get_document("missing") is None


def test_counts_and_iteration_by_source_kind(store: Store) -> None:
    store.upsert_documents(
        [doc("p1", "推广一"), doc("p2", "推广二"), doc("c1", "判决", kind="court"), doc("k1", "投诉", kind="complaint")]
    )
    assert store.count_documents() == 4
    assert store.count_documents("promo") == 2
    assert store.count_documents("court") == 1
    assert store.count_documents("amac") == 0
    assert sorted(d.id for d in store.iter_documents("promo")) == ["p1", "p2"]
    assert [d.id for d in store.iter_documents("complaint")] == ["k1"]


def test_document_ids_with_hash(store: Store) -> None:
    store.upsert_documents([doc("a", "x", content_hash="same"), doc("b", "y", content_hash="same"),
                            doc("c", "z", content_hash="other")])
    assert sorted(store.document_ids_with_hash("same")) == ["a", "b"]
    assert store.document_ids_with_hash("other") == ["c"]
    assert store.document_ids_with_hash("none") == []


# A simhash with the top bit set: SQLite integers are signed, this one does not fit.
SH = 0xF0E1_D2C3_B4A5_9687


def flip(*bits: int) -> int:
    """SH with these bit positions flipped (bits 0-15 are band 0, 16-31 band 1, ...)."""
    value = SH
    for b in bits:
        value ^= 1 << b
    return value


def sim_doc(doc_id: str, simhash: int | None, kind: str = "promo") -> Document:
    return doc(doc_id, f"推广文本 {doc_id}", kind=kind,
               fields={} if simhash is None else {"simhash": f"{simhash:016x}", "page_type": "article"})


def test_near_duplicates_within_three_bits_closest_first(store: Store) -> None:
    store.upsert_documents([
        sim_doc("same", SH),
        sim_doc("one", flip(63)),
        sim_doc("two", flip(0, 40)),
        sim_doc("three", flip(5, 20, 50)),  # one bit in each of bands 0, 1, 3: only band 2 agrees
        sim_doc("three-b", flip(1, 2, 3)),
        sim_doc("four-spread", flip(0, 16, 32, 48)),  # no band agrees
        sim_doc("four-one-band", flip(0, 1, 2, 3)),  # three bands agree, but 4 bits away
        sim_doc("far", SH ^ 0xFFFF_FFFF_FFFF_FFFF),
    ])
    assert store.near_duplicates(SH, 3, limit=10) == [
        ("same", 0), ("one", 1), ("two", 2), ("three", 3), ("three-b", 3)]
    assert store.near_duplicates(SH, 3) == [("same", 0)]  # limit 1: the closest
    assert store.near_duplicates(SH, 3, limit=2) == [("same", 0), ("one", 1)]
    assert store.near_duplicates(SH, 1, limit=10) == [("same", 0), ("one", 1)]
    assert store.near_duplicates(SH, 0, limit=10) == [("same", 0)]
    assert store.near_duplicates(SH, 3, limit=0) == []
    # Measured from the query, not from SH: "four-spread" is 1 bit from flip(0, 16, 32).
    assert store.near_duplicates(flip(0, 16, 32), 3, limit=10) == [("four-spread", 1), ("same", 3), ("two", 3)]
    assert store.near_duplicates(SH ^ 0xFFFF_FFFF_FFFF_FFFF, 3, limit=10) == [("far", 0)]
    assert store.near_duplicates(0x0123_4567_89AB_CDEF, 3, limit=10) == []


def test_near_duplicates_exclude_and_documents_without_simhash(store: Store) -> None:
    store.upsert_documents([
        sim_doc("a", SH),
        sim_doc("b", flip(7)),
        sim_doc("plain", None),
        sim_doc("court", None, kind="court"),
        doc("bad", "坏的 simhash", fields={"simhash": "not-hex"}),
        doc("long", "太长", fields={"simhash": f"{SH:016x}00"}),
    ])
    assert store.near_duplicates(SH, 3, exclude="a", limit=10) == [("b", 1)]
    assert store.near_duplicates(SH, 3, exclude="b", limit=10) == [("a", 0)]
    assert store.near_duplicates(SH, 3, exclude="nobody", limit=10) == [("a", 0), ("b", 1)]
    assert store.near_duplicates(0, 3, limit=10) == []  # "plain" etc. have no simhash, not simhash 0
    assert store.count_documents() == 6  # ignored for near-duplicates, still stored


def test_near_duplicates_follow_a_changed_simhash(store: Store) -> None:
    d = sim_doc("page", SH)
    store.upsert_documents([d, sim_doc("other", flip(60, 61))])
    assert store.near_duplicates(SH, 3, exclude="x", limit=10) == [("page", 0), ("other", 2)]
    new = SH ^ 0x0000_FFFF_0000_FFFF
    d.fields["simhash"] = f"{new:016x}"  # the page's text changed
    d.text, d.content_hash = "全新的推广文本", "h-new"
    store.upsert_documents([d])
    assert store.near_duplicates(SH, 3, limit=10) == [("other", 2)]
    assert store.near_duplicates(new, 3, limit=10) == [("page", 0)]
    del d.fields["simhash"]  # and a page that lost its simhash stops matching at all
    store.upsert_documents([d])
    assert store.near_duplicates(new, 3, limit=10) == []
    assert store.get_document("page").text == "全新的推广文本"
    # The same page twice in one upsert: the last version is the one stored and matched.
    first, last = sim_doc("twice", flip(30)), sim_doc("twice", SH ^ 0xFFFF_0000_FFFF_0000)
    store.upsert_documents([first, last])
    assert store.near_duplicates(flip(30), 3, exclude="other", limit=10) == []
    assert store.near_duplicates(SH ^ 0xFFFF_0000_FFFF_0000, 3, limit=10) == [("twice", 0)]


def test_near_duplicates_refuses_what_four_bands_cannot_answer(store: Store) -> None:
    store.upsert_documents([sim_doc("a", SH)])
    for bad_bits in (4, 64, -1):
        with pytest.raises(ValueError, match="max_bits"):
            store.near_duplicates(SH, bad_bits)
    for bad_hash in (-1, 1 << 64):
        with pytest.raises(ValueError, match="simhash"):
            store.near_duplicates(bad_hash, 3)


def test_documents_for_orders_oldest_first_and_filters_kind(store: Store) -> None:
    c1, c2 = code(1), code(2)
    store.upsert_documents([
        doc("late", "后来的推广", published="2024-05-01", mentions=[Mention(c1, "name", 0.9)]),
        doc("early", "最早的判决", kind="court", published="2023-01-10",
            mentions=[Mention(c1, "party", 1.0, "defendant"), Mention(c1, "party", 1.0, "dishonest")]),
        doc("mid", "中间的投诉", kind="complaint", published="2023-08-01",
            mentions=[Mention(c1, "name", 0.8), Mention(c2, "name", 0.8)]),
        doc("other", "无关", published="2023-02-01", mentions=[Mention(c2, "domain", 0.7)]),
    ])
    assert [d.id for d in store.documents_for(c1)] == ["early", "mid", "late"]  # each once
    assert [d.id for d in store.documents_for(c1, "court")] == ["early"]
    assert [d.id for d in store.documents_for(c2)] == ["other", "mid"]
    assert store.documents_for(code(3)) == []


def test_relinking_a_document_moves_its_mentions(store: Store) -> None:
    c1, c2 = code(1), code(2)
    d = doc("x", "某平台推广", mentions=[Mention(c1, "name", 0.6)])
    store.upsert_documents([d])
    d.mentions = [Mention(c2, "credit_code", 1.0)]
    store.upsert_documents([d])
    assert store.documents_for(c1) == []
    assert [x.id for x in store.documents_for(c2)] == ["x"]
    assert store.get_document("x").mentions == [Mention(c2, "credit_code", 1.0)]


# --- search: companies ----------------------------------------------------------


@pytest.fixture
def world(store: Store) -> dict[str, Company]:
    cos = {
        "xinli": company(1, "深圳市前海鑫利财富投资管理有限公司", region_code="440305", industry="租赁和商务服务业",
                         aliases=["鑫利财富"], business_scope="投资管理；资产管理；股权投资"),
        "jubao": company(2, "广州聚宝盆电子商务有限公司", region_code="440106", industry="批发和零售业",
                         aliases=["聚宝盆商城"], business_scope="网上销售日用品；会员管理服务"),
        "huaxin": company(3, "北京华信财富投资有限公司", region_code="110105", industry="租赁和商务服务业",
                          business_scope="投资咨询；资产管理"),
        "bakery": company(4, "上海甜蜜烘焙食品有限公司", region_code="310104", industry="制造业",
                          business_scope="糕点制造；食品销售"),
        "tech": company(5, "深圳市云帆信息技术有限公司", region_code="440304", industry="信息传输、软件和信息技术服务业",
                        former_names=["深圳市云帆财富投资有限公司"], business_scope="软件开发"),
    }
    store.upsert_companies(cos.values())
    store.save_scores([
        score(cos["xinli"].credit_code, "2024-06-01", 86.0),
        score(cos["jubao"].credit_code, "2024-06-01", 72.5),
        score(cos["huaxin"].credit_code, "2024-06-01", 45.0),
        score(cos["bakery"].credit_code, "2024-06-01", 5.0),
        # tech: never scored
    ])
    return cos


def test_search_companies_by_keyword_inside_name(store: Store, world) -> None:
    page = store.search_companies(CompanyQuery(text="财富"))
    assert set(codes(page.hits)) == {world["xinli"].credit_code, world["huaxin"].credit_code,
                                     world["tech"].credit_code}  # tech via its former name
    assert page.total == 3
    page = store.search_companies(CompanyQuery(text="聚宝盆"))
    assert codes(page.hits) == [world["jubao"].credit_code]
    assert "<mark>" in page.hits[0].highlight


def test_search_companies_by_alias_scope_and_traditional_query(store: Store, world) -> None:
    assert codes(store.search_companies(CompanyQuery(text="聚宝盆商城")).hits) == [world["jubao"].credit_code]
    assert codes(store.search_companies(CompanyQuery(text="糕点")).hits) == [world["bakery"].credit_code]
    assert set(codes(store.search_companies(CompanyQuery(text="資產管理")).hits)) == {
        world["xinli"].credit_code, world["huaxin"].credit_code}
    assert store.search_companies(CompanyQuery(text="完全不存在的词语组合")).total == 0


def test_search_companies_by_credit_code(store: Store, world) -> None:
    target = world["huaxin"].credit_code
    page = store.search_companies(CompanyQuery(text=target))
    assert codes(page.hits) == [target]
    assert codes(store.search_companies(CompanyQuery(text=target.lower())).hits) == [target]


def test_search_companies_filters(store: Store, world) -> None:
    def q(**kw) -> set[str]:
        return set(codes(store.search_companies(CompanyQuery(limit=100, **kw)).hits))

    w = {k: v.credit_code for k, v in world.items()}
    assert q() == set(w.values())
    assert q(region="44") == {w["xinli"], w["jubao"], w["tech"]}
    assert q(region="4403") == {w["xinli"], w["tech"]}
    assert q(region="440305") == {w["xinli"]}
    assert q(industry="租赁和商务服务业") == {w["xinli"], w["huaxin"]}
    assert q(level="red") == {w["xinli"]}
    assert q(level="orange") == {w["jubao"]}
    assert q(min_score=60) == {w["xinli"], w["jubao"]}
    assert q(min_score=40, max_score=80) == {w["jubao"], w["huaxin"]}
    assert q(max_score=10) == {w["bakery"]}
    assert q(text="财富", region="44") == {w["xinli"], w["tech"]}
    assert q(text="财富", min_score=60) == {w["xinli"]}


def test_search_companies_sorting(store: Store, world) -> None:
    w = {k: v.credit_code for k, v in world.items()}
    by_score = codes(store.search_companies(CompanyQuery(sort="score")).hits)
    assert by_score == [w["xinli"], w["jubao"], w["huaxin"], w["bakery"], w["tech"]]  # unscored last
    page = store.search_companies(CompanyQuery(sort="score"))
    assert [h.smoke_index for h in page.hits] == [86.0, 72.5, 45.0, 5.0, None]
    assert [h.level for h in page.hits][:4] == ["red", "orange", "yellow", "green"]
    by_name = [h.company.name for h in store.search_companies(CompanyQuery(sort="name")).hits]
    assert by_name == sorted(by_name)
    # relevance: the company whose own name is the query outranks one that only lists it in scope
    rel = codes(store.search_companies(CompanyQuery(text="资产管理", sort="relevance")).hits)
    assert set(rel) == {w["xinli"], w["huaxin"]}


def test_search_companies_sort_by_rise(store: Store) -> None:
    a, b, c, d = (company(i, f"上升{i}有限公司") for i in range(1, 5))
    store.upsert_companies([a, b, c, d])
    store.save_scores([score(a.credit_code, "2024-01-01", 20.0), score(a.credit_code, "2024-02-01", 70.0),
                       score(b.credit_code, "2024-01-01", 60.0), score(b.credit_code, "2024-02-01", 65.0),
                       score(c.credit_code, "2024-01-01", 80.0), score(c.credit_code, "2024-02-01", 50.0),
                       score(d.credit_code, "2024-02-01", 90.0)])  # no previous score: no rise
    got = codes(store.search_companies(CompanyQuery(sort="rise")).hits)
    assert got == [a.credit_code, b.credit_code, c.credit_code, d.credit_code]


def test_search_companies_relevance_prefers_name_matches(store: Store) -> None:
    a = company(1, "远航资本管理有限公司", business_scope="资本运作咨询")
    b = company(2, "星辰科技有限公司", business_scope="远航 软件开发 技术服务 系统集成 数据处理")
    store.upsert_companies([a, b])
    rel = codes(store.search_companies(CompanyQuery(text="远航", sort="relevance")).hits)
    assert rel == [a.credit_code, b.credit_code]


def test_search_companies_pagination_offset_and_search_after(store: Store) -> None:
    cos = [company(i, f"分页测试{i:03d}号投资有限公司") for i in range(1, 48)]
    store.upsert_companies(cos)
    # equal scores force the tie-break to do its job
    store.save_scores([score(c.credit_code, "2024-01-01", float(i % 5) * 10) for i, c in enumerate(cos)])
    everyone = {c.credit_code for c in cos}
    for sort in ("score", "name", "relevance"):
        q = CompanyQuery(text="投资", sort=sort, limit=10)
        first = store.search_companies(q)
        assert first.total == 47
        # offset pages
        by_offset: list[str] = []
        for off in range(0, 50, 10):
            by_offset += codes(store.search_companies(CompanyQuery(text="投资", sort=sort, limit=10, offset=off)).hits)
        assert len(by_offset) == 47 and set(by_offset) == everyone
        # cursor pages
        by_cursor: list[str] = codes(first.hits)
        cursor = first.next_cursor
        pages = 1
        while cursor is not None:
            page = store.search_companies(CompanyQuery(text="投资", sort=sort, limit=10, search_after=cursor))
            by_cursor += codes(page.hits)
            cursor = page.next_cursor
            pages += 1
            assert pages < 10
        assert len(by_cursor) == 47 and set(by_cursor) == everyone, sort
        assert by_cursor == by_offset, sort
    last = store.search_companies(CompanyQuery(sort="score", limit=50))
    assert last.next_cursor is None and len(last.hits) == 47


def test_search_with_hostile_query_text_does_not_break(store: Store, world) -> None:
    for text in ['"', "传销 OR *", "NEAR(a b)", "a:b", "'; DROP TABLE companies; --", "()", "^^^", "财富\"", "-财富"]:
        store.search_companies(CompanyQuery(text=text))
        store.search_documents(DocumentQuery(text=text))
    assert store.count_companies() == 5


def test_company_highlight_is_escaped(store: Store) -> None:
    co = company(1, "<b>邪恶</b>传销科技有限公司")
    store.upsert_companies([co])
    hl = store.search_companies(CompanyQuery(text="传销")).hits[0].highlight
    assert "<b>" not in hl and "&lt;b&gt;" in hl
    assert "<mark>传销</mark>" in hl


# --- search: documents ----------------------------------------------------------


@pytest.fixture
def corpus(store: Store) -> dict[str, Document]:
    c1, c2 = code(1), code(2)
    docs = {
        "judgment": doc("judgment", "被告人王某以高额返利为诱饵，组织领导传销活动，发展下线三千余人。", kind="court",
                        title="王某组织、领导传销活动罪一审刑事判决书", published="2023-06-01",
                        mentions=[Mention(c1, "party", 1.0, "defendant")]),
        "promo": doc("promo", "加入我们，每天签到返利，推荐好友拉新奖励，日赚三百，<script>alert('x')</script> 保本保息。",
                     title="鑫利财富 新人福利", published="2024-01-15", mentions=[Mention(c1, "alias", 0.8)]),
        "evasive": doc("evasive", "这 不 是 传-销，是国家支持的扶贫项目，資金盤模式，躺赚。", title="扶贫项目介绍",
                       published="2024-02-20", mentions=[Mention(c2, "name", 0.9)]),
        "warning": doc("warning", "警惕以消费返利为名的非法集资和传销陷阱，保本保息的承诺不可信。", kind="complaint",
                       title="防范非法集资风险提示", published="2024-03-10"),
        "news": doc("news", "烘焙行业年度报告：市场稳步增长。", kind="registry", title="行业新闻", published="2022-12-01"),
    }
    store.upsert_documents(docs.values())
    return docs


def test_search_documents_two_char_word_inside_longer_text(store: Store, corpus) -> None:
    page = store.search_documents(DocumentQuery(text="传销"))
    assert set(ids(page.hits)) == {"judgment", "evasive", "warning"}  # evasive: 传-销 after squeeze
    assert page.total == 3


def test_search_documents_normalises_the_query(store: Store, corpus) -> None:
    assert set(ids(store.search_documents(DocumentQuery(text="傳銷")).hits)) == {"judgment", "evasive", "warning"}
    assert ids(store.search_documents(DocumentQuery(text="资金盘")).hits) == ["evasive"]  # doc was traditional
    assert ids(store.search_documents(DocumentQuery(text="资 金 盘")).hits) == ["evasive"]
    assert set(ids(store.search_documents(DocumentQuery(text="保本保息")).hits)) == {"promo", "warning"}
    assert ids(store.search_documents(DocumentQuery(text="烘焙")).hits) == ["news"]
    assert ids(store.search_documents(DocumentQuery(text="刑事判决书")).hits) == ["judgment"]  # title


def test_search_documents_all_words_must_match(store: Store, corpus) -> None:
    assert ids(store.search_documents(DocumentQuery(text="传销 下线")).hits) == ["judgment"]
    assert store.search_documents(DocumentQuery(text="传销 烘焙")).total == 0


def test_search_documents_filters(store: Store, corpus) -> None:
    def q(**kw) -> set[str]:
        return set(ids(store.search_documents(DocumentQuery(limit=100, **kw)).hits))

    assert q() == set(corpus)
    assert q(text="传销", source_kind="court") == {"judgment"}
    assert q(source_kind="complaint") == {"warning"}
    assert q(credit_code=code(1)) == {"judgment", "promo"}
    assert q(text="传销", credit_code=code(2)) == {"evasive"}
    assert q(date_from="2024-01-01") == {"promo", "evasive", "warning"}
    assert q(date_to="2023-06-01") == {"judgment", "news"}
    assert q(date_from="2024-01-15", date_to="2024-02-20") == {"promo", "evasive"}
    assert q(text="传销", date_from="2024-01-01", source_kind="promo") == {"evasive"}


def test_search_documents_sort_by_date(store: Store, corpus) -> None:
    got = ids(store.search_documents(DocumentQuery(sort="date", limit=10)).hits)
    assert got == ["warning", "evasive", "promo", "judgment", "news"]  # newest first
    got = ids(store.search_documents(DocumentQuery(text="传销", sort="date")).hits)
    assert got == ["warning", "evasive", "judgment"]


def test_search_documents_relevance(store: Store, corpus) -> None:
    page = store.search_documents(DocumentQuery(text="传销", sort="relevance"))
    rel = [h.relevance for h in page.hits]
    assert rel == sorted(rel, reverse=True)
    assert page.hits[0].document.id == "judgment"  # in title and text


def test_search_documents_highlight_escapes_and_marks(store: Store, corpus) -> None:
    hit = store.search_documents(DocumentQuery(text="保本保息", source_kind="promo")).hits[0]
    assert "<script>" not in hit.highlight
    assert "&lt;script&gt;" in hit.highlight
    assert "<mark>保本保息</mark>" in hit.highlight
    hit = store.search_documents(DocumentQuery(text="传销", source_kind="court")).hits[0]
    assert "<mark>传销</mark>" in hit.highlight
    # only <mark> tags survive unescaped
    stripped = hit.highlight.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped


def test_search_documents_pagination(store: Store) -> None:
    docs = [doc(f"p{i:03d}", f"第{i}号推广：拉人头返利项目", published=f"2024-01-{1 + i % 28:02d}") for i in range(35)]
    store.upsert_documents(docs)
    everyone = {d.id for d in docs}
    for sort in ("relevance", "date"):
        first = store.search_documents(DocumentQuery(text="返利", sort=sort, limit=8))
        assert first.total == 35
        by_offset: list[str] = []
        for off in range(0, 40, 8):
            by_offset += ids(store.search_documents(DocumentQuery(text="返利", sort=sort, limit=8, offset=off)).hits)
        got = ids(first.hits)
        cursor = first.next_cursor
        while cursor is not None:
            page = store.search_documents(DocumentQuery(text="返利", sort=sort, limit=8, search_after=cursor))
            got += ids(page.hits)
            cursor = page.next_cursor
        assert len(got) == 35 and set(got) == everyone, sort
        assert got == by_offset, sort


# --- document kinds (indexing.doc_kind): computed when indexed, filtered by the store -------

# Kinds by how the one rule reads a document: (source kind, title, text start).
_KIND_SAMPLES: dict[str, list[tuple[str, str, str]]] = {
    "promotion": [("promo", "新人注册送888元红包，年化15%", "推荐好友返利，保本保息")],
    "warning": [("promo", "风险提示：警惕“高额返利”理财", "月息8% 保本保息 推荐一人奖励500元 都是诱饵"),
                ("promo", "关于防范非法集资的公告", "不要轻信保本保息")],
    "news": [("promo", "警方通报：某公司涉嫌集资诈骗", "返利"), ("promo", "社会资讯", "本报讯 记者从市公安局获悉，返利")],
    "judgment": [("court", "风险提示", "被告人以返利为诱饵")],  # a court's document is a judgment whatever its title
    "complaint": [("complaint", "无法提现", "平台承诺返利")],
    "registry": [("registry", "某公司", "经营范围"), ("amac", "私募基金管理人", "备案")],
}
# How many documents of each kind the kind world holds: promotions outnumber the old
# in-memory window (the first 1,000 hits), and every warning and news report is older than them.
_KIND_COUNTS = {"promotion": 1010, "warning": 23, "news": 11, "judgment": 9, "complaint": 7, "registry": 5}


def _kind_world(store: Store) -> tuple[dict[str, set[str]], dict[str, str]]:
    """(ids by kind, title and text by id) of the kind world, once written."""
    want: dict[str, set[str]] = {}
    docs = []
    for kind, n in _KIND_COUNTS.items():
        samples = _KIND_SAMPLES[kind]
        for i in range(n):
            sk, title, text = samples[i % len(samples)]
            # promotions are the newest (2024), everything else older (2023)
            day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}" if kind == "promotion" else f"2023-{1 + i % 12:02d}-01"
            d = doc(f"{kind}-{i:04d}", f"{text} 第{i}号", kind=sk, title=f"{title}{i}", published=day)
            d.doc_kind = "promotion"  # what a writer says is ignored: the store computes the kind
            docs.append(d)
            want.setdefault(kind, set()).add(d.id)
    r = store.upsert_documents(docs)
    assert r.new == len(docs) and not r.failed
    return want, {d.id: f"{d.title} {d.text}" for d in docs}


def _all_pages(store: Store, q: DocumentQuery) -> tuple[int, list[str], list[str]]:
    """(total, ids by offset, ids by cursor) of every page of ``q``."""
    first = store.search_documents(q)
    by_offset: list[str] = []
    off = 0
    while True:
        page = store.search_documents(dataclasses.replace(q, offset=off))
        by_offset += ids(page.hits)
        assert page.total == first.total
        if len(page.hits) < q.limit:
            break
        off += q.limit
    by_cursor, cursor = ids(first.hits), first.next_cursor
    while cursor is not None:
        page = store.search_documents(dataclasses.replace(q, search_after=cursor))
        assert page.total == first.total
        by_cursor += ids(page.hits)
        cursor = page.next_cursor
    return first.total, by_offset, by_cursor


def test_filter_by_each_document_kind_gives_exact_totals_and_pages(store: Store) -> None:
    want, texts = _kind_world(store)
    for kind, of_kind in want.items():
        for q in (DocumentQuery(doc_kind=kind, sort="date", limit=7),
                  DocumentQuery(text="返利", doc_kind=kind, sort="relevance", limit=7)):
            expected = {i for i in of_kind if q.text in texts[i]}
            total, by_offset, by_cursor = _all_pages(store, q) if kind != "promotion" else (
                store.search_documents(q).total, [], [])
            assert total == len(expected), (kind, q.text)
            if kind != "promotion":  # 1,010 promotions: their pages are read once below
                assert set(by_offset) == expected and len(by_offset) == len(expected), (kind, q.text)
                assert by_cursor == by_offset, (kind, q.text)
        assert all(h.document.doc_kind == kind
                   for h in store.search_documents(DocumentQuery(doc_kind=kind, limit=50)).hits)
    # the promotions' last page by cursor: exact even past the first 1,000
    total, by_offset, by_cursor = _all_pages(store, DocumentQuery(doc_kind="promotion", sort="date", limit=250))
    assert total == 1010 and set(by_cursor) == want["promotion"] and by_offset == by_cursor
    # with other filters: the source kind and dates narrow the kind, never widen it
    assert store.search_documents(DocumentQuery(doc_kind="warning", source_kind="court")).total == 0
    assert store.search_documents(DocumentQuery(doc_kind="registry", source_kind="amac", limit=50)).total == 2
    assert store.search_documents(DocumentQuery(doc_kind="news", date_from="2024-01-01")).total == 0
    with pytest.raises(ValueError, match="doc_kind must be one of"):
        store.search_documents(DocumentQuery(doc_kind="promo"))


def test_a_police_warning_titled_risk_notice_is_stored_as_warning(store: Store) -> None:
    warning = doc("police-1", "月息8% 保本保息 推荐一人奖励500元，这些都是非法集资的诱饵，请勿参与。", kind="promo",
                  title="风险提示：警惕以“养老项目”为名的非法集资", doc_kind="promotion")
    promo = doc("promo-1", "月息8% 保本保息 推荐一人奖励500元", kind="promo", title="养老项目 新人福利")
    store.upsert_documents([warning, promo])
    assert store.get_document("police-1").doc_kind == "warning"  # type: ignore[union-attr]
    assert store.get_document("promo-1").doc_kind == "promotion"  # type: ignore[union-attr]
    assert ids(store.search_documents(DocumentQuery(text="保本保息", doc_kind="promotion")).hits) == ["promo-1"]
    assert ids(store.search_documents(DocumentQuery(text="保本保息", doc_kind="warning")).hits) == ["police-1"]
    hit = store.search_documents(DocumentQuery(text="风险提示")).hits[0]
    assert hit.document.doc_kind == "warning"
    # a re-crawl that retitles the page re-classifies it
    promo.title = "风险提示：养老项目"
    promo.content_hash = "h-retitled"
    store.upsert_documents([promo])
    assert store.get_document("promo-1").doc_kind == "warning"  # type: ignore[union-attr]
    assert store.search_documents(DocumentQuery(doc_kind="promotion")).total == 0


def test_an_old_schema_sqlite_file_gets_its_document_kinds_on_open(tmp_path: Path) -> None:
    """A file written before document kinds were stored (schema version 4: no doc_kind
    column) is migrated on open: the column is added and every document classified."""
    from indexing.store.sqlite import SCHEMA_VERSION, SQLiteStore

    path = tmp_path / "old.db"
    with SQLiteStore(path) as s:
        s.upsert_documents([doc("w", "请勿参与", title="风险提示：警惕高息理财"), doc("p", "保本保息", title="新人福利"),
                            doc("n", "本报讯 记者从市公安局获悉"), doc("c", "判决", kind="court", title="风险提示")])
    con = sqlite3.connect(path)  # the file as version 4 left it
    con.execute("DROP INDEX documents_doc_kind")
    con.execute("ALTER TABLE documents DROP COLUMN doc_kind")
    con.execute("UPDATE schema_version SET version = 4")
    con.commit()
    assert "doc_kind" not in {r[1] for r in con.execute("PRAGMA table_info(documents)")}
    con.close()

    with SQLiteStore(path) as s:
        assert s.schema_version() == SCHEMA_VERSION == 5
        assert {d.id: d.doc_kind for d in s.iter_documents()} == {"w": "warning", "p": "promotion", "n": "news",
                                                                 "c": "judgment"}
        assert ids(s.search_documents(DocumentQuery(doc_kind="warning")).hits) == ["w"]
        plan = " ".join(str(r) for r in s._conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM documents WHERE doc_kind = ? ORDER BY day DESC, id", ("news",)))
        assert "documents_doc_kind" in plan  # the migration made the index too
    with SQLiteStore(path) as s:  # migrated once: reopening changes nothing
        assert s.search_documents(DocumentQuery(doc_kind="promotion")).total == 1


# --- aggregations -----------------------------------------------------------------


def test_aggregate_companies(store: Store, world) -> None:
    assert store.aggregate_companies("level") == {"red": 1, "orange": 1, "yellow": 1, "green": 1}
    assert store.aggregate_companies("region") == {"44": 3, "11": 1, "31": 1}
    assert store.aggregate_companies("industry") == {
        "租赁和商务服务业": 2, "批发和零售业": 1, "制造业": 1, "信息传输、软件和信息技术服务业": 1}
    assert store.aggregate_companies("region", CompanyQuery(min_score=60)) == {"44": 2}
    assert store.aggregate_companies("level", CompanyQuery(text="财富")) == {"red": 1, "yellow": 1}
    with pytest.raises(ValueError):
        store.aggregate_companies("nonsense")


# --- scores -----------------------------------------------------------------------


def test_scores_history_latest_and_current(store: Store) -> None:
    co = company(1, "评分测试有限公司")
    store.upsert_companies([co])
    c = co.credit_code
    assert store.latest_score(c) is None and store.score_history(c) == []
    store.save_scores([score(c, "2024-02-01", 30.0), score(c, "2024-01-01", 10.0)])
    store.save_scores([score(c, "2024-03-01", 65.0)])
    assert store.score_history(c) == [("2024-01-01", 10.0, "m1"), ("2024-02-01", 30.0, "m1"),
                                      ("2024-03-01", 65.0, "m1")]
    latest = store.latest_score(c)
    assert latest == score(c, "2024-03-01", 65.0)  # full round trip, evidence included
    hit = store.search_companies(CompanyQuery(text=c)).hits[0]
    assert (hit.smoke_index, hit.level) == (65.0, "orange")
    # a late-arriving older score does not become current
    store.save_scores([score(c, "2023-12-01", 99.0)])
    assert store.latest_score(c).smoke_index == 65.0
    assert store.search_companies(CompanyQuery(min_score=90)).total == 0


def test_save_scores_upserts_by_company_date_and_model(store: Store) -> None:
    c = code(1)
    store.upsert_companies([company(1, "版本测试有限公司")])
    assert store.save_scores([score(c, "2024-01-01", 50.0)]) == 1
    store.save_scores([score(c, "2024-01-01", 55.0)])  # same key: replaced
    assert store.score_history(c) == [("2024-01-01", 55.0, "m1")]
    store.save_scores([score(c, "2024-01-01", 20.0, version="m2")])  # new model version: kept apart
    assert sorted(store.score_history(c)) == [("2024-01-01", 20.0, "m2"), ("2024-01-01", 55.0, "m1")]
    assert store.latest_score(c).model_version == "m2"  # the last saved wins a tie on as_of


def test_scores_saved_before_the_company_apply_when_it_arrives(store: Store) -> None:
    co = company(1, "后到公司有限公司")
    store.save_scores([score(co.credit_code, "2024-01-01", 70.0)])
    store.upsert_companies([co])
    hit = store.search_companies(CompanyQuery(min_score=60)).hits[0]
    assert hit.company.credit_code == co.credit_code and hit.smoke_index == 70.0


def test_iter_latest_scores_orders_by_index_and_filters(store: Store) -> None:
    cos = [company(i, f"排名{i}有限公司") for i in range(1, 7)]
    store.upsert_companies(cos)
    values = [12.0, 88.0, 61.0, 60.0, 75.0, 59.9]
    store.save_scores([score(c.credit_code, "2024-01-01", 1.0) for c in cos])  # older, superseded
    store.save_scores([score(c.credit_code, "2024-02-01", v) for c, v in zip(cos, values, strict=True)])
    got = [(s.credit_code, s.smoke_index) for s in store.iter_latest_scores()]
    assert [v for _, v in got] == sorted(values, reverse=True)
    assert len({c for c, _ in got}) == 6
    high = [s.smoke_index for s in store.iter_latest_scores(min_score=60)]
    assert high == [88.0, 75.0, 61.0, 60.0]
    assert all(s.as_of == "2024-02-01" for s in store.iter_latest_scores())


# --- alerts -----------------------------------------------------------------------


def alert(aid: str, created: str, **kw) -> Alert:
    return Alert(id=aid, credit_code=code(1), created=created, rule="cross_60", score=72.0,
                 previous_score=55.0, message="冒烟指数升至72", **kw)


def test_alerts_new_existing_and_delivery_state(store: Store) -> None:
    a = alert("a1", "2024-05-01T08:00:00", delivery={"email": "pending"})
    assert store.save_alert(a) is True
    a.delivery = {"email": "sent"}
    store.update_alert(a)
    again = alert("a1", "2024-05-01T08:00:00", delivery={"email": "pending"})
    assert store.save_alert(again) is False  # not new, and delivery state kept
    [got] = store.list_alerts()
    assert got.delivery == {"email": "sent"}
    a.acknowledged_by, a.acknowledged_at = "analyst1", "2024-05-02T09:00:00"
    store.update_alert(a)
    [got] = store.list_alerts()
    assert got == a


def test_alert_acknowledgement_and_delivery_are_written_field_by_field(store: Store) -> None:
    store.save_alert(alert("a1", "2024-05-01T08:00:00", delivery={"email": "pending", "digest": "pending"}))
    assert store.get_alert("nope") is None
    assert store.acknowledge_alert("nope", "analyst1", "2024-05-02T09:00:00") is False
    assert store.acknowledge_alert("a1", "analyst1", "2024-05-02T09:00:00") is True
    assert store.acknowledge_alert("a1", "analyst2", "2024-05-03T09:00:00") is False  # the first one wins
    store.set_alert_delivery("a1", {"email": "sent"})
    got = store.get_alert("a1")
    assert got is not None
    assert got.delivery == {"email": "sent", "digest": "pending"}  # the other channel kept
    assert (got.acknowledged_by, got.acknowledged_at) == ("analyst1", "2024-05-02T09:00:00")  # ack kept
    assert [a.id for a in store.list_alerts(unacknowledged_only=True)] == []
    with pytest.raises(StoreError):
        store.set_alert_delivery("nope", {"email": "sent"})


def test_list_alerts_since_unacknowledged_and_limit(store: Store) -> None:
    store.save_alert(alert("old", "2024-04-01T00:00:00"))
    store.save_alert(alert("mid", "2024-05-01T00:00:00", acknowledged_by="x", acknowledged_at="2024-05-02T00:00:00"))
    store.save_alert(alert("new", "2024-06-01T00:00:00"))
    assert [a.id for a in store.list_alerts()] == ["new", "mid", "old"]  # newest first
    assert [a.id for a in store.list_alerts(since="2024-05-01")] == ["new", "mid"]
    assert [a.id for a in store.list_alerts(unacknowledged_only=True)] == ["new", "old"]
    assert [a.id for a in store.list_alerts(limit=1)] == ["new"]


# --- runs and state -----------------------------------------------------------------


def test_runs(store: Store) -> None:
    r1 = Run(id="run1", started="2024-06-01T02:00:00")
    store.save_run(r1)
    r1.finished, r1.status = "2024-06-01T02:30:00", "ok"
    r1.sources = {"court": SourceStats(pages=10, items=9, bytes=1000, errors={"http_500": 1}, duration_s=3.5)}
    store.save_run(r1)  # same id: updated, not duplicated
    r2 = Run(id="run2", started="2024-06-02T02:00:00", status="partial", message="promo blocked")
    store.save_run(r2)
    runs = store.list_runs()
    assert [r.id for r in runs] == ["run2", "run1"]  # newest first
    assert runs[1] == r1
    assert [r.id for r in store.list_runs(limit=1)] == ["run2"]


def test_state(store: Store) -> None:
    assert store.get_state("watermark:court") is None
    store.set_state("watermark:court", "2024-06-01")
    store.set_state("watermark:court", "2024-06-02")
    store.set_state("etag:http://x", '"abc"')
    assert store.get_state("watermark:court") == "2024-06-02"
    assert store.get_state("etag:http://x") == '"abc"'


@pytest.mark.parametrize("bad", [["x"], [[1, 2], "id"], [{"a": 1}, "id"], [1.0, 2], [True, "id"], "score",
                                 [1.0, "x" * 2000]])
def test_bad_cursor_is_the_same_error_on_every_backend(store: Store, bad) -> None:
    from indexing.store.core import BadCursor

    store.upsert_companies([company(1, "鑫利财富投资有限公司")])
    for search in (lambda: store.search_companies(CompanyQuery(text="投资", search_after=bad)),
                   lambda: store.search_companies(CompanyQuery(search_after=bad)),
                   lambda: store.search_documents(DocumentQuery(text="投资", search_after=bad)),
                   lambda: store.search_documents(DocumentQuery(search_after=bad))):
        with pytest.raises(BadCursor, match=r"search_after: expected \[sort value, id\] from Page.next_cursor"):
            search()


def test_batch_reads_match_the_single_reads(store: Store) -> None:
    a = company(1, "甲投资有限公司", legal_rep="张三", phones=["0755-1"])
    b = company(2, "乙投资有限公司", legal_rep="张三")
    c = company(3, "丙公司", phones=["0755-1"])
    store.upsert_companies([a, b, c])
    store.save_scores([score(a.credit_code, "2024-01-01", 30.0), score(a.credit_code, "2024-02-01", 70.0),
                       score(b.credit_code, "2024-02-01", 10.0)])
    codes = [a.credit_code, b.credit_code, c.credit_code, code(99), a.credit_code]
    got = store.get_companies(codes)
    assert got == {x: store.get_company(x) for x in codes[:3]}
    latest = store.latest_scores(codes)
    assert set(latest) == {a.credit_code, b.credit_code}
    assert latest == {x: store.latest_score(x) for x in (a.credit_code, b.credit_code)}
    assert latest[a.credit_code].smoke_index == 70.0
    histories = store.score_histories(codes)
    assert histories == {x: store.score_history(x) for x in (a.credit_code, b.credit_code)}
    assert [h[1] for h in histories[a.credit_code]] == [30.0, 70.0]
    keys = [("person", "张三"), ("phone", "0755-1"), ("address", "nowhere"), ("person", "")]
    shared = store.sharing(keys, limit=1)
    assert list(shared) == keys
    for kind, value in keys:
        assert shared[(kind, value)] == (store.companies_sharing(kind, value, limit=1),
                                         store.count_companies_sharing(kind, value))
    assert shared[("person", "张三")] == ([min(a.credit_code, b.credit_code)], 2)
    assert store.get_companies([]) == {} and store.latest_scores([]) == {} and store.sharing([]) == {}
    assert store.score_histories([]) == {}


def test_iter_records_gives_every_record_of_every_kind_resumably(store: Store) -> None:
    from indexing.store.base import RECORD_KINDS

    cos = [company(i, f"公司{i}") for i in range(1, 4)]
    store.upsert_companies(cos)
    store.upsert_documents([doc(f"d{i}", f"保本保息{i}") for i in range(5)])
    saved = [score(code(1), "2024-02-01", 70.0), score(code(1), "2024-01-01", 30.0),
             score(code(1), "2024-02-01", 65.0, "m2"), score(code(2), "2024-02-01", 10.0)]
    for s in saved:  # one save each: the save order is what iter_records keeps
        store.save_scores([s])
    store.save_alert(alert("a1", "2024-02-01T00:00:00"))
    store.acknowledge_alert("a1", "ann", "2024-02-02T00:00:00")
    store.save_run(Run(id="run1", started="2024-06-01T02:00:00"))
    store.set_state("watermark:court", "2024-02-01")

    got = {k: [r for _, r in store.iter_records(k)] for k in RECORD_KINDS}
    assert {c.credit_code for c in got["companies"]} == {c.credit_code for c in cos}
    assert got["companies"][0] == store.get_company(got["companies"][0].credit_code)
    assert sorted(d.id for d in got["documents"]) == [f"d{i}" for i in range(5)]
    assert [(s.as_of, s.smoke_index, s.model_version) for s in got["scores"]] == [
        (s.as_of, s.smoke_index, s.model_version) for s in saved]
    assert [(a.id, a.acknowledged_by) for a in got["alerts"]] == [("a1", "ann")]
    assert [r.id for r in got["runs"]] == ["run1"]
    assert got["state"] == [("watermark:court", "2024-02-01")]
    for k in RECORD_KINDS:
        assert store.count_records(k) == len(got[k]), k
    # resume after the second document
    positions = [p for p, _ in store.iter_records("documents")]
    rest = [d.id for _, d in store.iter_records("documents", after=positions[1])]
    assert rest == [d.id for d in got["documents"][2:]]
    with pytest.raises(ValueError, match="record kind"):
        list(store.iter_records("users"))
    with pytest.raises(ValueError, match="position"):
        list(store.iter_records("documents", after="not a position"))


# --- the current score and its rise: decided once (core.current_score) ------------------


def test_current_score_and_rise_follow_the_one_core_rule(store: Store) -> None:
    from indexing.store.core import ScoreRow, current_score

    a, b, c = (company(i, f"上升规则{i}有限公司") for i in range(1, 4))
    store.upsert_companies([a, b])  # c arrives after its scores
    for s in [score(a.credit_code, "2024-02-01", 70.0), score(a.credit_code, "2024-01-01", 30.0),
              score(a.credit_code, "2024-02-01", 64.0, "m2"),  # same day, saved later: current
              score(a.credit_code, "2024-01-20", 41.0),  # an older day saved last: the one before
              score(b.credit_code, "2024-03-01", 15.0),
              score(c.credit_code, "2024-01-01", 50.0), score(c.credit_code, "2024-02-01", 55.0)]:
        store.save_scores([s])
    store.upsert_companies([c])
    got = store.current_scores([a.credit_code, b.credit_code, c.credit_code, code(99)])
    assert set(got) == {a.credit_code, b.credit_code, c.credit_code}
    assert (got[a.credit_code].row.smoke_index, got[a.credit_code].row.model_version) == (64.0, "m2")
    assert got[a.credit_code].rise == pytest.approx(23.0)
    assert got[b.credit_code].rise is None and got[c.credit_code].rise == pytest.approx(5.0)
    # the same decision core makes from the history alone, and the copy the searches see
    for x in (a, b, c):
        hist = store.score_history(x.credit_code)
        want = current_score(ScoreRow(as_of, i, idx, "", mv) for i, (as_of, idx, mv) in enumerate(hist))
        assert want is not None and got[x.credit_code].rise == want.rise
        assert got[x.credit_code].row.smoke_index == want.row.smoke_index
    hits = {h.company.credit_code: h for h in store.search_companies(CompanyQuery(sort="rise")).hits}
    assert [h.company.credit_code for h in store.search_companies(CompanyQuery(sort="rise")).hits] == [
        a.credit_code, c.credit_code, b.credit_code]
    assert hits[a.credit_code].smoke_index == 64.0 and hits[c.credit_code].smoke_index == 55.0
    assert [s.credit_code for s in store.iter_latest_scores()] == [a.credit_code, c.credit_code, b.credit_code]


# --- copies through the interface: any backend to any backend ---------------------------


def _fill(s: Store) -> None:
    cos = [company(i, f"复制{i}投资有限公司", legal_rep=f"人{i % 2}") for i in range(1, 6)]
    s.upsert_companies(cos)
    s.upsert_documents([doc(f"d{i}", f"保本保息{i} 北京投资", mentions=[Mention(code(1 + i % 5), "name", 0.9)])
                        for i in range(7)])
    for sc in [score(code(1), "2024-02-01", 70.0), score(code(1), "2024-01-01", 30.0),
               score(code(1), "2024-02-01", 65.0, "m2"), score(code(2), "2024-02-01", 10.0),
               score(code(3), "2024-01-01", 80.0), score(code(3), "2024-02-01", 60.0)]:
        s.save_scores([sc])
    s.save_alert(alert("a1", "2024-02-01T00:00:00"))
    s.acknowledge_alert("a1", "ann", "2024-02-02T00:00:00")
    s.save_run(Run(id="run1", started="2024-06-01T02:00:00"))
    s.set_state("watermark:court", "2024-02-01")


def _picture(s: Store) -> dict:
    cos = sorted((c.credit_code, c.to_dict()) for _, c in s.iter_records("companies"))
    codes_ = [c for c, _ in cos]
    return {
        "companies": cos,
        "documents": sorted((d.id, d.to_dict()) for _, d in s.iter_records("documents")),
        "histories": s.score_histories(codes_),
        "current": {c: (cs.row.smoke_index, cs.row.as_of, cs.rise) for c, cs in s.current_scores(codes_).items()},
        "by_rise": codes(s.search_companies(CompanyQuery(sort="rise")).hits),
        "alerts": [a.to_dict() for _, a in s.iter_records("alerts")],
        "runs": [r.to_dict() for _, r in s.iter_records("runs")],
        "state": sorted(kv for _, kv in s.iter_records("state") if not kv[0].startswith("migrate:")),
    }


def test_copy_into_and_out_of_every_backend(store: Store, tmp_path: Path) -> None:
    from indexing.store.copy import copy_records
    from indexing.store.sqlite import SQLiteStore

    with SQLiteStore(tmp_path / "src.db") as src, SQLiteStore(tmp_path / "back.db") as back:
        _fill(src)
        report = copy_records(src, store, batch=2)  # SQLite -> this backend
        assert report.ok and report.copied["documents"] == 7, report
        want = _picture(src)
        assert _picture(store) == want
        again = copy_records(src, store, batch=2)  # resumed after the last checkpoint: nothing left
        assert again.ok and sum(again.copied.values()) == 0
        report = copy_records(store, back, batch=3)  # this backend -> SQLite
        assert report.ok, report
        assert _picture(back) == want


# --- the query syntax (indexing/query_syntax.py), translated by every backend -------------


def _syntax_world(store: Store) -> None:
    store.upsert_documents([
        doc("bj-tz", "北京某公司宣传投资项目，保本保息，月返百分之十。"),
        doc("bj", "北京今日天气晴朗，适合出游。"),
        doc("sh-tz", "上海某平台推广投资理财，零风险高回报。"),
        doc("sh", "上海地铁新线开通。"),
        doc("tz", "投资有风险，入市需谨慎：保本承诺都是骗局。", kind="news"),
        doc("split", "承诺保本，另有保息。", kind="news"),
    ])


@pytest.mark.parametrize(("text", "want"), [
    ("北京 AND 投资", {"bj-tz"}),
    ("北京 且 投资", {"bj-tz"}),
    ("北京 投资", {"bj-tz"}),
    ("北京 OR 上海", {"bj-tz", "bj", "sh-tz", "sh"}),
    ("北京 或 上海", {"bj-tz", "bj", "sh-tz", "sh"}),
    ("投资 NOT 北京", {"sh-tz", "tz"}),
    ("投资 -北京", {"sh-tz", "tz"}),
    ("(北京 OR 上海) 投资", {"bj-tz", "sh-tz"}),
    ("(北京 OR 上海) -投资", {"bj", "sh"}),
    ('"保本保息"', {"bj-tz"}),  # the phrase: 保本 right before 保息
    ("保本 保息", {"bj-tz", "split"}),  # both words, anywhere
    ('“保本 保息” OR 出游', {"bj-tz", "bj"}),
    ('"北京', {"bj-tz", "bj"}),  # unclosed quote: closed at the end
    ("NOT 北京", set()),  # nothing to look for
    ("北京 OR -上海", {"bj-tz", "bj"}),  # the exclusion without a must is dropped
    ("北京 AND", {"bj-tz", "bj"}),
    ('北京* "^" : {}', {"bj-tz", "bj"}),  # FTS5 / Lucene operators in user text are just text
])
def test_query_syntax_means_the_same_on_every_backend(store: Store, text: str, want: set[str]) -> None:
    _syntax_world(store)
    page = store.search_documents(DocumentQuery(text=text, limit=50))
    assert set(ids(page.hits)) == want, text
    assert page.total == len(want)


def test_a_repaired_query_says_how_it_was_read(store: Store) -> None:
    _syntax_world(store)
    assert store.search_documents(DocumentQuery(text="北京 AND 投资")).notice == ""
    page = store.search_documents(DocumentQuery(text='"保本保息'))
    assert ids(page.hits) == ["bj-tz"] and "引号未闭合" in page.notice
    assert "排除" in store.search_documents(DocumentQuery(text="-北京")).notice
    hit = store.search_documents(DocumentQuery(text="投资 -上海 NOT 北京")).hits[0]
    assert "<mark>投资</mark>" in hit.highlight and "上海" not in hit.highlight


def test_company_search_takes_the_syntax_and_full_width_codes(store: Store) -> None:
    a = company(1, "北京鑫利投资有限公司", region_code="110101")
    b = company(2, "上海汇通投资管理有限公司", region_code="310101")
    c = company(3, "北京星辰科技有限公司", region_code="110101")
    store.upsert_companies([a, b, c])
    got = lambda text: set(codes(store.search_companies(CompanyQuery(text=text)).hits))  # noqa: E731
    assert got("北京 AND 投资") == {a.credit_code}
    assert got("北京 OR 上海") == {a.credit_code, b.credit_code, c.credit_code}
    assert got("投资 -上海") == {a.credit_code}
    assert got('"汇通投资"') == {b.credit_code}
    full_width = a.credit_code.translate({i: i + 0xFEE0 for i in range(0x21, 0x7F)})
    assert full_width != a.credit_code and got(full_width) == {a.credit_code}
    assert got(full_width[:17]) == {a.credit_code}  # a prefix, full-width
    assert got(full_width[:10]) == {a.credit_code, c.credit_code}
    page = store.search_companies(CompanyQuery(text="北京 OR 上海", sort="name"))
    names = [h.company.name for h in page.hits]
    assert names == sorted(names)


def test_company_search_finds_pinyin_of_names(store: Store) -> None:
    a = company(1, "深圳市鑫利财富投资有限公司")
    b = company(2, "上海汇通科技有限公司")
    store.upsert_companies([a, b])
    got = lambda text: set(codes(store.search_companies(CompanyQuery(text=text)).hits))  # noqa: E731
    assert got("xinli") == {a.credit_code}  # full pinyin of a word
    assert got("xinlicaifu") == {a.credit_code}  # of words in a row
    assert got("xlcf") == {a.credit_code}  # their initials
    assert got("huitong OR xinli") == {a.credit_code, b.credit_code}
    assert got("youxiangongsi -xinli") == {b.credit_code}
    assert got("xlhx") == set()


# --- company search at scale: capped totals, relevance over a broad text, the index walk -------
# The caps are lowered so that a handful of companies stands for the million where they matter;
# the SQLite plans they switch between (join and sort, or the sort index walked with an FTS check)
# must give the same pages.


def _broad_world(store: Store) -> list[Company]:
    cos = [company(i, f"广域{i:03d}号投资有限公司", business_scope="投资管理" if i % 2 else "软件开发",
                   industry="金融业" if i % 3 else "制造业") for i in range(1, 31)]
    store.upsert_companies(cos)
    # equal scores (the tie-break works), a rise for some, and two never scored
    store.save_scores([score(c.credit_code, "2024-01-01", float(i % 4) * 20) for i, c in enumerate(cos[:-2])])
    store.save_scores([score(c.credit_code, "2024-02-01", float(i % 7) * 10) for i, c in enumerate(cos[:10])])
    return cos


def _all_company_pages(store: Store, **kw) -> tuple[list[str], list[str]]:
    """Every hit of a query, by offset pages and by cursor pages."""
    by_offset: list[str] = []
    for off in range(0, 40, 7):
        by_offset += codes(store.search_companies(CompanyQuery(limit=7, offset=off, **kw)).hits)
    page = store.search_companies(CompanyQuery(limit=7, **kw))
    by_cursor = codes(page.hits)
    while page.next_cursor is not None:
        page = store.search_companies(CompanyQuery(limit=7, search_after=page.next_cursor, **kw))
        by_cursor += codes(page.hits)
    return by_offset, by_cursor


@pytest.mark.parametrize("sort", ["score", "name", "rise"])
def test_search_companies_capped_total_same_pages(store: Store, monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    _broad_world(store)
    queries = [dict(text="投资"), dict(text="广域"), dict(text="投资", industry="金融业"), dict(industry="金融业"),
               dict(min_score=20, max_score=60), dict()]
    full = {i: _all_company_pages(store, sort=sort, **q) for i, q in enumerate(queries)}
    totals = {i: store.search_companies(CompanyQuery(sort=sort, **q)).total for i, q in enumerate(queries)}
    assert totals[1] == 30 and totals[0] == 30 and totals[3] == 20  # every name holds 投资 and 广域
    for by_offset, by_cursor in full.values():
        assert by_offset == by_cursor
    from indexing.store import core

    monkeypatch.setattr(core, "COUNT_CAP", 5)
    for i, q in enumerate(queries):
        page = store.search_companies(CompanyQuery(sort=sort, **q))
        assert page.total == min(5, totals[i]) and page.total_is_lower_bound == (totals[i] > 5), q
        assert page.sort == sort
        exact = store.search_companies(CompanyQuery(sort=sort, exact_total=True, **q))
        assert (exact.total, exact.total_is_lower_bound) == (totals[i], False), q
        assert _all_company_pages(store, sort=sort, **q) == full[i], q  # the same hits in the same order


def test_search_companies_relevance_over_rank_cap_orders_by_score(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    cos = _broad_world(store)
    from indexing.store import core

    page = store.search_companies(CompanyQuery(text="投资", sort="relevance", limit=50))
    assert page.sort == "relevance" and len(page.hits) == 30
    monkeypatch.setattr(core, "RANK_CAP", 10)
    page = store.search_companies(CompanyQuery(text="投资", sort="relevance", limit=50))
    assert page.sort == "score"
    assert codes(page.hits) == codes(store.search_companies(CompanyQuery(text="投资", sort="score", limit=50)).hits)
    scores = [h.smoke_index if h.smoke_index is not None else -1 for h in page.hits]
    assert scores == sorted(scores, reverse=True)
    # few matches: still ranked by relevance (the name outranks the scope)
    few = store.search_companies(CompanyQuery(text="投资管理", sort="relevance", limit=50))
    assert few.total == 15 and few.sort == "score"
    one = store.search_companies(CompanyQuery(text="广域007号", sort="relevance"))
    assert one.sort == "relevance" and codes(one.hits)[:1] == [cos[6].credit_code]
    # a credit code still finds its company first
    code = cos[20].credit_code
    assert codes(store.search_companies(CompanyQuery(text=code, sort="relevance")).hits) == [code]


@pytest.mark.parametrize("walk", [True, False])
def test_sqlite_company_search_plans_give_the_same_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         walk: bool) -> None:
    """SQLite either walks the sort index checking each row or gathers the matches and sorts
    them (by how many match): forced each way, every page is the one the other gives."""
    from indexing.store import sqlite

    with sqlite.SQLiteStore(tmp_path / "plans.db") as st:
        _broad_world(st)
        queries = [dict(text="投资"), dict(text="投资管理", industry="金融业"), dict(industry="金融业", region="44"),
                   dict(min_score=20, max_score=60), dict(level="yellow"), dict()]
        want = {(s, i): _all_company_pages(st, sort=s, **q) for s in ("score", "name", "rise") for i, q in enumerate(queries)}
        monkeypatch.setattr(sqlite, "_walks", lambda *_: walk)
        for (s, i), pages in want.items():
            assert _all_company_pages(st, sort=s, **queries[i]) == pages, (s, queries[i])
        assert want[("score", 1)][0] and want[("score", 4)][0]  # not vacuous


def _doc_world(store: Store) -> list[Document]:
    docs = [doc(f"wide-{i:02d}", "保本保息" + "，稳赚不赔" * (i % 3) + f"，第{i}期", kind="promo" if i % 2 else "news",
                published=f"2024-{1 + i % 12:02d}-{1 + i % 5:02d}") for i in range(1, 21)]
    store.upsert_documents(docs)
    return docs


def test_search_documents_capped_total_and_broad_relevance(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _doc_world(store)
    from indexing.store import core

    def ids(page) -> list[str]:
        return [h.document.id for h in page.hits]

    full = store.search_documents(DocumentQuery(text="保本", limit=50))
    assert (full.total, full.total_is_lower_bound, full.sort) == (20, False, "relevance")
    by_date = store.search_documents(DocumentQuery(text="保本", sort="date", limit=50))
    assert by_date.sort == "date" and len(by_date.hits) == 20
    monkeypatch.setattr(core, "COUNT_CAP", 5)
    page = store.search_documents(DocumentQuery(text="保本", sort="date", limit=50))
    assert (page.total, page.total_is_lower_bound) == (5, True) and ids(page) == ids(by_date)
    kind = store.search_documents(DocumentQuery(text="保本", source_kind="news", limit=50))
    assert (kind.total, kind.total_is_lower_bound) == (5, True) and len(kind.hits) == 10
    monkeypatch.setattr(core, "RANK_CAP", 10)
    broad = store.search_documents(DocumentQuery(text="保本", limit=50))
    assert broad.sort == "date" and ids(broad) == ids(by_date)
    narrow = store.search_documents(DocumentQuery(text="第7期", limit=50))
    assert narrow.sort == "relevance" and ids(narrow)[:1] == ["wide-07"]


@pytest.mark.parametrize("walk", [True, False])
def test_sqlite_document_search_plans_give_the_same_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          walk: bool) -> None:
    from indexing.store import sqlite

    with sqlite.SQLiteStore(tmp_path / "plans.db") as st:
        _doc_world(st)

        def pages(**kw) -> list[tuple[str, float]]:
            out: list[tuple[str, float]] = []
            page = st.search_documents(DocumentQuery(limit=6, **kw))
            out += [(h.document.id, round(h.relevance, 9)) for h in page.hits]
            while page.next_cursor is not None:
                page = st.search_documents(DocumentQuery(limit=6, search_after=page.next_cursor, **kw))
                out += [(h.document.id, round(h.relevance, 9)) for h in page.hits]
            return out

        queries = [dict(text="保本", sort="date"), dict(text="稳赚", sort="date", source_kind="promo"), dict()]
        want = [pages(**q) for q in queries]
        assert len(want[0]) == 20 and all(r > 0 for _, r in want[0])  # date-sorted hits keep their relevance
        monkeypatch.setattr(sqlite, "_walks", lambda *_: walk)
        assert [pages(**q) for q in queries] == want


# --- what changed (the incremental daily cycle) -----------------------------------------------


def test_changed_since_names_companies_whose_record_or_documents_were_written(store: Store) -> None:
    # Elasticsearch's marker lags a minute behind the clock (a write in flight is never
    # missed); without the lag, "nothing changed" can be asserted on both backends alike.
    if hasattr(store, "CHANGE_LAG_MS"):
        store.CHANGE_LAG_MS = 0
    a, b, c, quiet = (company(n, f"深圳市变更测试{n}有限公司") for n in (61, 62, 63, 64))
    store.upsert_companies([a, b, c, quiet])
    store.upsert_documents([doc("chg-1", "保本保息，月返百分之十", mentions=[Mention(b.credit_code, "name", 0.9)])])
    assert store.changed_since("not a marker") is None
    m0 = store.change_marker()
    assert sorted(store.changed_since(m0)) == []

    a2 = dataclasses.replace(a, address="深圳市福田区新地址1号")
    store.upsert_companies([a2, quiet])  # quiet: the same record again, no change
    store.upsert_documents([doc("chg-1", "保本保息，月返百分之十", mentions=[Mention(b.credit_code, "name", 0.9)])])
    assert sorted(store.changed_since(m0)) == [a.credit_code]  # an unchanged page written again is no change

    m1 = store.change_marker()
    # the page now names c instead of b: both companies' inputs changed
    store.upsert_documents([doc("chg-1", "保本保息，月返百分之十二", mentions=[Mention(c.credit_code, "name", 0.9)])])
    assert sorted(store.changed_since(m1)) == sorted([b.credit_code, c.credit_code])
    assert sorted(store.changed_since(m0)) == sorted([a.credit_code, b.credit_code, c.credit_code])
    m2 = store.change_marker()
    assert list(store.changed_since(m2)) == []
    assert store.changed_since(m2.split(":", 1)[0] + "x:" + m2.split(":", 1)[1]) is None  # another store's marker
