"""score_store streams (issue 14): it reads the store's companies a batch at a time, each
company's documents once, no document kind but the court's in full, and yields each score
while later companies are still unread. The same scores as score_store's list."""

from __future__ import annotations

import inspect

import scoring.scorer as scorer
from indexing.store.sqlite import SQLiteStore
from scoring.model import load_model
from tests.test_incremental_cycle import DAY0, _world


class Watched:
    """A real store, with the reads the scorer makes counted."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.docs_for: dict[str, int] = {}
        self.doc_kinds: list[str] = []
        self.pulled: list[int] = []  # companies taken from each iter_companies call

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def iter_companies(self):
        self.pulled.append(0)
        k = len(self.pulled) - 1
        for c in self.store.iter_companies():
            self.pulled[k] += 1
            yield c

    def documents_for(self, credit_code: str, source_kind: str = ""):
        self.docs_for[credit_code] = self.docs_for.get(credit_code, 0) + 1
        return self.store.documents_for(credit_code, source_kind)

    def iter_documents(self, source_kind: str = ""):
        self.doc_kinds.append(source_kind)
        return self.store.iter_documents(source_kind)


def test_scores_stream_through_batches(tmp_path, monkeypatch) -> None:
    model = load_model()
    store = SQLiteStore(tmp_path / "smoke.db")
    _world(store)
    n = store.count_companies()
    expected = {s.credit_code: s.to_dict() for s in scorer.score_store(store, DAY0, model)}

    monkeypatch.setattr(scorer, "BATCH", 4)
    watched = Watched(store)
    gen = scorer.iter_scores(watched, DAY0, model)
    assert inspect.isgenerator(gen)
    got = {}
    for s in gen:
        got[s.credit_code] = s.to_dict()
    assert got == expected
    assert watched.docs_for == {code: 1 for code in expected}  # each company's documents read once
    assert watched.doc_kinds == ["court"]  # only court entries are read in full (dishonest persons)
    # two streamed passes over the store's companies (pass 0, pass 1), nothing kept; pass 2
    # reads pass 1's on-disk table
    assert watched.pulled == [n, n]
    store.close()


def test_worker_processes_give_the_same_scores(tmp_path) -> None:
    model = load_model()
    path = tmp_path / "smoke.db"
    store = SQLiteStore(path)
    _world(store)
    serial = {s.credit_code: s.to_dict() for s in scorer.iter_scores(store, DAY0, model)}
    stats = scorer.RunStats()
    parallel = {s.credit_code: s.to_dict()
                for s in scorer.iter_scores(store, DAY0, model, workers=2, spec=f"sqlite:{path}", stats=stats)}
    assert parallel == serial and stats.analysed == len(serial)
    store.close()


def test_seed_pages_indexed_in_chunks_give_the_same_near_copies(tmp_path, monkeypatch) -> None:
    import scoring.network

    model = load_model()
    store = SQLiteStore(tmp_path / "smoke.db")
    _world(store)
    whole = {s.credit_code: s.to_dict() for s in scorer.iter_scores(store, DAY0, model)}
    near = [c for c, s in whole.items() if any(i["id"] == "network.near_copy" and i["value"] > 0 for i in s["indicators"])]
    assert near  # the world has a reborn scheme
    monkeypatch.setattr(scoring.network, "SEED_CHUNK", 1)
    chunked = {s.credit_code: s.to_dict() for s in scorer.iter_scores(store, DAY0, model)}
    assert chunked == whole
    # pages compared one at a time (as one-page gensim queries) give the same as in batches
    monkeypatch.setattr(scoring.network, "PAGE_BATCH", 1)
    monkeypatch.setattr(scoring.network, "SEED_CHUNK", 2)
    one_by_one = {s.credit_code: s.to_dict() for s in scorer.iter_scores(store, DAY0, model)}
    assert one_by_one == whole
    store.close()
