"""Normalisation: every evasive spelling of a word comes out as the plain word."""

from __future__ import annotations

import opencc
import pytest

from indexing.normalize import (
    VARIANTS,
    _tables,
    normalize_domain,
    normalize_name,
    normalize_text,
    squeeze,
    t2s,
)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("傳銷組織", "传销组织"),
        ("資金盤", "资金盘"),
        ("非法集資，保本保息", "非法集资,保本保息"),
        ("乾坤大挪移，乾淨", "乾坤大挪移,干净"),  # OpenCC phrase beats character
        ("沈默", "沉默"),
        ("後天", "后天"),
    ],
)
def test_traditional_to_simplified(raw: str, want: str) -> None:
    assert normalize_text(raw) == want


def test_fast_t2s_agrees_with_opencc() -> None:
    cc = opencc.OpenCC("t2s")
    tb = _tables()
    samples = list(tb.phrases) + [
        "本網站提供高額回報的理財產品，穩賺不賠，每日返利，推薦會員可獲得直推獎與見點獎。",
        "被告人以非法佔有為目的，使用詐騙方法非法集資，數額特別巨大。",
        "乾隆年間，他頭髮乾了，一目瞭然。",
    ]
    for s in samples:
        assert t2s(s) == cc.convert(s), s


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("噺项目", "新项目"),
        ("鈈收费", "不收费"),  # OpenCC alone would say 钚 (plutonium)
        ("伱好", "你好"),
        ("伝销", "传销"),  # Japanese shinjitai
        ("⻔店⻢上开业", "门店马上开业"),  # CJK radicals supplement
        ("\u2f08\u2f1d", "人口"),  # Kangxi radicals ⼈⼝
        ("\uf9b2\u5e02", "零市"),  # compatibility ideograph U+F9B2 -> 零
        ("优惠劵", "优惠券"),
    ],
)
def test_variants_and_lookalikes(raw: str, want: str) -> None:
    assert normalize_text(raw) == want


def test_variant_targets_are_plain_simplified() -> None:
    # Folding must land on characters that normalisation leaves alone (idempotence).
    for target in set(VARIANTS.values()):
        assert normalize_text(target) == target, target


def test_full_width_to_half_width() -> None:
    assert normalize_text("ＡＰＰ下载，年化１５％！") == "APP下载,年化15%!"
    assert normalize_text("投１万每月返８００") == "投1万每月返800"


@pytest.mark.parametrize(
    "raw",
    [
        "非\u200b法\u200c集\u200d资",
        "非\ufeff法\u00ad集\u2060资",
        "非\u202e法\u2066集\u2069资",
        "非\ufe0f法\U000e0041集\U000e0101资",
        "非\u0336法\u0336集\u0336资",  # strike-through combining marks
    ],
)
def test_invisible_characters_removed(raw: str) -> None:
    assert normalize_text(raw) == "非法集资"


def test_whitespace_collapsed_and_ascii_kept() -> None:
    assert normalize_text("  a\t\tb \n\n c\u3000d  ") == "a b c d"
    assert normalize_text("Hello World 2024") == "Hello World 2024"
    assert normalize_text("") == ""
    assert normalize_text("café") == "café"  # precomposed accents survive


def test_normalize_is_idempotent() -> None:
    s = "傳銷 ＡＰＰ 噺 鈈\u200b ⻔  店 乾坤"
    once = normalize_text(s)
    assert normalize_text(once) == once


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("非 法 集 资", "非法集资"),
        ("传-销", "传销"),
        ("传*销", "传销"),
        ("传 . 销", "传销"),
        ("传🔥销", "传销"),
        ("传_销", "传销"),
        ("资 金 盘 模式", "资金盘模式"),
        ("年化 20% 收益", "年化20%收益"),
        ("hello world", "hello world"),
        ("下载 APP 注册", "下载APP注册"),
        ("A-B 测试", "A-B测试"),
    ],
)
def test_squeeze(raw: str, want: str) -> None:
    assert squeeze(normalize_text(raw)) == want


def test_squeeze_of_evasive_equals_plain() -> None:
    plain = squeeze(normalize_text("组织领导传销活动"))
    for evasive in ["组织领导傳銷活动", "组织领导传 销活动", "组织领导传\u200b销活动", "组织领导传-銷活动", "組織領導伝銷活動"]:
        assert squeeze(normalize_text(evasive)) == plain, evasive


def test_normalize_name() -> None:
    assert normalize_name("（深圳）ＸＸ 投資有限公司") == normalize_name("(深圳)xx投资有限公司")
    assert normalize_name("深圳市鑫利·财富【投资】有限公司") == "深圳市鑫利财富投资有限公司"
    assert normalize_name("  ") == ""


def test_normalize_domain() -> None:
    assert normalize_domain("https://user@WWW.Example.com:8080/x?y#z") == "example.com"
    assert normalize_domain("Example.COM.") == "example.com"
    assert normalize_domain("sub.example.com/path") == "sub.example.com"
    assert normalize_domain("") == ""
