"""Alert triage: alerts grouped per company and day, filters, bulk acknowledgement, and an
assignee and notes per alert.

An alert's **day** is the day of the data it judged, in Asia/Shanghai: ``Alert.created``
is the wall clock for today's data but the data's own day for a replayed or sandbox
cycle (``smoke.alerts.rules.alert_created``), so "the latest cycle's alerts" are the
alerts of the newest day, never "alerts created since midnight by the wall clock".

Assignee and notes live in store state under ``alerts.triage.<alert id>`` (one JSON
object per alert): both backends keep state already, the alert record itself stays as
the rules and the outbox write it, and an assignment made while a delivery round runs
cannot be overwritten by that round.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from indexing.models import LEVEL_IDS, Alert, Company, level_for
from indexing.store.base import Store
from smoke.service.timefmt import SHANGHAI as TZ

STATES = ("open", "acked", "all")
MAX_NOTE = 2000  # characters of one note
MAX_NOTES = 200  # notes kept per alert (the oldest go first)
MAX_ASSIGNEE = 64
SCAN_LIMIT = 20_000  # newest alerts looked at by one triage listing
BANDS = LEVEL_IDS
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class TriageError(ValueError):
    """A triage request that cannot be done as asked (the message says what to send)."""


def triage_key(alert_id: str) -> str:
    return f"alerts.triage.{alert_id}"


def alert_day(alert: Alert) -> str:
    """The Asia/Shanghai day of an alert's data (see the module docstring)."""
    try:
        t = datetime.fromisoformat(alert.created)
    except ValueError:
        return alert.created[:10]
    if t.tzinfo is None:
        return t.date().isoformat()
    return t.astimezone(TZ).date().isoformat()


@dataclass(slots=True)
class Note:
    by: str
    at: str
    text: str


@dataclass(slots=True)
class Triage:
    assignee: str = ""
    notes: list[Note] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"assignee": self.assignee, "notes": [{"by": n.by, "at": n.at, "text": n.text} for n in self.notes]}


def get_triage(store: Store, alert_id: str) -> Triage:
    raw = store.get_state(triage_key(alert_id))
    try:
        d = json.loads(raw) if raw else {}
    except ValueError:
        d = {}
    notes = [Note(str(n.get("by", "")), str(n.get("at", "")), str(n.get("text", "")))
             for n in d.get("notes", []) if isinstance(n, dict)]
    return Triage(assignee=str(d.get("assignee", "")), notes=notes)


def _save(store: Store, alert_id: str, t: Triage) -> None:
    store.set_state(triage_key(alert_id), json.dumps(t.to_dict(), ensure_ascii=False))


def _now() -> str:
    return datetime.now(TZ).isoformat(timespec="seconds")


def _known(store: Store, alert_ids: Iterable[str]) -> list[str]:
    ids = list(dict.fromkeys(a for a in alert_ids if a))
    missing = [a for a in ids if store.get_alert(a) is None]
    if missing:
        raise TriageError(f"no such alert: {', '.join(missing[:10])}")
    return ids


def assign(store: Store, alert_ids: Iterable[str], assignee: str) -> list[str]:
    """Set (or with "" clear) the assignee of each alert; returns the ids changed."""
    assignee = (assignee or "").strip()
    if len(assignee) > MAX_ASSIGNEE or _CONTROL.search(assignee):
        raise TriageError(f"assignee: expected at most {MAX_ASSIGNEE} characters, no control characters")
    changed = []
    for alert_id in _known(store, alert_ids):
        t = get_triage(store, alert_id)
        if t.assignee != assignee:
            t.assignee = assignee
            _save(store, alert_id, t)
            changed.append(alert_id)
    return changed


def add_note(store: Store, alert_ids: Iterable[str], text: str, by: str, at: str = "") -> list[str]:
    """Append a note (by whom, when) to each alert; returns the ids."""
    text = (text or "").strip()
    if not text or len(text) > MAX_NOTE:
        raise TriageError(f"note: expected 1 to {MAX_NOTE} characters")
    ids = _known(store, alert_ids)
    for alert_id in ids:
        t = get_triage(store, alert_id)
        t.notes = [*t.notes, Note(by, at or _now(), text)][-MAX_NOTES:]
        _save(store, alert_id, t)
    return ids


def acknowledge_many(store: Store, alert_ids: Iterable[str], by: str, at: str = "") -> tuple[list[str], list[str]]:
    """Acknowledge every alert of ``alert_ids``: (acknowledged now, unknown ids). Alerts
    already acknowledged keep their first acknowledgement and are in neither list."""
    at = at or _now()
    done, missing = [], []
    for alert_id in dict.fromkeys(a for a in alert_ids if a):
        if store.acknowledge_alert(alert_id, by, at):
            done.append(alert_id)
        elif store.get_alert(alert_id) is None:
            missing.append(alert_id)
    return done, missing


# --- filters and groups ------------------------------------------------------------


@dataclass(slots=True)
class TriageFilter:
    rule: str = ""  # crossing | rise | critical
    band: str = ""  # a level of indexing.models.LEVEL_IDS (of the alert's score)
    region: str = ""  # region code prefix of the company
    assignee: str = ""  # "-" : nobody assigned
    state: str = "open"  # open | acked | all
    day: str = ""  # only this day (YYYY-MM-DD)
    credit_codes: frozenset[str] | None = None  # only these companies (a watchlist)

    def check(self) -> TriageFilter:
        if self.state not in STATES:
            raise TriageError(f"state: expected one of {', '.join(STATES)}, got {self.state!r}")
        if self.band and self.band not in BANDS:
            raise TriageError(f"band: expected one of {', '.join(BANDS)}, got {self.band!r}")
        if self.region and not (self.region.isdigit() and len(self.region) <= 6):
            raise TriageError(f"region: expected a region code prefix of up to 6 digits, got {self.region!r}")
        if self.day:
            try:
                datetime.strptime(self.day, "%Y-%m-%d")
            except ValueError:
                raise TriageError(f"day: expected YYYY-MM-DD, got {self.day!r}") from None
        return self


