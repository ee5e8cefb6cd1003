"""Indicators: each measures one thing about a company and names its evidence.

Every module exposes ``measure(facts) -> dict[indicator id, Measurement]``; the scorer
turns values into points with the model's curves. Values are raw measurements (counts,
ratios, rates) so that a reader can check them against the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexing.models import Evidence


@dataclass(slots=True)
class Measurement:
    value: float
    evidence: list[Evidence] = field(default_factory=list)


MAX_EVIDENCE = 5  # per indicator: the strongest few, enough to check the value


def top(evidence: list[Evidence]) -> list[Evidence]:
    return evidence[:MAX_EVIDENCE]
