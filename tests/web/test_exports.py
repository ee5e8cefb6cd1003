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
from smoke.exports import COLUMNS, ExportError, export_rows, neutralise, write_export


def test_csv_bom_manifest_and_columns(store_factory, tmp_path):
    path = tmp_path / "high.csv"
    m = write_export(store_factory(), path, "csv", 60)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert m["sha256"] == hashlib.sha256(raw).hexdigest()
    on_disk = json.loads((tmp_path / "high.csv.manifest.json").read_text(encoding="utf-8"))
    assert on_disk == m
    assert m["model_versions"] == ["test-1.0"] and m["as_of"] and m["filters"] == {} and m["generated"]
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == m["row_count"] == 4
    for col in ("name", "credit_code", "smoke_index", "compliance", "complaints", "yield",
                "feature_words", "spread", "evidence_urls"):  # fmt: skip
        assert col in rows[0]
    idx = [float(r["smoke_index"]) for r in rows]
    assert idx == sorted(idx, reverse=True) and min(idx) >= 60
    assert rows[0]["band"] == "红" and rows[0]["rank"] == "1"
    assert rows[0]["first_high_date"]


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
    assert ws["B1"].value.startswith("企业名称") and ws.max_row == m["row_count"] + 1


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
