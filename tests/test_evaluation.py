"""`smoke evaluate` and `smoke backtest` on a small sandbox world, run as a user runs them,
and the charts they draw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.world import generate, read_world_meta
from smoke.evaluation.charts import lead_time_svg, score_distribution_svg

ROOT = Path(__file__).resolve().parent.parent


def smoke(home: Path, *args: str) -> dict:
    env = {**os.environ, "SMOKE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "smoke", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("world"), companies=150, seed=31)


@pytest.mark.slow
def test_evaluate_reports_every_metric_and_draws_the_scores(world: Path, tmp_path: Path) -> None:
    chart = tmp_path / "scores.svg"
    m = smoke(tmp_path / "home", "evaluate", "--world", str(world), "--linking", "--chart", str(chart), "--json")
    for key in ("auc", "precision_at", "recall_at_60", "fpr_lookalikes", "recall_by_archetype",
                "linking_precision", "linking_recall", "model_version", "spearman_true_risk",
                "top_score_tie_share", "band_shares", "difficulty"):
        assert key in m, key
    assert set(m["precision_at"]) == {"10", "50", "100"}
    assert set(m["band_shares"]) == {"green", "blue", "yellow", "orange", "red"}
    assert sum(m["band_shares"].values()) == pytest.approx(1.0, abs=1e-3)
    assert m["top_score_tie_share"] is not None and m["top_score_tie_share"] <= 0.5  # the index no longer saturates
    assert m["spearman_true_risk"] is not None and m["difficulty"] == "easy"
    assert m["auc"] >= 0.9 and m["linking_precision"] >= 0.95
    assert chart.read_text(encoding="utf-8").count("<circle") == m["companies"] == 150
    # evaluation never touches the operator's store
    assert not (tmp_path / "home" / "smoke.db").exists()


@pytest.mark.slow
def test_backtest_replays_steps_and_reports_lead_time(world: Path, tmp_path: Path) -> None:
    meta = read_world_meta(world)
    chart = tmp_path / "lead.svg"
    m = smoke(tmp_path / "home", "backtest", "--world", str(world), "--from", meta["today"][:4] + "-01-01",
              "--to", meta["today"], "--step", "13w", "--chart", str(chart), "--json")
    assert m["steps"] == 2 and m["step_days"] == 91
    # false alerts are per month really observed: two 13-week steps are six months, not two weeks
    assert m["months_observed"] == pytest.approx(2 * 91 / 30.44, abs=0.01)
    for key in ("lead_time_days", "lead_fraction_median", "detected_before_collapse",
                "false_alerts_per_1000_per_month", "model_version", "difficulty"):
        assert key in m, key
    assert set(m["lead_time_days"]) >= {"median", "p25", "p75"}
    assert "<svg" in chart.read_text(encoding="utf-8")


def test_charts_draw_one_mark_per_company_and_per_detection() -> None:
    truth = [
        {"credit_code": "A", "is_scheme": True, "lookalike": None, "launch": "2024-01-01", "collapse": "2024-06-01"},
        {"credit_code": "B", "is_scheme": True, "lookalike": None, "launch": "2024-02-01", "collapse": None},
        {"credit_code": "C", "is_scheme": False, "lookalike": "bank", "launch": None, "collapse": None},
        {"credit_code": "D<script>", "is_scheme": False, "lookalike": None, "launch": None, "collapse": None},
    ]
    svg = score_distribution_svg({"A": 90, "B": 70, "C": 10}, truth, title="<b>x</b>")
    assert svg.count("<circle") == 4 and "<b>" not in svg and "&lt;b&gt;" in svg
    lead = lead_time_svg({"A": "2024-03-01", "B": None}, truth, "2024-01-01", "2024-07-01")
    assert lead.count("<path") == 1 and lead.count('fill="#9aa3ad"') == 2
    assert score_distribution_svg({"A": 90}, truth) == score_distribution_svg({"A": 90}, truth)
