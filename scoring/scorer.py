"""The smoke index (冒烟指数) of a company, every point traced to an indicator and its evidence.

How points are allocated (the same numbers as config/model.yaml's header):

1. each indicator's value goes through its curve to *dimension points*;
2. a dimension's score D = min(100, sum of its indicators' dimension points); when the sum
   exceeds 100 each indicator keeps its proportional share of the 100;
3. raw index = sum over dimensions of weight(d) * D(d); index = saturate(raw): the raw
   sum up to the model's ``saturation_knee``, then a smooth approach to 100 (so companies
   beyond the old cap keep their order); every indicator's *index points* = weight * its
   share of D, scaled by index / raw;
4. hard rules (e.g. a criminal judgment for 非法吸收公众存款) lift the index onto
   [floor, 100] (the highest floor among the rules triggered; order is kept, see
   ``raise_to_floor``) by adding an explicit ``hard_rule.<id>`` indicator carrying
   exactly the added points;
5. points are rounded to hundredths by largest remainder, so the listed points add up
   exactly to the index shown.

``score_company`` is pure: the same company, documents, context, model and as_of give
the same Score. ``iter_scores`` streams a whole store (two passes: without network, then
with it) in memory that does not grow with the number of companies; ``score_store`` is
its list.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from indexing.models import DIMENSIONS, Company, Document, IndicatorResult, Score
from scoring.context import ScoringContext
from scoring.facts import CompanyFacts, gather
from scoring.indicators import Measurement, complaints, compliance, features, network, spread, yields
from scoring.model import Model, load_model, raise_to_floor, saturate
from scoring.provenance import versions

MEASURES: tuple[Callable[[CompanyFacts], dict[str, Measurement]], ...] = (
    compliance.measure, complaints.measure, yields.measure, features.measure, spread.measure, network.measure,
)


def measure_all(facts: CompanyFacts) -> dict[str, Measurement]:
    out: dict[str, Measurement] = {}
    for m in MEASURES:
        out.update(m(facts))
    return out


def _largest_remainder(values: list[float], total_cents: int) -> list[int]:
    floors = [int(v * 100) for v in values]
    rest = total_cents - sum(floors)
    if rest > 0:
        order = sorted((i for i, v in enumerate(values) if v), key=lambda i: (-(values[i] * 100 - floors[i]), i))
        for i in order[:rest]:
            floors[i] += 1
    return floors


def combine(measurements: dict[str, Measurement], model: Model, credit_code: str, as_of: str,
            network_enabled: bool = True) -> Score:
    """Turn measured indicator values into a Score (steps 1-5 of the module docstring)."""
    cfg = model.config
    plan = model.plan
    weights = model.weights
    dim_pts: list[float] = []
    totals: dict[str, float] = dict.fromkeys(DIMENSIONS, 0.0)
    for ip in plan:
        if ip.dimension == "network" and not network_enabled:
            pts = 0.0
        else:
            m = measurements.get(ip.id)
            pts = ip.points(m.value) if m else 0.0
        dim_pts.append(pts)
        totals[ip.dimension] += pts
    dims = {d: min(100.0, t) for d, t in totals.items()}
    raw = sum(weights[d] * dims[d] for d in DIMENSIONS)
    index = saturate(raw, cfg.saturation_knee, cfg.saturation_scale)
    scale = index / raw if raw > 0 else 0.0
    # an indicator's part of its dimension score (proportional when the dimension is capped)
    share = [p * (dims[ip.dimension] / totals[ip.dimension]) if p else 0.0 for ip, p in zip(plan, dim_pts, strict=True)]
    points = [weights[ip.dimension] * sh * scale for ip, sh in zip(plan, share, strict=True)]

    hard: list[str] = []
    extra: list[tuple[str, str, float, str]] = []  # (id, dimension, points, label)
    for rid in sorted(cfg.hard_rules):
        m = measurements.get(cfg.hard_rules[rid].indicator)
        if m and m.value > 0:
            hard.append(rid)
    if hard:  # the highest floor applies, once
        rid = max(hard, key=lambda r: (cfg.hard_rules[r].min_index, r))
        rule = cfg.hard_rules[rid]
        lifted = raise_to_floor(index, rule.min_index)
        if lifted > index:
            extra.append((f"hard_rule.{rid}", cfg.indicators[rule.indicator].dimension, lifted - index, rule.label))
            index = lifted

    index_cents = int(round(index * 100))
    cents = _largest_remainder(points + [e[2] for e in extra], index_cents)
    results: list[IndicatorResult] = []
    n = len(plan)
    for ip, c, sh in zip(plan, cents[:n], share, strict=True):
        m = measurements.get(ip.id)
        results.append(IndicatorResult(
            id=ip.id, dimension=ip.dimension, value=float(m.value) if m else 0.0, points=c / 100,
            dimension_score=round(sh, 2), label=ip.label, evidence=list(m.evidence) if m else [],
        ))
    for (iid, dim, _, label), c in zip(extra, cents[n:], strict=True):
        src = measurements[cfg.hard_rules[iid.split(".", 1)[1]].indicator]
        results.append(IndicatorResult(id=iid, dimension=dim, value=1.0, points=c / 100, dimension_score=0.0,
                                       label=label, evidence=list(src.evidence)))
    results.sort(key=lambda r: (-r.points, r.id))
    smoke_index = index_cents / 100
    return Score(
        credit_code=credit_code, as_of=as_of, smoke_index=smoke_index, level=cfg.level_for(smoke_index),
        dimensions={d: round(dims[d], 2) for d in DIMENSIONS}, indicators=results,
        model_version=model.version, hard_rules=hard, versions=versions(model),
    )


def score_company(company: Company, documents: list[Document], context: ScoringContext, model: Model,
                  as_of: str, *, network_enabled: bool = True) -> Score:
    """The company's Score as of ``as_of`` from its documents (only those published by then)."""
    facts = gather(company, documents, context, model, as_of)
    return combine(measure_all(facts), model, company.credit_code, as_of, network_enabled)


