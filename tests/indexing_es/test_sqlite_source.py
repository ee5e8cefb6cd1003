"""The migration source reads a real embedded store file completely and in save order."""

from __future__ import annotations

from indexing.models import Alert, Company, Document, Mention, Run, Score
from indexing.store.elastic.migrate import SqliteSource
from indexing.store.sqlite import SQLiteStore


def _score(code: str, as_of: str, index: float, version: str = "m1") -> Score:
    return Score(code, as_of, index, "x", {"compliance": index}, [], version)


def test_every_record_is_read_with_its_current_score(tmp_path) -> None:
    path = tmp_path / "smoke.db"
    s = SQLiteStore(path)
    s.upsert_companies([Company("91440300MA5F00000X", "鑫利财富有限公司"), Company("91440300MA5F00001Y", "乙公司")])
    s.upsert_documents([Document("d1", "http://x.test/1", "promo", "site", "标题", "保本保息", "2024-01-01T00:00:00",
                                 mentions=[Mention("91440300MA5F00000X", "name", 0.9)])])
    s.save_scores([_score("91440300MA5F00000X", "2024-01-01", 40.0), _score("91440300MA5F00000X", "2024-02-01", 70.0)])
    s.save_scores([_score("91440300MA5F00000X", "2024-02-01", 65.0, "m2")])  # same day, saved later: current
    s.save_alert(Alert("a1", "91440300MA5F00000X", "2024-02-01T00:00:00", "cross_60", 65.0, 40.0, "m"))
    s.save_run(Run("r1", "2024-02-01T00:00:00"))
    s.set_state("watermark:court", "2024-02-01")
    s.close()

    src = SqliteSource(path)
    try:
        counts = {e: src.count(e) for e in ("companies", "documents", "scores", "alerts", "runs", "state")}
        assert counts == {"companies": 2, "documents": 1, "scores": 3, "alerts": 1, "runs": 1, "state": 1}
        companies = {i: b for _, i, b in src.records("companies")}
        cur = companies["91440300MA5F00000X"]
        assert (cur["smoke_index"], cur["score_as_of"], cur["rise"]) == (65.0, "2024-02-01", 25.0)
        assert companies["91440300MA5F00001Y"]["smoke_index"] is None
        scores = [b for _, _, b in src.records("scores")]
        assert [b["seq"] for b in scores] == sorted(b["seq"] for b in scores)  # save order kept
        current = [b for b in scores if b["is_current"]]
        assert [(b["model_version"], b["rise"]) for b in current] == [("m2", 25.0)]
        [(_, _, d)] = list(src.records("documents"))
        assert d["text"] == "保本保息" and d["text_tokens"] and d["mentions"][0]["credit_code"] == "91440300MA5F00000X"
        # resuming after a rowid skips what was copied
        first_rowid = next(src.records("scores"))[0]
        assert len(list(src.records("scores", after_rowid=first_rowid))) == 2
        assert [b for _, _, b in src.records("state")] == [{"key": "watermark:court", "value": "2024-02-01"}]
    finally:
        src.close()
