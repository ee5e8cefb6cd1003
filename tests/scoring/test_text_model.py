"""The statistical half of the analyser (scoring/text/learned.py, config/text_model.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import ConfigError
from scoring.text import analyze
from scoring.text.learned import MODEL_FILE, load_text_model, model_reading, ngram_counts, parse_model

ROOT = Path(__file__).resolve().parents[2]


def test_digit_runs_are_one_symbol() -> None:
    assert ngram_counts("日返15%") == ngram_counts("日返3%")
    assert "日返" in ngram_counts("日返15%") and "返0%" in ngram_counts("日返15%")


def test_quoted_promises_are_left_out_of_what_the_model_reads() -> None:
    a = analyze("警方提醒：不法分子以保本保息、高额回报为诱饵，骗取群众钱财，请广大群众提高警惕。")
    assert a.doc_type in ("warning", "news")
    assert "保本保息" not in a.model_reading and "提高警惕" in a.model_reading
    b = analyze("我们平台保本保息，每天分红，拉一个人奖励200元，扫码进群。")
    assert "保本保息" in b.model_reading


def test_model_reading_removes_noise_and_joins_the_title() -> None:
    assert model_reading("标题", "a b-c", []) == "标题\u3002abc"
    assert model_reading("", "abcdef", [(1, 3)]) == "adef"


def test_the_model_explains_itself() -> None:
    a = analyze("投资100元起，每天返利2%，推荐一人再奖励10%，团队业绩越大分红越多，提现秒到账，名额有限速来。" * 3)
    assert a.model is not None and a.model.features
    assert a.model_reasons() and all(c > 0 for g, c in a.model.features if g in a.model_reasons())
    assert a.to_json()["text_model"]["probability"] == round(a.model.probability, 4)
    assert a.components["text_model"] == pytest.approx(100 * a.model.probability)


def test_rules_alone_when_asked() -> None:
    text = "投1万每月返800，一年翻倍，拉人头奖励，保本保息。"
    a = analyze(text, text_model=False)
    assert a.model is None and a.risk == a.rules_risk
    b = analyze(text)
    assert b.rules_risk == a.rules_risk and b.model is not None


def test_a_conclusive_verdict_is_never_lowered() -> None:
    tm = load_text_model()
    assert tm.combine(0.001, 85.0, 5000, conclusive=True) == 85.0
    assert tm.combine(0.001, 85.0, 5000) < 85.0
    assert tm.combine(0.5, 40.0, 0) == pytest.approx(40.0)  # nothing to read: the rules decide


def _write(tmp_path: Path, raw: object) -> Path:
    p = tmp_path / MODEL_FILE
    p.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.mark.parametrize(("change", "message"), [
    (lambda m: m.pop("version"), r"version: expected a non-empty string"),
    (lambda m: m.__setitem__("intercept", "high"), r"intercept: expected a number, got 'high'"),
    (lambda m: m["combine"].pop("full_at_chars"), r"full_at_chars: expected a number"),
    (lambda m: m.__setitem__("features", {"日返": [1.0]}), r"features\.日返: expected \[idf, weight\]"),
    (lambda m: m.__setitem__("combine", 3), r"combine: expected an object"),
])
def test_a_malformed_model_names_the_file_and_the_field(tmp_path: Path, change, message: str) -> None:
    raw = json.loads((ROOT / "config" / MODEL_FILE).read_text(encoding="utf-8"))
    change(raw)
    path = _write(tmp_path, raw)
    with pytest.raises(ConfigError, match=message) as exc:
        parse_model(raw, path)
    assert str(path) in str(exc.value)


def test_an_unreadable_model_file_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / MODEL_FILE
    p.write_bytes(b"\xff\xfe not json")
    with pytest.raises(ConfigError, match="not valid UTF-8 JSON"):
        load_text_model(p)
    with pytest.raises(ConfigError, match="file not found"):
        load_text_model(tmp_path / "missing.json")
