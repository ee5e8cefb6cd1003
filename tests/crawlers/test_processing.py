"""Charset detection, URL canonicalisation, HTML clean-up, extraction, duplicates."""

from __future__ import annotations

import pytest

from crawlers.processing.charset import decode_html
from crawlers.processing.dedup import NearDuplicateIndex, content_hash, hamming, simhash
from crawlers.processing.extract import (
    amounts_in,
    company_names_in,
    credit_codes_in,
    dates_in,
    parse_capital_wan,
)
from crawlers.processing.html import clean_html
from crawlers.processing.urls import canonicalize

ZH = "投资鑫盛宝项目，承诺每月返利百分之三，现在无法提现，客服已经失联，请有关部门尽快处理。"
TW = "投資鑫盛寶項目，承諾每月返利百分之三，現在無法提現，客服已經失聯，請有關部門盡快處理。"


def html(charset_meta: str | None, text: str) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    ("enc", "meta", "header", "text"),
    [
        ("gbk", "gbk", "text/html; charset=utf-8", ZH),  # header lies, meta tells the truth
        ("gb18030", None, "text/html; charset=utf-8", ZH),  # header lies, no meta: the bytes tell
        ("big5", None, "text/html; charset=gbk", TW),  # Big5 served as GBK: both decode, Big5 reads right
        ("big5", "big5", "text/html", TW),
        ("utf-8", None, "text/html; charset=gbk", ZH),  # UTF-8 served as GBK
        ("gbk", None, "text/html", ZH),  # nothing said at all
    ],
)
def test_charset_survives_lying_headers(enc, meta, header, text):
    body = html(meta, text).encode(enc)
    decoded, detected = decode_html(body, header)
    assert text in decoded, (detected, decoded[:80])


def test_charset_utf8_bom_and_empty():
    assert decode_html(b"\xef\xbb\xbf" + ZH.encode(), "text/html; charset=gbk")[0] == ZH
    assert decode_html(b"", "") == ("", "utf-8")


@pytest.mark.parametrize(
    ("url", "canon"),
    [
        ("http://Site.TEST/a/?utm_source=x&b=2&a=1#frag", "http://site.test/a?a=1&b=2"),
        ("http://site.test/news/index.html", "http://site.test/news/"[:-1]),
        ("http://site.test/", "http://site.test/"),
        ("http://site.test", "http://site.test/"),
        ("http://site.test:80/p?utm_medium=m&utm_campaign=c", "http://site.test/p"),
        ("http://site.test/p/", "http://site.test/p"),
    ],
)
def test_canonicalize(url, canon):
    assert canonicalize(url) == canon


def test_duplicate_url_variants_collapse():
    variants = ["http://x.test/a", "http://x.test/a/", "http://x.test/a/index.html", "http://x.test/a?utm_source=wx"]
    assert len({canonicalize(v) for v in variants}) == 1


def test_clean_html_drops_boilerplate_and_repairs_malformed():
    page = ('<html><head><title>标题</title><script>var a="鑫盛";</script><style>p{}</style></head><body>'
            '<div class="nav">首页 导航</div><div class="content"><p>正文第一段<p>第二段 <img alt="月息3分">'
            '<div class="footer">版权</div></body>')  # unclosed <p>, <div>, <html>
    title, text, alts = clean_html(page)
    assert title == "标题"
    assert "正文第一段" in text and "第二段" in text
    assert "导航" not in text and "var a" not in text and "版权" not in text
    assert alts == ["月息3分"]
    _, only, _ = clean_html(page, "div.content")
    assert only.startswith("正文第一段")


def test_extraction():
    text = "统一社会信用代码91440300MA5F00001A，2024年3月1日起，投资5万元每月返800元，深圳市鑫盛财富投资管理有限公司承诺。"
    assert credit_codes_in(text) == ["91440300MA5F00001A"]
    assert credit_codes_in("91440300MA5F00001B") == []  # wrong check digit
    assert dates_in(text) == ["2024-03-01"]
    assert amounts_in(text) == [50000.0, 800.0]
    assert company_names_in(text)[0].endswith("深圳市鑫盛财富投资管理有限公司")
    assert parse_capital_wan("5000万元人民币") == 5000.0
    assert parse_capital_wan("1.5亿元") == 15000.0


def test_exact_and_near_duplicates():
    a = ("鑫盛财富是国家支持的扶贫项目，稳赚不赔，年化收益百分之三十六，每天分红，保本保息。推荐一位朋友加入奖励五百元，"
         "直推奖百分之十，层推奖百分之五，团队满一百人升级为钻石会员，享受全国分红。入门只需三千八百元，三个月回本，"
         "之后每月稳定收益，提现秒到账。名额有限，先到先得，本周报名还送价值九百九十九元的健康礼包，联系客服领取邀请码。")
    b = a.replace("鑫盛财富", "金盛财富")  # the same scheme reborn under a new name
    c = "北京中科投资有限公司发布年度报告，营业收入稳定增长，风险提示见附件。" * 10
    assert content_hash(a) == content_hash(a.replace("，", "， "))  # whitespace does not matter
    assert content_hash(a) != content_hash(b)
    assert hamming(simhash(a), simhash(b)) <= 3
    assert hamming(simhash(a), simhash(c)) > 10
    idx = NearDuplicateIndex()
    idx.add(simhash(a), "doc-a")
    assert idx.find(simhash(b)) == "doc-a"
    idx.add(simhash(b), "doc-b")
    assert idx.matches(simhash(b)) == [("doc-b", 0), ("doc-a", hamming(simhash(a), simhash(b)))]  # closest first
    assert idx.matches(simhash(b), exclude="doc-b") == [("doc-a", hamming(simhash(a), simhash(b)))]
    assert idx.find(simhash(c)) is None
