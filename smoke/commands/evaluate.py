"""`smoke evaluate` and `smoke backtest`: the score's quality, measured on a sandbox world."""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import click

EVAL_SEED = 20261121  # a seed no test uses: evaluation is on a world the tests never tuned to


def _world_or_generate(world: Path | None, companies: int, seed: int,
                       difficulty: str = "hard") -> tuple[Path, tempfile.TemporaryDirectory | None]:
    if world is not None:
        return world, None
    from sandbox.world import generate

    tmp = tempfile.TemporaryDirectory(prefix="smoke-world-")
    print(f"[evaluate] generating a {difficulty} world of {companies} companies (seed {seed})", file=sys.stderr, flush=True)
    return generate(Path(tmp.name), companies=companies, seed=seed, difficulty=difficulty), tmp


_difficulty_option = click.option(
    "--difficulty", type=click.Choice(["easy", "hard"]), default="hard", show_default=True,
    help="How hard the generated world is to read (sandbox/difficulty.py); ignored with --world.")


def _parse_step(step: str) -> int:
    m = re.fullmatch(r"(\d+)\s*([dw]?)", step.strip())
    if not m or int(m.group(1)) == 0:
        raise click.BadParameter(f"expected a number of days like 7d or 2w, got {step!r}", param_hint="--step")
    return int(m.group(1)) * (7 if m.group(2) == "w" else 1)


def _emit(metrics: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(metrics, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for key, value in sorted(metrics.items()):
        click.echo(f"{key:<36} {json.dumps(value, ensure_ascii=False)}")


@click.command("evaluate")
@click.option("--world", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Sandbox world to evaluate on (default: generate one with --companies/--seed).")
@click.option("--companies", default=1000, show_default=True, help="Size of the generated world.")
@click.option("--seed", default=EVAL_SEED, show_default=True, help="Seed of the generated world.")
@click.option("--chart", type=click.Path(path_type=Path, dir_okay=False),
              help="Also draw the result as an SVG chart into this file.")
@click.option("--linking", is_flag=True, help="Also measure entity linking (linking_precision, linking_recall).")
@_difficulty_option
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as one JSON object.")
def evaluate_command(world: Path | None, companies: int, seed: int, chart: Path | None, linking: bool,
                     difficulty: str, as_json: bool) -> None:
    """在沙盒世界上跑一个完整周期，并与真实答案比对评估质量。

    Serve a sandbox world, run a full cycle into a temporary store, and compare the
    scores with the world's ground truth: auc, precision_at, recall_at_60,
    fpr_lookalikes, recall_by_archetype, spearman_true_risk, top_score_tie_share,
    band_shares."""
    from smoke.evaluation.runner import evaluate_world

    world_dir, tmp = _world_or_generate(world, companies, seed, difficulty)
    try:
        _emit(evaluate_world(world_dir, linking=linking, chart=chart), as_json)
    finally:
        if tmp is not None:
            tmp.cleanup()


@click.command("backtest")
@click.option("--world", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Sandbox world to replay (default: generate one with --companies/--seed).")
@click.option("--companies", default=400, show_default=True, help="Size of the generated world.")
@click.option("--seed", default=EVAL_SEED, show_default=True, help="Seed of the generated world.")
@click.option("--from", "date_from", help="First replayed date (default: the world's start).")
@click.option("--to", "date_to", help="Last replayed date (default: the world's today).")
@click.option("--chart", type=click.Path(path_type=Path, dir_okay=False),
              help="Also draw the result as an SVG chart into this file.")
@click.option("--step", default="7d", show_default=True, help="Replay step: days (7d) or weeks (1w).")
@_difficulty_option
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as one JSON object.")
def backtest_command(world: Path | None, companies: int, seed: int, date_from: str | None, date_to: str | None,
                     chart: Path | None, step: str, difficulty: str, as_json: bool) -> None:
    """逐步回放沙盒世界，衡量提前预警的能力。

    Replay a sandbox world step by step with incremental cycles and measure early
    warning: lead_time_days, lead_fraction_median, detected_before_collapse,
    false_alerts_per_1000_per_month."""
    from smoke.evaluation.runner import backtest_world

    step_days = _parse_step(step)
    world_dir, tmp = _world_or_generate(world, companies, seed, difficulty)
    try:
        _emit(backtest_world(world_dir, date_from=date_from, date_to=date_to, step_days=step_days,
                             chart=chart), as_json)
    finally:
        if tmp is not None:
            tmp.cleanup()


@click.command("evaluate-texts")
@click.argument("corpus", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as one JSON object.")
def evaluate_texts_command(corpus: Path, as_json: bool) -> None:
    """在自备的已标注语料上评估文本分析器。

    The text analyser on a labelled corpus of your own texts (JSON lines or YAML).

    Each case: "text" and either "label" (1/0, scheme/legit) or "band" (high/mid/low);
    "id" and "title" optional. Prints AUC, recall, precision and false-positive rate at
    60, band accuracy, and every case the analyser got wrong. Nothing is stored.
    """
    from config import ConfigError
    from scoring.text import analyze
    from smoke.evaluation.texts import load_labelled, text_metrics

    try:
        cases = load_labelled(corpus)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    print(f"[evaluate-texts] {len(cases)} texts from {corpus}", file=sys.stderr, flush=True)

    def risk_of(case):  # noqa: ANN001, ANN202
        a = analyze(case.text, case.title)
        return a.risk, a.doc_type

    metrics = text_metrics(cases, risk_of)
    if as_json:
        _emit(metrics, True)
        return
    misses = metrics.pop("misses")
    _emit(metrics, False)
    for m in misses:
        from smoke.cli_text import t

        click.echo(t("evaluate.miss", id=m["id"], expected=m["expected"], risk=m["risk"], doc_type=m["doc_type"],
                     text=m["text"]))


COMMANDS = [evaluate_command, backtest_command, evaluate_texts_command]
