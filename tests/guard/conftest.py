"""A small sandbox world and real `smoke` processes for the attack tests (issue 12)."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPANIES = 40


def smoke_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMOKE_")}
    # English output: these tests read the English error and status lines (the Chinese default is
    # tested in tests/test_cli_lang.py)
    return {**env, "SMOKE_HOME": str(home), "PYTHONPATH": str(ROOT), "SMOKE_LANG": "en", **extra}


def smoke(home: Path, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "smoke", *args], cwd=ROOT, env=smoke_env(home, **extra),
                          capture_output=True, text=True, timeout=timeout)


def start_smoke(home: Path, *args: str, log: Path, **extra: str) -> subprocess.Popen:
    """`smoke ARGS` in the background, stdout and stderr into ``log``."""
    f = log.open("wb")
    return subprocess.Popen([sys.executable, "-m", "smoke", *args], cwd=ROOT, env=smoke_env(home, **extra),
                            stdout=f, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for(cond: Callable[[], bool], timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def children_of(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def crawler_pids() -> dict[int, str]:
    """Live `python -m crawlers.crawl` processes: pid -> command line."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "crawlers.crawl" in cmd and alive(int(entry.name)):
                out[int(entry.name)] = cmd
    return out


def counts(home: Path) -> dict[str, object]:
    """What a cycle leaves behind, to compare with a clean run."""
    with sqlite3.connect(home / "smoke.db") as db:
        q = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        out: dict[str, object] = {
            "companies": q("select count(*) from companies"),
            "documents": q("select count(*) from documents"),
            "scored": q("select count(distinct credit_code) from scores"),
            "alerts": sorted(r[0] for r in db.execute("select id from alerts")),
        }
    exports = sorted((home / "exports").glob("high-risk-*.csv"))
    rows = []
    for path in exports:
        if ".partial." not in path.name:
            with path.open(encoding="utf-8-sig") as f:
                rows = sorted(r["统一社会信用代码"] for r in csv.DictReader(f))  # Chinese headers
    out["export_rows"] = rows
    return out


def runs(home: Path) -> list[dict]:
    return json.loads(smoke(home, "runs", "--json", "--limit", "50").stdout)


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sandbox.world import generate

    world = tmp_path_factory.mktemp("guard-world")
    generate(world, companies=COMPANIES, seed=5)
    return world


@pytest.fixture(scope="session")
def clean_counts(small_world: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One uninterrupted cycle over the small world: the reference."""
    home = tmp_path_factory.mktemp("guard-clean")
    done = smoke(home, "run", "--world", str(small_world))
    assert done.returncode == 0, done.stderr[-2000:]
    got = counts(home)
    assert got["documents"] and got["export_rows"] and got["alerts"], got
    return got
