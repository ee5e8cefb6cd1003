"""Terms half spelt in pinyin are found; English words, names and plain hanzi homophones are not."""

from __future__ import annotations

import pytest

from scoring.lexicon import load_lexicon
from scoring.matchtext import make_match_text
from scoring.pinyinmatch import PinyinMatcher, split_syllables
from scoring.text import analyze


def _terms(text: str) -> list[str]:
    lex = load_lexicon()
    return [t.term for _, _, t in lex.spelt.find(make_match_text(text, lex.table).folded)]


def test_split_syllables_backtracks_and_refuses_english() -> None:
    syl = {"xi", "an", "xian", "ti", "zi", "jin"}
    assert split_syllables("tixian", syl) == [("ti", 0), ("xian", 2)]
    assert split_syllables("zijin", syl) == [("zi", 0), ("jin", 2)]
    assert split_syllables("python", syl) is None


@pytest.mark.parametrize(("text", "term"), [
    ("我们不是chuan销", "传销"),
    ("zi金pan新项目", "资金盘"),
    ("拉 ren 有奖", "拉人"),
    ("每天 ri 返", "日返"),
    ("承诺bao ben bao xi", "保本保息"),
])
def test_mixed_spelling_is_found(text: str, term: str) -> None:
    assert term in _terms(text)


@pytest.mark.parametrize("text", [
    "The fan club meets on Sunday, 欢迎 ri fan",  # two latin syllables alone: could be a name
    "iPhone 15 Pro 现货，支持分期付款",
    "Python教程：for循环与while循环",
    "传销是违法的",  # plain hanzi is the automaton's job, not this matcher's
    "chuan，销",  # a sentence break between the syllables
])
def test_no_match(text: str) -> None:
    assert _terms(text) == []


def test_offsets_cover_the_spelt_term() -> None:
    m = PinyinMatcher([("资金盘", "T")])
    text = "新zi金pan上线"
    [(s, e, payload)] = m.find(text)
    assert (text[s:e], payload) == ("zi金pan", "T")


def test_a_spelt_label_reads_as_insider_talk() -> None:
    a = analyze("我们不是chuan销，是新模式，bao ben bao xi，每天返2%，拉ren有奖")
    assert a.risk >= 60 and a.denials and "保本保息" in a.guarantees