BATCH = 500  # companies read from the store at a time


def company_batches(store, size: int | None = None) -> Iterator[list[Company]]:
    """The store's companies, ``size`` at a time, in the store's own order: the only way the
    scorer reads companies, so that it never holds a list of all of them."""
    it = store.iter_companies()
    while batch := list(islice(it, size or BATCH)):
        yield batch


def measure_own(facts: CompanyFacts) -> dict[str, Measurement]:
    """Every indicator but the network's: what a company's own records say (pass 1)."""
    out: dict[str, Measurement] = {}
    for m in MEASURES:
        if m is not network.measure:
            out.update(m(facts))
    return out


@dataclass(slots=True)
class RunStats:
    companies: int = 0
    analysed: int = 0  # companies whose documents were analysed (the others' came from the memo)


def score_store(store, as_of: str, model: Model | None = None, progress: bool = False) -> list[Score]:
    """Every company's Score as of ``as_of`` (a list: for callers that want them all at once;
    a daily cycle streams them with ``iter_scores``)."""
    return list(iter_scores(store, as_of, model, progress=progress))


def iter_scores(store, as_of: str, model: Model | None = None, *, progress: bool = False, memo=None,
                stats: RunStats | None = None, workers: int = 1, spec=None, analyses: Path | None = None
                ) -> Iterator[Score]:
    """Score every company in ``store`` as of ``as_of``, streaming; the caller saves the scores.

    Memory does not grow with the number of companies: companies are read ``BATCH`` at a
    time, and what scoring one company needs about the others (shared addresses, dishonest
    persons, the network) is kept in on-disk working tables (scoring/tables.py).

    Pass 0 indexes every company's network keys and the dishonest persons. Pass 1 reads each
    company's documents once, measures every indicator but the network's and keeps the
    measurements on disk; its index (without network) finds the high-risk and punished
    companies that seed the network. Pass 2 adds the network indicators and combines: it
    reads no document. ``memo`` (scoring.memo.ScoreMemo) lets pass 1 reuse the measurements
    of companies whose inputs did not change since an earlier run (the incremental cycle).
    ``workers`` > 1 runs pass 1 in that many processes, each opening the store ``spec``
    (indexing.store.StoreSpec) itself. ``analyses``: the file where text analyses are kept
    between runs (scoring.analyses), so a document is analysed once per analyser version.
    """
    from gensim import corpora

    from scoring.network import (
        add_dishonest,
        add_keys,
        address_counts,
        bigrams_of,
        build_network,
        dishonest_people,
        index_keys,
    )
    from scoring.pass1 import (
        analysis_cache,
        finish_companies,
        finish_in_workers,
        measure_companies,
        measure_in_workers,
    )
    from scoring.tables import BoundedCache, WorkTables

    model = model or load_model()
    stats = stats if stats is not None else RunStats()
    n = store.count_companies()

    def tick(stage: str, i: int) -> None:
        if progress and (i % 200 == 0 or i == n):
            print(f"\r{stage}: {i}/{n} companies", end="" if i < n else "\n", file=sys.stderr, flush=True)

    # the store's writes so far: the next run with this memo asks what changed since
    marker = store.change_marker() if memo is not None else ""
    if workers > 1 and spec is None:
        raise ValueError("iter_scores: workers > 1 needs the store's spec (each worker opens the store)")
    tmp = tempfile.TemporaryDirectory(prefix="smoke-score-") if workers > 1 else None
    t = WorkTables(str(Path(tmp.name) / "work.sqlite") if tmp else "")
    context: ScoringContext | None = None
    try:
        for batch in company_batches(store):
            add_keys(t, batch)
        index_keys(t)
        if memo is not None:
            changed = store.changed_since(memo.marker) if memo.marker and not memo.full else None
            if changed is None:
                t.mark_all_changed()
            else:
                for chunk in iter(lambda: list(islice(changed, 1000)), []):
                    t.db.executemany("INSERT OR IGNORE INTO changed VALUES (?)", [(c,) for c in chunk])
        add_dishonest(t, store.iter_documents("court"), as_of)
        context = ScoringContext(as_of=as_of, address_counts=address_counts(t),
                                 dishonest_people=dishonest_people(t),
                                 analysis_cache=analysis_cache(analyses) if workers <= 1 else BoundedCache())

        dictionary = corpora.Dictionary()
        if workers > 1:
            t.commit()  # the workers read pass 0's tables
            results = measure_in_workers(company_batches(store), workers, str(spec), t.path,
                                         str(memo.path) if memo is not None else "", str(analyses or ""), model, as_of)
        else:
            from scoring.memo import check as memo_check

            check = ((lambda c, ctx, day: memo_check(memo.db, c, ctx, day, t.changed)) if memo is not None else None)
            results = (measure_companies(store, b, context, model, as_of, check) for b in company_batches(store))
        seq = i = 0
        for measured in results:
            rows, promo = [], []
            for r in measured:
                rows.append((r.code, r.name, r.url, r.first_index, r.punished, r.blob))
                for doc_id, day, url, snip, sq in r.promo:
                    seq += 1
                    promo.append((r.code, seq, doc_id, day, url, snip, sq))
                    dictionary.add_documents([bigrams_of(sq)])
                if memo is not None and r.memo is not None:
                    fp, ctx, fresh = r.memo
                    memo.record(r.code, fp, ctx, as_of, fresh)
                stats.analysed += r.analysed
                i += 1
                tick("scoring (pass 1)", i)
            t.db.executemany("INSERT INTO co VALUES (?,?,?,?,?,?)", rows)
            t.db.executemany("INSERT INTO promo VALUES (?,?,?,?,?,?,?)", promo)
            t.commit()
        stats.companies = i
        context.ties, context.cluster_sizes, context.near_copies = build_network(t, store, model, as_of, dictionary)
        del dictionary

        # pass 2 reads pass 1's table in pass 1's order (the store's), not the store: the network
        # indicators read nothing of a company but its credit code
        rows = t.rows("SELECT code, name, m FROM co ORDER BY rowid")
        batches = iter(lambda: list(islice(rows, BATCH)), [])
        if workers > 1:
            t.commit()  # the workers read the network's tables
            done = finish_in_workers(batches, workers, t.path, model, as_of)
        else:
            done = (finish_companies(b, context, model, as_of) for b in batches)
        i = 0
        for scores in done:
            for s in scores:
                i += 1
                tick("scoring (pass 2)", i)
                yield s
        if memo is not None:
            memo.finish(marker)
    finally:
        close = getattr(context.analysis_cache, "close", None) if context is not None else None
        if close is not None:
            close()
        t.close()
        if tmp is not None:
            tmp.cleanup()
