"""Promised yields turned into simple annual rates (percent per year).

Works on the folded text (NFKC digits, ASCII lower case). Each claim keeps the words it
came from and its offsets, so it can be shown as evidence. Rates are simple (not
compounded): 月息2分 -> 2 % a month -> 24 % a year; 日息万分之五 -> 0.05 % a day -> 18.25 %;
"投1万每月返800" -> 8 % a month -> 96 %; "三个月回本" -> 100 % per 3 months -> 400 %.
Rates quoted as past performance (近一年收益率, 历史业绩) are kept but flagged, and do
not count as promises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUM = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)"
_PCT = r"\s*(?:%|个点|个百分点)"
# a percentage either way it is written: 30%, 30个点, 百分之三十 (one NUM group matches)
RATE = r"(?:百分之\s*" + NUM + r"|" + NUM + _PCT + r")"
_RANGE = r"(?:\s*[-~至到]\s*(?:百分之\s*" + NUM + r"|" + NUM + r"\s*%?))?"
_GAP = r"[^\d零一二两三四五六七八九十,。;!?\n]{0,8}?"
_MAX_RATE = 100000.0  # anything above is a parsing accident, not a promise


def cn_number(s: str) -> float | None:
    """'18' -> 18, '3.5' -> 3.5, '十二' -> 12, '两' -> 2, '一百' -> 100, '一千二' -> 1200."""
    try:
        return float(s)
    except ValueError:
        pass
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    if len(s) >= 2 and s[-1] in _CN_DIGITS and s[-2] in _CN_UNITS and s[-2] != "十":
        current *= _CN_UNITS[s[-2]] // 10  # spoken short form: 一千二 = 1200, 一百五 = 150
    return float(total + current)


@dataclass(slots=True)
class YieldClaim:
    text: str
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


_PER_YEAR = {"year": 1, "quarter": 4, "month": 12, "week": 52, "day": 365}

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 年化 18%, 年收益率高达 24%-36%, 年化收益18个点, 年息 12%, 年化百分之十八, 年租金回报8%
    (re.compile(r"(?:年化|年收益|年利率|年息|年回报|年化收益|预期收益率|年均收益|年均回报|年租金|租金回报率|年增值|年升值|"
                r"每年(?:返还?|收益|回报|分红|利息|补贴|租金|增值|升值|(?:回购)?溢价|给))" + _GAP + RATE + _RANGE), "year"),
    (re.compile(r"(?:每季度?|季度)(?:收益|回报|返还?|返利|分红|付息|利息)" + _GAP + RATE + _RANGE), "quarter"),
    (re.compile(r"(?:月息|月利率|月收益|月回报|月化|月返|每月(?:收益|回报|返还?|返利|分红|利息|拿|领|给)?)" + _GAP + RATE + _RANGE),
     "month"),
    (re.compile(r"(?:周返|周收益|周回报|每周(?:收益|回报|返还?|返利|分红|拿|领)?)" + _GAP + RATE), "week"),
    # mining jargon too: 日产出 0.8%, 每日释放 1%
    (re.compile(r"(?:日息|日利率|日收益|日回报|日化|日返|日赚|日产出|每日产出|日释放|每日释放|"
                r"每日(?:收益|回报|返还?|返利|分红|利息|拿|领)?|"
                r"每天(?:收益|回报|返还?|返利|分红|利息|拿|领|给)?|天天(?:返|分红)?)" + _GAP + RATE), "day"),
]
# A return over a stated span: 15天收益30%, 排单7天回报20%, 十五天后收益百分之三十, 3个月收益15%.
# The gap may not hold 年 (7日年化收益率 2.1% is an annual rate, not a 7-day one).
_SPAN_GAP = r"[^\d零一二两三四五六七八九十百千年,。;!?\n]{0,6}?"
_SPAN = re.compile(NUM + r"\s*(天|日|周|个星期|个月|年)\s*(?:后|内|之后|以后|到期|周期|为一期|一期|出局)?" + _SPAN_GAP
                   + r"(?:收益|回报|返还?|返利|利息|分红|赚|盈利|获利|收益率|回报率|出局)" + _SPAN_GAP + RATE)
_SPAN_DAYS = {"天": 1.0, "日": 1.0, "周": 7.0, "个星期": 7.0, "个月": 365 / 12, "年": 365.0}
# 月息2分 / 月息八厘 / 年息一分五 (traditional lending talk: 分 = 1 %, 厘 = 0.1 % of the period)
_FEN = re.compile(r"(月息|月利|年息|年利|日息)\s*" + NUM + r"\s*(分|厘)(?:([一二三四五六七八九\d])(?![元钱]))?")
# 千分之三每天, 每天万分之五, 日息千分之一
# bare folk-lending rates: 三分利, 两分息, 一分五的利息, 利息一分五 (分 = 1 % a month)
_FEN_BARE = re.compile(r"(?:利息|利率)\s*" + NUM + r"\s*(分|厘)([一二三四五六七八九])?(?![钟之])|"
                       r"(?<![\d零一二两三四五六七八九十百千])" + NUM + r"\s*(分|厘)([一二三四五六七八九])?\s*(?:的)?(?:利息|息|利(?![好润于用益器]))")
_PERMILLE = re.compile(r"(千分之|万分之)" + NUM)
_DAY_BEFORE = re.compile(r"(?:每天|每日|日息|日利率?|日收益|日化|一天|天天|日返)[^,。;!?\n\d]{0,4}$")
_DAY_AFTER = re.compile(r"^[^,。;!?\n\d]{0,3}?(?:每天|每日|/天|一天|/日|日)")
# 投1万每月返800, 投资10万元，每天收益300元, 投入5000元月收益400
# The stake is named by a verb of paying in (投, 存, 交, 购买 ... 满) or a unit bought (一台, 每份);
# a few words may sit between the verb and the amount (购买保健品套餐满19800元).
_STAKE = (r"(?:(?:投|投资|投入|入金|认购|购买|买|存|存入|存款|交|缴纳|缴|充值|花|本金|入股)[^\d,。;!?\n]{0,6}?(?:满|共|仅需|只需|需)?|"
          r"[一每][头份单股套亩只棵个台坛瓶张]\S{0,3}?)")
_INVEST = re.compile(_STAKE + r"\s*" + NUM + r"\s*(万|千|元|块|w)?[^。;!?\n]{0,14}?"
                     r"(每天|每日|天天|日|每周|每星期|周|每个月|每月|一个月|月|每年|年)\s*[可能就都稳固定至少最保底]{0,3}\s*(?:返|收益|分红|领|拿|得|赚|到账|返还|返利|收入|利息|给)[^\d零一二两三四五六七八九十。;!?\n]{0,6}?"
                     r"[^\d零一二两三四五六七八九十。;!?\n]{0,4}?" + NUM + r"\s*(万|千|元|块|w)?(?![\d.]|\s*(?:%|个点|个百分点))")
# 一年翻倍, 三个月回本, 100天翻番
_DOUBLE = re.compile(NUM + r"\s*(个月|个多月|年|天|周|个星期)\s*(?:内|左右)?\s*(?:就|即可|便|可|能)?\s*(?:能)?(翻倍|翻番|翻一番|回本|收回本金)")
# 翻十倍, 三年翻三倍, 上市后翻十倍, 币价翻百倍: N times the stake (one year assumed when no span is
# given); without a span, only where an investment is meant (利润翻三倍 is a company's growth)
_MULTIPLE = re.compile(r"(?:" + NUM + r"\s*(个月|年|天|周)\s*(?:内|后|之后|左右)?\s*(?:就|即可|便|可|能|至少|最少)?\s*)?"
                       r"(?:翻|涨|增值|升值)\s*了?\s*(?:至少|最少)?\s*" + NUM + r"\s*倍")
_MULTIPLE_CUE = re.compile(r"上市|收益|回报|投资|投入|本金|升值|币|原始股|股权|认购|入金|赚")
_HIST = re.compile(r"(近一年|近三年|近两年|近半年|过去|历史|过往|去年|上年|成立以来|今年以来|业绩(?!比较基准)|净值增长)")
_BORROW = re.compile(r"贷款|借款利率|借款年|授信|分期|费率|手续费|罚息|违约金|逾期利息|利率上限|信用卡|房贷|车贷|按揭|判令|诉讼请求")
_UNIT = {None: 1.0, "": 1.0, "元": 1.0, "块": 1.0, "千": 1000.0, "万": 10000.0, "w": 10000.0}
_PERIOD_WORD = {"每天": "day", "每日": "day", "天天": "day", "日": "day", "每周": "week", "每星期": "week", "周": "week",
                "每月": "month", "每个月": "month", "一个月": "month", "月": "month", "每年": "year", "年": "year"}
_DOUBLE_DAYS = {"个月": 365 / 12, "个多月": 365 / 12, "年": 365.0, "天": 1.0, "周": 7.0, "个星期": 7.0}


def parse_yields(folded: str) -> list[YieldClaim]:
    """Every promised yield found in ``folded``, in order of appearance."""
    claims: list[YieldClaim] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], rate: float | None, period: str) -> None:
        if rate is None or rate <= 0 or rate > _MAX_RATE:
            return
        s, e = m.start(), m.end()
        if any(a < e and s < b for a, b in taken):
            return
        taken.append((s, e))
        hist = bool(_HIST.search(folded[max(0, s - 8) : s + 4]))
        borrow = bool(_BORROW.search(folded[max(0, s - 10) : s + 4]))
        claims.append(YieldClaim(folded[s:e].strip(), rate, period, s, e, hist, borrow))

    for m in _INVEST.finditer(folded):
        principal = cn_number(m.group(1))
        back = cn_number(m.group(4))
        if principal and back:
            p = principal * _UNIT.get(m.group(2), 1.0)
            b = back * _UNIT.get(m.group(5), 1.0)
            if m.group(2) is None and m.group(5) is None and p < 100:  # "投1 ... 返800": 1 means 1万
                p *= 10000
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
    for m in _PERMILLE.finditer(folded):
        if not (_DAY_BEFORE.search(folded[max(0, m.start() - 10) : m.start()]) or _DAY_AFTER.search(folded[m.end() : m.end() + 6])):
            continue  # 千分之三 with no "per day" is a fee or a share, not a yield
        n = cn_number(m.group(2))
        if n is None:
            continue
        frac = n / (1000 if m.group(1) == "千分之" else 10000)
        add(m, frac * 100 * 365, "day")
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


def payout_frequency(folded: str) -> str | None:
    """The shortest payout period the text promises (day < week < month), if any."""
    for period, rx in _FREQ:
        if rx.search(folded):
            return period
    return None
