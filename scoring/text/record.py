"""The analysis of one text: lexicon hits, evidence snippets, yields, verdicts and risk."""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.text.learned import ModelOpinion
from scoring.yields import RecruitReward, YieldClaim

PROMISE_TYPES = ("promo", "recruit", "other")  # the text itself makes (or may make) the promise
CONTEXT_TYPES = ("warning", "news", "judgment")  # the text is about promises made elsewhere
VERDICTS = ("convicted", "fundraising_crime", "withdrawal_halt", "named_suspect")


def conclusive(verdicts: dict[str, bool]) -> bool:
    """A verdict that settles a text on its own: a fundraising conviction, a platform's own
    notice that withdrawals stopped."""
    return bool((verdicts.get("convicted") and verdicts.get("fundraising_crime")) or verdicts.get("withdrawal_halt"))


def no_verdicts() -> dict[str, bool]:
    return dict.fromkeys(VERDICTS, False)


@dataclass(slots=True)
class Hit:
    term: str
    category: str
    count: int = 0  # every occurrence
    effective: int = 0  # occurrences that make a promise (feature words) or deny a label
    weight: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)  # promise|negated|warning|context|reported|denial|descriptive

    def to_json(self) -> dict:
        return {"term": self.term, "category": self.category, "count": self.count, "effective": self.effective,
                "weight": self.weight, "statuses": dict(sorted(self.statuses.items()))}


@dataclass(slots=True)
class Snippet:
    term: str
    category: str
    status: str
    start: int  # offsets in the normalised text
    end: int
    text: str

    def to_json(self) -> dict:
        return {"term": self.term, "category": self.category, "status": self.status,
                "start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class TextAnalysis:
    risk: float
    doc_type: str
    yields: list[YieldClaim]
    hits: list[Hit]
    doc_type_votes: dict[str, float] = field(default_factory=dict)
    max_annual_rate: float | None = None  # highest promised (not historical) rate, promise contexts only
    guarantees: list[str] = field(default_factory=list)  # guarantee terms promised (not negated / quoted)
    payout_frequency: str | None = None  # day | week | month
    denials: list[Snippet] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    category_scores: dict[str, float] = field(default_factory=dict)  # effective weight per category
    density: float = 0.0  # effective promise weight per 1,000 characters
    legit_cues: int = 0
    components: dict[str, float] = field(default_factory=dict)  # for explanation; decisions read verdicts
    # what the text establishes, for the scorer: a conviction (judgments), a fundraising crime
    # (judgments), the platform's own withdrawal halt (promotional texts), a named suspect (reports)
    verdicts: dict[str, bool] = field(default_factory=no_verdicts)
    length: int = 0
    lexicon_version: str = ""
    analyser_version: str = ""  # the rules' version and the statistical model's: "1.0.0+2026.11.29"
    rules_risk: float = 0.0  # the rules' risk before the statistical model's opinion
    model: ModelOpinion | None = None  # the n-gram model's probability and the n-grams behind it
    model_reading: str = field(default="", repr=False)  # what the n-gram model read (not serialised)
    recruit_rewards: list[RecruitReward] = field(default_factory=list)  # pay per recruit: never a yield

    @property
    def is_promotional(self) -> bool:
        return self.doc_type in ("promo", "recruit")

    def model_reasons(self, n: int = 5) -> list[str]:
        """The n-grams that raised the statistical model's probability most (its evidence)."""
        if self.model is None:
            return []
        return [g for g, c in self.model.features if c > 0][:n]

    @property
    def is_fundraising_conviction(self) -> bool:
        """A judgment convicting someone of illegal fundraising or a pyramid scheme."""
        return bool(self.verdicts.get("convicted") and self.verdicts.get("fundraising_crime"))

    def to_json(self) -> dict:
        return {
            "risk": self.risk,
            "doc_type": self.doc_type,
            "yields": [y.to_json() for y in self.yields],
            "hits": [h.to_json() for h in self.hits],
            "max_annual_rate": None if self.max_annual_rate is None else round(self.max_annual_rate, 2),
            "guarantees": list(self.guarantees),
            "payout_frequency": self.payout_frequency,
            "denials": [d.to_json() for d in self.denials],
            "category_scores": {k: round(v, 2) for k, v in sorted(self.category_scores.items())},
            "density": round(self.density, 3),
            "legit_cues": self.legit_cues,
            "components": {k: round(v, 1) for k, v in sorted(self.components.items())},
            "verdicts": dict(sorted(self.verdicts.items())),
            "doc_type_votes": {k: round(v, 1) for k, v in sorted(self.doc_type_votes.items())},
            "snippets": [s.to_json() for s in self.snippets],
            "length": self.length,
            "lexicon_version": self.lexicon_version,
            "analyser_version": self.analyser_version,
            "recruit_rewards": [r.to_json() for r in self.recruit_rewards],
            "rules_risk": self.rules_risk,
            "text_model": None if self.model is None else self.model.to_json(),
        }
