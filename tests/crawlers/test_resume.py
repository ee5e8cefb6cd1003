"""SIGKILL mid-crawl, run again: no duplicate, nothing lost (compared with a complete crawl)."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from crawlers.runner import crawl_command, crawl_env
from tests.crawlers.conftest import FAST
from tests.crawlers.siteserver import synthetic_court

N = 120


@pytest.mark.slow
def test_kill_9_and_resume_equals_complete_crawl(site, smoke_home, tmp_path, open_db):
    handler, codes = synthetic_court(N)
    site.handlers.append(handler)
    site.delay = 0.02
    settings = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": "2", "SMOKE_STORE_BATCH": "5"}
    env = crawl_env(site.proxy_url)
    jobdir = smoke_home / "jobs" / "court"

    # The reference: one complete crawl into its own store.
    complete = tmp_path / "complete.db"
    subprocess.run(crawl_command("court", complete, progress=False, settings=settings), env=env, check=True)

    # The crawl under test: killed with SIGKILL once some (not all) documents are stored.
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen(crawl_command("court", killed, jobdir=jobdir, progress=False, settings=settings), env=env)
    db = None
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if killed.exists():
            db = db or open_db(killed)
            stored = db.count_documents()
            if stored >= 20:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 20 <= stored < N, f"kill came too late to test anything: {stored}"
    assert (jobdir / "running").exists()  # the marker of an unclean stop

    before = sum(v for (h, k), v in site.hits.items() if k.startswith("/judgment/"))
    stats = tmp_path / "rerun.json"
    subprocess.run(crawl_command("court", killed, stats, jobdir=jobdir, progress=False, settings=settings),
                   env=env, check=True)
    import json

    rerun = json.loads(stats.read_text())
    assert rerun["unchanged"] >= 20  # stored pages answered 304: not fetched in full again
    assert not jobdir.exists()  # a finished crawl leaves no job state behind

    ref, got = open_db(complete), open_db(killed)
    ref_ids = sorted(d.id for d in ref.iter_documents("court"))
    got_ids = sorted(d.id for d in got.iter_documents("court"))
    assert len(got_ids) == len(set(got_ids)) == N  # no duplicate
    assert got_ids == ref_ids  # nothing lost
    linked = {m.credit_code for d in got.iter_documents("court") for m in d.mentions}
    assert linked == set(codes)
    after = sum(v for (h, k), v in site.hits.items() if k.startswith("/judgment/"))
    assert after - before <= N  # each detail page at most once more (304 or fetch)
