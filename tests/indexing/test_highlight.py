"""Snippets of hostile text: escaped, marked."""

from __future__ import annotations

from indexing.highlight import highlight


def test_escapes_everything_but_marks() -> None:
    out = highlight("<script>alert('x')</script>传销 & <b>资金盘</b>", ["传销", "资金盘"])
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<mark>传销</mark>" in out and "<mark>资金盘</mark>" in out
    assert out.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_terms_with_html_characters_still_match() -> None:
    out = highlight("收益 A&B 计划", ["a&b"])
    assert out == "收益 <mark>A&amp;B</mark> 计划"


def test_evasive_spelling_is_marked_where_it_sits() -> None:
    assert highlight("这不是传-销", ["传销"]) == "这不是<mark>传-销</mark>"
    assert highlight("非 法 集 资", ["非法集资"]) == "<mark>非 法 集 资</mark>"


def test_adjacent_marks_merge() -> None:
    assert highlight("保本保息", ["保本", "保息"]) == "<mark>保本保息</mark>"


def test_window_around_the_first_match() -> None:
    text = "甲" * 500 + "传销" + "乙" * 500
    out = highlight(text, ["传销"], width=100)
    assert "<mark>传销</mark>" in out and out.startswith("…") and out.endswith("…")
    assert len(out) < 130


def test_no_match_gives_escaped_start() -> None:
    assert highlight("<i>正常</i>内容", ["传销"]) == "&lt;i&gt;正常&lt;/i&gt;内容"
    assert highlight("x" * 300, [], width=10) == "x" * 10 + "…"
    assert highlight("", ["a"]) == ""
