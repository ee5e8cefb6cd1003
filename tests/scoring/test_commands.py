"""`smoke calibrate` and `smoke lexicon suggest` against a real SQLite store under SMOKE_HOME."""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml
from click.testing import CliRunner

from indexing.models import DIMENSIONS, Score
from indexing.store.sqlite import SQLiteStore
from scoring.model import load_model
from smoke.cli import cli
from tests.scoring.conftest import doc


def test_calibrate_writes_a_new_version_and_prints_metrics(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    rnd = random.Random(3)
    store = SQLiteStore(tmp_path / "smoke.db")
    labels = []
    scores = []
    for i in range(60):
        scheme = i % 3 == 0
        code = f"91{i:016d}"
        dims = {d: rnd.uniform(0, 30) for d in DIMENSIONS}
        if scheme:  # schemes stand out on yield and feature words, not on compliance
            dims["yield"] = rnd.uniform(60, 100)
            dims["feature_words"] = rnd.uniform(50, 100)
        idx = min(100.0, 0.2 * sum(dims.values()))
        scores.append(Score(code, "2024-06-30", round(idx, 2), "green", dims, [], "1.0.0"))
        labels.append({"credit_code": code, "label": int(scheme)})
    from indexing.models import Company

    store.upsert_companies([Company(s.credit_code, f"公司{i}") for i, s in enumerate(scores)])
    store.save_scores(scores)
    store.close()
    lab = tmp_path / "labels.jsonl"
    lab.write_text("\n".join(json.dumps(r) for r in labels), encoding="utf-8")
    out = tmp_path / "model-new.yaml"
    current = load_model().version
    res = CliRunner().invoke(cli, ["calibrate", "--labels", str(lab), "--out", str(out), "--version", "1.1.0-test"])
    assert res.exit_code == 0, res.output
    assert "auc" in res.output and "before" in res.output and "cross-validated AUC" in res.output
    m = load_model(out)
    assert m.version == "1.1.0-test"
    assert m.weight("yield") > m.weight("compliance")
    assert load_model().version == current  # the current model is untouched
    again = CliRunner().invoke(cli, ["calibrate", "--labels", str(lab), "--out", str(out)])
    assert again.exit_code != 0 and "exists" in again.output


def test_calibrate_rejects_bad_labels(tmp_path: Path) -> None:
    bad = tmp_path / "labels.csv"
    bad.write_text("name,label\nx,1\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["calibrate", "--labels", str(bad)])
    assert res.exit_code != 0 and "row 1" in res.output and "credit_code" in res.output


def test_lexicon_suggest_proposes_unknown_neighbours_and_applies_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    rnd = random.Random(5)
    pieces = ["保本保息", "稳赚不赔", "直推奖", "见点奖", "对碰奖", "日封顶", "静态收益", "动态收益", "复投", "国家支持"]
    novel = ["聚宝盆奖", "金种子分红"]  # not in the lexicon: they occur where the seed terms occur
    store = SQLiteStore(tmp_path / "smoke.db")
    docs = []
    for i in range(80):
        words = rnd.sample(pieces, 4) + [rnd.choice(novel)]
        text = "本项目年化收益36%，" + "，".join(words) + "，名额有限，扫码加微信，邀请码AB12。"
        docs.append(doc(text, url=f"http://p{i}.test/", site=f"p{i}"))
    store.upsert_documents(docs)
    store.close()
    before = Path("config/lexicon.yaml").read_text(encoding="utf-8")
    out = tmp_path / "sugg.yaml"
    res = CliRunner().invoke(cli, ["lexicon", "suggest", "--out", str(out), "--min-similarity", "0.0", "--min-count", "2"])
    assert res.exit_code == 0, res.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    terms = {r["term"] for r in data["suggestions"]}
    assert terms and not terms & set(pieces)
    assert Path("config/lexicon.yaml").read_text(encoding="utf-8") == before
