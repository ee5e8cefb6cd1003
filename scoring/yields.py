"""Promised yields turned into simple annual rates (percent per year).

Works on the folded text (NFKC digits, ASCII lower case). Each claim keeps the words it
came from and its offsets, so it can be shown as evidence. Rates are simple (not
compounded): 月息2分 -> 2 % a month -> 24 % a year; 日息万分之五 -> 0.05 % a day -> 18.25 %;
"投1万每月返800" -> 8 % a month -> 96 %; "三个月回本" -> 100 % per 3 months -> 400 %.
Rates quoted as past performance (近一年收益率, 历史业绩) are kept but flagged, and do
not count as promises.

Numbers come in Arabic digits, plain numerals (十五, 三万五千) and financial capitals (壹佰);
a stake and its payout may sit in different clauses and be spoken ("投1000一天返15" ->
547.5 %). Where a unit is missing or ambiguous (日息4, 返8分: cents or 8 %?) no rate is
read: a wrong figure shown to a regulator costs more than a missing one. A reward per
recruited person ("拉一个人再奖200") is a ``RecruitReward``, never a yield.

Linear in the text (issue 12): every pattern starts a number only where a run of digits or
numerals starts and takes it possessively, gaps are bounded, and a claim is checked
against the characters already taken (a mask), not against every earlier claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from indexing.normalize import normalize_text

# Numerals as promoters write them: plain (一二三), financial capitals (壹贰叁, the lexicon
# folds some of them to plain ones before this grammar runs, not all), 两, 〇.
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
              "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)
_MAX_NUM_CHARS = 24  # a longer run of digits or numerals is no stake and no rate
# A number starts only where a run of digits or numerals starts (never inside one), a
# numeral starts with a digit or 十, and both are taken possessively: every run is read
# once, so the grammar stays linear on pages of digits (issue 12). A spoken period after a
# numeral keeps its 一: "投一千一天返十五" is 一千 + 一天 and "一万一年" is 一万 + 一年, while
# 十一天, 二十一天 and 一百零一天 stay 11, 21 and 101 days.
NUM = (r"(?<![\d." + _CN + r"])(\d++(?:\.\d++)?+|[" + "".join(_CN_DIGITS) + r"十拾]"
       r"(?:(?!(?<=[^十拾零〇])一[天日年周个星])[" + _CN + r"])*+)")
_PCT = r"\s*+(?:%|个点|个百分点)"
# a percentage either way it is written: 30%, 30个点, 百分之三十 (one NUM group matches)
RATE = r"(?:百分之\s*+" + NUM + r"|" + NUM + _PCT + r")"
_RANGE = r"(?:\s*+[-~至到]\s*+(?:百分之\s*+" + NUM + r"|" + NUM + r"\s*+%?))?"
_GAP = r"[^\d" + _CN + r",。;!?\n]{0,8}?"
_MAX_RATE = 100000.0  # anything above is a parsing accident, not a promise


def cn_number(s: str) -> float | None:
    """'18' -> 18, '3.5' -> 3.5, '十二' -> 12, '两' -> 2, '一百' -> 100, '一千二' -> 1200,
    '壹佰' -> 100, '三万五千' -> 35000. None for what is not one number ('二三', '十百')."""
    if not s or len(s) > _MAX_NUM_CHARS:
        return None
    if s[0].isdigit():
        try:
            return float(s)
        except ValueError:
            return None
    total = section = 0
    current: int | None = None
    last_unit = last_big = 10**12
    prev = ""
    for ch in s:
        if ch in _CN_DIGITS:
            if current is not None and prev not in ("零", "〇"):
                return None  # 二三, 二〇二一: a range or a year, not one number
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None
            section += (1 if current is None else current) * unit
            last_unit, current = unit, None
        elif ch in _CN_BIG:
            big = _CN_BIG[ch]
            if big >= last_big:
                return None
            section += current or 0
            total += (section or 1) * big
            last_big, last_unit, section, current = big, 10**12, 0, None
        else:
            return None
        prev = ch
    if current is not None and len(s) >= 2 and s[-2] not in ("十", "拾") and s[-2] in _CN_UNITS:
        current *= _CN_UNITS[s[-2]] // 10  # spoken short form: 一千二 = 1200, 一百五 = 150
    elif current is not None and len(s) >= 2 and s[-2] in _CN_BIG:
        current *= _CN_BIG[s[-2]] // 10  # 一万二 = 12000
    return float(total + section + (current or 0))


@dataclass(slots=True)
class YieldClaim:
    text: str  # the words it came from, verbatim (scoring.text quotes the page's own text)
    annual_rate: float  # percent per year, simple
    period: str  # year | month | week | day | lump
    start: int
    end: int
    historical: bool = False  # quoted as past performance, not promised
    borrowing: bool = False  # a cost of borrowing (贷款年利率, 分期费率), not a return promised to investors
    quoted: bool = False  # in a sentence that warns about or reports the promise (set by scoring.text)

    @property
    def promised(self) -> bool:
        return not (self.historical or self.borrowing or self.quoted)

    def to_json(self) -> dict:
        return {"text": self.text, "annual_rate": round(self.annual_rate, 2), "period": self.period,
                "start": self.start, "end": self.end, "historical": self.historical, "borrowing": self.borrowing, "quoted": self.quoted}


@dataclass(slots=True)
class RecruitReward:
    """Pay for each person recruited ("推荐一人奖励200元", "拉一个人再奖200"): a sign of pay
    by recruitment (禁止传销条例 第七条), never a yield on money put in."""

    text: str
    amount: float  # in yuan, or percent of the recruit's stake when unit is "%"
    unit: str  # 元 | %
    start: int
    end: int

    def to_json(self) -> dict:
        return {"text": self.text, "amount": self.amount, "unit": self.unit, "start": self.start, "end": self.end}


class _Quotable(Protocol):
    text: str
    start: int
    end: int


def quote_verbatim(found: Iterable[_Quotable], text: str, base: str, normalized: bool) -> None:
    """Set each claim's ``text`` to the page's own words at its offsets. Offsets refer to
    ``base`` (the normalised text with look-alike characters folded one for one, 壹 -> 一);
    the quote comes from the text as written: ``text`` itself when it is already normalised
    (stored documents), else its normalised form (what ``smoke analyze-text`` reads)."""
    found = list(found)
    if not found:
        return
    source = text if normalized else normalize_text(text)
    if len(source) != len(base):  # a folding that changed the length: quote the matching form
        source = base
    for c in found:
        c.text = source[c.start : c.end]


_PER_YEAR = {"year": 1, "quarter": 4, "month": 12, "week": 52, "day": 365}

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 年化 18%, 年收益率高达 24%-36%, 年化收益18个点, 年息 12%, 年化百分之十八, 年租金回报8%
    (re.compile(r"(?:年化|年收益|年利率|年息|年回报|年化收益|预期收益率|年均收益|年均回报|年租金|租金回报率|年增值|年升值|"
                r"每年(?:返还?|收益|回报|分红|利息|补贴|租金|增值|升值|(?:回购)?溢价|给))" + _GAP + RATE + _RANGE), "year"),
    (re.compile(r"(?:每季度?|季度)(?:收益|回报|返还?|返利|分红|付息|利息)" + _GAP + RATE + _RANGE), "quarter"),
    (re.compile(r"(?:月息|月利率|月收益|月回报|月化|月返|每个?月(?:收益|回报|返还?|返利|分红|利息|拿|领|给)?)" + _GAP + RATE + _RANGE),
     "month"),
    (re.compile(r"(?:周返|周收益|周回报|每周(?:收益|回报|返还?|返利|分红|拿|领)?)" + _GAP + RATE), "week"),
    # mining jargon too: 日产出 0.8%, 每日释放 1%
    (re.compile(r"(?:日息|日利率|日收益|日回报|日化|日返|日分红|日赚|日产出|每日产出|日释放|每日释放|"
                r"每日(?:收益|回报|返还?|返利|分红|利息|拿|领)?|"
                r"每天(?:收益|回报|返还?|返利|分红|利息|拿|领|给)?|天天(?:返|分红)?)" + _GAP + RATE), "day"),
]
# A return over a stated span: 15天收益30%, 排单7天回报20%, 十五天后收益百分之三十, 3个月收益15%.
# The gap may not hold 年 (7日年化收益率 2.1% is an annual rate, not a 7-day one).
_SPAN_GAP = r"[^\d" + _CN + r"年,。;!?\n]{0,6}?"
_SPAN = re.compile(NUM + r"\s*+(天|日|周|个星期|个月|年)\s*+(?:后|内|之后|以后|到期|周期|为一期|一期|出局)?" + _SPAN_GAP
                   + r"(?:收益|回报|返还?|返利|利息|分红|赚|盈利|获利|收益率|回报率|出局)" + _SPAN_GAP + RATE)
_SPAN_DAYS = {"天": 1.0, "日": 1.0, "周": 7.0, "个星期": 7.0, "个月": 365 / 12, "年": 365.0}
# 月息2分 / 月息八厘 / 年息一分五 (traditional lending talk: 分 = 1 %, 厘 = 0.1 % of the period;
# 年息一分 = 10 % a year, 日息一分 = 0.1 % a day). 千分之 / 万分之 are not 分 (日息千分之4).
_FEN = re.compile(r"(月息|月利|年息|年利|日息)\s*+" + NUM + r"\s*+(分|厘)(?![之钱])(?:([一二三四五六七八九\d])(?![元钱\d]))?")
# bare folk-lending rates: 三分利, 两分息, 一分五的利息, 利息一分五 (分 = 1 % a month)
_FEN_BARE = re.compile(r"(?:利息|利率)\s*+" + NUM + r"\s*+(分|厘)([一二三四五六七八九])?(?![钟之钱])|"
                       + NUM + r"\s*+(分|厘)([一二三四五六七八九])?\s*(?:的)?(?:利息|息|利(?![好润于用益器]))")
# 千分之三每天, 每天万分之五, 日息千分之一, 月息千分之八: only with the period it is paid over
# (千分之三 alone is a fee or a share, not a yield).
_PERMILLE_CUES = {
    "day": r"每天|每日|日息|日利率?|日收益|日化|一天|天天|日返",
    "week": r"每周|每星期|周息|周收益|周返|一周",
    "month": r"每个?月|月息|月利率?|月收益|月化|月返|一个月",
    "year": r"每年|年息|年利率?|年化|年收益|一年",
}
_PERMILLE = re.compile(
    r"(?:(" + "|".join(_PERMILLE_CUES.values()) + r")[^,。;!?\n\d]{0,4}?)?(千分之|万分之)" + NUM
    + r"(?:[^,。;!?\n\d]{0,3}?(每天|每日|/天|一天|/日|日|每周|/周|每个?月|/月|一个月|每年|/年))?")
_PERMILLE_AFTER = {"每天": "day", "每日": "day", "/天": "day", "一天": "day", "/日": "day", "日": "day", "每周": "week",
                   "/周": "week", "每月": "month", "每个月": "month", "/月": "month", "一个月": "month", "每年": "year", "/年": "year"}
_PERMILLE_BEFORE = [(re.compile(r"^(?:" + cues + r")$"), period) for period, cues in _PERMILLE_CUES.items()]
# 投1万每月返800, 投资10万元，每天收益300元, 投入5000元月收益400, 投1000一天返15
# The stake is named by a verb of paying in (投, 存, 交, 购买 ... 满) or a unit bought (一台, 每份);
# a few words may sit between the verb and the amount (购买保健品套餐满19800元). Both sides
# are money: a bare number is yuan, 万 / 千 / 毛 scale it; a payout in 分 or 厘 could be a
# rate or cents, and a percentage is no amount, so neither is read (no guessing).
_STAKE = (r"(?:(?:投|投资|投入|入金|认购|购买|买|存|存入|存款|交|缴纳|缴|充值|花|本金|入股)[^\d,。;!?\n]{0,6}?(?:满|共|仅需|只需|需)?|"
          r"[一每][头份单股套亩只棵个台坛瓶张]\S{0,3}?)")
_MONEY = r"(万元?|千元?|w|元钱?|块钱?|毛钱?|角钱?|分钱)?"
_PERIOD_WORDS = r"(每天|每日|天天|一天|一日|日|每周|每星期|每个星期|一周|一个星期|周|每个月|每月|一个月|月|每年|一年|年)"
_INVEST = re.compile(_STAKE + r"\s*+" + NUM + r"\s*+" + _MONEY + r"[^。;!?\n]{0,14}?" + _PERIOD_WORDS
                     + r"\s*+[可能就都稳固定至少最保底]{0,3}\s*+(?:返|收益|分红|领|拿|得|赚|到账|到手|返还|返利|收入|利息|给)"
                     + r"[^\d" + _CN + r"。;!?\n]{0,10}?" + NUM + r"\s*+" + _MONEY
                     + r"(?![\d.]|\s*+(?:%|个|分|厘))")  # 返3% / 返3个点 / 返3分: not an amount
# 一年翻倍, 三个月回本, 100天翻番
_DOUBLE = re.compile(NUM + r"\s*+(个月|个多月|年|天|周|个星期)\s*+(?:内|左右)?\s*+(?:就|即可|便|可|能)?\s*+(?:能)?(翻倍|翻番|翻一番|回本|收回本金)")
# 翻十倍, 三年翻三倍, 上市后翻十倍, 币价翻百倍: N times the stake (one year assumed when no span is
# given); without a span, only where an investment is meant (利润翻三倍 is a company's growth)
_TIMES = r"(?<![\d." + _CN + r"])(\d++(?:\.\d++)?+|[" + _CN + r"]++)"  # also 翻百倍, 翻千倍
_MULTIPLE = re.compile(r"(?:" + NUM + r"\s*+(个月|年|天|周)\s*+(?:内|后|之后|左右)?\s*+(?:就|即可|便|可|能|至少|最少)?\s*+)?"
                       r"(?:翻|涨|增值|升值)\s*+了?\s*+(?:至少|最少)?\s*+" + _TIMES + r"\s*+倍")
_MULTIPLE_CUE = re.compile(r"上市|收益|回报|投资|投入|本金|升值|币|原始股|股权|认购|入金|赚")
# 推荐一人奖励200元, 每发展一个会员奖励1000元, 拉一个人再奖200, 直推一人拿10%
_RECRUIT_REWARD = re.compile(
    r"(?:每\s*)?(?:拉|带|推荐|直推|邀请|介绍|发展|分享给?)\s*+(?:成功)?\s*+(?:一|1)?\s*+(?:个|位|名)?\s*+"
    r"(?:新会员|新人|人|会员|好友|朋友|下线|代理)[^\d" + _CN + r",。;!?\n天日周月年]{0,4}?"
    r"(?:奖励?|返|提成|拿|得|赚|送|给)\s*+" + NUM + r"\s*+(万元?|千元?|元钱?|块钱?|%)?(?![\d.]|\s*+(?:分|厘))")
_HIST = re.compile(r"(近一年|近三年|近两年|近半年|过去|历史|过往|去年|上年|成立以来|今年以来|业绩(?!比较基准)|净值增长)")
_BORROW = re.compile(r"贷款|借款利率|借款年|授信|分期|费率|手续费|罚息|违约金|逾期利息|利率上限|信用卡|房贷|车贷|按揭|判令|诉讼请求")
_UNIT = {"": 1.0, "元": 1.0, "块": 1.0, "毛": 0.1, "角": 0.1, "分": 0.01, "千": 1000.0, "万": 10000.0, "w": 10000.0}
_PERIOD_WORD = {"每天": "day", "每日": "day", "天天": "day", "一天": "day", "一日": "day", "日": "day",
                "每周": "week", "每星期": "week", "每个星期": "week", "一周": "week", "一个星期": "week", "周": "week",
                "每月": "month", "每个月": "month", "一个月": "month", "月": "month", "每年": "year", "一年": "year", "年": "year"}
_WITH_PRINCIPAL = ("拿回", "收回", "取回", "到手", "连本带利", "本息")  # the payout includes the stake
_DOUBLE_DAYS = {"个月": 365 / 12, "个多月": 365 / 12, "年": 365.0, "天": 1.0, "周": 7.0, "个星期": 7.0}


def _money(num: str | None, unit: str | None) -> float | None:
    n = cn_number(num or "")
    return None if n is None else n * _UNIT[(unit or "")[:1]]


def parse_recruit_rewards(folded: str) -> list[RecruitReward]:
    """Every reward per recruited person in ``folded``, in order of appearance."""
    out: list[RecruitReward] = []
    for m in _RECRUIT_REWARD.finditer(folded):
        unit = m.group(2) or ""
        amount = cn_number(m.group(1)) if unit == "%" else _money(m.group(1), unit)
        if amount:
            out.append(RecruitReward(m.group(0), amount, "%" if unit == "%" else "元", m.start(), m.end()))
    return out


def parse_yields(folded: str, exclude: Sequence[RecruitReward] | None = None) -> list[YieldClaim]:
    """Every promised yield found in ``folded``, in order of appearance. Spans of
    ``exclude`` (per-recruit rewards; found here when not given) never hold a yield.
    Linear in the text: each pattern scans it once and a claim is checked against the
    claims already taken through a mask of taken characters, not against each of them."""
    claims: list[YieldClaim] = []
    taken = bytearray(len(folded))

    def add(m: re.Match[str], rate: float | None, period: str, s: int | None = None) -> None:
        if rate is None or rate <= 0 or rate > _MAX_RATE:
            return
        s, e = m.start() if s is None else s, m.end()
        while s < e and folded[s].isspace():
            s += 1
        while e > s and folded[e - 1].isspace():
            e -= 1
        if taken.find(1, s, e) != -1:
            return
        taken[s:e] = b"\x01" * (e - s)
        hist = bool(_HIST.search(folded[max(0, s - 8) : s + 4]))
        borrow = bool(_BORROW.search(folded[max(0, s - 10) : s + 4]))
        claims.append(YieldClaim(folded[s:e], rate, period, s, e, hist, borrow))

    for r in parse_recruit_rewards(folded) if exclude is None else exclude:
        taken[r.start : r.end] = b"\x01" * (r.end - r.start)
    for m in _INVEST.finditer(folded):
        p, b = _money(m.group(1), m.group(2)), _money(m.group(4), m.group(5))
        if p and b and any(w in folded[m.end(3) : m.start(4)] for w in _WITH_PRINCIPAL):
            b -= p  # 一年拿回6万 on 5万: the principal comes back with the gain
        if p and b and b > 0:
            period = _PERIOD_WORD[m.group(3)]
            add(m, b / p * 100 * _PER_YEAR[period], period)
    for m in _FEN.finditer(folded):
        n = cn_number(m.group(2))
        if n is None:
            continue
        extra = cn_number(m.group(4)) if m.group(4) else 0.0
        pct = (n + (extra or 0) / 10) * (1.0 if m.group(3) == "分" else 0.1)
        kind = m.group(1)[0]
        if kind == "年":
            pct *= 10  # 年息一分 = 10 % a year
            add(m, pct, "year")
        elif kind == "日":
            add(m, pct * 365 / 10, "day")  # 日息一分 (rare) = 0.1 % a day
        else:
            add(m, pct * 12, "month")
    # cheap guards: most texts hold no 分/厘 rate, no percentage, no 倍
    has_pct = "%" in folded or "百分" in folded or "个点" in folded
    for m in _FEN_BARE.finditer(folded) if ("分" in folded or "厘" in folded) else ():
        g = m.groups()
        num, unit, extra = (g[0], g[1], g[2]) if g[0] is not None else (g[3], g[4], g[5])
        n = cn_number(num)
        if n is None or n > 10:
            continue
        pct = (n + ((cn_number(extra) or 0) if extra else 0) / 10) * (1.0 if unit == "分" else 0.1)
        add(m, pct * 12, "month")
    for m in _SPAN.finditer(folded) if has_pct else ():
        span = cn_number(m.group(1))
        pct = next((cn_number(x) for x in m.groups()[2:] if x), None)
        if span and pct:
            add(m, pct * 365 / (span * _SPAN_DAYS[m.group(2)]), "lump")
    for m in _PERMILLE.finditer(folded) if "分之" in folded else ():
        before, after = m.group(1), m.group(4)
        period = (next((p for rx, p in _PERMILLE_BEFORE if rx.match(before)), None) if before
                  else _PERMILLE_AFTER.get(after or ""))
        n = cn_number(m.group(3))
        if period is None or n is None:
            continue  # 千分之三 with no period is a fee or a share, not a yield
        frac = n / (1000 if m.group(2) == "千分之" else 10000)
        add(m, frac * 100 * _PER_YEAR[period], period)
    for pattern, period in _PATTERNS if has_pct else ():
        for m in pattern.finditer(folded):
            nums = [cn_number(g) for g in m.groups() if g]
            nums = [n for n in nums if n is not None]
            if nums:
                add(m, max(nums) * _PER_YEAR[period], period)
    for m in _DOUBLE.finditer(folded):
        n = cn_number(m.group(1))
        if n:
            days = n * _DOUBLE_DAYS[m.group(2)]
            add(m, 100 * 365 / days, "lump")
    for m in _MULTIPLE.finditer(folded) if "倍" in folded else ():
        times = cn_number(m.group(3))
        if not times:
            continue
        if m.group(1):
            n = cn_number(m.group(1))
            years = (n or 0) * _DOUBLE_DAYS[m.group(2)] / 365
        elif _MULTIPLE_CUE.search(folded[max(0, m.start() - 12) : m.start()]):
            years = 1.0
        else:
            continue
        if years > 0:
            add(m, 100 * times / years, "lump")
    claims.sort(key=lambda c: c.start)
    return claims


_FREQ = [
    ("day", re.compile(r"日结|日返|日分红|每日(?:返|分红|结算|到账|领|派息|付息|发放)|每天(?:返|分红|结算|到账|领|派息|发放)|"
                       r"天天(?:返|分红|领)|按日(?:返|分红|结算|计息发放|付息)|按天(?:返|结算|分红)|当日到账|t\+0|秒到账")),
    ("week", re.compile(r"周结|周返|每周(?:返|分红|结算|到账|领|发放)|按周(?:返|分红|结算)")),
    ("month", re.compile(r"月结|月返|每月(?:返|分红|结算|到账|领|派息|付息|发放)|按月(?:返|分红|付息|派息|结算)")),
]


def payout_span(text: str, period: str) -> tuple[int, int] | None:
    """Where ``text`` promises payouts every ``period`` (day | week | month), if it does."""
    for p, rx in _FREQ:
        if p == period:
            m = rx.search(text)
            return (m.start(), m.end()) if m else None
    return None


def payout_frequency(folded: str) -> str | None:
    """The shortest payout period the text promises (day < week < month), if any."""
    for period, rx in _FREQ:
        if rx.search(folded):
            return period
    return None
