"""Elasticsearch query bodies for the Store searches, as plain data (no client calls).

They mirror the embedded store's SQL (indexing/store/sqlite.py) clause for clause:

* a text query is split by ``indexing.tokenize.query_tokens``; **every** word must
  match, either as a jieba token in a ``*_tokens`` field or, for a CJK word of two or
  more characters, as a phrase of its bigrams in the ``*_cjk`` field;
* a query that looks like a credit code (6-18 code characters with a digit) also
  matches credit codes by prefix, and such a hit outranks every text match;
* filters: region code prefix, industry, level, score range; source kind, mentioned
  company, date range on the document's day;
* sorts end with the entity's id ascending, so ``search_after`` cursors are exact.
"""

from __future__ import annotations

import re
from typing import Any

from indexing.store import core
from indexing.store.base import CompanyQuery, DocumentQuery, check_link_kind, simhash_bands
from indexing.store.elastic.mappings import CJK_SUFFIX, TOKENS_SUFFIX
from indexing.tokenize import query_bigrams, query_tokens

# Field -> boost, the same weights as the embedded store's bm25 (name 10, other names 5,
# business scope 1, bigrams 0.5).
COMPANY_TOKEN_FIELDS = {"name": 10.0, "former_names": 5.0, "aliases": 5.0, "business_scope": 1.0}
DOCUMENT_TOKEN_FIELDS = {"title": 3.0, "text": 1.0}
BIGRAM_BOOST = 0.5

_CODE_LIKE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{6,18}")
CODE_HIT_BOOST = 1.0e6  # an exact credit-code hit outranks every text match


AGG_FIELDS = {"level": "level", "region": "province", "industry": "industry"}


def word_clause(word: str, fields: dict[str, float]) -> dict[str, Any]:
    """One query word: a jieba token in any tokens field, or its bigram phrase."""
    should: list[dict[str, Any]] = [
        {"match": {f + TOKENS_SUFFIX: {"query": word, "operator": "and", "boost": boost}}}
        for f, boost in fields.items()
    ]
    if query_bigrams(word):
        should.extend(
            {"match_phrase": {f + CJK_SUFFIX: {"query": " ".join(query_bigrams(word)), "boost": BIGRAM_BOOST}}}
            for f in fields
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def text_clause(words: list[str], fields: dict[str, float]) -> dict[str, Any]:
    return {"bool": {"must": [word_clause(w, fields) for w in words]}}


def code_prefix(text: str) -> str:
    """The credit-code prefix a query stands for, or '' when it does not look like one."""
    code = text.strip().upper()
    if _CODE_LIKE.fullmatch(code) and any(ch.isdigit() for ch in code):
        return code
    return ""


def company_query(q: CompanyQuery) -> tuple[dict[str, Any], list[str], bool]:
    """(query, query words, has_text_match) for a CompanyQuery, filters included."""
    must: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    words: list[str] = []
    text = (q.text or "").strip()
    has_text = False
    if text:
        words = query_tokens(text)
        code = code_prefix(text)
        should: list[dict[str, Any]] = []
        if words:
            should.append(text_clause(words, COMPANY_TOKEN_FIELDS))
            has_text = True
        if code:
            should.append({"constant_score": {"filter": {"prefix": {"credit_code": code}}, "boost": CODE_HIT_BOOST}})
        if not should:
            should.append({"match_none": {}})
        must.append({"bool": {"should": should, "minimum_should_match": 1}})
    if q.region:
        filters.append({"prefix": {"region_code": q.region}})
    if q.industry:
        filters.append({"term": {"industry": q.industry}})
    if q.level:
        filters.append({"term": {"level": q.level}})
    rng: dict[str, float] = {}
    if q.min_score is not None:
        rng["gte"] = float(q.min_score)
    if q.max_score is not None:
        rng["lte"] = float(q.max_score)
    if rng:
        filters.append({"range": {"smoke_index": rng}})
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}, words, has_text


def company_sort(sort: str, has_text: bool) -> list[dict[str, Any]]:
    sort = core.company_sort(sort, has_text)
    key = {
        "score": {"smoke_index": {"order": "desc", "missing": core.MISSING_SCORE}},
        "name": {"name.keyword": {"order": "asc", "missing": "_last"}},
        "relevance": {"_score": {"order": "desc"}},
        "rise": {"rise": {"order": "desc", "missing": core.MISSING_RISE}},
    }[sort]
    return [key, {"credit_code": {"order": "asc"}}]


def document_query(q: DocumentQuery) -> tuple[dict[str, Any] | None, list[str]]:
    """(query, words) for a DocumentQuery; query None when the text has no searchable word."""
    must: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    words: list[str] = []
    if (q.text or "").strip():
        words = query_tokens(q.text)
        if not words:
            return None, []
        must.append(text_clause(words, DOCUMENT_TOKEN_FIELDS))
    if q.source_kind:
        filters.append({"term": {"source_kind": q.source_kind}})
    if q.credit_code:
        filters.append({"term": {"mentions.credit_code": q.credit_code}})
    day: dict[str, str] = {}
    if q.date_from:
        day["gte"] = q.date_from[:10]
    if q.date_to:
        day["lte"] = q.date_to[:10]
    if day:
        filters.append({"range": {"date": day}})
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}, words


def document_sort(sort: str, has_text: bool) -> list[dict[str, Any]]:
    if core.document_sort(sort, has_text) == "relevance":
        return [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]
    return [{"date": {"order": "desc"}}, {"id": {"order": "asc"}}]


def link_term(kind: str, value: str) -> str:
    """The value of the companies' ``links`` keyword for one of ``base.link_keys``. Kinds
    hold no ':', so the first ':' separates kind and value unambiguously."""
    check_link_kind(kind)
    return f"{kind}:{value}"


def link_query(kind: str, value: str) -> dict[str, Any]:
    """Companies with ``(kind, value)`` among their link keys (exact, like the embedded store)."""
    return {"bool": {"filter": [{"term": {"links": link_term(kind, value)}}]}}


def simhash_band_terms(simhash: int) -> list[str]:
    """The documents' ``simhash_bands`` keyword values of one simhash: band number, ':',
    the band's 16 bits as 4 hex digits (so equal bands of different positions differ)."""
    return [f"{band}:{value:04x}" for band, value in enumerate(simhash_bands(simhash))]


def near_duplicate_query(simhash: int, exclude: str = "") -> dict[str, Any]:
    """Documents sharing at least one simhash band with ``simhash``: the candidates whose
    distance the store then measures (base.MAX_NEAR_BITS explains why that finds them all)."""
    q: dict[str, Any] = {"bool": {"filter": [{"terms": {"simhash_bands": simhash_band_terms(simhash)}}]}}
    if exclude:
        q["bool"]["must_not"] = [{"term": {"id": exclude}}]
    return q


def terms_agg(field_name: str) -> dict[str, Any]:
    field = AGG_FIELDS.get(field_name)
    if field is None:
        raise ValueError(f"aggregate_companies: field must be one of {sorted(AGG_FIELDS)}, got {field_name!r}")
    return {"terms": {"field": field, "size": 10000, "order": [{"_count": "desc"}, {"_key": "asc"}]}}
