"""What scoring one company needs to know about the others (built once per run by
``scorer.iter_scores``; tests build it by hand): network ties, near-copies of known
schemes' promotions, shared addresses, dishonest persons, and an analysis cache.

Scoring only ever calls ``.get`` on these fields: a run fills them with
``scoring.tables.Lookup`` objects that read its on-disk working tables, so no dict over
every company is held in memory; tests pass plain dicts."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexing.models import Evidence


@dataclass(frozen=True, slots=True)
class Tie:
    kind: str  # person | address | phone | website
    via: str  # the shared value
    other_code: str
    other_name: str
    other_index: float  # the other company's index without network (first pass)
    punished: bool  # criminal case or fundraising penalty or serious violation
    url: str = ""  # where the other company's profile is
    shared_by: int = 2  # how many companies share the value: the more, the less it says


@dataclass(frozen=True, slots=True)
class NearCopy:
    similarity: float
    other_code: str
    other_name: str
    url: str  # our page
    other_url: str  # the known scheme's page
    snippet: str
    date: str = ""


@dataclass(slots=True)
class ScoringContext:
    as_of: str
    ties: dict[str, list[Tie]] = field(default_factory=dict)
    near_copies: dict[str, NearCopy] = field(default_factory=dict)
    cluster_sizes: dict[str, int] = field(default_factory=dict)
    address_counts: dict[str, int] = field(default_factory=dict)  # normalised address -> companies
    dishonest_people: dict[str, Evidence] = field(default_factory=dict)  # person name -> a 失信 entry
    analysis_cache: dict[str, object] = field(default_factory=dict)  # doc id + hash -> TextAnalysis
