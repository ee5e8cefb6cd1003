"""The scheduler: APScheduler 3 runs the jobs of ``config/schedule.yaml``.

* Persistent job store (SQLAlchemy on ``$SMOKE_HOME/scheduler.db``): a run missed
  while the scheduler was down still happens after a restart if it is within the
  misfire grace time, and several missed runs coalesce into one.
* ``max_instances`` (1) keeps one scheduler from overlapping a job with itself.
* Across processes, every run holds ``fcntl.flock`` on ``$SMOKE_HOME/locks/<lock>.lock``
  for its whole duration; a scheduler that finds it held logs and skips. After taking
  the lock a run also checks ``<job>.last``: if another scheduler already ran this
  occurrence (the same cron slot), it skips too. Two schedulers started together
  therefore run a cycle once, not twice.

The scheduled callable is always ``smoke.schedule:run_job`` with the job name (a
textual reference the job store can persist); what a job does comes from
``job_funcs`` given to ``build_scheduler`` (tests) or the built-in tasks.
"""

from __future__ import annotations

import logging
import pickle
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from config.schedule import JobSpec, ScheduleFile, cron_fields, load_schedule_file
from smoke.locking import LockBusy, file_lock, lock_path

log = logging.getLogger(__name__)

JobFunc = Callable[[], Any]
RAN, SKIPPED_LOCKED, SKIPPED_DONE = "ran", "skipped: lock held", "skipped: already run"


# --- what jobs do ------------------------------------------------------------


def _task_cycle(spec: JobSpec) -> JobFunc:
    def run() -> Any:
        from smoke.cycle import run_cycle  # imported late: the cycle pulls in everything

        return run_cycle(sources=spec.sources, progress=False)

    return run


def _task_deliver_alerts(spec: JobSpec) -> JobFunc:
    def run() -> Any:
        from indexing.store import open_store
        from smoke.alerts import deliver_pending

        with open_store() as store:
            return deliver_pending(store)

    return run


TASKS: dict[str, Callable[[JobSpec], JobFunc]] = {"cycle": _task_cycle, "deliver_alerts": _task_deliver_alerts}


@dataclass(slots=True)
class _Runtime:
    config: ScheduleFile
    home: Path
    job_funcs: dict[str, JobFunc] = field(default_factory=dict)

    def func(self, name: str) -> JobFunc:
        if name in self.job_funcs:
            return self.job_funcs[name]
        spec = self.config.jobs[name]
        if spec.task in self.job_funcs:
            return self.job_funcs[spec.task]
        return TASKS[spec.task](spec)


_runtime: _Runtime | None = None


def _configure(config: ScheduleFile, home: Path, job_funcs: dict[str, JobFunc] | None) -> _Runtime:
    global _runtime
    _runtime = _Runtime(config=config, home=Path(home), job_funcs=dict(job_funcs or {}))
    return _runtime


def _home() -> Path:
    from config.settings import get_settings

    return get_settings().home


# --- one run under the lock --------------------------------------------------


def trigger_for(spec: JobSpec, tz: str) -> CronTrigger:
    return CronTrigger(**cron_fields(spec.cron), timezone=ZoneInfo(tz))


def current_slot(spec: JobSpec, config: ScheduleFile, now: datetime | None = None) -> datetime | None:
    """The newest scheduled time of ``spec`` at or before ``now`` within the misfire grace time:
    the occurrence a scheduler firing now is running."""
    tz = ZoneInfo(config.timezone)
    now = (now or datetime.now(tz)).astimezone(tz)
    grace = spec.misfire_grace_time_s or config.misfire_grace_time_s
    trigger = trigger_for(spec, config.timezone)
    slot = None
    t = trigger.get_next_fire_time(None, now - timedelta(seconds=grace))
    for _ in range(100_000):  # bounded: a per-second cron over a long grace time
        if t is None or t > now:
            break
        slot = t
        t = trigger.get_next_fire_time(t, t + timedelta(microseconds=1))
    return slot


