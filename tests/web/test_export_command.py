"""`smoke export` through the real CLI: formats by suffix, region names, languages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from smoke.cli import cli


@pytest.fixture
def home(tmp_path, monkeypatch):
    from indexing.store import open_store
    from tests.web.world import build_world

    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    monkeypatch.setenv("SMOKE_STORE", "sqlite")
    with open_store() as s:
        build_world(s)
    return tmp_path


def test_unknown_suffix_is_a_clear_error_and_writes_nothing(home):
    r = CliRunner().invoke(cli, ["export", "-o", str(home / "x.pdf")])
    assert r.exit_code != 0
    assert "cannot write .pdf files; supported formats: csv, xlsx, jsonl" in r.output
    assert not (home / "x.pdf").exists() and not list(home.glob("x.pdf*"))
    r = CliRunner().invoke(cli, ["export", "-o", str(home / "x.pdf"), "--format", "csv"])
    assert r.exit_code == 0, r.output  # an explicit format is the user's choice


@pytest.mark.parametrize("region", ["广东", "广东省", "44"])
def test_region_by_name_or_code(home, region):
    out = home / "gd.csv"
    r = CliRunner().invoke(cli, ["export", "-o", str(out), "--region", region])
    assert r.exit_code == 0, r.output
    m = json.loads((home / "gd.csv.manifest.json").read_text(encoding="utf-8"))
    assert m["row_count"] == 2 and m["region_codes"] == ["44"] and "已写出 2 行" in r.output
    text = out.read_bytes().decode("utf-8-sig")
    assert "广东省深圳市" in text and "440300" in text


def test_unknown_region_is_an_error_not_zero_rows(home):
    r = CliRunner().invoke(cli, ["export", "-o", str(home / "x.csv"), "--region", "火星"])
    assert r.exit_code != 0 and "'火星'" in r.output and "region" in r.output and "广东" in r.output
    assert not (home / "x.csv").exists()


def test_xlsx_in_english(home):
    r = CliRunner().invoke(cli, ["export", "-o", str(home / "en.xlsx"), "--lang", "en"])
    assert r.exit_code == 0, r.output
    wb = load_workbook(home / "en.xlsx")
    assert wb.sheetnames == ["high_risk", "evidence"] and wb["evidence"]["I1"].value == "url"
    assert wb["evidence"]["I2"].hyperlink is not None
