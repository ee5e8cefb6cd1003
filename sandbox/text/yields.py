"""Promised returns phrased the many ways promotions phrase them. Each function takes
an approximate annual rate (0.18 == 18%) and returns a phrase; the scheme's ground
truth keeps the rate, the page only says it in one of these forms."""

from __future__ import annotations

import random

from sandbox.text.grammar import expand

_CN_DIGITS = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")


def scheme_yield(rng: random.Random, annual: float) -> str:
    """A high promised return in one of many forms."""
    a = annual
    forms = [
        lambda: f"年化[收益|回报|利率]{a * 100:.0f}%",
        lambda: f"[年化|年收益][高达|达到|稳定在]{a * 100:.1f}%",
        lambda: f"月息{max(1, round(a / 12 * 100))}分",
        lambda: f"月[收益|回报]{a / 12 * 100:.1f}%",
        lambda: f"日息千分之{(lambda k: _cn(k) if k <= 99 and rng.random() < 0.6 else str(k))(max(1, round(a / 365 * 1000)))}",
        lambda: f"万分之{max(5, round(a / 365 * 10000))}每天，[复利|按日]计算",
        lambda: f"每天[收益|返]万分之{max(5, round(a / 365 * 10000))}",
        lambda: f"日[收益|返利|分红]{a / 365 * 100:.2f}%",
        lambda: f"每周返{a / 52 * 100:.1f}%",
        lambda: f"投1万每月返{round(a / 12 * 10000 / 10) * 10}[元|块]",
        lambda: f"投[资|入]{rng.choice([5, 10, 20])}万，一年[到手|拿回]{round((1 + a) * rng.choice([5, 10, 20]), 1)}万",
        lambda: f"{_cn(min(36, max(2, round(12 / max(a, 0.1)))))}个月回本",
        lambda: "一年翻[倍|番]" if a >= 0.9 else f"一年[赚|收益]{a * 100:.0f}%",
        lambda: f"[静态|固定]收益每[天|日]{a / 365 * 100:.2f}%，[动态|推广]收益另计",
        lambda: f"[单|每]单[收益|利润]{round(a * 100 / 4)}%，[七|十|十五]天一个周期",
        lambda: f"存{rng.choice([1000, 3000, 5000])}元，每天[领|返]{round(rng.choice([1000, 3000, 5000]) * a / 365, 1)}元",
    ]
    return expand(rng, rng.choice(forms)())


def legit_yield(rng: random.Random, annual: float) -> str:
    """A normal product yield, as banks and fund distributors print it."""
    a = annual * 100
    forms = [
        f"业绩比较基准{a:.2f}%-{a + 0.4:.2f}%（年化）",
        f"七日年化收益率{a:.3f}%",
        f"近一年年化收益率{a:.2f}%",
        f"预期年化[收益率|业绩比较基准]{a:.2f}%",
        f"成立以来年化{a:.2f}%，过往业绩不代表未来表现",
        f"万份收益{a / 365 * 100:.4f}元",
    ]
    return expand(rng, rng.choice(forms))


# Hard worlds: schemes that never write a rate down. The words are the trade's own
# slang for returns, picked because no yield grammar reads them as a number.
_CODED = (
    "[福利|好处]天天有，具体[私聊|进群]了解",
    "每天都有[鸡蛋|米面油|红包雨]领",
    "躺着[也有茶水费|就有零花钱]",
    "[小目标|一个月一辆车]不是梦",
    "[收获|果实]每天[结算|到账]，[懂的都懂|你品你细品]",
    "[回馈|福报]比[存银行|放余额宝]强[几十倍|太多]",
    "[种下|认养]一棵[摇钱树|金果树]，[天天|每天][收果|摘果]",
)
_ALTS = ("收益说明.jpg", "图片", "制度图", "截图", "海报", "image", "详情见图")


def hidden_yield(rng: random.Random) -> str:
    """A return promised without a number (the rate is in a picture or left unsaid)."""
    return expand(rng, rng.choice(_CODED), {})


def hidden_alt(rng: random.Random) -> str:
    """The alt text of a banner whose yield table is only in the pixels."""
    return rng.choice(_ALTS)
