"""`smoke crawl` and `smoke runs`: crawl the configured sources; show run records."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from smoke.runstate import source_state


@click.command("crawl")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Crawl only this source (config/sources/NAME.yaml); repeatable. Default: every enabled source.")
@click.option("--proxy", default=None, metavar="URL",
              help="HTTP proxy for sources that say proxy: ${SMOKE_SANDBOX_PROXY} (e.g. the sandbox server).")
@click.option("--redis-url", default=None, metavar="URL",
              help="Share one frontier and dupe filter with other crawler processes (default: SMOKE_REDIS_URL).")
@click.option("--redis-key", default=None, metavar="KEY",
              help="Name of the shared frontier: start `smoke crawl` on every host with the same key (e.g. the date).")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="SQLite store path (default: $SMOKE_HOME/smoke.db).")
@click.option("--json", "as_json", is_flag=True, help="Print the run record as JSON.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
@click.option("--force", is_flag=True,
              help="Crawl sources an admin switched off too (`smoke sources list` shows them).")
@click.option("--wait", "wait_s", default=0.0, show_default=True, type=click.FloatRange(0, 86400), metavar="SECONDS",
              help="When another run crawls one of these sources into the store, wait this long (0: exit 5 at once).")
def crawl(sources: tuple[str, ...], proxy: str | None, redis_url: str | None, redis_key: str | None,
          store_path: Path | None, as_json: bool, quiet: bool, force: bool, wait_s: float) -> None:
    """Crawl sources into the store, one crawler process per source, and record the run.

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
        click.echo(json.dumps(run.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_run(run))
    sys.exit(exit_code(run.status))


@click.command("runs")
@click.option("--limit", default=10, show_default=True, help="How many runs, newest first.")
@click.option("--json", "as_json", is_flag=True, help="JSON: a list of run records.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="SQLite store path (default: the configured store).")
def runs(limit: int, as_json: bool, store_path: Path | None) -> None:
    """Show recent runs: per source pages, items, bytes, errors by type, duration, blocked or not."""
    from config.settings import get_settings
    from indexing.store import open_store
    from smoke.runguard import sweep_interrupted
    from smoke.service.store import open_existing_store

    # the configured store must exist: from another folder without SMOKE_HOME, a clear error
    with (open_store(sqlite_path=store_path) if store_path else open_existing_store()) as store:
        sweep_interrupted(store, get_settings(), sqlite_path=store_path)  # no dead run shown as running
        records = store.list_runs(limit=limit)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo("no runs recorded yet")
        return
    click.echo("\n\n".join(format_run(r) for r in records))


PLAIN = {
    "ok": "ok",
    "running": "running",
    "partial": "PARTIAL: some source was not crawled in full; outputs are marked partial",
    "failed": "FAILED",
    "interrupted": "INTERRUPTED: its process was killed or stopped before the end",
}


def format_run(run) -> str:
    status = PLAIN.get(run.status, run.status.upper())
    lines = [f"run {run.id}  {run.kind}  {status}  {run.started} -> {run.finished or '...'}"]
    if run.message:
        lines.append(f"  {run.message}")
    if run.sources:
        lines.append(f"  {'source':<14}{'pages':>7}{'items':>7}{'MB':>8}{'secs':>8}  errors / blocked")
    for name, s in run.sources.items():
        errs = ", ".join(f"{k}={v}" for k, v in sorted(s.errors.items())) or "-"
        flag = f"  BLOCKED: {s.blocked_reason}" if s.blocked else ""
        if source_state(s) == "failed":
            flag = "  FAILED" + (f": {s.blocked_reason}" if s.blocked_reason else "")
        if s.skipped:
            flag = f"  SKIPPED: {s.skipped}"
        lines.append(f"  {name:<14}{s.pages:>7}{s.items:>7}{s.bytes / 1e6:>8.2f}{s.duration_s:>8.1f}  {errs}{flag}")
    return "\n".join(lines)


COMMANDS = [crawl, runs]
