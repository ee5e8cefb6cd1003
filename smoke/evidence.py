"""A company's evidence as people read it: quoted sentences with the matched words marked,
each sentence once however many indicators cite it, zero-point indicators left out.

Used by the company page, ``smoke company`` and the exports, so all three show the same
quotes. Marks come from scoring (``Evidence.marks``: offsets in the snippet); crawled text
is hostile, so the HTML form escapes every piece of the snippet first and only then puts
``<mark>`` around the escaped matches.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from scoring.quote import render_marked

TEXT_MARK = ("【", "】")  # matched words in plain text, CSV and spreadsheets


def _get(obj: Any, key: str, default: Any = "") -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def marked_text(snippet: str, marks: Any) -> str:
    """The snippet with 【】 around the matched words."""
    return render_marked(snippet or "", marks or [], *TEXT_MARK)


def marked_html(snippet: str, marks: Any) -> Markup:
    """The snippet HTML-escaped, with <mark> around the matched words (safe to render)."""
    return Markup(render_marked(snippet or "", marks or [], "<mark>", "</mark>",
                                escape=lambda s: html.escape(s, quote=True)))


@dataclass
class Cited:
    """One quoted piece of evidence and the indicators that cite it (strongest first)."""

    url: str
    snippet: str
    marks: list[list[int]]
    date: str
    doc_id: str
    source_kind: str
    indicators: list[dict[str, Any]] = field(default_factory=list)  # {id, label, points, dimension}

    @property
    def text(self) -> str:
        return marked_text(self.snippet, self.marks)

    @property
    def html(self) -> Markup:
        return marked_html(self.snippet, self.marks)

    @property
    def points(self) -> float:
        return round(sum(float(i["points"]) for i in self.indicators), 2)


def evidence_key(ev: Any) -> tuple[str, str]:
    """Two citations are the same evidence when they quote the same words of the same source."""
    return (str(_get(ev, "doc_id") or _get(ev, "url")), " ".join(str(_get(ev, "snippet")).split()))


def cite(indicators: list[Any], include_zero: bool = False, per_indicator: int | None = None) -> list[Cited]:
    """Every distinct quote of a company's indicators, in the order of the indicators (points
    desc, then id), each once with all the indicators citing it. ``indicators``: IndicatorResult
    objects or their dicts (profile, stored JSON). Zero-point indicators are left out unless
    ``include_zero``. ``per_indicator``: at most this many quotes read from each indicator."""
    ordered = sorted(indicators, key=lambda i: (-float(_get(i, "points", 0) or 0), str(_get(i, "id"))))
    out: dict[tuple[str, str], Cited] = {}
    for ind in ordered:
        pts = round(float(_get(ind, "points", 0) or 0), 2)
        if pts <= 0 and not include_zero:
            continue
        meta = {"id": _get(ind, "id"), "label": _get(ind, "label") or _get(ind, "id"), "points": pts,
                "dimension": _get(ind, "dimension")}
        evs = list(_get(ind, "evidence", []) or [])
        for ev in evs[:per_indicator] if per_indicator else evs:
            key = evidence_key(ev)
            c = out.get(key)
            if c is None:
                c = out[key] = Cited(url=str(_get(ev, "url")), snippet=str(_get(ev, "snippet")),
                                     marks=list(_get(ev, "marks", []) or []), date=str(_get(ev, "date")),
                                     doc_id=str(_get(ev, "doc_id")), source_kind=str(_get(ev, "source_kind")))
            if all(i["id"] != meta["id"] for i in c.indicators):
                c.indicators.append(meta)
    return list(out.values())