def _marker(home: Path, name: str) -> Path:
    return Path(home) / "locks" / f"{name}.last"


def _run_locked(rt: _Runtime, name: str, slot: datetime | None) -> str:
    spec = rt.config.jobs[name]
    path = lock_path(rt.home, spec.lock)
    try:
        with file_lock(path, what=f"job {name}"):
            marker = _marker(rt.home, name)
            if slot is not None and marker.exists():
                done = marker.read_text(encoding="utf-8").strip()
                if done and datetime.fromisoformat(done) >= slot:
                    log.info("job %s: the %s run was already done by another scheduler; skipping", name, slot)
                    return SKIPPED_DONE
            if slot is not None:
                # Written before the work: a second scheduler arriving after we finish
                # must not run this occurrence again, even if ours failed (it is logged).
                marker.write_text(slot.isoformat(), encoding="utf-8")
            started = time.monotonic()
            log.info("job %s: starting", name)
            rt.func(name)()
            log.info("job %s: done in %.1fs", name, time.monotonic() - started)
            return RAN
    except LockBusy as exc:
        log.warning("job %s: skipped, lock %s is held (%s)", name, spec.lock, exc.holder or "holder unknown")
        return SKIPPED_LOCKED


def run_job(name: str) -> str:
    """What the scheduler calls: run job ``name`` for its current slot, under its lock."""
    rt = _runtime
    if rt is None:  # a job store loaded by a process that did not build the scheduler
        rt = _configure(load_schedule_file(), _home(), None)
    if name not in rt.config.jobs:
        log.error("job %s is not in the schedule configuration any more; skipping", name)
        return SKIPPED_DONE
    return _run_locked(rt, name, current_slot(rt.config.jobs[name], rt.config))


def run_once(
    name: str,
    config: ScheduleFile | None = None,
    *,
    job_funcs: dict[str, JobFunc] | None = None,
    home: Path | None = None,
) -> str:
    """Run job ``name`` now (``smoke schedule --once``), under the same lock as scheduled runs."""
    config = config or load_schedule_file()
    if name not in config.jobs:
        from config import ConfigError

        raise ConfigError(f"config/schedule.yaml: jobs: no job named {name!r} (have: {', '.join(config.jobs)})")
    rt = _configure(config, Path(home) if home else _home(), job_funcs)
    return _run_locked(rt, name, None)


# --- the scheduler -----------------------------------------------------------


def _stored_jobs(db: Path) -> dict[str, tuple[str, datetime | None]]:
    """What the persistent job store holds: job id -> (trigger description, next run time)."""
    if not db.exists():
        return {}
    out: dict[str, tuple[str, datetime | None]] = {}
    con = sqlite3.connect(db, timeout=30)
    try:
        rows = con.execute("SELECT id, job_state FROM apscheduler_jobs").fetchall()
    except sqlite3.OperationalError:  # table not created yet
        return {}
    finally:
        con.close()
    for job_id, blob in rows:
        try:
            state = pickle.loads(blob)  # our own job store file, written by APScheduler
            out[job_id] = (repr(state["trigger"]), state.get("next_run_time"))
        except Exception:  # unreadable: replace it
            continue
    return out


def _drop_stale(db: Path, keep: set[str]) -> None:
    if not db.exists():
        return
    con = sqlite3.connect(db, timeout=30)
    try:
        ids = [r[0] for r in con.execute("SELECT id FROM apscheduler_jobs")]
        for job_id in ids:
            if job_id not in keep:
                con.execute("DELETE FROM apscheduler_jobs WHERE id = ?", (job_id,))
                log.info("removed job %s from the job store (no longer in the configuration)", job_id)
        con.commit()
    except sqlite3.OperationalError:
        pass
    finally:
        con.close()


