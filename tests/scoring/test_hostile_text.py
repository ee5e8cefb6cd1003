"""Hostile text in linear time (issue 12, point 1): a fuzz harness over the crawler's
extraction and the analyser.

A crawled page is written by whoever runs the site. Every input below goes through what a
crawled page goes through (normalisation, the extraction of dates, amounts, credit codes
and company names, then ``scoring.text.analyze``) and must take at most 50 ms per KB (an
input under 1 KB gets the budget of 1 KB). 10,000 generated inputs run on every CI run,
most of them small and a few of them large (up to 1 MB), from generators of what makes
regular expressions backtrack: runs of digits, runs of Chinese numerals, percent storms,
pinyin, mixed scripts, yield-grammar word soup, digit groups, whitespace and tags.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawlers.items import DocumentItem
from crawlers.pipelines.clean import CleanPipeline
from crawlers.processing import extract
from crawlers.processing.charset import decode_html
from indexing.normalize import normalize_text
from scoring.text import analyze

BUDGET_MS_PER_KB = 50.0
CASES = 10_000

_DIGITS = "0123456789"
_NUMERALS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_GRAMMAR = ["投", "投资", "投入", "存", "每天", "每日", "一天", "日", "每月", "一个月", "年化", "年息", "月息", "日息",
            "千分之", "万分之", "百分之", "收益", "返", "返还", "分红", "领", "元", "块", "万", "万元", "毛", "分", "厘",
            "%", "个点", "倍", "翻", "翻倍", "回本", "天", "个月", "年", "周", "后", "拉一个人", "推荐一人", "奖励", "再奖",
            "，", "。", " ", "-", "至", ".", ",", "利息", "利", "息"]
_SYLLABLES = ["ri", "fan", "la", "ren", "tou", "zi", "bao", "ben", "xi", "zjp", "cx", "bbbx", "chuan", "xiao", "nian",
              "hua", "shou", "yi", "zhuang", "q", "x", "zh"]
_MIXED = ("abcXYZ0189%.,;:!?()[]<>/\\\"'#@&*+=-_ \t\n\u3000\u200b\ufeff\u202e"
          "非法集资传销資金盤保本保息稳赚不赔直推奖见点奖对碰奖年化收益日返每天拉人头"
          "１２３％，。！？（）【】～…—ｱｲｳ가나다абвαβγ🔥💰📈")


def _digit_run(rnd: random.Random, n: int) -> str:
    run = "".join(rnd.choice(_DIGITS) for _ in range(n)) if rnd.random() < 0.5 else rnd.choice(_DIGITS) * n
    return rnd.choice(["", "投", "年化", "日息", "每天返", "共计"]) + run + rnd.choice(["", "%", "元", "倍", "天", "分", "x", ",000"])


def _numeral_run(rnd: random.Random, n: int) -> str:
    run = "".join(rnd.choice(_NUMERALS) for _ in range(n)) if rnd.random() < 0.5 else rnd.choice(_NUMERALS) * n
    return rnd.choice(["", "投", "年化百分之", "翻", "日息"]) + run + rnd.choice(["", "倍", "天", "分", "厘", "%", "个月翻倍"])


def _percent_storm(rnd: random.Random, n: int) -> str:
    unit = rnd.choice(["%", "1%", "12.5%", "%%", "百分之", "1个点", "-", "1.", "千分之", "万分之1"])
    return "".join(unit if rnd.random() < 0.8 else rnd.choice(_GRAMMAR) for _ in range(max(1, n // len(unit))))


def _pinyin(rnd: random.Random, n: int) -> str:
    out: list[str] = []
    size = 0
    while size < n:
        out.append(rnd.choice(_SYLLABLES) if rnd.random() < 0.7 else rnd.choice(["返", "人", "销", "日", " ", "1", "%"]))
        size += len(out[-1])
    return "".join(out)[:n]


def _mixed(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(_MIXED) for _ in range(n))


def _grammar_soup(rnd: random.Random, n: int) -> str:
    out: list[str] = []
    size = 0
    while size < n:
        r = rnd.random()
        out.append(rnd.choice(_GRAMMAR) if r < 0.6 else (str(rnd.randint(0, 10**rnd.randint(1, 9))) if r < 0.8
                                                           else "".join(rnd.choice(_NUMERALS) for _ in range(rnd.randint(1, 6)))))
        size += len(out[-1])
    return "".join(out)


def _digit_groups(rnd: random.Random, n: int) -> str:
    return "1" + ",000" * max(1, n // 4) + rnd.choice(["", "x", ",00", ".5", " 元", "万元"])


def _spacing(rnd: random.Random, n: int) -> str:
    return rnd.choice(["1", "投1", "<meta", "年化", "\n"]) + rnd.choice([" ", "\n", "\t", " \n"]) * n + rnd.choice(["x", "元", "%", ""])


GENERATORS: list[Callable[[random.Random, int], str]] = [
    _digit_run, _numeral_run, _percent_storm, _pinyin, _mixed, _grammar_soup, _digit_groups, _spacing,
]


def pipeline(text: str) -> None:
    """What a crawled page goes through: normalisation and extraction, then analysis."""
    norm = normalize_text(text)
    extract.dates_in(norm, 20)
    extract.amounts_in(norm, 20)
    extract.credit_codes_in(norm)
    extract.company_names_in(norm, 30)
    extract.parse_amount(norm[:2000])
    extract.parse_capital_wan(norm[:2000])
    analyze(text)


def _seconds(text: str) -> float:
    t0 = time.perf_counter()
    pipeline(text)
    return time.perf_counter() - t0


def within_budget(text: str) -> tuple[bool, float, float]:
    """(ok, seconds, budget). Over budget once may be the machine (two cores shared by a
    whole team): it is measured again, and a super-linear input is over both times."""
    budget = BUDGET_MS_PER_KB / 1000 * max(1.0, len(text.encode("utf-8")) / 1024)
    took = _seconds(text)
    if took > budget:
        took = min(took, _seconds(text))
    return took <= budget, took, budget


def corpus(seed: int = 12, n: int = CASES) -> list[tuple[str, str]]:
    """(generator name, text): mostly 10-600 characters, one in 500 of 5-60 k characters,
    and two pages of 1 MB (digits and numerals with percent signs, a page of claims)."""
    rnd = random.Random(seed)
    out: list[tuple[str, str]] = []
    for i in range(n - 2):
        gen = GENERATORS[i % len(GENERATORS)]
        size = rnd.randint(5_000, 60_000) if i % 500 == 499 else rnd.randint(10, 600)
        out.append((gen.__name__, gen(rnd, size)))
    out.append(("1MB digits and numerals", ("1" * 3000 + "一" * 3000 + "%") * 167))
    out.append(("1MB of claims", ("投1000一天返15，年化18%，日息千分之4，" * 40_000)[:1_000_000]))
    return out


# Slow lane: 10,000 inputs against a time budget (minutes on a shared machine, and a budget
# is not fair beside a second test worker). The default run and CI run it.
@pytest.mark.slow
def test_fuzz_harness_stays_within_budget() -> None:
    pipeline("warm-up: 投1000一天返15")  # load the lexicon and the automaton once
    slow = []
    for name, text in corpus():
        ok, took, budget = within_budget(text)
        if not ok:
            slow.append((name, len(text), round(took * 1000, 1), round(budget * 1000, 1), text[:40]))
    assert not slow, f"over {BUDGET_MS_PER_KB} ms/KB (generator, chars, ms, budget ms, start): {slow[:10]}"


def test_corpus_holds_what_it_says() -> None:
    texts = corpus()
    assert len(texts) == CASES
    assert sum(len(t) >= 1_000_000 for _, t in texts) >= 1 and sum(len(t) < 1000 for _, t in texts) >= 9_900
    assert {g.__name__ for g in GENERATORS} <= {name for name, _ in texts}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    parts=st.lists(st.one_of(
        st.text(alphabet=_DIGITS + "%.,", min_size=1, max_size=400),
        st.text(alphabet=_NUMERALS + "%倍天分厘", min_size=1, max_size=400),
        st.sampled_from(_GRAMMAR),
        st.text(alphabet=_MIXED, max_size=50),
        st.builds(lambda s, k: s * k, st.sampled_from(["1", "一", "%", " ", "1,", "投1", "年化1"]), st.integers(1, 3000)),
    ), min_size=1, max_size=30),
)
def test_hypothesis_inputs_stay_within_budget(parts: list[str]) -> None:
    text = "".join(parts)
    ok, took, budget = within_budget(text)
    assert ok, (len(text), took, budget)


def _hostile_page(chars: int = 200_000, seed: int = 3) -> str:
    rnd = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        r = rnd.random()
        if r < 0.35:
            out.append(rnd.choice(_DIGITS) * rnd.randint(100, 20_000))
        elif r < 0.6:
            out.append("".join(rnd.choice(_NUMERALS) for _ in range(rnd.randint(100, 10_000))))
        elif r < 0.8:
            out.append("%" * rnd.randint(1, 500))
        else:
            out.append(rnd.choice(_GRAMMAR) + str(rnd.randint(0, 10**6)) + rnd.choice(_GRAMMAR))
        size += len(out[-1])
    return "".join(out)[:chars]


def test_a_200k_hostile_page_is_extracted_and_analysed_in_under_2_seconds() -> None:
    page = _hostile_page()
    html = f"<html><head><meta charset='utf-8'><title>年化收益</title></head><body><p>{page}</p></body></html>"
    pipeline("warm-up")

    def run() -> float:
        t0 = time.perf_counter()
        text, _ = decode_html(html.encode("utf-8"), "text/html")
        item = CleanPipeline(None).process_item(DocumentItem(url="http://hostile.test/", source="hostile", source_kind="promo", html=text))
        analyze(item.fields["_normalized"], item.title, item.url, normalized=True)
        return time.perf_counter() - t0

    took = run()
    if took >= 2.0:
        took = min(took, run())  # a busy shared machine, not the code: a quadratic page is slow twice
    assert took < 2.0, took
    assert len(page) == 200_000


def test_squeeze_is_linear_on_runs_of_spaces() -> None:
    from indexing.normalize import squeeze

    for text in (" " * 50_000 + "x", "x" + " " * 50_000 + "中", " \n" * 25_000):
        t0 = time.perf_counter()
        squeeze(text)
        assert time.perf_counter() - t0 < BUDGET_MS_PER_KB / 1000 * len(text) / 1024


@pytest.mark.parametrize("n", [20_000, 50_000])
def test_reported_inputs(n: int) -> None:
    # issue 12: 16,000 digits took 19.5 s in the crawler, 20,000 digits and one % 44.5 s in the analyser
    for text in ("1" * n, "1" * n + "%", "一" * n + "倍", "投" + "1" * n + "%", "1," * n + "元"):
        ok, took, budget = within_budget(text)
        assert ok, (text[:10], n, took, budget)
