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


@dataclass(slots=True)
class Measured:
    code: str
    name: str
    url: str
    first_index: float  # the index without network
    punished: bool
    blob: bytes  # the packed measurements
    promo: list[tuple[str, str, list[str]]]  # comparable promotional pages: (doc id, date, bigrams)
    memo: tuple[str, str, bool] | None  # (input fingerprint, context fingerprint, measured anew) with a memo
    analysed: bool


def measure_companies(store, companies: list[Company], context: ScoringContext, model: Model, as_of: str,
                      memo_check: Callable | None) -> list[Measured]:
    from scoring.network import bigrams, is_comparable_promo, punished
    from scoring.scorer import combine, measure_own

    out = []
    for c in companies:
        docs = store.documents_for(c.credit_code)
        m, memo = None, None
        if memo_check is not None:
            m, fp, ctx = memo_check(c, docs, context, as_of)
            memo = (fp, ctx, m is None)
        analysed = m is None
        if m is None:
            m = measure_own(gather(c, docs, context, model, as_of))
        first = combine(m, model, c.credit_code, as_of, network_enabled=False)
        promo = [(d.id, doc_date(d), bigrams(d.text)) for d in docs if is_comparable_promo(d, as_of)]
        out.append(Measured(c.credit_code, c.name, c.source_url, first.smoke_index, punished(first),
                            pack_measurements(m), promo, memo, analysed))
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
        db = ScoreMemo.reader(memo_path)
        _W["memo_check"] = lambda c, docs, ctx, as_of: check(db, model, c, docs, ctx, as_of)


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
