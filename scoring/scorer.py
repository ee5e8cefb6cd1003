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
the same Score. ``score_store`` is the thin loop that reads the store, builds the
context (two passes: without network, then with it) and scores everyone.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from indexing.models import DIMENSIONS, Company, Document, IndicatorResult, Score, level_for
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
        credit_code=credit_code, as_of=as_of, smoke_index=smoke_index, level=level_for(smoke_index),
        dimensions={d: round(dims[d], 2) for d in DIMENSIONS}, indicators=results,
        model_version=model.version, hard_rules=hard, versions=versions(model),
    )


def score_company(company: Company, documents: list[Document], context: ScoringContext, model: Model,
                  as_of: str, *, network_enabled: bool = True) -> Score:
    """The company's Score as of ``as_of`` from its documents (only those published by then)."""
    facts = gather(company, documents, context, model, as_of)
    return combine(measure_all(facts), model, company.credit_code, as_of, network_enabled)


def score_store(store, as_of: str, model: Model | None = None, progress: bool = False) -> list[Score]:
    """Score every company in ``store`` as of ``as_of``; the caller saves the scores.

    Two passes: the first without the network dimension finds the high-risk and
    punished companies that seed the network; the second scores with it.
    """
    from scoring.network import build_base_context, build_network_context

    model = model or load_model()
    context = ScoringContext(as_of=as_of)
    companies = sorted(store.iter_companies(), key=lambda c: c.credit_code)
    n = len(companies)
    build_base_context(context, companies, list(store.iter_documents("court")))

    def tick(stage: str, i: int) -> None:
        if progress and (i % 200 == 0 or i == n):
            print(f"\r{stage}: {i}/{n} companies", end="" if i < n else "\n", file=sys.stderr, flush=True)

    first: dict[str, Score] = {}
    promo: dict[str, list[Document]] = {}  # only promotional pages are kept between passes (near-copies)
    for i, c in enumerate(companies, 1):
        docs = store.documents_for(c.credit_code)
        promo[c.credit_code] = [d for d in docs if d.source_kind == "promo"]
        first[c.credit_code] = score_company(c, docs, context, model, as_of, network_enabled=False)
        tick("scoring (pass 1)", i)
    build_network_context(context, companies, promo, first, model, as_of, store=store)
    del promo
    scores = []
    for i, c in enumerate(companies, 1):
        scores.append(score_company(c, store.documents_for(c.credit_code), context, model, as_of))
        tick("scoring (pass 2)", i)
    return scores
