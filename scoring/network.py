"""The company network and near-copy detection, built once per scoring run in the run's
working tables (scoring/tables.py), so that no structure over every company is held in memory.

Nodes are companies; two companies are tied when they share a person (legal
representative, shareholder, executive), a normalised address, a phone or a website.
A tie says less the more companies share the value: values shared by more than
``network.max_tie_members`` companies (a registered-agent address, a common name) carry
no risk, and those shared by more than ``network.max_cluster`` join no cluster.

Seeds are companies the first pass scored high-risk, or that are punished (criminal
case, fundraising penalty, 严重违法失信). A company whose promotional text is a
near-copy (gensim TF-IDF cosine over character bigrams, robust to inserted spaces and
variant characters) of a seed's is likely the seed reborn under a new name (换马甲).

The keys are normalised (phone digits, address without noise, lower-case website), which
the store's link index (raw values) does not do, so the run keeps its own index of them.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterator

from indexing.models import Company, Document, Evidence, Score
from scoring.context import NearCopy, Tie
from scoring.facts import doc_date, evidence_for, is_dishonest
from scoring.indicators.compliance import normalize_address
from scoring.matchtext import make_match_text
from scoring.model import Model
from scoring.tables import Lookup, WorkTables

PUNISHING = ("compliance.criminal_case", "compliance.penalty_fundraising_recent", "compliance.serious_violation")
MIN_PROMO_CHARS = 40  # shorter promotional pages are not compared for near-copies


def punished(score: Score) -> bool:
    return any(i.id in PUNISHING and i.value > 0 for i in score.indicators)


def network_keys(c: Company) -> list[tuple[str, str]]:
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


def squeezed(text: str) -> str:
    """The matching form of ``text`` (variants folded, filler removed), squeezed: what
    ``bigrams`` are taken from, kept by pass 1 so the near-copy search reads no document."""
    from scoring.lexicon import load_lexicon

    return make_match_text(text, load_lexicon().table, already_normalized=True).squeezed


def bigrams_of(sq: str) -> list[str]:
    return [sq[i : i + 2] for i in range(len(sq) - 1)]


def bigrams(text: str) -> list[str]:
    """Character bigrams of the matching form (variants folded, filler removed), so a copy with
    spaces or symbols inserted between characters still shares its bigrams with the original."""
    return bigrams_of(squeezed(text))


def is_comparable_promo(d: Document, as_of: str) -> bool:
    return d.source_kind == "promo" and bool(doc_date(d)) and doc_date(d) <= as_of and len(d.text) >= MIN_PROMO_CHARS


# --- the base context: shared addresses and dishonest persons ------------------------------

def add_keys(t: WorkTables, companies: list[Company]) -> None:
    t.db.executemany("INSERT INTO keys VALUES (?,?,?)",
                     [(k, v, c.credit_code) for c in companies for k, v in network_keys(c)])


def index_keys(t: WorkTables) -> None:
    t.db.execute("CREATE INDEX keys_kv ON keys(kind, via, code)")
    t.db.execute("CREATE INDEX keys_code ON keys(code)")
    t.commit()


def add_dishonest(t: WorkTables, court_docs: Iterator[Document], as_of: str) -> None:
    """People named in 失信被执行人 entries without a credit code (the earliest entry each)."""
    for d in court_docs:
        f = d.fields
        if not is_dishonest(d) or f.get("credit_code") or not f.get("name") or doc_date(d) > as_of:
            continue
        name = str(f["name"])
        ev = pickle.dumps(evidence_for(d, f"失信被执行人：{f['name']} {f.get('case_no', '')}"))
        t.db.execute("INSERT INTO dishonest VALUES (?,?,?,?) ON CONFLICT(name) DO UPDATE SET day=excluded.day, "
                     "id=excluded.id, ev=excluded.ev WHERE (excluded.day, excluded.id) < (dishonest.day, dishonest.id)",
                     (name, doc_date(d), d.id, ev))
    t.commit()


def address_counts(t: WorkTables) -> Lookup:
    def fetch(addr: str) -> int | None:
        n = t.one("SELECT COUNT(*) FROM keys WHERE kind='address' AND via=?", (addr,))[0]
        return n or None
    return Lookup(fetch)


def dishonest_people(t: WorkTables) -> Lookup:
    def fetch(name: str) -> Evidence | None:
        row = t.one("SELECT ev FROM dishonest WHERE name=?", (name,))
        return pickle.loads(row[0]) if row else None
    return Lookup(fetch)


# --- the network: groups, clusters, ties to seeds, near-copies ------------------------------

def build_network(t: WorkTables, store, model: Model, as_of: str, dictionary) -> tuple[Lookup, Lookup, Lookup]:
    """After pass 1 (``co`` and ``promo`` filled): (ties, cluster sizes, near-copies) lookups."""
    cfg = model.config.network
    t.db.execute("CREATE INDEX promo_code ON promo(code, seq)")
    t.db.execute("CREATE TABLE grp AS SELECT kind, via, COUNT(*) AS n FROM keys GROUP BY kind, via "
                 "HAVING n >= 2 AND n <= ? AND n <= ?", (cfg.max_cluster, cfg.max_tie_members))
    t.db.execute("CREATE INDEX grp_kv ON grp(kind, via)")
    t.db.execute("CREATE TABLE seeds AS SELECT code, name, url, p1, punished FROM co WHERE p1 >= ? OR punished",
                 (cfg.seed_min_index,))
    t.db.execute("CREATE INDEX seeds_code ON seeds(code)")
    _clusters(t)
    t.commit()
    _near_copies(t, store, model, as_of, dictionary)
    t.commit()
    return network_lookups(t)


def network_lookups(t: WorkTables) -> tuple[Lookup, Lookup, Lookup]:
    """(ties, cluster sizes, near-copies) read from a run's tables once ``build_network`` has
    built them (by the run itself, or by pass-2 worker processes on their own connection)."""

    def ties(code: str) -> list[Tie] | None:
        rows = t.db.execute(
            "SELECT k.kind, k.via, s.code, s.name, s.p1, s.punished, s.url, g.n FROM keys k "
            "JOIN grp g ON g.kind = k.kind AND g.via = k.via "
            "JOIN keys k2 ON k2.kind = k.kind AND k2.via = k.via AND k2.code != k.code "
            "JOIN seeds s ON s.code = k2.code WHERE k.code = ? ORDER BY k.kind, k.via, s.code", (code,)).fetchall()
        return [Tie(kind, via, other, name, p1, bool(pun), url, n) for kind, via, other, name, p1, pun, url, n in rows] or None

    def cluster(code: str) -> int | None:
        row = t.one("SELECT n FROM comp JOIN sizes USING (root) WHERE code = ?", (code,))
        return row[0] if row else None

    def near(code: str) -> NearCopy | None:
        row = t.one("SELECT v FROM near WHERE code = ?", (code,))
        return pickle.loads(row[0]) if row else None

    return Lookup(ties), Lookup(cluster), Lookup(near)


def _clusters(t: WorkTables) -> None:
    """Union-find over the ``uf`` table (a code absent from it is its own root). A shared
    address alone does not make a group of related companies."""

    def find(x: str) -> str:
        path = []
        while True:
            row = t.one("SELECT parent FROM uf WHERE code = ?", (x,))
            if row is None or row[0] == x:
                break
            path.append(x)
            x = row[0]
        for p in path[:-1]:  # path compression
            t.db.execute("UPDATE uf SET parent = ? WHERE code = ?", (x, p))
        return x

    prev: tuple[str, str] | None = None
    first = ""
    for kind, via, code in t.rows("SELECT k.kind, k.via, k.code FROM grp g JOIN keys k USING (kind, via) "
                                  "WHERE g.kind != 'address' ORDER BY k.kind, k.via, k.code"):
        if (kind, via) != prev:
            prev, first = (kind, via), code
            continue
        a, b = find(code), find(first)
        if a != b:
            t.db.execute("INSERT OR REPLACE INTO uf VALUES (?, ?)", (a, b))
    t.db.execute("CREATE TABLE comp(code TEXT PRIMARY KEY, root TEXT)")
    members = "SELECT DISTINCT k.code FROM grp g JOIN keys k USING (kind, via) WHERE g.kind != 'address'"
    for (code,) in t.rows(members):
        t.db.execute("INSERT INTO comp VALUES (?, ?)", (code, find(code)))
    t.db.execute("CREATE TABLE sizes AS SELECT root, COUNT(*) AS n FROM comp GROUP BY root")
    t.db.execute("CREATE INDEX sizes_root ON sizes(root)")


SIM_MARGIN = 0.001  # below the threshold by more than rounding and float32 error: the candidate filter's bound
IN_CHUNK = 500  # features per SQL ``IN (...)`` list


def _prefix(vec: list[tuple[int, float]], dfs: dict[int, int], bound: float) -> list[int]:
    """The features of a seed page's unit vector that the candidate index holds: the rarest first
    (lowest document frequency, then id), until the features left out have a norm below ``bound``.
    A page sharing none of them has cosine < ``bound`` with the seed page (Cauchy-Schwarz: the
    dot product over the left-out features is at most their norm, the page's own norm being 1)."""
    if bound <= 0:
        return [f for f, _ in vec]
    order = sorted(vec, key=lambda fw: (dfs.get(fw[0], 0), fw[0]))
    rest = sum(w * w for _, w in order)
    out: list[int] = []
    for f, w in order:
        if rest < bound * bound:
            break
        out.append(f)
        rest -= w * w
    return out


def _near_copies(t: WorkTables, store, model: Model, as_of: str, dictionary) -> None:
    """For each company, its promotional page most similar to a seed's page of another company
    (``near``). Per page only its most similar seed page counts (then the earlier one); per
    company its most similar page (then the earlier one).

    Each page is compared only with the seed pages that could reach the threshold: an index
    (``seedpost``, in the run's tables so memory stays bounded) holds each seed page under its
    rarest features, enough of them that a page sharing none is below the threshold (``_prefix``).
    The candidates' similarities are computed exactly as over all seed pages (gensim's sparse
    index, one row per seed page), so the result is that of comparing every pair."""
    import numpy
    from gensim import models, similarities

    n_promo = t.one("SELECT COUNT(*) FROM promo")[0]
    n_seed = t.one("SELECT COUNT(*) FROM promo p JOIN seeds s USING (code)")[0]
    if not n_seed or n_promo < 2:
        return
    # smoothed idf: with few promotional pages plain log(N/df) lets the handful of bigrams a
    # reborn scheme changed (its new name) outweigh everything it copied
    tfidf = models.TfidfModel(dictionary=dictionary, wglobal=lambda df, n: math.log2(1.0 + n / df))
    threshold = model.config.network.similarity_threshold
    bound = threshold - SIM_MARGIN
    dfs = dictionary.dfs
    t.db.execute("CREATE TABLE cand(code TEXT, seq INT, sim REAL, j INT, v BLOB, PRIMARY KEY (code, seq))")
    t.db.execute("CREATE TABLE seedvec(k INTEGER PRIMARY KEY, code TEXT, doc_id TEXT, name TEXT, url TEXT, vec BLOB)")
    t.db.execute("CREATE TABLE seedpost(f INT, k INT)")
    seed_rows = t.db.execute("SELECT p.code, p.doc_id, s.name, p.url, p.sq FROM promo p JOIN seeds s USING (code) "
                             "ORDER BY p.code, p.seq")
    for k, (code, doc_id, name, url, sq) in enumerate(seed_rows):  # k: the seed page's rank, the tie-break
        vec = tfidf[dictionary.doc2bow(bigrams_of(sq))]
        t.db.execute("INSERT INTO seedvec VALUES (?,?,?,?,?,?)", (k, code, doc_id, name, url, pickle.dumps(vec)))
        t.db.executemany("INSERT INTO seedpost VALUES (?,?)", [(f, k) for f in _prefix(vec, dfs, bound)])
    t.db.execute("CREATE INDEX seedpost_f ON seedpost(f, k)")
    t.commit()
    for code, seq, doc_id, day, url, snip, sq in t.rows(
            "SELECT code, seq, doc_id, day, url, snip, sq FROM promo ORDER BY code, seq"):
        vec = tfidf[dictionary.doc2bow(bigrams_of(sq))]
        feats = [f for f, _ in vec]
        ks: set[int] = set()
        if bound <= 0:  # every seed page may reach the threshold
            ks.update(k for (k,) in t.db.execute("SELECT k FROM seedvec"))
        for i in range(0, len(feats), IN_CHUNK):
            part = feats[i : i + IN_CHUNK]
            ks.update(k for (k,) in t.db.execute(
                f"SELECT k FROM seedpost WHERE f IN ({','.join('?' * len(part))})", part))
        if not ks:
            continue
        cands = [t.one("SELECT k, code, doc_id, name, url, vec FROM seedvec WHERE k = ?", (k,)) for k in sorted(ks)]
        index = similarities.SparseMatrixSimilarity([pickle.loads(c[5]) for c in cands],
                                                    num_features=len(dictionary))
        sims = numpy.atleast_1d(index[vec])
        # most similar first, then the earlier seed page (a stable sort keeps the ranks ascending on ties)
        for j in numpy.argsort(-sims, kind="stable").tolist():
            k, other, other_id, other_name, other_url, _ = cands[j]
            if other == code or other_id == doc_id:
                continue  # the same page linked to two companies is not a copy
            sim = float(sims[j])
            s = round(sim, 4)
            if s >= threshold:
                near = NearCopy(s, other, other_name, url, other_url, snip, day)
                t.db.execute("INSERT INTO cand VALUES (?,?,?,?,?)", (code, seq, sim, k, pickle.dumps(near)))
            break
    t.commit()
    best: tuple[str, NearCopy] | None = None  # per code; rows come grouped by code, pages in order
    for code, blob in t.rows("SELECT code, v FROM cand ORDER BY code, seq"):
        near = pickle.loads(blob)
        if best is not None and best[0] != code:
            t.db.execute("INSERT INTO near VALUES (?, ?)", (best[0], pickle.dumps(best[1])))
            best = None
        if best is None or near.similarity > best[1].similarity:
            best = (code, near)
    if best is not None:
        t.db.execute("INSERT INTO near VALUES (?, ?)", (best[0], pickle.dumps(best[1])))
