"""Text normalisation shared by crawlers, the store and the scorer.

First cut: Unicode NFKC (full-width to half-width), traditional to simplified
(OpenCC tables), invisible characters removed, whitespace collapsed. The indexing
work deepens it (variant characters, spacing tricks) behind the same functions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # opencc-python-reimplemented

    return opencc.OpenCC("t2s")


def normalize_text(text: str) -> str:
    """Canonical form for indexing and matching: NFKC, simplified, no invisible chars."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _t2s().convert(text)
    return _SPACES.sub(" ", text).strip()


_NAME_NOISE = re.compile(r"[\s()（）【】\[\]·.,，、\"'“”]")


def normalize_name(name: str) -> str:
    """Canonical form of a company name for exact comparison (brackets, spaces dropped)."""
    return _NAME_NOISE.sub("", normalize_text(name))
