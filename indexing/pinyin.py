"""Pinyin forms of company names, indexed beside their jieba tokens so that a person who
types 拼音 finds the company: full pinyin and initials of each word of the name and of runs
of up to four words (北京鑫利投资有限公司: beijing, xinli, xinlitouzi, bjxl, xltz, ...).

Initials shorter than three letters are left out: "tz" (投资) or "yx" (有限) would match
half the register. Both store backends index ``name_pinyin(name)`` in the name's tokens, so a
pinyin query is an ordinary word query and needs no syntax of its own.
"""

from __future__ import annotations

import functools
import re

from pypinyin import lazy_pinyin

from indexing.tokenize import query_tokens

MAX_RUN = 4  # words per combined form
MIN_INITIALS = 3
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")


@functools.lru_cache(maxsize=100_000)
def _syllables(word: str) -> tuple[str, ...]:
    """The reading of one word, a syllable per character (pypinyin reads a word as a phrase).
    Cached: names share most of their words (有限公司, 投资, 深圳市)."""
    return tuple(lazy_pinyin(word, errors="ignore"))


def name_pinyin(name: str) -> str:
    """Space-separated pinyin forms (lower-case ASCII) of the Chinese words of ``name``."""
    words = [w for w in query_tokens(name) if _HAN.fullmatch(w)]
    full, initials = [], []
    for w in words:
        part = _syllables(w)
        if len(part) != len(w) or not all(x.isascii() and x.isalpha() for x in part):
            return ""  # a reading pypinyin could not give: no pinyin forms rather than wrong ones
        full.append("".join(part).lower())
        initials.append("".join(x[0] for x in part).lower())
    forms: dict[str, None] = {}
    for i in range(len(words)):
        f = a = ""
        for j in range(i, min(len(words), i + MAX_RUN)):
            f += full[j]
            a += initials[j]
            forms[f] = None
            if len(a) >= MIN_INITIALS:
                forms[a] = None
    return " ".join(forms)
