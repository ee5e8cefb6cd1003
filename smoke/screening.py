"""Batch screening (企查查 批量查询, yente ``/match``): a CSV or XLSX list of company names
and/or credit codes in, one row per input row out, as an XLSX workbook.

Each row gets a match and a confidence, never a guess:

* ``exact_code``: the credit code is a stored company (confidence 1.0);
* ``exact_name``: no code (or an unknown one), and the one company lookup
  (smoke.service.companies.lookup_company, the CLI's, pages' and API's) finds exactly one
  company by that name, former name or alias (0.95);
* ``ambiguous``: the lookup answers "ambiguous": several companies have that name; they are
  all listed as candidates, none is chosen;
* ``candidates``: the lookup finds no exact name; its suggestions (the company search's best
  hits) are listed for a person to check, none is chosen;
* ``not_found``: nothing; ``invalid``: an empty row.

Reads are batched: one ``get_companies`` for every code of the file and one
``latest_scores`` for every matched or candidate company. Names are looked up once per
distinct name (``lookup_company`` with suggestions). Codes are folded as the lookup folds
them (``fold_code``: full-width, spaces, case).
"""

from __future__ import annotations

import csv
import io
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from indexing.creditcode import is_valid
from indexing.models import Company, Score
from indexing.normalize import normalize_name
from indexing.store.base import Store
from smoke.labels import level_fill, level_names, level_zh
from smoke.service.companies import fold_code, lookup_company

TZ = ZoneInfo("Asia/Shanghai")
MAX_ROWS = 10_000
MAX_BYTES = 20 * 1024 * 1024
MAX_CELL = 200
MAX_CANDIDATES = 5
TOP_REASONS = 3
STATUS_ZH = {
    "exact_code": "信用代码精确匹配",
    "exact_name": "名称精确匹配",
    "ambiguous": "同名多家，需人工确认",
    "candidates": "疑似匹配，需人工确认",
    "not_found": "未找到",
    "invalid": "空行",
}
CONFIDENCE = {"exact_code": 1.0, "exact_name": 0.95, "ambiguous": 0.0, "candidates": 0.0, "not_found": 0.0, "invalid": 0.0}
NAME_HEADERS = ("企业名称", "公司名称", "单位名称", "名称", "企业", "公司", "name", "company", "company_name")
CODE_HEADERS = ("统一社会信用代码", "社会信用代码", "信用代码", "credit_code", "code", "uscc", "代码")
_CODE = re.compile(r"^[0-9A-Z]{18}$")


class ScreeningError(ValueError):
    """A screening file that cannot be read: the message names the file, the row or column,
    and what was expected."""


@dataclass(slots=True)
class InputRow:
    row_no: int  # row in the uploaded sheet (1 = first line of the file)
    name: str = ""
    code: str = ""


@dataclass(slots=True)
class Candidate:
    credit_code: str
    name: str
    smoke_index: float | None = None
    level: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"credit_code": self.credit_code, "name": self.name, "smoke_index": self.smoke_index, "level": self.level}


@dataclass(slots=True)
class ScreenRow:
    input: InputRow
    status: str
    company: Company | None = None
    score: Score | None = None
    candidates: list[Candidate] = field(default_factory=list)
    note: str = ""

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.status]

    def reasons(self) -> list[str]:
        if self.score is None:
            return []
        top = sorted((i for i in self.score.indicators if i.points > 0), key=lambda i: (-i.points, i.id))
        return [f"{i.label or i.id}（{i.points:.1f} 分）" for i in top[:TOP_REASONS]]


@dataclass(slots=True)
class Screening:
    source: str
    rows: list[ScreenRow]
    seconds: float = 0.0
    created: str = ""

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_ZH, 0)
        for r in self.rows:
            out[r.status] += 1
        return out


# --- reading the file ----------------------------------------------------------------


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()[:MAX_CELL]