def _on_event(event: JobExecutionEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning("job %s missed its %s run (beyond the misfire grace time)", event.job_id, event.scheduled_run_time)
    elif event.code == EVENT_JOB_ERROR:
        log.error("job %s failed: %r", event.job_id, event.exception, exc_info=event.exception)
    else:
        log.info("job %s finished: %s", event.job_id, event.retval)


def build_scheduler(
    config: ScheduleFile | None = None,
    *,
    job_funcs: dict[str, JobFunc] | None = None,
    home: Path | None = None,
    scheduler_cls: type[BaseScheduler] = BlockingScheduler,
) -> BaseScheduler:
    """A scheduler (not started) with the enabled jobs of ``config`` on the persistent store.

    ``job_funcs`` maps a job name or a task name to a no-argument callable that
    replaces the built-in task (dependency injection for tests).
    """
    config = config or load_schedule_file()
    home = Path(home) if home else _home()
    home.mkdir(parents=True, exist_ok=True)
    _configure(config, home, job_funcs)
    db = home / "scheduler.db"
    tz = ZoneInfo(config.timezone)
    enabled = {name: spec for name, spec in config.jobs.items() if spec.enabled}
    jobstore = SQLAlchemyJobStore(url=f"sqlite:///{db}")
    # Two schedulers starting at once would both try to create the job table (and one
    # fail with "table already exists"): create it here, one process at a time.
    with file_lock(lock_path(home, "scheduler-db"), what="scheduler start", timeout_s=60):
        jobstore.jobs_t.create(jobstore.engine, checkfirst=True)
        _drop_stale(db, set(enabled))
        stored = _stored_jobs(db)
    scheduler = scheduler_cls(
        jobstores={"default": jobstore},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={
            "coalesce": config.coalesce,
            "max_instances": config.max_instances,
            "misfire_grace_time": config.misfire_grace_time_s,
        },
        timezone=tz,
    )
    for name, spec in enabled.items():
        trigger = trigger_for(spec, config.timezone)
        kwargs: dict[str, Any] = {}
        old = stored.get(name)
        if old and old[0] == repr(trigger) and old[1] is not None:
            # Same schedule as before the restart: keep the stored next run time, so a
            # run missed while we were down still happens (within the grace time).
            kwargs["next_run_time"] = old[1]
        scheduler.add_job(
            "smoke.schedule:run_job",
            trigger=trigger,
            args=[name],
            id=name,
            name=spec.description or name,
            replace_existing=True,
            misfire_grace_time=spec.misfire_grace_time_s or config.misfire_grace_time_s,
            coalesce=config.coalesce,
            max_instances=config.max_instances,
            **kwargs,
        )
    scheduler.add_listener(_on_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_EXECUTED)
    return scheduler


def _last_slot(home: Path, name: str) -> str:
    marker = _marker(home, name)
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else "—"


def _holder_text(holder: dict | None) -> str:
    # The lock file names its holder only while held (it is emptied on release).
    return f"{holder.get('what', '?')} (pid {holder.get('pid')}, since {holder.get('since')})" if holder else ""


def describe_jobs(
    config: ScheduleFile, now: datetime | None = None, home: Path | None = None
) -> list[dict[str, str]]:
    """Each configured job with its cron, lock, next run time, last scheduled run and who
    holds its lock right now (for ``smoke schedule --list``)."""
    from smoke.locking import read_holder

    home = Path(home) if home else _home()
    tz = ZoneInfo(config.timezone)
    now = now or datetime.now(tz)
    rows = []
    for name, spec in config.jobs.items():
        nxt = trigger_for(spec, config.timezone).get_next_fire_time(None, now) if spec.enabled else None
        rows.append(
            {
                "job": name,
                "cron": spec.cron,
                "task": spec.task + (f" {','.join(spec.sources)}" if spec.sources else ""),
                "lock": spec.lock,
                "enabled": "yes" if spec.enabled else "no",
                "next_run": nxt.isoformat(timespec="seconds") if nxt else "—",
                "last_run": _last_slot(home, name),
                "running": _holder_text(read_holder(lock_path(home, spec.lock))),
                "description": spec.description,
            }
        )
    return rows