@dataclass(slots=True)
class AlertGroup:
    """The alerts of one company on one day: one row in the inbox, listing every reason."""

    credit_code: str
    day: str
    company_name: str
    region: str
    alerts: list[Alert]
    triage: dict[str, Triage]

    @property
    def key(self) -> str:
        return f"{self.day}|{self.credit_code}"

    @property
    def ids(self) -> list[str]:
        return [a.id for a in self.alerts]

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(a.rule for a in self.alerts))

    @property
    def score(self) -> float:
        return max(a.score for a in self.alerts)

    @property
    def previous_score(self) -> float | None:
        prev = [a.previous_score for a in self.alerts if a.previous_score is not None]
        return min(prev) if prev else None

    @property
    def band(self) -> str:
        return level_for(self.score)

    @property
    def acknowledged(self) -> bool:
        return all(a.acknowledged_by for a in self.alerts)

    @property
    def acknowledged_by(self) -> list[str]:
        return list(dict.fromkeys(a.acknowledged_by for a in self.alerts if a.acknowledged_by))

    @property
    def assignees(self) -> list[str]:
        return list(dict.fromkeys(t.assignee for t in self.triage.values() if t.assignee))

    @property
    def notes(self) -> list[tuple[str, Note]]:
        """(alert id, note), oldest first."""
        out = [(aid, n) for aid, t in self.triage.items() for n in t.notes]
        return sorted(out, key=lambda x: x[1].at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "credit_code": self.credit_code,
            "company_name": self.company_name,
            "day": self.day,
            "region": self.region,
            "score": round(self.score, 2),
            "previous_score": None if self.previous_score is None else round(self.previous_score, 2),
            "band": self.band,
            "rules": self.rules,
            "acknowledged": self.acknowledged,
            "assignees": self.assignees,
            "alerts": [
                {**a.to_dict(), "assignee": self.triage[a.id].assignee,
                 "notes": self.triage[a.id].to_dict()["notes"]}
                for a in self.alerts
            ],
        }


def _matches(a: Alert, t: Triage, company: Company | None, f: TriageFilter) -> bool:
    if f.rule and a.rule != f.rule:
        return False
    if f.band and level_for(a.score) != f.band:
        return False
    if f.region and not (company and company.region_code.startswith(f.region)):
        return False
    if f.assignee == "-" and t.assignee:
        return False
    if f.assignee and f.assignee != "-" and t.assignee != f.assignee:
        return False
    if f.state == "open" and a.acknowledged_by:
        return False
    return not (f.state == "acked" and not a.acknowledged_by)


def group_alerts(store: Store, alerts: list[Alert], f: TriageFilter | None = None) -> list[AlertGroup]:
    """``alerts`` that pass ``f``, grouped per company and day: newest day first, then
    highest score. One batch read for the companies; triage is read per alert."""
    f = (f or TriageFilter(state="all")).check()
    if f.day:
        alerts = [a for a in alerts if alert_day(a) == f.day]
    if f.credit_codes is not None:
        alerts = [a for a in alerts if a.credit_code in f.credit_codes]
    companies = store.get_companies(a.credit_code for a in alerts)
    groups: dict[tuple[str, str], AlertGroup] = {}
    for a in alerts:
        t = get_triage(store, a.id)
        company = companies.get(a.credit_code)
        if not _matches(a, t, company, f):
            continue
        day = alert_day(a)
        g = groups.get((day, a.credit_code))
        if g is None:
            g = groups[(day, a.credit_code)] = AlertGroup(
                credit_code=a.credit_code, day=day, company_name=company.name if company else a.credit_code,
                region=company.region_code if company else "", alerts=[], triage={})
        g.alerts.append(a)
        g.triage[a.id] = t
    out = list(groups.values())
    for g in out:
        g.alerts.sort(key=lambda a: (a.created, a.id))
    out.sort(key=lambda g: (g.day, g.score, g.credit_code), reverse=True)
    return out


def list_groups(store: Store, f: TriageFilter | None = None, limit: int = 200) -> list[AlertGroup]:
    """The newest ``limit`` alert groups that pass ``f`` (state open by default)."""
    f = (f or TriageFilter()).check()
    since = (date.fromisoformat(f.day) - timedelta(days=1)).isoformat() if f.day else ""  # see latest_cycle_alerts
    alerts = store.list_alerts(since=since, unacknowledged_only=f.state == "open", limit=SCAN_LIMIT)
    return group_alerts(store, alerts, f)[:limit]


def latest_day(store: Store) -> str:
    """The day of the newest alert's data ("" when there is none)."""
    newest = store.list_alerts(limit=1)
    return alert_day(newest[0]) if newest else ""


def latest_cycle_alerts(store: Store) -> tuple[str, list[Alert]]:
    """(day, alerts) of the latest cycle: every alert of the newest data day. A replayed
    or sandbox cycle dates its alerts by the data, so the wall clock's "today" would miss them."""
    day = latest_day(store)
    if not day:
        return "", []
    # A day early: Elasticsearch compares ``since`` as a UTC date, and 00:00 in Shanghai is
    # the evening before in UTC; the exact day is picked below.
    since = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    alerts = store.list_alerts(since=since, limit=SCAN_LIMIT)
    return day, [a for a in alerts if alert_day(a) == day]
