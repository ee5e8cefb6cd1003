"""jieba tokens: what both store backends index and query."""

from __future__ import annotations

import jieba

from indexing.tokenize import (
    MAX_TOKENIZE_CHARS,
    analyze,
    cjk_bigrams,
    query_bigrams,
    query_tokens,
    token_string,
    tokens,
)


def test_tokens_are_words_without_punctuation() -> None:
    toks = tokens("组织、领导传销活动！！ Hello, WORLD  2024")
    assert "传销" in toks and "组织" in toks and "领导" in toks
    assert "hello" in toks and "world" in toks and "2024" in toks
    assert all(t.strip() and t not in "、！,!" for t in toks)
    assert all(t == t.lower() for t in toks)


def test_search_mode_yields_sub_words() -> None:
    toks = tokens("中华人民共和国")
    assert "中华人民共和国" in toks and "中华" in toks and "共和国" in toks


def test_token_string_is_space_joined_tokens() -> None:
    s = "非法集资的危害"
    assert token_string(s) == " ".join(tokens(s))
    assert "  " not in token_string("a  ,, b")


def test_evasive_spellings_tokenise_like_the_plain_word() -> None:
    plain = tokens("组织领导传销活动")
    for evasive in ["组织领导傳銷活动", "组织领导传-销活动", "组织领导传\u200b销活动", "ＺＺ组织领导传 销活动"[2:]]:
        assert tokens(evasive) == plain, evasive


def test_query_tokens_normalise_and_deduplicate() -> None:
    assert query_tokens("傳銷") == ["传销"]
    assert query_tokens("传销 传销 ，！") == ["传销"]
    assert query_tokens("  !!! ") == []
    # every query word is an index token of a text containing it as a word
    text_tokens = set(tokens("公安机关依法打击传销和非法集资犯罪"))
    for w in query_tokens("传销 非法集资"):
        assert w in text_tokens


def test_private_dictionary_ignores_global_jieba_changes() -> None:
    before = tokens("资金盘模式躺赚")
    jieba.add_word("盘模式躺")  # another module tinkering with jieba's global dictionary
    try:
        assert tokens("资金盘模式躺赚") == before
    finally:
        jieba.del_word("盘模式躺")


def test_deterministic() -> None:
    s = "深圳市前海鑫利财富投资管理有限公司承诺年化收益15%，推荐好友获得直推奖"
    assert tokens(s) == tokens(s)


def test_cjk_bigrams() -> None:
    assert cjk_bigrams("传销") == "传销"
    assert cjk_bigrams("组织传销") == "组织 织传 传销"
    assert cjk_bigrams("A 传 B 销") == "传 销"  # single characters stand alone
    assert cjk_bigrams("傳-銷") == "传销"
    assert query_bigrams("非法集资") == ["非法", "法集", "集资"]
    assert query_bigrams("传") == [] and query_bigrams("app") == []


def test_analyze_matches_the_separate_functions() -> None:
    s = "傳銷組織 非 法 集 资 APP"
    assert analyze(s) == (token_string(s), cjk_bigrams(s))


def test_huge_text_is_capped() -> None:
    s = "传销" * (MAX_TOKENIZE_CHARS)  # twice the cap
    assert len(tokens(s)) <= MAX_TOKENIZE_CHARS
