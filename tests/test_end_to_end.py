"""The whole cycle, as a user runs it: a sandbox world served over HTTP, crawled by the
real spiders, indexed into a real SQLite store, scored, alerted and exported; then the
CLI read back. Run twice: identical scores, no duplicate documents."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.truth import iter_companies
from sandbox.world import generate

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def smoke(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "SMOKE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "smoke", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=check, timeout=900)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("home")
    world = tmp_path_factory.mktemp("world")
    generate(world, companies=220, seed=11)
    first = smoke(home, "run", "--world", str(world))
    scores_1 = json.loads(smoke(home, "search", "", "--limit", "1000", "--json").stdout)
    import sqlite3

    with sqlite3.connect(home / "smoke.db") as db:
        docs_1 = db.execute("select count(*) from documents").fetchone()[0]
    second = smoke(home, "run", "--world", str(world))
    with sqlite3.connect(home / "smoke.db") as db:
        docs_2 = db.execute("select count(*) from documents").fetchone()[0]
    scores_2 = json.loads(smoke(home, "search", "", "--limit", "1000", "--json").stdout)
    truth = {row["credit_code"]: row for row in iter_companies(world)}
    return {"home": home, "world": world, "first": first, "second": second, "docs": (docs_1, docs_2),
            "scores": (scores_1, scores_2), "truth": truth}


def test_run_prints_ranked_list_topped_by_planted_schemes(cycle) -> None:
    out = cycle["first"].stdout
    assert "冒烟指数高风险名单" in out  # the Chinese default
    truth = cycle["truth"]
    ranked = [line.split()[3] for line in out.splitlines() if line[:3].strip().isdigit()]
    assert len(ranked) >= 5, out
    top = ranked[:5]
    assert all(truth[code]["is_scheme"] for code in top), [truth[c] for c in top]


def test_second_run_gives_identical_scores_and_no_duplicates(cycle) -> None:
    docs_1, docs_2 = cycle["docs"]
    assert docs_1 > 100 and docs_1 == docs_2
    s1, s2 = cycle["scores"]
    assert {r["credit_code"]: r["smoke_index"] for r in s1} == {r["credit_code"]: r["smoke_index"] for r in s2}


def test_planted_scheme_profile_has_all_dimensions_and_evidence(cycle) -> None:
    truth = cycle["truth"]
    collapsed = [c for c, t in truth.items() if t["is_scheme"] and t["collapse"]]
    assert collapsed
    profile = json.loads(smoke(cycle["home"], "company", collapsed[0], "--json").stdout)
    for key in ("name", "credit_code", "smoke_index", "level", "dimensions", "indicators", "model_version"):
        assert key in profile
    assert profile["smoke_index"] >= 60
    assert set(profile["dimensions"]) >= {"compliance", "complaints", "yield", "feature_words", "spread"}
    top = [i for i in profile["indicators"] if i["points"] > 0][:3]
    assert top and all(i["evidence"] and i["evidence"][0]["url"].startswith("http") for i in top)
    assert abs(sum(i["points"] for i in profile["indicators"]) - profile["smoke_index"]) < 0.6


def test_lookalikes_score_below_60(cycle) -> None:
    truth = cycle["truth"]
    scores = {r["credit_code"]: r["smoke_index"] for r in cycle["scores"][0]}
    lookalikes = [c for c, t in truth.items() if t["lookalike"] and not t["is_scheme"]]
    assert lookalikes
    high = [c for c in lookalikes if (scores.get(c) or 0) >= 60]
    assert len(high) <= max(1, len(lookalikes) // 50), high


def test_export_csv_has_bom_and_columns(cycle) -> None:
    home = cycle["home"]
    out = home / "x.csv"
    smoke(home, "export", "--min-score", "60", "--format", "csv", "-o", str(out), "--lang", "en")  # ids as headers
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and all(float(r["smoke_index"]) >= 60 for r in rows)
    for col in ("name", "credit_code", "smoke_index", "compliance", "complaints", "yield", "feature_words", "spread"):
        assert col in rows[0]


def test_search_json_and_min_score(cycle) -> None:
    rows = json.loads(smoke(cycle["home"], "search", "", "--min-score", "60", "--json").stdout)
    assert rows and all(r["smoke_index"] >= 60 for r in rows)
