"""Alert rules against a real SQLite store filled with scores over several dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from config import ConfigError
from config.alerts import AlertRules
from indexing.models import Evidence, IndicatorResult
from smoke.alerts import evaluate_rules, load_alert_config
from smoke.alerts.rules import alert_created
from tests.alerts.conftest import add_company, add_scores, criminal, days

NOW = datetime(2024, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # after every as_of below


def ev(store, as_of: str, rules: AlertRules | None = None):
    return evaluate_rules(store, as_of, rules or AlertRules(), now=NOW)


def test_crossing_60_alerts_once_per_episode(store) -> None:
    c = add_company(store, 1, "深圳市鑫盛财富管理有限公司")
    add_scores(store, c, days("2024-05-01", [56, 57, 58, 62]))
    new = ev(store, "2024-05-04")
    assert [(a.rule, a.credit_code, a.score, a.previous_score) for a in new] == [("crossing", c, 62, 58)]
    assert "鑫盛财富" in new[0].message and "2024-05-04" in new[0].message
    assert new[0].created == "2024-05-04T00:00:00+08:00"  # a past day keeps its own date
    # Re-running the same day, and the next day while still >= 60: nothing new.
    assert ev(store, "2024-05-04") == []
    add_scores(store, c, {"2024-05-05": 66})
    assert ev(store, "2024-05-05") == []
    assert len(store.list_alerts(limit=100)) == 1


def test_crossing_cooldown_then_new_episode(store) -> None:
    c = add_company(store, 2)
    add_scores(store, c, days("2024-05-01", [50, 61]))
    assert len(ev(store, "2024-05-02")) == 1
    # Falls back and crosses again 3 days later: within the 14-day cooldown.
    add_scores(store, c, {"2024-05-03": 55, "2024-05-05": 63})
    assert ev(store, "2024-05-05") == []
    # Falls back and crosses again 3 weeks later: a new alert.
    add_scores(store, c, {"2024-05-10": 40, "2024-05-25": 70})
    new = ev(store, "2024-05-25")
    assert [(a.rule, a.previous_score, a.score) for a in new] == [("crossing", 40, 70)]


def test_first_score_above_60(store) -> None:
    c = add_company(store, 3)
    add_scores(store, c, {"2024-05-01": 75})
    rules = AlertRules.model_validate({"crossing": {"include_first_score": False}})
    assert ev(store, "2024-05-01", rules) == []
    new = ev(store, "2024-05-01")
    assert [(a.rule, a.previous_score) for a in new] == [("crossing", None)]


def test_missed_run_caught_within_lookback_only(store) -> None:
    late = add_company(store, 4)
    stale = add_company(store, 5)
    add_scores(store, late, days("2024-05-01", [50, 61, 62, 63, 64]))  # crossed 05-02
    add_scores(store, stale, {"2024-04-01": 50, "2024-04-02": 61, "2024-05-05": 64})  # crossed a month ago
    new = ev(store, "2024-05-05")
    assert [a.credit_code for a in new] == [late]
    assert new[0].previous_score == 50


def test_rise_of_15_within_7_days(store) -> None:
    fast = add_company(store, 6)
    slow = add_company(store, 7)
    add_scores(store, fast, days("2024-05-01", [20, 22, 25, 30, 38]))
    add_scores(store, slow, {"2024-04-01": 20, "2024-04-08": 27, "2024-04-15": 34, "2024-04-22": 41, "2024-04-29": 48, "2024-05-05": 55})
    new = ev(store, "2024-05-05")
    assert [(a.rule, a.credit_code, a.previous_score, a.score) for a in new] == [("rise", fast, 20, 38)]
    assert "上升 18.0" in new[0].message
    assert ev(store, "2024-05-05") == []


def test_rise_and_crossing_both_fire(store) -> None:
    c = add_company(store, 8)
    add_scores(store, c, days("2024-05-01", [45, 50, 64]))
    assert sorted(a.rule for a in ev(store, "2024-05-03")) == ["crossing", "rise"]


def test_new_model_version_is_not_a_rise(store) -> None:
    c = add_company(store, 9)
    add_scores(store, c, days("2024-05-01", [30, 31]), model="m1")
    add_scores(store, c, {"2024-05-03": 50}, model="m2")
    assert ev(store, "2024-05-03") == []


def test_replay_of_a_past_day_uses_history_up_to_that_day(store) -> None:
    c = add_company(store, 10)
    add_scores(store, c, days("2024-05-01", [50, 62, 58, 57]))  # current score 57 (05-04)
    new = ev(store, "2024-05-02")
    assert [(a.rule, a.score) for a in new] == [("crossing", 62)]
    assert ev(store, "2024-05-04") == []  # the episode ended


def test_critical_evidence_alerts_once_per_new_evidence(store) -> None:
    c = add_company(store, 11)
    add_scores(store, c, {"2024-05-01": 35, "2024-05-02": 45}, indicators=[criminal("d1")])
    new = ev(store, "2024-05-02")
    assert [(a.rule, a.score, a.previous_score) for a in new] == [("critical", 45, 35)]
    assert "涉刑事案件" in new[0].message and "http://court.test/d1" in new[0].message
    assert ev(store, "2024-05-02") == []
    # Next day: the same case again (no alert), plus a second case (alert).
    add_scores(store, c, {"2024-05-03": 46}, indicators=[criminal("d1")])
    assert ev(store, "2024-05-03") == []
    add_scores(store, c, {"2024-05-04": 47}, indicators=[criminal("d1"), criminal("d2")])
    new = ev(store, "2024-05-04")
    assert [a.rule for a in new] == ["critical"] and "1 条" in new[0].message


def test_critical_within_cooldown_waits_then_alerts(store) -> None:
    c = add_company(store, 12)
    rules = AlertRules.model_validate({"critical": {"cooldown_days": 3}})
    add_scores(store, c, {"2024-05-01": 30}, indicators=[criminal("d1")])
    assert len(ev(store, "2024-05-01", rules)) == 1
    add_scores(store, c, {"2024-05-02": 31}, indicators=[criminal("d1"), criminal("d2")])
    assert ev(store, "2024-05-02", rules) == []  # within the cooldown: held back, not forgotten
    add_scores(store, c, {"2024-05-04": 31}, indicators=[criminal("d1"), criminal("d2")])
    new = ev(store, "2024-05-04", rules)
    assert len(new) == 1 and "1 条" in new[0].message


def test_runaway_cluster_and_configurable_patterns(store) -> None:
    c = add_company(store, 13)
    runaway = IndicatorResult(
        id="complaints.runaway_cluster", dimension="complaints", value=12, points=10, label="跑路投诉聚集",
        evidence=[Evidence(url="http://complaints.test/1", snippet="老板跑路了", doc_id="c1")],
    )
    zero = IndicatorResult(id="compliance.criminal_case", dimension="compliance", value=0, points=0)
    add_scores(store, c, {"2024-05-01": 20}, indicators=[runaway, zero])
    only_criminal = AlertRules.model_validate({"critical": {"indicator_patterns": ["compliance.criminal*"]}})
    assert ev(store, "2024-05-01", only_criminal) == []  # a zero-valued criminal indicator is not evidence
    new = ev(store, "2024-05-01")
    assert [a.rule for a in new] == ["critical"] and "跑路投诉聚集" in new[0].message


def test_disabled_rules_and_bad_date(store) -> None:
    c = add_company(store, 14)
    add_scores(store, c, days("2024-05-01", [40, 70]), indicators=[criminal()])
    off = AlertRules.model_validate({"crossing": {"enabled": False}, "rise": {"enabled": False}, "critical": {"enabled": False}})
    assert ev(store, "2024-05-02", off) == []
    with pytest.raises(ValueError, match="as_of: expected an ISO date"):
        ev(store, "yesterday")


def test_alert_created_today_uses_the_clock() -> None:
    assert alert_created("2024-07-01", NOW) == "2024-07-01T09:00:00+08:00"
    assert alert_created("2024-06-30", NOW) == "2024-06-30T00:00:00+08:00"


def test_bundled_config_loads() -> None:
    rules, channels = load_alert_config()
    assert rules.crossing.threshold is None and rules.rise.min_rise == 15 and rules.rise.window_days == 7
    assert "compliance.criminal_case" in rules.critical.indicator_patterns
    assert channels.digest.enabled and not channels.email.enabled


@pytest.mark.parametrize(
    ("doc", "field", "expected"),
    [
        ({"rules": {"crossing": {"threshold": "high"}}}, "rules.crossing.threshold", "valid number"),
        ({"rules": {"rise": {"min_rise": -3}}}, "rules.rise.min_rise", "greater than 0"),
        ({"rules": {"crosing": {}}}, "rules.crosing", "extra inputs are not permitted"),
        ({"channels": {"email": {"enabled": True}}}, "channels.email", "at least one address in recipients"),
        ({"channels": {"email": {"security": "ssl3"}}}, "channels.email.security", "'starttls', 'tls' or 'none'"),
        ({"channels": {"webhooks": [{"name": "a", "url": "ftp://x"}]}}, "channels.webhooks.0.url", "http:// or https://"),
        ({"channels": {"webhooks": [{"name": "a", "url": "http://x", "format": "slack"}]}}, "channels.webhooks.0.format", "'json', 'dingtalk' or 'wecom'"),
        (
            {"channels": {"webhooks": [{"name": "a", "url": "http://x"}, {"name": "a", "url": "http://y"}]}},
            "channels",
            "unique webhook names",
        ),
    ],
)
def test_config_errors_name_file_field_expectation(tmp_path: Path, doc: dict, field: str, expected: str) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_alert_config(path)
    msg = str(err.value)
    assert f"{path}: {field}:" in msg and expected in msg.lower(), msg
