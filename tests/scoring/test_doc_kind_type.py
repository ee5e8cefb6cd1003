"""One classifier (issue 13): the kind a document is filed under (indexing.doc_kind, stored
by the store) and the type the text analyser scores it as cannot disagree: a warning or a
news report is read as one, never scored as a promotion, and a text the analyser reads as a
promotion is never filed as a warning or news."""

from __future__ import annotations

import pytest

from indexing.doc_kind import classify, read_as
from indexing.normalize import normalize_text
from scoring.text import analyze

PROMISES = "月息8% 保本保息 推荐一人奖励500元 加入即享分红，名额有限，速来报名！"


@pytest.mark.parametrize(("title", "kind"), [
    ("风险提示：警惕以“养老项目”为名的非法集资", "warning"),
    ("关于防范非法集资的公告", "warning"),
    ("警方通报：某公司涉嫌集资诈骗被立案", "news"),
])
def test_a_warning_or_news_quoting_promises_is_never_scored_as_a_promotion(title: str, kind: str) -> None:
    # the text alone reads as sales copy: without the title the analyser calls it a promotion
    assert analyze(PROMISES).doc_type in ("promo", "recruit")
    a = analyze(PROMISES, title)
    assert classify("promo", title, normalize_text(PROMISES)) == kind
    assert a.doc_type == kind and not a.is_promotional


def test_the_stored_kind_is_the_type_of_a_document() -> None:
    # the scorer passes the stored kind: a court's page titled 风险提示 is a judgment, read by the analyser
    text = "被告人王某以高额返利为诱饵组织领导传销活动，本院认为其行为构成组织、领导传销活动罪。"
    assert classify("court", "风险提示", text) == "judgment"
    assert analyze(text, "风险提示", doc_kind="judgment").doc_type == "judgment"
    assert analyze(text, "风险提示").doc_type == "warning"  # a bare text is read as a page of the open web
    assert analyze(PROMISES, "新人福利", doc_kind="warning").doc_type == "warning"


@pytest.mark.parametrize(("title", "text"), [
    ("新人福利", PROMISES),
    ("风险提示", "请勿参与高息理财"),
    ("社会资讯", "本报讯 记者从市公安局获悉，" + PROMISES),
    ("平台介绍", "我们是正规持牌机构，投资有风险。"),
])
def test_kind_and_type_agree(title: str, text: str) -> None:
    kind = classify("promo", title, normalize_text(text))
    doc_type = analyze(text, title).doc_type
    if read_as(kind):
        assert doc_type == kind
    if doc_type in ("promo", "recruit"):
        assert kind == "promotion"
