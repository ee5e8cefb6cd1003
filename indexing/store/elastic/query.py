"""Elasticsearch query bodies for the Store searches, as plain data (no client calls).

They mirror the embedded store's SQL (indexing/store/sqlite.py) clause for clause:

* a text query is parsed by ``core.parse_text`` (indexing/query_syntax.py) into a tree of
  terms, AND, OR and NOT, translated here into a bool query (``tree_clause``); within a
  term **every** word must match, either as a jieba token in a ``*_tokens`` field or, for
  a CJK word of two or more characters, as a phrase of its bigrams in the ``*_cjk`` field;
  a quoted phrase is a ``match_phrase`` of its tokens or, all CJK, of its bigrams;
* a query that looks like a credit code (6-18 code characters with a digit) also
  matches credit codes by prefix, and such a hit outranks every text match;
* filters: region code prefix, industry, level, score range; source kind, mentioned
  company, date range on the document's day;
* sorts end with the entity's id ascending, so ``search_after`` cursors are exact.
"""

from __future__ import annotations

from typing import Any

from indexing.doc_kind import check_doc_kind
from indexing.query_syntax import Node, Or, ParsedQuery, Term
from indexing.store import core
from indexing.store.base import CompanyQuery, DocumentQuery, check_link_kind, simhash_bands
from indexing.store.elastic.mappings import CJK_SUFFIX, TOKENS_SUFFIX
from indexing.tokenize import query_bigrams

# Field -> boost, the same weights as the embedded store's bm25 (name 10, other names 5,
# business scope 1, bigrams 0.5).
COMPANY_TOKEN_FIELDS = {"name": 10.0, "former_names": 5.0, "aliases": 5.0, "business_scope": 1.0}
DOCUMENT_TOKEN_FIELDS = {"title": 3.0, "text": 1.0}
BIGRAM_BOOST = 0.5

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


def text_clause(words: list[str] | tuple[str, ...], fields: dict[str, float]) -> dict[str, Any]:
    return {"bool": {"must": [word_clause(w, fields) for w in words]}}


def phrase_clause(term: Term, fields: dict[str, float]) -> dict[str, Any]:
    """A quoted phrase: its tokens next to each other in a tokens field, or (all CJK) its
    bigrams next to each other in a cjk field."""
    should: list[dict[str, Any]] = [
        {"match_phrase": {f + TOKENS_SUFFIX: {"query": " ".join(term.words), "boost": boost}}}
        for f, boost in fields.items()
    ]
    if term.grams:
        should.extend({"match_phrase": {f + CJK_SUFFIX: {"query": " ".join(term.grams), "boost": BIGRAM_BOOST}}}
                      for f in fields)
    return {"bool": {"should": should, "minimum_should_match": 1}}


def tree_clause(node: Node, fields: dict[str, float]) -> dict[str, Any]:
    """A query tree (indexing.query_syntax) as a bool query, clause for clause the FTS5
    expression of the embedded store (sqlite._fts_expr)."""
    if isinstance(node, Term):
        return phrase_clause(node, fields) if node.phrase else text_clause(node.words, fields)
    if isinstance(node, Or):
        return {"bool": {"should": [tree_clause(n, fields) for n in node.any], "minimum_should_match": 1}}
    return {"bool": {"must": [tree_clause(n, fields) for n in node.must],
                     "must_not": [tree_clause(n, fields) for n in node.must_not]}}


def code_prefix(text: str) -> str:
    """The credit-code prefix a query stands for, or '' when it does not look like one."""
    return core.code_prefix(text)


def company_query(q: CompanyQuery, parsed: ParsedQuery | None = None) -> tuple[dict[str, Any], list[str], bool]:
    """(query, query words, has_text_match) for a CompanyQuery, filters included."""
    must: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    words: list[str] = []
    text = (q.text or "").strip()
    has_text = False
    if text:
        parsed = parsed or core.parse_text(text)
        words = parsed.words
        code = code_prefix(text)
        should: list[dict[str, Any]] = []
        if parsed.root is not None:
            should.append(tree_clause(parsed.root, COMPANY_TOKEN_FIELDS))
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


def document_query(q: DocumentQuery, parsed: ParsedQuery | None = None) -> tuple[dict[str, Any] | None, list[str]]:
    """(query, words) for a DocumentQuery; query None when the text has nothing to search for."""
    must: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    words: list[str] = []
    if (q.text or "").strip():
        parsed = parsed or core.parse_text(q.text)
        if parsed.root is None:
            return None, []
        words = parsed.words
        must.append(tree_clause(parsed.root, DOCUMENT_TOKEN_FIELDS))
    if q.source_kind:
        filters.append({"term": {"source_kind": q.source_kind}})
    if q.doc_kind:
        check_doc_kind(q.doc_kind)
        filters.append({"term": {"doc_kind": q.doc_kind}})
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
