"""The product on a live Elasticsearch node, as a user runs it: a whole cycle with
SMOKE_STORE=elasticsearch (crawl, index, score, alerts, export), the web search and
company page over that store, `smoke index migrate` from a filled embedded store and
`smoke index rebuild` with its alias switch. Each test module works in its own index
prefix, deleted afterwards."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from starlette.testclient import TestClient

from indexing.store.elastic import ElasticStore
from sandbox.truth import iter_companies
from sandbox.world import generate

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]


def _env(home: Path, es: dict[str, str]) -> dict[str, str]:
    return {**os.environ, "SMOKE_HOME": str(home), "PYTHONPATH": str(ROOT), **es}


def smoke(home: Path, es: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "smoke", *args], cwd=ROOT, env=_env(home, es),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"smoke {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def es(es_url: str) -> Iterator[dict[str, str]]:
    prefix = f"smoketest-{uuid4().hex[:8]}"
    yield {"SMOKE_STORE": "elasticsearch", "SMOKE_ES_URL": es_url, "SMOKE_ES_PREFIX": prefix}
    store = ElasticStore.for_tests(url=es_url, prefix=prefix)
    try:
        store.destroy()
    finally:
        store.close()


def _open(es: dict[str, str]) -> ElasticStore:
    return ElasticStore.for_tests(url=es["SMOKE_ES_URL"], prefix=es["SMOKE_ES_PREFIX"])


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory, es: dict[str, str]) -> dict:
    home = tmp_path_factory.mktemp("home")
    world = tmp_path_factory.mktemp("world")
    generate(world, companies=120, seed=11)
    run = smoke(home, es, "run", "--world", str(world))
    truth = {row["credit_code"]: row for row in iter_companies(world)}
    return {"home": home, "world": world, "run": run, "truth": truth}


def test_cycle_fills_elasticsearch_and_ranks_planted_schemes(cycle, es) -> None:
    store = _open(es)
    try:
        assert store.count_companies() >= 100
        assert store.count_documents() > 50
        assert list(store.iter_latest_scores())
        assert store.list_runs(limit=5)
    finally:
        store.close()
    # Nothing went to an embedded store on the side.
    assert not (cycle["home"] / "smoke.db").exists()
    out = cycle["run"].stdout
    ranked = [line.split()[3] for line in out.splitlines() if line[:3].strip().isdigit()]
    assert ranked and cycle["truth"][ranked[0]]["is_scheme"], out


def test_cycle_alerts_and_export(cycle, es) -> None:
    store = _open(es)
    try:
        alerts = store.list_alerts(limit=1000)
    finally:
        store.close()
    assert alerts and all(a.score >= 60 for a in alerts)
    out = cycle["home"] / "x.csv"
    smoke(cycle["home"], es, "export", "--min-score", "60", "--format", "csv", "-o", str(out), "--lang", "en")  # ids as headers
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows and all(float(r["smoke_index"]) >= 60 for r in rows)
    assert {r["credit_code"] for r in rows} >= {a.credit_code for a in alerts}


def test_web_search_and_company_page(cycle, es, monkeypatch: pytest.MonkeyPatch) -> None:
    from smoke.accounts import Accounts
    from smoke.web.app import create_app_from_settings
    from tests.web.conftest import PASSWORD, api_token, login

    for k, v in {**es, "SMOKE_HOME": str(cycle["home"])}.items():
        monkeypatch.setenv(k, v)
    Accounts(cycle["home"] / "app.db").add_user("analyst", PASSWORD, "analyst")
    client = TestClient(create_app_from_settings())
    top = json.loads(smoke(cycle["home"], es, "search", "", "--min-score", "60", "--json").stdout)[0]
    token = api_token(client, "analyst")
    r = client.get("/api/v1/companies", params={"q": top["name"]}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert top["credit_code"] in [h["credit_code"] for h in r.json()]
    assert login(client, "analyst").status_code in (200, 303)
    page = client.get(f"/company/{top['credit_code']}")
    assert page.status_code == 200 and top["name"] in page.text


def test_migrate_then_rebuild_switches_aliases(tmp_path: Path, cycle, es_url: str) -> None:
    # A filled embedded store: the same world, crawled and scored into SQLite.
    home = tmp_path / "home"
    sqlite_env = {"SMOKE_STORE": "sqlite"}
    smoke(home, sqlite_env, "run", "--world", str(cycle["world"]))
    target = {"SMOKE_STORE": "elasticsearch", "SMOKE_ES_URL": es_url, "SMOKE_ES_PREFIX": f"smoketest-{uuid4().hex[:8]}"}
    try:
        out = smoke(home, target, "index", "migrate", "--to", "elasticsearch").stdout
        assert "记录数一致" in out, out  # Chinese by default
        from indexing.store.sqlite import SQLiteStore

        with SQLiteStore(home / "smoke.db") as src:
            want = (src.count_companies(), src.count_documents(),
                    {s.credit_code: s.smoke_index for s in src.iter_latest_scores()})
        store = _open(target)
        try:
            got = (store.count_companies(), store.count_documents(),
                   {s.credit_code: s.smoke_index for s in store.iter_latest_scores()})
            before = dict(store.indices)
        finally:
            store.close()
        assert got == want
        out = smoke(home, target, "index", "rebuild").stdout
        assert "重建为模式" in out, out
        store = _open(target)
        try:
            after = dict(store.indices)
            assert store.count_companies() == want[0] and store.count_documents() == want[1]
            assert {s.credit_code: s.smoke_index for s in store.iter_latest_scores()} == want[2]
        finally:
            store.close()
        assert all(after[e] != before[e] for e in ("companies", "documents")), (before, after)
    finally:
        s = _open(target)
        try:
            s.destroy()
        finally:
            s.close()
