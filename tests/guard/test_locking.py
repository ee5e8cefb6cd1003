"""Locks scoped to a store (issue 12, point 2): a dead holder's lock is released and
reported, a live one is named, a crawler never takes over a live job folder, and only
runs whose process is gone are marked interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.settings import get_settings
from crawlers.crawl import claim_jobdir
from indexing.models import Run
from indexing.store.sqlite import SQLiteStore
from smoke.locking import LockBusy, file_lock, read_holder, store_lock, store_lock_dir
from smoke.runguard import live_run, sweep_interrupted
from tests.guard.conftest import ROOT, wait_for

HOLD = """
import sys, time
from pathlib import Path
from smoke.locking import file_lock
with file_lock(Path(sys.argv[1]), what="holder under test"):
    print("held", flush=True)
    time.sleep(600)
"""


def _holder(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_live_holder_is_named_and_a_killed_one_released(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    path = tmp_path / "cycle.lock"
    proc = _holder(path)
    t0 = time.monotonic()
    with pytest.raises(LockBusy) as busy, file_lock(path, what="second", timeout_s=0.5):
        pass
    assert time.monotonic() - t0 >= 0.5  # it waited as long as asked
    msg = str(busy.value)
    assert f"held by pid {proc.pid} (holder under test) since 20" in msg and "waited" in msg
    os.kill(proc.pid, signal.SIGKILL)  # no `finally` runs: its record stays in the file
    proc.wait()
    assert read_holder(path)["pid"] == proc.pid
    with file_lock(path, what="next run"):
        assert read_holder(path)["pid"] == os.getpid()
    err = capfd.readouterr().err
    assert f"released the lock left by pid {proc.pid} (holder under test" in err and "which is gone" in err


def test_one_store_one_lock_folder_whatever_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "shared" / "smoke.db"
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path / "home-a"))
    a = get_settings()
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path / "home-b"))
    b = get_settings()
    assert store_lock_dir(a, db) == store_lock_dir(b, db) == tmp_path / "shared" / "smoke.db.locks"
    with (store_lock(a, "crawl-court", "home a", sqlite_path=db), pytest.raises(LockBusy),
          store_lock(b, "crawl-court", "home b", sqlite_path=db)):
        pass


def test_a_second_crawler_leaves_a_live_job_folder_alone(tmp_path: Path) -> None:
    jobdir = tmp_path / "jobs" / "court"
    fd = claim_jobdir(jobdir)  # a live crawler of this job
    jobdir.mkdir(parents=True)
    (jobdir / "running").write_text(str(os.getpid()))
    (jobdir / "requests.queue").write_text("the live crawler's queue")
    r = subprocess.run([sys.executable, "-m", "crawlers.crawl", "--source", "court", "--store", str(tmp_path / "s.db"),
                        "--jobdir", str(jobdir), "--no-progress"], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    os.close(fd)
    assert r.returncode == 75, r.stderr[-1500:]
    assert f"in use by crawler pid {os.getpid()}" in r.stderr
    assert (jobdir / "requests.queue").read_text() == "the live crawler's queue"  # not deleted


def test_only_runs_whose_process_is_gone_are_marked_interrupted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    settings = get_settings()
    store = SQLiteStore(settings.sqlite_path)
    for rid in ("crawl-alive", "crawl-dead"):
        store.save_run(Run(id=rid, started="2026-01-01T00:00:00", kind="crawl"))
    with live_run(settings, "crawl-alive"):
        assert sweep_interrupted(store, settings) == ["crawl-dead"]
    status = {r.id: r.status for r in store.list_runs()}
    assert status == {"crawl-alive": "running", "crawl-dead": "interrupted"}
    assert sweep_interrupted(store, settings) == ["crawl-alive"]  # its process let go now
    store.close()


def test_wait_option_waits_for_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    proc = _holder(path)
    killer = subprocess.Popen(["sh", "-c", f"sleep 1; kill -9 {proc.pid}"])
    with file_lock(path, what="patient", timeout_s=30):
        pass
    killer.wait()
    wait_for(lambda: proc.poll() is not None, 5, "holder gone")
