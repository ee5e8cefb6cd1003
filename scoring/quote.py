"""Evidence quoted by sentence: the sentence a match sits in, verbatim, with the match's offsets.

A fixed character window around a match quotes whatever happens to be near it: on a
forum page that is often a sceptic's reply ("这就是传销！") instead of the promoter's own
words ("不投资一分钱这叫传销？"). Evidence therefore quotes the *sentence* holding the
match, cut at Chinese and Western sentence ends, capped at ``MAX_QUOTE`` characters (a
window inside the sentence, with an ellipsis on each cut side), and records where the
matched words sit in the quote (``Evidence.marks``) so every surface can mark them: the
web with ``<mark>`` around the escaped text, text and spreadsheets with 【】.

Offsets of the analyser refer to the stored (normalised) text with look-alike characters
folded one for one (壹 -> 一, 噺 -> 新): the quote is cut from the stored text itself, so it
shows the page's own characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_QUOTE = 120  # characters of a quoted sentence, ellipses included
ELLIPSIS = "…"
# A sentence ends at 。！？ (NFKC turns ！？ into !?), an ellipsis, a line break, or a Western
# full stop followed by a space or the end (so 1.5% and www.x.com do not end sentences).
# Closing quotes and brackets right after the end belong to the sentence.
_END = re.compile(r"(?:[。!?！？\n]+|…+|\.(?=\s|$))[”’」』)）\]】\"']*")

Span = tuple[int, int]


def sentence_bounds(text: str, start: int, end: int) -> Span:
    """The [from, to) of the sentence(s) holding text[start:end], surrounding spaces trimmed."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo = 0
    for m in _END.finditer(text, 0, start):
        if m.end() <= start:
            lo = m.end()
    m = _END.search(text, end)
    hi = m.end() if m else len(text)
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def quote(text: str, start: int, end: int, extra: Iterable[Span] = (), cap: int = MAX_QUOTE) -> tuple[str, list[list[int]]]:
    """The sentence of ``text`` holding [start, end), capped at ``cap`` characters, and the
    marks ([start, end) within the quote) of that span and of any ``extra`` spans that fall
    inside the quote. Marks are sorted and never overlap."""
    if not text:
        return "", []
    lo, hi = sentence_bounds(text, start, end)
    pre = post = ""
    if hi - lo > cap:
        # a window of the sentence centred on the match, never cutting the match itself
        room = max(0, cap - 2 - (end - start))
        w_lo = max(lo, start - room // 2)
        w_hi = min(hi, max(end, w_lo + cap - 2))
        w_lo = max(lo, min(w_lo, w_hi - (cap - 2)))
        if w_lo > lo:
            pre = ELLIPSIS
        if w_hi < hi:
            post = ELLIPSIS
        lo, hi = w_lo, w_hi
    shift = len(pre) - lo
    spans = sorted({(max(s, lo), min(e, hi)) for s, e in [(start, end), *extra] if s < hi and e > lo and e > s})
    marks: list[list[int]] = []
    for s, e in spans:
        if marks and s <= marks[-1][1] - shift:
            marks[-1][1] = max(marks[-1][1], e + shift)
        else:
            marks.append([s + shift, e + shift])
    return pre + text[lo:hi] + post, marks


def render_marked(snippet: str, marks: Iterable[Iterable[int]], open_: str, close: str,
                  escape=lambda s: s) -> str:
    """``snippet`` with ``open_``/``close`` around each mark; every piece of the snippet goes
    through ``escape`` first (html.escape for the web), the markers never do. Marks out of
    range or overlapping are clipped, so a stored score with odd marks cannot break a page."""
    out: list[str] = []
    pos = 0
    for m in sorted(tuple(x) for x in marks or ()):
        if len(m) != 2:
            continue
        s, e = max(pos, int(m[0])), min(len(snippet), int(m[1]))
        if e <= s:
            continue
        out.append(escape(snippet[pos:s]))
        out.append(open_ + escape(snippet[s:e]) + close)
        pos = e
    out.append(escape(snippet[pos:]))
    return "".join(out)
