"""Evasion as real promotions practise it: traditional and variant characters,
spaces or symbols inside key words, pinyin abbreviations, and denials. Each trick is
a pure function of (rng, text)."""

from __future__ import annotations

import random
from functools import lru_cache

KEY_TERMS = ("非法集资", "传销", "资金盘", "拉人头", "返利", "分红", "收益", "提现", "投资", "入门费", "保本", "利息", "微信")
VARIANTS = {"传": "傳", "销": "銷", "新": "噺", "不": "鈈", "资": "資", "金": "金", "钱": "錢", "赚": "賺",
            "币": "幣", "红": "紅", "利": "俐", "收": "収", "团": "団", "队": "隊"}
PINYIN_ABBR = {"资金盘": "zjp", "返现": "fx", "传销": "cx", "拉人头": "lrt", "微信": "vx", "提现": "tx",
               "收益": "sy", "分红": "fh", "投资": "tz", "人民币": "rmb"}
SEPARATORS = (" ", " ", "-", "*", "·", "/", "_", "．")


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _s2t().convert(text)


def variants(rng: random.Random, text: str, share: float = 0.5) -> str:
    return "".join(VARIANTS[c] if c in VARIANTS and rng.random() < share else c for c in text)


def spaced(rng: random.Random, text: str) -> str:
    for term in KEY_TERMS:
        if term in text and rng.random() < 0.7:
            sep = rng.choice(SEPARATORS)
            text = text.replace(term, sep.join(term))
    return text


def pinyin_abbr(rng: random.Random, text: str) -> str:
    for term, abbr in PINYIN_ABBR.items():
        if term in text and rng.random() < 0.8:
            text = text.replace(term, abbr)
    return text


TRICKS = ("traditional", "variants", "spaced", "pinyin")


def apply(rng: random.Random, text: str, tricks: tuple[str, ...]) -> str:
    for t in tricks:
        if t == "traditional":
            text = traditional(text)
        elif t == "variants":
            text = variants(rng, text)
        elif t == "spaced":
            text = spaced(rng, text)
        elif t == "pinyin":
            text = pinyin_abbr(rng, text)
    return text
