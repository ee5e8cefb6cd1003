"""The company network and near-copy detection, built once per scoring run.

Nodes are companies; two companies are tied when they share a person (legal
representative, shareholder, executive), a normalised address, a phone or a website.
A tie says less the more companies share the value: values shared by more than
``network.max_tie_members`` companies (a registered-agent address, a common name) carry
no risk, and those shared by more than ``network.max_cluster`` join no cluster.

Seeds are companies the first pass scored high-risk, or that are punished (criminal
case, fundraising penalty, 严重违法失信). A company whose promotional text is a
near-copy (gensim TF-IDF cosine over character bigrams, robust to inserted spaces and
variant characters) of a seed's is likely the seed reborn under a new name (换马甲).
"""

from __future__ import annotations

import math
from collections import defaultdict

from indexing.models import Company, Document, Evidence, Score
from scoring.context import NearCopy, ScoringContext, Tie
from scoring.facts import doc_date, evidence_for, is_dishonest
from scoring.indicators.compliance import normalize_address
from scoring.matchtext import make_match_text
from scoring.model import Model

PUNISHING = ("compliance.criminal_case", "compliance.penalty_fundraising_recent", "compliance.serious_violation")


def build_base_context(context: ScoringContext, companies: list[Company], court_docs: list[Document]) -> None:
    """Facts about the population that single-company indicators need: shared addresses, dishonest persons."""
    counts: dict[str, int] = defaultdict(int)
    for c in companies:
        a = normalize_address(c.address)
        if a:
            counts[a] += 1
    context.address_counts = dict(counts)
    people: dict[str, Evidence] = {}
    for d in sorted(court_docs, key=lambda d: (doc_date(d), d.id)):
        f = d.fields
        if not is_dishonest(d):
            continue
        if f.get("credit_code") or not f.get("name") or doc_date(d) > context.as_of:
            continue
        people.setdefault(str(f["name"]), evidence_for(d, f"失信被执行人：{f['name']} {f.get('case_no', '')}"))
    context.dishonest_people = people


def _keys(c: Company) -> list[tuple[str, str]]:
    keys = set()
    for name in {c.legal_rep, *(p.name for p in c.people)}:
        if name and len(name) >= 2:
            keys.add(("person", name))
    a = normalize_address(c.address)
    if a:
        keys.add(("address", a))
    for p in c.phones:
        digits = "".join(ch for ch in p if ch.isdigit())
        if len(digits) >= 7:
            keys.add(("phone", digits))
    for w in c.websites:
        w = w.lower().removeprefix("www.").strip("/")
        if w:
            keys.add(("website", w))
    return sorted(keys)


def _bigrams(text: str) -> list[str]:
    """Character bigrams of the matching form (variants folded, filler removed), so a copy with
    spaces or symbols inserted between characters still shares its bigrams with the original."""
    from scoring.lexicon import load_lexicon

    t = make_match_text(text, load_lexicon().table, already_normalized=True).squeezed
    return [t[i : i + 2] for i in range(len(t) - 1)]


def build_network_context(context: ScoringContext, companies: list[Company], docs: dict[str, list[Document]],
                          first: dict[str, Score], model: Model, as_of: str, store=None) -> None:
    """Fill ``context.ties``, ``cluster_sizes`` and ``near_copies`` from the first-pass scores."""
    cfg = model.config.network
    by_code = {c.credit_code: c for c in companies}
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in companies:
        for k in _keys(c):
            members[k].append(c.credit_code)

    def punished(code: str) -> bool:
        s = first.get(code)
        return bool(s) and any(i.id in PUNISHING and i.value > 0 for i in s.indicators)

    seeds = {code for code, s in first.items() if s.smoke_index >= cfg.seed_min_index or punished(code)}
    parent = {c.credit_code: c.credit_code for c in companies}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ties: dict[str, list[Tie]] = defaultdict(list)
    for (kind, via), codes in sorted(members.items()):
        if len(codes) < 2 or len(codes) > cfg.max_cluster:
            continue
        if len(codes) > cfg.max_tie_members:
            continue
        if kind != "address":  # a shared address alone does not make a group of related companies
            for a in codes[1:]:
                parent[find(a)] = find(codes[0])
        for other in codes:
            if other not in seeds:
                continue
            o = by_code[other]
            for code in codes:
                if code != other:
                    ties[code].append(Tie(kind, via, other, o.name, first[other].smoke_index, punished(other),
                                          o.source_url, len(codes)))
    context.ties = dict(ties)
    sizes: dict[str, int] = defaultdict(int)
    for code in parent:
        sizes[find(code)] += 1
    context.cluster_sizes = {code: sizes[find(code)] for code in parent}
    context.near_copies = near_copies(context, companies, docs, seeds, model, as_of)


def near_copies(context: ScoringContext, companies: list[Company], docs: dict[str, list[Document]],
                seeds: set[str], model: Model, as_of: str) -> dict[str, NearCopy]:
    from gensim import corpora, models, similarities

    promo: list[tuple[str, Document]] = []
    for c in companies:
        for d in docs.get(c.credit_code, []):
            if d.source_kind == "promo" and doc_date(d) and doc_date(d) <= as_of and len(d.text) >= 40:
                promo.append((c.credit_code, d))
    seed_docs = [(code, d) for code, d in promo if code in seeds]
    if not seed_docs or len(promo) < 2:
        return {}
    dictionary = corpora.Dictionary(_bigrams(d.text) for _, d in promo)
    # smoothed idf: with few promotional pages plain log(N/df) lets the handful of bigrams a
    # reborn scheme changed (its new name) outweigh everything it copied
    tfidf = models.TfidfModel(dictionary=dictionary, wglobal=lambda df, n: math.log2(1.0 + n / df))
    index = similarities.SparseMatrixSimilarity(
        [tfidf[dictionary.doc2bow(_bigrams(d.text))] for _, d in seed_docs], num_features=len(dictionary)
    )
    names = {c.credit_code: c.name for c in companies}
    best: dict[str, NearCopy] = {}
    threshold = model.config.network.similarity_threshold
    for code, d in promo:
        sims = index[tfidf[dictionary.doc2bow(_bigrams(d.text))]]
        for j in sorted(range(len(sims)), key=lambda j: (-float(sims[j]), j)):
            other, od = seed_docs[j]
            if other == code or od.id == d.id:
                continue  # the same page linked to two companies is not a copy
            s = round(float(sims[j]), 4)
            if s < threshold:
                break
            cur = best.get(code)
            if cur is None or s > cur.similarity:
                best[code] = NearCopy(s, other, names.get(other, other), d.url, od.url, d.text[:80], doc_date(d))
            break
    return best
