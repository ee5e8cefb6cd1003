"""Yield (利诱性): promised annual rates against the LPR, guarantees, daily payouts."""

from __future__ import annotations

from scoring.facts import CompanyFacts, evidence_at, evidence_for
from scoring.indicators import Measurement, top
from scoring.yields import payout_span


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
            # the page's own words only (DESIGN.md: every number shown as evidence is a verbatim
            # quote); the annual rate it works out to is the indicator's value, not a quote
            ev = evidence_at(d.doc, claim.start, claim.end, base_len=a.length)
            if a.max_annual_rate > best_rate:
                best_rate, best_ev = a.max_annual_rate, [ev] + best_ev
            if a.max_annual_rate > 1.5 * lpr:
                pages.append(ev)
        for g in a.guarantees:
            if g not in guarantees:
                # the page's own sentence (offsets refer to the stored text; the analyser's
                # snippet has look-alike characters folded, 壹 -> 一)
                snip = next((s for s in a.snippets if s.term == g and s.status == "promise"), None)
                guarantees[g] = (evidence_at(d.doc, snip.start, snip.end, base_len=a.length) if snip
                                 else evidence_for(d.doc, g))
        if a.payout_frequency == "day":
            # quoted: a daily claim, else the words that promise daily payouts
            span = next(((y.start, y.end) for y in a.yields if y.period == "day" and y.promised), None)
            lower = d.doc.text.lower()  # the analyser matched the folded text (T+0 -> t+0)
            span = span or payout_span(lower if len(lower) == len(d.doc.text) else d.doc.text, "day")
            daily.append(evidence_at(d.doc, *span, base_len=a.length) if span else evidence_for(d.doc, "按日返利/分红"))
    ratio = best_rate / lpr if best_rate else 0.0
    over = best_rate > cfg.judicial_multiple * lpr
    return {
        "yield.max_rate_vs_lpr": Measurement(round(ratio, 4), top(best_ev)),
        "yield.above_judicial_ceiling": Measurement(float(over), top(best_ev) if over else []),
        "yield.guarantee": Measurement(len(guarantees), top([guarantees[k] for k in sorted(guarantees)])),
        "yield.daily_payout": Measurement(float(bool(daily)), top(daily)),
        "yield.yield_pages": Measurement(len(pages), top(pages)),
    }
