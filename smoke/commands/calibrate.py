"""`smoke calibrate`: fit every indicator's curve to labelled verdicts (smoke/calibration.py).

Labels come from a file (JSON lines or CSV with ``credit_code`` and ``label``/``is_scheme``:
1/0, true/false, 是/否 — analyst verdicts) or from a sandbox world's ground truth
(``--world DIR``: truth/companies.jsonl). Dimension scores come from the store's latest
scores (or, with ``--rescore``, from scoring the store now with the current model).

The fit scales each indicator's curve by a factor in [0.5, 3] (monotone: no evidence may
lower a score), shrunk towards the hand-set model and cross-validated in 5 folds with the
real scorer. A NEW model file is written; nothing is overwritten. What changed and why
is printed, with metrics before and after.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path

import click
import yaml

from smoke.cli_text import t
from smoke.evaluation.quality import ranking_metrics

_TRUE = {"1", "true", "yes", "y", "是", "scheme", "fraud", "high"}


def read_labels(path: Path) -> dict[str, int]:
    text = path.read_text(encoding="utf-8-sig")
    rows: list[dict] = []
    if path.suffix.lower() in (".jsonl", ".json"):
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise click.ClickException(f"{path}: line {n}: not JSON ({exc.msg})") from exc
    else:
        rows = list(csv.DictReader(text.splitlines()))
    labels: dict[str, int] = {}
    for n, r in enumerate(rows, 1):
        code = str(r.get("credit_code") or "").strip()
        raw = r.get("label", r.get("is_scheme"))
        if not code or raw is None:
            raise click.ClickException(f"{path}: row {n}: expected credit_code and label (or is_scheme)")
        labels[code] = int(str(raw).strip().lower() in _TRUE)
    return labels


@click.command("calibrate")
@click.option("--labels", "labels_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSONL or CSV with credit_code and label (1/0) per company.")
@click.option("--world", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A sandbox world folder: labels from truth/companies.jsonl.")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Model to start from (default config/model.yaml).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the new model (default: next to the old one, model-<version>.yaml).")
@click.option("--version", "new_version", help="Version of the new model (default: <old>-cal<date>).")
@click.option("--rescore", is_flag=True, help="Score the store now instead of using its latest scores.")
@click.option("--as-of", default=None, help="As-of date for --rescore (default today).")
def calibrate(labels_path, world, model_path, out, new_version, rescore, as_of) -> None:
    """按已标注的结论校准各指标曲线，写出新的模型版本。

    Fit every indicator's curve to labelled verdicts; write a new model version.

    Each curve is scaled by a factor in [0.5, 3] (no evidence may lower a score), shrunk
    towards the hand-set model, fitted by logistic regression with 5-fold cross-validation
    (smoke/calibration.py). Prints what changed and why, and AUC, precision, recall and
    (with --world) Spearman against true risk before and after, in-sample and
    cross-validated. The current model file is never modified.
    """
    from config.model import ModelConfig
    from indexing.store import open_store
    from scoring.model import Model, load_model
    from smoke.calibration import apply_factors, cross_validated, fit_factors, index_with

    if bool(labels_path) == bool(world):
        raise click.UsageError("give exactly one of --labels FILE or --world DIR")
    labels = read_labels(labels_path) if labels_path else read_labels(world / "truth" / "companies.jsonl")
    model = load_model(model_path)
    store = open_store()
    try:
        if rescore:
            from scoring.scorer import score_store

            scores = score_store(store, as_of or date.today().isoformat(), model, progress=True)
        else:
            scores = list(store.iter_latest_scores())
    finally:
        store.close()
    scores = [s for s in scores if s.credit_code in labels]
    if len(scores) < 10:
        raise click.ClickException(f"only {len(scores)} labelled companies have scores; run a cycle first (or --rescore)")
    y = [labels[s.credit_code] for s in scores]
    if len(set(y)) < 2:
        raise click.ClickException("labels must contain both schemes and non-schemes")
    when = scores[0].as_of
    grades = None
    if world:  # the world's true risk on the scoring day orders the schemes among themselves
        from sandbox.risk import risk_at
        from sandbox.truth import iter_companies

        truth = [t for t in iter_companies(world) if t["credit_code"] in labels]
        grades = {t["credit_code"]: risk_at(t.get("risk"), when) for t in truth}
    else:
        truth = [{"credit_code": c, "is_scheme": bool(v)} for c, v in labels.items()]
    changes = fit_factors(model, scores, labels, grades)
    cfg = apply_factors(model.config.model_dump(mode="json"), changes)
    cfg["version"] = new_version or f"{model.version}-cal{date.today().strftime('%Y%m%d')}"
    cfg["description"] = (f"Calibrated from {model.version} on {len(scores)} labelled companies ({sum(y)} schemes"
                          f"{', graded by true risk' if grades else ''}) by `smoke calibrate`: every indicator's curve "
                          f"scaled by a fitted factor in [0.5, 3].")
    fitted = Model(ModelConfig.model_validate(cfg))
    target = out or Path(model.path).with_name(f"model-{cfg['version']}.yaml")
    if target.exists():
        raise click.ClickException(f"{target} exists; choose another --out or --version")
    before = ranking_metrics({s.credit_code: s.smoke_index for s in scores}, truth, as_of=when)
    after = ranking_metrics(index_with(fitted, scores), truth, as_of=when)
    cv_before = ranking_metrics(cross_validated(model, scores, labels, factors=False), truth, as_of=when)
    cv_after = ranking_metrics(cross_validated(model, scores, labels, grades=grades), truth, as_of=when)
    target.write_text("# Written by `smoke calibrate`; see config/model.yaml for the meaning of each field.\n"
                      + yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    click.echo(t("calibrate.labelled", n=len(scores), schemes=sum(y), as_of=when))
    c = t("calibrate.cols").split("|")
    click.echo(f"{c[0]:<40}{c[1]:>8}  {c[2]}")
    for ch in sorted(changes, key=lambda c: (-abs(c.factor - 1), c.indicator)):
        click.echo(f"{ch.indicator:<40}{ch.factor:>8.3f}  {ch.reason}")
    click.echo(f"{'metric':<22}{'before':>10}{'after':>10}{'cv before':>11}{'cv after':>10}")
    for key in ("auc", "recall_at_60", "fpr_lookalikes", "spearman_true_risk", "top_score_tie_share"):
        click.echo(f"{key:<22}{before[key]!s:>10}{after[key]!s:>10}{cv_before[key]!s:>11}{cv_after[key]!s:>10}")
    for k in ("10", "50", "100"):
        click.echo(f"{'precision@' + k:<22}{before['precision_at'][k]!s:>10}{after['precision_at'][k]!s:>10}"
                   f"{cv_before['precision_at'][k]!s:>11}{cv_after['precision_at'][k]!s:>10}")
    click.echo(t("calibrate.written", version=cfg["version"], path=target))
    sys.stdout.flush()


COMMANDS = [calibrate]
