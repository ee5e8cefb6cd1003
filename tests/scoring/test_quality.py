from __future__ import annotations

import pytest

from smoke.evaluation.quality import lead_time_metrics, ranking_metrics

TRUTH = [
    {"credit_code": "A", "is_scheme": True, "archetype": "ponzi", "lookalike": None, "launch": "2023-01-01", "collapse": "2024-01-01"},
    {"credit_code": "B", "is_scheme": True, "archetype": "pyramid", "lookalike": None, "launch": "2023-01-01", "collapse": "2023-07-01"},
    {"credit_code": "C", "is_scheme": False, "archetype": None, "lookalike": "bank", "launch": None, "collapse": None},
    {"credit_code": "D", "is_scheme": False, "archetype": None, "lookalike": None, "launch": None, "collapse": None},
    {"credit_code": "E", "is_scheme": False, "archetype": None, "lookalike": "p2p_legit", "launch": None, "collapse": None},
]


def test_ranking_metrics() -> None:
    m = ranking_metrics({"A": 90, "B": 55, "C": 61, "D": 5, "E": 20}, TRUTH)
    assert m["auc"] == pytest.approx(5 / 6, abs=1e-4)  # B (55) loses only to C (61)
    assert m["precision_at"]["10"] == pytest.approx(2 / 5)
    assert m["recall_at_60"] == 0.5
    assert m["fpr_lookalikes"] == 0.5
    assert m["recall_by_archetype"] == {"ponzi": 1.0, "pyramid": 0.0}
    perfect = ranking_metrics({"A": 90, "B": 80}, TRUTH)
    assert perfect["auc"] == 1.0 and perfect["fpr_lookalikes"] == 0.0


def test_lead_time_metrics() -> None:
    m = lead_time_metrics({"A": "2023-07-02", "B": None, "C": "2023-05-01"}, TRUTH, weeks_observed=52,
                          false_alert_companies=1, n_companies=5)
    assert m["lead_time_days"]["median"] == 183
    assert m["detected_before_collapse"] == 0.5
    assert m["lead_fraction_median"] == pytest.approx((183 / 365 + 0) / 2, abs=1e-3)
    assert m["false_alerts_per_1000_per_month"] == pytest.approx(1 / 5 * 1000 / (52 * 7 / 30.44), rel=1e-3)


def test_spearman_ranks_with_ties() -> None:
    from smoke.evaluation.quality import spearman

    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [40, 30, 20, 10]) == pytest.approx(-1.0)
    assert spearman([5, 5, 5], [1, 2, 3]) is None  # a constant side has no ranking
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.9487, abs=1e-4)


def test_spread_and_true_risk_metrics() -> None:
    truth = [dict(t) for t in TRUTH]
    truth[0]["risk"] = [["2023-01-01", 0.3], ["2024-01-01", 1.0]]
    truth[1]["risk"] = [["2023-01-01", 0.3]]
    truth.append({"credit_code": "F", "is_scheme": True, "archetype": "p2p", "risk": [["2023-01-01", 0.6]]})
    scores = {"A": 100, "B": 62, "C": 100, "D": 5, "E": 45, "F": 70}
    m = ranking_metrics(scores, truth, as_of="2024-06-30")
    assert m["spearman_true_risk"] == pytest.approx(1.0)  # A (1.0) > F (0.6) > B (0.3)
    assert m["band_shares"] == {"green": 0.1667, "blue": 0.0, "yellow": 0.1667, "orange": 0.3333, "red": 0.3333}
    assert m["top_score_tie_share"] == 0.5  # A and C of the four at 60 or above share 100
    early = ranking_metrics(scores, truth, as_of="2022-01-01")
    assert early["spearman_true_risk"] is None  # nobody had launched: no risk to rank by
