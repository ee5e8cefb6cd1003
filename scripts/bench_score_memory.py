"""Peak traced memory (tracemalloc) and time of streaming a store through scoring.scorer.iter_scores,
per stage, on a small synthetic store of N companies (issue 14: memory must not grow with
the number of companies). Not the 1M loader: a few thousand companies, built in seconds.

    .venv/bin/python scripts/bench_score_memory.py --companies 1200 --store /tmp/s1200.db

The texts are the scorer tests' hand-written ones (tests/scoring/conftest.py); one company
in seven carries a scheme's promotion, which makes far more seeds than a real population.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexing.models import Person, RegistryEntry  # noqa: E402
from indexing.store.sqlite import SQLiteStore  # noqa: E402
from scoring import network  # noqa: E402
from scoring.model import load_model  # noqa: E402
from scoring.scorer import iter_scores  # noqa: E402
from tests.scoring.conftest import BANK_PAGE, RECRUIT_POST, SCHEME_PROMO, company, doc  # noqa: E402

COMPLAINT = "我在该平台投资5万元，现在无法提现，客服失联，老板跑路了，本金全部被骗。"


def build(path: Path, n: int) -> None:
    store = SQLiteStore(path)
    cos, docs = [], []
    for i in range(n):
        code = f"9144{i:014d}"
        scheme = i % 50 == 0
        cos.append(company(code, f"深圳某某{i}{'投资' if scheme else '软件'}有限公司", legal_rep=f"人{i // 3}",
                           people=[Person(f"人{i // 3}", "legal_rep")], address=f"深圳市南山区某路{i // 4}号",
                           phones=[f"0755-{i // 2:08d}"], founded="2012-01-01",
                           business_scope="投资管理" if scheme else "软件开发",
                           entries=[RegistryEntry("penalty", "2024-01-05", "非法集资", detail="罚款")] if i % 100 == 0 else []))
        k = i % 7
        if scheme or k == 1:
            docs.append(doc(SCHEME_PROMO.replace("鑫聚财富", f"聚{i}"), code=code, url=f"http://p{i}.test/", site=f"p{i}",
                            date="2024-05-01"))
        if k == 2:
            docs.append(doc(COMPLAINT.replace("5万", f"{i}万"), kind="complaint", code=code, url=f"http://ts.test/{i}",
                            site="ts", date="2024-06-01"))
        if k == 3:
            docs.append(doc(BANK_PAGE, code=code, url=f"http://b{i}.test/", site=f"b{i}", date="2020-01-01"))
        if k == 4:
            docs.append(doc(RECRUIT_POST + str(i), code=code, url=f"http://r{i}.test/", site=f"r{i}", date="2024-06-01"))
    store.upsert_companies(cos)
    store.upsert_documents(docs)
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--companies", type=int, default=1200)
    ap.add_argument("--store", type=Path, required=True, help="SQLite file (built when missing)")
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--seed-chunk", type=int, default=network.SEED_CHUNK,
                    help="seed pages per similarity index (scoring.network.SEED_CHUNK)")
    args = ap.parse_args()
    network.SEED_CHUNK = args.seed_chunk
    if not args.store.exists():
        build(args.store, args.companies)
    model = load_model()
    store = SQLiteStore(args.store)
    warm = SQLiteStore(Path(str(args.store) + ".warm.db"))
    if not warm.count_companies():
        warm.close()
        build(Path(str(args.store) + ".warm.db"), 60)
        warm = SQLiteStore(Path(str(args.store) + ".warm.db"))
    list(iter_scores(warm, args.as_of, model))  # lexicon, analyser and imports loaded outside the measure

    stages: dict[str, float] = {}
    real = network.build_network

    def timed_network(*a, **kw):
        stages["pass0+1_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
        out = real(*a, **kw)
        stages["network_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
        return out

    network.build_network = timed_network
    tracemalloc.start()
    t0 = time.monotonic()
    n = sum(1 for _ in iter_scores(store, args.as_of, model))
    stages["pass2_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(f"companies={n}")
    print(f"documents={store.count_documents()}")
    print(f"score_s={time.monotonic() - t0:.1f}")
    for k, v in stages.items():
        print(f"{k}={v:.2f}")
    print(f"peak_mib={max(stages.values()):.2f}")


if __name__ == "__main__":
    main()
