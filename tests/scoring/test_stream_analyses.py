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
