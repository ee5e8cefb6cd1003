"""`smoke crawl` and `smoke runs`: crawl the configured sources; show run records."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


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
def crawl(sources: tuple[str, ...], proxy: str | None, redis_url: str | None, redis_key: str | None,
          store_path: Path | None, as_json: bool, quiet: bool, force: bool) -> None:
    """Crawl sources into the store, one crawler process per source, and record the run.

    Order: AMAC and the registry first (entity linking needs the company list), then
    court, complaints and the promotional web. Sources switched off by an admin
    (`smoke sources disable`, web UI, API) are skipped and the run says so, unless
    --force. Progress goes to stderr; the summary shows pages, items, errors by type
    and blocked sources.
    """
    from config.settings import get_settings
    from crawlers.runner import run_crawl
    from indexing.store.spec import StoreSpec

    spec = store_path or StoreSpec.from_settings(get_settings())
    run = run_crawl(spec, list(sources) or None, proxy=proxy, progress=not quiet, redis_url=redis_url,
                    redis_key=redis_key, force=force)
    if as_json:
        click.echo(json.dumps(run.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_run(run))
    if run.status == "failed":
        sys.exit(1)


@click.command("runs")
@click.option("--limit", default=10, show_default=True, help="How many runs, newest first.")
@click.option("--json", "as_json", is_flag=True, help="JSON: a list of run records.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="SQLite store path (default: the configured store).")
def runs(limit: int, as_json: bool, store_path: Path | None) -> None:
    """Show recent runs: per source pages, items, bytes, errors by type, duration, blocked or not."""
    from indexing.store import open_store

    with open_store(sqlite_path=store_path) as store:
        records = store.list_runs(limit=limit)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo("no runs recorded yet")
        return
    click.echo("\n\n".join(format_run(r) for r in records))


def format_run(run) -> str:
    lines = [f"run {run.id}  {run.kind}  {run.status}  {run.started} -> {run.finished or '...'}"]
    if run.message:
        lines.append(f"  {run.message}")
    if run.sources:
        lines.append(f"  {'source':<14}{'pages':>7}{'items':>7}{'MB':>8}{'secs':>8}  errors / blocked")
    for name, s in run.sources.items():
        errs = ", ".join(f"{k}={v}" for k, v in sorted(s.errors.items())) or "-"
        flag = f"  BLOCKED: {s.blocked_reason}" if s.blocked else ""
        if s.skipped:
            flag = f"  SKIPPED: {s.skipped}"
        lines.append(f"  {name:<14}{s.pages:>7}{s.items:>7}{s.bytes / 1e6:>8.2f}{s.duration_s:>8.1f}  {errs}{flag}")
    return "\n".join(lines)


COMMANDS = [crawl, runs]
