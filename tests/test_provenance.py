"""Provenance: every score, export row and manifest and `smoke company --json` records the
model, lexicon and analyser versions it was computed with (DESIGN.md: "every score records
the versions of the model, lexicon and analyser rules that produced it")."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from indexing.models import Score
from indexing.store.sqlite import SQLiteStore
from scoring.context import ScoringContext
from scoring.lexicon import load_lexicon
from scoring.model import load_model
from scoring.scorer import score_company
from scoring.text import load_rules
from scoring.text.learned import load_text_model
from smoke.cli import cli
from smoke.exports import HEADERS, write_export
from tests.scoring.conftest import AS_OF, SCHEME_PROMO, company, doc


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    return {"model": load_model().version, "lexicon": load_lexicon().version, "analyser": f"{load_rules().version}+{load_text_model().version}"}


@pytest.fixture
def scored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Score]:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    monkeypatch.setenv("SMOKE_STORE", "sqlite")
    c = company()
    s = score_company(c, [doc(SCHEME_PROMO, code=c.credit_code)], ScoringContext(as_of=AS_OF), load_model(), AS_OF)
    from indexing.store import open_store

    with open_store() as store:
        store.upsert_companies([c])
        store.save_scores([s])
    return tmp_path, s


def test_a_score_records_the_three_versions(scored, expected) -> None:
    _, s = scored
    assert s.versions == expected and all(expected.values())
    assert s.model_version == expected["model"] and s.smoke_index >= 60


def test_the_store_keeps_them_and_reads_scores_saved_before_provenance(tmp_path: Path, scored, expected) -> None:
    _, s = scored
    store = SQLiteStore(tmp_path / "x.db")
    store.save_scores([s])
    assert store.latest_score(s.credit_code).versions == expected
    old = {k: v for k, v in s.to_dict().items() if k != "versions"}  # a score saved before provenance
    assert Score.from_dict(old).versions == {} and Score.from_dict(old).model_version == expected["model"]


def test_smoke_company_json_records_them(scored, expected) -> None:
    _, s = scored
    r = CliRunner().invoke(cli, ["company", s.credit_code, "--json"])
    assert r.exit_code == 0, r.output
    profile = json.loads(r.output)
    assert profile["versions"] == expected and profile["model_version"] == expected["model"]
    text = CliRunner().invoke(cli, ["company", s.credit_code]).output
    assert f"词库 {expected['lexicon']}" in text and f"分析规则 {expected['analyser']}" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_every_export_row_and_the_manifest_record_them(scored, expected, fmt: str) -> None:
    home, s = scored
    from indexing.store import open_store

    path = home / f"high.{fmt}"
    with open_store() as store:
        m = write_export(store, path, fmt, 60)
    assert m["row_count"] == 1
    assert (m["model_versions"], m["lexicon_versions"], m["analyser_versions"]) == (
        [expected["model"]], [expected["lexicon"]], [expected["analyser"]])
    ids = {zh: col for col, zh in HEADERS["zh"].items()}  # headers are Chinese: back to the column ids
    if fmt == "csv":
        rows = [{ids[k]: v for k, v in r.items()}
                for r in csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")))]
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        sheet = list(load_workbook(path).active.iter_rows(values_only=True))
        keys = [ids[h] for h in sheet[0]]
        rows = [dict(zip(keys, r, strict=True)) for r in sheet[1:]]
    got = {k: rows[0][f"{k}_version"] for k in ("model", "lexicon", "analyser")}
    assert got == expected
