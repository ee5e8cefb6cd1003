"""The scorer over hand-built companies and documents: points, dimensions, rules, purity."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from config import ConfigError
from indexing.models import CORE_DIMENSIONS, DIMENSIONS, RegistryEntry
from scoring.context import NearCopy, ScoringContext, Tie
from scoring.model import load_model
from scoring.scorer import score_company
from tests.scoring.conftest import AS_OF, BANK_PAGE, RECRUIT_POST, SCHEME_PROMO, WARNING, company, doc

COMPLAINT = "我于2024年3月在该平台投了5万元，当时承诺月息2分。现在无法提现，客服失联，老板跑路了，要求退还本金！"


def scheme_docs(code: str) -> list:
    return [
        doc(SCHEME_PROMO, code=code, site="xinju", url="http://xinju.test/about"),
        doc(RECRUIT_POST, code=code, site="forum", url="http://bbs.forum.test/t/1", date="2024-06-01"),
        doc(COMPLAINT, kind="complaint", code=code, fields={"amount": 50000}, date="2024-06-10",
            url="http://complaints.sandbox.test/complaint/1"),
    ]


def test_points_add_up_to_the_index_and_every_indicator_is_listed(model, context) -> None:
    c = company()
    s = score_company(c, scheme_docs(c.credit_code), context, model, AS_OF)
    assert round(sum(i.points for i in s.indicators), 2) == s.smoke_index
    assert {i.id for i in s.indicators} >= set(model.config.indicators)
    assert len(model.config.indicators) >= 30
    assert set(s.dimensions) == set(DIMENSIONS)
    assert all(0 <= s.dimensions[d] <= 100 for d in CORE_DIMENSIONS)
    for i in s.indicators:
        assert i.points >= 0
        if i.points > 0:
            assert i.evidence, i.id
            assert all(e.url for e in i.evidence), i.id
    assert s.smoke_index >= 60 and s.level in ("orange", "red")
    assert s.model_version == model.version
    for dim in ("compliance", "complaints", "yield", "feature_words", "spread"):
        assert s.dimensions[dim] > 0, dim


def test_same_input_same_score(model) -> None:
    c = company()
    docs = scheme_docs(c.credit_code)
    a = score_company(c, docs, ScoringContext(as_of=AS_OF), model, AS_OF)
    b = score_company(copy.deepcopy(c), list(reversed(copy.deepcopy(docs))), ScoringContext(as_of=AS_OF), model, AS_OF)
    assert a.to_dict() == b.to_dict()


def test_legit_bank_scores_low(model, context) -> None:
    c = company("91110000100000000A", "招财银行股份有限公司", business_scope="吸收公众存款；发放短期、中期和长期贷款",
                registered_capital=500000.0, paid_in_capital=500000.0, founded="1995-01-01")
    pages = [doc(BANK_PAGE, code=c.credit_code, site="bank", url=f"http://bank.test/p{i}") for i in range(10)]
    s = score_company(c, pages, context, model, AS_OF)
    assert s.smoke_index < 20
    assert s.dimensions["yield"] == 0 and s.dimensions["spread"] == 0


def test_warning_and_news_never_add_feature_word_points(model, context) -> None:
    c = company(founded="2010-01-01", paid_in_capital=10000.0, business_scope="软件开发")
    news = "（记者李某）据报道，近日警方捣毁一个传销组织，该组织宣称静态收益每日1%，靠对碰奖、见点奖拉人头。责任编辑：王某"
    docs = [doc(WARNING, code=c.credit_code, site="gov", url="http://jrj.gov.test/w/1"),
            doc(news, code=c.credit_code, site="news", url="http://news.test/a/1")]
    s = score_company(c, docs, context, model, AS_OF)
    assert all(i.points == 0 for i in s.indicators if i.dimension == "feature_words")
    assert s.dimensions["feature_words"] == 0 and s.dimensions["yield"] == 0


def test_only_documents_up_to_as_of_count(model, context) -> None:
    c = company()
    docs = [doc(SCHEME_PROMO, code=c.credit_code, date="2024-07-15")]
    early = score_company(c, docs, ScoringContext(as_of=AS_OF), model, AS_OF)
    late = score_company(c, docs, ScoringContext(as_of="2024-08-01"), model, "2024-08-01")
    assert early.dimensions["yield"] == 0
    assert late.dimensions["yield"] > 0


def test_criminal_judgment_puts_the_company_in_the_red_band(model, context) -> None:
    c = company(founded="2015-01-01", paid_in_capital=10000.0, business_scope="技术服务")
    judgment = doc(
        "上海市浦东新区人民法院刑事判决书。公诉机关上海市浦东新区人民检察院。被告单位上海鑫聚财富投资管理有限公司。"
        "本院认为，被告单位构成非法吸收公众存款罪。判决如下：被告单位犯非法吸收公众存款罪，判处罚金五十万元。",
        kind="court", code=c.credit_code, role="defendant", url="http://court.sandbox.test/judgment/9",
        fields={"case_no": "（2023）沪0115刑初88号", "cause": "非法吸收公众存款罪", "judgment_type": "判决书"},
    )
    s = score_company(c, [judgment], context, model, AS_OF)
    assert s.smoke_index >= 80 and s.level == "red"
    assert "criminal_judgment" in s.hard_rules
    assert round(sum(i.points for i in s.indicators), 2) == s.smoke_index
    rule = next(i for i in s.indicators if i.id == "hard_rule.criminal_judgment")
    assert rule.points > 0 and rule.evidence[0].url == "http://court.sandbox.test/judgment/9"
    # the same company as plaintiff in such a case is not the criminal
    judgment.mentions[0].role = "plaintiff"
    s2 = score_company(c, [judgment], ScoringContext(as_of=AS_OF), model, AS_OF)
    assert s2.smoke_index < 60


def test_registry_flags_count(model, context) -> None:
    plain = company(founded="2015-01-01", paid_in_capital=10000.0)
    flagged = company(founded="2015-01-01", paid_in_capital=10000.0, entries=[
        RegistryEntry("abnormal", "2024-01-10", "通过登记的住所或者经营场所无法联系的"),
        RegistryEntry("penalty", "2023-05-01", "非法吸收公众存款", detail="罚款50万元"),
        RegistryEntry("abnormal", "2024-08-01", "未按规定公示年报"),  # after as_of: ignored
    ])
    a = score_company(plain, [], context, model, AS_OF)
    b = score_company(flagged, [], ScoringContext(as_of=AS_OF), model, AS_OF)
    ind = {i.id: i for i in b.indicators}
    assert ind["compliance.abnormal_unreachable"].value == 1
    assert ind["compliance.abnormal_other"].value == 0
    assert ind["compliance.penalty_fundraising_recent"].value == 1
    assert b.smoke_index >= 60 > a.smoke_index
    assert "fundraising_penalty" in b.hard_rules


def test_network_ties_and_near_copies_add_points(model) -> None:
    c = company()
    ctx = ScoringContext(as_of=AS_OF)
    ctx.ties[c.credit_code] = [Tie("person", "王某某", "91310000MA1FL0009Y", "旧马甲公司", 92.0, True, "http://r/x")]
    ctx.near_copies[c.credit_code] = NearCopy(0.93, "91310000MA1FL0009Y", "旧马甲公司", "http://new.test/", "http://old.test/", "…")
    with_net = score_company(c, [], ctx, model, AS_OF)
    without = score_company(c, [], ScoringContext(as_of=AS_OF), model, AS_OF)
    assert with_net.dimensions["network"] > 50
    assert with_net.smoke_index > without.smoke_index
    assert round(sum(i.points for i in with_net.indicators), 2) == with_net.smoke_index


def test_invalid_model_names_file_and_field(tmp_path: Path) -> None:
    text = Path("config/model.yaml").read_text(encoding="utf-8").replace("weight: 0.35}", "weight: high}", 1)
    bad = tmp_path / "model.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_model(bad)
    assert "model.yaml" in str(err.value) and "dimensions.compliance.weight" in str(err.value)


def test_model_version_changes_are_recorded(model, tmp_path: Path) -> None:
    text = re.sub(r"^version: .*$", 'version: "9.9.9-test"', Path("config/model.yaml").read_text(encoding="utf-8"),
                  count=1, flags=re.M)
    p = tmp_path / "model.yaml"
    p.write_text(text, encoding="utf-8")
    m2 = load_model(p)
    c = company()
    s = score_company(c, scheme_docs(c.credit_code), ScoringContext(as_of=AS_OF), m2, AS_OF)
    assert s.model_version == "9.9.9-test"


def test_evasive_promotion_scores_like_plain_at_company_level(model) -> None:
    plain = "保本保息，稳赚不赔，年化收益36%，直推奖10%，见点奖，对碰奖日封顶，静态收益加动态收益，这不是传销。"
    evasive = "保 本 保 息，穩賺不賠，年化收益36％，直-推-奖10%，見點獎，對碰獎日封頂，静*态*收*益加动态收益，这鈈是傳銷。"
    c = company()
    a = score_company(c, [doc(plain, code=c.credit_code, url="http://a.test/")], ScoringContext(as_of=AS_OF), model, AS_OF)
    b = score_company(c, [doc(evasive, code=c.credit_code, url="http://a.test/")], ScoringContext(as_of=AS_OF), model, AS_OF)
    assert a.dimensions["feature_words"] > 30
    for dim in ("feature_words", "yield", "spread"):
        assert b.dimensions[dim] == pytest.approx(a.dimensions[dim], abs=3), dim
    assert b.smoke_index == pytest.approx(a.smoke_index, abs=3)


def test_own_site_page_imitating_news_still_speaks_for_the_company(model) -> None:
    text = ("（本报讯）记者近日获悉，鑫聚财富推出新一期项目，年化收益高达36%，保本保息，稳赚不赔，"
            "直推奖10%，见点奖五代。据了解，名额有限。责任编辑：小王")
    c = company(websites=["xinju.test"])
    own = score_company(c, [doc(text, code=c.credit_code, url="http://www.xinju.test/news/1")],
                        ScoringContext(as_of=AS_OF), model, AS_OF)
    third = score_company(c, [doc(text, code=c.credit_code, url="http://news.test/a/1")], ScoringContext(as_of=AS_OF), model, AS_OF)
    assert own.dimensions["yield"] > 50 and own.dimensions["feature_words"] > 20
    assert third.dimensions["feature_words"] == 0


def test_news_naming_the_company_as_suspect_counts_in_compliance(model) -> None:
    text = "（记者李某）据报道，上海鑫聚财富投资管理有限公司涉嫌非法集资，已被警方立案侦查。责任编辑：王某"
    c = company(founded="2010-01-01", paid_in_capital=10000.0)
    s = score_company(c, [doc(text, code=c.credit_code, url="http://news.test/a/2")], ScoringContext(as_of=AS_OF), model, AS_OF)
    ind = {i.id: i for i in s.indicators}
    assert ind["compliance.reported_suspect"].value == 1 and ind["compliance.reported_suspect"].points > 0


def test_weakly_linked_documents_count_only_for_the_best_linked_company(model) -> None:
    from indexing.models import Mention

    c = company(founded="2010-01-01", paid_in_capital=10000.0, business_scope="超市零售")
    d = doc(SCHEME_PROMO, url="http://news.test/x")
    d.mentions = [Mention("91310000MA1FL0009Y", "name", 0.95), Mention(c.credit_code, "name_core", 0.75)]
    weak = score_company(c, [d], ScoringContext(as_of=AS_OF), model, AS_OF)
    assert weak.dimensions["yield"] == 0 and weak.dimensions["feature_words"] == 0
    d.mentions = [Mention("91310000MA1FL0009Y", "name", 0.8), Mention(c.credit_code, "name_core", 0.75)]
    close = score_company(c, [d], ScoringContext(as_of=AS_OF), model, AS_OF)
    assert close.dimensions["yield"] > 0  # as good a link as any: it counts
