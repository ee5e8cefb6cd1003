"""`smoke index migrate` between any two stores and `smoke index rebuild --from STORE`, on a
live node: both read their source only through the Store interface."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

from indexing.models import Alert, Company, Document, Mention, Run, Score
from indexing.store.base import CompanyQuery, DocumentQuery
from indexing.store.elastic import ElasticStore
from indexing.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.elasticsearch]

A, B = "91440300MA5F00000X", "91440300MA5F00001Y"


def smoke(home: Path, es_url: str, prefix: str, *args: str) -> str:
    env = {**os.environ, "SMOKE_HOME": str(home), "PYTHONPATH": str(ROOT), "SMOKE_ES_URL": es_url,
           "SMOKE_ES_PREFIX": prefix, "SMOKE_LANG": "en"}  # reads the English summary lines
    done = subprocess.run([sys.executable, "-m", "smoke", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, f"smoke {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done.stdout


def _score(code: str, as_of: str, index: float, version: str = "m1") -> Score:
    return Score(code, as_of, index, "x", {"compliance": index}, [], version)


def _fill(path: Path) -> None:
    with SQLiteStore(path) as s:
        s.upsert_companies([Company(A, "鑫利财富有限公司"), Company(B, "乙公司")])
        s.upsert_documents([Document("d1", "http://x.test/1", "promo", "site", "标题", "北京保本保息",
                                     "2024-01-01T00:00:00", mentions=[Mention(A, "name", 0.9)])])
        s.save_scores([_score(A, "2024-01-01", 40.0), _score(A, "2024-02-01", 70.0)])
        s.save_scores([_score(A, "2024-02-01", 65.0, "m2")])  # same day, saved later: current
        s.save_alert(Alert("a1", A, "2024-02-01T00:00:00", "cross_60", 65.0, 40.0, "m"))
        s.save_run(Run("r1", "2024-02-01T00:00:00"))
        s.set_state("watermark:court", "2024-02-01")


def _check(store) -> None:
    [hit] = store.search_companies(CompanyQuery(text="xinli")).hits  # pinyin indexed by the target
    assert (hit.company.credit_code, hit.smoke_index) == (A, 65.0)
    assert store.current_scores([A])[A].rise == 25.0
    assert store.search_documents(DocumentQuery(text='"保本保息" -上海')).total == 1
    assert store.get_state("watermark:court") == "2024-02-01"
    assert [a.id for a in store.list_alerts()] == ["a1"]


def test_migrate_sqlite_to_cluster_and_back_then_rebuild_from_a_file(tmp_path: Path, es_url: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    src, back = tmp_path / "src.db", tmp_path / "back.db"
    _fill(src)
    prefix = f"smoketest-{uuid4().hex[:8]}"
    es = ElasticStore.for_tests(url=es_url, prefix=prefix)
    try:
        out = smoke(home, es_url, prefix, "index", "migrate", "--to", "elasticsearch", "--from", f"sqlite:{src}")
        assert "counts match" in out
        _check(es)
        out = smoke(home, es_url, prefix, "index", "migrate", "--to", f"sqlite:{back}")  # the cluster -> a file
        assert "counts match" in out
        with SQLiteStore(back) as s:
            _check(s)
        es.destroy()
        es.close()
        es = ElasticStore.for_tests(url=es_url, prefix=prefix)  # empty again
        out = smoke(home, es_url, prefix, "index", "rebuild", "--from", f"sqlite:{back}")
        assert "rebuilt schema" in out
        es.close()
        es = ElasticStore.for_tests(url=es_url, prefix=prefix)
        _check(es)
        scores = [s for _, s in es.iter_records("scores")]
        assert [(s.as_of, s.model_version) for s in scores] == [("2024-01-01", "m1"), ("2024-02-01", "m1"),
                                                                ("2024-02-01", "m2")]  # save order kept
    finally:
        es.destroy()
        es.close()
