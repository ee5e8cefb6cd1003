"""Schema of ``config/schedule.yaml``: the jobs ``smoke schedule`` runs and when.

Cron expressions have five fields (minute hour day month weekday) or six, with
seconds first (``"30 0 3 * * *"`` = 03:00:30), and are read in ``timezone``.
Jobs that share a ``lock`` never run at the same time, in one scheduler or in two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config import ConfigError, config_path, load_yaml

TASKS = ("cycle", "deliver_alerts")


def cron_fields(expr: str) -> dict[str, str]:
    """The APScheduler CronTrigger keyword fields of a 5- or 6-field cron expression."""
    parts = expr.split()
    if len(parts) == 5:
        names = ("minute", "hour", "day", "month", "day_of_week")
    elif len(parts) == 6:
        names = ("second", "minute", "hour", "day", "month", "day_of_week")
    else:
        raise ValueError("expected a cron expression with 5 or 6 fields")
    return dict(zip(names, parts, strict=True))


class JobSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cron: str = Field(..., description="5 fields (min hour day month dow) or 6 with seconds first.")
    task: Literal["cycle", "deliver_alerts"] = Field("cycle", description="What the job does.")
    sources: list[str] | None = Field(None, description="For task cycle: crawl only these sources (None: all).")
    enabled: bool = True
    lock: str = Field("cycle", pattern=r"^[a-z0-9_-]{1,40}$", description="Jobs with the same lock never overlap.")
    misfire_grace_time_s: int | None = Field(None, ge=1, description="Overrides the top-level value for this job.")
    description: str = ""

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, v: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        fields = cron_fields(v)
        try:
            CronTrigger(**fields, timezone="UTC")
        except ValueError as exc:
            raise ValueError(f"expected a valid cron expression ({exc})") from exc
        return v


class ScheduleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str = "Asia/Shanghai"
    misfire_grace_time_s: int = Field(3600, ge=1, description="A run missed by less than this still runs (once).")
    coalesce: bool = Field(True, description="Several missed runs of one job run once.")
    max_instances: int = Field(1, ge=1, description="Runs of one job at the same time within one scheduler.")
    jobs: dict[str, JobSpec] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _valid_tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("expected an IANA time zone such as Asia/Shanghai") from exc
        return v

    @model_validator(mode="after")
    def _job_names(self) -> ScheduleFile:
        import re

        for name in self.jobs:
            if not re.fullmatch(r"[a-z0-9_-]{1,40}", name):
                raise ValueError(f"expected job names of a-z, 0-9, _ or -, got {name!r}")
        return self


def load_schedule_file(path: Path | None = None) -> ScheduleFile:
    """Read and validate ``config/schedule.yaml`` (or ``path``); raises ``ConfigError``,
    also for a job naming a source that is not configured (it would fail at 02:30)."""
    from config.sources import load_sources

    p = Path(path) if path else config_path("schedule.yaml")
    schedule = load_yaml(p, ScheduleFile)
    configured = load_sources(include_disabled=True)
    for name, job in schedule.jobs.items():
        unknown = [s for s in job.sources or [] if s not in configured]
        if unknown:
            raise ConfigError(f"{p}: jobs.{name}.sources: unknown source(s) {', '.join(unknown)}; "
                              f"configured: {', '.join(configured)}")
    return schedule
