"""jieba tokens over normalised text: the one tokenisation both store backends index.

``token_string(text)`` is what SQLite FTS5 and Elasticsearch's whitespace-analysed
field store; ``query_tokens(query)`` is what a search looks for. Both go through
``normalize_text`` and ``squeeze`` first, so traditional / variant / full-width
spellings and spacing tricks (传-销, 非 法 集 资) index like the plain word.

jieba runs in search mode (``cut_for_search``): a long word also yields its
dictionary sub-words (非法集资 → 非法, 集资, 非法集资), so a query for a sub-word finds
it. We use a private ``jieba.Tokenizer`` loaded once, not jieba's global one, so
words another module adds to jieba's global dictionary can never make the index and
the queries disagree: tokens depend only on the text and the bundled dictionary.

jieba's HMM (guessing unknown words such as brand names) is off: it is a third slower,
and the same unknown name could be guessed differently in a query and in a page. Words
outside the dictionary come out as single characters; the CJK bigrams indexed next to
the tokens (``cjk_bigrams``) find them as substrings.
"""

from __future__ import annotations

import logging
import re
import threading

import jieba

from indexing.normalize import normalize_text, squeeze

# Text beyond this many characters is stored but not tokenised: a hostile 50 MB page
# must not stall indexing. Evidence is practically always near the start.
MAX_TOKENIZE_CHARS = 200_000

# A token is kept when it holds at least one letter, digit or CJK character.
_WORDY = re.compile(r"[^\W_]")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _jieba() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                t = jieba.Tokenizer()
                t.initialize()
                _tokenizer = t
    return _tokenizer


def _cut(prepared: str, search_mode: bool) -> list[str]:
    tk = _jieba()
    words = tk.cut_for_search(prepared, HMM=False) if search_mode else tk.cut(prepared, HMM=False)
    return [w for w in words if _WORDY.search(w)]


def prepare(text: str) -> str:
    """Normalised, squeezed, lower-cased and capped: what jieba sees."""
    return squeeze(normalize_text(text[: MAX_TOKENIZE_CHARS * 2])[:MAX_TOKENIZE_CHARS]).lower()


def tokens(text: str) -> list[str]:
    """Index tokens of ``text`` in order (search mode: words and their sub-words),
    lower-cased, without whitespace or punctuation tokens."""
    return _cut(prepare(text), search_mode=True)


def token_string(text: str) -> str:
    """``tokens(text)`` joined by single spaces: the indexed form in both backends."""
    return " ".join(tokens(text))


def query_tokens(query: str) -> list[str]:
    """The words a query asks for (precise mode, so 非法集资 stays one word), deduplicated
    in order. Each is also an index token of any text that contains it as a jieba word."""
    seen: dict[str, None] = {}
    for w in _cut(prepare(query), search_mode=False):
        seen.setdefault(w, None)
    return list(seen)


_CJK_RUN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _bigrams(run: str) -> str:
    if len(run) == 1:
        return run
    return " ".join(map(str.__add__, run[:-1], run[1:]))


def cjk_bigrams(text: str, prepared: bool = False) -> str:
    """Overlapping CJK bigrams of the squeezed text, space-joined (a single CJK character
    standing alone is kept as is). Indexed next to the jieba tokens so any CJK substring
    of two or more characters is found even where jieba segments the text differently
    (the same role as Elasticsearch's ``cjk`` analyser). ``prepared``: text is already
    the output of ``prepare``."""
    p = text if prepared else prepare(text)
    return " ".join(_bigrams(r) for r in _CJK_RUN.findall(p))


def query_bigrams(word: str) -> list[str]:
    """The bigram phrase that finds ``word`` (a CJK word of 2+ characters) in ``cjk_bigrams``
    output; empty for anything else."""
    if len(word) < 2 or not _CJK_RUN.fullmatch(word):
        return []
    return [a + b for a, b in zip(word[:-1], word[1:], strict=True)]


def analyze(text: str) -> tuple[str, str]:
    """``(token_string(text), cjk_bigrams(text))`` with one normalisation pass."""
    p = prepare(text)
    return " ".join(_cut(p, search_mode=True)), cjk_bigrams(p, prepared=True)
