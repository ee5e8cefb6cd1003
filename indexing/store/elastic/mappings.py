"""Every Elasticsearch mapping and index setting, built in one place.

Rules (checked by tests/indexing_es/test_templates.py):

* ``"dynamic": "strict"`` on every index: a field nobody declared is an error at
  write time, never a silently guessed mapping.
* Every Chinese text field is indexed twice (``_chinese``): ``<field>_tokens`` with
  a whitespace analyser fed ``indexing.tokenize.token_string(...)``, the jieba
  tokens the embedded store indexes, so both backends split Chinese the same way;
  and ``<field>_cjk`` fed ``indexing.tokenize.cjk_bigrams(...)``, the overlapping CJK
  bigrams the embedded store indexes, for recall (finds 集资 inside 非法集资 even where
  jieba cut differently). Both use the server's built-in ``whitespace`` analyser and
  nothing else: no analysis plugin or module, so any cluster (the minimal test
  distribution included) serves them. Without them
  Elasticsearch's standard analyser would split Chinese into single characters.
  ``<field>`` itself keeps the crawled text for display and is not analysed.
* Highlights are not Elasticsearch's: both backends run ``indexing.highlight``
  over the stored text, so snippets are identical, HTML-escaped, and mark the
  crawled characters (傳銷, 传-销) a normalised-text highlighter could not.
* Names and credit codes carry ``keyword`` sub-fields for exact match and sorting.
* Dates are ``keyword``: the embedded store compares ISO strings, so do we (and a
  hostile page's odd date cannot make a write fail).
* Free-form dicts (``Document.fields``, score indicators, run stats, alert
  delivery) are ``"enabled": false`` objects: kept in ``_source``, never indexed.

Bump ``SCHEMA_VERSION`` whenever anything here changes: a store opened against an
index built with an older version refuses to work until ``smoke index rebuild``.
"""

from __future__ import annotations

import copy
from typing import Any

SCHEMA_VERSION = 6  # 2: companies.links; 3: documents.simhash_bands; 4: bigrams made in Python; 5: scores.versions;
# 6: documents.doc_kind

# Entities, in the order a rebuild or migration copies them.
ENTITIES: tuple[str, ...] = ("companies", "documents", "scores", "alerts", "runs", "state")

# The field every entity sorts on last (search_after needs a unique tiebreak;
# sorting on _id is disabled by default since 8.0).
ID_FIELD: dict[str, str] = {
    "companies": "credit_code",
    "documents": "id",
    "scores": "score_id",
    "alerts": "id",
    "runs": "id",
    "state": "key",
}

# Chinese text fields per entity: each has a cjk field and a sibling ``_tokens`` field.
CHINESE_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "companies": ("name", "former_names", "aliases", "business_scope", "address"),
    "documents": ("title", "text"),
}

TOKENS_SUFFIX = "_tokens"
CJK_SUFFIX = "_cjk"
# jieba (and cjk_bigrams) already split and lower-cased the text; the server only splits
# on the spaces they put in. The built-in analyser, not a custom one: a custom analyser's
# ``whitespace`` tokenizer lives in the analysis-common module, which a cluster may lack.
TOKENS_ANALYZER = "whitespace"
CJK_ANALYZER = "whitespace"

ANALYSIS: dict[str, Any] = {
    "normalizer": {
        "lower": {"type": "custom", "filter": ["lowercase"]},
    },
}

# ignore_above: a hostile 40 kB "name" must not fail the write (Lucene's term limit
# is 32766 bytes); values that long are kept in _source but not indexed.
_KEYWORD = {"type": "keyword", "ignore_above": 8191}
_DATE = {"type": "keyword"}  # ISO strings compared as strings, like the embedded store
_FLOAT = {"type": "float"}
_DOUBLE = {"type": "double"}
_BOOL = {"type": "boolean"}
_OPAQUE = {"type": "object", "enabled": False}  # kept in _source, not indexed
_STORED_TEXT = {"type": "text", "index": False}  # shown as evidence, never searched


