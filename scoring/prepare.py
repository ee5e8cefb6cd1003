"""Analysis at index time: the daily cycle's index step analyses each new or changed document
once, right after the crawl stored it, into the analyses file (scoring.analyses), so that
scoring reads analyses and never analyses a text again (issue 14).

Which documents are new or changed comes from the store (``Store.changed_since`` of the
marker kept in the analyses file, one per store): the documents of the companies written
since. A marker the store does not recognise, or a new analyser or lexicon version (which
empties the analyses file, markers included), means every company's documents: done in
worker processes, like pass 1 of scoring. The analysis also depends on the model's benchmark
rate (``lpr_1y``): it is part of each analysis' key (scoring.facts.analysis_key), so a model
with another rate simply finds no analysis and scoring analyses on its way.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from scoring.analyses import AnalysisCache
from scoring.facts import analysis_key, analysis_of
from scoring.model import Model, load_model

SKIPPED_KINDS = ("registry", "amac")  # never analysed by scoring (scoring.facts.gather)
BATCH = 200  # companies per task


def analyse_companies(store, codes: Iterable[str], cache: AnalysisCache, lpr: float) -> tuple[int, int]:
    """Analyse the documents of ``codes`` missing from ``cache``: (companies, documents analysed)."""
    n = done = 0
    for code in codes:
        n += 1
        for d in store.documents_for(code):
            if d.source_kind in SKIPPED_KINDS or cache.has(analysis_key(d, lpr)):
                continue
            analysis_of(d, cache, lpr)
            done += 1
    cache.flush()
    return n, done


_W: dict = {}


def _init(spec: str, path: str, lpr: float) -> None:
    from indexing.store import open_store

    _W.update(store=open_store(spec=spec), cache=AnalysisCache(Path(path), size=64), lpr=lpr)


def _work(codes: list[str]) -> tuple[int, int]:
    return analyse_companies(_W["store"], codes, _W["cache"], _W["lpr"])


def _batches(codes: Iterable[str]) -> Iterator[list[str]]:
    it = iter(codes)
    while batch := list(islice(it, BATCH)):
        yield batch


def analyse_new_documents(store, path: Path, store_key: str, *, model: Model | None = None, workers: int = 1,
                          spec=None, progress: bool = False) -> tuple[int, int]:
    """The index step: analyse the documents written since the last call for this store
    (``store_key``) into ``path``. Returns (companies looked at, documents analysed)."""
    lpr = (model or load_model()).config.lpr_1y
    cache = AnalysisCache(path)
    try:
        marker = store.change_marker()
        prev = cache.get_meta(f"marker:{store_key}")
        changed = store.changed_since(prev) if prev else None
        codes = (c.credit_code for c in store.iter_companies()) if changed is None else changed
        n = done = 0
        if workers > 1 and spec is not None:
            cache.flush()
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                                     initargs=(str(spec), str(path), lpr)) as pool:
                pending: list[Future] = []
                for batch in _batches(codes):
                    pending.append(pool.submit(_work, batch))
                    while len(pending) >= 2 * workers:
                        a, b = pending.pop(0).result()
                        n, done = n + a, done + b
                        _tick(progress, n, done)
                for f in pending:
                    a, b = f.result()
                    n, done = n + a, done + b
        else:
            for batch in _batches(codes):
                a, b = analyse_companies(store, batch, cache, lpr)
                n, done = n + a, done + b
                _tick(progress, n, done)
        cache.set_meta(f"marker:{store_key}", marker)
        return n, done
    finally:
        cache.close()


def _tick(progress: bool, n: int, done: int) -> None:
    if progress and n % 2000 < BATCH:
        print(f"\ranalysing new documents: {n} companies, {done} documents", end="", file=sys.stderr, flush=True)
