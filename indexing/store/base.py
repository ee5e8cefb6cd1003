"""The Store contract: one interface, two backends (SQLite + FTS5 embedded, Elasticsearch).

Every backend passes the same contract suite (tests/test_store_contract.py). Rules
every implementation keeps:

* Writes are idempotent upserts keyed by stable ids (credit code, document id,
  (credit code, as_of, model version) for scores, alert id, run id): re-running a
  cycle never duplicates anything.
* Crawled text is hostile: queries are always parameterised, never formatted.
* Full-text search runs over jieba tokens produced by ``indexing.tokenize`` so
  both backends split Chinese the same way.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from indexing.models import Alert, Company, Document, Run, Score
from indexing.store.core import CurrentScore

# What two companies can share (``Store.companies_sharing``): a person (legal
# representative or anyone in ``people``), the registered address, a phone, a website.
LINK_KINDS: tuple[str, ...] = ("person", "address", "phone", "website")
# Longer values are not link keys: real names, addresses and phones are far shorter,
# and a hostile 40 kB "phone" must not bloat the link index (nor exceed Elasticsearch's
# keyword limit, so both backends index exactly the same keys).
MAX_LINK_VALUE = 500


def check_link_kind(kind: str) -> None:
    if kind not in LINK_KINDS:
        raise ValueError(f"link kind must be one of {list(LINK_KINDS)}, got {kind!r}")


def link_keys(company: Company) -> list[tuple[str, str]]:
    """The (kind, value) pairs under which ``company`` is found by ``companies_sharing``:
    each once, by kind (person, address, phone, website) then value. Values are kept as
    crawled; blank ones are skipped (two companies without a phone share nothing), and so
    are ones longer than ``MAX_LINK_VALUE``."""

    def ok(v: object) -> bool:
        return isinstance(v, str) and bool(v.strip()) and len(v) <= MAX_LINK_VALUE

    by_kind = {
        "person": {company.legal_rep, *(p.name for p in company.people)},
        "address": {company.address},
        "phone": set(company.phones),
        "website": set(company.websites),
    }
    return [(kind, v) for kind in LINK_KINDS for v in sorted(x for x in by_kind[kind] if ok(x))]


# Near-duplicate lookups (``Store.near_duplicates``): a 64-bit simhash is cut into 4 bands of
# 16 bits, and each band value is indexed. Two hashes within 3 bits differ in at most 3
# bands, so they agree exactly in at least one (pigeonhole): the candidates are the
# documents sharing a band value (besides real near-copies, about N / 65536 per band by
# chance: some 60 per lookup at a million documents), never all N. At 4 bits or more that
# guarantee is gone, so wider searches are refused rather than silently incomplete.
SIMHASH_BANDS = 4
SIMHASH_BAND_BITS = 16
MAX_NEAR_BITS = SIMHASH_BANDS - 1
_SIMHASH_HEX = re.compile(r"[0-9a-fA-F]{16}")


def check_near_args(simhash: int, max_bits: int) -> None:
    if not isinstance(simhash, int) or not 0 <= simhash < 1 << 64:
        raise ValueError(f"simhash must be a 64-bit unsigned integer, got {simhash!r}")
    if not isinstance(max_bits, int) or not 0 <= max_bits <= MAX_NEAR_BITS:
        raise ValueError(f"max_bits must be 0..{MAX_NEAR_BITS} (4 bands of 16 bits), got {max_bits!r}")


def simhash_bands(simhash: int) -> list[int]:
    """The 16-bit band values of ``simhash``, band 0 (lowest bits) first."""
    mask = (1 << SIMHASH_BAND_BITS) - 1
    return [simhash >> (SIMHASH_BAND_BITS * i) & mask for i in range(SIMHASH_BANDS)]


def fields_simhash(fields: Any) -> int | None:
    """A document's ``fields["simhash"]`` (16 hex digits, as the crawler writes it) as an
    integer; None when absent or malformed (such a document is never a near-duplicate)."""
    raw = fields.get("simhash") if isinstance(fields, dict) else None
    # A regex, not int(raw, 16) alone: that also takes "0x", "_" and surrounding spaces.
    return int(raw, 16) if isinstance(raw, str) and _SIMHASH_HEX.fullmatch(raw) else None


def nearest(candidates: Iterable[tuple[str, int]], simhash: int, max_bits: int, exclude: str,
            limit: int) -> list[tuple[str, int]]:
    """(doc id, distance) of the (doc id, simhash) candidates within ``max_bits`` of
    ``simhash``, closest first, then by doc id; each id once, ``exclude`` left out."""
    found = {d: (s ^ simhash).bit_count() for d, s in candidates if d != exclude}
    hits = sorted((dist, d) for d, dist in found.items() if dist <= max_bits)
    return [(d, dist) for dist, d in hits[: max(0, int(limit))]]


# Every kind of record a store keeps, in the order a copy writes them (companies before
# the scores that become their current score).
RECORD_KINDS: tuple[str, ...] = ("companies", "documents", "scores", "alerts", "runs", "state")


def check_record_kind(kind: str) -> None:
    if kind not in RECORD_KINDS:
        raise ValueError(f"record kind must be one of {list(RECORD_KINDS)}, got {kind!r}")


class StoreError(RuntimeError):
    """A store that cannot be used as asked: the message says what went wrong and what to do.
    Each backend raises a subclass; the CLI reports it without a stack trace."""


@dataclass(slots=True)
class CompanyQuery:
    text: str = ""  # name, credit code or keyword; empty: all
    region: str = ""  # region code prefix ("44" = Guangdong, "4403" = Shenzhen)
    industry: str = ""
    level: str = ""  # green | blue | yellow | orange | red
    min_score: float | None = None
    max_score: float | None = None
    sort: str = "score"  # score | name | relevance | rise
    limit: int = 20
    offset: int = 0
    search_after: list[Any] | None = None  # cursor from Page.next_cursor (deep pagination)
    # Count every match (slower at scale) instead of stopping at core.COUNT_CAP: for figures
    # such as the dashboard's count of high-risk companies.
    exact_total: bool = False


@dataclass(slots=True)
class DocumentQuery:
    text: str = ""
    source_kind: str = ""
    doc_kind: str = ""  # promotion | complaint | judgment | registry | warning | news (indexing.doc_kind)
    credit_code: str = ""  # only documents mentioning this company
    date_from: str = ""  # on published (falls back to fetched) date, ISO
    date_to: str = ""
    sort: str = "relevance"  # relevance | date
    limit: int = 20
    offset: int = 0
    search_after: list[Any] | None = None


@dataclass(slots=True)
class CompanyHit:
    company: Company
    smoke_index: float | None
    level: str
    highlight: str = ""  # HTML-escaped snippet with <mark> around matches


@dataclass(slots=True)
class DocumentHit:
    document: Document
    relevance: float
    highlight: str = ""  # HTML-escaped snippet with <mark> around matches


@dataclass(slots=True)
class Page:
    hits: list[Any]
    total: int
    next_cursor: list[Any] | None = None
    # total is a lower bound: the search stopped counting at core.COUNT_CAP matches (show "10000+").
    total_is_lower_bound: bool = False
    # The sort the search ran (core.COMPANY_SORTS / DOCUMENT_SORTS); a company search asked for
    # relevance reports "score" when its text matched more than core.RANK_CAP companies.
    sort: str = ""
    # How a malformed query text was read (indexing.query_syntax), in Chinese; "" when it was
    # well formed. Worth showing next to the hits: "引号未闭合，已在末尾补上".
    notice: str = ""


@dataclass(slots=True)
class UpsertResult:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # ids that could not be written


class Store(ABC):
    """Where everything crawled and computed is kept. See module docstring."""

    # --- lifecycle -----------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def check_integrity(self) -> list[str]:
        """Damage the store can see in itself ([] when none): what a daily cycle checks before
        it reads and writes, so that overwritten pages fail loudly instead of reading as data.
        A cluster looks after its own shards, so the default finds nothing."""
        return []

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- companies -----------------------------------------------------------
    @abstractmethod
    def upsert_companies(self, companies: Iterable[Company]) -> UpsertResult: ...

    @abstractmethod
    def get_company(self, credit_code: str) -> Company | None: ...

    @abstractmethod
    def iter_companies(self) -> Iterator[Company]: ...

    @abstractmethod
    def count_companies(self) -> int: ...

    @abstractmethod
    def companies_by_name(self, name: str) -> list[Company]:
        """Companies whose current name, former name or alias equals ``name`` after
        ``indexing.normalize.normalize_name`` (used by entity linking)."""

    @abstractmethod
    def companies_by_domain(self, domain: str) -> list[Company]: ...

    @abstractmethod
    def companies_sharing(self, kind: str, value: str, limit: int = 50) -> list[str]:
        """Credit codes, ascending, of at most ``limit`` companies that have ``(kind, value)``
        among their ``link_keys``: kind "person" (legal_rep or a name in people), "address",
        "phone" or "website", compared exactly. Used for the relationship graph; an unknown
        kind raises ValueError."""

    @abstractmethod
    def count_companies_sharing(self, kind: str, value: str) -> int:
        """How many companies ``companies_sharing`` would return without a limit."""

    # --- batch reads ---------------------------------------------------------
    # One call for many keys: a page that shows fifty companies makes one round trip to a
    # remote backend, not fifty. These defaults loop over the single reads (an embedded
    # store pays nothing per call); a remote backend overrides them with one request.
    def get_companies(self, credit_codes: Iterable[str]) -> dict[str, Company]:
        """The stored companies among ``credit_codes``, by code; unknown codes are left out."""
        found = {c: self.get_company(c) for c in dict.fromkeys(credit_codes) if c}
        return {c: co for c, co in found.items() if co is not None}

    def latest_scores(self, credit_codes: Iterable[str]) -> dict[str, Score]:
        """``latest_score`` of each of ``credit_codes`` that has one, by code."""
        found = {c: self.latest_score(c) for c in dict.fromkeys(credit_codes) if c}
        return {c: s for c, s in found.items() if s is not None}

    @abstractmethod
    def current_scores(self, credit_codes: Iterable[str]) -> dict[str, CurrentScore]:
        """Each company's current score and rise as ``core.current_score`` decides them from
        its stored scores, by code; codes without scores are left out. The backend only
        fetches the rows (newest first, lazily); the rule lives in core."""

    def score_histories(self, credit_codes: Iterable[str]) -> dict[str, list[tuple[str, float, str]]]:
        """``score_history`` of each of ``credit_codes`` that has scores, by code."""
        found = {c: self.score_history(c) for c in dict.fromkeys(credit_codes) if c}
        return {c: h for c, h in found.items() if h}

    def sharing(self, keys: Iterable[tuple[str, str]], limit: int = 50) -> dict[tuple[str, str], tuple[list[str], int]]:
        """For each (kind, value): (``companies_sharing(kind, value, limit)``,
        ``count_companies_sharing(kind, value)``)."""
        return {k: (self.companies_sharing(k[0], k[1], limit), self.count_companies_sharing(k[0], k[1]))
                for k in dict.fromkeys(keys)}

    # --- documents -----------------------------------------------------------
    @abstractmethod
    def upsert_documents(self, documents: Iterable[Document]) -> UpsertResult:
        """Insert or update by ``Document.id``; same content_hash counts as unchanged."""

    @abstractmethod
    def get_document(self, doc_id: str) -> Document | None: ...

    @abstractmethod
    def documents_for(self, credit_code: str, source_kind: str = "") -> list[Document]:
        """Every document that mentions the company, oldest published first."""

    @abstractmethod
    def iter_documents(self, source_kind: str = "") -> Iterator[Document]: ...

    @abstractmethod
    def count_documents(self, source_kind: str = "") -> int: ...

    @abstractmethod
    def document_ids_with_hash(self, content_hash: str) -> list[str]:
        """Ids of stored documents with exactly this content hash (exact-duplicate check)."""

    @abstractmethod
    def near_duplicates(self, simhash: int, max_bits: int = MAX_NEAR_BITS, exclude: str = "",
                        limit: int = 1) -> list[tuple[str, int]]:
        """(doc id, Hamming distance) of at most ``limit`` stored documents whose
        ``fields["simhash"]`` (see ``fields_simhash``) is within ``max_bits`` bits of
        ``simhash``: closest first, then by id; ``exclude`` (the document being checked) is
        left out. Band lookups: only documents sharing a 16-bit band are compared, never all.
        ``max_bits`` above ``MAX_NEAR_BITS`` (or a simhash outside 64 bits) raises ValueError."""

    # --- search --------------------------------------------------------------
    @abstractmethod
    def search_companies(self, query: CompanyQuery) -> Page: ...

    @abstractmethod
    def search_documents(self, query: DocumentQuery) -> Page: ...

    @abstractmethod
    def aggregate_companies(self, field_name: str, query: CompanyQuery | None = None) -> dict[str, int]:
        """Counts of companies per value of ``level``, ``region`` (2-digit province) or ``industry``."""

    # --- scores --------------------------------------------------------------
    @abstractmethod
    def save_scores(self, scores: Iterable[Score]) -> int:
        """Upsert by (credit_code, as_of, model_version); also becomes the company's
        current score when its as_of is the newest."""

    @abstractmethod
    def latest_score(self, credit_code: str) -> Score | None: ...

    @abstractmethod
    def score_history(self, credit_code: str) -> list[tuple[str, float, str]]:
        """[(as_of, smoke_index, model_version)] oldest first."""

    @abstractmethod
    def iter_latest_scores(self, min_score: float | None = None) -> Iterator[Score]:
        """Each company's current score, highest index first."""

    # --- alerts --------------------------------------------------------------
    @abstractmethod
    def save_alert(self, alert: Alert) -> bool:
        """Insert if its id is new; returns whether it was new. Never overwrites delivery state."""

    @abstractmethod
    def update_alert(self, alert: Alert) -> None:
        """Overwrite the whole alert. Workflows that change one part of an alert while
        another may change another part use the field-scoped methods below."""

    @abstractmethod
    def get_alert(self, alert_id: str) -> Alert | None: ...

    @abstractmethod
    def acknowledge_alert(self, alert_id: str, by: str, at: str) -> bool:
        """Record who acknowledged the alert and when; the first acknowledgement wins and
        nothing else is touched, so a delivery round running meanwhile cannot undo it.
        Returns whether this call acknowledged it (False: unknown id or already done)."""

    @abstractmethod
    def set_alert_delivery(self, alert_id: str, states: dict[str, str]) -> None:
        """Merge per-channel delivery states into the alert's ``delivery``, leaving the
        other channels and the acknowledgement as stored."""

    @abstractmethod
    def list_alerts(self, since: str = "", unacknowledged_only: bool = False, limit: int = 100) -> list[Alert]: ...

    # --- every record, for copies (smoke index migrate) -------------------------
    @abstractmethod
    def iter_records(self, kind: str, after: str = "") -> Iterator[tuple[str, Any]]:
        """Every record of ``kind`` (``RECORD_KINDS``) as (position, record): a Company,
        Document, Score, Alert, Run, or a (key, value) pair of state. Scores come in save
        order, so saving them in this order into another store makes the same ones current.
        ``after``: a position this method gave; the iteration resumes after that record.
        An unknown kind or a malformed position raises ValueError."""

    def iter_record_batches(self, kind: str, after: str = "", size: int = 1000) -> Iterator[list[tuple[str, Any]]]:
        """``iter_records`` in lists of at most ``size`` (position, record) pairs: what a copy
        writes (and checkpoints) at a time."""
        batch: list[tuple[str, Any]] = []
        for rec in self.iter_records(kind, after=after):
            batch.append(rec)
            if len(batch) >= max(1, int(size)):
                yield batch
                batch = []
        if batch:
            yield batch

    @abstractmethod
    def count_records(self, kind: str) -> int:
        """How many records ``iter_records(kind)`` yields."""

    # --- runs and crawl state ------------------------------------------------
    @abstractmethod
    def save_run(self, run: Run) -> None: ...

    @abstractmethod
    def list_runs(self, limit: int = 20) -> list[Run]: ...

    # --- what changed (the incremental daily cycle) ---------------------------------
    @abstractmethod
    def change_marker(self) -> str:
        """An opaque marker of the writes made so far, for a later ``changed_since``."""

    @abstractmethod
    def changed_since(self, marker: str) -> Iterator[str] | None:
        """The credit codes whose company record, or whose documents (a document written,
        newly or no longer naming the company), were written after ``marker`` was taken, each
        once. Writes only: a page fetched again unchanged is no change. None when the marker
        is not this store's (or not readable): anything may have changed. A backend may
        report a company more than once across markers, never miss one."""

    @abstractmethod
    def get_state(self, key: str) -> str | None:
        """Small key-value state: crawl watermarks, ETags, schema versions."""

    @abstractmethod
    def set_state(self, key: str, value: str) -> None: ...