def _chinese(name: str, keyword: bool = False) -> dict[str, Any]:
    """The three fields of one Chinese text field.

    ``<name>``: the text as crawled, kept for display and round trips, not analysed
    (names get a ``keyword`` sub-field for exact match and sorting);
    ``<name>_tokens``: ``token_string(text)``, the jieba tokens, split on whitespace;
    ``<name>_cjk``: ``cjk_bigrams(text)``, the overlapping bigrams of the normalised text
    (simplified, squeezed, lower-case), split on whitespace. Bigrams of the normalised
    text, not the crawled one, are what make 資金盤 and 传-销 findable as 资金盘 and 传销,
    exactly as in the embedded store, which indexes the same ``cjk_bigrams``.
    """
    original: dict[str, Any] = {"type": "text", "index": False}
    if keyword:
        original["fields"] = {"keyword": {"type": "keyword", "ignore_above": 512}}
    return {
        name: original,
        name + TOKENS_SUFFIX: {"type": "text", "analyzer": TOKENS_ANALYZER},
        name + CJK_SUFFIX: {"type": "text", "analyzer": CJK_ANALYZER},
    }


def _companies() -> dict[str, Any]:
    props: dict[str, Any] = {
        "credit_code": {"type": "keyword", "fields": {"lower": {"type": "keyword", "normalizer": "lower"}}},
        **_chinese("name", keyword=True),
        **_chinese("former_names", keyword=True),
        **_chinese("aliases", keyword=True),
        **_chinese("business_scope"),
        **_chinese("address"),
        # normalize_name() of name, former names and aliases: companies_by_name.
        "name_norm": _KEYWORD,
        "legal_rep": _KEYWORD,
        "people": {
            "type": "object",
            "properties": {"name": _KEYWORD, "role": _KEYWORD, "share": _FLOAT},
        },
        "registered_capital": _DOUBLE,
        "paid_in_capital": _DOUBLE,
        "founded": _DATE,
        "status": _KEYWORD,
        "region_code": _KEYWORD,
        "province": _KEYWORD,  # first two digits of region_code: aggregations
        "industry": _KEYWORD,
        "phones": _KEYWORD,
        "emails": _KEYWORD,
        "websites": {"type": "keyword", "normalizer": "lower"},
        "domains": _KEYWORD,  # bare hosts of the websites: companies_by_domain
        # "<kind>:<value>" for each of base.link_keys(company): companies_sharing.
        "links": _KEYWORD,
        "entries": {
            "type": "object",
            "properties": {
                "kind": _KEYWORD,
                "date": _DATE,
                "reason": _STORED_TEXT,
                "authority": _KEYWORD,
                "removed_date": _DATE,
                "detail": _STORED_TEXT,
                "url": {"type": "keyword", "index": False},
            },
        },
        "amac_registered": _BOOL,
        "source_url": {"type": "keyword", "index": False},
        "updated": _DATE,
        "fingerprint": {"type": "keyword", "index": False},  # hash of the profile: changed or not
        # The current score, kept on the company by save_scores (filters, sorting).
        "smoke_index": _DOUBLE,
        "level": _KEYWORD,
        "score_as_of": _DATE,
        "rise": _DOUBLE,  # current index minus the one before its as_of
    }
    return props


