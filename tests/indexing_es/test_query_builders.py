"""The query bodies es_query builds: the same rules as the embedded store's SQL, and every
field they name exists in the mappings (a typo would otherwise only show on a cluster)."""

from __future__ import annotations

from typing import Any

import pytest

from indexing.models import Company, Document, Person
from indexing.store.base import CompanyQuery, DocumentQuery
from indexing.store.core import check_cursor
from indexing.store.elastic.mappings import mappings
from indexing.store.elastic.query import (
    company_query,
    company_sort,
    document_query,
    document_sort,
    link_query,
    near_duplicate_query,
    terms_agg,
)
from indexing.store.elastic.store import company_body, document_body, rebody

LEAF_QUERIES = ("match", "match_phrase", "term", "terms", "prefix", "range")


def _fields_in(node: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k in LEAF_QUERIES and isinstance(v, dict):
                out |= set(v)
            else:
                out |= _fields_in(v)
    elif isinstance(node, list):
        for v in node:
            out |= _fields_in(v)
    return out


def _mapped(entity: str) -> set[str]:
    names: set[str] = set()

    def walk(props: dict[str, Any], prefix: str) -> None:
        for name, spec in props.items():
            names.add(prefix + name)
            for sub in spec.get("fields", {}):
                names.add(f"{prefix}{name}.{sub}")
            walk(spec.get("properties", {}), f"{prefix}{name}.")

    walk(mappings(entity)["properties"], "")
    return names


def _sort_fields(sort: list[dict[str, Any]]) -> set[str]:
    return {k for s in sort for k in s if k != "_score"}


def test_company_query_fields_and_sorts_exist_in_the_mapping() -> None:
    q, _, _ = company_query(CompanyQuery(text="鑫利财富 91440300", region="44", industry="金融业", level="red",
                                         min_score=10, max_score=90))
    assert _fields_in(q) <= _mapped("companies")
    for sort in ("score", "name", "relevance", "rise"):
        assert _sort_fields(company_sort(sort, True)) <= _mapped("companies")


def test_document_query_fields_and_sorts_exist_in_the_mapping() -> None:
    q, _ = document_query(DocumentQuery(text="传销 返利", source_kind="promo", credit_code="X",
                                        date_from="2024-01-01", date_to="2024-12-31T10:00"))
    assert _fields_in(q) <= _mapped("documents")
    for sort in ("relevance", "date"):
        assert _sort_fields(document_sort(sort, True)) <= _mapped("documents")


def test_every_word_must_match_as_token_or_cjk_bigram_phrase() -> None:
    q, words = document_query(DocumentQuery(text="传销 下线 app"))
    assert words == ["传销", "下线", "app"]
    clauses = q["bool"]["must"][0]["bool"]["must"]
    assert len(clauses) == 3
    first = clauses[0]["bool"]
    assert first["minimum_should_match"] == 1
    assert {"title_tokens", "text_tokens", "title_cjk", "text_cjk"} == _fields_in(first)
    phrase = [c for c in first["should"] if "match_phrase" in c]
    assert phrase[0]["match_phrase"]["title_cjk"]["query"] == "传销"
    # an ASCII word has no bigram phrase
    assert _fields_in(clauses[2]) == {"title_tokens", "text_tokens"}


def test_query_is_normalised_like_the_index() -> None:
    _, words = document_query(DocumentQuery(text="傳 銷"))
    assert words == ["传销"]


def test_hostile_text_without_words_matches_nothing() -> None:
    q, words = document_query(DocumentQuery(text="()^^^"))
    assert q is None and words == []
    q, words, has_text = company_query(CompanyQuery(text="()"))
    assert has_text is False
    assert q["bool"]["must"][0]["bool"]["should"] == [{"match_none": {}}]


def test_credit_code_text_matches_by_prefix_and_outranks_text() -> None:
    q, _, _ = company_query(CompanyQuery(text="91110105mA00000001"))
    should = q["bool"]["must"][0]["bool"]["should"]
    code = [c for c in should if "constant_score" in c][0]["constant_score"]
    assert code["filter"] == {"prefix": {"credit_code": "91110105MA00000001"}}
    assert code["boost"] >= 1e6
    q, _, _ = company_query(CompanyQuery(text="财富"))
    assert not any("constant_score" in c for c in q["bool"]["must"][0]["bool"]["should"])


def test_filters() -> None:
    q, _, _ = company_query(CompanyQuery(region="4403", industry="制造业", level="red", min_score=60))
    assert q["bool"]["filter"] == [
        {"prefix": {"region_code": "4403"}},
        {"term": {"industry": "制造业"}},
        {"term": {"level": "red"}},
        {"range": {"smoke_index": {"gte": 60.0}}},
    ]
    q, _ = document_query(DocumentQuery(date_from="2024-01-01T08:00", date_to="2024-02-01"))
    assert q["bool"]["filter"] == [{"range": {"date": {"gte": "2024-01-01", "lte": "2024-02-01"}}}]


def test_sorts_end_in_a_unique_tiebreak_and_fall_back_like_sqlite() -> None:
    assert company_sort("relevance", has_text=False)[0] == {"smoke_index": {"order": "desc", "missing": -1.0}}
    assert company_sort("nonsense", has_text=True)[0] == company_sort("score", True)[0]
    assert all(s[-1] == {"credit_code": {"order": "asc"}} for s in
               (company_sort(x, True) for x in ("score", "name", "relevance", "rise")))
    assert document_sort("relevance", has_text=False)[0] == {"date": {"order": "desc"}}
    assert document_sort("relevance", has_text=True)[-1] == {"id": {"order": "asc"}}


@pytest.mark.parametrize("bad", [[1], [1, 2], "x", [1, "a" * 2000], [{"a": 1}, "id"]])
def test_cursor_must_come_from_a_page(bad) -> None:
    with pytest.raises(ValueError, match="search_after"):
        check_cursor(bad)


def test_cursor_round_trip() -> None:
    assert check_cursor([86.0, "91440300MA5F00000X"]) == [86.0, "91440300MA5F00000X"]
    assert check_cursor(None) is None


def test_aggregation_fields() -> None:
    assert terms_agg("region")["terms"]["field"] == "province"
    assert terms_agg("level")["terms"]["order"] == [{"_count": "desc"}, {"_key": "asc"}]
    with pytest.raises(ValueError):
        terms_agg("nonsense")


def test_link_query_asks_for_a_term_company_body_indexes() -> None:
    """Without a cluster: the term companies_sharing looks for is exactly one of the
    ``links`` values written for a company with that person, address, phone or website."""
    co = Company("91440300MA5F00000X", "甲公司", legal_rep="王伟", people=[Person("李娜", "shareholder")],
                 address="深圳市福田区1号", phones=["0755-1", ""], websites=["Jia.test"])
    links = company_body(co)["links"]
    assert mappings("companies")["properties"]["links"]["type"] == "keyword"
    assert "normalizer" not in mappings("companies")["properties"]["links"]  # exact, as in SQLite
    for kind, value in [("person", "王伟"), ("person", "李娜"), ("address", "深圳市福田区1号"),
                        ("phone", "0755-1"), ("website", "Jia.test")]:
        q = link_query(kind, value)
        assert _fields_in(q) == {"links"}
        [term] = [c["term"]["links"] for c in q["bool"]["filter"]]
        assert term in links, (kind, value)
    assert len(links) == 5  # the empty phone is not a key
    assert link_query("phone", "王伟")["bool"]["filter"][0]["term"]["links"] not in links
    with pytest.raises(ValueError, match="kind"):
        link_query("email", "a@b.test")


def _promo(simhash: str | None) -> Document:
    return Document(id="p1", url="http://x.test/p1", source_kind="promo", site="s", title="推广", text="拉人头返利",
                    fetched="2024-01-01T00:00:00", fields={} if simhash is None else {"simhash": simhash})


def test_near_duplicate_query_asks_for_band_terms_document_body_indexes() -> None:
    """Without a cluster: a simhash within 3 bits of a stored page's asks for at least one
    of the ``simhash_bands`` values its body wrote (so the page is a candidate); one 4 bits
    away in four different bands asks for none of them."""
    sh = 0xF0E1_D2C3_B4A5_9687
    bands = document_body(_promo(f"{sh:016x}"))["simhash_bands"]
    assert bands == ["0:9687", "1:b4a5", "2:d2c3", "3:f0e1"]
    assert mappings("documents")["properties"]["simhash_bands"]["type"] == "keyword"

    def asked(value: int, exclude: str = "") -> set[str]:
        q = near_duplicate_query(value, exclude)
        assert _fields_in(q) <= _mapped("documents")
        [terms] = [c["terms"]["simhash_bands"] for c in q["bool"]["filter"]]
        return set(terms)

    for flipped in [(), (63,), (0, 40), (5, 20, 50), (15, 16, 31)]:
        value = sh
        for bit in flipped:
            value ^= 1 << bit
        assert asked(value) & set(bands), flipped
    assert not asked(sh ^ (1 | 1 << 16 | 1 << 32 | 1 << 48)) & set(bands)
    # The same 16 bits in another band are another term: positions are part of the value.
    assert "1:9687" in asked(0x9687 << 16) and "0:9687" not in asked(0x9687 << 16)
    assert near_duplicate_query(sh, "p1")["bool"]["must_not"] == [{"term": {"id": "p1"}}]
    assert "must_not" not in near_duplicate_query(sh)["bool"]


def test_documents_without_a_usable_simhash_have_no_bands_and_rebuild_adds_them() -> None:
    for missing in (None, "", "xyz", "1" * 17, "1" * 15, "0x" + "1" * 14, " " + "1" * 15):
        assert document_body(_promo(missing))["simhash_bands"] == [], missing
    # An index of schema 2 has no simhash_bands: the rebuild derives them from fields.
    old_source = document_body(_promo("00000000ffff0001"))
    del old_source["simhash_bands"]
    _id, body = rebody("documents", old_source)
    assert _id == "p1" and body["simhash_bands"] == ["0:0001", "1:ffff", "2:0000", "3:0000"]
