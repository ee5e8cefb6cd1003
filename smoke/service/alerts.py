"""Alerts as the API lists them: newest first, filtered, paged, with company names,
bands and Asia/Shanghai times. (Triage itself, with assignees and notes, is the alert
rules' and pages' business; this is the read side the API shares.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from indexing.models import level_for
from indexing.store.base import Store
from smoke import labels
from smoke.service.timefmt import to_shanghai

# Alerts read before filtering: the store lists alerts newest first without filters.
ALERT_WINDOW = 5000
STATES = ("open", "acknowledged")
RULE_ZH = dict(labels.labels().alert_rules)  # names: config/labels.yaml


@dataclass(slots=True)
class AlertFilters:
    rule: str = ""
    state: str = ""  # open | acknowledged | "" (all)
    credit_code: str = ""
    level: str = ""  # the band of the alert's score
    region: str = ""  # region code prefix of the company
    date_from: str = ""  # on the alert's created date (ISO, as stored)
    date_to: str = ""


def list_alerts(store: Store, f: AlertFilters, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """(rows of one page, total matching) — ValueError naming a bad filter."""
    if f.state and f.state not in STATES:
        raise ValueError(f"state: expected one of {', '.join(STATES)} (got {f.state!r})")
    items = store.list_alerts(since=f.date_from, unacknowledged_only=f.state == "open", limit=ALERT_WINDOW)
    if f.state == "acknowledged":
        items = [a for a in items if a.acknowledged_at]
    if f.rule:
        items = [a for a in items if a.rule == f.rule]
    if f.credit_code:
        items = [a for a in items if a.credit_code == f.credit_code.upper()]
    if f.date_to:
        items = [a for a in items if a.created[:10] <= f.date_to]
    if f.level:
        items = [a for a in items if level_for(a.score) == f.level]
    companies = store.get_companies({a.credit_code for a in items}) if (f.region or items) else {}
    if f.region:
        items = [a for a in items if a.credit_code in companies
                 and (companies[a.credit_code].region_code or "").startswith(f.region)]
    page = items[offset: offset + limit]
    rows = []
    for a in page:
        c = companies.get(a.credit_code)
        rows.append({
            "id": a.id,
            "credit_code": a.credit_code,
            "company": c.name if c else "",
            "created": to_shanghai(a.created),
            "rule": a.rule,
            "rule_zh": RULE_ZH.get(a.rule, a.rule),
            "score": round(a.score, 1),
            "previous_score": None if a.previous_score is None else round(a.previous_score, 1),
            "level": level_for(a.score),
            "message": a.message,
            "delivery": dict(a.delivery),
            "acknowledged_by": a.acknowledged_by,
            "acknowledged_at": to_shanghai(a.acknowledged_at),
            "company_url": f"/company/{a.credit_code}",
        })
    return rows, len(items)
