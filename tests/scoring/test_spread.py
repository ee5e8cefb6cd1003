"""Scores that spread (issue 15): the soft cap keeps order above it, hard rules floor the
index without flattening it, and reports naming a company in passing are not evidence."""

from __future__ import annotations

import pytest

from indexing.models import RegistryEntry
from scoring.model import raise_to_floor, saturate
from scoring.scorer import score_company
from scoring.subject import named_in_passing
from tests.scoring.conftest import AS_OF, RECRUIT_POST, SCHEME_PROMO, company, doc


def test_saturate_is_the_raw_sum_below_the_knee_and_strictly_increasing_above() -> None:
    assert saturate(42.0, 60) == 42.0
    values = [saturate(r, 60) for r in (60, 80, 100, 150, 200, 300)]
    assert values == sorted(values) and len(set(values)) == len(values)
    assert all(60 <= v < 100 for v in values)
    assert saturate(150, 100) == 100.0  # knee 100: the old plain cap
    assert 60 < saturate(100, 60, 80) < saturate(100, 60) < 100  # a longer scale spreads further


def test_a_hard_floor_keeps_order() -> None:
    lifted = [raise_to_floor(i, 80) for i in (0, 30, 70, 99)]
    assert lifted[0] == 80 and lifted == sorted(lifted) and len(set(lifted)) == 4
    assert all(80 <= v <= 100 for v in lifted)


def _criminal(code: str, n: int) -> list:
    docs = [doc(f"被告单位{n}非法吸收公众存款罪一审刑事判决书", kind="court", code=code, role="defendant",
                title="非法吸收公众存款罪一审刑事判决书", fields={"cause": "非法吸收公众存款罪", "case_no": "（2024）沪0115刑初1号"},
                url=f"http://court.sandbox.test/j/{code}")]
    docs += [doc(SCHEME_PROMO + f"第{k}期", code=code, url=f"http://x{k}.test/{code}") for k in range(n)]
    return docs


def test_two_convicted_schemes_with_different_evidence_do_not_tie(model, context) -> None:
    small = company("91310000MA1FL0001X")
    big = company("91310000MA1FL0002X")
    a = score_company(small, _criminal(small.credit_code, 1), context, model, AS_OF)
    b = score_company(big, _criminal(big.credit_code, 6) + [doc(RECRUIT_POST, code=big.credit_code, site="forum")],
                      context, model, AS_OF)
    assert "criminal_judgment" in a.hard_rules and "criminal_judgment" in b.hard_rules
    assert 80 <= a.smoke_index < b.smoke_index < 100
    assert round(sum(i.points for i in b.indicators), 2) == b.smoke_index


def test_a_penalty_floor_still_ranks(model, context) -> None:
    entry = RegistryEntry(kind="penalty", date="2024-03-01", reason="组织策划传销", authority="市场监督管理局")
    plain = company(entries=[entry])
    s = score_company(plain, [], context, model, AS_OF)
    assert s.smoke_index >= 60 and "fundraising_penalty" in s.hard_rules
    busy = score_company(plain, [doc(SCHEME_PROMO, code=plain.credit_code)], context, model, AS_OF)
    assert busy.smoke_index > s.smoke_index


CUES = ("无关", "无任何关联", "依法经营", "并不知情")


@pytest.mark.parametrize(("text", "passing"), [
    ("近期某平台涉嫌非法集资。经核实，网传上海鑫聚财富投资管理有限公司与该平台有关，经查，上海鑫聚财富投资管理有限公司系依法经营的企业。", True),
    ("上海鑫聚财富投资管理有限公司以“鑫聚宝”名义承诺高额回报，涉嫌非法集资。", False),
    ("上海鑫聚财富投资管理有限公司与该平台无关。但上海鑫聚财富投资管理有限公司另行承诺年化30%。", False),
    ("某平台涉嫌非法集资，与本案无关的人员请勿轻信谣言。", False),  # not named at all
])
def test_named_in_passing(text: str, passing: bool) -> None:
    c = company()
    assert named_in_passing(doc(text, kind="news", title="警方通报"), c, CUES) is passing


def test_a_warning_clearing_a_company_adds_nothing(model, context) -> None:
    c = company(founded="2015-01-01", paid_in_capital=10000.0, business_scope="软件开发")
    clearing = doc("近期“鑫聚宝”平台涉嫌非法集资。经核实，网传上海鑫聚财富投资管理有限公司与该平台有关，经查，"
                   "上海鑫聚财富投资管理有限公司系依法经营的企业，与上述平台无任何关联，请勿轻信不实信息。",
                   kind="promo", code=c.credit_code, title="关于“鑫聚宝”涉嫌非法集资的风险提示", site="jrj")
    s = score_company(c, [clearing], context, model, AS_OF)
    assert s.smoke_index < 20
    assert not [i for i in s.indicators if i.id in ("compliance.regulator_warning", "compliance.reported_suspect") and i.points]


LATE = "我在鑫聚财富投了3万元，承诺月息2分，最近提现一直显示审核中，客服推说系统升级，要求再充值才能解冻，担心是资金盘。"
GONE = "我母亲在鑫聚财富存了8万元养老钱，上周开始APP无法登录，老板失联，公司人去楼空，已经报警，要求退还本金！"


def _stage_docs(code: str, stage: int) -> list:
    """A scheme's documents at stage 0 launch, 1 recruiting hard, 2 paying late, 3 collapsed."""
    docs = [doc(SCHEME_PROMO, code=code, url="http://xinju.test/", date="2024-01-05")]
    if stage >= 1:
        docs += [doc(RECRUIT_POST + f"第{k}帖", code=code, site=f"forum{k}", url=f"http://bbs{k}.test/t/{k}",
                     date="2024-03-01") for k in range(6)]
        docs += [doc(SCHEME_PROMO + f"（{k}）", code=code, url=f"http://xinju{k}.test/", date="2024-03-10")
                 for k in range(4)]
    if stage >= 2:
        docs += [doc(LATE + f"（{k}）", kind="complaint", code=code, fields={"amount": 30000}, date="2024-05-01",
                     url=f"http://complaints.sandbox.test/complaint/{k}") for k in range(4)]
    if stage >= 3:
        docs += [doc(GONE + f"（{k}）", kind="complaint", code=code, fields={"amount": 80000}, date="2024-06-20",
                     url=f"http://complaints.sandbox.test/complaint/g{k}") for k in range(8)]
    return docs


def test_the_stages_of_a_scheme_sit_at_different_points_in_order(model, context) -> None:
    c = company()
    entries = [RegistryEntry(kind="abnormal", date="2024-06-25", reason="通过登记的住所或者经营场所无法联系",
                             authority="市场监督管理局")]
    scores = []
    for stage in range(4):
        co = company(entries=entries) if stage == 3 else c
        scores.append(score_company(co, _stage_docs(c.credit_code, stage), context, model, AS_OF).smoke_index)
    assert scores == sorted(scores) and len(set(scores)) == 4, scores
    assert scores[-1] < 100  # collapse without a conviction is not conclusive
