"""One filter parser for every surface: the pages (lenient: a bad value is clamped or
dropped, and a note says so), the API and exports (strict: ``FilterError`` naming the
field and the values it takes, so a typo is a clear 400 and never 0 silent rows) and
the CLI (strict).

Parameters (each surface allows a subset, ``FilterSpec.allowed``):
q, region, industry, level, min_score, max_score, date_from, date_to, kind (document
kind), source_kind, sort, limit, offset, format.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from indexing.models import LEVEL_IDS, SOURCE_KINDS
from smoke.service.doc_kinds import DOC_KINDS
from smoke.service.regions import REGION_HELP, region_code

# The sorts people ask for, and what each means. "index" is the smoke index (the store's
# "score"); "date" orders documents (and companies by their newest document, see search).
SORTS: dict[str, str] = {
    "relevance": "相关度",
    "index": "冒烟指数",
    "rise": "涨幅",
    "date": "日期",
    "name": "名称",
}
SORT_ALIASES = {"score": "index"}

MAX_TEXT = 200


class FilterError(ValueError):
    """A filter value the strict parser refuses: ``field`` and what it expects."""

    def __init__(self, field_name: str, expected: str, got: Any = None) -> None:
        self.field = field_name
        self.expected = expected
        self.got = got
        shown = "" if got is None else f" (got {str(got)[:60]!r})"
        super().__init__(f"{field_name}: expected {expected}{shown}")


@dataclass(frozen=True, slots=True)
class FilterSpec:
    """What one surface accepts."""

    allowed: frozenset[str]
    sorts: tuple[str, ...] = ()
    default_sort: str = ""
    default_limit: int = 20
    max_limit: int = 200
    max_offset: int = 10_000
    formats: tuple[str, ...] = ()
    default_format: str = ""

    @classmethod
    def of(cls, *names: str, **kw: Any) -> FilterSpec:
        return cls(allowed=frozenset(names), **kw)


@dataclass(slots=True)
class Filters:
    q: str = ""
    region: str = ""  # a code prefix
    industry: str = ""
    level: str = ""
    min_score: float | None = None
    max_score: float | None = None
    date_from: str = ""
    date_to: str = ""
    kind: str = ""  # document kind (smoke.service.doc_kinds)
    source_kind: str = ""
    sort: str = ""
    limit: int = 20
    offset: int = 0
    format: str = ""
    notes: list[str] = field(default_factory=list)  # lenient mode: what was dropped or clamped

    def active(self) -> dict[str, Any]:
        """The filters given (for the audit log and links), without paging."""
        keys = ("q", "region", "industry", "level", "min_score", "max_score", "date_from", "date_to", "kind",
                "source_kind")
        return {k: getattr(self, k) for k in keys if getattr(self, k) not in ("", None)}


def _text(p: Mapping[str, Any], key: str, cap: int, strict: bool, notes: list[str]) -> str:
    v = str(p.get(key, "") or "").strip()
    if len(v) > cap:
        if strict:
            raise FilterError(key, f"at most {cap} characters")
        notes.append(f"{key}: cut to {cap} characters")
        v = v[:cap]
    return v


def _given(p: Mapping[str, Any], key: str, strict: bool, expected: str) -> str | None:
    """The parameter's text, or None when it is missing or blank; strict parsing refuses a
    blank one ("offset=" names no number: say so rather than ignore it)."""
    raw = p.get(key)
    if raw is None or str(raw).strip() == "":
        if strict and raw is not None:
            raise FilterError(key, expected, "")
        return None
    return str(raw)


def _number(p: Mapping[str, Any], key: str, strict: bool, notes: list[str], lo: float = 0.0,
            hi: float = 100.0) -> float | None:
    raw = _given(p, key, strict, f"a number from {lo:g} to {hi:g}")
    if raw is None:
        return None
    try:
        v = float(str(raw).strip())
    except ValueError:
        v = math.nan
    if not math.isfinite(v):
        if strict:
            raise FilterError(key, f"a number from {lo:g} to {hi:g}", raw)
        notes.append(f"{key}: not a number, ignored")
        return None
    if not lo <= v <= hi:
        if strict:
            raise FilterError(key, f"a number from {lo:g} to {hi:g}", raw)
        notes.append(f"{key}: clamped to {lo:g}-{hi:g}")
    return max(lo, min(hi, v))


def _int(p: Mapping[str, Any], key: str, default: int, hi: int, strict: bool, notes: list[str]) -> int:
    raw = _given(p, key, strict, f"an integer from 0 to {hi}")
    if raw is None:
        return default
    try:
        v = int(str(raw).strip())
    except ValueError:
        if strict:
            raise FilterError(key, f"an integer from 0 to {hi}", raw) from None
        return default
    if not 0 <= v <= hi:
        if strict:
            raise FilterError(key, f"an integer from 0 to {hi}", raw)
        v = max(0, min(hi, v))
    return v


def _date(p: Mapping[str, Any], key: str, strict: bool, notes: list[str]) -> str:
    raw = str(p.get(key, "") or "").strip()
    if not raw:
        if strict and key in p:  # "date_to=" names no date: say so rather than ignore it
            raise FilterError(key, "a date YYYY-MM-DD", "")
        return ""
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        if strict:
            raise FilterError(key, "a date YYYY-MM-DD", raw) from None
        notes.append(f"{key}: not a date, ignored")
        return ""


def _choice(value: str, key: str, choices: tuple[str, ...] | list[str], strict: bool, notes: list[str]) -> str:
    if not value or value in choices:
        return value
    if strict:
        raise FilterError(key, f"one of {', '.join(choices)}", value)
    notes.append(f"{key}: unknown value ignored")
    return ""


def parse_level(value: str) -> str | None:
    """A band by id (red) or Chinese name (红, 红色); None when unknown."""
    v = (value or "").strip()
    if v.lower() in LEVEL_IDS:
        return v.lower()
    by_zh = {zh: level for level, zh in _level_names().items()}
    return by_zh.get(v) or by_zh.get(v.removesuffix("色"))


def _level_names() -> Mapping[str, str]:
    from smoke.labels import level_names  # the band names: config/labels.yaml

    return level_names()


def parse_sort(value: str, sorts: tuple[str, ...]) -> str | None:
    v = (value or "").strip().lower()
    v = SORT_ALIASES.get(v, v)
    return v if v in sorts else None


def parse_filters(params: Mapping[str, Any], spec: FilterSpec, strict: bool) -> Filters:
    """The filters in ``params`` (query string, form or a dict from the CLI).

    strict: unknown parameters and bad values raise ``FilterError``; otherwise bad
    values are dropped or clamped and ``Filters.notes`` says which."""
    notes: list[str] = []
    given = set(params.keys())
    unknown = sorted(given - spec.allowed)
    if unknown and strict:
        raise FilterError("parameters", f"only {', '.join(sorted(spec.allowed))}",
                          f"unknown {', '.join(unknown)}")
    f = Filters(notes=notes, limit=spec.default_limit, sort=spec.default_sort, format=spec.default_format)
    allowed = spec.allowed
    if "q" in allowed:
        f.q = _text(params, "q", MAX_TEXT, strict, notes)
    if "region" in allowed:
        raw = _text(params, "region", 40, strict, notes)
        code = region_code(raw) if raw else ""
        if code is None:
            if strict:
                raise FilterError("region", REGION_HELP, raw)
            notes.append(f"region: unknown region {raw!r} ignored")
            code = ""
        f.region = code
    if "industry" in allowed:
        f.industry = _text(params, "industry", 50, strict, notes)
    if "level" in allowed:
        raw = _text(params, "level", 10, strict, notes)
        level = parse_level(raw) if raw else ""
        if level is None:
            if strict:
                raise FilterError("level", f"one of {', '.join(LEVEL_IDS)} (or {', '.join(_level_names())})", raw)
            notes.append("level: unknown band ignored")
            level = ""
        f.level = level
    if "min_score" in allowed:
        f.min_score = _number(params, "min_score", strict, notes)
    if "max_score" in allowed:
        f.max_score = _number(params, "max_score", strict, notes)
    if "date_from" in allowed:
        f.date_from = _date(params, "date_from", strict, notes)
    if "date_to" in allowed:
        f.date_to = _date(params, "date_to", strict, notes)
    if "kind" in allowed:
        f.kind = _choice(_text(params, "kind", 20, strict, notes), "kind", list(DOC_KINDS), strict, notes)
    if "source_kind" in allowed:
        f.source_kind = _choice(_text(params, "source_kind", 20, strict, notes), "source_kind", SOURCE_KINDS,
                                strict, notes)
    if "sort" in allowed and spec.sorts:
        raw = _text(params, "sort", 20, strict, notes)
        if raw:
            sort = parse_sort(raw, spec.sorts)
            if sort is None:
                if strict:
                    raise FilterError("sort", f"one of {', '.join(spec.sorts)}", raw)
                notes.append("sort: unknown order ignored")
            else:
                f.sort = sort
    if "limit" in allowed:
        f.limit = _int(params, "limit", spec.default_limit, spec.max_limit, strict, notes)
    if "offset" in allowed:
        f.offset = _int(params, "offset", 0, spec.max_offset, strict, notes)
    if "format" in allowed and spec.formats:
        raw = _text(params, "format", 10, strict, notes).lower()
        if raw:
            f.format = _choice(raw, "format", spec.formats, strict, notes) or spec.default_format
    return f
