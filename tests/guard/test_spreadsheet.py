"""Spreadsheet injection (issue 12): full-width formula signs and invisible leading
characters are neutralised like '=', in CSV and in XLSX, through a real export."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from indexing.models import Company, Score
from indexing.store.sqlite import SQLiteStore
from smoke.exports import HEADERS, neutralise, remove_dead_parts, write_export

HOSTILE = {
    "fullwidth-equals": "＝HYPERLINK(\"http://evil.test\",\"点我\")",
    "fullwidth-plus": "＋cmd|' /C calc'!A0",
    "fullwidth-minus": "－2+3",
    "fullwidth-at": "＠SUM(1,2)",
    "bom": "\ufeff=1+1",
    "rtl-mark": "\u200f=1+1",
    "ltr-mark": "\u200e=1+1",
    "zero-width-space": "\u200b=1+1",
    "rtl-override": "\u202e=1+1",
    "equals": "=1+1",
    "tab": "\t=1+1",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_prefix_gets_an_apostrophe(name: str) -> None:
    assert neutralise(HOSTILE[name]) == "'" + HOSTILE[name]


@pytest.mark.parametrize("text", ["深圳市某某投资有限公司", "A1", "1+1", "（＝）", "", "http://x.test/=a"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_hostile_names_through_real_csv_and_xlsx_exports(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "smoke.db")
    codes = {}
    for i, text in enumerate(HOSTILE[k] for k in sorted(HOSTILE)):
        code = f"9144030000000{i:04d}X"
        codes[code] = text
        store.upsert_companies([Company(code, text, industry=text, region_code="440300")])
        store.save_scores([Score(code, "2026-01-01", 70.0 + i, "orange", {}, [], "m1")])
    write_export(store, tmp_path / "x.csv", "csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "x.csv").read_bytes().decode("utf-8-sig"))))
    h = HEADERS["zh"]  # Chinese headers
    assert {r[h["credit_code"]]: (r[h["name"]], r[h["industry"]]) for r in rows} == {
        c: ("'" + t, "'" + t) for c, t in codes.items()}
    write_export(store, tmp_path / "x.xlsx", "xlsx")
    ws = load_workbook(tmp_path / "x.xlsx").active
    names = [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)]
    assert sorted(names) == sorted("'" + t for t in codes.values())
    store.close()


def test_parts_of_killed_exports_are_removed_by_the_next_one(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".x.xlsx.{dead.pid}.part"  # what a kill -9 during the write leaves
    live = tmp_path / f".y.xlsx.{os.getpid()}.part"  # another export still writing
    stale.write_bytes(b"PK half a zip")
    live.write_bytes(b"PK")
    store = SQLiteStore(tmp_path / "smoke.db")
    write_export(store, tmp_path / "x.xlsx", "xlsx")
    store.close()
    assert not stale.exists() and live.exists()
    assert remove_dead_parts(tmp_path) == []
    assert list(tmp_path.glob("*.part")) == [live]  # and the export left none of its own
