#!/usr/bin/env python3
"""Both Store backends on the same synthetic data, measured in the same run.

Loads ``--companies`` synthetic companies (shared people, addresses and phones, so the
relationship graph has edges), ``--docs-per-company`` documents each (mixed promotional,
complaint, court and news phrases, each mentioning its company) and one score per
company into a fresh SQLite file and a fresh Elasticsearch prefix, then times:

* bulk load: records (companies + documents + scores) per second;
* company search and document search: p50 and p95 over ``--queries`` queries;
* company page p95: every store call of one company page (the web page's own
  functions: profile, documents, relationship graph, similar companies).

Each Elasticsearch figure is also given as a ratio against SQLite. The node is the one at
SMOKE_ES_URL, else a throwaway one started by scripts/es-node (and stopped after).
Last line: ``store_ratio=<Elasticsearch load rate ÷ SQLite load rate>``.

Usage: ``./scripts/bench store [--companies 10000] [--docs-per-company 5] [--queries 200]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexing.creditcode import check_digit  # noqa: E402
from indexing.models import Company, Document, Mention, Person, Score, level_for, stable_id  # noqa: E402
from indexing.store.base import CompanyQuery, DocumentQuery, Store  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
CITY = ["深圳", "上海", "北京", "广州", "杭州", "成都", "武汉", "南京"]
TRADE = ["鑫利", "恒通", "华盈", "瑞丰", "金源", "汇富", "中融", "宏达", "聚财", "安信", "信达", "海纳"]
KIND = ["财富管理", "投资咨询", "资产管理", "科技", "贸易", "商务服务", "网络科技", "供应链管理"]
PHRASES = [
    "本平台承诺年化收益百分之十八", "保本保息稳赚不赔", "推荐好友注册即可获得直推奖", "见点奖和对碰奖每日结算",
    "投资一万元每月返利八百元", "国家支持的扶贫项目", "区块链数字资产增值", "会员等级越高分红越多",
    "消费养老新模式", "被告人以高额回报为诱饵", "非法吸收公众存款数额巨大", "组织领导传销活动",
    "投诉该平台无法提现", "客服失联老板跑路", "要求退还本金", "市场监管部门提醒广大群众",
    "警惕以高息为诱饵的非法集资", "公司经营范围包括投资管理和资产管理", "今年第三季度营业收入稳步增长",
]
QUERY_WORDS = ["投资", "财富", "保本", "传销", "提现", "集资", "鑫利", "资产管理", "返利", "养老", "区块链"]
KINDS = ["promo", "complaint", "court", "news"]


def credit_code(n: int) -> str:
    body = f"91440300{n:09d}"
    return body + check_digit(body)


def companies(n: int, rng: random.Random) -> Iterator[Company]:
    people = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(max(10, n // 4))]
    for i in range(n):
        name = f"{rng.choice(CITY)}{rng.choice(TRADE)}{rng.choice(KIND)}有限公司{i}"
        yield Company(
            credit_code=credit_code(i), name=name, legal_rep=rng.choice(people),
            people=[Person(rng.choice(people), "executive")], region_code="440300", industry=rng.choice(KIND),
            address=f"{rng.choice(CITY)}市某区某路{rng.randrange(n // 3 + 1)}号",
            phones=[f"0755-{rng.randrange(n // 3 + 1):07d}"], business_scope="投资管理；资产管理；" + rng.choice(KIND),
        )


def documents(n_companies: int, per: int, rng: random.Random) -> Iterator[Document]:
    for i in range(n_companies):
        code = credit_code(i)
        for j in range(per):
            text = "，".join(rng.choice(PHRASES) for _ in range(rng.randint(4, 12))) + "。"
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            yield Document(
                id=stable_id("bench", code, str(j)), url=f"http://bench.test/{i}/{j}", source_kind=KINDS[j % 4],
                site="bench", title=rng.choice(PHRASES), text=text, fetched=day + "T00:00:00", published=day,
                mentions=[Mention(code, "name", 0.9)],
            )


def scores(n: int, rng: random.Random) -> Iterator[Score]:
    for i in range(n):
        v = round(rng.random() * 100, 1)
        yield Score(credit_code(i), "2024-06-30", v, level_for(v), {"compliance": v}, [], "bench")


def batched(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for x in items:
        batch.append(x)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load(store: Store, args: argparse.Namespace) -> float:
    """Records loaded per second (companies, documents, scores)."""
    t0 = time.perf_counter()
    n = 0
    for b in batched(companies(args.companies, random.Random(1)), 2000):
        store.upsert_companies(b)
        n += len(b)
    for b in batched(documents(args.companies, args.docs_per_company, random.Random(2)), 2000):
        store.upsert_documents(b)
        n += len(b)
        print(f"  {n} records", end="\r", file=sys.stderr, flush=True)
    for b in batched(scores(args.companies, random.Random(3)), 5000):
        store.save_scores(b)
        n += len(b)
    return n / (time.perf_counter() - t0)


def timed(fn: Callable[[], Any], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(xs: list[float], p: float) -> float:
    return statistics.quantiles(xs, n=100)[int(p) - 1] if len(xs) > 1 else xs[0]


def company_page(store: Store, code: str) -> None:
    """Every store call of the web company page (smoke/web/routes/pages.py: company)."""
    from smoke.service.companies import find_company
    from smoke.web import views
    from smoke.web.profile import company_profile

    comp = find_company(store, code)
    assert comp is not None, code
    profile = company_profile(store, comp.credit_code) or {}
    store.documents_for(comp.credit_code)
    views.relationship_graph(store, comp)
    views.similar_companies(store, comp, profile.get("smoke_index"))


def measure(store: Store, args: argparse.Namespace) -> dict[str, float]:
    rng = random.Random(4)
    words = lambda: rng.choice(QUERY_WORDS)  # noqa: E731
    out: dict[str, float] = {"load_per_s": load(store, args)}
    cs = timed(lambda: store.search_companies(CompanyQuery(text=words(), sort="relevance", limit=20)), args.queries)
    ds = timed(lambda: store.search_documents(DocumentQuery(text=words(), limit=20)), args.queries)
    ps = timed(lambda: company_page(store, credit_code(rng.randrange(args.companies))), max(20, args.queries // 4))
    out.update({"company_search_p50_ms": pct(cs, 50), "company_search_p95_ms": pct(cs, 95),
                "document_search_p50_ms": pct(ds, 50), "document_search_p95_ms": pct(ds, 95),
                "company_page_p95_ms": pct(ps, 95)})
    return out


def es_node() -> tuple[str, Callable[[], None]]:
    url = os.environ.get("SMOKE_ES_URL", "")
    if url:
        return url, lambda: None
    work = tempfile.mkdtemp(prefix="smoke-es-")
    started = subprocess.run([str(ROOT / "scripts" / "es-node"), "start", work], capture_output=True, text=True)
    if started.returncode:
        sys.exit(f"no Elasticsearch node: {started.stderr.strip().splitlines()[-1:]}")
    return started.stdout.strip(), lambda: subprocess.run([str(ROOT / "scripts" / "es-node"), "stop", work])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--companies", type=int, default=10_000)
    ap.add_argument("--docs-per-company", type=int, default=5)
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    from indexing.store.elastic import ElasticStore
    from indexing.store.sqlite import SQLiteStore

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        print(f"[bench store] sqlite: {args.companies} companies, {args.companies * args.docs_per_company} documents",
              file=sys.stderr)
        with SQLiteStore(Path(tmp) / "bench.db") as s:
            results["sqlite"] = measure(s, args)
    url, stop = es_node()
    try:
        print(f"[bench store] elasticsearch at {url}", file=sys.stderr)
        es = ElasticStore.for_tests(url=url, prefix=f"bench-{os.getpid()}")
        try:
            results["elasticsearch"] = measure(es, args)
        finally:
            es.destroy()
            es.close()
    finally:
        stop()
    sq, el = results["sqlite"], results["elasticsearch"]
    print(f"{'':<24}{'sqlite':>12}{'elasticsearch':>15}{'es/sqlite':>11}")
    for k in sq:
        print(f"{k:<24}{sq[k]:>12.1f}{el[k]:>15.1f}{el[k] / sq[k]:>11.2f}")
    print(f"store_ratio={el['load_per_s'] / sq['load_per_s']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
