"""`smoke evaluate-texts`: the analyser measured on a labelled corpus of one's own texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from config import ConfigError
from smoke.cli import cli
from smoke.evaluation.texts import load_labelled, text_metrics

REALISTIC = Path(__file__).resolve().parent / "scoring" / "realistic_texts.yaml"
SCHEME = "投1万每月返800，保本保息，推荐一人奖励500元，名额有限速来"
BANK = "理财产品业绩比较基准年化2.5%，理财非存款，产品有风险，投资须谨慎，过往业绩不代表未来表现"


def _jsonl(tmp_path: Path, rows: list[object], name: str = "corpus.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows),
                    encoding="utf-8")
    return path


def test_the_hand_written_corpus_reads_as_its_bands() -> None:
    r = CliRunner().invoke(cli, ["evaluate-texts", str(REALISTIC), "--json"])
    assert r.exit_code == 0, r.output
    m = json.loads(r.output[r.output.index("{"):])
    assert m["n"] == len(load_labelled(REALISTIC)) >= 100
    assert m["band_accuracy"] == 1.0 and m["auc"] == 1.0 and m["misses"] == []


def test_a_wrong_label_is_a_miss_and_lowers_the_figures(tmp_path: Path) -> None:
    corpus = _jsonl(tmp_path, [
        {"id": "s1", "text": SCHEME, "label": "scheme"},
        {"id": "b1", "text": BANK, "label": 0},
        {"id": "b2", "text": BANK, "label": "scheme"},  # an analyst's mistake, or a miss of ours
        {"id": "m1", "text": SCHEME, "band": "mid"},
    ])
    r = CliRunner().invoke(cli, ["evaluate-texts", str(corpus)])
    assert r.exit_code == 0, r.output
    assert "误判 b2：应为 high" in r.output and "误判 m1：应为 mid" in r.output  # Chinese by default
    assert "误判 s1" not in r.output and "误判 b1" not in r.output
    m = text_metrics(load_labelled(corpus), lambda c: (90.0 if c.text == SCHEME else 5.0, "promo"))
    assert (m["positives"], m["negatives"], m["recall_at_60"], m["auc"]) == (2, 1, 0.5, 0.75)
    assert m["band_accuracy"] == 0.0  # the one banded case (mid) scored high


@pytest.mark.parametrize(("rows", "message"), [
    ([{"text": SCHEME, "label": 1}, "{not json"], r"corpus.jsonl: line 2: not a JSON object"),
    ([{"text": SCHEME, "label": "maybe"}], r"line 1: label: expected 1, 0, 'scheme' or 'legit', got 'maybe'"),
    ([{"text": "", "label": 1}], r"line 1: text: expected a non-empty string"),
    ([{"text": SCHEME}], r"line 1: expected 'label', 'band' or 'min_risk' / 'max_risk'"),
    ([{"text": SCHEME, "band": "red"}], r"line 1: band: expected one of high, mid, low, got 'red'"),
    ([{"text": SCHEME, "min_risk": "high"}], r"line 1: min_risk: expected a number"),
    ([["a", "list"]], r"line 1: expected an object"),
])
def test_a_malformed_corpus_names_the_line_and_the_field(tmp_path: Path, rows: list, message: str) -> None:
    corpus = _jsonl(tmp_path, rows)
    with pytest.raises(ConfigError, match=message):
        load_labelled(corpus)
    r = CliRunner().invoke(cli, ["evaluate-texts", str(corpus)])
    assert r.exit_code == 1 and "line" in r.output


def test_yaml_corpus_and_hostile_sizes(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("cases:\n  - {text: '" + "返" * 300_000 + "', label: 1}\n  - {text: x, min_risk: 0, max_risk: 30}\n",
                    encoding="utf-8")
    cases = load_labelled(path)
    assert len(cases[0].text) == 200_000 and cases[1].band == "0-30" and cases[1].positive is None
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases: {text: x}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml: cases: expected a list"):
        load_labelled(bad)