def _decode(data: bytes, source: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ScreeningError(f"{source}: expected a UTF-8 or GBK encoded CSV file")


def _table(data: bytes, source: str) -> list[list[str]]:
    if len(data) > MAX_BYTES:
        raise ScreeningError(f"{source}: {len(data)} bytes; at most {MAX_BYTES // (1024 * 1024)} MB per file")
    if data[:4] == b"PK\x03\x04":  # a zip: XLSX
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ScreeningError(f"{source}: not a readable XLSX workbook ({type(exc).__name__})") from None
        try:
            ws = wb.worksheets[0]
            rows = []
            for values in ws.iter_rows(values_only=True, max_col=20):  # a sheet 16,384 columns wide reads 20
                rows.append([_cell(v) for v in values[:20]])
                if len(rows) > MAX_ROWS + 1:
                    break
            return rows
        finally:
            wb.close()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ScreeningError(f"{source}: an old Excel .xls file; expected CSV or XLSX (save it as .xlsx)")
    text = _decode(data, source)
    if "\x00" in text:
        raise ScreeningError(f"{source}: expected a CSV or XLSX file, got binary data")
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";", "，"), key=first.count) if any(d in first for d in ",\t;，") else ","
    rows = []
    try:
        for values in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append([_cell(v) for v in values[:20]])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise ScreeningError(f"{source}: row {len(rows) + 1}: not valid CSV ({exc})") from None
    return rows


def _header_columns(header: list[str]) -> tuple[int | None, int | None]:
    low = [h.strip().lower() for h in header]
    name_col = next((i for i, h in enumerate(low) if h in NAME_HEADERS), None)
    code_col = next((i for i, h in enumerate(low) if h in CODE_HEADERS), None)
    return name_col, code_col


def looks_like_code(text: str) -> bool:
    return bool(_CODE.match(fold_code(text)))


def read_rows(data: bytes, source: str = "file") -> list[InputRow]:
    """The rows of a screening file. A header row naming the columns (企业名称 / name,
    统一社会信用代码 / credit_code) is used when present; without one, a cell that looks like
    an 18-character credit code is the code and the first other cell is the name."""
    table = _table(data, source)
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise ScreeningError(f"{source}: empty; expected one company per row (a name and/or a credit code)")
    name_col, code_col = _header_columns(table[0])
    has_header = name_col is not None or code_col is not None
    body = table[1:] if has_header else table
    start = 2 if has_header else 1
    if len(body) > MAX_ROWS:
        raise ScreeningError(f"{source}: more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} companies per "
                             "screening (split the file)")
    rows = []
    for i, values in enumerate(body):
        row = InputRow(row_no=start + i)
        if has_header:
            row.name = values[name_col] if name_col is not None and name_col < len(values) else ""
            row.code = values[code_col] if code_col is not None and code_col < len(values) else ""
        else:
            for v in values:
                if not v:
                    continue
                if not row.code and looks_like_code(v):
                    row.code = v
                elif not row.name:
                    row.name = v
        rows.append(row)
    return rows


# --- matching --------------------------------------------------------------------------


def _name_matches(store: Store, name: str, cache: dict[str, tuple[str, list[Company]]]) -> tuple[str, list[Company]]:
    """(status, companies) for a name, by the one company lookup: exact_name (found),
    ambiguous with the same-name companies, candidates with its suggestions, or not_found.
    One lookup per distinct name."""
    key = normalize_name(name)
    if key in cache:
        return cache[key]
    hit = lookup_company(store, name, suggest=MAX_CANDIDATES)
    found: tuple[str, list[Company]]
    if hit.status == "found" and hit.company is not None:
        found = ("exact_name", [hit.company])
    elif hit.status == "ambiguous":
        found = ("ambiguous", hit.candidates[: MAX_CANDIDATES * 4])
    elif hit.candidates:
        found = ("candidates", hit.candidates[:MAX_CANDIDATES])
    else:
        found = ("not_found", [])
    cache[key] = found
    return found


