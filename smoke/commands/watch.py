"""`smoke watch add|remove|list|email|digest` (watchlists) and `smoke screen FILE` (batch screening)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from smoke import cli_text as txt
from smoke.cli_text import t

_USER = click.option("--user", "username", required=True, metavar="USER", help="用户。 The person (a user of `smoke users`).")


def _home() -> Path:
    from config.settings import get_settings

    home = get_settings().home
    home.mkdir(parents=True, exist_ok=True)
    return home


def _store():  # noqa: ANN202 - the Store of the configured backend
    # an existing store only: from another folder without SMOKE_HOME, a clear error, not an empty store
    from smoke.service.store import open_existing_store

    return open_existing_store()


def _audit(action: str, detail: dict, rows: int | None = None) -> None:
    """The CLI has no web user: the audit log names the operating-system user."""
    from smoke.accounts import Accounts

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "cli"
    Accounts(_home() / "app.db").audit(who, action, {**detail, "via": "cli"}, rows, "cli")


@click.group("watch")
def watch() -> None:
    """关注列表：个人关注的企业，其变化每日以日报送达。

    Watchlists: the companies a person follows; their changes come in a daily digest per person."""


@watch.command("add")
@_USER
@click.argument("credit_codes", nargs=-1, required=True)
def add_cmd(username: str, credit_codes: tuple[str, ...]) -> None:
    """按统一社会信用代码关注企业。

    Follow companies by credit code (统一社会信用代码)."""
    from smoke.watchlist import WatchError, watchlists_for_home

    wl = watchlists_for_home(_home())
    failed = False
    with _store() as store:
        for key in credit_codes:
            try:
                entry, new = wl.add(store, username, key)
            except WatchError as exc:
                click.echo(f"{key}: {exc}", err=True)
                failed = True
                continue
            click.echo(t("watch.added" if new else "watch.already", code=entry.credit_code))
            if new:
                _audit("watch_add", {"user": username, "credit_code": entry.credit_code})
    if failed:
        sys.exit(1)


@watch.command("remove")
@_USER
@click.argument("credit_codes", nargs=-1, required=True)
def remove_cmd(username: str, credit_codes: tuple[str, ...]) -> None:
    """取消关注企业。

    Stop following companies."""
    from smoke.watchlist import watchlists_for_home

    wl = watchlists_for_home(_home())
    missing = []
    for key in credit_codes:
        if wl.remove(username, key):
            click.echo(t("watch.removed", code=key))
            _audit("watch_remove", {"user": username, "credit_code": key})
        else:
            missing.append(key)
    if missing:
        click.echo(t("watch.not_in", user=username, codes=", ".join(missing)), err=True)
        sys.exit(1)


@watch.command("list")
@_USER
def list_cmd(username: str) -> None:
    """列出用户关注的企业及其当前指数。

    The companies USER follows, with their current index."""
    from smoke.watchlist import watchlists_for_home

    wl = watchlists_for_home(_home())
    entries = wl.entries(username)
    codes = [e.credit_code for e in entries]
    with _store() as store:
        companies = store.get_companies(codes)
        scores = store.latest_scores(codes)
    for e in entries:
        c, s = companies.get(e.credit_code), scores.get(e.credit_code)
        idx = f"{s.smoke_index:5.1f} {txt.level(s.level)}" if s else "  " + txt.level(None)
        name = c.name if c else t("watch.gone")
        click.echo(f"{e.credit_code}  {idx}  {name}  {t('watch.since', at=txt.when(e.added))}")
    address = wl.email(username)
    click.echo(t("watch.summary", n=len(entries), email=address or t("watch.no_email")), err=True)


@watch.command("email")
@_USER
@click.argument("address", required=False, default="")
def email_cmd(username: str, address: str) -> None:
    """设置（或清除）用户日报的收件邮箱。

    Set (or with no ADDRESS clear) the e-mail address USER's daily digest goes to."""
    from smoke.watchlist import WatchError, watchlists_for_home

    try:
        watchlists_for_home(_home()).set_email(username, address)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    _audit("watch_email", {"user": username, "set": bool(address)})
    click.echo(t("watch.email_set", user=username, email=address) if address
               else t("watch.email_cleared", user=username))


@watch.command("digest")
@click.option("--as-of", "as_of", required=True, metavar="DATE", help="日报的数据日期。 The data day of the digest (YYYY-MM-DD).")
def digest_cmd(as_of: str) -> None:
    """立即发送指定日期的关注日报。

    Send every follower's digest of DATE now (the cycle does this after its alerts)."""
    from smoke.alerts.digests import deliver_watch_digests

    try:
        with _store() as store:
            counts = deliver_watch_digests(store, _home(), as_of)
    except ValueError as exc:
        raise click.BadParameter(t("watch.bad_date", error=exc), param_hint="--as-of") from None
    click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))
    if counts["failed"]:
        sys.exit(1)


@click.command("screen")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="输出工作簿。 Workbook to write (.xlsx; default: FILE's name with -screening.xlsx).")
def screen_cmd(file: Path, output: Path | None) -> None:
    """批量筛查：上传企业名称和/或信用代码清单（CSV 或 XLSX），得到匹配结果工作簿。

    Screen a CSV or XLSX list of company names and/or credit codes (up to 10,000 rows):
    each row's match, confidence, smoke index, band and top reasons, as an XLSX workbook.
    Ambiguous names list their candidates; nothing is guessed."""
    from smoke.screening import STATUS_ZH, ScreeningError, screen_file

    output = output or file.with_name(file.stem + "-screening.xlsx")
    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter(t("screen.bad_output", name=repr(output.name)), param_hint="-o")
    try:
        with _store() as store:
            result, data = screen_file(store, file.read_bytes(), file.name)
    except ScreeningError as exc:
        raise click.ClickException(str(exc)) from None
    output.write_bytes(data)
    counts = result.counts()
    _audit("screening", {"file": file.name[:200], "rows": len(result.rows),
                         **{k: v for k, v in counts.items() if v}}, len(result.rows))
    if txt.is_en():  # the match statuses' ids are their English names
        summary = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    else:
        summary = "，".join(f"{STATUS_ZH[k]} {v}" for k, v in counts.items() if v)
    click.echo(t("screen.done", rows=len(result.rows), summary=summary, secs=result.seconds, path=output))


COMMANDS = [watch, screen_cmd]
