"""Quality metrics against ground truth (docs/sandbox-sites.md, "world folder").

``ranking_metrics``: how well one set of scores separates schemes from the rest.
``lead_time_metrics``: how early a backtest flagged each scheme before it collapsed.
Pure functions over plain data, so `smoke evaluate`, `smoke backtest` and
`smoke calibrate` share them.
"""

from __future__ import annotations

import statistics
from datetime import date

from indexing.models import LEVEL_IDS, high_risk, level_for
from sandbox.risk import risk_at


def _auc(pos: list[float], neg: list[float]) -> float | None:
    """ROC AUC by the rank-sum (Mann-Whitney) statistic; ties count one half."""
    if not pos or not neg:
        return None
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    ranks: list[float] = [0.0] * len(allv)
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1][0] == allv[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    r_pos = sum(r for r, (_, y) in zip(ranks, allv, strict=True) if y == 1)
    n1, n0 = len(pos), len(neg)
    return (r_pos - n1 * (n1 + 1) / 2) / (n1 * n0)


def _ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda k: values[k])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rank correlation (Pearson's on mid-ranks); None when either side is constant."""
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / (sxx * syy) ** 0.5 if sxx > 0 and syy > 0 else None


def spread_metrics(s: dict[str, float], threshold: float | None = None) -> dict:
    """How the scores spread: ``band_shares`` (share of companies per colour band) and
    ``top_score_tie_share`` (share of the companies at or above ``threshold`` that sit
    exactly at the highest score: a saturated index puts most of them there). ``threshold``
    None: the model's high-risk threshold."""
    threshold = high_risk() if threshold is None else threshold
    bands = dict.fromkeys(LEVEL_IDS, 0)
    for v in s.values():
        bands[level_for(v)] += 1
    n = max(len(s), 1)
    high = [v for v in s.values() if v >= threshold]
    top = max(high) if high else None
    return {
        "band_shares": {k: round(v / n, 4) for k, v in bands.items()},
        "top_score_tie_share": round(sum(1 for v in high if v == top) / len(high), 4) if high else None,
        "top_score": top,
    }


def ranking_metrics(scores: dict[str, float], truth: list[dict], threshold: float | None = None,
                    as_of: str | None = None) -> dict:
    """auc, precision_at {"10","50","100"}, recall_at_60, fpr_lookalikes, recall_by_archetype,
    band_shares, top_score_tie_share and, with ``as_of``, spearman_true_risk (the index
    against the generator's true risk on that day, among the planted schemes).

    Companies missing from ``scores`` count as 0 (never scored means never flagged).
    ``threshold`` None: the model's high-risk threshold (the ``_at_60`` keys keep their names).
    """
    threshold = high_risk() if threshold is None else threshold
    rows = [t for t in truth if t.get("credit_code")]
    s = {t["credit_code"]: float(scores.get(t["credit_code"], 0.0) or 0.0) for t in rows}
    schemes = [t for t in rows if t.get("is_scheme")]
    others = [t for t in rows if not t.get("is_scheme")]
    auc = _auc([s[t["credit_code"]] for t in schemes], [s[t["credit_code"]] for t in others])
    ranked = sorted(rows, key=lambda t: (-s[t["credit_code"]], t["credit_code"]))
    precision = {}
    for k in (10, 50, 100):
        top = ranked[: min(k, len(ranked))]
        precision[str(k)] = round(sum(1 for t in top if t.get("is_scheme")) / len(top), 4) if top else None
    flagged = {c for c, v in s.items() if v >= threshold}
    recall = sum(1 for t in schemes if t["credit_code"] in flagged) / len(schemes) if schemes else None
    looks = [t for t in others if t.get("lookalike")]
    fpr = sum(1 for t in looks if t["credit_code"] in flagged) / len(looks) if looks else None
    by_arch: dict[str, list[int]] = {}
    for t in schemes:
        by_arch.setdefault(str(t.get("archetype") or "unknown"), []).append(int(t["credit_code"] in flagged))
    by_kind: dict[str, list[int]] = {}
    for t in looks:
        by_kind.setdefault(str(t["lookalike"]), []).append(int(t["credit_code"] in flagged))
    rho = None
    if as_of is not None:
        rho = spearman([s[t["credit_code"]] for t in schemes], [risk_at(t.get("risk"), as_of) for t in schemes])
    return {
        **spread_metrics(s, threshold),
        "spearman_true_risk": None if rho is None else round(rho, 4),
        "fpr_by_lookalike": {k: round(sum(v) / len(v), 4) for k, v in sorted(by_kind.items())},
        "recall_quiet_schemes": _share([t["credit_code"] in flagged for t in schemes if t.get("quiet")]),
        "recall_hidden_yield_schemes": _share([t["credit_code"] in flagged for t in schemes if t.get("hidden_yield")]),
        "recall_disguised_schemes": _share([t["credit_code"] in flagged for t in schemes if t.get("disguised")]),
        "auc": None if auc is None else round(auc, 4),
        "precision_at": precision,
        "recall_at_60": None if recall is None else round(recall, 4),
        "fpr_lookalikes": None if fpr is None else round(fpr, 4),
        "fpr_all": round(sum(1 for t in others if t["credit_code"] in flagged) / len(others), 4) if others else None,
        "recall_by_archetype": {a: round(sum(v) / len(v), 4) for a, v in sorted(by_arch.items())},
        "n_companies": len(rows),
        "n_schemes": len(schemes),
        "n_lookalikes": len(looks),
    }


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return round(v[lo] + (v[hi] - v[lo]) * (pos - lo), 2)


def lead_time_metrics(first_high: dict[str, str | None], truth: list[dict], weeks_observed: float,
                      false_alert_companies: int, n_companies: int) -> dict:
    """Lead time of first reaching the threshold before collapse, for schemes that collapsed.

    ``first_high``: credit code -> ISO date the company first scored >= 60 (None: never).
    ``lead_fraction``: share of the scheme's life (launch -> collapse) still ahead when flagged
    (1 = flagged at launch, 0 = at or after collapse). ``false_alerts_per_1000_per_month``:
    non-scheme companies ever flagged, per 1,000 companies, per month observed.
    """
    leads: list[float] = []
    fractions: list[float] = []
    detected = total = 0
    for t in truth:
        if not t.get("is_scheme") or not t.get("collapse"):
            continue
        total += 1
        collapse = date.fromisoformat(t["collapse"][:10])
        launch = date.fromisoformat(t["launch"][:10]) if t.get("launch") else None
        fh = first_high.get(t["credit_code"])
        if not fh:
            fractions.append(0.0)
            continue
        flagged = date.fromisoformat(fh[:10])
        lead = (collapse - flagged).days
        if lead > 0:
            detected += 1
            leads.append(float(lead))
        life = (collapse - launch).days if launch else 0
        fractions.append(max(0.0, min(1.0, lead / life)) if life > 0 else (1.0 if lead > 0 else 0.0))
    months = max(weeks_observed, 1) * 7 / 30.44
    return {
        "lead_time_days": {"median": _pct(leads, 0.5), "p25": _pct(leads, 0.25), "p75": _pct(leads, 0.75)},
        "lead_fraction_median": round(statistics.median(fractions), 4) if fractions else None,
        "detected_before_collapse": round(detected / total, 4) if total else None,
        "n_collapsed_schemes": total,
        "false_alerts_per_1000_per_month": round(false_alert_companies / max(n_companies, 1) * 1000 / months, 4),
    }
