"""`smoke alerts`: list, acknowledge, evaluate and deliver alerts; test a channel."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from smoke import cli_text as txt
from smoke.cli_text import json_text, t
from smoke.service.timefmt import SHANGHAI as TZ

_config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Alert configuration instead of config/alerts.yaml.",
)


@click.group("alerts")
def alerts() -> None:
    """预警：按 config/alerts.yaml 的规则产生，并经邮件、Webhook、日报发送。

    Alerts raised by the rules of config/alerts.yaml and their delivery (e-mail, webhooks, digest)."""


def _store():  # noqa: ANN202 - the Store of the configured backend
    # an existing store only: from another folder without SMOKE_HOME, a clear error, not an empty store
    from smoke.service.store import open_existing_store

    return open_existing_store()


@alerts.command("list")
@click.option("--since", default="", metavar="DATE", help="只列该日期及之后的预警。 Only alerts raised on or after DATE (YYYY-MM-DD).")
@click.option("--unacked", is_flag=True, help="只列未确认的预警。 Only alerts nobody has acknowledged.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--json", "as_json", is_flag=True, help="每行一个 JSON 对象。 One JSON object per line.")
def list_cmd(since: str, unacked: bool, limit: int, as_json: bool) -> None:
    """列出预警（最新在前）及各通道的发送状态。

    List alerts, newest first, with their delivery state per channel."""
    with _store() as store:
        items = store.list_alerts(since=since, unacknowledged_only=unacked, limit=limit)
    for a in items:
        if as_json:
            click.echo(json_text(a.to_dict()))
            continue
        # channel=state pairs stay machine-readable (scripts grep webhook:ops=sent)
        delivery = " ".join(f"{k}={v}" for k, v in sorted(a.delivery.items())) or t("alerts.undelivered")
        ack = t("alerts.acked_by", by=a.acknowledged_by) if a.acknowledged_by else ""
        prev = "—" if a.previous_score is None else f"{a.previous_score:.1f}"
        click.echo(f"{txt.when(a.created)}  {a.id}  {txt.alert_rule(a.rule)}  {a.credit_code}  "
                   f"{prev}→{a.score:.1f} {txt.band(a.score)}  {delivery}{ack}")
        click.echo(f"    {a.message}")
    if not as_json:
        click.echo(t("alerts.count", n=len(items)), err=True)


@alerts.command("ack")
@click.argument("alert_ids", nargs=-1, required=True)
@click.option("--by", "by", default="cli", show_default=True, help="确认人。 Who acknowledges (recorded with the alert).")
def ack_cmd(alert_ids: tuple[str, ...], by: str) -> None:
    """按编号确认一条或多条预警。

    Acknowledge one or more alerts by id."""
    now = datetime.now(TZ).isoformat(timespec="seconds")
    acked, missing = 0, []
    with _store() as store:
        for alert_id in dict.fromkeys(alert_ids):
            if store.acknowledge_alert(alert_id, by, now):
                acked += 1
            elif store.get_alert(alert_id) is None:
                missing.append(alert_id)
    click.echo(t("alerts.acked", n=acked))
    if missing:
        click.echo(t("alerts.no_such", ids=", ".join(sorted(missing))), err=True)
        sys.exit(1)


@alerts.command("groups")
@click.option("--rule", default="", type=click.Choice(["", "crossing", "rise", "critical"]), help="只看此规则。 Only this rule.")
@click.option("--band", default="", type=click.Choice(["", "green", "blue", "yellow", "orange", "red"]),
              help="只看此等级。 Only alerts whose score is in this band.")
@click.option("--region", default="", metavar="CODE", help="企业所在地区代码前缀。 Region code prefix of the company (44 = 广东).")
@click.option("--assignee", default="", metavar="USER", help="只看分配给该用户的预警。 Only alerts assigned to USER ('-': unassigned).")
@click.option("--state", default="open", show_default=True, type=click.Choice(["open", "acked", "all"]))
@click.option("--day", default="", metavar="DATE", help="只看该数据日期。 Only alerts of this data day (YYYY-MM-DD).")
@click.option("--watched-by", "watched_by", default="", metavar="USER", help="只看该用户关注的企业。 Only companies USER follows.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="每组一行 JSON。 One JSON object per group and line.")
def groups_cmd(rule: str, band: str, region: str, assignee: str, state: str, day: str, watched_by: str,
               limit: int, as_json: bool) -> None:
    """按企业和数据日期分组的预警，供研判处置。

    Alerts grouped per company and data day (one line per company, every reason listed), for triage."""
    from smoke.alerts.triage import TriageError, TriageFilter, list_groups

    f = TriageFilter(rule=rule, band=band, region=region, assignee=assignee, state=state, day=day)
    if watched_by:
        from config.settings import get_settings
        from smoke.watchlist import Watchlists

        f.credit_codes = Watchlists(get_settings().home / "app.db").codes(watched_by)
    try:
        with _store() as store:
            found = list_groups(store, f, limit=limit)
    except TriageError as exc:
        raise click.UsageError(str(exc)) from None
    for g in found:
        if as_json:
            click.echo(json_text(g.to_dict()))
            continue
        sep = ", " if txt.is_en() else "、"
        rules = sep.join(txt.alert_rule(r) for r in g.rules)
        who = sep.join(g.assignees) or t("alerts.unassigned")
        state = t("alerts.state_acked") if g.acknowledged else t("alerts.state_open")
        click.echo(t("alerts.group", day=g.day, code=g.credit_code, score=f"{g.score:5.1f}", band=txt.band(g.score),
                     name=g.company_name, rules=rules, who=who, state=state))
        click.echo(t("alerts.group_ids", ids=" ".join(g.ids)))
        for _, n in g.notes:
            click.echo(t("alerts.group_note", by=n.by, at=txt.when(n.at), text=n.text))
    if not as_json:
        click.echo(t("alerts.groups", n=len(found)), err=True)


@alerts.command("assign")
@click.argument("alert_ids", nargs=-1, required=True)
@click.option("--to", "assignee", required=True, metavar="USER", help="负责人。 Who handles them ('' clears).")
def assign_cmd(alert_ids: tuple[str, ...], assignee: str) -> None:
    """把预警分配给负责人。

    Assign alerts to a person."""
    from smoke.alerts.triage import TriageError, assign

    try:
        with _store() as store:
            changed = assign(store, alert_ids, assignee)
    except TriageError as exc:
        raise click.ClickException(str(exc)) from None
    _audit("alert_assign", {"alert_ids": changed[:200], "assignee": assignee.strip()})
    click.echo(t("alerts.assigned", n=len(changed), who=assignee.strip() or t("alerts.nobody")))


@alerts.command("note")
@click.argument("alert_ids", nargs=-1, required=True)
@click.option("--text", required=True, help="备注内容。 The note (at most 2,000 characters).")
@click.option("--by", "by", default="cli", show_default=True, help="备注人。 Who writes it.")
def note_cmd(alert_ids: tuple[str, ...], text: str, by: str) -> None:
    """为预警添加备注。

    Add a note to alerts."""
    from smoke.alerts.triage import TriageError, add_note

    try:
        with _store() as store:
            ids = add_note(store, alert_ids, text, by)
    except TriageError as exc:
        raise click.ClickException(str(exc)) from None
    _audit("alert_note", {"alert_ids": ids[:200], "chars": len(text.strip())})
    click.echo(t("alerts.noted", n=len(ids)))


def _audit(action: str, detail: dict) -> None:
    from smoke.commands.watch import _audit as audit

    audit(action, detail)


@alerts.command("evaluate")
@click.option("--as-of", "as_of", default="", metavar="DATE", help="评分日期。 Date of the scores to judge (default: today).")
@_config_option
def evaluate_cmd(as_of: str, config_file: Path | None) -> None:
    """按预警规则检查当前评分并记录新预警（不发送）。

    Apply the alert rules to the current scores and record new alerts (no delivery)."""
    from smoke.alerts import evaluate_rules, load_alert_config

    rules, _ = load_alert_config(config_file)
    as_of = as_of or datetime.now(TZ).date().isoformat()
    with _store() as store:
        new = evaluate_rules(store, as_of, rules)
    for a in new:
        click.echo(t("alerts.new", rule=txt.alert_rule(a.rule), code=a.credit_code, score=f"{a.score:.1f}",
                     message=a.message))
    click.echo(t("alerts.new_count", n=len(new), as_of=as_of))


@alerts.command("deliver")
@_config_option
def deliver_cmd(config_file: Path | None) -> None:
    """发送所有尚未送达的预警（失败按退避重试）。

    Send every alert not yet delivered on an enabled channel (retries with backoff)."""
    from smoke.alerts import deliver_pending, load_alert_config

    _, channels = load_alert_config(config_file)
    click.echo(t("alerts.delivering"), err=True)
    with _store() as store:
        counts = deliver_pending(store, channels)
    if not counts:
        click.echo(t("alerts.no_channel"))
    for key, c in counts.items():  # key=value counters: machine-readable in every language
        click.echo(f"{key:<24} sent={c['sent']} failed={c['failed']} pending={c['pending']} "
                   f"abandoned={c['abandoned']}")
    if any(c["failed"] or c["abandoned"] for c in counts.values()):
        sys.exit(1)


@alerts.command("retry")
@click.argument("alert_ids", nargs=-1, required=True)
def retry_cmd(alert_ids: tuple[str, ...]) -> None:
    """在已放弃的通道上重新排队发送预警。

    Queue alerts again on the channels that gave them up (abandoned or failed); the
    next `smoke alerts deliver` (or cycle) sends them, with a fresh count of attempts."""
    from smoke.alerts.outbox import requeue

    missing = []
    with _store() as store:
        for alert_id in dict.fromkeys(alert_ids):
            if store.get_alert(alert_id) is None:
                missing.append(alert_id)
                continue
            channels = requeue(store, alert_id)
            click.echo(t("alerts.requeued", id=alert_id, channels=", ".join(channels)) if channels
                       else t("alerts.nothing_to_retry", id=alert_id))
    if missing:
        click.echo(t("alerts.no_such", ids=", ".join(missing)), err=True)
        sys.exit(1)


@alerts.command("test-channel")
@click.argument("channel")
@_config_option
def test_channel_cmd(channel: str, config_file: Path | None) -> None:
    """通过指定通道发送一条测试预警（不记录）。

    Send a test alert through CHANNEL (email, digest or webhook:NAME) without recording it.

    The digest channel writes its test line to a separate digest-test file.
    """
    from config.settings import get_settings
    from indexing.models import Alert
    from smoke.alerts import load_alert_config
    from smoke.alerts.channels import ChannelError, build_channels
    from smoke.alerts.render import AlertView

    _, channels_config = load_alert_config(config_file)
    home = get_settings().home
    if channel == "digest":
        channels_config = channels_config.model_copy(deep=True)
        channels_config.digest.subdir = str(Path(channels_config.digest.subdir) / "test")
    built = {ch.key: ch for ch in build_channels(channels_config, home)}
    if channel not in built:
        raise click.BadParameter(t("alerts.no_channel_named", known=sorted(built) or "(none)", got=repr(channel)))
    now = datetime.now(TZ)
    alert = Alert(
        id=f"test-{now.strftime('%Y%m%d%H%M%S')}",
        credit_code="000000000000000000",
        created=now.isoformat(timespec="seconds"),
        rule="test",
        score=61.0,
        previous_score=55.0,
        message="这是一条测试预警，用于检查通道配置（this is a test alert）。",
    )
    ch = built[channel]
    try:
        ch.send(AlertView(alert=alert, company_name="测试公司（通道测试）"))
    except ChannelError as exc:
        click.echo(t("alerts.test_failed", channel=channel, error=exc), err=True)
        sys.exit(1)
    finally:
        ch.close()
    click.echo(t("alerts.test_ok", channel=channel))


COMMANDS = [alerts]
