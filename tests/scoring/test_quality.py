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
