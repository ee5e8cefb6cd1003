#!/usr/bin/env python3
"""Both Store backends on the same synthetic data, measured in the same run.

Loads ``--companies`` synthetic companies and their documents (scripts/synth_store.py, the
loader ``bench cycle`` uses: shared people, addresses and phones, long-tailed document counts
averaging ``--docs-per-company``, texts from varied templates, each mentioning its company)
and one score per company into a fresh SQLite file and a fresh Elasticsearch prefix, then
times:

* bulk load: records (companies + documents + scores) per second;
* company search and document search: p50 and p95 over ``--queries`` queries;
* company page p95: every store call of one company page (the web page's own
  functions: profile, documents, relationship graph, similar companies).

Both backends load through the Store interface (``upsert_companies``, ``upsert_documents``,
``save_scores``), and the Elasticsearch store is built as ``open_store`` builds it (writes
``refresh="wait_for"``), with no replicas on the one node. The two backends are interleaved
batch by batch (and query by query), each batch generated once and timed only inside the
store call, so a shared machine whose load changes during the run weighs on both alike.
Each phase prints its figures (and the ES ÷ SQLite ratio) as soon as it ends, and the load
prints progress with rates and the projected remaining time, so a run stopped early still
says something. The node is the one at SMOKE_ES_URL, else a throwaway one started by
scripts/es-node (and stopped after; ``--es-heap 2g`` sets its heap).
Last line: ``store_ratio=<Elasticsearch load rate ÷ SQLite load rate>``.

Usage: ``./scripts/bench store [--companies 10000] [--docs-per-company 5] [--queries 200]``.
``--backend sqlite`` measures SQLite alone (no node); ``--db FILE`` keeps the SQLite store in
FILE, and a FILE already holding ``--companies`` companies is measured without loading.
"""

from __future__ import annotations

import argparse
import itertools
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

sys.path.insert(0, str(ROOT / "scripts"))

from synth_store import Synth, credit_code  # noqa: E402

from indexing.models import Company, Document, Score, level_for  # noqa: E402
from indexing.store.base import CompanyQuery, DocumentQuery, Store  # noqa: E402

QUERY_WORDS = ["投资", "财富", "保本", "传销", "提现", "集资", "鑫利", "资产管理", "返利", "养老", "区块链"]


def companies(synth: Synth) -> Iterator[Company]:
    return (synth.company(i) for i in range(synth.companies))


def documents(synth: Synth) -> Iterator[Document]:
    return (d for i in range(synth.companies) for d in synth.documents(i))


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


def say(msg: str) -> None:
    """A figure or a phase result: on stdout at once (a log of a stopped run keeps it)."""
    print(msg, flush=True)


def ratio(el: float, sq: float) -> str:
    return f"{el / sq:.2f}" if sq else "-"


