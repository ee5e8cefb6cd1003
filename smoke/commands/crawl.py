"""`smoke crawl` and `smoke runs`: crawl the configured sources; show run records."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from smoke import cli_text as txt
from smoke.cli_text import json_text, t
from smoke.runstate import source_state


@click.command("crawl")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="只采集此数据源。 Crawl only this source (config/sources/NAME.yaml); repeatable. Default: every enabled source.")
@click.option("--proxy", default=None, metavar="URL",
              help="HTTP proxy for sources that say proxy: ${SMOKE_SANDBOX_PROXY} (e.g. the sandbox server).")
@click.option("--redis-url", default=None, metavar="URL",
              help="Share one frontier and dupe filter with other crawler processes (default: SMOKE_REDIS_URL).")
@click.option("--redis-key", default=None, metavar="KEY",
              help="Name of the shared frontier: start `smoke crawl` on every host with the same key (e.g. the date).")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="SQLite store path (default: $SMOKE_HOME/smoke.db).")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出运行记录。 Print the run record as JSON.")
@click.option("--quiet", is_flag=True, help="不显示进度。 No progress lines on stderr.")
@click.option("--force", is_flag=True,
              help="也采集已停用的数据源。 Crawl sources an admin switched off too (`smoke sources list` shows them).")
@click.option("--wait", "wait_s", default=0.0, show_default=True, type=click.FloatRange(0, 86400), metavar="SECONDS",
              help="When another run crawls one of these sources into the store, wait this long (0: exit 5 at once).")
def crawl(sources: tuple[str, ...], proxy: str | None, redis_url: str | None, redis_key: str | None,
          store_path: Path | None, as_json: bool, quiet: bool, force: bool, wait_s: float) -> None:
    """采集数据源写入存储，并记录本次运行。

    Crawl sources into the store, one crawler process per source, and record the run.

    Order: AMAC and the registry first (entity linking needs the company list), then
    court, complaints and the promotional web. Sources switched off by an admin
    (`smoke sources disable`, web UI, API) are skipped and the run says so, unless
    --force. Progress goes to stderr; the summary shows pages, items, errors by type
    and blocked sources. Each source is crawled by one run at a time per store; exit
    status 0 complete, 4 partial, 1 failed, 5 when another run holds a source.
    """
    from config.settings import get_settings
    from config.sources import load_sources
    from crawlers.runner import new_run_id, resolve_sources, run_crawl
    from indexing.store import open_store
    from indexing.store.spec import StoreSpec
    from smoke.errors import reading
    from smoke.locking import store_jobs_dir
    from smoke.runguard import crawl_locks, live_run, sweep_interrupted
    from smoke.runstate import exit_code

    settings = get_settings()
    spec = StoreSpec.parse(store_path) if store_path else StoreSpec.from_settings(settings)
    # locks, job folders and run liveness are kept per store: beside an embedded store's file
    path = spec.local_file
    names = resolve_sources(list(sources) or None, load_sources(settings.config_dir))
    run_id = new_run_id("crawl")
    what = "smoke crawl" + (f" --source {','.join(sources)}" if sources else "")
    # With a shared frontier (Redis) several processes crawl one source on purpose: the
    # frontier and its duplicate filter keep them apart, so no source lock is taken.
    shared = bool(redis_url if redis_url is not None else settings.redis_url)
    locks = nullcontext({}) if shared else crawl_locks(settings, names, what, wait_s, sqlite_path=path)
    with reading(Path(spec.location), "store"), locks as fds, live_run(settings, run_id, sqlite_path=path):
        with open_store(spec=spec) as store:
            sweep_interrupted(store, settings, sqlite_path=path)
        run = run_crawl(spec, list(sources) or None, proxy=proxy, progress=not quiet, redis_url=redis_url,
                        redis_key=redis_key, force=force, run_id=run_id, lock_fds=fds,
                        jobs_dir=store_jobs_dir(settings, sqlite_path=path))
    if as_json:
        click.echo(json_text(run.to_dict(), indent=2))
    else:
        click.echo(format_run(run))
    sys.exit(exit_code(run.status))


@click.command("runs")
@click.option("--limit", default=10, show_default=True, help="显示多少次运行（最新在前）。 How many runs, newest first.")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出运行记录。 JSON: a list of run records.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="SQLite 存储路径。 SQLite store path (default: the configured store).")
def runs(limit: int, as_json: bool, store_path: Path | None) -> None:
    """查看最近的运行记录：各数据源的页数、条目、错误、耗时、是否被封锁。

    Show recent runs: per source pages, items, bytes, errors by type, duration, blocked or not."""
    from config.settings import get_settings
    from indexing.store import open_store
    from smoke.runguard import sweep_interrupted
    from smoke.service.store import open_existing_store

    # the configured store must exist: from another folder without SMOKE_HOME, a clear error
    with (open_store(sqlite_path=store_path) if store_path else open_existing_store()) as store:
        sweep_interrupted(store, get_settings(), sqlite_path=store_path)  # no dead run shown as running
        records = store.list_runs(limit=limit)
    if as_json:
        click.echo(json_text([r.to_dict() for r in records], indent=2))
        return
    if not records:
        click.echo(t("runs.none"))
        return
    click.echo("\n\n".join(format_run(r) for r in records))


# A status that needs explaining says why (a partial or interrupted run must not read like a finished one).
EXPLAINED = {"partial": "runs.partial", "failed": "runs.failed", "interrupted": "runs.interrupted"}


def format_run(run) -> str:
    """A run record for people: status by name, times in Asia/Shanghai, one line per source."""
    from smoke.commands.core import _pad, _width

    status = t(EXPLAINED[run.status]) if run.status in EXPLAINED else txt.run_status(run.status)
    lines = [t("runs.line", id=run.id, kind=txt.run_kind(run.kind), status=status, started=txt.when(run.started),
               finished=txt.when(run.finished) or "...", tz=t("tz"))]
    if run.message:
        lines.append(f"  {run.message}")
    if run.sources:
        c = t("runs.cols").split("|")
        lines.append(t("runs.header", source=_pad(c[0], 14), pages=" " * (7 - _width(c[1])) + c[1],
                       items=" " * (7 - _width(c[2])) + c[2], mb=f"{c[3]:>8}", secs=" " * (8 - _width(c[4])) + c[4]))
    for name, s in run.sources.items():
        errs = ", ".join(f"{k}={v}" for k, v in sorted(s.errors.items())) or "-"  # error=count: machine-readable
        flag = t("runs.blocked", reason=s.blocked_reason) if s.blocked else ""
        if source_state(s) == "failed":
            flag = t("runs.source_failed") + (f"{t('colon')}{s.blocked_reason}" if s.blocked_reason else "")
        if s.skipped:
            flag = t("runs.skipped", reason=s.skipped)
        lines.append(f"  {name:<14}{s.pages:>7}{s.items:>7}{s.bytes / 1e6:>8.2f}{s.duration_s:>8.1f}  {errs}{flag}")
    return "\n".join(lines)


COMMANDS = [crawl, runs]
