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


def merge_marks(*mark_lists: Any) -> list[list[int]]:
    """Marks of several citations of one sentence, sorted, overlaps merged."""
    spans = sorted((int(m[0]), int(m[1])) for marks in mark_lists for m in (marks or []) if len(m) == 2)
    out: list[list[int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


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
            else:  # the words each indicator matched in the sentence are all marked
                c.marks = merge_marks(c.marks, _get(ev, "marks", []))
            if all(i["id"] != meta["id"] for i in c.indicators):
                c.indicators.append(meta)
    return list(out.values())


def by_dimension(indicators: list[Any], dimension_names: dict[str, str], dimension_scores: dict[str, float],
                 per_indicator: int = 5) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The evidence tab of a company: (dimensions, zero-point indicators).

    Each dimension with points: {key, label, score, indicators: [{id, label, value, points,
    quotes}]}; each quote {n, html, text, date, source_kind, url, ref}: ``ref`` is the
    number of the quote shown earlier on the page when the same sentence was already cited
    by a stronger indicator (shown once, referenced after). Zero-point indicators come apart,
    for a toggle that is closed by default."""
    # in the order the page shows them (dimension, then points), so a reference always points up
    order = list(dimension_names)

    def place(i: Any) -> tuple[int, float, str]:
        dim = str(_get(i, "dimension"))
        return (order.index(dim) if dim in order else len(order), -float(_get(i, "points", 0) or 0), str(_get(i, "id")))

    ordered = sorted(indicators, key=place)
    seen: dict[tuple[str, str], tuple[int, str]] = {}  # evidence key -> (quote number, indicator label)
    marks: dict[tuple[str, str], list[list[int]]] = {}  # every citation's marks, merged per sentence
    for ind in ordered:
        if float(_get(ind, "points", 0) or 0) > 0:
            for ev in list(_get(ind, "evidence", []) or [])[:per_indicator]:
                key = evidence_key(ev)
                marks[key] = merge_marks(marks.get(key), _get(ev, "marks", []))
    dims: dict[str, dict[str, Any]] = {}
    zero: list[dict[str, Any]] = []
    n = 0
    for ind in ordered:
        pts = round(float(_get(ind, "points", 0) or 0), 2)
        label = _get(ind, "label") or _get(ind, "id")
        entry = {"id": _get(ind, "id"), "label": label, "value": _get(ind, "value", 0), "points": pts}
        if pts <= 0:
            zero.append({**entry, "dimension": dimension_names.get(_get(ind, "dimension"), _get(ind, "dimension"))})
            continue
        quotes = []
        for ev in list(_get(ind, "evidence", []) or [])[:per_indicator]:
            key = evidence_key(ev)
            q = {"date": str(_get(ev, "date")), "source_kind": str(_get(ev, "source_kind")), "url": str(_get(ev, "url"))}
            if key in seen:
                q.update(n=0, ref=seen[key][0], ref_label=seen[key][1])
            else:
                n += 1
                seen[key] = (n, label)
                q.update(n=n, ref=0, ref_label="", html=marked_html(str(_get(ev, "snippet")), marks[key]),
                         text=marked_text(str(_get(ev, "snippet")), marks[key]))
            quotes.append(q)
        dim = str(_get(ind, "dimension"))
        d = dims.setdefault(dim, {"key": dim, "label": dimension_names.get(dim, dim),
                                  "score": round(float(dimension_scores.get(dim, 0) or 0), 1), "indicators": []})
        d["indicators"].append({**entry, "quotes": quotes})
    out = sorted(dims.values(), key=lambda d: (order.index(d["key"]) if d["key"] in order else len(order), d["key"]))
    return out, zero


ENTRY_KINDS_ZH = {"abnormal": "经营异常", "penalty": "行政处罚", "serious_violation": "严重违法失信", "change": "变更"}


def _capital(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".") + " 万元"


def registry_facts(company: Any) -> list[tuple[str, str]]:
    """The registry's facts about a company as (label, value) rows, empty values left out:
    what a regulator reads first (``smoke company`` and the company page's overview)."""
    from smoke.regions import region_name

    entries: dict[str, int] = {}
    for e in getattr(company, "entries", []) or []:
        if e.kind != "change" and not e.removed_date:
            entries[e.kind] = entries.get(e.kind, 0) + 1
    amac = getattr(company, "amac_registered", None)
    rows = [
        ("登记状态", company.status),
        ("法定代表人", company.legal_rep),
        ("注册资本", _capital(company.registered_capital)),
        ("实缴资本", _capital(company.paid_in_capital)),
        ("成立日期", company.founded),
        ("所在地区", region_name(company.region_code) if company.region_code else ""),
        ("地址", company.address),
        ("行业", company.industry),
        ("经营范围", company.business_scope),
        ("曾用名", "、".join(company.former_names)),
        ("网站", "、".join(company.websites)),
        ("基金业协会备案", "" if amac is None else ("已备案" if amac else "未备案")),
        ("登记异常", "；".join(f"{ENTRY_KINDS_ZH.get(k, k)} {n} 条" for k, n in sorted(entries.items()))),
    ]
    return [(k, str(v)) for k, v in rows if v]
