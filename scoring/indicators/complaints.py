"""Complaints (社会性): volume with time decay, severity, amounts, growth, rate."""

from __future__ import annotations

from datetime import date

from scoring.facts import CompanyFacts, evidence_at, evidence_for
from scoring.indicators import Measurement, top


def _amount(value: object) -> float:
    try:
        return max(0.0, float(str(value).replace(",", "").replace("元", "").strip() or 0))
    except ValueError:
        return 0.0


def measure(facts: CompanyFacts) -> dict[str, Measurement]:
    cfg = facts.model.config
    as_of = date.fromisoformat(facts.as_of)
    half_life = cfg.complaint_half_life_days
    volume = severe = amount = 0.0
    recent = previous = 0
    ev_all, ev_severe, ev_amount = [], [], []
    for d in facts.complaints:
        age = max(0, (as_of - date.fromisoformat(d.date)).days)
        decay = 0.5 ** (age / half_life)
        volume += decay
        a = d.analysis
        severe_words = [(s.start, s.end) for s in a.snippets if s.category == "severity"]
        ev = (evidence_at(d.doc, *severe_words[0], severe_words[1:], a.length) if severe_words
              else evidence_for(d.doc))
        ev_all.append(ev)
        if any(h.category == "severity" and h.weight >= 4 for h in a.hits):
            severe += decay
            ev_severe.append(ev)
        amt = _amount(d.doc.fields.get("amount", 0))
        if amt:
            amount += amt
            ev_amount.append(evidence_for(d.doc, f"涉及金额 {amt:,.0f} 元：{d.doc.title}"))
        if age <= cfg.recent_days:
            recent += 1
        elif age <= 2 * cfg.recent_days:
            previous += 1
    newest_first = list(reversed(ev_all))
    growth = (recent + 1) / (previous + 1) if recent >= 3 else 1.0
    exposure = 1 + len(facts.promo)
    return {
        "complaints.volume": Measurement(round(volume, 4), top(newest_first)),
        "complaints.severity": Measurement(round(severe, 4), top(list(reversed(ev_severe)))),
        "complaints.amount": Measurement(amount, top(sorted(ev_amount, key=lambda e: e.snippet, reverse=True))),
        "complaints.growth": Measurement(round(growth, 4), top(newest_first[:recent]) if recent >= 3 else []),
        "complaints.rate": Measurement(round(len(facts.complaints) / exposure, 4), top(newest_first) if facts.complaints else []),
    }
