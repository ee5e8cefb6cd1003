"""Risk per genre: how strongly one text is itself evidence of illegal fundraising or a
pyramid scheme (0-100), from the signals the analysis collected.

Independent components combine with a noisy-or, 100 * (1 - prod(1 - c/100)), so each kind
of evidence adds without any one saturating the others. The weights are config/analyser.yaml
``risk``; the components are kept for explanation, the verdicts for the scorer's decisions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from config.analyser import YieldCurve
from scoring.lexicon import Lexicon
from scoring.text.context import sentence, warns
from scoring.text.record import PROMISE_TYPES, no_verdicts
from scoring.text.rules import Rules

NAMED_PATTERN_CATEGORY = "fundraising_patterns"  # lexicon category of the Supreme People's Court's patterns


@dataclass(slots=True)
class Signals:
    """What the analysis found in one text, as the risk components need it."""

    folded: str
    doc_type: str
    lpr: float
    category_scores: dict[str, float]  # effective promise weight per lexicon category
    promised_terms: list[str]  # terms promised at least once
    guarantees: list[str]
    max_rate: float | None
    payout_frequency: str | None
    denials: int
    legit: int  # legitimacy disclosures
    reporter: int  # reporter's stance cues
    severity: float  # severity weight (not promised: described or reported)
    reported_weight: float  # promise weight a complainant reports
    labels: int  # labels named descriptively


@dataclass(slots=True)
class Assessment:
    risk: float
    components: dict[str, float] = field(default_factory=dict)
    verdicts: dict[str, bool] = field(default_factory=no_verdicts)


def saturate(x: float, scale: float) -> float:
    return 100.0 * (1.0 - math.exp(-max(0.0, x) / scale))


def noisy_or(parts: list[float]) -> float:
    p = 1.0
    for c in parts:
        p *= 1.0 - min(100.0, max(0.0, c)) / 100.0
    return 100.0 * (1.0 - p)


def yield_points(rate: float | None, lpr: float, c: YieldCurve) -> float:
    """A promised annual rate (%) against the LPR: 0 up to a bank's, rising to the judicial
    ceiling, then to the usury rate, then slowly with each tenfold."""
    start = c.above_bank_multiple * lpr
    if rate is None or rate <= start:
        return 0.0
    ceiling = c.ceiling_multiple * lpr
    if rate <= ceiling:
        return c.at_ceiling * (rate - start) / (ceiling - start)
    if rate <= c.usury_rate:
        return c.above_ceiling + (c.at_usury - c.above_ceiling) * (rate - ceiling) / max(1e-9, c.usury_rate - ceiling)
    return min(c.cap, c.at_usury + c.per_decade * math.log10(rate / c.usury_rate))


def _pays_per_recruit(rules: Rules, folded: str) -> bool:
    rp = rules.recruit_pay
    if any(not warns(rules, sentence(folded, m.start(), m.end())) for m in rp["recruit_count"].finditer(folded)):
        return True
    return bool(rp["per_recruit_reward"].search(folded) and rp["entry_fee"].search(folded))


def _halts_withdrawals(rules: Rules, s: Signals) -> bool:
    """The platform's own notice that withdrawals stopped: said by the platform itself (no
    third party cited; not the warning-sentence test, since such notices tell readers what
    not to do: do not join the protests), with the reassurance such notices carry, and no scheduled
    maintenance window (a bank's two-hour notice is not a collapse)."""
    col = rules.collapse
    return (s.reporter == 0 and col["halt"].search(s.folded) is not None and col["reassure"].search(s.folded) is not None
            and not col["maintenance_window"].search(s.folded))


def promise_risk(rules: Rules, lex: Lexicon, s: Signals) -> Assessment:
    """promo, recruit, other: the text makes the promises."""
    w = rules.risk.promise
    curve = rules.risk.yield_curve
    out = Assessment(0.0)
    comps = out.components
    feature_sum = sum(min(w.category_cap, v) for v in s.category_scores.values())  # one category cannot saturate
    comps["features"] = saturate(feature_sum, w.feature_scale)
    comps["yield"] = yield_points(s.max_rate, s.lpr, curve)
    if s.guarantees and s.max_rate is not None and s.max_rate > curve.above_bank_multiple * s.lpr:
        # principal (and interest) guaranteed at a rate above the bank's: the promise of
        # repayment of principal with interest that defines illegal deposit-taking; a strong guarantee says it outright
        strong = any(lex.terms_by_name[g].weight >= w.strong_term_weight for g in s.guarantees if g in lex.terms_by_name)
        comps["guarantee_with_yield"] = w.strong_guarantee_with_yield if strong else w.guarantee_with_yield
    # the Supreme People's Court's named patterns (leaseback after sale, agreed buy-back ...) are each an
    # element of illegal fundraising when promised, not just one more feature word
    named = {t for t in s.promised_terms if (term := lex.terms_by_name.get(t)) is not None
             and term.category == NAMED_PATTERN_CATEGORY and term.weight >= w.strong_term_weight}
    if named:
        comps["named_pattern"] = min(w.named_pattern_cap, w.named_pattern_each * len(named))
    if s.payout_frequency == "day" and (s.max_rate or s.category_scores):
        comps["daily_payout"] = w.daily_payout
    if _pays_per_recruit(rules, s.folded):
        comps["pay_per_recruit"] = w.pay_per_recruit
    comps["denial"] = min(w.denial_cap, w.denial_each * s.denials)
    risk = noisy_or(list(comps.values()))
    if s.legit and (s.max_rate is None or s.max_rate <= w.legit_max_rate_multiple * s.lpr):
        # a licensed product's disclosures (wealth products are not deposits, benchmark rate ...) dampen what remains
        risk *= max(w.legit_damping_floor, 1.0 - w.legit_damping_each * s.legit)
        comps["legit_damping"] = -s.legit
    if s.doc_type == "other":
        risk *= w.other_factor
    if _halts_withdrawals(rules, s):
        # the platform's own notice that withdrawals stopped: conclusive whatever else it says
        comps["withdrawal_halt"] = w.withdrawal_halt
        out.verdicts["withdrawal_halt"] = True
        risk = noisy_or([risk, w.withdrawal_halt])
    out.risk = risk
    return out


def complaint_risk(rules: Rules, s: Signals) -> Assessment:
    w = rules.risk.complaint
    comps = {
        "severity": min(w.severity_cap, saturate(s.severity, w.severity_scale)),
        "reported_promises": w.reported_factor * saturate(s.reported_weight, w.reported_scale),
        "yield": w.yield_factor * yield_points(s.max_rate, s.lpr, rules.risk.yield_curve),
    }
    return Assessment(noisy_or(list(comps.values())), comps)


def judgment_risk(rules: Rules, s: Signals) -> Assessment:
    w = rules.risk.judgment
    crime = rules.verdicts["fundraising_crime"].search(s.folded) is not None
    convicted = rules.verdicts["conviction"].search(s.folded) is not None
    points = w.fundraising_conviction if crime and convicted else (w.fundraising_case if crime else w.other)
    out = Assessment(points, {"conviction": points})
    out.verdicts.update(convicted=convicted, fundraising_crime=crime)
    return out


def report_risk(rules: Rules, s: Signals) -> Assessment:
    """warning, news: about schemes in general; modest unless a scheme is named as suspect."""
    w = rules.risk.report
    suspects = len(rules.stance["suspect"].findall(s.folded))
    reported = min(w.cap, w.per_label * s.labels + w.per_severity * s.severity)
    if rules.stance["commentary"].search(s.folded) and not suspects:
        reported *= w.commentary_factor  # commentary on schemes in general names no one
    comps = {"reported_scheme": reported, "named_suspect": min(w.named_suspect_cap, w.named_suspect_each * suspects)}
    out = Assessment(noisy_or([comps["reported_scheme"], comps["named_suspect"]]), comps)
    out.verdicts["named_suspect"] = suspects > 0
    return out


def assess(rules: Rules, lex: Lexicon, s: Signals) -> Assessment:
    """The risk of one text by its genre."""
    if s.doc_type in PROMISE_TYPES:
        return promise_risk(rules, lex, s)
    if s.doc_type == "complaint":
        return complaint_risk(rules, s)
    if s.doc_type == "judgment":
        return judgment_risk(rules, s)
    return report_risk(rules, s)
