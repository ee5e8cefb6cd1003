"""Audit-ready exports of high-risk companies: CSV (UTF-8 with BOM), XLSX, JSONL.

The XLSX workbook has two sheets: the companies (one row each, the band's colour on its
index and band cells) and the evidence (one row per quoted sentence: company, credit code,
the indicators citing it with their points, the sentence with the matched words in 【】,
date, source, and the source's address as a real hyperlink). A sentence cited by several
indicators of one company is one row. CSV and JSONL carry the companies with their quoted
sentences and dates. Headers are Chinese by default (``lang="en"``: English); regions are
named (广东省深圳市南山区), their code kept in ``region_code``.

Every export gets a manifest beside it (``<file>.manifest.json``): filters, the model,
lexicon and analyser version(s) of the scores exported (each row carries its own), data
as-of date, row count, SHA-256 of the file and when it was made.

Reproducible: rows are ordered by smoke index (desc) then credit code and carry no
timestamps, so the same data and model version give byte-identical CSV / JSONL
files (and identical XLSX cell values; the XLSX zip itself carries a write time).

Crawled text is hostile: any text cell starting with = + - @ (or a tab / CR), their
full-width forms (＝ ＋ － ＠), or an invisible format character (byte-order mark,
right-to-left mark, zero-width space, bidi controls) gets a leading apostrophe so a
spreadsheet never evaluates it as a formula.

A partial crawl is never presented as complete: ``write_export(crawl=...)`` records
the crawl's state per source in the manifest (``crawl``, ``complete``). The file is
written as ``.<name>.<pid>.part`` and renamed; parts left by killed exports (their
pid is gone) are removed by the next export into the same folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from indexing.models import CORE_DIMENSIONS, LEVEL_IDS, Score, high_risk
from indexing.store.base import Store
from smoke.evidence import cite
from smoke.labels import level_fill, level_zh, source_kind_zh
from smoke.regions import RegionError, in_regions, region_name, resolve_region

FORMATS: tuple[str, ...] = ("csv", "xlsx", "jsonl")
LANGS: tuple[str, ...] = ("zh", "en")
FILTER_KEYS: tuple[str, ...] = ("region", "industry", "level", "max_score")
TOP_INDICATORS = 5
MAX_EVIDENCE_URLS = 10
MAX_QUOTES = 5  # quoted sentences in a company's row (the evidence sheet has them all)
PER_INDICATOR = 5  # quotes read from each indicator

COLUMNS: tuple[str, ...] = (
    "rank",
    "name",
    "credit_code",
    "region",
    "region_code",
    "industry",
    "smoke_index",
    "level",
    "band",
    *CORE_DIMENSIONS,
    "network",
    "top_indicators",
    "evidence_urls",
    "evidence_quotes",
    "first_high_date",
    "score_date",
    "model_version",
    "lexicon_version",
    "analyser_version",
)
# Headers: Chinese by default; English on request (``lang="en"``): the column ids, as in JSONL.
HEADERS: dict[str, dict[str, str]] = {
    "zh": {
        "rank": "排名", "name": "企业名称", "credit_code": "统一社会信用代码", "region": "地区",
        "region_code": "地区代码", "industry": "行业", "smoke_index": "冒烟指数", "level": "等级",
        "band": "色标", "compliance": "机构合规", "complaints": "网络投诉", "yield": "收益率",
        "feature_words": "特征词", "spread": "传播力", "network": "关联网络", "top_indicators": "主要指标",
        "evidence_urls": "证据链接", "evidence_quotes": "证据摘录", "first_high_date": "首次达高风险日期",
        "score_date": "评分日期", "model_version": "模型版本", "lexicon_version": "词库版本",
        "analyser_version": "文本规则版本",
    },
    # English: the column ids themselves, so scripts read an English export by the JSONL keys
    "en": {c: c for c in COLUMNS},
}  # fmt: skip
HEADERS_ZH = HEADERS["zh"]
EVIDENCE_COLUMNS: tuple[str, ...] = (
    "rank", "name", "credit_code", "indicators", "points", "quote", "date", "source", "url",
)
EVIDENCE_HEADERS: dict[str, dict[str, str]] = {
    "zh": {"rank": "排名", "name": "企业名称", "credit_code": "统一社会信用代码", "indicators": "指标",
           "points": "指标分值", "quote": "原文摘录", "date": "日期", "source": "来源", "url": "链接"},
    "en": {c: c for c in EVIDENCE_COLUMNS},
}  # fmt: skip
SHEET_TITLES = {"zh": ("高风险企业", "证据"), "en": ("high_risk", "evidence")}
# Band names (色标), band fills and source names come from the one labels module (smoke.labels,
# config/labels.yaml): a source kind's Chinese name there (promo: 网页文本, never 推广页面: the
# promotional web holds warnings and news too); in English exports the source kind id, as in JSONL.
_WIDTHS = {"name": 36, "credit_code": 22, "region": 22, "top_indicators": 60, "evidence_urls": 60,
           "evidence_quotes": 80, "industry": 16}
_EV_WIDTHS = {"name": 36, "credit_code": 22, "indicators": 40, "quote": 80, "date": 12, "source": 12, "url": 50}


class ExportError(ValueError):
    """A bad export request (unknown format or filter); the message names the field."""


_FORMULA_START = "=+-@\t\r"


def neutralise(value: Any) -> Any:
    """Make a text cell safe for spreadsheets (no formula evaluation)."""
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    # NFKC folds the full-width ＝＋－＠ onto = + - @; category Cf holds U+FEFF, U+200E/F,
    # U+200B-D and the bidi embeddings, which a spreadsheet may drop before parsing.
    if (first in _FORMULA_START or unicodedata.normalize("NFKC", first) in _FORMULA_START
            or unicodedata.category(first) == "Cf"):
        return "'" + value
    return value


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format of an export to ``path``: ``fmt`` when given, else the file's suffix (none:
    csv). An unknown suffix is an error, never a silent CSV."""
    if fmt:
        _check(fmt, None)
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    if not suffix:
        return "csv"
    if suffix not in FORMATS:
        raise ExportError(f"format: cannot write .{suffix} files; supported formats: {', '.join(FORMATS)} "
                          f"(name the file .csv, .xlsx or .jsonl, or give --format)")
    return suffix


