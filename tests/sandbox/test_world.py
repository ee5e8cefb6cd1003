"""The generated world: determinism, credit codes, composition, ground truth."""

from __future__ import annotations

import filecmp
from collections import Counter

from sandbox.creditcode import check_char, is_valid, make_code
from sandbox.text.banks import ARCHETYPES
from sandbox.truth import iter_companies, iter_documents
from sandbox.world import LOOKALIKES, generate, read_world_meta

FILES = ("world.json", "world.db", "truth/companies.jsonl", "truth/documents.jsonl")


def test_same_seed_gives_byte_identical_files_and_another_seed_differs(tmp_path):
    a = generate(tmp_path / "a", companies=400, seed=11)
    b = generate(tmp_path / "b", companies=400, seed=11)
    c = generate(tmp_path / "c", companies=400, seed=12)
    for f in FILES:
        assert filecmp.cmp(a / f, b / f, shallow=False), f
    assert not filecmp.cmp(a / "truth/companies.jsonl", c / "truth/companies.jsonl", shallow=False)
    assert not filecmp.cmp(a / "world.db", c / "world.db", shallow=False)


def test_credit_codes_are_valid_and_unique(world):
    codes = [c["credit_code"] for c in iter_companies(world)]
    assert len(codes) == 300 == len(set(codes))
    assert all(is_valid(code) for code in codes)
    # a published real-world example validates, a changed check character does not
    assert check_char("91350100M000100Y4") == "3" and is_valid("91350100M000100Y43")
    assert not is_valid("91350100M000100Y44")
    good = make_code("110105", 42)
    assert not is_valid(good[:10] + ("1" if good[10] != "1" else "2") + good[11:])


def test_world_has_every_archetype_lookalike_and_timelines(world):
    meta = read_world_meta(world)
    assert meta["today"] > meta["start"]
    truth = list(iter_companies(world))
    schemes = [c for c in truth if c["is_scheme"]]
    assert {c["archetype"] for c in schemes} == set(ARCHETYPES)
    assert {c["lookalike"] for c in truth if c["lookalike"]} == set(LOOKALIKES)
    assert 0.05 < len(schemes) / len(truth) < 0.15
    for c in schemes:
        assert meta["start"] <= c["launch"] or c["launch"] >= "2021-03-01"
        if c["collapse"]:
            assert c["launch"] < c["collapse"] <= meta["today"]
    assert any(c["collapse"] for c in schemes) and any(not c["collapse"] for c in schemes)
    assert sum(c["lookalike"] is None and not c["is_scheme"] for c in truth) > len(truth) / 2


def test_rebirth_links_point_to_an_earlier_collapsed_scheme(tmp_path):
    w = generate(tmp_path / "w", companies=3000, seed=3)
    truth = {c["credit_code"]: c for c in iter_companies(w)}
    reborn = [c for c in truth.values() if c["reborn_from"]]
    assert reborn
    for c in reborn:
        parent = truth[c["reborn_from"]]
        assert parent["is_scheme"] and parent["collapse"] < c["launch"] and parent["archetype"] == c["archetype"]


def test_truth_documents_cover_every_kind(world):
    kinds = Counter(d["kind"] for d in iter_documents(world))
    assert set(kinds) == {"promo", "recruit", "complaint", "judgment", "warning", "news", "other"}
    codes = {c["credit_code"] for c in iter_companies(world)}
    for d in iter_documents(world):
        assert set(d["credit_codes"]) <= codes
        assert d["url"].startswith("http://")
