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


SEED_CHUNK = 5000  # seed pages held in one similarity index: memory stays bounded however many seeds
PAGE_BATCH = 1000  # pages compared with a seed chunk in one sparse product (a PAGE_BATCH x SEED_CHUNK array)


def _near_copies(t: WorkTables, store, model: Model, as_of: str, dictionary) -> None:
    """For each company, its promotional page most similar to a seed's page of another company
    (``near``). Per page only its most similar seed page counts (then the earlier one); per
    company its most similar page (then the earlier one).

    Every page and every seed page is turned into its TF-IDF vector once: the seed pages'
    similarity indexes, ``SEED_CHUNK`` pages each, are kept in the run's tables (``seedidx``),
    and the pages are compared ``PAGE_BATCH`` at a time with each chunk in one sparse product.
    Each similarity is computed as a one-page query to gensim's index computes it (the same
    float32 sums in the same order), so batching changes no result."""
    import numpy
    from gensim import matutils, models, similarities

    n_promo = t.one("SELECT COUNT(*) FROM promo")[0]
    n_seed = t.one("SELECT COUNT(*) FROM promo p JOIN seeds s USING (code)")[0]
    if not n_seed or n_promo < 2:
        return
    # smoothed idf: with few promotional pages plain log(N/df) lets the handful of bigrams a
    # reborn scheme changed (its new name) outweigh everything it copied
    tfidf = models.TfidfModel(dictionary=dictionary, wglobal=lambda df, n: math.log2(1.0 + n / df))
    threshold = model.config.network.similarity_threshold
    t.db.execute("CREATE TABLE cand(code TEXT, seq INT, sim REAL, j INT, v BLOB, PRIMARY KEY (code, seq))")
    t.db.execute("CREATE TABLE seedidx(start INT PRIMARY KEY, m BLOB, rows BLOB)")
    for start in range(0, n_seed, SEED_CHUNK):
        seed_rows = t.db.execute("SELECT p.code, p.doc_id, s.name, p.url, p.sq FROM promo p JOIN seeds s USING (code) "
                                 "ORDER BY p.code, p.seq LIMIT ? OFFSET ?", (SEED_CHUNK, start)).fetchall()
        vectors = [tfidf[dictionary.doc2bow(bigrams_of(sq))] for *_, sq in seed_rows]
        index = similarities.SparseMatrixSimilarity(vectors, num_features=len(dictionary))
        t.db.execute("INSERT INTO seedidx VALUES (?,?,?)", (start, pickle.dumps(index.index),
                                                            pickle.dumps([r[:4] for r in seed_rows])))
        del vectors, index, seed_rows
    t.commit()
    chunks = [start for (start,) in t.db.execute("SELECT start FROM seedidx ORDER BY start")]

    def compare(pages: list[tuple]) -> None:
        # the query matrix as gensim builds it for one page: unit vectors, float32
        queries = matutils.corpus2csc([matutils.unitvec(tfidf[dictionary.doc2bow(bigrams_of(p[-1]))]) for p in pages],
                                      len(dictionary), dtype=numpy.float32).tocsc()
        best: list[tuple[float, int, tuple] | None] = [None] * len(pages)  # per page: (sim, seed rank, seed row)
        for start in chunks:
            m_blob, rows_blob = t.one("SELECT m, rows FROM seedidx WHERE start = ?", (start,))
            matrix, seed_rows = pickle.loads(m_blob), pickle.loads(rows_blob)
            sims_all = (matrix * queries).toarray()  # seed pages x pages
            del matrix
            by_code: dict[str, list[int]] = {}
            by_doc: dict[str, list[int]] = {}
            for j, (other, other_id, *_) in enumerate(seed_rows):
                by_code.setdefault(other, []).append(j)
                by_doc.setdefault(other_id, []).append(j)
            for i, (code, _seq, doc_id, *_rest) in enumerate(pages):
                sims = sims_all[:, i].copy()
                # the same page linked to two companies is not a copy
                sims[by_code.get(code, []) + by_doc.get(doc_id, [])] = -numpy.inf
                j = int(numpy.argmax(sims))  # most similar, then the earlier seed page
                sim = float(sims[j])
                if sim == -numpy.inf or round(sim, 4) < threshold:
                    continue
                if best[i] is None or (sim, -(start + j)) > (best[i][0], -best[i][1]):
                    best[i] = (sim, start + j, seed_rows[j])
        for (code, seq, _doc_id, day, url, snip, _sq), b in zip(pages, best, strict=True):
            if b is not None:
                sim, k, (other, _, other_name, other_url) = b
                near = NearCopy(round(sim, 4), other, other_name, url, other_url, snip, day)
                t.db.execute("INSERT INTO cand VALUES (?,?,?,?,?)", (code, seq, sim, k, pickle.dumps(near)))

    batch: list[tuple] = []
    for row in t.rows("SELECT code, seq, doc_id, day, url, snip, sq FROM promo ORDER BY code, seq"):
        batch.append(row)
        if len(batch) >= PAGE_BATCH:
            compare(batch)
            batch = []
    if batch:
        compare(batch)
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
