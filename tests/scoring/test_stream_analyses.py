"""Text analyses are kept between runs with the analyser's and lexicon's versions (issue 14):
a second scoring analyses no text again and gives the same scores; another analyser
version analyses everything anew."""

from __future__ import annotations

import scoring.analyses
import scoring.facts
from indexing.store.sqlite import SQLiteStore
from scoring.model import load_model
from scoring.scorer import iter_scores
from tests.test_incremental_cycle import DAY0, _world


def test_a_text_is_analysed_once_per_analyser_version(tmp_path, monkeypatch) -> None:
    model = load_model()
    store = SQLiteStore(tmp_path / "smoke.db")
    _world(store)
    path = tmp_path / "analyses.sqlite"
    calls: list[str] = []
    real = scoring.facts.analyze

    def counted(text, *a, **kw):
        calls.append(text)
        return real(text, *a, **kw)

    monkeypatch.setattr(scoring.facts, "analyze", counted)
    first = [s.to_dict() for s in iter_scores(store, DAY0, model, analyses=path)]
    n_docs = len(calls)
    assert n_docs >= 5

    calls.clear()
    again = [s.to_dict() for s in iter_scores(store, DAY0, model, analyses=path)]
    assert calls == [] and again == first  # read back, not analysed, and the same scores

    monkeypatch.setattr(scoring.analyses, "analyses_version", lambda: "another-analyser")
    anew = [s.to_dict() for s in iter_scores(store, DAY0, model, analyses=path)]
    assert len(calls) == n_docs and anew == first
    store.close()


def test_documents_are_analysed_at_index_time_and_scoring_reads_the_analyses(tmp_path, monkeypatch) -> None:
    from scoring.prepare import analyse_new_documents
    from tests.scoring.conftest import doc
    from tests.test_incremental_cycle import PLAIN

    model = load_model()
    store = SQLiteStore(tmp_path / "smoke.db")
    _world(store)
    path = tmp_path / "analyses.sqlite"
    calls: list[str] = []
    real = scoring.facts.analyze

    def counted(text, *a, **kw):
        calls.append(text)
        return real(text, *a, **kw)

    monkeypatch.setattr(scoring.facts, "analyze", counted)
    looked, analysed = analyse_new_documents(store, path, "s1", model=model)
    assert looked == store.count_companies() and analysed == len(calls) >= 5  # day 0: everything

    calls.clear()
    scores = [s.to_dict() for s in iter_scores(store, DAY0, model, analyses=path)]
    assert calls == []  # scoring analysed nothing: it read the index step's analyses

    # the next index step analyses only what was written since
    store.upsert_documents([doc("理财平台承诺月息百分之三，推荐一人奖励五百元，保本保息。", code=PLAIN[9],
                                url="http://p9.test/a", site="p9", date="2024-06-25")])
    assert analyse_new_documents(store, path, "s1", model=model) == (1, 1)
    assert analyse_new_documents(store, path, "s1", model=model) == (0, 0)
    calls.clear()
    assert [s.to_dict() for s in iter_scores(store, DAY0, model, analyses=path)] != scores
    assert calls == []

    # another analyser version: every document is analysed again at the next index step
    monkeypatch.setattr(scoring.analyses, "analyses_version", lambda: "another-analyser")
    calls.clear()
    looked, analysed = analyse_new_documents(store, path, "s1", model=model)
    assert looked == store.count_companies() and analysed == len(calls) == analysed and analysed >= 6
    store.close()
