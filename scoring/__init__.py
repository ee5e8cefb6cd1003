"""Scoring: text signals -> indicators per company -> six dimensions -> smoke index (冒烟指数).

Public entry points:

* ``scoring.text.analyze(text, title="", url="") -> TextAnalysis`` — one text's signals and risk;
* ``scoring.model.load_model(path=None) -> Model`` — the versioned model from config/model.yaml;
* ``scoring.scorer.score_company(company, documents, context, model, as_of) -> Score`` — pure;
* ``scoring.scorer.iter_scores(store, as_of, model=None, *, progress, memo, stats) -> Iterator[Score]`` —
  every company of a store, streamed in memory that does not grow with the companies;
  ``memo`` (``scoring.memo.ScoreMemo``) re-analyses only companies whose inputs changed;
* ``scoring.scorer.score_store(store, as_of, model=None, progress=False) -> list[Score]`` — its list.

Never imports ``sandbox`` or the app layer (a test checks it).
"""
