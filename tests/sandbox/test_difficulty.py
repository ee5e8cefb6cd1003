"""The hard world (issue 15): what makes it hard is really there, the ground truth says
each company's true risk over time, and the easy world is unchanged by the knobs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sandbox.difficulty import difficulty
from sandbox.risk import STAGES, risk_at
from sandbox.truth import iter_companies, iter_documents
from sandbox.world import generate, read_world_meta


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("hard"), companies=400, seed=4242, difficulty="hard")


def test_unknown_difficulty_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="difficulty: expected one of easy, hard"):
        generate(tmp_path, companies=10, difficulty="nightmare")
    assert difficulty("hard").quiet_scheme > 0 == difficulty("easy").quiet_scheme


def test_quiet_schemes_leave_nothing_before_they_collapse(hard: Path) -> None:
    truth = {t["credit_code"]: t for t in iter_companies(hard)}
    quiet = [t for t in truth.values() if t["quiet"]]
    assert quiet and all(t["is_scheme"] for t in quiet)
    db = sqlite3.connect(hard / "world.db")
    for t in quiet:
        end = t["collapse"] or "9999"
        complaints = db.execute("SELECT date FROM complaints WHERE code = ?", (t["credit_code"],)).fetchall()
        judgments = db.execute("SELECT date FROM judgments WHERE json_extract(data, '$.code') = ?",
                               (t["credit_code"],)).fetchall()
        assert all(d >= end for (d,) in complaints + judgments), t["credit_code"]


def test_disguised_schemes_show_nothing_of_a_scheme_online_before_they_collapse(tmp_path: Path) -> None:
    world = generate(tmp_path, companies=1000, seed=4242, difficulty="hard")
    truth = {t["credit_code"]: t for t in iter_companies(world)}
    disguised = [t for t in truth.values() if t["disguised"]]
    assert disguised and all(t["is_scheme"] and t["quiet"] for t in disguised)
    db = sqlite3.connect(world / "world.db")
    for t in disguised:
        pages = db.execute("SELECT ptype FROM pages WHERE code = ? AND date < ?",
                           (t["credit_code"], t["collapse"] or "9999")).fetchall()
        # a cover trade's small site only: no pitch, no forum thread, no soft advertorial
        assert pages and all(p.startswith("ordinary_") for (p,) in pages), (t["credit_code"], pages)
        industry = json.loads(db.execute("SELECT profile FROM companies WHERE code = ?",
                                         (t["credit_code"],)).fetchone()[0])["industry"]
        assert industry not in ("其他金融业", "资本市场服务")
    assert not any(t["disguised"] for t in iter_companies(generate(tmp_path / "easy", companies=300, seed=4242)))


def test_the_hard_look_alikes_and_hidden_yields_are_planted(hard: Path) -> None:
    truth = list(iter_companies(hard))
    kinds = {t["lookalike"] for t in truth if t["lookalike"]}
    assert {"angry_customers", "licensed_flagged", "named_in_news"} <= kinds
    assert any(t["hidden_yield"] for t in truth)
    assert read_world_meta(hard)["difficulty"] == "hard"
    innocents = {t["credit_code"] for t in truth if t["lookalike"] == "named_in_news"}
    reports = [d for d in iter_documents(hard) if d["kind"] in ("news", "warning") and set(d["credit_codes"]) & innocents]
    assert reports  # named in passing by reports about someone else
    assert all(len(d["credit_codes"]) >= 2 for d in reports)


def test_true_risk_rises_through_the_stages(hard: Path) -> None:
    schemes = [t for t in iter_companies(hard) if t["is_scheme"]]
    for t in schemes:
        levels = [r for _, r in t["risk"]]
        assert levels == sorted(levels), t["credit_code"]
        if t["collapse"]:
            assert risk_at(t["risk"], t["collapse"]) >= STAGES["collapsed"] * 0.85
            assert risk_at(t["risk"], t["launch"]) < risk_at(t["risk"], t["collapse"])
    others = [t for t in iter_companies(hard) if not t["is_scheme"]]
    assert max(risk_at(t["risk"], "2024-06-30") for t in others) < STAGES["launch"]


def test_the_easy_world_states_true_risk_too(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", companies=120, seed=11)
    assert read_world_meta(a)["difficulty"] == "easy"
    assert not any(t["quiet"] or t["hidden_yield"] for t in iter_companies(a))
    first = json.loads((a / "truth" / "companies.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "risk" in first and first["quiet"] is False
