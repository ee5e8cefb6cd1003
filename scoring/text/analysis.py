"""``analyze(text)``: one text's signals, in order: match the lexicon, classify the genre,
settle it by the speaker's stance, read each occurrence's context, read the yields, assess
the risk for the genre. The knowledge is config/analyser.yaml and config/lexicon.yaml; the
yield grammar is scoring/yields.py."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from indexing.doc_kind import classify as classify_kind
from indexing.doc_kind import read_as
from scoring.lexicon import Lexicon, Occurrence, load_lexicon
from scoring.matchtext import make_match_text
from scoring.text.context import sentence, status, warns
from scoring.text.doctype import Stance, classify, settle
from scoring.text.learned import UNREAD_STATUSES, TextModel, analyser_version, load_text_model, model_reading
from scoring.text.record import PROMISE_TYPES, Hit, Snippet, TextAnalysis, conclusive
from scoring.text.risk import Signals, assess
from scoring.text.rules import Rules, load_rules
from scoring.yields import (
    RecruitReward,
    YieldClaim,
    parse_recruit_rewards,
    parse_yields,
    payout_frequency,
    quote_verbatim,
)

LPR_1Y = 3.1  # default benchmark (one-year LPR, %); the scorer passes the model's value
GUARANTEE_CATEGORY = "guarantees"  # lexicon categories the analysis treats apart
SEVERITY_CATEGORY = "severity"
LABEL_CATEGORY = "labels"
MAX_SNIPPETS = 40
SNIPPET_MARGIN = 24  # characters of context either side of a term in its snippet


def _respelt(folded: str, occurrences: list[Occurrence]) -> str:
    """``folded`` with terms spelt in pinyin written back in hanzi (a term half spelt in latin letters -> the term, padded),
    padded with spaces so that offsets stay put: the yield grammar reads hanzi."""
    spelt = [o for o in occurrences if o.via == "pinyin:spelt"]
    if not spelt:
        return folded
    chars = list(folded)
    for o in spelt:
        word = o.term.term
        if len(word) <= o.end - o.start:
            chars[o.start : o.end] = list(word.ljust(o.end - o.start))
    return "".join(chars)


@dataclass(slots=True)
class _Tally:
    """Occurrences by status: hits, snippets, denials and the weights the risk needs."""

    hits: dict[str, Hit] = field(default_factory=dict)
    snippets: list[Snippet] = field(default_factory=list)
    denials: list[Snippet] = field(default_factory=list)
    cat_scores: dict[str, float] = field(default_factory=dict)
    term_effective: dict[str, int] = field(default_factory=dict)
    guarantees: list[str] = field(default_factory=list)
    reported_weight: float = 0.0
    severity: float = 0.0
    labels: int = 0

    def add(self, o: Occurrence, status: str, base: str) -> None:
        t = o.term
        h = self.hits.get(t.term)
        if h is None:
            h = self.hits[t.term] = Hit(t.term, t.category, weight=t.weight)
        h.count += 1
        h.statuses[status] = h.statuses.get(status, 0) + 1
        snip = Snippet(t.term, t.category, status, o.start, o.end,
                       base[max(0, o.start - SNIPPET_MARGIN) : o.end + SNIPPET_MARGIN])
        if status in ("promise", "denial"):
            h.effective += 1
        if status == "promise":
            n = self.term_effective.get(t.term, 0)
            self.term_effective[t.term] = n + 1
            # repeats of one term add less and less: 1, 0.41, 0.32 ... (sqrt growth)
            self.cat_scores[t.category] = self.cat_scores.get(t.category, 0.0) + t.weight * (math.sqrt(n + 1) - math.sqrt(n))
            if t.category == GUARANTEE_CATEGORY and t.term not in self.guarantees:
                self.guarantees.append(t.term)
        elif status == "denial":
            self.denials.append(snip)
        elif status == "reported":
            self.reported_weight += t.weight
        elif t.category == SEVERITY_CATEGORY:
            self.severity += t.weight
        elif t.category == LABEL_CATEGORY:
            self.labels += 1
        if (status != "descriptive" or t.category == SEVERITY_CATEGORY) and len(self.snippets) < MAX_SNIPPETS:
            self.snippets.append(snip)


def _read_yields(folded: str, occurrences: list[Occurrence], raw: str, base: str,
                 normalized: bool) -> tuple[list[YieldClaim], list[RecruitReward]]:
    """Promised yields and rewards per recruit (never a yield), each quoted in the page's own words."""
    respelt = _respelt(folded, occurrences)
    rewards = parse_recruit_rewards(respelt)
    claims = parse_yields(respelt, exclude=rewards)
    quote_verbatim([*claims, *rewards], raw, base, normalized)
    return claims, rewards


