#!/usr/bin/env python3
"""Crawl benchmark: our full pipeline against `scrapy bench`, measured in the same run.

Generates a sandbox world big enough for at least --min-pages pages, serves it, crawls
every source through the whole pipeline (charset repair, clean-up, normalisation,
dedup, entity linking, SQLite + FTS writes) and runs `scrapy bench` (Scrapy's own
link-following benchmark: no parsing, no storage) on the same machine. Both rates are
pages per minute of wall-clock time; with --repeat N the medians are compared.
Politeness delays are switched off for both (the sandbox is local), so the ratio is
the cost of our pipeline, not of our manners.

    PYTHONPATH=. python scripts/bench_crawl.py [--companies 1400] [--repeat 1]

Last line: crawl_ratio=<ours / scrapy bench>. With --workers-ratio it instead crawls the
same world with one crawler process at a time and with two side by side (the sources
after the registry; SMOKE_CRAWL_WORKERS) and prints workers_ratio=<two / one>.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "SMOKE_PROGRESS_INTERVAL": "0", "SMOKE_STORE_BATCH": "200"}


def ours(world: Path, work: Path, workers: int | None = None) -> tuple[float, int, float]:
    """(pages per minute, pages, seconds) of one full crawl of every source."""
    from crawlers.runner import run_crawl
    from sandbox.server import SandboxServer

    os.environ["SMOKE_HOME"] = str(work / "home")
    with SandboxServer(world) as srv:
        t0 = time.monotonic()
        run = run_crawl(work / "smoke.db", proxy=srv.proxy_url, progress=False, settings=FAST, workers=workers)
        secs = time.monotonic() - t0
    pages = sum(s.pages for s in run.sources.values())
    errors = {n: s.errors for n, s in run.sources.items() if s.errors}
    print(f"  ours: {pages} pages, {sum(s.items for s in run.sources.values())} items in {secs:.1f}s"
          f" ({run.status}{', errors ' + str(errors) if errors else ''})", file=sys.stderr)
    return pages / secs * 60, pages, secs


def scrapy_bench(seconds: int) -> float:
    """Pages per minute of `scrapy bench` (run outside the project: Scrapy's defaults)."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
                               "-s", "LOG_LEVEL=INFO"], cwd=tmp, capture_output=True, text=True, check=True)
    log = proc.stderr
    count = int(re.search(r"'response_received_count': (\d+)", log).group(1))
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", log).group(1))
    print(f"  scrapy bench: {count} pages in {elapsed:.1f}s", file=sys.stderr)
    return count / elapsed * 60


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--companies", type=int, default=1400, help="world size (1,400 gives about 5,500 pages)")
    ap.add_argument("--min-pages", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; medians are compared")
    ap.add_argument("--bench-seconds", type=int, default=20)
    ap.add_argument("--workers-ratio", action="store_true", help="compare 2 crawler processes at once with 1")
    args = ap.parse_args()
    from sandbox.world import generate

    if args.workers_ratio:
        return workers_ratio(args)

    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        world = generate(Path(tmp) / "world", companies=args.companies, seed=7)
        our_rates, bench_rates = [], []
        for i in range(args.repeat):
            work = Path(tmp) / f"run{i}"
            work.mkdir()
            rate, pages, _ = ours(world, work)
            if pages < args.min_pages:
                print(f"only {pages} pages crawled (< {args.min_pages}): raise --companies", file=sys.stderr)
                return 1
            our_rates.append(rate)
            bench_rates.append(scrapy_bench(args.bench_seconds))
    o, b = statistics.median(our_rates), statistics.median(bench_rates)
    print(f"ours_pages_per_min={o:.0f}")
    print(f"scrapy_bench_pages_per_min={b:.0f}")
    print(f"crawl_ratio={o / b:.2f}")
    return 0


def workers_ratio(args: argparse.Namespace) -> int:
    from sandbox.world import generate

    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        world = generate(Path(tmp) / "world", companies=args.companies, seed=7)
        rates: dict[int, list[float]] = {1: [], 2: []}
        for i in range(args.repeat):
            for workers in (1, 2):  # interleaved: load on a shared machine hits both alike
                work = Path(tmp) / f"run{i}-w{workers}"
                work.mkdir()
                rates[workers].append(ours(world, work, workers)[0])
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(f"one_process_pages_per_min={one:.0f}")
    print(f"two_processes_pages_per_min={two:.0f}")
    print(f"workers_ratio={two / one:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
