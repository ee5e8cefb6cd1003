#!/usr/bin/env python3
"""Benchmark: scoring 10k, 100k and 1M synthetic companies with their indicators.

Each size runs in its own process (so peak memory is that size's own), streaming:
companies are generated, scored with ``score_company`` (all ~48 indicators, evidence,
point allocation) and dropped; only a histogram of levels is kept. Documents come
from a small pool of promotional, complaint and court texts, as real companies share
templates; their analyses are cached like ``score_store`` caches them within a run.
Prints time, companies/s and peak RSS per size, and the growth factor per 10x; the last
line is ``score_ratio=<seconds per company at the smallest size / at the largest>``
(1.0 = perfectly linear; below 1 means the large run was slower per company).

    PYTHONPATH=. python scripts/bench_score.py [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time


def run_one(n: int) -> dict:
    from indexing.models import Company, Document, Mention, Person, RegistryEntry
    from scoring.context import ScoringContext
    from scoring.model import load_model
    from scoring.scorer import score_company

    model = load_model()
    as_of = "2024-06-30"
    ctx = ScoringContext(as_of=as_of)
    pool = [
        ("promo", "年化收益高达36%，保本保息，稳赚不赔，直推奖10%，见点奖，对碰奖日封顶，名额有限，早进早赚。"),
        ("promo", "投1万每月返800，每日分红，静态收益加动态收益，复投翻倍，国家支持的扶贫项目。邀请码AB12"),
        ("promo", "理财非存款、产品有风险、投资须谨慎。业绩比较基准年化3.2%，本产品不保证本金和收益。"),
        ("promo", "公司专注软件开发与技术服务，为客户提供优质的信息化解决方案，欢迎来电咨询。"),
        ("complaint", "我于2024年3月投了5万元，现在无法提现，客服失联，要求退还本金。"),
        ("court", "原告与被告民间借贷纠纷一案，本院认为，被告应偿还借款本金及利息。判决如下。"),
    ]
    rnd = random.Random(n)
    levels: dict[str, int] = {}
    t0 = time.perf_counter()
    for i in range(n):
        code = f"91{i:016d}"
        c = Company(credit_code=code, name=f"合成企业{i}有限公司", legal_rep="某人", people=[Person("某人", "legal_rep")],
                    registered_capital=rnd.choice([100.0, 1000.0, 10000.0]), paid_in_capital=rnd.choice([None, 0.0, 100.0]),
                    founded=f"20{rnd.randint(10, 23)}-0{rnd.randint(1, 9)}-15", status="存续", address=f"某市某路{i % 5000}号",
                    business_scope=rnd.choice(["投资管理；资产管理", "软件开发", "餐饮服务", "投资咨询"]),
                    entries=[RegistryEntry("abnormal", "2024-01-01", "通过登记的住所或者经营场所无法联系的")] if i % 17 == 0 else [])
        docs = []
        for j in range(rnd.randint(0, 6)):
            k = rnd.randrange(len(pool))
            kind, text = pool[k]
            docs.append(Document(id=f"pool{k}", url=f"http://s{i % 97}.test/{i}/{j}", source_kind=kind, site=f"s{i % 97}",
                                 title="", text=text, fetched="2024-05-01T00:00:00", published="2024-05-01",
                                 content_hash=f"h{k}", mentions=[Mention(code, "name", 1.0, "defendant")]))
        s = score_company(c, docs, ctx, model, as_of)
        levels[s.level] = levels.get(s.level, 0) + 1
    elapsed = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"n": n, "seconds": round(elapsed, 2), "per_s": round(n / elapsed), "peak_mib": round(peak_kib / 1024, 1),
            "levels": dict(sorted(levels.items()))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{r['n']:>9,} companies: {r['seconds']:8.1f} s  {r['per_s']:>7,}/s  peak {r['peak_mib']:7.1f} MiB  {r['levels']}",
              flush=True)
    for a, b in zip(results, results[1:], strict=False):
        print(f"time x{b['seconds'] / a['seconds']:.1f} for companies x{b['n'] / a['n']:.0f}")
    first, last = results[0], results[-1]
    # linearity: time per company at the smallest size / at the largest (1.0 = perfectly linear)
    print(f"score_ratio={(first['seconds'] / first['n']) / (last['seconds'] / last['n']):.2f}")


if __name__ == "__main__":
    main()