def screen(store: Store, rows: list[InputRow], source: str = "file") -> Screening:
    """Match every row (see the module docstring)."""
    t0 = time.perf_counter()
    codes = {r.row_no: fold_code(r.code) for r in rows if r.code}
    by_code = store.get_companies(codes.values())
    cache: dict[str, tuple[str, list[Company]]] = {}
    out: list[ScreenRow] = []
    for r in rows:
        code = codes.get(r.row_no, "")
        if not code and not r.name:
            out.append(ScreenRow(r, "invalid", note="既无名称也无信用代码"))
            continue
        note = ""
        if code:
            company = by_code.get(code)
            if company is not None:
                if r.name and normalize_name(r.name) not in {normalize_name(n) for n in
                                                             [company.name, *company.former_names, *company.aliases]}:
                    note = f"输入名称与登记名称不一致（登记为 {company.name}）"
                out.append(ScreenRow(r, "exact_code", company=company, note=note))
                continue
            note = "信用代码未收录" if is_valid(code) else "信用代码格式或校验位不正确（应为 18 位统一社会信用代码）"
            if not r.name:
                out.append(ScreenRow(r, "not_found", note=note))
                continue
        status, companies = _name_matches(store, r.name, cache)
        if status == "exact_name":
            out.append(ScreenRow(r, status, company=companies[0], note=note))
        else:
            out.append(ScreenRow(r, status, candidates=[Candidate(c.credit_code, c.name) for c in companies], note=note))
    wanted = {row.company.credit_code for row in out if row.company}
    wanted |= {c.credit_code for row in out for c in row.candidates}
    scores = store.latest_scores(wanted)
    for row in out:
        if row.company:
            row.score = scores.get(row.company.credit_code)
        for c in row.candidates:
            s = scores.get(c.credit_code)
            if s is not None:
                c.smoke_index, c.level = round(s.smoke_index, 1), s.level
    return Screening(source=source, rows=out, seconds=time.perf_counter() - t0,
                     created=datetime.now(TZ).isoformat(timespec="seconds"))


# --- the workbook --------------------------------------------------------------------

COLUMNS = ("行号", "输入名称", "输入信用代码", "匹配结果", "置信度", "统一社会信用代码", "企业名称", "冒烟指数",
           "风险等级", "主要原因", "候选企业（未选定，需人工确认）", "说明")
WIDTHS = (6, 28, 22, 20, 8, 22, 30, 10, 10, 50, 60, 30)


def _candidate_text(c: Candidate) -> str:
    idx = "未评分" if c.smoke_index is None else f"{c.smoke_index:.1f} {level_zh(c.level) if c.level else ''}".rstrip()
    return f"{c.name}（{c.credit_code}，{idx}）"


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters a worksheet cannot hold


def _safe(value: Any) -> Any:
    """A cell value: control characters dropped (uploads and crawled names may carry them),
    never a formula (``smoke.exports.neutralise``)."""
    from smoke.exports import neutralise

    return neutralise(_ILLEGAL.sub("", value)) if isinstance(value, str) else value


def write_workbook(result: Screening, out: Path | io.BytesIO) -> None:
    """The screening as an XLSX workbook: 筛查结果 (one row per input row) and 说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "筛查结果"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
    fills = {lv: PatternFill("solid", fgColor=level_fill(lv)) for lv in level_names()}
    for r in result.rows:
        s = r.score
        values = [
            r.input.row_no, r.input.name, r.input.code, STATUS_ZH[r.status], r.confidence,
            r.company.credit_code if r.company else "", r.company.name if r.company else "",
            round(s.smoke_index, 1) if s else None, level_zh(s.level) if s and s.level in fills else "",
            "；".join(r.reasons()), "；".join(_candidate_text(c) for c in r.candidates), r.note,
        ]
        ws.append([_safe(v) for v in values])
        if s and s.level in fills:
            ws.cell(row=ws.max_row, column=9).fill = fills[s.level]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(result.rows) + 1)}"
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    info = wb.create_sheet("说明")
    counts = result.counts()
    models = sorted({r.score.model_version for r in result.rows if r.score and r.score.model_version})
    lines: list[tuple[str, Any]] = [
        ("文件", result.source), ("生成时间（北京时间）", result.created), ("行数", len(result.rows)),
        *((f"{STATUS_ZH[k]}", v) for k, v in counts.items()),
        ("模型版本", "、".join(models) or "—"),
        ("说明", "“同名多家”和“疑似匹配”只列出候选企业，系统不替您选择；请人工核对信用代码。"),
    ]
    for k, v in lines:
        info.append([k, _safe(v)])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 60
    wb.properties.creator = "smokewatch"
    wb.save(out)


def screen_file(store: Store, data: bytes, source: str) -> tuple[Screening, bytes]:
    """Read, match and write: (the screening, the workbook's bytes)."""
    result = screen(store, read_rows(data, source), source)
    buf = io.BytesIO()
    write_workbook(result, buf)
    return result, buf.getvalue()
