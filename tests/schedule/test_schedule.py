"""The scheduler: config validation, the cross-process lock, the per-slot marker, the
persistent job store (missed runs), and two real scheduler processes on one SMOKE_HOME."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from apscheduler.schedulers.background import BackgroundScheduler

from config import ConfigError, load_yaml
from config.schedule import JobSpec, ScheduleFile, load_schedule_file
from smoke.cli_text import TEXT
from smoke.locking import LockBusy, file_lock, lock_path
from smoke.schedule import RAN, SKIPPED_DONE, SKIPPED_LOCKED, build_scheduler, current_slot, run_job, run_once

TZ = ZoneInfo("Asia/Shanghai")


def _cron_at(t: datetime) -> str:
    """A 6-field cron (seconds first) that fires once a day at ``t`` (Asia/Shanghai)."""
    t = t.astimezone(TZ)
    return f"{t.second} {t.minute} {t.hour} * * *"


def _cfg(jobs: dict, **top) -> ScheduleFile:
    return ScheduleFile.model_validate({"jobs": jobs, **top})


# --- configuration -----------------------------------------------------------


def test_bundled_schedule_is_valid() -> None:
    cfg = load_schedule_file()
    assert cfg.timezone == "Asia/Shanghai"
    assert cfg.coalesce and cfg.max_instances == 1
    assert cfg.jobs["cycle"].task == "cycle" and cfg.jobs["cycle"].sources is None
    assert cfg.jobs["complaints"].sources and cfg.jobs["complaints"].lock == cfg.jobs["cycle"].lock


@pytest.mark.parametrize(
    ("doc", "field", "expected"),
    [
        ({"jobs": {"cycle": {"cron": "61 2 * * *"}}}, "jobs.cycle.cron", "valid cron"),
        ({"jobs": {"cycle": {"cron": "* * *"}}}, "jobs.cycle.cron", "5 or 6 fields"),
        ({"timezone": "Mars/Olympus", "jobs": {}}, "timezone", "iana time zone"),
        ({"jobs": {"cycle": {"cron": "0 2 * * *", "task": "dance"}}}, "jobs.cycle.task", "'cycle' or 'deliver_alerts'"),
        ({"jobs": {"cycle": {"cron": "0 2 * * *", "retries": 3}}}, "jobs.cycle.retries", "extra inputs"),
        ({"misfire_grace_time_s": 0}, "misfire_grace_time_s", "greater than or equal to 1"),
    ],
)
def test_config_errors_name_file_field_and_expectation(tmp_path: Path, doc: dict, field: str, expected: str) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_yaml(path, ScheduleFile)
    msg = str(err.value).lower()
    assert str(path).lower() in msg and field in msg and expected in msg, msg


def test_cli_reports_config_error(tmp_path: Path, launcher: list[str], sub_env: dict) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("jobs:\n  cycle:\n    cron: 'every day'\n", encoding="utf-8")
    r = subprocess.run([*launcher, "schedule", "--list", "--config", str(bad)], env=sub_env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "bad.yaml" in r.stderr and "jobs.cycle.cron" in r.stderr


# --- the lock and the per-slot marker ----------------------------------------


def test_file_lock_excludes_a_second_holder(tmp_path: Path) -> None:
    path = lock_path(tmp_path, "cycle")
    with file_lock(path, what="first"):
        with pytest.raises(LockBusy) as busy, file_lock(path, what="second"):
            pass
        assert busy.value.holder["what"] == "first"
    with file_lock(path, what="third"):  # released after the block
        pass


def test_current_slot_is_the_latest_fire_time_within_grace() -> None:
    cfg = _cfg({"cycle": {"cron": "30 2 * * *"}}, misfire_grace_time_s=3600)
    spec = cfg.jobs["cycle"]
    at = datetime(2024, 5, 1, 2, 45, tzinfo=TZ)
    assert current_slot(spec, cfg, at) == datetime(2024, 5, 1, 2, 30, tzinfo=TZ)
    assert current_slot(spec, cfg, datetime(2024, 5, 1, 4, 0, tzinfo=TZ)) is None  # beyond the grace time


def test_same_slot_runs_once_across_schedulers(home: Path) -> None:
    runs: list[str] = []
    cfg = _cfg({"cycle": {"cron": "* * * * *"}})
    build_scheduler(cfg, job_funcs={"cycle": lambda: runs.append("x")}, home=home, scheduler_cls=BackgroundScheduler)
    # Two schedulers firing for the same minute, one after the other (the first one was quick):
    assert run_job("cycle") == RAN
    assert run_job("cycle") == SKIPPED_DONE
    assert runs == ["x"]


def test_job_skips_while_another_holds_the_lock(home: Path) -> None:
    runs: list[str] = []
    cfg = _cfg({"cycle": {"cron": "0 2 * * *"}, "complaints": {"cron": "0 * * * *", "sources": ["complaint"]}})
    with file_lock(lock_path(home, "cycle"), what="someone else"):
        assert run_once("complaints", cfg, job_funcs={"complaints": lambda: runs.append("c")}, home=home) == SKIPPED_LOCKED
    assert runs == []
    assert run_once("complaints", cfg, job_funcs={"complaints": lambda: runs.append("c")}, home=home) == RAN
    assert runs == ["c"]


def test_run_once_unknown_job_is_a_config_error(home: Path) -> None:
    with pytest.raises(ConfigError, match="no job named 'nope'"):
        run_once("nope", _cfg({"cycle": {"cron": "0 2 * * *"}}), home=home)


def test_builtin_cycle_task_calls_run_cycle_with_sources(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    calls: list[dict] = []
    fake = types.ModuleType("smoke.cycle")
    fake.run_cycle = lambda **kw: calls.append(kw)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "smoke.cycle", fake)
    cfg = _cfg({"complaints": {"cron": "0 * * * *", "sources": ["complaint"]}})
    assert run_once("complaints", cfg, home=home) == RAN
    assert calls == [{"sources": ["complaint"], "progress": False}]


# --- the persistent job store ------------------------------------------------


def _start_and_stop_before(home: Path, cfg: ScheduleFile, runs: list[str]) -> None:
    s = build_scheduler(cfg, job_funcs={"cycle": lambda: runs.append("early")}, home=home, scheduler_cls=BackgroundScheduler)
    s.start()
    s.shutdown(wait=True)


def test_missed_run_within_grace_runs_once_after_restart(home: Path) -> None:
    runs: list[str] = []
    fire = datetime.now(TZ) + timedelta(seconds=2)
    cfg = _cfg({"cycle": {"cron": _cron_at(fire)}}, misfire_grace_time_s=600)
    _start_and_stop_before(home, cfg, runs)  # persists next_run_time = fire
    time.sleep(max(0.0, (fire - datetime.now(TZ)).total_seconds()) + 1.2)  # the scheduler was "down" at fire time
    done = threading.Event()
    s = build_scheduler(cfg, job_funcs={"cycle": lambda: (runs.append("late"), done.set())}, home=home, scheduler_cls=BackgroundScheduler)
    s.start()
    try:
        assert done.wait(10), "the missed run did not happen after the restart"
        time.sleep(0.5)
    finally:
        s.shutdown(wait=True)
    assert runs == ["late"]
    assert (home / "locks" / "cycle.last").read_text(encoding="utf-8").startswith(fire.replace(microsecond=0).isoformat()[:19])


def test_missed_run_beyond_grace_is_skipped(home: Path) -> None:
    runs: list[str] = []
    fire = datetime.now(TZ) + timedelta(seconds=1)
    cfg = _cfg({"cycle": {"cron": _cron_at(fire)}}, misfire_grace_time_s=1)
    _start_and_stop_before(home, cfg, runs)
    time.sleep(max(0.0, (fire - datetime.now(TZ)).total_seconds()) + 2.5)
    s = build_scheduler(cfg, job_funcs={"cycle": lambda: runs.append("late")}, home=home, scheduler_cls=BackgroundScheduler)
    s.start()
    time.sleep(1.0)
    s.shutdown(wait=True)
    assert runs == []


# --- two real scheduler processes ----------------------------------------------


def _runs(sub_env: dict) -> list[str]:
    p = Path(sub_env["FAKE_CYCLE_OUT"])
    return p.read_text(encoding="utf-8").splitlines() if p.exists() else []


@pytest.mark.slow
def test_two_schedulers_started_together_run_one_cycle(tmp_path: Path, launcher: list[str], sub_env: dict) -> None:
    fire = datetime.now(TZ) + timedelta(seconds=5)
    cfg = tmp_path / "schedule.yaml"
    cfg.write_text(
        yaml.safe_dump({"timezone": "Asia/Shanghai", "jobs": {"cycle": {"cron": _cron_at(fire), "task": "cycle"}}}),
        encoding="utf-8",
    )
    procs = [
        subprocess.Popen([*launcher, "schedule", "--config", str(cfg)], env=sub_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        # fire time + the job's 2 s sleep + margin
        time.sleep(max(0.0, (fire - datetime.now(TZ)).total_seconds()) + 4)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        outs = [p.communicate(timeout=30) for p in procs]
    logs = "\n".join(err for _, err in outs)
    assert all(p.returncode == 0 for p in procs), logs
    runs = _runs(sub_env)
    assert len(runs) == 1, (runs, logs)
    assert logs.count(TEXT["schedule.stopped"][0]) == 2  # the default language: Chinese


@pytest.mark.slow
def test_two_once_runs_at_the_same_moment_run_one_cycle(launcher: list[str], sub_env: dict) -> None:
    procs = [
        subprocess.Popen([*launcher, "schedule", "--once", "cycle"], env=sub_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 5], outs  # 5: busy (smoke.errors)
    assert len(_runs(sub_env)) == 1
    out = "\n".join(o for o, _ in outs)
    assert "job cycle: ran" in out and "job cycle: skipped: lock held" in out


def test_once_complaints_passes_sources(launcher: list[str], sub_env: dict) -> None:
    sub_env = {**sub_env, "FAKE_CYCLE_SLEEP": "0"}
    r = subprocess.run([*launcher, "schedule", "--once", "complaints"], env=sub_env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    runs = _runs(sub_env)
    assert len(runs) == 1 and runs[0].endswith("['complaints']")


def test_jobspec_defaults() -> None:
    spec = JobSpec(cron="0 2 * * *")
    assert spec.task == "cycle" and spec.lock == "cycle" and spec.enabled


def test_list_shows_next_last_and_lock_holder(home: Path, launcher: list[str], sub_env: dict) -> None:
    from smoke.schedule import describe_jobs

    cfg = _cfg({"cycle": {"cron": "* * * * *"}})
    build_scheduler(cfg, job_funcs={"cycle": lambda: None}, home=home, scheduler_cls=BackgroundScheduler)
    assert run_job("cycle") == RAN
    with file_lock(lock_path(home, "cycle"), what="job cycle"):
        (row,) = describe_jobs(cfg, home=home)
        assert row["last_run"] != "—" and "job cycle" in row["running"]
    (row,) = describe_jobs(cfg, home=home)
    assert row["running"] == ""
    r = subprocess.run([*launcher, "schedule", "--list"], env=sub_env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "complaints" in r.stdout and "next=" in r.stdout
