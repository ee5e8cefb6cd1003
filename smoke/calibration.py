"""Indicator-level calibration of the smoke-index model from labelled verdicts.

Each indicator's curve is scaled by a factor learned from labels: ``y -> min(100, f * y)``.
The factors minimise a pairwise ranking loss (RankNet-style logistic loss on pairs: a
scheme above a company that is not one, and, when graded verdicts such as a world's true
risk are given, a riskier scheme above a less risky one) over each indicator's share of
the raw index (weight of its dimension x its curve points / 100), under control:

- **monotone**: every factor is positive, so a curve that rises still rises and no
  evidence can lower a score (checked again on the written model);
- **shrunk towards the hand-set model**: an L2 penalty pulls every factor towards 1, and
  an indicator seen in fewer than ``min_support`` labelled companies keeps factor 1;
- **bounded**: factors stay within [``MIN_FACTOR``, ``MAX_FACTOR``] = [0.5, 3]: calibration may
  halve an indicator the analysts put in, never silence it;
- **cross-validated**: k folds, each scored by the real scorer (``scoring.scorer.combine``)
  with the model fitted on the other folds; AUC and precision before and after.

The report says, per indicator, what changed and why (how often it fires among schemes
and among the rest). Pure functions over plain data; `smoke calibrate` does the I/O.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from indexing.models import Score
from scoring.indicators import Measurement
from scoring.model import Model
from scoring.scorer import combine

MIN_SUPPORT = 5
MIN_FACTOR = 0.5  # calibration may halve an indicator, never silence one the analysts put in
MAX_FACTOR = 3.0
PENALTY = 0.2  # strength of the pull towards the hand-set curves
SHARP = 10.0  # 10 raw index points of difference between a pair: odds of e to 1


@dataclass(frozen=True, slots=True)
class Change:
    indicator: str
    factor: float
    schemes_with: int
    others_with: int
    reason: str


def measurements(score: Score) -> dict[str, Measurement]:
    """The indicator values a stored score recorded, as the scorer measures them."""
    return {i.id: Measurement(i.value, list(i.evidence)) for i in score.indicators if not i.id.startswith("hard_rule.")}


def _features(model: Model, meas: dict[str, Measurement]) -> list[float]:
    w = model.weights
    return [w[p.dimension] * p.points(meas[p.id].value) / 100.0 if p.id in meas else 0.0 for p in model.plan]


def _pairs(grades: list[float], seed: int = 0, cap: int = 60_000) -> list[tuple[int, int]]:
    """(i, j) with grade i above grade j: every verdict pair (scheme over the rest) and every
    pair of schemes at different true risk; sampled down to ``cap`` pairs."""
    order = sorted(range(len(grades)), key=lambda k: grades[k])
    pairs = [(i, j) for a, j in enumerate(order) for i in order[a + 1:] if grades[i] > grades[j]]
    if len(pairs) > cap:
        pairs = random.Random(seed).sample(pairs, cap)
    return pairs


def _fit(X: list[list[float]], grades: list[float], active: list[bool]) -> list[float]:
    """Factors f (one per column, in [0, MAX_FACTOR]) minimising a pairwise ranking loss:
    mean log(1 + exp(-SHARP * (s_i - s_j))) over pairs with grade i above grade j, where
    s = sum_j f_j x_j, plus PENALTY * mean (f_j - 1)^2. Inactive columns keep 1."""
    import numpy as np
    from scipy.optimize import minimize

    Xa = np.asarray(X, dtype=float)
    pairs = _pairs(grades)
    if not pairs:
        return [1.0] * Xa.shape[1]
    D = Xa[[i for i, _ in pairs]] - Xa[[j for _, j in pairs]]  # feature differences per pair
    act = np.asarray(active, dtype=bool)
    n_act = max(int(act.sum()), 1)

    def loss(f: np.ndarray) -> tuple[float, np.ndarray]:
        f = np.where(act, f, 1.0)
        m = SHARP * (D @ f)
        ll = np.logaddexp(0.0, -m).mean()
        g = -(SHARP * D.T @ (1.0 / (1.0 + np.exp(m)))) / len(m)
        pen = PENALTY * ((f - 1.0) ** 2 * act).sum() / n_act
        gp = 2 * PENALTY * (f - 1.0) * act / n_act
        return float(ll + pen), np.where(act, g + gp, 0.0)

    res = minimize(loss, np.ones(Xa.shape[1]), jac=True, method="L-BFGS-B",
                   bounds=[(MIN_FACTOR, MAX_FACTOR)] * Xa.shape[1], options={"maxiter": 300})
    return [float(v) if a else 1.0 for v, a in zip(res.x, active, strict=True)]


def _reason(f: float, pos: int, neg: int, n_pos: int, n_neg: int) -> str:
    share = f"fires for {pos}/{n_pos} schemes and {neg}/{n_neg} others"
    if pos + neg < MIN_SUPPORT:
        return f"kept: seen in {pos + neg} labelled companies, fewer than {MIN_SUPPORT}"
    if f > 1.05:
        return f"raised: {share}; it puts the riskier companies first more often than its hand-set points said"
    if f < 0.95:
        return f"lowered: {share}; it orders the companies by risk less well than its hand-set points said"
    return f"kept: {share}"


def fit_factors(model: Model, scores: list[Score], labels: dict[str, int],
                grades: dict[str, float] | None = None) -> list[Change]:
    """One Change per enabled indicator, fitted on every labelled score. ``grades`` (e.g.
    a world's true risk) order the schemes among themselves; without them every scheme
    ranks equal and only verdict pairs count."""
    rows = [s for s in scores if s.credit_code in labels]
    X = [_features(model, measurements(s)) for s in rows]
    y = [labels[s.credit_code] for s in rows]
    g = [(1.0 + (grades or {}).get(s.credit_code, 0.0)) if labels[s.credit_code] else 0.0 for s in rows]
    n_pos, n_neg = sum(y), len(y) - sum(y)
    fires = [[x[j] > 0 for x in X] for j in range(len(model.plan))]
    pos = [sum(1 for f, t in zip(col, y, strict=True) if f and t) for col in fires]
    neg = [sum(1 for f, t in zip(col, y, strict=True) if f and not t) for col in fires]
    active = [p + q >= MIN_SUPPORT for p, q in zip(pos, neg, strict=True)]
    factors = _fit(X, g, active)
    return [Change(p.id, round(f, 3), pos[j], neg[j], _reason(f, pos[j], neg[j], n_pos, n_neg))
            for j, (p, f) in enumerate(zip(model.plan, factors, strict=True))]


def apply_factors(cfg: dict, changes: list[Change]) -> dict:
    """A copy of a model config (as plain data) with every curve scaled by its factor;
    raises if a curve would fall anywhere (no evidence may lower a score)."""
    out = {**cfg, "indicators": {k: dict(v) for k, v in cfg["indicators"].items()}}
    for ch in changes:
        spec = out["indicators"][ch.indicator]
        curve = [[x, round(min(100.0, y * ch.factor), 2)] for x, y in spec["curve"]]
        ys = [y for _, y in curve]
        if any(b < a for a, b in zip(ys, ys[1:], strict=False)):
            raise ValueError(f"{ch.indicator}: the calibrated curve would fall ({ys})")
        spec["curve"] = curve
    return out


def index_with(model: Model, scores: list[Score]) -> dict[str, float]:
    """Every score's index recomputed by the real scorer under ``model``."""
    return {s.credit_code: combine(measurements(s), model, s.credit_code, s.as_of).smoke_index for s in scores}


def cross_validated(model: Model, scores: list[Score], labels: dict[str, int], folds: int = 5,
                    seed: int = 0, factors: bool = True, grades: dict[str, float] | None = None) -> dict[str, float]:
    """Out-of-fold indices: each fold scored by a model fitted on the other folds
    (``factors`` False: by ``model`` itself, the baseline on the same folds)."""
    from config.model import ModelConfig

    rows = sorted((s for s in scores if s.credit_code in labels), key=lambda s: s.credit_code)
    random.Random(seed).shuffle(rows)
    out: dict[str, float] = {}
    base = model.config.model_dump(mode="json")
    for k in range(folds):
        test = rows[k::folds]
        train = [s for i, s in enumerate(rows) if i % folds != k]
        if not test or len({labels[s.credit_code] for s in train}) < 2:
            continue
        fitted = Model(ModelConfig.model_validate(apply_factors(base, fit_factors(model, train, labels, grades)))) if factors else model
        out.update(index_with(fitted, test))
    return out
