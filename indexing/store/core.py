"""What both backends decide alike, written once: the required fields, canonical JSON
and content fingerprints, the new / changed / unchanged accounting of upserts, the search
plan (which sorts exist and what an unknown one falls back to, the sort value standing for
"no score", what a paging cursor must look like, the parsed query text and credit-code
prefixes), how search hits and their highlights are built, what a company name is indexed
as (tokens and pinyin), and which score is a company's current one and its rise
(``current_score``). Each backend only translates these decisions into SQL or an
Elasticsearch body, fetches the rows they need and writes back the results."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from indexing import query_syntax
from indexing.highlight import company_highlight, highlight
from indexing.models import Company, Document
from indexing.pinyin import name_pinyin
from indexing.query_syntax import ParsedQuery

COMPANY_SORTS: tuple[str, ...] = ("score", "name", "relevance", "rise")
DOCUMENT_SORTS: tuple[str, ...] = ("relevance", "date")

# Sort values standing for "no score" / "no rise": such companies sort after every scored one.
MISSING_SCORE = -1.0
MISSING_RISE = -1.0e18

MAX_CURSOR_STR = 1000  # a cursor's strings are ids and sort keys, never longer

# A search counts its matches exactly up to COUNT_CAP; beyond, ``Page.total`` is COUNT_CAP and
# ``Page.total_is_lower_bound`` is set (shown as "10000+"). Counting every company whose business
# scope holds a common word costs seconds at a million companies on SQLite, and a person reads
# "more than 10,000" the same way. ``CompanyQuery.exact_total`` asks for the full count.
COUNT_CAP = 10_000
# Relevance ranks the matches of a company query text when there are at most RANK_CAP of them.
# A broader text (a word of most names or business scopes) is ordered by smoke index instead,
# risk first, and ``Page.sort`` says so: bm25 over hundreds of thousands of matches is what
# made SQLite's company search slow, and among that many matches risk is the useful order.
RANK_CAP = 2_000


class BadCursor(ValueError):
    """A ``search_after`` cursor that is not what ``Page.next_cursor`` gave. Both backends
    raise it before running anything, with the same message."""


def company_sort(sort: str, has_text: bool) -> str:
    """The company sort to run: unknown sorts fall back to score, and relevance without
    query text (nothing to be relevant to) too."""
    if sort not in COMPANY_SORTS or (sort == "relevance" and not has_text):
        return "score"
    return sort


def capped_total(counted: int, cap: int | None) -> tuple[int, bool]:
    """(total, total_is_lower_bound) of a search that counted ``counted`` matches, stopping
    after ``cap + 1`` (None: no cap)."""
    if cap is not None and counted > cap:
        return cap, True
    return counted, False


def company_sort_for(sort: str, has_text: bool, matches_over_rank_cap: bool) -> str:
    """The company sort a search runs and reports in ``Page.sort``: ``company_sort``, except
    that relevance over more than RANK_CAP matches becomes score (see RANK_CAP)."""
    sort = company_sort(sort, has_text)
    return "score" if sort == "relevance" and matches_over_rank_cap else sort


def document_sort(sort: str, has_text: bool) -> str:
    """Relevance when asked for with query text, else newest first."""
    return "relevance" if sort == "relevance" and has_text else "date"


def check_cursor(after: Any) -> list[Any] | None:
    """``after`` as a [sort value, id] list, None for no cursor; anything else raises BadCursor."""
    if after is None or (isinstance(after, list | tuple) and not after):
        return None
    ok = (
        isinstance(after, list | tuple)
        and len(after) == 2
        and isinstance(after[1], str)
        and len(after[1]) <= MAX_CURSOR_STR
        and isinstance(after[0], int | float | str)
        and not isinstance(after[0], bool)
        and not (isinstance(after[0], str) and len(after[0]) > MAX_CURSOR_STR)
    )
    if not ok:
        raise BadCursor(f"search_after: expected [sort value, id] from Page.next_cursor, got {after!r}"[:300])
    return list(after)


def parse_text(text: str) -> ParsedQuery:
    """A search's query text as the tree both backends translate (lenient: a malformed
    query is repaired and ``ParsedQuery.notice`` says how; see indexing/query_syntax.py)."""
    return query_syntax.parse(text)


_CODE_LIKE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{6,18}")


def code_prefix(text: str) -> str:
    """The credit-code prefix a company query stands for ('' when it does not look like one:
    6-18 code characters with a digit). Full-width characters count (NFKC): ９１４４… is 9144…"""
    code = unicodedata.normalize("NFKC", text or "").strip().upper()
    if _CODE_LIKE.fullmatch(code) and any(ch.isdigit() for ch in code):
        return code
    return ""


def name_tokens(name: str, tokens: str) -> str:
    """What a company name is indexed as, beside its jieba ``tokens``: its pinyin forms too
    (indexing/pinyin.py), so both backends find 鑫利 by "xinli" and 鑫利投资 by "xltz"."""
    py = name_pinyin(name)
    return f"{tokens} {py}" if tokens and py else tokens or py


def company_hit(co: Company, smoke_index: float | None, level: str | None, words: list[str]) -> Any:
    """A company search hit: the name (or the former name / alias that matched) marked."""
    from indexing.store.base import CompanyHit  # base imports core

    hl = company_highlight(co.name, co.former_names + co.aliases, words)
    return CompanyHit(company=co, smoke_index=smoke_index, level=level or "", highlight=hl)


def document_hit(doc: Document, relevance: float, words: list[str]) -> Any:
    """A document search hit with its snippet (``document_highlight``)."""
    from indexing.store.base import DocumentHit

    return DocumentHit(document=doc, relevance=relevance, highlight=document_highlight(doc, words))


def document_highlight(doc: Document, words: list[str]) -> str:
    """The snippet of a document hit: from the text, or from the title when only the
    title holds a query word."""
    hl = highlight(doc.text, words)
    if words and "<mark>" not in hl and doc.title:
        t = highlight(doc.title, words)
        hl = t if "<mark>" in t else hl
    return hl


def canonical_json(obj: Any) -> str:
    """The one JSON spelling of a record: sorted keys, no spaces, characters as they are."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def company_fingerprint(d: dict[str, Any]) -> str:
    """A company's content (``Company.to_dict()``) as a hash; equal hash = unchanged.
    ``updated`` is when the crawler saw a change, not part of the content."""
    return sha1(canonical_json({k: v for k, v in d.items() if k != "updated"}))


