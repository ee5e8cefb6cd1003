"""Pass 1 of a scoring run: each company's documents read once, every indicator but the
network's measured (or taken from the memo when its inputs did not change). Serial, or in
worker processes that each open the store themselves, so that both cores analyse text.

A worker gets batches of companies and returns, per company, what the main process writes
into the run's working tables and the memo (``Measured``); the main process keeps at most
two batches per worker in flight, so memory does not grow with the number of companies.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from indexing.models import Company
from scoring.analyses import AnalysisCache
from scoring.context import ScoringContext
from scoring.facts import doc_date, gather
from scoring.model import Model
from scoring.tables import BoundedCache, WorkTables, pack_measurements

# A comparable promotional page, as the near-copy search reads it: (doc id, date, url, first
# 80 characters, its matching form squeezed: scoring.network.squeezed).
Promo = tuple[str, str, str, str, str]


@dataclass(slots=True)
class Measured:
    code: str
    name: str
    url: str
    first_index: float  # the index without network
    punished: bool
    blob: bytes  # the packed measurements
    promo: list[Promo]  # comparable promotional pages
    memo: tuple[str, str, tuple[str, bytes, bytes] | None] | None  # with a memo: (record and context
    # fingerprints, None when the kept measurements still hold else what to keep: scoring.memo.ScoreMemo.record)
    analysed: bool


def measure_companies(store, companies: list[Company], context: ScoringContext, model: Model, as_of: str,
                      memo_check: Callable | None) -> list[Measured]:
    """Pass 1 of ``companies``. ``memo_check(company, context, as_of)`` (scoring.memo.check
    bound to a memo): what the memo keeps when it still holds; those companies' documents are
    not read."""
    from scoring.memo import pack_promo, settled_date
    from scoring.network import is_comparable_promo, punished, squeezed
    from scoring.scorer import combine, measure_own

    out = []
    for c in companies:
        kept, memo = None, None
        if memo_check is not None:
            kept, fp, ctx = memo_check(c, context, as_of)
        if kept is not None:
            m, promo = kept.m, kept.promo
            memo = (fp, ctx, None)
        else:
            docs = store.documents_for(c.credit_code)
            m = measure_own(gather(c, docs, context, model, as_of))
            promo = [(d.id, doc_date(d), d.url, d.text[:80], squeezed(d.text)) for d in docs
                     if is_comparable_promo(d, as_of)]
            if memo_check is not None:
                memo = (fp, ctx, (settled_date(c, docs, m, model), b"", pack_promo(promo)))
        first = combine(m, model, c.credit_code, as_of, network_enabled=False)
        blob = pack_measurements(m)
        if memo is not None and memo[2] is not None:
            memo = (memo[0], memo[1], (memo[2][0], blob, memo[2][2]))
        out.append(Measured(c.credit_code, c.name, c.source_url, first.smoke_index, punished(first),
                            blob, promo, memo, kept is None))
    flush = getattr(context.analysis_cache, "flush", None)
    if flush is not None:  # analyses kept on disk (scoring.analyses): written once per batch
        flush()
    return out


# --- worker processes ------------------------------------------------------------------------

_W: dict = {}


def _init(spec: str, tables: str, memo_path: str, analyses: str, model: Model, as_of: str) -> None:
    from indexing.store import open_store
    from scoring.memo import ScoreMemo, check
    from scoring.network import address_counts, dishonest_people

    t = WorkTables.reader(tables)
    _W.update(store=open_store(spec=spec), model=model, as_of=as_of, tables=t,
              context=ScoringContext(as_of=as_of, address_counts=address_counts(t), dishonest_people=dishonest_people(t),
                                     analysis_cache=analysis_cache(Path(analyses) if analyses else None)))
    if memo_path:
        db = ScoreMemo.reader(Path(memo_path))
        changed = t.changed
        _W["memo_check"] = lambda c, ctx, as_of: check(db, c, ctx, as_of, changed)


def _work(companies: list[Company]) -> list[Measured]:
    return measure_companies(_W["store"], companies, _W["context"], _W["model"], _W["as_of"], _W.get("memo_check"))


def analysis_cache(path: Path | None) -> BoundedCache | AnalysisCache:
    """The run's analysis cache: kept on disk with ``path`` (scoring.analyses), else in memory only."""
    return AnalysisCache(path) if path is not None else BoundedCache()


def measure_in_workers(batches: Iterator[list[Company]], workers: int, spec: str, tables: str, memo_path: str,
                       analyses: str, model: Model, as_of: str) -> Iterator[list[Measured]]:
    """``measure_companies`` of each batch, in order, by ``workers`` processes (spawned: no
    open connection of this process is copied into them)."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                             initargs=(spec, tables, memo_path, analyses, model, as_of)) as pool:
        pending: list[Future] = []
        for batch in batches:
            pending.append(pool.submit(_work, batch))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        for f in pending:
            yield f.result()


# --- pass 2 in worker processes: network indicators and the final combination -----------------

def _init2(tables: str, model: Model, as_of: str) -> None:
    from scoring.network import network_lookups

    t = WorkTables.reader(tables)
    ties, clusters, near = network_lookups(t)
    _W.update(tables2=t, model2=model, as_of2=as_of,
              context2=ScoringContext(as_of=as_of, ties=ties, cluster_sizes=clusters, near_copies=near))


def finish_companies(rows: list[tuple[str, str, bytes]], context: ScoringContext, model: Model, as_of: str) -> list:
    """Pass 2 of (code, name, packed pass-1 measurements) rows: their Scores."""
    from indexing.models import Company
    from scoring.facts import CompanyFacts
    from scoring.indicators import network
    from scoring.scorer import combine
    from scoring.tables import unpack_measurements

    out = []
    for code, name, blob in rows:
        m = unpack_measurements(blob)
        m.update(network.measure(CompanyFacts(Company(code, name), as_of, model, context)))
        out.append(combine(m, model, code, as_of))
    return out


def _work2(rows: list[tuple[str, str, bytes]]) -> list:
    return finish_companies(rows, _W["context2"], _W["model2"], _W["as_of2"])


def finish_in_workers(batches: Iterator[list[tuple[str, str, bytes]]], workers: int, tables: str, model: Model,
                      as_of: str) -> Iterator[list]:
    """``finish_companies`` of each batch, in order, by ``workers`` processes."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init2, initargs=(tables, model, as_of)) as pool:
        pending: list[Future] = []
        for batch in batches:
            pending.append(pool.submit(_work2, batch))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        for f in pending:
            yield f.result()
