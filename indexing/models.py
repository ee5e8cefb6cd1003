"""The shared entities (DESIGN.md, "Entities"): what crawlers write, the store keeps
and the scorer reads.

Plain dataclasses: cheap to build by the million, easy to turn into JSON with
``to_dict``. Kind-specific fields of a document (court case number, complaint
amount, promo engagement) live in ``Document.fields`` so that one table and one
index mapping serve every source kind; ``CourtFields``/``ComplaintFields`` below
name the keys each kind uses.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from config import config_path, load_yaml
from config.model import LEVEL_IDS as _LEVEL_IDS
from config.model import ModelConfig

SourceKind = Literal["registry", "court", "complaint", "promo", "amac"]
SOURCE_KINDS: tuple[str, ...] = ("registry", "court", "complaint", "promo", "amac")

DocType = Literal["promo", "recruit", "complaint", "judgment", "warning", "news", "other"]
DOC_TYPES: tuple[str, ...] = ("promo", "recruit", "complaint", "judgment", "warning", "news", "other")

DIMENSIONS: tuple[str, ...] = ("compliance", "complaints", "yield", "feature_words", "spread", "network")
# The five dimensions every score shows; "network" is the sixth, beyond the five.
CORE_DIMENSIONS: tuple[str, ...] = DIMENSIONS[:5]
# The colour bands, green .. red (ids only: see "colour bands" below).
LEVEL_IDS: tuple[str, ...] = _LEVEL_IDS

# --- colour bands: ids here, cut-offs in config/model.yaml (``bands``, ``high_risk_band``) ---
# Every user of a level cut-off reads it through the functions below (the scorer through its
# own model, the same ``ModelConfig.level_for``); the bands' names and colours are labels
# (config/labels.yaml, smoke.labels).


@functools.lru_cache(maxsize=8)
def _band_model(path: str) -> ModelConfig:
    return load_yaml(Path(path), ModelConfig)


def band_model() -> ModelConfig:
    """The model whose bands every surface uses: config/model.yaml (honouring SMOKE_CONFIG_DIR),
    validated and read once per file."""
    return _band_model(str(config_path("model.yaml")))


def level_bounds() -> tuple[tuple[float, str], ...]:
    """((lower bound, level id), ...) from green (0) to red."""
    return tuple((float(bound), level) for level, bound in band_model().bands.items())


def level_for(index: float) -> str:
    """The colour band of a smoke index (config/model.yaml ``bands``: green < 20 <= blue < 40
    <= yellow < 60 <= orange < 80 <= red as shipped)."""
    return band_model().level_for(index)


def high_risk() -> float:
    """The high-risk threshold: the lower bound of the model's ``high_risk_band`` (60, orange)."""
    return band_model().high_risk


def high_levels() -> tuple[str, ...]:
    """The levels that are high risk (orange and red as shipped)."""
    threshold = high_risk()
    return tuple(level for bound, level in level_bounds() if bound >= threshold)


def stable_id(*parts: str) -> str:
    """A short, stable id from the parts that identify a record (e.g. a canonical URL)."""
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:20]


@dataclass(slots=True)
class RegistryEntry:
    """One line of a registry list: 经营异常, 行政处罚, 严重违法失信, or a change record."""

    kind: Literal["abnormal", "penalty", "serious_violation", "change"]
    date: str  # ISO date
    reason: str  # 列入原因 / 处罚事由 / 变更事项
    authority: str = ""
    removed_date: str = ""  # 移出日期 for 经营异常; empty while still listed
    detail: str = ""  # penalty content, or "before -> after" for changes
    url: str = ""


@dataclass(slots=True)
class Person:
    name: str
    role: str  # legal_rep | shareholder | executive
    share: float | None = None  # shareholding fraction, shareholders only


@dataclass(slots=True)
class Company:
    credit_code: str  # 统一社会信用代码, 18 chars, the company's id everywhere
    name: str
    former_names: list[str] = field(default_factory=list)
    legal_rep: str = ""
    people: list[Person] = field(default_factory=list)
    registered_capital: float | None = None  # in 10k CNY (万元)
    paid_in_capital: float | None = None
    founded: str = ""  # ISO date
    status: str = ""  # 存续 / 在业 / 吊销 / 注销
    address: str = ""
    region_code: str = ""  # 6-digit administrative division code
    industry: str = ""
    business_scope: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)  # bare domains
    aliases: list[str] = field(default_factory=list)  # brand names used in promotion
    entries: list[RegistryEntry] = field(default_factory=list)
    amac_registered: bool | None = None  # None: unknown / not a fund manager
    source_url: str = ""  # the registry page this profile came from
    updated: str = ""  # ISO datetime of the last crawl that changed it

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Company:
        d = dict(d)
        d["people"] = [Person(**p) for p in d.get("people", [])]
        d["entries"] = [RegistryEntry(**e) for e in d.get("entries", [])]
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(slots=True)
class Mention:
    """A link from a document to a company it concerns, with how it was found."""

    credit_code: str
    method: str  # credit_code | name | former_name | alias | domain | party
    confidence: float  # 0..1
    role: str = ""  # for court records: plaintiff | defendant | dishonest ...


