"""Overlapping and killed runs on one store (issue 12, points 2, 3 and 6): real `smoke run`
processes over a small sandbox world, counts compared with a clean run."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.guard.conftest import (
    alive,
    children_of,
    counts,
    runs,
    smoke,
    start_smoke,
    wait_for,
)

pytestmark = pytest.mark.slow


def test_two_runs_one_second_apart_one_refuses_nothing_lost(small_world, clean_counts, tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = start_smoke(home, "run", "--world", str(small_world), log=tmp_path / "first.log")
    time.sleep(1)
    second = smoke(home, "run", "--world", str(small_world))
    assert first.wait(timeout=300) == 0, (tmp_path / "first.log").read_text()[-2000:]
    assert second.returncode == 5, second.stderr[-2000:]
    line = second.stderr.strip().splitlines()[-1]
    assert line.startswith("busy: ") and f"held by pid {first.pid} (smoke run) since " in line, line
    got = counts(home)
    print(f"\noverlap (refuse): second exit {second.returncode}: {line}\n  {_brief(got)} vs clean {_brief(clean_counts)}")
    assert got == clean_counts


def test_two_runs_one_second_apart_the_second_waits_nothing_lost(small_world, clean_counts, tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = start_smoke(home, "run", "--world", str(small_world), log=tmp_path / "first.log")
    time.sleep(1)
    second = smoke(home, "run", "--world", str(small_world), "--wait", "300")
    assert first.wait(timeout=300) == 0, (tmp_path / "first.log").read_text()[-2000:]
    assert second.returncode == 0, second.stderr[-2000:]
    got = counts(home)
    print(f"\noverlap (--wait): both exit 0: {_brief(got)} vs clean {_brief(clean_counts)}")
    assert got == clean_counts
    cycles = [r for r in runs(home) if r["kind"] == "cycle"]
    assert [r["status"] for r in cycles] == ["ok", "ok"]


def _brief(c: dict) -> str:
    return (f"companies {c['companies']}, documents {c['documents']}, scored {c['scored']}, "
            f"alerts {len(c['alerts'])}, export rows {len(c['export_rows'])}")


def _cmdline(pid: int) -> bytes:
    """A process's command line, or b"" once it has exited (it may, between listing and reading)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _crawlers(pid: int) -> list[int]:
    return [c for c in children_of(pid) if b"crawlers.crawl" in _cmdline(c)]


def test_a_killed_parent_leaves_no_crawler_and_its_runs_read_interrupted(small_world, clean_counts,
                                                                         tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = start_smoke(home, "run", "--world", str(small_world), log=tmp_path / "run.log")
    crawlers: list[int] = []

    def crawling() -> bool:
        crawlers[:] = _crawlers(proc.pid)
        return bool(crawlers)

    wait_for(crawling, 120, "a crawler child")
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its children must follow by themselves
    proc.wait()
    wait_for(lambda: not any(alive(c) for c in crawlers), 5, f"crawlers {crawlers} to die with their parent")

    again = smoke(home, "run", "--world", str(small_world))
    assert again.returncode == 0, again.stderr[-2000:]
    assert "interrupted" in again.stderr
    assert counts(home) == clean_counts
    states = {(r["kind"], r["status"]) for r in runs(home)}
    assert ("cycle", "interrupted") in states and ("crawl", "interrupted") in states, states
    assert not any(r["status"] == "running" for r in runs(home))
    text = smoke(home, "runs", "--limit", "50").stdout
    assert "INTERRUPTED: its process was killed" in text


# Progress lines after which the whole process group gets SIGKILL: during the crawl (and
# the store writes of the crawlers), the scoring, the alerts and their delivery, the export.
STAGES = {
    "crawl-and-store": "[crawl] court: starting",
    "scoring": "scoring (pass 1)",
    "alerts-delivery": "[cycle] scored",
    "export": "new alerts; delivery",
}


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_kill_9_at_any_stage_then_a_rerun_gives_the_clean_counts(stage: str, small_world, clean_counts,
                                                                  tmp_path: Path) -> None:
    home, log = tmp_path / "home", tmp_path / "run.log"
    proc = start_smoke(home, "run", "--world", str(small_world), log=log)
    wait_for(lambda: STAGES[stage] in log.read_text(errors="replace") or proc.poll() is not None, 180, stage)
    assert proc.poll() is None, f"the cycle ended before {stage}: {log.read_text()[-1500:]}"
    crawlers = _crawlers(proc.pid)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    wait_for(lambda: not any(alive(c) for c in crawlers), 5, "no crawler left")

    again = smoke(home, "run", "--world", str(small_world))
    assert again.returncode == 0, again.stderr[-2000:]
    assert counts(home) == clean_counts
    assert not list((home / "exports").glob(".*.part")), "a killed export left its part file"
    assert not any(r["status"] == "running" for r in runs(home))


def test_a_partial_cycle_says_so_in_exit_code_export_manifest_alerts_and_runs(small_world, tmp_path: Path) -> None:
    home, log = tmp_path / "home", tmp_path / "run.log"
    proc = start_smoke(home, "run", "--world", str(small_world), log=log)
    web: list[int] = []

    def web_crawling() -> bool:
        web[:] = [c for c in _crawlers(proc.pid) if b"--source\0web" in _cmdline(c)]
        return bool(web)

    wait_for(web_crawling, 180, "the web crawler")
    os.kill(web[0], signal.SIGKILL)  # one source dies; the cycle goes on without it
    assert proc.wait(timeout=300) == 4, log.read_text()[-2000:]
    out = log.read_text()
    assert "cycle PARTIAL" in out and "(PARTIAL: crawl partial" in out

    assert not list((home / "exports").glob("high-risk-*[0-9].csv")), "a partial export took the complete name"
    (export,) = (home / "exports").glob("high-risk-*.partial.csv")
    manifest = json.loads(export.with_name(export.name + ".manifest.json").read_text())
    assert manifest["complete"] is False
    assert manifest["crawl"]["status"] == "partial"
    assert manifest["crawl"]["sources"]["web"]["state"] == "failed"
    assert manifest["crawl"]["sources"]["registry"]["state"] == "complete"

    alerts = [json.loads(line) for line in smoke(home, "alerts", "list", "--json").stdout.splitlines()]
    assert alerts and all("partial cycle: not fully crawled: web" in a["message"] for a in alerts)
    text = smoke(home, "runs").stdout
    assert "PARTIAL: some source was not crawled in full" in text and "FAILED" in text
