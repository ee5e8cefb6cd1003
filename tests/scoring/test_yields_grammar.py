"""Numbers read right, always (issue 10, point 3): the yield grammar on the phrasings
promoters use, its refusals, per-recruit rewards, verbatim quotes, and a property test
over generated phrasings (stake, payout, period; Arabic, Chinese and capital numerals)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexing.normalize import normalize_text
from scoring.indicators.yields import measure
from scoring.scorer import score_company
from scoring.text import analyze
from scoring.yields import cn_number, parse_yields
from tests.scoring.conftest import AS_OF, company, doc

READ_RIGHT = [
    ("日息千分之4", 146.0),
    ("投资壹佰元，日返壹元", 365.0),
    ("投1000一天返15", 547.5),
    ("投1000一天返15，拉一个人再奖200", 547.5),
    ("投一千一天返十五", 547.5),
    ("投一万一年返三千", 30.0),
    ("投100一天返5毛", 182.5),
    ("月息千分之八", 9.6),
    ("每周万分之五十", 26.0),
    ("投入叁万伍仟元，每月返还壹仟零伍拾元", 36.0),
    ("投入5万，一年拿回6万", 20.0),  # the principal comes back with the gain
    ("日分红0.5%", 182.5),
    ("十一天后收益百分之三十", 30 * 365 / 11),
    ("一百零一天收益百分之十", 10 * 365 / 101),
]


@pytest.mark.parametrize(("text", "annual"), READ_RIGHT)
def test_numbers_read_right(text: str, annual: float) -> None:
    a = analyze(text)
    assert [y.annual_rate for y in a.yields] == [pytest.approx(annual, rel=1e-9)], [y.to_json() for y in a.yields]


def test_issue_examples_on_the_command_line_form() -> None:
    a = analyze("日息千分之4")
    assert a.yields[0].text == "日息千分之4" and a.yields[0].period == "day"


@pytest.mark.parametrize("text", [
    "日息4",  # 4 what? 分, 厘, %: no unit, no rate
    "年化18，月月分红",
    "日息千分",  # 千分之 without its N
    "投1万每月返8分",  # 8分: cents or 8 % a month?
    "投1每月返800",  # once read as 1万
    "月息2，按月付息",
    "投资10万元，每天返3个",  # 3个 what?
])
def test_refuses_to_guess_a_missing_unit(text: str) -> None:
    assert analyze(text).yields == []


def test_per_recruit_reward_is_not_a_yield() -> None:
    a = analyze("投1000一天返15，拉一个人再奖200")
    assert [(y.text, y.annual_rate) for y in a.yields] == [("投1000一天返15", 547.5)]
    assert [(r.text, r.amount, r.unit) for r in a.recruit_rewards] == [("拉一个人再奖200", 200.0, "元")]
    j = a.to_json()
    assert j["recruit_rewards"][0]["amount"] == 200.0 and "annual_rate" not in j["recruit_rewards"][0]
    b = analyze("推荐一人奖励300元，直推一人拿10%，每发展一个会员奖励1000元")
    assert b.yields == [] and [(r.amount, r.unit) for r in b.recruit_rewards] == [(300.0, "元"), (10.0, "%"), (1000.0, "元")]


@pytest.mark.parametrize(("s", "n"), [
    ("一千二", 1200), ("十五", 15), ("壹佰", 100), ("一佰", 100), ("三万五千", 35000), ("一万二", 12000),
    ("一百零五", 105), ("两万五", 25000), ("壹拾伍", 15), ("一亿二千万", 120_000_000), ("3.5", 3.5),
    ("二三", None), ("十百", None), ("二〇二一", None), ("1" * 30, None),
])
def test_cn_number(s: str, n: float | None) -> None:
    assert cn_number(s) == n


def test_quotes_are_the_pages_own_words() -> None:
    # capital numerals are folded for matching (壹 -> 一); the quote keeps them, as does the
    # company page's evidence, and the evidence carries no rate the page does not state
    text = "鑫聚宝理财，保本保息，投资壹佰元，日返壹元，日息千分之4，扫码加微信"
    c = company()
    d = doc(text, code=c.credit_code, site="xinju", url="http://xinju.test/p")
    a = analyze(d.text, normalized=True)
    assert [y.text for y in a.yields] == ["投资壹佰元,日返壹元", "日息千分之4"]
    assert all(d.text[y.start : y.end] == y.text for y in a.yields)
    s = score_company(c, [d], _context(), _model(), AS_OF)
    snippets = [e.snippet for i in s.indicators if i.id.startswith("yield.") for e in i.evidence]
    assert snippets and all(sn in d.text for sn in snippets)
    assert measure.__module__ == "scoring.indicators.yields"  # where the evidence is written


def test_daily_payout_evidence_is_a_quote() -> None:
    c = company()
    d = doc("鑫聚宝，保本保息，T+0秒到账，稳赚不赔，年化收益48%，扫码加微信", code=c.credit_code, site="x", url="http://x.test/p")
    s = score_company(c, [d], _context(), _model(), AS_OF)
    daily = next(i for i in s.indicators if i.id == "yield.daily_payout")
    # the sentence, verbatim, with the daily-payout words marked
    assert [e.snippet for e in daily.evidence] == ["鑫聚宝,保本保息,T+0秒到账,稳赚不赔,年化收益48%,扫码加微信"]
    assert [[e.snippet[a:b] for a, b in e.marks] for e in daily.evidence] == [["T+0"]]


def _model():  # noqa: ANN202
    from scoring.model import load_model

    return load_model()


def _context():  # noqa: ANN202
    from scoring.context import ScoringContext

    return ScoringContext(as_of=AS_OF)


def test_claims_are_linear_in_their_number() -> None:
    import time

    def run(n: int) -> float:
        page = "日息1%，" * n
        t0 = time.perf_counter()
        claims = parse_yields(page)
        assert len(claims) == n
        return time.perf_counter() - t0

    small, large = min(run(5_000) for _ in range(2)), min(run(50_000) for _ in range(2))
    assert large < 25 * small + 0.05, (small, large)  # x10 claims: linear is ~x10, quadratic x100


# --- property test: generated phrasings ------------------------------------------------

_PLAIN = "零一二三四五六七八九"
_CAPITAL = "零壹贰叁肆伍陆柒捌玖"


def chinese(n: int, capital: bool = False) -> str:
    """0 < n < 10**8 in Chinese numerals, as a cheque or a poster writes it."""
    digits, units = (_CAPITAL, "拾佰仟") if capital else (_PLAIN, "十百千")

    def section(k: int) -> str:
        out, zero = "", False
        for step, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
            d = k // step % 10
            if d == 0:
                zero = zero or bool(out)
                continue
            if zero:
                out += digits[0]
                zero = False
            out += digits[d] + unit
        return out

    hi, lo = divmod(n, 10000)
    s = section(lo) if hi == 0 else section(hi) + "万" + ((digits[0] if lo < 1000 else "") + section(lo) if lo else "")
    return s[1:] if not capital and s.startswith("一十") else s


def _render(n: int, style: str) -> str:
    return str(n) if style == "arabic" else chinese(n, capital=style == "capital")


_STYLES = st.sampled_from(["arabic", "chinese", "capital"])
_PERIODS = {  # period -> (times a year, how a stake-and-payout sentence says it)
    "day": (365, ["每天", "每日", "一天", "日"]),
    "week": (52, ["每周", "一周"]),
    "month": (12, ["每月", "每个月", "一个月"]),
    "year": (1, ["每年", "一年"]),
}
_MONEY_UNITS = {"元": 1, "块": 1, "万": 10000, "万元": 10000}


@st.composite
def stake_and_payout(draw: st.DrawFn) -> tuple[str, float]:
    period = draw(st.sampled_from(sorted(_PERIODS)))
    per_year, words = _PERIODS[period]
    stake_unit = draw(st.sampled_from(["", "元", "块", "万", "万元"]))
    pay_unit = draw(st.sampled_from(["", "元", "块"] + (["万"] if stake_unit.startswith("万") else [])))
    stake = draw(st.integers(1, 9999 if stake_unit.startswith("万") else 99999))  # not 一万万
    payout = draw(st.integers(1, 9999 if pay_unit == "万" else 99999))
    stake_yuan = stake * _MONEY_UNITS.get(stake_unit, 1)
    pay_yuan = payout * _MONEY_UNITS.get(pay_unit, 1)
    rate = pay_yuan / stake_yuan * 100 * per_year
    verb = draw(st.sampled_from(["投", "投资", "投入", "存"]))
    sep = draw(st.sampled_from(["", "，"]))
    pay = draw(st.sampled_from(["返", "收益", "分红", "领"]))
    said_stake, when = _render(stake, draw(_STYLES)) + stake_unit, draw(st.sampled_from(words))
    # "投二十一天返十五" is 21 days to a reader too: no test of what nobody can read
    assume(not (sep == "" and when.startswith("一") and said_stake[-1] in "十拾零"))
    return f"{verb}{said_stake}{sep}{when}{pay}{_render(payout, draw(_STYLES))}{pay_unit}", rate


@st.composite
def rate_phrase(draw: st.DrawFn) -> tuple[str, float]:
    kind = draw(st.sampled_from(["percent", "permille", "fen"]))
    period = draw(st.sampled_from(sorted(_PERIODS)))
    per_year = _PERIODS[period][0]
    n = draw(st.integers(1, 99))
    style = draw(_STYLES)
    if kind == "percent":
        cue = {"day": "每天收益", "week": "每周收益", "month": "每月收益", "year": "年化收益"}[period]
        if draw(st.booleans()):
            return f"{cue}{n}%", n * per_year
        return f"{cue}百分之{chinese(n)}", n * per_year
    if kind == "permille":
        cue = {"day": "日息", "week": "每周", "month": "月息", "year": "年息"}[period]
        which, base = draw(st.sampled_from([("千分之", 1000), ("万分之", 10000)]))
        return f"{cue}{which}{_render(n, style)}", n / base * 100 * per_year
    # 分 / 厘: 年息一分 = 10 % a year, 月息一分 = 1 % a month, 日息一分 = 0.1 % a day; 厘 a tenth
    cue = draw(st.sampled_from(["年息", "月息", "日息"]))
    d = draw(st.integers(1, 9))
    unit, scale = draw(st.sampled_from([("分", 1.0), ("厘", 0.1)]))
    pct = d * scale * {"年息": 10.0, "月息": 12.0, "日息": 36.5}[cue]
    return f"{cue}{_render(d, style)}{unit}", pct


_FRAMES = ["{}", "本项目{}，名额有限", "好消息！{}。详情私聊", "{}，保本保息"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phrase=st.one_of(stake_and_payout(), rate_phrase()), frame=st.sampled_from(_FRAMES))
def test_generated_phrasings_read_right_and_quote_the_source(phrase: tuple[str, float], frame: str) -> None:
    said, rate = phrase
    source = normalize_text(frame.format(said))  # what a stored page holds (，-> ,)
    a = analyze(source)
    if rate > 100000 or rate < 1e-6:
        assert all(y.annual_rate <= 100000 for y in a.yields)
        return
    assert len(a.yields) == 1, (source, [y.to_json() for y in a.yields])
    y = a.yields[0]
    assert y.text in source and source[y.start : y.end] == y.text
    assert y.annual_rate == pytest.approx(rate, rel=1e-9), (source, y.to_json())