@dataclass(slots=True)
class Document:
    """Any crawled text. ``id`` is stable (from the canonical URL) so re-crawls upsert."""

    id: str
    url: str  # canonical URL
    source_kind: str  # one of SOURCE_KINDS
    site: str  # source name from config/sources/<site>.yaml
    title: str
    text: str  # normalised text (see indexing.normalize)
    fetched: str  # ISO datetime
    published: str = ""  # ISO date, when the page says
    raw_text: str = ""  # text before normalisation, for showing evidence as the page had it
    content_hash: str = ""
    encoding: str = ""  # detected charset of the page
    domain: str = ""
    mentions: list[Mention] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # kind-specific, see below
    # promotion | complaint | judgment | registry | warning | news (indexing.doc_kind): set by
    # the store when the document is indexed, whatever a writer put here; "" before that.
    doc_kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        d = dict(d)
        d["mentions"] = [Mention(**m) for m in d.get("mentions", [])]
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


# Keys of Document.fields per source kind (documentation, and used by the spiders).
COURT_FIELDS = ("case_no", "court", "cause", "judgment_type", "parties", "amount", "dishonest")
# parties: [{"name": ..., "role": "plaintiff|defendant|third_party", "credit_code": ...}]
COMPLAINT_FIELDS = ("platform", "amount", "demand", "status", "complaint_id")
PROMO_FIELDS = ("page_type", "engagement", "invite_codes", "links", "alt_text")
AMAC_FIELDS = ("manager_name", "registration_no", "credit_code", "status")


@dataclass(slots=True)
class Evidence:
    url: str
    snippet: str
    date: str = ""
    doc_id: str = ""
    source_kind: str = ""
    # where the matched words sit in ``snippet``: [[start, end), ...] (scoring.quote); shown
    # marked (<mark> on the web, 【】 in text). Empty for evidence without a match (registry facts).
    marks: list[list[int]] = field(default_factory=list)


@dataclass(slots=True)
class IndicatorResult:
    id: str  # e.g. "compliance.abnormal_unreachable"
    dimension: str
    value: float  # the raw measurement (count, rate, ratio ...)
    points: float  # contribution to the smoke index (sum of all points == index)
    dimension_score: float = 0.0  # contribution to its dimension's 0-100 score
    label: str = ""  # human-readable, Chinese
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Score:
    credit_code: str
    as_of: str  # ISO date
    smoke_index: float  # 0..100
    level: str
    dimensions: dict[str, float]  # dimension -> 0..100
    indicators: list[IndicatorResult]
    model_version: str
    hard_rules: list[str] = field(default_factory=list)
    # what computed it: {"model": ..., "lexicon": ..., "analyser": ...} (config versions);
    # empty in scores saved before provenance was recorded (they know only model_version)
    versions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Score:
        d = dict(d)
        d["indicators"] = [
            IndicatorResult(**{**i, "evidence": [Evidence(**e) for e in i.get("evidence", [])]})
            for i in d.get("indicators", [])
        ]
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(slots=True)
class Alert:
    id: str  # stable: rule + company + the day or episode that triggered it
    credit_code: str
    created: str  # ISO datetime
    rule: str
    score: float
    previous_score: float | None
    message: str
    delivery: dict[str, str] = field(default_factory=dict)  # channel -> pending|sent|failed
    acknowledged_by: str = ""
    acknowledged_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class SourceStats:
    pages: int = 0
    items: int = 0
    bytes: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # error type -> count
    blocked: bool = False
    blocked_reason: str = ""
    duration_s: float = 0.0
    skipped: str = ""  # not crawled: why (e.g. an admin switched the source off); "" when crawled


@dataclass(slots=True)
class Run:
    id: str
    started: str
    finished: str = ""
    status: str = "running"  # running | ok | partial | failed
    kind: str = "cycle"  # cycle | crawl:<source> | score
    sources: dict[str, SourceStats] = field(default_factory=dict)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Run:
        d = dict(d)
        d["sources"] = {k: SourceStats(**v) for k, v in d.get("sources", {}).items()}
        return cls(**d)
