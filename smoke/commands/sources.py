"""`smoke sources list|disable|enable`: see the crawl sources and switch them off or on
(the same operator switch as the web page /admin/sources and POST /api/v1/sources/NAME);
`smoke sources check FILE.yaml`: what a source file extracts from its site."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from smoke import cli_text as txt
from smoke.cli_text import json_text, t


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


def _switch(name: str, enabled: bool, reason: str, store_path: Path | None) -> None:
    from config.settings import get_settings
    from indexing.store import open_store
    from smoke.accounts import Accounts
    from smoke.sources import UnknownSource, configured_sources, switch_source

    if len(reason) > 500:
        raise click.BadParameter(t("sources.reason_long"), param_hint="--reason")
    user = _os_user()
    with open_store(sqlite_path=store_path) as store:
        try:
            switch_source(store, name, enabled, user, reason)
        except UnknownSource:
            known = ", ".join(configured_sources())
            raise click.ClickException(t("sources.unknown", name=repr(name), known=known)) from None
    # the CLI has no web user: the audit log names the operating-system user
    settings = get_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    action = "enable" if enabled else "disable"
    Accounts(settings.home / "app.db").audit(user, f"source_{action}", {"source": name, "reason": reason.strip(),
                                                                        "via": "cli"}, None, "cli")


_STORE = click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
                      help="SQLite 存储路径。 SQLite store path (default: the configured store).")


@click.group("sources")
def sources() -> None:
    """数据源：查看、停用或启用，检查数据源文件能抽取到什么。

    See the crawl sources, switch them off or on, check what a source file extracts.

    `smoke sources check FILE.yaml` fetches a listing and a detail page of a (new) source
    and shows each declared field's value; docs/crawling.md walks through adding a site.

    A source switched off is skipped by `smoke crawl`, `smoke run` and the schedule
    (the run records who switched it off and why) until switched on again;
    `smoke crawl --force` crawls it anyway.
    """


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 数组输出。 One JSON array on stdout (the same objects as GET /api/v1/sources).")
@_STORE
def list_sources(as_json: bool, store_path: Path | None) -> None:
    """列出所有已配置的数据源：类型、是否采集过、谁因何停用、最近运行的健康状况。

    List every configured source: kind, crawled or not, who switched it off and why, last run health."""
    from indexing.store import open_store
    from smoke.sources import source_overview

    with open_store(sqlite_path=store_path) as store:
        rows = source_overview(store)
    if as_json:
        click.echo(json_text(rows, indent=2))
        return
    from smoke.commands.core import _pad

    cols = t("sources.cols").split("|")
    click.echo(f"{_pad(cols[0], 14)}{_pad(cols[1], 12)}{_pad(cols[2], 14)}{cols[3]}")
    for r in rows:
        if r["switched_off"]:
            state = t("sources.switched_off")
        elif not r["enabled_in_config"]:
            state = t("sources.off_in_config")
        else:
            state = t("sources.on")
        h = r["health"]
        health = (t("sources.health", state=txt.source_state(h["state"]), last_run=txt.when(h["last_run"]),
                    pages=h["pages"]) if h else t("sources.never"))
        click.echo(f"{_pad(r['name'], 14)}{_pad(txt.source_kind(r['kind']), 12)}{_pad(state, 14)}{health}")
        if r["switched_off"]:
            s = r["switched_off"]
            click.echo(" " * 14 + t("sources.by", by=s["by"] or "?", at=txt.when(s["at"]) or "?",
                                    reason=s["reason"] or t("sources.no_reason")))



@sources.command("disable")
@click.argument("name")
@click.option("--reason", default="", help="原因。 Why (shown to admins and in run records; at most 500 characters).")
@_STORE
def disable(name: str, reason: str, store_path: Path | None) -> None:
    """停用数据源 NAME：采集将跳过它。

    Switch source NAME off: crawls skip it until `smoke sources enable NAME`."""
    _switch(name, False, reason, store_path)
    click.echo(t("sources.off", name=name) + (f"{t('colon')}{reason.strip()}" if reason.strip() else ""))


@sources.command("enable")
@click.argument("name")
@_STORE
def enable(name: str, store_path: Path | None) -> None:
    """重新启用数据源 NAME。

    Switch source NAME on again: the next crawl includes it."""
    _switch(name, True, "", store_path)
    click.echo(t("sources.on_done", name=name))


@sources.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="A detail page to read instead of the first listing entry's.")
@click.option("--proxy", default=None, help="HTTP proxy for the fetches (default: the source's own `proxy`).")
def check(file: Path, url: str | None, proxy: str | None) -> None:
    """抓取一个列表页和一个详情页，显示数据源文件中各字段抽取到的内容。

    Fetch one listing page and one detail page of the source in FILE and print what each
    declared field extracted, and what is missing. Exits 1 when a crawl would get nothing
    from the site (no entries, a required field missing, a page that does not answer)."""
    from config import ConfigError
    from config.sources import load_source
    from smoke.source_check import check_source, render

    try:
        cfg = load_source(file)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    checks = check_source(cfg, detail_url=url, proxy=proxy)
    for line in render(cfg, checks):
        click.echo(line)
    if not all(c.ok for c in checks):
        raise SystemExit(1)


COMMANDS = [sources]
