"""The scheduler's cycle job runs the real cycle: a small sandbox world under SMOKE_HOME is
served, crawled, scored, alerted and exported by `smoke schedule --once cycle`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.world import generate

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_once_cycle_runs_the_real_cycle(tmp_path: Path) -> None:
    home = tmp_path / "home"
    generate(home / "world", companies=60, seed=19)  # the cycle's demo world, kept small
    env = {**os.environ, "SMOKE_HOME": str(home), "PYTHONPATH": str(ROOT), "SMOKE_SOURCES": "sandbox"}
    done = subprocess.run([sys.executable, "-m", "smoke", "schedule", "--once", "cycle"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "job cycle: ran" in done.stdout
    with sqlite3.connect(home / "smoke.db") as db:
        assert db.execute("select count(*) from companies").fetchone()[0] == 60
        assert db.execute("select count(distinct credit_code) from scores").fetchone()[0] == 60
        assert db.execute("select count(*) from documents").fetchone()[0] > 30
    assert list((home / "exports").glob("high-risk-*.csv"))
    assert list((home / "alerts").glob("digest-*.jsonl"))
