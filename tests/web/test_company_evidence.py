"""smoke.evidence (quotes once, marks merged, escaped then marked, registry facts) and
smoke.regions (names of codes, codes of names)."""

from __future__ import annotations

import pytest

from indexing.models import Company, Evidence, IndicatorResult, RegistryEntry
from smoke.evidence import by_dimension, cite, marked_html, marked_text, registry_facts
from smoke.regions import RegionError, province_name, region_name, resolve_region

SENTENCE = "推荐壹人奖励300元,保本保息,年化收益36%。"


def _ev(marks, snippet=SENTENCE, doc="d1"):
    return Evidence(url="http://x.test/1", snippet=snippet, date="2024-05-01", doc_id=doc, source_kind="promo", marks=marks)


INDICATORS = [
    IndicatorResult("yield.max_rate_vs_lpr", "yield", 11.6, 11.8, 0, "承诺最高年化收益", [_ev([[16, 23]])]),
    IndicatorResult("feature_words.recruiting", "feature_words", 4.0, 4.7, 0, "拉人头", [_ev([[0, 4]])]),
    IndicatorResult("feature_words.guarantees", "feature_words", 4.0, 5.6, 0, "保本承诺", [_ev([[11, 15]])]),
    IndicatorResult("spread.domains", "spread", 0.0, 0.0, 0, "域名数", [_ev([], "bbs.test", "d2")]),
]


def test_one_sentence_under_several_indicators_is_one_citation_with_all_marks():
    cited = cite(INDICATORS)
    assert len(cited) == 1  # the zero-point indicator's evidence is left out
    c = cited[0]
    assert [i["id"] for i in c.indicators] == ["yield.max_rate_vs_lpr", "feature_words.guarantees", "feature_words.recruiting"]
    assert c.points == round(11.8 + 5.6 + 4.7, 2)
    assert c.text == "【推荐壹人】奖励300元,【保本保息】,【年化收益36%】。"
    assert len(cite(INDICATORS, include_zero=True)) == 2


def test_by_dimension_quotes_once_references_after_and_hides_zero():
    dims, zero = by_dimension(INDICATORS, {"yield": "收益率", "feature_words": "特征词", "spread": "传播力"},
                              {"yield": 94.0, "feature_words": 78.0})
    assert [d["label"] for d in dims] == ["收益率", "特征词"] and [z["id"] for z in zero] == ["spread.domains"]
    quotes = [q for d in dims for i in d["indicators"] for q in i["quotes"]]
    assert [q["n"] for q in quotes] == [1, 0, 0] and [q["ref"] for q in quotes] == [0, 1, 1]
    assert str(quotes[0]["html"]).count("<mark>") == 3  # every indicator's words marked in the one quote


def test_html_is_escaped_then_marked():
    hostile = "<script>alert(1)</script>保本保息<img src=x onerror=alert(2)>"
    at = hostile.index("保本")
    out = str(marked_html(hostile, [[at, at + 4]]))
    assert out == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>保本保息</mark>&lt;img src=x onerror=alert(2)&gt;"
    # a mark around a tag cannot produce a tag
    assert "<script" not in str(marked_html(hostile, [[0, 8]]))
    assert marked_text("【已有】括号", []) == "【已有】括号"


def test_registry_facts():
    c = Company("91440300000000001H", "某公司", legal_rep="张伟", registered_capital=5000.0, paid_in_capital=None,
                founded="2019-03-01", status="存续", address="深圳市南山区某路1号", region_code="440305",
                industry="资产管理", amac_registered=False,
                entries=[RegistryEntry("abnormal", "2024-01-01", "通过登记的住所无法联系"),
                         RegistryEntry("abnormal", "2023-01-01", "未年报", removed_date="2023-06-01")])
    facts = dict(registry_facts(c))
    assert facts["登记状态"] == "存续" and facts["法定代表人"] == "张伟" and facts["注册资本"] == "5,000 万元"
    assert facts["所在地区"] == "广东省深圳市南山区" and facts["基金业协会备案"] == "未备案"
    assert facts["登记异常"] == "经营异常 1 条" and "实缴资本" not in facts


def test_region_names():
    assert region_name("110101") == "北京市东城区"
    assert region_name("440305") == "广东省深圳市南山区"
    assert region_name("440300") == "广东省深圳市"
    assert region_name("449999") == "广东省" and region_name("990000") == "990000" and region_name("") == "未知"
    assert province_name("440305") == "广东" and province_name("150102") == "内蒙古" and province_name("") == "未知"


@pytest.mark.parametrize(("text", "codes"), [
    ("广东", ["44"]), ("广东省", ["44"]), ("44", ["44"]), ("深圳", ["4403"]), ("深圳市", ["4403"]),
    ("南山区", ["440305"]), ("北京", ["11"]), ("广东,深圳", ["44"]), ("广东、北京", ["11", "44"]),
    ("内蒙古", ["15"]), ("新疆", ["65"]),
])
def test_region_names_resolve(text, codes):
    assert resolve_region(text) == codes


def test_unknown_region_is_an_error():
    with pytest.raises(RegionError, match="unknown region '火星'"):
        resolve_region("火星")
    with pytest.raises(RegionError, match="at most 6 digits"):
        resolve_region("4403051")
