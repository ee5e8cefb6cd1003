"""Each company's true risk over time, as the generator knows it: the yardstick a ranking
is measured against (``spearman_true_risk``).

A scheme moves through stages a regulator would recognise, each riskier than the last:
registered but quiet, launched, recruiting hard, paying late, collapsed. Its risk at a
stage is the stage's level times its size (a scheme four times as big harms more
people). A scheme reborn under a new name starts where its parent was recruiting: the
people and the plan are known, and the old victims are the first courted. Legitimate companies keep a small constant risk by kind; ordinary ones none.
A path is a list of ``[ISO date, risk]`` steps; ``risk_at`` reads it at a date.
"""

from __future__ import annotations

from datetime import date, timedelta

STAGES = {"registered": 0.1, "launch": 0.3, "recruiting": 0.6, "paying_late": 0.8, "collapsed": 1.0}
RECRUITING_AT = 0.35  # share of the planned life after which recruiting is at full tilt
PAYING_LATE_FOR = 0.2  # last share of the life in which payouts come late

LOOKALIKE_RISK = {"angry_customers": 0.15, "licensed_flagged": 0.1, "minor_flags": 0.05}


def _size(scale: int) -> float:
    return min(1.0, 0.8 + 0.05 * scale)  # scale 1..4 -> 0.85..1.0


def scheme_risk_path(start: date, founded: int, launch: int, life: int, collapse: int | None, scale: int,
                     span: int, reborn: bool = False) -> list[list]:
    """The steps of a scheme's true risk; offsets are days after ``start``."""
    size = _size(scale)
    planned_end = launch + life
    points = [
        (founded, STAGES["registered"]),
        (launch, STAGES["recruiting" if reborn else "launch"]),
        (launch + int(life * RECRUITING_AT), STAGES["recruiting"]),
        (planned_end - int(life * PAYING_LATE_FOR), STAGES["paying_late"]),
    ]
    if collapse is not None:
        points.append((collapse, STAGES["collapsed"]))
    return [[(start + timedelta(days=d)).isoformat(), round(r * size, 3)] for d, r in points if d <= span]


def lookalike_risk(sub: str) -> float:
    return LOOKALIKE_RISK.get(sub, 0.05 if sub else 0.0)


def risk_at(path: list[list] | None, as_of: str) -> float:
    """The last step of ``path`` on or before ``as_of`` (0 before the first)."""
    out = 0.0
    for when, r in path or []:
        if when <= as_of:
            out = float(r)
    return out