def document_fingerprint(d: dict[str, Any]) -> str:
    """A document's content (``Document.to_dict()``) as a hash; ``fetched`` changes on
    every crawl, the content does not; ``doc_kind`` is derived from it (the store sets it)."""
    return sha1(canonical_json({k: v for k, v in d.items() if k not in ("fetched", "doc_kind")}))


def require_company(co: Company) -> None:
    if not co.credit_code or not co.name:
        raise ValueError("credit_code and name are required")


def require_document(doc: Document) -> None:
    if not doc.id or not doc.url or not doc.source_kind:
        raise ValueError("id, url and source_kind are required")


def company_change(old_fingerprint: str | None, fingerprint: str) -> tuple[str, bool]:
    """(how an upserted company counts: new | changed | unchanged, whether to write it)."""
    if old_fingerprint is None:
        return "new", True
    if old_fingerprint == fingerprint:
        return "unchanged", False
    return "changed", True


def document_change(old: tuple[str, str] | None, content_hash: str, fingerprint: str) -> tuple[str, bool]:
    """(how an upserted document counts, whether to write it); ``old`` is the stored
    (content_hash, fingerprint). Same content hash with other metadata (mentions, fields)
    counts as unchanged but is written, so the metadata is refreshed."""
    if old is None:
        return "new", True
    if old[1] == fingerprint:
        return "unchanged", False
    if content_hash and old[0] == content_hash:
        return "unchanged", True
    return "changed", True


# --- the current score and its rise ---------------------------------------------------
@dataclass(frozen=True, slots=True)
class ScoreRow:
    """What deciding the current score needs of one stored score. ``seq`` is the save order
    (SQLite's rowid, Elasticsearch's ``seq``): among equal ``as_of`` the last saved wins.
    ``key`` is whatever the backend needs to write the decision back (a rowid, a score id)."""

    as_of: str
    seq: int
    smoke_index: float
    level: str
    model_version: str = ""
    key: Any = None


@dataclass(frozen=True, slots=True)
class CurrentScore:
    """A company's current score and its rise: the current index minus the index of the
    newest score with an earlier ``as_of`` (None when there is none)."""

    row: ScoreRow
    rise: float | None

    def company_fields(self) -> dict[str, Any]:
        """The copy of the current score a company carries (filters and sorts)."""
        return {"smoke_index": self.row.smoke_index, "level": self.row.level,
                "score_as_of": self.row.as_of, "rise": self.rise}


def current_score(rows: Iterable[ScoreRow], newest_first: bool = False) -> CurrentScore | None:
    """The one rule for "which score is current, and how much did it rise": the current
    score is the newest by ``as_of``, then by save order; its rise is its index minus the
    index of the newest score with an earlier ``as_of``. ``rows`` are one company's scores
    in any order; with ``newest_first`` (the caller promises ``as_of`` then save order
    descending) reading stops at the first earlier ``as_of``, so a backend can pass a lazy
    cursor and pay for two rows, not the whole history."""
    top: ScoreRow | None = None
    prev: ScoreRow | None = None  # the newest row whose as_of is earlier than top's
    for r in rows:
        if top is None or (r.as_of, r.seq) > (top.as_of, top.seq):
            if top is not None and top.as_of < r.as_of:
                prev = top  # top was the newest of every row before r
            top = r
        elif r.as_of < top.as_of and (prev is None or (r.as_of, r.seq) > (prev.as_of, prev.seq)):
            prev = r
            if newest_first:
                break
    if top is None:
        return None
    return CurrentScore(top, float(top.smoke_index) - float(prev.smoke_index) if prev is not None else None)
