"""End-to-end crawls of a generated sandbox world (sandbox/ is imported by tests only)."""

from __future__ import annotations

import json

import pytest

from tests.crawlers.conftest import FAST

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from sandbox.world import generate

    return generate(tmp_path_factory.mktemp("world"), companies=60, seed=11)


@pytest.fixture
def sandbox(world):
    from sandbox.server import SandboxServer

    srv = SandboxServer(world).start()
    yield srv
    srv.stop()


def truth(world):
    return [json.loads(line) for line in (world / "truth" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]


def test_full_crawl_links_to_truth_and_reruns_without_duplicates(world, sandbox, smoke_home, tmp_path, open_db):
    from crawlers.runner import run_crawl
    from smoke.evaluation.linking import linking_metrics

    db_path = tmp_path / "smoke.db"
    run = run_crawl(db_path, proxy=sandbox.proxy_url, progress=False, settings=FAST)
    assert run.status == "ok", run
    db = open_db(db_path)
    companies = [json.loads(x) for x in (world / "truth" / "companies.jsonl").read_text().splitlines()]
    assert db.count_companies() == len(companies)
    m = linking_metrics(db, truth(world))
    assert m["truth_documents_not_crawled"] == 0, m
    assert m["linking_precision"] >= 0.95 and m["linking_recall"] >= 0.90, m
    n_docs = db.count_documents()

    run2 = run_crawl(db_path, proxy=sandbox.proxy_url, progress=False, settings=FAST)
    assert run2.status == "ok"
    assert db.count_documents() == n_docs  # nothing duplicated
    assert run2.sources["registry"].items == 0  # every profile answered 304


def test_mild_hostility_still_completes(world, smoke_home, tmp_path, open_db):
    from crawlers.runner import run_crawl
    from sandbox.server import SandboxServer
    from smoke.evaluation.linking import linking_metrics

    with SandboxServer(world, hostile="mild") as srv:
        srv.set_hostile("registry.sandbox.test", "robots", False)  # robots would hide the profiles
        run = run_crawl(tmp_path / "smoke.db", proxy=srv.proxy_url, progress=False,
                        settings={**FAST, "RETRY_TIMES": "6"})
    assert run.status == "ok", run
    db = open_db(tmp_path / "smoke.db")
    m = linking_metrics(db, truth(world))
    assert m["truth_documents_not_crawled"] <= 2, m
    assert m["linking_precision"] >= 0.95, m


def test_captcha_on_sandbox_registry_blocks_the_source(world, smoke_home, tmp_path):
    from crawlers.runner import run_crawl
    from sandbox.server import SandboxServer

    with SandboxServer(world) as srv:
        srv.set_hostile("registry.sandbox.test", "captcha", True)
        run = run_crawl(tmp_path / "smoke.db", ["registry"], proxy=srv.proxy_url, progress=False, settings=FAST)
    s = run.sources["registry"]
    assert s.blocked and "captcha" in s.blocked_reason, s
    assert s.items < 60 and s.errors.get("blocked", 0) >= 1  # stopped: later requests never left
    assert run.status == "partial"
