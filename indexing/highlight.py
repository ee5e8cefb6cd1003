"""Highlighted snippets of hostile text: HTML-escaped, with <mark> around matched terms.

Every character of crawled text passes through ``html.escape`` before it reaches
the output; only our own ``<mark>``/``</mark>`` tags are added. Terms are matched in
the unescaped text (so a term containing ``&`` or ``<`` still matches), and CJK
terms tolerate the spacing tricks ``squeeze`` undoes (传-销, 非 法 集 资), so the
snippet marks the very place the evasive spelling sits.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

_CJK_CHAR = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Up to three separator characters between two characters of a CJK term.
_GAP = r"[\W_]{0,3}"


def _term_pattern(term: str) -> str:
    if len(term) > 1 and all(_CJK_CHAR.match(c) for c in term):
        return _GAP.join(re.escape(c) for c in term)
    return re.escape(term)


def terms_regex(terms: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex for the terms, longest first; None without terms."""
    uniq = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not uniq:
        return None
    return re.compile("|".join(_term_pattern(t) for t in uniq), re.IGNORECASE)


def highlight(text: str, terms: Sequence[str], width: int = 160, max_marks: int = 20) -> str:
    """An escaped snippet of about ``width`` characters around the first match, with
    every match in it wrapped in <mark>; the escaped start of the text if nothing matches."""
    text = text or ""
    rx = terms_regex(terms)
    first = rx.search(text) if rx else None
    if first is None:
        snippet = text[:width]
        return html.escape(snippet) + ("…" if len(text) > width else "")
    start = max(0, first.start() - width // 4)
    end = min(len(text), start + width)
    window = text[start:end]
    out: list[str] = ["…"] if start > 0 else []
    pos = 0
    for n, m in enumerate(rx.finditer(window)):
        if n >= max_marks:
            break
        out.append(html.escape(window[pos : m.start()]))
        out.append("<mark>" + html.escape(m.group(0)) + "</mark>")
        pos = m.end()
    out.append(html.escape(window[pos:]))
    if end < len(text):
        out.append("…")
    # Adjacent matches (保本 + 保息) read as one mark.
    return "".join(out).replace("</mark><mark>", "")