def _check(fmt: str, filters: dict[str, Any] | None) -> dict[str, Any]:
    if fmt not in FORMATS:
        raise ExportError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise ExportError(f"filters: unknown key(s) {', '.join(unknown)}; expected {', '.join(FILTER_KEYS)}")
    if "region" in filters:
        try:
            resolve_region(str(filters["region"]))
        except RegionError as exc:
            raise ExportError(f"filters.{exc}") from None
    if "level" in filters and filters["level"] not in LEVEL_IDS:
        raise ExportError(f"filters.level: expected one of {', '.join(LEVEL_IDS)}, got {filters['level']!r}")
    if "max_score" in filters:
        try:
            filters["max_score"] = float(filters["max_score"])
        except (TypeError, ValueError):
            raise ExportError(f"filters.max_score: expected a number, got {filters['max_score']!r}") from None
    return {k: filters[k] for k in sorted(filters)}


def _first_high_date(store: Store, score: Score, threshold: float) -> str:
    for as_of, index, version in store.score_history(score.credit_code):
        if version == score.model_version and index >= threshold:
            return as_of
    return ""


def export_rows(
    store: Store, min_score: float | None = None, filters: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The rows of an export, in their fixed order (index desc, then credit code).
    ``min_score`` None: the model's high-risk threshold (indexing.models.high_risk)."""
    filters = _check("csv", filters)
    threshold = high_risk()
    if min_score is None:
        min_score = threshold
    regions = resolve_region(str(filters["region"])) if "region" in filters else []
    scores = []
    for score in store.iter_latest_scores(min_score=min_score):
        if score.smoke_index < min_score:
            continue
        if "max_score" in filters and score.smoke_index > filters["max_score"]:
            continue
        if "level" in filters and score.level != filters["level"]:
            continue
        scores.append(score)
    scores.sort(key=lambda s: (-round(s.smoke_index, 6), s.credit_code))
    rows: list[dict[str, Any]] = []
    for score in scores:
        company = store.get_company(score.credit_code)
        region = company.region_code if company else ""
        industry = company.industry if company else ""
        if regions and not in_regions(region, regions):
            continue
        if "industry" in filters and industry != filters["industry"]:
            continue
        top = sorted(score.indicators, key=lambda i: (-i.points, i.id))[:TOP_INDICATORS]
        urls: list[str] = []
        for ind in top:
            for ev in ind.evidence:
                if ev.url and ev.url not in urls and len(urls) < MAX_EVIDENCE_URLS:
                    urls.append(ev.url)
        cited = cite(score.indicators, per_indicator=PER_INDICATOR)
        evidence = [
            {"indicators": [{"id": i["id"], "label": i["label"], "points": i["points"]} for i in c.indicators],
             "points": c.points, "snippet": c.snippet, "marks": c.marks, "quote": c.text, "date": c.date,
             "source_kind": c.source_kind, "url": c.url}
            for c in cited
        ]
        rows.append(
            {
                "rank": len(rows) + 1,
                "name": company.name if company else "",
                "credit_code": score.credit_code,
                "region": region_name(region) if region else "",
                "region_code": region,
                "industry": industry,
                "smoke_index": round(score.smoke_index, 1),
                "level": score.level,
                "band": level_zh(score.level) if score.level in LEVEL_IDS else "",
                **{d: round(float(score.dimensions.get(d, 0.0)), 1) for d in CORE_DIMENSIONS},
                "network": round(float(score.dimensions.get("network", 0.0)), 1),
                "top_indicators": [
                    {"id": i.id, "label": i.label or i.id, "points": round(i.points, 1)} for i in top
                ],
                "evidence_urls": urls,
                "evidence_quotes": [_quote_line(e) for e in evidence[:MAX_QUOTES]],
                "evidence": evidence,
                "first_high_date": _first_high_date(store, score, threshold),
                "score_date": score.as_of,
                "model_version": score.model_version,
                "lexicon_version": score.versions.get("lexicon", ""),
                "analyser_version": score.versions.get("analyser", ""),
            }
        )
    return rows


def _quote_line(e: dict[str, Any]) -> str:
    """One quoted sentence as a line of text: date, the sentence with 【】 marks, its address."""
    return " ".join(p for p in (e["date"], f"「{e['quote']}」", e["url"]) if p)


def _flat(row: dict[str, Any]) -> list[Any]:
    out = []
    for col in COLUMNS:
        v = row[col]
        if col == "top_indicators":
            v = "; ".join(f"{i['label']} ({i['points']:g})" for i in v)
        elif col == "evidence_urls":
            v = " ".join(v)
        elif col == "evidence_quotes":
            v = "\n".join(v)
        out.append(neutralise(v))
    return out


def _indicators_cell(e: dict[str, Any]) -> str:
    return "；".join(f"{i['label']}（{i['points']:g}）" for i in e["indicators"])


def _source_name(kind: str, lang: str) -> str:
    return source_kind_zh(kind) if lang == "zh" else kind


def evidence_rows(rows: list[dict[str, Any]], lang: str = "zh") -> list[dict[str, Any]]:
    """The evidence sheet's rows: one per quoted sentence of each company (companies in export order)."""
    out = []
    for row in rows:
        for e in row["evidence"]:
            out.append({"rank": row["rank"], "name": row["name"], "credit_code": row["credit_code"],
                        "indicators": _indicators_cell(e), "points": e["points"], "quote": e["quote"],
                        "date": e["date"], "source": _source_name(e["source_kind"], lang), "url": e["url"]})
    return out


def _write_csv(rows: list[dict[str, Any]], path: Path, lang: str = "zh") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([HEADERS[lang][c] for c in COLUMNS])
    for row in rows:
        writer.writerow(_flat(row))
    # utf-8-sig: the BOM makes Excel read the file as UTF-8 (Chinese names intact)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def _write_jsonl(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def _safe_link(url: str) -> str:
    """A hyperlink target only for web addresses: a crawled javascript: or file: link stays text."""
    return url if url.lower().startswith(("http://", "https://")) and len(url) <= 2000 else ""


def _write_xlsx(rows: list[dict[str, Any]], path: Path, as_of: str, lang: str = "zh") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDE3EA")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLES[lang][0]
    ws.append([HEADERS[lang][c] for c in COLUMNS])
    for cell in ws[1]:
        cell.font, cell.fill = head_font, head_fill
    banded = [COLUMNS.index(c) + 1 for c in ("smoke_index", "level", "band")]
    wrap = Alignment(wrap_text=True, vertical="top")
    quotes_col = COLUMNS.index("evidence_quotes") + 1
    for row in rows:
        ws.append(_flat(row))
        fill = level_fill(row["level"])
        if fill:
            for col in banded:
                ws.cell(ws.max_row, col).fill = PatternFill("solid", fgColor=fill)
        ws.cell(ws.max_row, quotes_col).alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(rows) + 1)}"
    for i, col in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(col, max(10, 2 * len(HEADERS[lang][col]) + 2))

    ev = wb.create_sheet(SHEET_TITLES[lang][1])
    heads = EVIDENCE_HEADERS[lang]
    ev.append([heads[c] for c in EVIDENCE_COLUMNS])
    for cell in ev[1]:
        cell.font, cell.fill = head_font, head_fill
    url_col = EVIDENCE_COLUMNS.index("url") + 1
    quote_col = EVIDENCE_COLUMNS.index("quote") + 1
    ev_rows = evidence_rows(rows, lang)
    for r in ev_rows:
        ev.append([neutralise(r[c]) for c in EVIDENCE_COLUMNS])
        ev.cell(ev.max_row, quote_col).alignment = wrap
        link = _safe_link(r["url"])
        if link:
            cell = ev.cell(ev.max_row, url_col)
            cell.hyperlink = link
            cell.style = "Hyperlink"
    ev.freeze_panes = "A2"
    ev.auto_filter.ref = f"A1:{get_column_letter(len(EVIDENCE_COLUMNS))}{max(1, len(ev_rows) + 1)}"
    for i, col in enumerate(EVIDENCE_COLUMNS, start=1):
        ev.column_dimensions[get_column_letter(i)].width = _EV_WIDTHS.get(col, 10)
    # Fixed document dates: the workbook's properties do not change between identical exports.
    try:
        fixed = datetime.fromisoformat(as_of[:10]) if as_of else datetime(2000, 1, 1)
    except ValueError:
        fixed = datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "smokewatch"
    wb.save(path)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def write_export(
    store: Store,
    path: Path,
    fmt: str = "csv",
    min_score: float | None = None,
    filters: dict | None = None,
    as_of: str | None = None,
    crawl: dict | None = None,
    lang: str = "zh",
) -> dict:
    """Write the export to ``path`` and its manifest to ``<path>.manifest.json``; return the manifest.

    ``min_score``: the lowest smoke index exported; None: the model's high-risk threshold.
    ``filters``: region (code prefix or name, smoke.regions.resolve_region), industry, level,
    max_score. ``lang``: zh (default) or en, the language of headers, sheet names and sources. ``as_of``: the data
    as-of date recorded in the manifest (default: the newest score date exported).
    ``crawl``: the state of the crawl behind the data (smoke.runstate.crawl_state),
    recorded in the manifest with ``complete`` (false when any source is not complete).
    """
    filters = _check(fmt, filters)
    if lang not in LANGS:
        raise ExportError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    try:
        min_score = high_risk() if min_score is None else float(min_score)
    except (TypeError, ValueError):
        raise ExportError(f"min_score: expected a number, got {min_score!r}") from None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = export_rows(store, min_score=min_score, filters=filters)
    data_as_of = as_of or max((r["score_date"] for r in rows), default="")
    remove_dead_parts(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        if fmt == "csv":
            _write_csv(rows, tmp, lang)
        elif fmt == "jsonl":
            _write_jsonl(rows, tmp)
        else:
            _write_xlsx(rows, tmp, data_as_of, lang)
        tmp.replace(path)  # readers never see a half-written export
    finally:
        tmp.unlink(missing_ok=True)
    manifest = {
        "file": path.name,
        "format": fmt,
        "min_score": min_score,
        "filters": filters,
        **({"region_codes": resolve_region(str(filters["region"]))} if "region" in filters else {}),
        "lang": lang,
        "model_versions": sorted({r["model_version"] for r in rows}),
        "lexicon_versions": sorted({r["lexicon_version"] for r in rows}),
        "analyser_versions": sorted({r["analyser_version"] for r in rows}),
        "as_of": data_as_of,
        "row_count": len(rows),
        "columns": list(COLUMNS),
        **({"sheets": list(SHEET_TITLES[lang]), "evidence_rows": sum(len(r["evidence"]) for r in rows)}
           if fmt == "xlsx" else {}),
        "sha256": sha256_file(path),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if crawl is not None:
        manifest["crawl"] = crawl
        manifest["complete"] = bool(crawl.get("complete"))
    manifest_path(path).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def remove_dead_parts(folder: Path) -> list[Path]:
    """Delete ``.*.<pid>.part`` files in ``folder`` whose writing process is gone (a
    killed export); return them."""
    from smoke.locking import pid_alive

    gone = []
    for part in folder.glob(".*.part"):
        pid = part.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not pid_alive(int(pid)):
            part.unlink(missing_ok=True)
            gone.append(part)
    return gone


def media_type(fmt: str) -> str:
    return {
        "csv": "text/csv; charset=utf-8",
        "jsonl": "application/x-ndjson; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
