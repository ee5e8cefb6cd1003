"""Entity linking: names, former names, aliases, domains, cores; generic-word traps."""

from __future__ import annotations

from crawlers.processing.linking import Linker, name_core
from indexing.models import Company

A = Company("91440300MA5F00001A", "深圳市鑫盛财富投资管理有限公司", former_names=["深圳市鑫盛投资咨询有限公司"],
            aliases=["鑫盛宝"], websites=["xinsheng.test"])
B = Company("91110108MA01000023", "北京中科投资有限公司")
C = Company("91310000MA1K00003F", "上海投资控股有限公司")  # nothing distinctive: no core at all
D = Company("91330100MA2800004R", "杭州天利科技有限公司")
E = Company("91440300MA5F00005N", "深圳市天利投资有限公司")  # shares the core 天利 with D
ALL = [A, B, C, D, E]


def codes(mentions):
    return {m.credit_code for m in mentions}


def test_name_core():
    assert name_core(A.name) == "鑫盛"
    assert name_core(B.name) == "中科"
    assert name_core(C.name) == ""
    assert name_core("广东省深圳市华润科技发展有限公司") == "华润"


def test_full_name_former_name_alias_domain_and_code():
    L = Linker(ALL)
    assert codes(L.link_document("深圳市鑫盛财富投资管理有限公司涉嫌非法集资")) == {A.credit_code}
    assert [m.method for m in L.link_document("原名深圳市鑫盛投资咨询有限公司")] == ["former_name"]
    assert [m.method for m in L.link_document("鑫盛宝月息3分")] == ["alias"]
    own = L.link_document("鑫盛宝月息3分", domain="xinsheng.test")
    assert [(m.method, m.confidence) for m in own] == [("domain", 0.95)]  # own site and its brand agree
    assert L.link_document("律师解读：拉人头模式的法律风险", domain="xinsheng.test") == []  # site alone: not enough
    m = L.link_document("代码 91330100MA2800004R")
    assert [(x.credit_code, x.method, x.confidence) for x in m] == [(D.credit_code, "credit_code", 1.0)]


def test_generic_words_link_nothing():
    L = Linker(ALL)
    traps = [
        "科技投资有风险，控股集团也会暴雷，投资有限公司那么多，怎么选？",
        "中科院的研究说投资要谨慎",  # 中科 followed by 院, not used as a company name
        "上海的投资控股公司很多",  # C has no distinctive core; its full name is absent
        "天利投资和天利科技都在招人",  # 天利 is shared by D and E: ambiguous, links neither by core
        "投资 控股 科技 有限公司 股份有限公司 资产管理 财富管理",
    ]
    for t in traps:
        assert L.link_document(t) == [], t


def test_longest_match_wins():
    L = Linker(ALL)
    # E's full name contains D's and E's core 天利; the full name wins and only E links.
    assert codes(L.link_document("深圳市天利投资有限公司发布公告")) == {E.credit_code}
    # Two-character core used as a name (followed by an industry word) links with low confidence.
    found = L.link_document("听说中科投资的产品逾期了")
    assert codes(found) == {B.credit_code} and found[0].confidence < 0.8


def test_typed_names_from_complaints_and_parties():
    L = Linker(ALL)
    assert L.lookup_name("鑫盛宝").credit_code == A.credit_code
    assert L.lookup_name("杭州天俐科技有限公司").method == "fuzzy"  # one wrong character
    assert L.lookup_name("杭州天俐科技有限公司").credit_code == D.credit_code
    assert L.lookup_name("张三") is None
    assert L.lookup_name("天利") is None  # ambiguous core
