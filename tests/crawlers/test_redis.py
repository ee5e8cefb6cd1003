"""Scale-out: two crawler processes share one Redis frontier and dupe filter."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections import Counter

import pytest

from crawlers.runner import crawl_command, crawl_env
from tests.crawlers.conftest import FAST
from tests.crawlers.siteserver import synthetic_court

pytestmark = [pytest.mark.redis, pytest.mark.slow]
N = 150


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = _free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


def test_two_processes_fetch_every_page_exactly_once(site, smoke_home, tmp_path, redis_url, open_db):
    handler, codes = synthetic_court(N)
    site.handlers.append(handler)
    # Each page takes long enough (150 pages x 0.3 s / 2 slots = 22 s for one process alone)
    # that the second process is surely up before the first could finish on its own, even
    # on a loaded machine; both then share the work.
    site.delay = 0.3
    store = tmp_path / "smoke.db"
    settings = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": "2", "SMOKE_REDIS_IDLE_S": "3"}
    env = crawl_env(site.proxy_url)
    procs = [subprocess.Popen(crawl_command("court", store, tmp_path / f"p{i}.json", redis_url=redis_url,
                                            redis_key="run1", progress=False, settings=settings), env=env)
             for i in range(2)]
    for p in procs:
        assert p.wait(120) == 0
    _assert_shared_exactly_once(site, tmp_path, store, codes, open_db)


def _assert_shared_exactly_once(site, tmp_path, store, codes, open_db) -> None:
    pages = Counter({k: v for (h, k), v in site.hits.items() if k.startswith(("/judgment/", "/judgments"))})
    assert len([k for k in pages if k.startswith("/judgment/")]) == len(codes)  # the union is complete
    assert set(pages.values()) == {1}, [k for k, v in pages.items() if v > 1]  # each page exactly once
    # Items, not pages: a process that only fetched robots.txt has done no share of the work.
    per_process = [json.loads((tmp_path / f"p{i}.json").read_text())["items"] for i in range(2)]
    db = open_db(store)
    assert db.count_documents("court") == len(codes)
    assert {m.credit_code for d in db.iter_documents("court") for m in d.mentions} == set(codes)
    assert all(n > 0 for n in per_process), per_process  # both processes did work


def test_a_peer_waits_while_the_first_page_is_slower_than_its_idle_window(site, smoke_home, tmp_path, redis_url,
                                                                          open_db):
    """The first process holds the only page in flight, silent for longer than the idle
    window and the busy key's lifetime; a second process started meanwhile finds an
    empty frontier and must not read that silence as the crawl being over."""
    court, codes = synthetic_court(60)
    slow_s = 9.0

    def slow_first_listing(host: str, key: str, headers: dict[str, str]):
        if key == "/judgments?page=1":
            time.sleep(slow_s)
        return court(host, key, headers)

    site.handlers.append(slow_first_listing)
    site.delay = 0.2
    store = tmp_path / "smoke.db"
    settings = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": "2", "SMOKE_REDIS_IDLE_S": "2", "DOWNLOAD_TIMEOUT": "30"}
    env = crawl_env(site.proxy_url)

    def start(i: int) -> subprocess.Popen:
        return subprocess.Popen(crawl_command("court", store, tmp_path / f"p{i}.json", redis_url=redis_url,
                                              redis_key="run2", progress=False, settings=settings), env=env)

    first = start(0)
    deadline = time.monotonic() + 60
    while not any(k == "/judgments?page=1" for _, _, k in site.log):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    second = start(1)
    for p in (first, second):
        assert p.wait(120) == 0
    _assert_shared_exactly_once(site, tmp_path, store, codes, open_db)
