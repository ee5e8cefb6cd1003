"""`smoke schedule`: run the jobs of config/schedule.yaml, or one job now."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
from pathlib import Path

import click

from smoke.cli_text import t
from smoke.errors import EXIT_BUSY

RC_SKIPPED = EXIT_BUSY  # --once found the job's lock held (another run is going on)


def _setup_logging() -> None:
    from config.settings import get_settings

    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=get_settings().log_level,
            stream=sys.stderr,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )


@click.command("schedule")
@click.option("--once", "once", metavar="JOB", help="Run JOB now (under the same lock as scheduled runs) and exit.")
@click.option(
    "--list", "list_jobs", is_flag=True, help="Show the jobs, their next and last runs and running holders, then exit."
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Schedule file instead of config/schedule.yaml.",
)
def schedule(once: str | None, list_jobs: bool, config_file: Path | None) -> None:
    """运行定时任务（每日完整周期、频繁的投诉采集、预警重试）。

    Run the scheduled jobs (daily full cycle, frequent complaint crawl, alert retries).

    Jobs and their cron times (Asia/Shanghai) come from config/schedule.yaml. The job
    store is $SMOKE_HOME/scheduler.db (missed runs within the grace time run once after
    a restart). Jobs sharing a lock never overlap, even across two schedulers on one
    SMOKE_HOME: the second one logs and skips. Stop with Ctrl-C or SIGTERM.

    With --once JOB the job runs now and the exit status is 0 when it ran, 5 (busy)
    when it was skipped because another run holds its lock.
    """
    from config.schedule import load_schedule_file
    from smoke.schedule import RAN, build_scheduler, describe_jobs, run_once

    _setup_logging()
    config = load_schedule_file(config_file)
    if list_jobs:
        for row in describe_jobs(config):
            click.echo(
                f"{row['job']:<16} {row['cron']:<16} {row['task']:<24} lock={row['lock']:<8} "
                f"enabled={row['enabled']:<3} next={row['next_run']} last={row['last_run']}  {row['description']}"
            )
            if row["running"]:
                click.echo(f"{'':<16} " + t("schedule.lock_held", by=row["running"]))
        return
    if once:
        click.echo(t("schedule.running", job=once), err=True)
        status = run_once(once, config)
        click.echo(f"job {once}: {status}")
        if status != RAN:
            sys.exit(RC_SKIPPED)
        return
    scheduler = build_scheduler(config)

    def _stop(signum: int, frame: object) -> None:
        from apscheduler.schedulers import SchedulerNotRunningError

        click.echo(t("schedule.stopping"), err=True)
        with contextlib.suppress(SchedulerNotRunningError):  # a second SIGTERM while the job finishes
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    for row in describe_jobs(config):
        if row["enabled"] == "yes":
            click.echo(t("schedule.scheduled", job=row["job"], cron=row["cron"], next=row["next_run"]), err=True)
    try:
        scheduler.start()
    except KeyboardInterrupt:
        _stop(signal.SIGINT, None)
    click.echo(t("schedule.stopped"), err=True)


COMMANDS = [schedule]
