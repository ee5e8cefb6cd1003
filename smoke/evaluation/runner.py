"""Measure the score on a sandbox world: one self-contained cycle (evaluate) or a
week-by-week replay with incremental cycles (backtest). App layer: it reads the
world's ground truth, which crawlers, indexing and scoring never see."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

from config.settings import Settings, get_settings
from indexing.models import high_risk
from indexing.store import open_store
from sandbox.truth import iter_companies, iter_documents
from sandbox.world import read_world_meta
from smoke.cycle import run_cycle


def _temp_settings(home: Path) -> Settings:
    # Evaluation always runs into its own embedded store: it must never touch the
    # operator's data, whatever SMOKE_STORE says.
    return dataclasses.replace(get_settings(), home=home, store="sqlite", redis_url="")


def evaluate_world(world_dir: Path, *, linking: bool = False, progress: bool = True,
                   chart: Path | None = None) -> dict[str, Any]:
    """Metrics of one full cycle on the world; ``chart`` also writes the scores as an SVG."""
    from smoke.evaluation.quality import ranking_metrics

    truth = list(iter_companies(world_dir))
    with tempfile.TemporaryDirectory(prefix="smoke-eval-") as tmp:
        settings = _temp_settings(Path(tmp))
        result = run_cycle(settings, world_dir=world_dir, progress=progress, export=False, alerts=False)
        with open_store(settings) as store:
            latest = list(store.iter_latest_scores())
            scores = {s.credit_code: s.smoke_index for s in latest}
            metrics = ranking_metrics(scores, truth, as_of=result.as_of)
            if linking:
                from smoke.evaluation.linking import linking_metrics

                metrics.update(linking_metrics(store, iter_documents(world_dir)))
            metrics["model_version"] = latest[0].model_version if latest else None
            metrics["documents"] = store.count_documents()
    metrics["as_of"] = result.as_of
    if chart is not None:
        from smoke.evaluation.charts import score_distribution_svg

        chart.write_text(score_distribution_svg(scores, truth, f"smoke index by ground truth, as of {result.as_of}"),
                         encoding="utf-8")
        metrics["chart"] = str(chart)
    metrics["difficulty"] = read_world_meta(world_dir).get("difficulty", "easy")
    metrics["companies"] = len(truth)
    metrics["scored"] = len(scores)
    metrics["world"] = str(world_dir)
    return metrics


def backtest_world(
    world_dir: Path,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    step_days: int = 7,
    progress: bool = True,
    chart: Path | None = None,
) -> dict[str, Any]:
    """Replay the world every ``step_days`` with incremental cycles into one temporary
    store; ``chart`` also writes each scheme's life and first day at 60 as an SVG."""
    from sandbox.server import SandboxServer
    from smoke.evaluation.quality import lead_time_metrics

    meta = read_world_meta(world_dir)
    start = dt.date.fromisoformat(date_from or meta["start"])
    end = dt.date.fromisoformat(date_to or meta["today"])
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    truth = list(iter_companies(world_dir))
    first_high: dict[str, str | None] = {row["credit_code"]: None for row in truth}
    steps = (end - start).days // step_days + 1
    model_version: str | None = None
    with tempfile.TemporaryDirectory(prefix="smoke-backtest-") as tmp:
        settings = _temp_settings(Path(tmp))
        with SandboxServer(world_dir, as_of=start.isoformat()).start() as server:
            day = start
            for i in range(steps):
                as_of = day.isoformat()
                server.set_as_of(as_of)
                run_cycle(settings, proxy=server.proxy_url, as_of=as_of, export=False, alerts=False, progress=False)
                with open_store(settings) as store:
                    latest = list(store.iter_latest_scores(min_score=high_risk()))
                high = [s.credit_code for s in latest]
                model_version = latest[0].model_version if latest else model_version
                for code in high:
                    if first_high.get(code) is None:
                        first_high[code] = as_of
                if progress:
                    print(f"[backtest] {as_of} ({i + 1}/{steps}): {len(high)} companies at {high_risk():g} or above",
                          file=sys.stderr, flush=True)
                day += dt.timedelta(days=step_days)
    schemes = {row["credit_code"] for row in truth if row["is_scheme"]}
    false_alert_companies = sum(1 for code, d in first_high.items() if d and code not in schemes)
    # observed time is steps x step_days (not one week per step: a 28-day step observes four weeks)
    metrics = lead_time_metrics(first_high, truth, steps * step_days / 7, false_alert_companies, len(truth))
    metrics.update({"difficulty": meta.get("difficulty", "easy"), "model_version": model_version, "from": start.isoformat(), "to": end.isoformat(), "step_days": step_days, "steps": steps,
                    "months_observed": round(steps * step_days / 30.44, 2), "false_alert_companies": false_alert_companies,
                    "world": str(world_dir)})
    if chart is not None:
        from smoke.evaluation.charts import lead_time_svg

        chart.write_text(lead_time_svg(first_high, truth, start.isoformat(), end.isoformat()), encoding="utf-8")
        metrics["chart"] = str(chart)
    return metrics
