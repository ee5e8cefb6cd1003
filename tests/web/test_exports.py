"""Exports: formats, manifest, determinism, formula injection, filters."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from openpyxl import load_workbook

from indexing.models import Company, Score
from indexing.store.sqlite import SQLiteStore
from smoke.exports import (
    COLUMNS,
    HEADERS,
    ExportError,
    export_rows,
    format_for,
    neutralise,
    write_export,
)
from smoke.labels import level_fill


def test_csv_bom_manifest_and_columns(store_factory, tmp_path):
    path = tmp_path / "high.csv"
    m = write_export(store_factory(), path, "csv", 60)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert m["sha256"] == hashlib.sha256(raw).hexdigest()
    on_disk = json.loads((tmp_path / "high.csv.manifest.json").read_text(encoding="utf-8"))
    assert on_disk == m
    assert m["model_versions"] == ["test-1.0"] and m["as_of"] and m["filters"] == {} and m["generated"]
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("排名,企业名称,统一社会信用代码,地区,地区代码")  # Chinese headers
    zh = list(csv.DictReader(io.StringIO(text)))
    rows = [{c: r[HEADERS["zh"][c]] for c in COLUMNS} for r in zh]
    assert len(rows) == m["row_count"] == 4
    idx = [float(r["smoke_index"]) for r in rows]
    assert idx == sorted(idx, reverse=True) and min(idx) >= 60
    assert rows[0]["band"] == "红" and rows[0]["rank"] == "1"
    assert rows[0]["first_high_date"]
    # region names, the code kept beside; quoted sentences with marks and dates
    assert rows[0]["region"] == "上海市浦东新区" and rows[0]["region_code"] == "310115"
    assert all(not r["region"].isdigit() for r in rows)
    assert "「月息8%，保本保息，推荐一人奖励500元」" in rows[0]["evidence_quotes"]
    assert rows[0]["evidence_quotes"][:4].isdigit()  # each quote starts with its date


def test_csv_english_headers_on_request(store_factory, tmp_path):
    m = write_export(store_factory(), tmp_path / "en.csv", "csv", 60, lang="en")
    head = (tmp_path / "en.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert head.split(",") == list(COLUMNS) and m["lang"] == "en"  # English: the column ids scripts use
    with pytest.raises(ExportError, match="lang"):
        write_export(store_factory(), tmp_path / "fr.csv", "csv", 60, lang="fr")


def test_reexport_is_identical(store_factory, tmp_path):
    for fmt in ("csv", "jsonl"):
        a = write_export(store_factory(), tmp_path / f"a.{fmt}", fmt, 60)
        b = write_export(store_factory(), tmp_path / f"b.{fmt}", fmt, 60)
        assert a["sha256"] == b["sha256"]
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()
    xa = write_export(store_factory(), tmp_path / "a.xlsx", "xlsx", 60)
    xb = write_export(store_factory(), tmp_path / "b.xlsx", "xlsx", 60)
    vals = [list(load_workbook(tmp_path / f"{n}.xlsx").active.values) for n in "ab"]
    assert vals[0] == vals[1] and xa["row_count"] == xb["row_count"]


def test_xlsx_frozen_header_filter_widths(store_factory, tmp_path):
    path = tmp_path / "high.xlsx"
    m = write_export(store_factory(), path, "xlsx", 60)
    assert m["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    ws = load_workbook(path).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["B"].width >= 30
    assert ws["B1"].value == "企业名称" and ws.max_row == m["row_count"] + 1
    assert ws.title == "高风险企业" and m["sheets"] == ["高风险企业", "证据"]


def test_xlsx_evidence_sheet_hyperlinks_and_band_fills(store_factory, tmp_path):
    path = tmp_path / "ev.xlsx"
    m = write_export(store_factory(), path, "xlsx", 60)
    wb = load_workbook(path)
    main, ev = wb["高风险企业"], wb["证据"]
    heads = [c.value for c in main[1]]
    # band colours: the fill of the band cell is the band's colour
    band_col = heads.index("色标") + 1
    level_col = heads.index("等级") + 1
    for r in range(2, main.max_row + 1):
        level = main.cell(r, level_col).value
        assert main.cell(r, band_col).fill.fgColor.rgb.endswith(level_fill(level)), level
    assert level_fill("red") != level_fill("orange")
    assert [c.value for c in ev[1]] == ["排名", "企业名称", "统一社会信用代码", "指标", "指标分值", "原文摘录", "日期", "来源", "链接"]
    rows = list(ev.iter_rows(min_row=2))
    assert len(rows) == m["evidence_rows"] > 0
    first = rows[0]
    # one sentence cited by two indicators of one company is one row, naming both
    codes = [r[2].value for r in rows]
    assert len(codes) == len(set(codes))  # the world cites one sentence per company
    assert "承诺年化收益率" in first[3].value and "拉人头特征词" in first[3].value
    assert first[5].value == "月息8%，保本保息，推荐一人奖励500元" or "【" in first[5].value
    # the source kind's name from config/labels.yaml: the promotional web is 网页文本, never
    # 推广页面 (a warning found there is no promotion)
    assert first[6].value and first[7].value == "网页文本"
    assert first[8].hyperlink is not None and first[8].hyperlink.target == first[8].value.lstrip("'")
    assert first[8].value.startswith("https://")
    # a crawled javascript: address is never a hyperlink
    for r in rows:
        if "javascript" in str(r[8].value):
            assert r[8].hyperlink is None
    assert m["model_versions"] and m["lexicon_versions"] is not None and m["analyser_versions"] is not None


def test_xlsx_english(store_factory, tmp_path):
    write_export(store_factory(), tmp_path / "en.xlsx", "xlsx", 60, lang="en")
    wb = load_workbook(tmp_path / "en.xlsx")
    assert wb.sheetnames == ["high_risk", "evidence"]
    assert wb["evidence"]["F1"].value == "quote" and wb["high_risk"]["B1"].value == "name"


def test_jsonl_rows(store_factory, tmp_path):
    path = tmp_path / "high.jsonl"
    write_export(store_factory(), path, "jsonl", 80)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["level"] for r in rows] == ["red", "red"]
    assert set(COLUMNS) <= set(rows[0]) and rows[0]["evidence_urls"]
    assert rows[0]["top_indicators"][0]["points"] >= rows[0]["top_indicators"][-1]["points"]


def test_filters(store_factory, tmp_path):
    m = write_export(store_factory(), tmp_path / "gd.csv", "csv", 0, {"region": "44"})
    assert m["row_count"] == 2 and m["filters"] == {"region": "44"}
    rows = export_rows(store_factory(), 0, {"level": "yellow"})
    assert [r["level"] for r in rows] == ["yellow"]
    with pytest.raises(ExportError, match="format"):
        write_export(store_factory(), tmp_path / "x.pdf", "pdf")


def test_region_names_resolve_to_codes(store_factory, tmp_path):
    by_code = export_rows(store_factory(), 0, {"region": "44"})
    assert by_code and all(r["region_code"].startswith("44") for r in by_code)
    for name in ("广东", "广东省"):
        m = write_export(store_factory(), tmp_path / "gd.csv", "csv", 0, {"region": name})
        assert m["row_count"] == len(by_code) and m["region_codes"] == ["44"]
    with pytest.raises(ExportError, match="filters.region: unknown region '火星'"):
        write_export(store_factory(), tmp_path / "x.csv", "csv", 0, {"region": "火星"})


def test_unknown_suffix_is_an_error_not_a_csv(store_factory, tmp_path):
    with pytest.raises(ExportError, match="cannot write .pdf files; supported formats: csv, xlsx, jsonl"):
        format_for(tmp_path / "x.pdf")
    assert format_for(tmp_path / "x.XLSX") == "xlsx" and format_for(tmp_path / "x") == "csv"
    assert format_for(tmp_path / "x.pdf", "csv") == "csv"  # an explicit format wins
    with pytest.raises(ExportError, match="filters: unknown"):
        write_export(store_factory(), tmp_path / "x.csv", "csv", filters={"colour": "red"})


def test_formula_injection_neutralised(tmp_path):
    s = SQLiteStore(tmp_path / "inj.db")
    s.upsert_companies([Company("91440300000000099X", "=HYPERLINK(\"http://evil\",\"x\")", industry="+cmd", region_code="440300")])
    s.save_scores([Score("91440300000000099X", "2026-01-01", 70.0, "orange", {}, [], "m1")])
    write_export(s, tmp_path / "f.csv", "csv")
    text = (tmp_path / "f.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+cmd" in text
    write_export(s, tmp_path / "f.xlsx", "xlsx")
    ws = load_workbook(tmp_path / "f.xlsx").active
    assert ws["B2"].value.startswith("'=") and ws["B2"].data_type == "s"
    assert neutralise("-1+2") == "'-1+2" and neutralise(-3) == -3 and neutralise("@x") == "'@x"


def test_evidence_sheet_neutralises_hostile_quotes_and_links(tmp_path):
    from indexing.models import Evidence, IndicatorResult

    s = SQLiteStore(tmp_path / "ev.db")
    s.upsert_companies([Company("91440300000000098X", "某公司", region_code="440305")])
    evs = [Evidence(url="javascript:alert(1)", snippet="=cmd|' /C calc'!A0 保本保息", date="2026-01-01",
                    doc_id="a", source_kind="promo", marks=[[19, 23]]),
           Evidence(url="https://ok.example/p?q=1", snippet="<script>x</script>年化36%", date="2026-01-02",
                    doc_id="b", source_kind="promo", marks=[[18, 23]])]
    inds = [IndicatorResult("yield.guarantee", "yield", 1.0, 40.0, 0, "保本承诺", evs),
            IndicatorResult("feature_words.guarantees", "feature_words", 1.0, 30.0, 0, "保本用语", evs[:1]),
            IndicatorResult("spread.domains", "spread", 0.0, 0.0, 0, "域名数", [Evidence("https://z.example", "z")])]
    s.save_scores([Score("91440300000000098X", "2026-01-05", 70.0, "orange", {}, inds, "m1")])
    m = write_export(s, tmp_path / "h.xlsx", "xlsx", 60)
    ev = load_workbook(tmp_path / "h.xlsx")["证据"]
    rows = list(ev.iter_rows(min_row=2))
    assert m["evidence_rows"] == len(rows) == 2  # the repeated sentence is one row; the 0-point one none
    first, second = rows
    assert first[5].value == "'=cmd|' /C calc'!A0 【保本保息】" and first[5].data_type == "s"
    assert first[3].value == "保本承诺（40）；保本用语（30）" and first[4].value == 70
    assert first[8].hyperlink is None and first[8].value == "javascript:alert(1)"
    assert second[5].value == "<script>x</script>【年化36%】" and second[8].hyperlink.target == "https://ok.example/p?q=1"
    main = load_workbook(tmp_path / "h.xlsx")["高风险企业"]
    heads = [c.value for c in main[1]]
    assert main.cell(2, heads.index("地区") + 1).value == "广东省深圳市南山区"
    assert main.cell(2, heads.index("色标") + 1).fill.fgColor.rgb.endswith(level_fill("orange"))
