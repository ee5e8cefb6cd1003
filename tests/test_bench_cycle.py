"""The synthetic store loader (scripts/synth_store.py) and ``./scripts/bench cycle`` at a tiny size."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from synth_store import STAGES, Synth, load  # noqa: E402

from indexing.store.sqlite import SQLiteStore  # noqa: E402

N = 3000


@pytest.fixture(scope="module")
def world() -> tuple[Synth, list, list[list]]:
    synth = Synth(N, seed=5)
    pairs = [synth.company_and_documents(i) for i in range(N)]
    return synth, [c for c, _ in pairs], [d for _, d in pairs]


def test_the_loader_is_deterministic_by_seed(world) -> None:
    synth, companies, docs = world
    again = Synth(N, seed=5)
    for i in (0, 1, 17, N // 2, N - 1):
        co, ds = again.company_and_documents(i)
        assert co.to_dict() == companies[i].to_dict()
        assert [d.to_dict() for d in ds] == [d.to_dict() for d in docs[i]]
    other = Synth(N, seed=6)
    assert [other.company(i).name for i in range(50)] != [c.name for c in companies[:50]]
    assert synth.day1() == again.day1()


def test_documents_per_company_are_long_tailed_with_mean_five(world) -> None:
    _, _, docs = world
    counts = [len(d) for d in docs]
    mean = statistics.mean(counts)
    assert 4.3 <= mean <= 5.7, mean
    assert statistics.median(counts) < mean  # most companies have few documents ...
    assert max(counts) >= 8 * mean  # ... and a few have very many
    assert sum(1 for c in counts if c <= 1) > N // 10


def test_schemes_are_half_a_percent_in_three_stages(world) -> None:
    synth, companies, docs = world
    schemes = [i for i in range(N) if synth.scheme_no(i) is not None]
    assert 0.003 <= len(schemes) / N <= 0.008, len(schemes)
    stages = Counter(synth.stage(synth.scheme_no(i)) for i in schemes)
    assert set(stages) == set(STAGES)
    for i in schemes:
        kinds = Counter(d.source_kind for d in docs[i])
        stage = synth.stage(synth.scheme_no(i))
        assert kinds["promo"] >= 2
        assert (kinds["complaint"] > 0) == (stage != "early") or stage == "early" and kinds["complaint"] == 0
        if stage == "court":
            assert kinds["court"] >= 1 and companies[i].entries


def test_people_addresses_and_phones_are_shared(world) -> None:
    _, companies, _ = world
    people = Counter(p.name for c in companies for p in {x.name: x for x in c.people}.values())
    addresses = Counter(c.address for c in companies)
    phones = Counter(p for c in companies for p in c.phones)
    assert sum(1 for n in people.values() if n >= 2) > N // 20
    assert max(addresses.values()) >= 10  # a mass-registration address
    assert sum(1 for a, n in addresses.items() if "集中办公区" in a) >= 1
    assert sum(1 for n in phones.values() if n >= 2) >= 5


def test_texts_are_varied_not_a_small_pool(world) -> None:
    _, _, docs = world
    texts = [d.text for ds in docs for d in ds]
    assert len(set(texts)) / len(texts) > 0.95
    kinds = Counter(d.fields["doc_kind"] for ds in docs for d in ds)
    assert set(kinds) == {"promotion", "complaint", "judgment", "registry", "warning", "news"}


def test_load_writes_every_record_through_the_store(tmp_path: Path) -> None:
    synth = Synth(120, seed=2)
    with SQLiteStore(tmp_path / "s.db") as store:
        st = load(store, synth, batch=50, progress=False)
        assert st.companies == store.count_companies() == 120
        assert st.documents == store.count_documents() == sum(len(synth.documents(i)) for i in range(120))


# Eleven stage processes, each importing the scorer or the web layer: about two minutes on an
# idle machine, far more on a shared one.
@pytest.mark.timeout(1800)
def test_bench_cycle_ends_with_its_figures(tmp_path: Path) -> None:
    out = subprocess.run([str(ROOT / "scripts" / "bench"), "cycle", "--companies", "200", "--queries", "10",
                          "--batch", "100", "--work", str(tmp_path)], capture_output=True, text=True, timeout=1700)
    assert out.returncode == 0, out.stderr[-2000:]
    values = dict(re.findall(r"^(\w+)=([^\s]+)$", out.stdout, re.M))
    for key in ("full_score_s", "full_score_peak_mib", "day1_s", "day1_peak_mib", "search_p95_ms", "page_p95_ms",
                "cycle_ratio"):
        assert key in values, (key, out.stdout[-1500:])
        assert float(values[key]) > 0, (key, values[key])
    assert out.stdout.strip().splitlines()[-1].startswith("cycle_ratio=")
    assert float(values["full_score_peak_mib"]) >= 30  # a Python process that scored: its RSS, not a stub
    assert (tmp_path / "home" / "exports" / "high-risk-2026-07-01.csv").exists()
