"""The generated world: determinism, credit codes, composition, ground truth."""

from __future__ import annotations

import filecmp
import re
import sqlite3
from collections import Counter

from sandbox.creditcode import check_char, is_valid, make_code
from sandbox.sites.promo import page_text
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
    # the reborn scheme's promotion near-copies its parent's (换马甲): same sentences, new brand
    db = sqlite3.connect(w / "world.db")
    overlaps = []
    for c in reborn:
        parent = truth[c["reborn_from"]]
        texts = []
        for who in (c, parent):
            dom = db.execute("SELECT domain FROM sites WHERE code = ? ORDER BY first_date LIMIT 1", (who["credit_code"],)).fetchone()[0]
            body = "".join(page_text(db, dom, "/plan.html", "2024-06-30")[1])
            for b in who["brands"]:
                body = body.replace(b, "")
            texts.append({s for s in re.split("[。！？]", body) if s})
        overlaps.append(len(texts[0] & texts[1]) / max(1, len(texts[1])))
    assert sum(overlaps) / len(overlaps) > 0.4
    # while two unrelated schemes of the same archetype share almost nothing
    others = [x for x in truth.values() if x["is_scheme"] and not x["reborn_from"] and x["archetype"] == reborn[0]["archetype"]][:2]
    sets = []
    for who in others:
        dom = db.execute("SELECT domain FROM sites WHERE code = ? ORDER BY first_date LIMIT 1", (who["credit_code"],)).fetchone()[0]
        sets.append({s for s in re.split("[。！？]", "".join(page_text(db, dom, "/plan.html", "2024-06-30")[1])) if s})
    assert len(sets[0] & sets[1]) / max(1, len(sets[1])) < 0.2


def test_truth_documents_cover_every_kind(world):
    kinds = Counter(d["kind"] for d in iter_documents(world))
    assert set(kinds) == {"promo", "recruit", "complaint", "judgment", "warning", "news", "other"}
    codes = {c["credit_code"] for c in iter_companies(world)}
    for d in iter_documents(world):
        assert set(d["credit_codes"]) <= codes
        assert d["url"].startswith("http://")


def test_people_addresses_and_phones_tie_companies_together(world):
    import json

    db = sqlite3.connect(world / "world.db")
    people: dict[str, set[str]] = {}
    phones: dict[str, set[str]] = {}
    addresses: dict[str, set[str]] = {}
    scheme_codes = {c["credit_code"] for c in iter_companies(world) if c["is_scheme"]}
    for code, profile in db.execute("SELECT code, profile FROM companies"):
        p = json.loads(profile)
        for name, _, _ in p["people"]:
            people.setdefault(name, set()).add(code)
        for ph in p["phones"]:
            phones.setdefault(ph, set()).add(code)
        addresses.setdefault(p["address"].split("号")[0], set()).add(code)
    shared = [codes for codes in people.values() if len(codes) > 1]
    assert len(shared) > 20
    # professional operators: some people sit in several schemes
    assert any(len(codes & scheme_codes) >= 2 for codes in people.values())
    assert any(len(codes) > 1 for codes in addresses.values())
