"""Feature words (特征词命中率): lexicon hits by category in promotional and recruiting
documents only, density-normalised (effective weight per 1,000 characters of that text,
floor 1,000), so long pages do not win by length and warnings, news and judgments never
count (their hits are "context" in the text analysis)."""

from __future__ import annotations

from scoring.facts import CompanyFacts, evidence_at, evidence_for
from scoring.indicators import Measurement, top

CATEGORIES = ("recruiting", "pyramid_rewards", "returns", "guarantees", "fundraising_patterns", "equity_crypto",
              "pension", "fronts", "legitimacy_claims", "urgency")


def measure(facts: CompanyFacts) -> dict[str, Measurement]:
    docs = [d for d in facts.promo if d.analysis.doc_type in ("promo", "recruit")]
    length = sum(d.analysis.length for d in docs)
    norm = 1000.0 / max(1000.0, float(length))
    out: dict[str, Measurement] = {}
    for cat in CATEGORIES:
        weight = 0.0
        ev = []
        for d in docs:
            w = d.analysis.category_scores.get(cat, 0.0)
            if w:
                weight += w
                same = [s for s in d.analysis.snippets if s.category == cat and s.status == "promise"]
                if same:  # the first promise's sentence, with the category's other words in it marked too
                    e = evidence_at(d.doc, same[0].start, same[0].end, [(s.start, s.end) for s in same[1:]],
                                    d.analysis.length)
                else:
                    e = evidence_for(d.doc)
                ev.append((w, e))
        ev.sort(key=lambda p: -p[0])
        out[f"feature_words.{cat}"] = Measurement(round(weight * norm, 4), top([e for _, e in ev]))
    denials = []
    for d in facts.promo:  # promo, recruit and unclassified pages: a denial is a denial anywhere a promoter speaks
        for s in d.analysis.denials:
            denials.append(evidence_at(d.doc, s.start, s.end, base_len=d.analysis.length))
    out["feature_words.denial"] = Measurement(len(denials), top(denials))
    return out
