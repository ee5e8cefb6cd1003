"""Yield (利诱性): promised annual rates against the LPR, guarantees, daily payouts."""

from __future__ import annotations

from scoring.facts import CompanyFacts, evidence_for
from scoring.indicators import Measurement, top


def measure(facts: CompanyFacts) -> dict[str, Measurement]:
    cfg = facts.model.config
    lpr = cfg.lpr_1y
    best_rate, best_ev = 0.0, []
    guarantees: dict[str, object] = {}
    daily = []
    pages = []
    for d in facts.promo:
        a = d.analysis
        if a.max_annual_rate is not None:
            claim = max((y for y in a.yields if y.promised), key=lambda y: y.annual_rate)
            ev = evidence_for(d.doc, f"{claim.text}（折合年化约{claim.annual_rate:.1f}%）")
            if a.max_annual_rate > best_rate:
                best_rate, best_ev = a.max_annual_rate, [ev] + best_ev
            if a.max_annual_rate > 1.5 * lpr:
                pages.append(ev)
        for g in a.guarantees:
            if g not in guarantees:
                snip = next((s.text for s in a.snippets if s.term == g and s.status == "promise"), g)
                guarantees[g] = evidence_for(d.doc, snip)
        if a.payout_frequency == "day":
            daily.append(evidence_for(d.doc, "按日返利/分红"))
    ratio = best_rate / lpr if best_rate else 0.0
    over = best_rate > cfg.judicial_multiple * lpr
    return {
        "yield.max_rate_vs_lpr": Measurement(round(ratio, 4), top(best_ev)),
        "yield.above_judicial_ceiling": Measurement(float(over), top(best_ev) if over else []),
        "yield.guarantee": Measurement(len(guarantees), top([guarantees[k] for k in sorted(guarantees)])),
        "yield.daily_payout": Measurement(float(bool(daily)), top(daily)),
        "yield.yield_pages": Measurement(len(pages), top(pages)),
    }