def _documents() -> dict[str, Any]:
    return {
        "id": _KEYWORD,
        "url": {"type": "keyword", "ignore_above": 2048},
        "source_kind": _KEYWORD,
        "doc_kind": _KEYWORD,  # indexing.doc_kind, computed when the document is indexed
        "site": _KEYWORD,
        **_chinese("title"),
        **_chinese("text"),
        "fetched": _DATE,
        "published": _DATE,
        "date": _DATE,  # published, else the day it was fetched: date filters and sort
        "raw_text": _STORED_TEXT,
        "content_hash": _KEYWORD,
        # "<band>:<4 hex digits>" for each 16-bit band of fields["simhash"]: near_duplicates.
        # The simhash itself stays in fields (in _source), read back to measure distances.
        "simhash_bands": _KEYWORD,
        "fingerprint": {"type": "keyword", "index": False},  # hash of everything but fetched
        "encoding": {"type": "keyword", "index": False},
        "domain": {"type": "keyword", "normalizer": "lower"},
        "mentions": {
            "type": "object",
            "properties": {"credit_code": _KEYWORD, "method": _KEYWORD, "confidence": _FLOAT, "role": _KEYWORD},
        },
        "fields": _OPAQUE,
    }


def _scores() -> dict[str, Any]:
    return {
        "score_id": _KEYWORD,
        "credit_code": _KEYWORD,
        "as_of": _DATE,
        "smoke_index": _DOUBLE,
        "level": _KEYWORD,
        "dimensions": _OPAQUE,
        "indicators": _OPAQUE,
        "model_version": _KEYWORD,
        "hard_rules": _KEYWORD,
        "versions": _OPAQUE,  # model, lexicon and analyser versions that computed the score
        # Save order: among scores of equal as_of the last saved is current (the
        # embedded store's rowid plays this part).
        "seq": {"type": "long"},
        "is_current": _BOOL,
        "rise": _DOUBLE,
    }


def _alerts() -> dict[str, Any]:
    return {
        "id": _KEYWORD,
        "credit_code": _KEYWORD,
        "created": _DATE,
        "rule": _KEYWORD,
        "score": _DOUBLE,
        "previous_score": _DOUBLE,
        "message": _STORED_TEXT,
        "delivery": _OPAQUE,
        "acknowledged_by": _KEYWORD,
        "acknowledged_at": _DATE,
    }


def _runs() -> dict[str, Any]:
    return {
        "id": _KEYWORD,
        "started": _DATE,
        "finished": _DATE,
        "status": _KEYWORD,
        "kind": _KEYWORD,
        "sources": _OPAQUE,
        "message": _STORED_TEXT,
    }


def _state() -> dict[str, Any]:
    return {"key": _KEYWORD, "value": {"type": "keyword", "index": False, "doc_values": False}}


_PROPERTIES = {
    "companies": _companies,
    "documents": _documents,
    "scores": _scores,
    "alerts": _alerts,
    "runs": _runs,
    "state": _state,
}


def mappings(entity: str) -> dict[str, Any]:
    """The mapping of one entity's index (a fresh copy; safe to modify)."""
    return {
        "dynamic": "strict",
        "_meta": {"schema_version": SCHEMA_VERSION, "entity": entity},
        "properties": copy.deepcopy(_PROPERTIES[entity]()),
    }


def settings(entity: str, shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    """Index settings: shard and replica counts, the analysers every index shares."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "analysis": copy.deepcopy(ANALYSIS),
    }


# The lock and audit index sits outside the versioned indices (a rebuild must not
# copy or replace its own lock); it has a strict mapping like every other index.
META_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_meta": {"schema_version": SCHEMA_VERSION, "entity": "meta"},
    "properties": {
        "kind": _KEYWORD,  # lock | rebuild | migrate
        "owner": _KEYWORD,
        "created": _DATE,
        "expires": _DATE,
        "status": _KEYWORD,
        "detail": _OPAQUE,
    },
}


def all_templates(shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    """Everything ``smoke index templates --print`` shows: per entity its settings and mappings."""
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "indices": {}}
    for entity in ENTITIES:
        out["indices"][entity] = {"settings": settings(entity, shards, replicas), "mappings": mappings(entity)}
    out["indices"]["meta"] = {"settings": settings("meta", 1, replicas), "mappings": copy.deepcopy(META_MAPPINGS)}
    return out
