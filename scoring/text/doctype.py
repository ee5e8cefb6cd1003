"""Rule-based document type: promo, recruit, complaint, judgment, warning, news, other.

``classify``: weighted stock phrases of each genre (config/analyser.yaml ``doc_types``:
court documents, regulators' risk notices, complaint platforms, news wires, sales copy, not
any one site's wording) vote in one Aho-Corasick pass; cues in the title count more;
structural cues (a case number, a complaint's first-person narrative) add strong votes.
The type with the most votes wins if it clears a minimum; otherwise "other".

``settle``: the stance of the speaker (promoter or reporter), the promises made and the
sales calls overrule votes that borrowed or quoted another genre's phrases.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.text.record import PROMISE_TYPES
from scoring.text.rules import Rules


def _votes(rules: Rules, text: str, factor: float, votes: dict[str, float], seen: dict[tuple[str, str], int]) -> None:
    for _, payload in rules.genre_automaton.iter(text):
        for doc_type, w in payload:
            # each cue counts with diminishing returns: 1, 0.5, 0.25 ...
            key = (doc_type, str(w) + str(id(payload)))
            n = seen.get(key, 0)
            seen[key] = n + 1
            votes[doc_type] = votes.get(doc_type, 0.0) + w * factor * (0.5**n)


def classify(rules: Rules, folded: str, folded_title: str = "") -> tuple[str, dict[str, float]]:
    """(doc type, votes per type) for a folded text and title."""
    cfg = rules.config.doc_types
    votes: dict[str, float] = dict.fromkeys(cfg.cues, 0.0)
    seen: dict[tuple[str, str], int] = {}
    head = folded[: cfg.head_chars]  # the genre shows early; long pages do not drown the cues
    _votes(rules, head, 1.0, votes, seen)
    if folded_title:
        _votes(rules, folded_title, cfg.title_factor, votes, {})
    for spec, rx in ((cfg.case_number, rules.case_number), (cfg.first_person, rules.first_person)):
        if rx.search(folded[: spec.within]) or (spec.in_title and rx.search(folded_title)):
            votes[spec.doc_type] += spec.votes
    best = max(sorted(votes), key=lambda t: votes[t])
    if votes[best] < cfg.min_votes:
        return "other", votes
    return best, votes


@dataclass(frozen=True, slots=True)
class Stance:
    """What the text does, counted: the evidence ``settle`` weighs against the genre votes."""

    promoter: int  # first-person sales talk
    reporter: int  # authorities cited, warnings
    sales_calls: int  # invite codes, WeChat, QR codes
    promise_weight: float  # lexicon weight of promise terms, whatever their context
    promised_yield: bool
    labels: int  # occurrences of lexicon labels (pyramid scheme, illegal fundraising)
    denies_label: bool  # the text denies a label ("this is not a pyramid scheme")


def settle(doc_type: str, votes: dict[str, float], s: Stance) -> str:
    """The document type once the speaker's stance is weighed (the rules run in this order)."""
    promo_or_recruit = "recruit" if votes.get("recruit", 0) > votes.get("promo", 0) else "promo"
    if doc_type in ("warning", "news", "other") and s.promoter >= 2 and s.reporter == 0 and (
            s.promised_yield or s.promise_weight >= 3):
        # first-person recruiting with concrete promises and no authority cited: the text
        # speaks for the scheme, whatever labels it names (or denies)
        return promo_or_recruit
    if doc_type in PROMISE_TYPES and s.reporter >= 2 and s.promoter == 0 and s.sales_calls == 0:
        # a warning or report (or a forum answer) whose stock phrases were outvoted by the
        # jargon it quotes; checked before the next rule, which would read the jargon as sales copy
        return "warning" if votes.get("warning", 0) >= votes.get("news", 0) else "news"
    if doc_type == "other" and (s.promise_weight >= 6 or (s.promised_yield and s.promoter >= 1)):
        return "promo"  # short sales copy has few genre cues but speaks for itself
    if (doc_type in PROMISE_TYPES and s.sales_calls < 2 and s.promoter <= s.reporter
            and s.labels >= 3 and not s.denies_label):
        # a text that keeps naming the labels (pyramid scheme, illegal fundraising) without denying them is about schemes
        # (commentary, education, reporting); promoters avoid those words except to deny them
        return "news"
    if doc_type in ("warning", "news") and s.promise_weight >= 6 and s.sales_calls >= 2:
        # a scheme's page that borrows a risk notice or a news-style opening to look legitimate:
        # regulators and reporters never ask readers to add a WeChat or use an invite code
        return promo_or_recruit
    return doc_type
