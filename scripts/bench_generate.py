#!/usr/bin/env python3
"""Benchmark: generate a sandbox world of N companies (default 1,000,000) and report
wall time and peak memory (RSS), against a baseline measured in the same run: writing
N minimal JSON lines (one per company, with a valid credit code).

Each part runs in its own child process so each peak RSS is its own. The last line is
``generate_ratio=<generate seconds / baseline seconds>``.

    PYTHONPATH=. python scripts/bench_generate.py --companies 1000000
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, n, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
t = time.perf_counter()
if mode == "baseline":
    from sandbox.creditcode import make_code
    with open(out / "baseline.jsonl", "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"i": i, "credit_code": make_code("110105", i), "name": f"company {i}"}) + "\n")
else:
    from sandbox.world import generate
    last = [0.0]
    def progress(done, total):
        now = time.perf_counter()
        if now - last[0] > 10 or done == total:
            last[0] = now
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  {done:,}/{total:,} companies, {now - t:,.0f}s, peak RSS {rss:,.0f} MiB", file=sys.stderr, flush=True)
    generate(out / "world", companies=n, seed=7, progress=progress)
secs = time.perf_counter() - t
print(json.dumps({"seconds": secs, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(mode: str, n: int, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, mode, str(n), str(out)], stdout=subprocess.PIPE, text=True,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--companies", type=int, default=1_000_000, help="companies to generate (default 1,000,000)")
    ap.add_argument("--out", type=Path, default=None, help="folder for the outputs (default: a temporary one, removed)")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_generate_"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        print(f"baseline: writing {args.companies:,} minimal JSON lines ...", file=sys.stderr, flush=True)
        base = run("baseline", args.companies, out)
        print(f"generate: a world of {args.companies:,} companies ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        gen = run("generate", args.companies, out)
        wall = time.perf_counter() - t
        world = out / "world"
        size = sum(p.stat().st_size for p in world.rglob("*") if p.is_file())
        meta = json.loads((world / "world.json").read_text(encoding="utf-8"))
        print(f"companies={args.companies}")
        print(f"baseline_seconds={base['seconds']:.2f} baseline_peak_rss_mib={base['peak_rss_mib']:.0f}")
        print(f"generate_seconds={gen['seconds']:.2f} generate_wall_seconds={wall:.2f} "
              f"generate_peak_rss_mib={gen['peak_rss_mib']:.0f}")
        print(f"world_bytes={size} documents={meta['counts'].get('documents', 0)} pages={meta['counts'].get('pages', 0)}")
        print(f"companies_per_second={args.companies / gen['seconds']:.0f}")
        print(f"generate_ratio={gen['seconds'] / base['seconds']:.1f}")
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
