#!/usr/bin/env python3
"""Scoring on the real path, measured: a synthetic SQLite store (scripts/bench_store.py's
generator: shared people, addresses and phones; promotional, complaint, court and news
documents) scored by ``scoring.scorer.iter_scores``, as the daily cycle scores it.

Prints companies per second (median of ``--runs`` runs), the peak RSS of this process and
of the worker processes, and with ``--profile`` the functions where a one-worker run spends
its time (cProfile, cumulative). The store is built once per size under ``--dir`` and kept.
Each run starts with no stored text analyses (a full rescore, the first day's case) unless
``--warm`` (analyses kept from the previous run: a rescore after a model change).

Usage: ``.venv/bin/python scripts/profile_score.py --companies 20000 [--workers 2] [--runs 3] [--profile]``.
Last line: ``companies_per_s=<median>``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_store  # noqa: E402
from synth_store import Synth  # noqa: E402

from indexing.store import StoreSpec  # noqa: E402
from indexing.store.sqlite import SQLiteStore  # noqa: E402


def build(path: Path, n: int, per: int) -> None:
    """The synthetic store of ``n`` companies and ``n * per`` documents (bench_store's data)."""
    tmp = path.with_suffix(".part")
    tmp.unlink(missing_ok=True)
    t0 = time.monotonic()
    with SQLiteStore(tmp) as store:
        synth = Synth(n, mean_docs=per)
        for b in bench_store.batched(bench_store.companies(synth), 2000):
            store.upsert_companies(b)
        for b in bench_store.batched(bench_store.documents(synth), 2000):
            store.upsert_documents(b)
    tmp.rename(path)
    print(f"[profile score] built {path} ({n:,} companies, {n * per:,} documents) in "
          f"{time.monotonic() - t0:.0f}s", file=sys.stderr, flush=True)


def cpu_s() -> float:
    """CPU seconds of this process and its finished worker processes."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run(path: Path, workers: int, as_of: str, analyses: Path | None) -> tuple[float, float]:
    """(companies per wall second, companies per CPU second) of one full scoring."""
    from scoring.scorer import iter_scores

    t0, c0 = time.perf_counter(), cpu_s()
    with SQLiteStore(path) as store:
        n = sum(1 for _ in iter_scores(store, as_of, workers=workers, spec=StoreSpec("sqlite", str(path)),
                                       analyses=analyses))
    return n / (time.perf_counter() - t0), n / (cpu_s() - c0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--companies", type=int, default=20_000)
    ap.add_argument("--docs-per-company", type=int, default=5)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="scoring runs (0: build the store only)")
    ap.add_argument("--as-of", default="2024-12-31")
    ap.add_argument("--dir", default="/tmp/smoke-profile-score", help="where the synthetic stores are kept")
    ap.add_argument("--profile", action="store_true", help="cProfile one run (cumulative, top 40)")
    ap.add_argument("--warm", action="store_true", help="keep text analyses between runs")
    args = ap.parse_args()
    d = Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"store-{args.companies}x{args.docs_per_company}.db"
    if not path.exists():
        build(path, args.companies, args.docs_per_company)
    from indexing.tokenize import analyze
    from scoring.text import analyze as analyse_text

    analyze("预热分词词典")  # jieba's dictionary and the analyser's rules load once, outside the timing
    analyse_text("预热", "", "")
    rates, cpu_rates = [], []
    with tempfile.TemporaryDirectory(prefix="smoke-profile-") as tmp:
        analyses = Path(tmp) / "analyses.sqlite"
        for i in range(args.runs):
            if not args.warm:
                analyses.unlink(missing_ok=True)
            if args.profile and i == args.runs - 1:  # the last run: a warm one with --warm
                prof = cProfile.Profile()
                rate, cpu_rate = prof.runcall(run, path, args.workers, args.as_of, analyses)
                pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
                pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
            else:
                rate, cpu_rate = run(path, args.workers, args.as_of, analyses)
            rates.append(rate)
            cpu_rates.append(cpu_rate)
            print(f"[profile score] run {i + 1}: {rate:,.1f} companies/s, {cpu_rate:,.1f} companies per CPU second "
                  f"({args.workers} worker(s); load average {os.getloadavg()[0]:.1f})", flush=True)
    if not rates:  # --runs 0: the store only
        return 0
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    med, cpu_med = statistics.median(rates), statistics.median(cpu_rates)
    print(f"peak_rss_mib={me:.0f} worker_peak_rss_mib={kids:.0f}")
    # on a shared machine the wall figure says little: CPU seconds per company, spread over
    # the workers' cores, give the time on the same machine idle
    print(f"companies_per_cpu_s={cpu_med:.1f}")
    print(f"projected_1m_s={1_000_000 / med:.0f} projected_1m_idle_s={1_000_000 / cpu_med / args.workers:.0f}")
    print(f"companies_per_s={med:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
