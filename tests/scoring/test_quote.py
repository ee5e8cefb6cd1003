"""Evidence is quoted by sentence, verbatim, with the matched words' offsets (scoring.quote)."""

from __future__ import annotations

import html

from scoring.context import ScoringContext
from scoring.quote import ELLIPSIS, MAX_QUOTE, quote, render_marked, sentence_bounds
from scoring.scorer import score_company
from tests.scoring.conftest import AS_OF, company, doc

FORUM = ("鑫聚财富会员群聊天记录。网友老李说：大家小心，这就是传销，骗局一个！"
         "群主回复：我们正规公司，不投资一分钱这叫传销？推荐壹人奖励300元，保本保息，年化收益36%，每日分红。")


def _marked(snippet: str, marks: list[list[int]]) -> list[str]:
    return [snippet[s:e] for s, e in marks]


def test_a_quote_is_the_sentence_of_the_match() -> None:
    text = "网友：这就是传销！大家别信。我们不收入门费,不投资一分钱这叫传销?欢迎加入。"
    at = text.index("传销?")
    snippet, marks = quote(text, at, at + 2)
    assert snippet == "我们不收入门费,不投资一分钱这叫传销?"  # not the sceptic's 这就是传销！
    assert _marked(snippet, marks) == ["传销"]


def test_western_sentence_ends_but_not_decimals_or_domains() -> None:
    text = "Great returns. We pay 1.5% daily at www.x.com now! Join today."
    at = text.index("1.5%")
    snippet, marks = quote(text, at, at + 4)
    assert snippet == "We pay 1.5% daily at www.x.com now!" and _marked(snippet, marks) == ["1.5%"]
    assert sentence_bounds("末尾没有句号", 2, 4) == (0, 6)


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "他说：“保本保息。”然后走了。"
    snippet, _ = quote(text, text.index("保本"), text.index("保本") + 2)
    assert snippet == "他说:“保本保息。”" or snippet == "他说：“保本保息。”"


def test_a_long_sentence_is_capped_around_the_match_with_ellipses() -> None:
    text = "甲" * 300 + "保本保息" + "乙" * 300 + "。"
    snippet, marks = quote(text, 300, 304)
    assert len(snippet) == MAX_QUOTE and snippet.startswith(ELLIPSIS) and snippet.endswith(ELLIPSIS)
    assert _marked(snippet, marks) == ["保本保息"]
    # a match at the very start of a long sentence: no leading ellipsis
    snippet, marks = quote(text, 0, 2)
    assert not snippet.startswith(ELLIPSIS) and snippet.endswith(ELLIPSIS) and marks == [[0, 2]]


def test_extra_matches_in_the_sentence_are_marked_and_overlaps_merged() -> None:
    text = "保本保息，稳赚不赔。别的句子有保本。"
    snippet, marks = quote(text, 0, 2, extra=[(1, 4), (5, 9), (15, 17)])
    assert snippet == "保本保息，稳赚不赔。"
    assert _marked(snippet, marks) == ["保本保息", "稳赚不赔"]  # 15-17 is another sentence


def test_hostile_text_is_escaped_before_marking() -> None:
    text = "<script>alert(1)</script>保本保息<b>!"
    at = text.index("保本")
    snippet, marks = quote(text, at, at + 4)
    out = render_marked(snippet, marks, "<mark>", "</mark>", escape=lambda s: html.escape(s, quote=True))
    assert "<script>" not in out and "&lt;script&gt;" in out and "<b>" not in out
    assert "<mark>保本保息</mark>" in out
    # marks pointing past the snippet or overlapping cannot break the output
    assert render_marked("abc", [[1, 99], [0, 2], [5, 6]], "[", "]") == "[ab][c]"


def test_scored_evidence_quotes_the_promoters_sentence_verbatim(model) -> None:
    c = company()
    d = doc(FORUM, code=c.credit_code, site="forum", url="http://bbs.test/t/9")
    s = score_company(c, [d], ScoringContext(as_of=AS_OF), model, AS_OF)
    by_id = {i.id: i for i in s.indicators}
    rec = by_id["feature_words.recruiting"].evidence[0]
    # the page wrote 壹 (folded to 一 for matching): the quote keeps the page's character
    assert "推荐壹人" in rec.snippet and "推荐一人" not in rec.snippet
    assert _marked(rec.snippet, rec.marks) == ["推荐壹人"]
    assert rec.snippet.startswith("推荐壹人") and rec.snippet.endswith("。")  # the sentence, nothing before it
    denials = by_id["feature_words.denial"].evidence
    promoter = [e for e in denials if "不投资一分钱" in e.snippet]
    assert promoter and "这就是传销" not in promoter[0].snippet  # a fixed window would quote 老李 too
    assert _marked(promoter[0].snippet, promoter[0].marks) == ["传销"]
    for ind in s.indicators:
        for e in ind.evidence:
            assert len(e.snippet) <= 200
            for a, b in e.marks:
                assert 0 <= a < b <= len(e.snippet)
