"""`smoke calibrate`: fit the dimension weights by logistic regression on labels.

Labels come from a file (JSON lines or CSV with ``credit_code`` and ``label``/``is_scheme``:
1/0, true/false, 是/否 — analyst verdicts) or from a sandbox world's ground truth
(``--world DIR``: truth/companies.jsonl). Dimension scores come from the store's latest
scores (or, with ``--rescore``, from scoring the store now with the current model).

The fit: logistic regression of the label on the six dimension scores (balanced
classes, 5-fold stratified cross-validation for the reported AUC). The weights keep
the model's meaning: raw index = sum of weight * dimension score and raw = 60 is the
decision boundary, so weight_d = coef_d * 60 / -intercept (negative coefficients are
set to 0: no dimension may lower a score). A NEW model file is written; nothing is
overwritten. Metrics are printed before and after.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path

import click
import yaml

from indexing.models import DIMENSIONS, HIGH_RISK
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


def _index(dims: dict[str, float], weights: dict[str, float], floor: float) -> float:
    return max(floor, min(100.0, sum(weights[d] * dims.get(d, 0.0) for d in DIMENSIONS)))


def fit_weights(X, y, seed: int = 0) -> tuple[dict[str, float], float, float | None]:
    """(weights, intercept, cross-validated AUC) from dimension scores X (n x 6) and labels y."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    X = np.asarray(X, dtype=float) / 100.0
    y = np.asarray(y, dtype=int)
    lr = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000)
    cv_auc = None
    folds = min(5, int(min(np.bincount(y, minlength=2))))
    if folds >= 2:
        proba = cross_val_predict(lr, X, y, cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
                                  method="predict_proba")[:, 1]
        cv_auc = float(roc_auc_score(y, proba))
    lr.fit(X, y)
    coef = np.clip(lr.coef_[0], 0, None) / 100.0  # per dimension point
    intercept = float(lr.intercept_[0])
    scale = HIGH_RISK / -intercept if intercept < 0 else HIGH_RISK / max(1e-9, float(coef.sum() * 100))
    weights = {d: round(float(min(5.0, c * scale)), 4) for d, c in zip(DIMENSIONS, coef, strict=True)}
    return weights, intercept, cv_auc


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
    """Fit dimension weights by logistic regression on labels; write a new model version.

    Prints AUC, precision and recall before and after, with a cross-validated AUC of
    the fit. The current model file is never modified.
    """
    from indexing.store import open_store
    from scoring.model import load_model

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
    by_code = {s.credit_code: s for s in scores if s.credit_code in labels}
    if len(by_code) < 10:
        raise click.ClickException(f"only {len(by_code)} labelled companies have scores; run a cycle first (or --rescore)")
    codes = sorted(by_code)
    X = [[by_code[c].dimensions.get(d, 0.0) for d in DIMENSIONS] for c in codes]
    y = [labels[c] for c in codes]
    if len(set(y)) < 2:
        raise click.ClickException("labels must contain both schemes and non-schemes")
    weights, intercept, cv_auc = fit_weights(X, y)
    rules = model.config.hard_rules
    floors = {c: max([r.min_index for rid, r in rules.items() if rid in by_code[c].hard_rules] or [0.0]) for c in codes}
    truth = [{"credit_code": c, "is_scheme": bool(labels[c])} for c in codes]
    before = ranking_metrics({c: by_code[c].smoke_index for c in codes}, truth)
    after = ranking_metrics({c: _index(by_code[c].dimensions, weights, floors[c]) for c in codes}, truth)

    cfg = model.config.model_dump(mode="json")
    cfg["version"] = new_version or f"{model.version}-cal{date.today().strftime('%Y%m%d')}"
    cfg["description"] = (f"Calibrated from {model.version} on {len(codes)} labelled companies "
                          f"({sum(y)} schemes); cross-validated AUC {cv_auc if cv_auc is None else round(cv_auc, 4)}.")
    for d, w in weights.items():
        cfg["dimensions"][d]["weight"] = w
    target = out or Path(model.path).with_name(f"model-{cfg['version']}.yaml")
    if target.exists():
        raise click.ClickException(f"{target} exists; choose another --out or --version")
    target.write_text("# Written by `smoke calibrate`; see config/model.yaml for the meaning of each field.\n"
                      + yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    click.echo(f"labelled companies: {len(codes)} ({sum(y)} schemes)")
    click.echo(f"{'dimension':<15}{'old weight':>12}{'new weight':>12}")
    for d in DIMENSIONS:
        click.echo(f"{d:<15}{model.weight(d):>12.3f}{weights[d]:>12.3f}")
    click.echo(f"{'metric':<18}{'before':>10}{'after':>10}")
    for key in ("auc", "recall_at_60", "fpr_all"):
        click.echo(f"{key:<18}{before[key]!s:>10}{after[key]!s:>10}")
    for k in ("10", "50", "100"):
        click.echo(f"{'precision@' + k:<18}{before['precision_at'][k]!s:>10}{after['precision_at'][k]!s:>10}")
    click.echo(f"cross-validated AUC of the fit: {cv_auc}")
    click.echo(f"new model {cfg['version']} written to {target} (use it with SMOKE_CONFIG_DIR or --model)")
    sys.stdout.flush()


COMMANDS = [calibrate]
