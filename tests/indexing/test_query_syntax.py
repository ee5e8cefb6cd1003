"""The search syntax parser (indexing/query_syntax.py) and its SQLite translation, without a store."""

from __future__ import annotations

import re

import pytest

from indexing.query_syntax import And, Or, QuerySyntaxError, Term, parse
from indexing.store.sqlite import _fts_expr


def words(text: str) -> list[str]:
    return parse(text).words


def test_operators_group_as_users_expect() -> None:
    assert parse("北京 AND 投资").root == parse("北京 且 投资").root
    assert isinstance(parse("北京 OR 上海").root, Or) and isinstance(parse("北京 或 上海").root, Or)
    tree = parse("(北京 OR 上海) 投资 -骗局").root
    assert isinstance(tree, And) and isinstance(tree.must[0], Or)
    assert [t.words for t in tree.must_not] == [("骗局",)]
    # NOT binds tightest, then AND, then OR: a b OR c == (a b) OR c
    tree = parse("保本 保息 OR 返利").root
    assert isinstance(tree, Or) and tree.any[0] == Term("保本 保息", ("保本", "保息"))
    assert words("投资 NOT 北京 -上海") == ["投资"]  # excluded words are not highlighted


def test_phrases_and_plain_words() -> None:
    t = parse('"保本 保息"').root
    assert isinstance(t, Term) and t.phrase and t.grams == ("保本", "本保", "保息")
    assert parse("“保本保息”").root == parse("「保本保息」").root == Term("保本保息", ("保本", "保息"), True,
                                                                          ("保本", "本保", "保息"))
    # lower-case and/or and a lone 非 are words; spaced-out characters stay one word
    assert words("非 法 集 资") == ["非法", "集资"]
    assert words("保本 and 保息") == ["保本", "and", "保息"]


@pytest.mark.parametrize(("text", "note"), [
    ('"保本保息', "引号未闭合"),
    ("(北京 OR 上海", "括号未闭合"),
    ("北京 ) 投资", "多余的右括号"),
    ("北京 AND", "AND 后缺少"),
    ("OR 北京", "OR 两侧"),
    ("北京 NOT", "NOT 或 - 后缺少"),
    ("NOT 北京", "只有排除词"),
    ("北京 OR -上海", "只有排除词"),
])
def test_malformed_queries_are_repaired_leniently_and_refused_strictly(text: str, note: str) -> None:
    p = parse(text)
    assert note in p.notice
    with pytest.raises(QuerySyntaxError, match=note):
        parse(text, strict=True)


def test_well_formed_queries_have_no_notice() -> None:
    for q in ("北京 AND 投资", '"保本" OR 返利', "(北京 OR 上海) -投资", "９１４４０３"):
        assert parse(q).notice == "" and parse(q, strict=True).root is not None


def test_nothing_to_search_for_is_none() -> None:
    for q in ("", "   ", "NOT 北京", "-北京 -上海", "！！", '""'):
        assert parse(q).root is None


def test_hostile_text_enters_fts5_only_inside_quoted_phrases() -> None:
    hostile = 'a" OR * NEAR(x) "b c" ) : ^ {name_tok} -"d""e'
    expr = _fts_expr(parse(hostile).root, "{name_tok}")
    # Strip our quoted phrases: what is left may hold only our operators, columns and brackets.
    bare = re.sub(r'"(?:[^"]|"")*"', "", expr)
    assert set(re.findall(r"[^\s()]+", bare)) <= {"AND", "OR", "NOT", "{name_tok}", ":", "grams"}, expr


def test_long_queries_are_capped() -> None:
    p = parse(" OR ".join(f"词{i}" for i in range(200)))
    assert isinstance(p.root, Or) and len(p.root.any) == 64 and "64" in p.notice
    assert "截断" in parse("保" * 2000).notice