def analyze(text: str, title: str = "", url: str = "", *, lpr: float = LPR_1Y, lexicon: Lexicon | None = None,
            normalized: bool = False, doc_type: str | None = None, doc_kind: str = "", rules: Rules | None = None,
            text_model: TextModel | None | bool = None) -> TextAnalysis:
    """Analyse one text. ``normalized``: ``text`` is already normalize_text output. ``doc_type``:
    force the type instead of classifying (a page on a company's own site speaks for the
    company whatever genre it imitates). ``doc_kind``: the document's stored kind
    (indexing.doc_kind); a bare text is classified by the same rule as a page of the open web.
    A kind the rule decides (warning, news, judgment, complaint) is the type
    (``indexing.doc_kind.read_as``): the kind shown and the type scored cannot disagree. ``text_model``: the statistical half to
    combine with the rules (default config/text_model.json); False for the rules alone."""
    lex = lexicon or load_lexicon()
    rules = rules or load_rules()
    mt = make_match_text(text or "", lex.table, already_normalized=normalized)
    folded = mt.folded
    mt_title = make_match_text(title, lex.table) if title else None
    folded_title = mt_title.folded if mt_title else ""
    occurrences = lex.find(mt)
    claims, rewards = _read_yields(folded, occurrences, text or "", mt.base, normalized)
    reporter = len(rules.stance["reporter"].findall(folded))
    genre, votes = classify(rules, folded, folded_title)
    imposed = read_as(doc_kind or classify_kind("promo", title, mt.base))
    if doc_type:
        genre = doc_type
    elif imposed:
        genre = imposed
    else:
        genre = settle(genre, votes, Stance(
            promoter=len(rules.stance["promoter"].findall(folded)),
            reporter=reporter,
            sales_calls=len(rules.stance["sales_call"].findall(folded)),
            promise_weight=sum(o.term.weight for o in occurrences if o.term.promise),
            promised_yield=any(y.promised for y in claims),
            labels=sum(1 for o in occurrences if o.term.category == LABEL_CATEGORY),
            denies_label=any(o.term.category == LABEL_CATEGORY and status(rules, o, folded, "promo") == "denial"
                             for o in occurrences),
        ))

    tally = _Tally()
    unread = []
    for o in occurrences:
        st = status(rules, o, folded, genre)
        tally.add(o, st, mt.base)
        if st in UNREAD_STATUSES:
            unread.append((o.start, o.end))
    for c in claims:
        if warns(rules, sentence(folded, c.start, c.end)):
            c.quoted = True  # "30 % a year used as bait": a description of the promise, not the promise
    promise_rates = [y.annual_rate for y in claims if y.promised]
    max_rate = max(promise_rates) if promise_rates else None
    freq = payout_frequency(folded)
    if freq is None and any(y.period == "day" and y.promised for y in claims):
        freq = "day"
    legit = len(rules.legitimacy.findall(folded))

    assessment = assess(rules, lex, Signals(
        folded=folded, doc_type=genre, lpr=lpr, category_scores=tally.cat_scores,
        promised_terms=list(tally.term_effective), guarantees=tally.guarantees, max_rate=max_rate,
        payout_frequency=freq, denials=len(tally.denials), legit=legit, reporter=reporter,
        severity=tally.severity, reported_weight=tally.reported_weight, labels=tally.labels,
    ))
    rules_risk = round(min(100.0, max(0.0, assessment.risk)), 1)
    risk, opinion, tm = rules_risk, None, None
    respelt = [(o.start, o.end, o.term.term) for o in occurrences if o.via.startswith("pinyin")]
    read = model_reading(mt_title.squeezed if mt_title else "", folded, unread, respelt)
    if text_model is not False:
        tm = text_model if isinstance(text_model, TextModel) else load_text_model()
        opinion = tm.opinion(read)
        assessment.components["text_model"] = 100.0 * opinion.probability
        risk = tm.combine(opinion.probability, rules_risk, len(read), conclusive(assessment.verdicts))
    length = len(mt.base)
    promotional = genre in PROMISE_TYPES
    return TextAnalysis(
        risk=round(min(100.0, max(0.0, risk)), 1),
        doc_type=genre,
        yields=claims,
        hits=sorted(tally.hits.values(), key=lambda h: (-h.effective, -h.count, h.term)),
        doc_type_votes=votes,
        max_annual_rate=max_rate if promotional else None,
        guarantees=tally.guarantees,
        payout_frequency=freq if promotional else None,
        denials=tally.denials,
        snippets=tally.snippets,
        category_scores=tally.cat_scores,
        density=1000.0 * sum(tally.cat_scores.values()) / max(200, length),
        legit_cues=legit,
        components=assessment.components,
        verdicts=assessment.verdicts,
        length=length,
        lexicon_version=lex.version,
        analyser_version=analyser_version(rules.version, tm),
        rules_risk=rules_risk,
        model=opinion,
        model_reading=read,
        recruit_rewards=rewards,
    )
