"""Variety is real: on a 10,000-company world no sentence appears in more than 5% of
the promotional pages, and each archetype has wording of its own."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter, defaultdict

import pytest

from sandbox.sites.promo import page_text
from sandbox.world import TODAY, generate

_SPLIT = re.compile(r"[。！？!?\n]+")


@pytest.fixture(scope="module")
def big_world(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("big") / "w", companies=10_000, seed=7)


def _sentences(texts: list[str]) -> set[str]:
    out = set()
    for t in texts:
        for s in _SPLIT.split(t):
            s = s.strip(" ，；—")
            if s:
                out.add(s)
    return out


@pytest.mark.slow
def test_no_sentence_in_more_than_5_percent_of_promotional_pages(big_world):
    db = sqlite3.connect(big_world / "world.db")
    rows = db.execute("SELECT domain, path FROM pages WHERE kind IN ('promo', 'recruit')").fetchall()
    assert len(rows) > 5000
    counts: Counter[str] = Counter()
    for domain, path in rows:
        counts.update(_sentences(page_text(db, domain, path, TODAY.isoformat())[1]))
    sentence, n = counts.most_common(1)[0]
    assert n / len(rows) <= 0.05, f"{sentence!r} appears in {n} of {len(rows)} promotional pages"


@pytest.mark.slow
def test_each_archetype_has_its_own_wording(big_world):
    db = sqlite3.connect(big_world / "world.db")
    rows = db.execute("SELECT p.domain, p.path, c.archetype FROM pages p JOIN companies c ON c.code = p.code"
                      " WHERE p.ptype LIKE 'scheme_%'").fetchall()
    df: dict[str, Counter[str]] = defaultdict(Counter)
    pages: Counter[str] = Counter()
    for domain, path, arch in rows:
        text = "".join(page_text(db, domain, path, TODAY.isoformat())[1])
        grams = {text[i : i + 4] for i in range(len(text) - 3)}
        df[arch].update(grams)
        pages[arch] += 1
    assert len(pages) == 7
    for arch in pages:
        own = [g for g, n in df[arch].items() if n / pages[arch] >= 0.15 and
               all(df[o][g] / pages[o] <= 0.02 for o in pages if o != arch)]
        assert len(own) >= 10, f"{arch}: only {own} are its own"
