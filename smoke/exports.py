"""Audit-ready exports of high-risk companies: CSV (UTF-8 with BOM), XLSX, JSONL.

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

from indexing.models import CORE_DIMENSIONS, HIGH_RISK, Score
from indexing.store.base import Store
from smoke.labels import level_names

FORMATS: tuple[str, ...] = ("csv", "xlsx", "jsonl")
FILTER_KEYS: tuple[str, ...] = ("region", "industry", "level", "max_score")
BAND_ZH = level_names()  # one place: smoke.labels
TOP_INDICATORS = 5
MAX_EVIDENCE_URLS = 10

COLUMNS: tuple[str, ...] = (
    "rank",
    "name",
    "credit_code",
    "region",
    "industry",
    "smoke_index",
    "level",
    "band",
    *CORE_DIMENSIONS,
    "network",
    "top_indicators",
    "evidence_urls",
    "first_high_date",
    "score_date",
    "model_version",
    "lexicon_version",
    "analyser_version",
)
# Header shown in spreadsheets (Chinese first, id second so scripts can still read it).
HEADERS_ZH = {
    "rank": "排名 rank",
    "name": "企业名称 name",
    "credit_code": "统一社会信用代码 credit_code",
    "region": "地区 region",
    "industry": "行业 industry",
    "smoke_index": "冒烟指数 smoke_index",
    "level": "等级 level",
    "band": "色标 band",
    "compliance": "机构合规 compliance",
    "complaints": "网络投诉 complaints",
    "yield": "收益率 yield",
    "feature_words": "特征词 feature_words",
    "spread": "传播力 spread",
    "network": "关联网络 network",
    "top_indicators": "主要指标 top_indicators",
    "evidence_urls": "证据链接 evidence_urls",
    "first_high_date": "首次≥60日期 first_high_date",
    "score_date": "评分日期 score_date",
    "model_version": "模型版本 model_version",
    "lexicon_version": "词库版本 lexicon_version",
    "analyser_version": "文本规则版本 analyser_version",
}
_WIDTHS = {"name": 36, "credit_code": 22, "top_indicators": 60, "evidence_urls": 60, "industry": 16}


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


def _check(fmt: str, filters: dict[str, Any] | None) -> dict[str, Any]:
    if fmt not in FORMATS:
        raise ExportError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise ExportError(f"filters: unknown key(s) {', '.join(unknown)}; expected {', '.join(FILTER_KEYS)}")
    if "level" in filters and filters["level"] not in BAND_ZH:
        raise ExportError(f"filters.level: expected one of {', '.join(BAND_ZH)}, got {filters['level']!r}")
    if "max_score" in filters:
        try:
            filters["max_score"] = float(filters["max_score"])
        except (TypeError, ValueError):
            raise ExportError(f"filters.max_score: expected a number, got {filters['max_score']!r}") from None
    return {k: filters[k] for k in sorted(filters)}


def _first_high_date(store: Store, score: Score) -> str:
    for as_of, index, version in store.score_history(score.credit_code):
        if version == score.model_version and index >= HIGH_RISK:
            return as_of
    return ""


def export_rows(
    store: Store, min_score: float = HIGH_RISK, filters: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The rows of an export, in their fixed order (index desc, then credit code)."""
    filters = _check("csv", filters)
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
        if "region" in filters and not region.startswith(str(filters["region"])):
            continue
        if "industry" in filters and industry != filters["industry"]:
            continue
        top = sorted(score.indicators, key=lambda i: (-i.points, i.id))[:TOP_INDICATORS]
        urls: list[str] = []
        for ind in top:
            for ev in ind.evidence:
                if ev.url and ev.url not in urls and len(urls) < MAX_EVIDENCE_URLS:
                    urls.append(ev.url)
        rows.append(
            {
                "rank": len(rows) + 1,
                "name": company.name if company else "",
                "credit_code": score.credit_code,
                "region": region,
                "industry": industry,
                "smoke_index": round(score.smoke_index, 1),
                "level": score.level,
                "band": BAND_ZH.get(score.level, ""),
                **{d: round(float(score.dimensions.get(d, 0.0)), 1) for d in CORE_DIMENSIONS},
                "network": round(float(score.dimensions.get("network", 0.0)), 1),
                "top_indicators": [
                    {"id": i.id, "label": i.label or i.id, "points": round(i.points, 1)} for i in top
                ],
                "evidence_urls": urls,
                "first_high_date": _first_high_date(store, score),
                "score_date": score.as_of,
                "model_version": score.model_version,
                "lexicon_version": score.versions.get("lexicon", ""),
                "analyser_version": score.versions.get("analyser", ""),
            }
        )
    return rows


def _flat(row: dict[str, Any]) -> list[Any]:
    out = []
    for col in COLUMNS:
        v = row[col]
        if col == "top_indicators":
            v = "; ".join(f"{i['label']} ({i['points']:g})" for i in v)
        elif col == "evidence_urls":
            v = " ".join(v)
        out.append(neutralise(v))
    return out


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)  # plain ids: the contract columns scripts rely on
    for row in rows:
        writer.writerow(_flat(row))
    # utf-8-sig: the BOM makes Excel read the file as UTF-8 (Chinese names intact)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def _write_jsonl(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def _write_xlsx(rows: list[dict[str, Any]], path: Path, as_of: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "high_risk"
    ws.append([HEADERS_ZH[c] for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
    for row in rows:
        ws.append(_flat(row))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(rows) + 1)}"
    for i, col in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(col, max(10, len(HEADERS_ZH[col]) + 2))
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
    min_score: float = 60,
    filters: dict | None = None,
    as_of: str | None = None,
    crawl: dict | None = None,
) -> dict:
    """Write the export to ``path`` and its manifest to ``<path>.manifest.json``; return the manifest.

    ``filters``: region (code prefix), industry, level, max_score. ``as_of``: the data
    as-of date recorded in the manifest (default: the newest score date exported).
    ``crawl``: the state of the crawl behind the data (smoke.runstate.crawl_state),
    recorded in the manifest with ``complete`` (false when any source is not complete).
    """
    filters = _check(fmt, filters)
    try:
        min_score = float(min_score)
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
            _write_csv(rows, tmp)
        elif fmt == "jsonl":
            _write_jsonl(rows, tmp)
        else:
            _write_xlsx(rows, tmp, data_as_of)
        tmp.replace(path)  # readers never see a half-written export
    finally:
        tmp.unlink(missing_ok=True)
    manifest = {
        "file": path.name,
        "format": fmt,
        "min_score": min_score,
        "filters": filters,
        "model_versions": sorted({r["model_version"] for r in rows}),
        "lexicon_versions": sorted({r["lexicon_version"] for r in rows}),
        "analyser_versions": sorted({r["analyser_version"] for r in rows}),
        "as_of": data_as_of,
        "row_count": len(rows),
        "columns": list(COLUMNS),
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