class Timer:
    """Seconds spent inside each backend's store calls."""

    def __init__(self, names: list[str]) -> None:
        self.spent = dict.fromkeys(names, 0.0)

    def call(self, name: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = fn()
        self.spent[name] += time.perf_counter() - t0
        return out


class Loader:
    """Loads the synthetic data slice by slice into every backend, interleaved batch by
    batch: each batch is generated once and handed to every backend in turn, and only the
    store call is timed. Prints each kind's rates when a slice is done, and progress every
    ``--progress-every`` seconds."""

    KINDS = ("companies", "documents", "scores")
    METHODS = {"companies": "upsert_companies", "documents": "upsert_documents", "scores": "save_scores"}

    def __init__(self, stores: dict[str, Store], args: argparse.Namespace) -> None:
        self.stores, self.args = stores, args
        synth = Synth(args.companies, args.seed, mean_docs=args.docs_per_company)
        self.gens = {
            "companies": companies(synth),
            "documents": documents(synth),
            "scores": scores(args.companies, random.Random(3)),
        }
        self.total = Timer(list(stores))
        self.n_total = args.companies * 2 + synth.expected_documents()
        self.done = 0
        self.wall0 = self.last = time.monotonic()

    def load(self, kind: str, n: int | None) -> int:
        """The next ``n`` records of one kind (companies, documents or scores; None: all the
        rest); returns how many were loaded."""
        names = list(self.stores)
        phase = Timer(names)
        done = 0
        for b in batched(itertools.islice(self.gens[kind], n), self.args.batch):
            for name in names:
                fn = getattr(self.stores[name], self.METHODS[kind])
                phase.call(name, lambda fn=fn, b=b: fn(b))
            done += len(b)
            self.done += len(b)
            self.progress(kind, phase)
        for k in names:
            self.total.spent[k] += phase.spent[k]
        rates = {k: done / phase.spent[k] for k in names if phase.spent[k]}
        say(f"[phase] load {kind} ({done:,}): " + ", ".join(f"{k} {r:,.0f} records/s" for k, r in rates.items())
            + (f"; es/sqlite {ratio(rates['elasticsearch'], rates['sqlite'])}" if len(rates) == 2 else ""))
        return done

    def progress(self, kind: str, phase: Timer) -> None:
        if time.monotonic() - self.last < self.args.progress_every:
            return
        self.last = time.monotonic()
        spent = {k: self.total.spent[k] + phase.spent[k] for k in self.stores}
        rates = ", ".join(f"{k} {self.done / spent[k]:,.0f}/s" for k in self.stores if spent[k])
        left = (self.last - self.wall0) / self.done * (self.n_total - self.done)
        print(f"  [load] {self.done:,}/{self.n_total:,} records ({kind}); cumulative {rates}; "
              f"about {left / 60:,.0f} min of loading left", file=sys.stderr, flush=True)

    def rates(self) -> dict[str, float]:
        """Records per second so far, per backend (time inside the store calls only)."""
        return {k: self.done / t for k, t in self.total.spent.items() if t}


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


def timed(stores: dict[str, Store], label: str, n: int, call: Callable[[Store, Any], Any],
          arg: Callable[[], Any]) -> dict[str, list[float]]:
    """``n`` rounds; each round makes the same call (same argument) on every backend in turn.
    Prints p50 / p95 per backend when done."""
    ms: dict[str, list[float]] = {k: [] for k in stores}
    for _ in range(n):
        a = arg()
        for name, store in stores.items():
            t0 = time.perf_counter()
            call(store, a)
            ms[name].append((time.perf_counter() - t0) * 1000)
    fig = {k: (pct(v, 50), pct(v, 95)) for k, v in ms.items()}
    line = ", ".join(f"{k} p50 {p50:,.1f} ms p95 {p95:,.1f} ms" for k, (p50, p95) in fig.items())
    if len(fig) == 2:
        (s50, s95), (e50, e95) = fig["sqlite"], fig["elasticsearch"]
        line += f"; es/sqlite p50 {ratio(e50, s50)}, p95 {ratio(e95, s95)}"
    say(f"[phase] {label} ({n} rounds): {line}")
    return ms


def queries(stores: dict[str, Store], n: int, n_companies: int) -> dict[str, dict[str, float]]:
    """Company search, document search (``n`` rounds each) and the company page (a quarter
    as many rounds, at least 20) over the first ``n_companies`` companies."""
    rng = random.Random(4)
    cs = timed(stores, "company search", n,
               lambda st, w: st.search_companies(CompanyQuery(text=w, sort="relevance", limit=20)),
               lambda: rng.choice(QUERY_WORDS))
    ds = timed(stores, "document search", n,
               lambda st, w: st.search_documents(DocumentQuery(text=w, limit=20)),
               lambda: rng.choice(QUERY_WORDS))
    ps = timed(stores, "company page", max(20, n // 4), company_page,
               lambda: credit_code(rng.randrange(n_companies)))
    return {k: {"company_search_p50_ms": pct(cs[k], 50), "company_search_p95_ms": pct(cs[k], 95),
                "document_search_p50_ms": pct(ds[k], 50), "document_search_p95_ms": pct(ds[k], 95),
                "company_page_p95_ms": pct(ps[k], 95)} for k in stores}


def measure(stores: dict[str, Store], args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Loads every company and its score first, then the documents in ``--slices`` equal
    slices. After the companies and after each document slice but the last, a checkpoint
    of ``--checkpoint-queries`` queries (company search at full size comes early, document
    search at growing sizes: a run stopped early still has figures); after the last,
    ``--queries``."""
    from indexing.tokenize import analyze

    analyze("预热分词词典")  # jieba loads its dictionary once (seconds): not in the first backend's time
    loader = Loader(stores, args)
    loader.load("companies", args.companies)
    loader.load("scores", args.companies)
    n_docs = Synth(args.companies, args.seed, mean_docs=args.docs_per_company).expected_documents()
    loaded = 0
    out: dict[str, dict[str, float]] = {}
    for i in range(args.slices + 1):
        if i:  # slices of the expected count; the last takes whatever is left
            size = n_docs * i // args.slices - loaded if i < args.slices else None
            loaded += loader.load("documents", size)
        rates = loader.rates()
        say(f"[checkpoint] {args.companies:,} companies and scores, {loaded:,} documents loaded; load so far "
            + ", ".join(f"{k} {r:,.0f} records/s" for k, r in rates.items())
            + (f"; es/sqlite {ratio(rates['elasticsearch'], rates['sqlite'])}" if len(rates) == 2 else ""))
        n = args.queries if i == args.slices else args.checkpoint_queries
        if n:
            out = queries(stores, n, args.companies)
    return {k: {"load_per_s": loader.rates()[k], **out[k]} for k in stores}


def es_node(heap: str) -> tuple[str, Callable[[], None]]:
    url = os.environ.get("SMOKE_ES_URL", "")
    if url:
        return url, lambda: None
    work = tempfile.mkdtemp(prefix="smoke-es-")
    env = dict(os.environ, SMOKE_ES_HEAP=heap) if heap else None
    started = subprocess.run([str(ROOT / "scripts" / "es-node"), "start", work], capture_output=True, text=True,
                             env=env)
    if started.returncode:
        sys.exit(f"no Elasticsearch node: {started.stderr.strip().splitlines()[-1:]}")
    return started.stdout.strip(), lambda: subprocess.run([str(ROOT / "scripts" / "es-node"), "stop", work])


def open_es(url: str, prefix: str, refresh: str) -> Store:
    """The store ``open_store`` builds for SMOKE_STORE=elasticsearch, without replicas (one node)."""
    from config.settings import get_settings
    from indexing.store.elastic import ElasticStore
    from indexing.store.elastic.client import connect

    s = get_settings()
    client, info = connect(url, api_key=s.es_api_key, user=s.es_user, password=s.es_password,
                           ca_certs=s.es_ca_certs)
    return ElasticStore(client, prefix, refresh=True if refresh == "true" else refresh, replicas=0, server=info)


def sqlite_only(args: argparse.Namespace) -> int:
    """SQLite alone: load into ``--db`` (or a temporary file) unless it already holds the
    companies, then the queries. Last line: the figures as key=value."""
    from indexing.store.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory(prefix="smoke-bench-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "bench.db"
        with SQLiteStore(path) as sq:
            have = sq.count_companies()
            if have >= args.companies:
                say(f"[bench store] sqlite {path}: {have:,} companies, {sq.count_documents():,} documents already "
                    "loaded; queries only")
                from indexing.tokenize import analyze

                analyze("预热分词词典")  # jieba's dictionary loads once (seconds), not in the first query
                out = queries({"sqlite": sq}, args.queries, args.companies)["sqlite"]
            else:
                out = measure({"sqlite": sq}, args)["sqlite"]
    say(" ".join(f"{k}={v:.1f}" for k, v in out.items()))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--companies", type=int, default=10_000)
    ap.add_argument("--docs-per-company", type=float, default=5.0,
                    help="mean documents per company (the count per company is long-tailed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--batch", type=int, default=2000, help="records per store call while loading")
    ap.add_argument("--es-heap", default="", help="heap of the throwaway node, e.g. 2g (default: es-node's)")
    ap.add_argument("--es-refresh", default="wait_for", choices=["wait_for", "true", "false"],
                    help="the Elasticsearch store's write refresh (wait_for: as open_store builds it)")
    ap.add_argument("--slices", type=int, default=1,
                    help="load the documents in this many equal slices, with queries after each")
    ap.add_argument("--checkpoint-queries", type=int, default=40,
                    help="queries after the companies and after each document slice but the last (0: none)")
    ap.add_argument("--progress-every", type=float, default=60.0, help="seconds between progress lines")
    ap.add_argument("--backend", default="both", choices=["both", "sqlite"], help="sqlite: SQLite alone, no node")
    ap.add_argument("--db", default="", help="the SQLite file (kept); one already holding the companies is only queried")
    args = ap.parse_args()
    from indexing.store.sqlite import SQLiteStore

    if args.backend == "sqlite":
        return sqlite_only(args)

    n_docs = Synth(args.companies, args.seed, mean_docs=args.docs_per_company).expected_documents()
    say(f"[bench store] {args.companies:,} companies, about {n_docs:,} documents, {args.companies:,} scores in "
        f"{args.slices} slice(s); {args.queries} queries; batches of {args.batch:,}")
    url, stop = es_node(args.es_heap)
    es: Any = None
    try:
        say(f"[bench store] elasticsearch at {url} (refresh={args.es_refresh})")
        es = open_es(url, f"bench-{os.getpid()}", args.es_refresh)
        with tempfile.TemporaryDirectory(prefix="smoke-bench-") as tmp, SQLiteStore(Path(tmp) / "bench.db") as sq:
            results = measure({"sqlite": sq, "elasticsearch": es}, args)
    finally:
        if es is not None:
            es.destroy()
            es.close()
        stop()
    sq_r, el_r = results["sqlite"], results["elasticsearch"]
    say(f"{'':<24}{'sqlite':>12}{'elasticsearch':>15}{'es/sqlite':>11}")
    for k in sq_r:
        say(f"{k:<24}{sq_r[k]:>12.1f}{el_r[k]:>15.1f}{el_r[k] / sq_r[k]:>11.2f}")
    say(f"store_ratio={el_r['load_per_s'] / sq_r['load_per_s']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
