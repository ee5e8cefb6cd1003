"""Scale-out: two crawler processes share one Redis frontier and dupe filter."""

from __future__ import annotations

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
    pages = Counter({k: v for (h, k), v in site.hits.items() if k.startswith(("/judgment/", "/judgments"))})
    assert len([k for k in pages if k.startswith("/judgment/")]) == N  # the union is complete
    assert set(pages.values()) == {1}, [k for k, v in pages.items() if v > 1]  # each page exactly once
    import json

    per_process = [json.loads((tmp_path / f"p{i}.json").read_text())["pages"] for i in range(2)]
    db = open_db(store)
    assert db.count_documents("court") == N
    assert {m.credit_code for d in db.iter_documents("court") for m in d.mentions} == set(codes)
    assert all(n > 0 for n in per_process), per_process  # both processes did work
