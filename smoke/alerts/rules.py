"""Alert rules: which score changes become alerts (config/alerts.yaml, ``rules``).

Each rule looks at a company's score history up to ``as_of`` and finds an
**episode**: the run of consecutive scores, ending at ``as_of``, for which the
rule's condition holds (index >= 60; a rise of >= 15 within 7 days). The alert id
is a hash of rule + credit code + the episode's first date, so

* re-running the same day, or the next day while the episode lasts, finds the same
  id and ``store.save_alert`` keeps the first one (no duplicates);
* a missed daily run is caught up to ``lookback_days`` late;
* a new episode (the index fell back and crossed again) gets a new id, unless it
  starts within ``cooldown_days`` of the rule's last alert for that company.

Critical evidence (a criminal case, a cluster of 跑路 complaints) is keyed by the
evidence itself: indicator id + document. Evidence already alerted is remembered
in store state, so only new evidence raises an alert.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from fnmatch import fnmatchcase

from config.alerts import AlertRules
from indexing.models import Alert, Score, high_risk, stable_id
from indexing.store.base import Store
from smoke.service.timefmt import SHANGHAI as TZ

log = logging.getLogger(__name__)

Point = tuple[str, float]  # (as_of date, smoke index)


def _day(s: str) -> date:
    return date.fromisoformat(s[:10])


def alert_created(as_of: str, now: datetime | None = None) -> str:
    """When an alert counts as raised: now, or for a replay of a past day, that day.

    A backtest that replays last month must not put last month's alerts in today's
    digest, so a past ``as_of`` dates its alerts at the start of that day.
    """
    now = (now or datetime.now(TZ)).astimezone(TZ)
    if _day(as_of) >= now.date():
        return now.isoformat(timespec="seconds")
    return f"{_day(as_of).isoformat()}T00:00:00+08:00"


def _run_start(points: list[Point], cond: Callable[[int], bool]) -> int | None:
    """Index of the first point of the run of points satisfying ``cond`` that ends at the last point."""
    if not points or not cond(len(points) - 1):
        return None
    i = len(points) - 1
    while i > 0 and cond(i - 1):
        i -= 1
    return i


def _in_cooldown(store: Store, rule: str, code: str, when: str, cooldown_days: int) -> bool:
    last = store.get_state(f"alerts.last.{rule}.{code}")
    if not last or last == when or cooldown_days <= 0:
        return False
    return abs((_day(when) - _day(last)).days) < cooldown_days


def _mark(store: Store, rule: str, code: str, when: str) -> None:
    store.set_state(f"alerts.last.{rule}.{code}", when)


class _Evaluator:
    def __init__(self, store: Store, as_of: str, rules: AlertRules, now: datetime | None) -> None:
        self.store = store
        self.as_of = as_of
        self.rules = rules
        self.created = alert_created(as_of, now)
        self.new: list[Alert] = []
        self.counts = {"companies": 0, "crossing": 0, "rise": 0, "critical": 0, "suppressed": 0}

    # -- helpers --------------------------------------------------------------
    def _name(self, code: str) -> str:
        company = self.store.get_company(code)
        return company.name if company else code

    def _save(
        self, rule: str, code: str, episode: str, score: float, previous: float | None, message: str, when: str = ""
    ) -> None:
        alert = Alert(
            id=stable_id("alert", rule, code, episode),
            credit_code=code,
            created=self.created,
            rule=rule,
            score=round(score, 2),
            previous_score=None if previous is None else round(previous, 2),
            message=message,
        )
        if self.store.save_alert(alert):
            self.new.append(alert)
            self.counts[rule] += 1
        _mark(self.store, rule, code, when or episode)

    def _points(self, score: Score) -> list[Point]:
        history = [(d[:10], float(v), mv) for d, v, mv in self.store.score_history(score.credit_code) if d[:10] <= self.as_of]
        # Compare like with like: a new model version is not a rise.
        same = [(d, v) for d, v, mv in history if mv == score.model_version]
        points = same or [(d, v) for d, v, _ in history]
        dedup: dict[str, float] = {}
        for d, v in points:
            dedup[d] = v
        return sorted(dedup.items())

    def _crossing_line(self) -> float:
        """The crossing rule's line: its own threshold when config/alerts.yaml sets one, else the model's."""
        t = self.rules.crossing.threshold
        return high_risk() if t is None else t

    def _fresh(self, episode: str, lookback_days: int) -> bool:
        return (_day(self.as_of) - _day(episode)).days <= lookback_days

    # -- rules ----------------------------------------------------------------
    def crossing(self, code: str, points: list[Point]) -> None:
        rule = self.rules.crossing
        line = self._crossing_line()
        start = _run_start(points, lambda i: points[i][1] >= line)
        if start is None or (start == 0 and not rule.include_first_score):
            return
        episode = points[start][0]
        if not self._fresh(episode, rule.lookback_days):
            return
        if _in_cooldown(self.store, "crossing", code, episode, rule.cooldown_days):
            self.counts["suppressed"] += 1
            return
        now = points[-1][1]
        previous = points[start - 1][1] if start > 0 else None
        before = "首次评分即" if previous is None else f"由 {previous:.1f} "
        message = (
            f"{self._name(code)} 冒烟指数{before}升至 {points[start][1]:.1f}（{episode}），"
            f"达到高风险线 {line:g} 分；当前 {now:.1f}。"
        )
        self._save("crossing", code, episode, now, previous, message)

    def rise(self, code: str, points: list[Point]) -> None:
        rule = self.rules.rise

        def baseline(i: int) -> float | None:
            start = _day(points[i][0]) - timedelta(days=rule.window_days)
            window = [v for d, v in points[:i] if _day(d) >= start]
            return min(window) if window else None

        def cond(i: int) -> bool:
            b = baseline(i)
            return b is not None and points[i][1] - b >= rule.min_rise

        start = _run_start(points, cond)
        if start is None:
            return
        episode = points[start][0]
        if not self._fresh(episode, rule.lookback_days):
            return
        if _in_cooldown(self.store, "rise", code, episode, rule.cooldown_days):
            self.counts["suppressed"] += 1
            return
        now = points[-1][1]
        base = baseline(len(points) - 1)
        assert base is not None  # cond() held at the last point
        message = (
            f"{self._name(code)} 冒烟指数 {rule.window_days} 天内上升 {now - base:.1f} 分："
            f"{base:.1f} → {now:.1f}（{self.as_of}）。"
        )
        self._save("rise", code, episode, now, base, message)

    def critical(self, score: Score) -> None:
        rule = self.rules.critical
        code = score.credit_code
        keys: dict[str, str] = {}  # evidence key -> label
        urls: list[str] = []
        for ind in score.indicators:
            if not (ind.points > 0 or ind.value > 0):
                continue
            if not any(fnmatchcase(ind.id, p) for p in rule.indicator_patterns):
                continue
            label = ind.label or ind.id
            if not ind.evidence:
                keys[ind.id] = label
            for ev in ind.evidence:
                keys[f"{ind.id}|{ev.doc_id or ev.url}"] = label
                if ev.url:
                    urls.append(ev.url)
        if not keys:
            return
        state_key = f"alerts.critical_seen.{code}"
        seen = set(json.loads(self.store.get_state(state_key) or "[]"))
        new_keys = sorted(set(keys) - seen)
        if not new_keys:
            return
        if _in_cooldown(self.store, "critical", code, self.as_of, rule.cooldown_days):
            # Not marked as seen: this evidence alerts once the cooldown is over.
            self.counts["suppressed"] += 1
            return
        labels = "、".join(sorted({keys[k] for k in new_keys}))
        first_url = f"；证据：{urls[0]}" if urls else ""
        message = f"{self._name(code)} 出现新的关键证据：{labels}（{len(new_keys)} 条，{self.as_of}）{first_url}"
        # The id comes from the evidence itself: re-running after a crash between the two
        # writes below finds the same id, and save_alert keeps the one alert.
        episode = "critical:" + "\x1e".join(new_keys)
        prev = self._previous_index(code, score)
        self._save("critical", code, episode, score.smoke_index, prev, message, when=self.as_of)
        self.store.set_state(state_key, json.dumps(sorted(seen | set(keys)), ensure_ascii=False))

    def _previous_index(self, code: str, score: Score) -> float | None:
        earlier = [v for d, v, _ in self.store.score_history(code) if d[:10] < score.as_of[:10]]
        return float(earlier[-1]) if earlier else None

    # -- driver ---------------------------------------------------------------
    def run(self) -> list[Alert]:
        r = self.rules
        floor = min(
            self._crossing_line() if r.crossing.enabled else 101.0,
            r.rise.min_rise if r.rise.enabled else 101.0,
        )
        for score in self.store.iter_latest_scores():
            self.counts["companies"] += 1
            code = score.credit_code
            current = score.as_of[:10] <= self.as_of
            # The index can only have crossed or risen if it is at least the floor now;
            # skip the history query for everyone else (most companies are green).
            if not current or score.smoke_index >= floor:
                points = self._points(score)
                if points:
                    if r.crossing.enabled:
                        self.crossing(code, points)
                    if r.rise.enabled:
                        self.rise(code, points)
            if r.critical.enabled and current:
                self.critical(score)
        log.info("alert rules as of %s: %s", self.as_of, self.counts)
        return self.new


def evaluate_rules(
    store: Store, as_of: str, rules: AlertRules | None = None, *, now: datetime | None = None
) -> list[Alert]:
    """Apply the alert rules to every company's scores up to ``as_of`` (ISO date), save the
    new alerts with ``store.save_alert`` and return them (already known ones are not)."""
    if rules is None:
        from smoke.alerts.config import load_alert_config

        rules = load_alert_config()[0]
    try:
        as_of = _day(as_of).isoformat()
    except ValueError as exc:
        raise ValueError(f"as_of: expected an ISO date (YYYY-MM-DD), got {as_of!r}") from exc
    return _Evaluator(store, as_of, rules, now).run()
