"""The text: yields phrased many ways, evasion present on a share of pages, denials,
archetype vocabulary, and legitimate pages with normal yields and disclaimers."""

from __future__ import annotations

import random
import re
import sqlite3

import pytest

from sandbox.sites.promo import page_text
from sandbox.text.evasion import PINYIN_ABBR, spaced, traditional
from sandbox.text.grammar import expand
from sandbox.text.yields import legit_yield, scheme_yield
from sandbox.world import generate

YIELD_FORMS = {
    "annual": r"年化", "monthly_fen": r"月息\d+分", "daily_permille": r"日息千分之", "per_10k": r"万分之\d+",
    "weekly": r"每周返", "per_10k_monthly": r"投1万每月返", "payback": r"个月回本", "double": r"翻[倍番]|一年[赚收益]",
    "daily_pct": r"日[收益返利分红]+\d", "per_order": r"单[收益利润]+\d+%",
}


def test_scheme_yields_take_every_form():
    rng = random.Random(1)
    phrases = [scheme_yield(rng, rng.uniform(0.1, 3)) for _ in range(2000)]
    for name, pattern in YIELD_FORMS.items():
        assert any(re.search(pattern, p) for p in phrases), name
    assert not any("[" in p or "{" in p for p in phrases)
    legit = [legit_yield(rng, 0.025) for _ in range(200)]
    assert all(re.search(r"\d\.\d+", p) for p in legit)


def test_grammar_expands_nested_choices_and_slots():
    rng = random.Random(3)
    outs = {expand(rng, "[甲[乙|丙]|丁]{x}", {"x": "!"}) for _ in range(200)}
    assert outs == {"甲乙!", "甲丙!", "丁!"}


def test_evasion_tricks():
    assert traditional("资金盘传销") == "資金盤傳銷"
    rng = random.Random(2)
    out = {spaced(rng, "这不是传销，是资金盘") for _ in range(50)}
    assert any(re.search("传[ \\-*·/_．]销", o) for o in out)
    assert "资金盘" in PINYIN_ABBR and PINYIN_ABBR["资金盘"] == "zjp"


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    w = generate(tmp_path_factory.mktemp("t") / "w", companies=2500, seed=9)
    db = sqlite3.connect(w / "world.db")
    out: dict[str, list[str]] = {"scheme": [], "legit": [], "img": []}
    for domain, path, ptype, data in db.execute("SELECT domain, path, ptype, data FROM pages"):
        title, blocks = page_text(db, domain, path, "2024-06-30")
        body = title + "\n" + "\n".join(blocks)
        if ptype.startswith(("scheme_", "thread_scheme", "softad")):
            out["scheme"].append(body)
            if '"img":true' in data:
                out["img"].append(body)
        elif ptype.startswith(("bank_", "fund_")):
            out["legit"].append(body)
    return out


def test_a_share_of_scheme_pages_evades(texts):
    pages = texts["scheme"]
    n = len(pages)
    trad = sum(bool(re.search("[們這個來會錢資傳銷]", p)) for p in pages)
    spaced_ = sum(bool(re.search("(传|收|分|提|投|利|返|拉)[ \\-*·/_．](销|益|红|现|资|息|利|人)", p)) for p in pages)
    pinyin = sum(bool(re.search(r"(?<![A-Za-z])(zjp|fx|cx|lrt|vx|tx|sy|fh|tz)(?![A-Za-z])", p)) for p in pages)
    denial = sum(bool(re.search("不是传销|这叫(传销|资金盘|骗局)|不是非法集资|清者自清|纯属谣言", p)) for p in pages)
    for name, count in (("traditional", trad), ("spaced", spaced_), ("pinyin", pinyin), ("denial", denial)):
        assert 0.02 * n < count < 0.9 * n, (name, count, n)


def test_legitimate_finance_pages_have_normal_yields_and_disclaimers(texts):
    assert texts["legit"]
    for p in texts["legit"]:
        assert re.search("风险|谨慎|不保本|合格投资者|不预示|不构成", p), p
        for rate in re.findall(r"(\d+\.\d+)%", p):
            assert float(rate) < 5, p
