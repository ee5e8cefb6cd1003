"""`smoke alerts`: list, acknowledge, evaluate and deliver alerts; test a channel."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from smoke.service.timefmt import SHANGHAI as TZ

_config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Alert configuration instead of config/alerts.yaml.",
)


@click.group("alerts")
def alerts() -> None:
    """Alerts raised by the rules of config/alerts.yaml and their delivery (e-mail, webhooks, digest)."""


def _store():  # noqa: ANN202 - the Store of the configured backend
    from indexing.store import open_store

    return open_store()


@alerts.command("list")
@click.option("--since", default="", metavar="DATE", help="Only alerts raised on or after DATE (YYYY-MM-DD).")
@click.option("--unacked", is_flag=True, help="Only alerts nobody has acknowledged.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_cmd(since: str, unacked: bool, limit: int, as_json: bool) -> None:
    """List alerts, newest first, with their delivery state per channel."""
    with _store() as store:
        items = store.list_alerts(since=since, unacknowledged_only=unacked, limit=limit)
    for a in items:
        if as_json:
            click.echo(json.dumps(a.to_dict(), ensure_ascii=False))
            continue
        delivery = " ".join(f"{k}={v}" for k, v in sorted(a.delivery.items())) or "undelivered"
        ack = f" ack={a.acknowledged_by}" if a.acknowledged_by else ""
        prev = "—" if a.previous_score is None else f"{a.previous_score:.1f}"
        click.echo(f"{a.created[:19]}  {a.id}  {a.rule:<8} {a.credit_code}  {prev}→{a.score:.1f}  {delivery}{ack}")
        click.echo(f"    {a.message}")
    if not as_json:
        click.echo(f"{len(items)} alert(s)", err=True)


@alerts.command("ack")
@click.argument("alert_ids", nargs=-1, required=True)
@click.option("--by", "by", default="cli", show_default=True, help="Who acknowledges (recorded with the alert).")
def ack_cmd(alert_ids: tuple[str, ...], by: str) -> None:
    """Acknowledge one or more alerts by id."""
    now = datetime.now(TZ).isoformat(timespec="seconds")
    acked, missing = 0, []
    with _store() as store:
        for alert_id in dict.fromkeys(alert_ids):
            if store.acknowledge_alert(alert_id, by, now):
                acked += 1
            elif store.get_alert(alert_id) is None:
                missing.append(alert_id)
    click.echo(f"acknowledged {acked} alert(s)")
    if missing:
        click.echo(f"no such alert: {', '.join(sorted(missing))}", err=True)
        sys.exit(1)


@alerts.command("groups")
@click.option("--rule", default="", type=click.Choice(["", "crossing", "rise", "critical"]), help="Only this rule.")
@click.option("--band", default="", type=click.Choice(["", "green", "blue", "yellow", "orange", "red"]),
              help="Only alerts whose score is in this band.")
@click.option("--region", default="", metavar="CODE", help="Region code prefix of the company (44 = 广东).")
@click.option("--assignee", default="", metavar="USER", help="Only alerts assigned to USER ('-': unassigned).")
@click.option("--state", default="open", show_default=True, type=click.Choice(["open", "acked", "all"]))
@click.option("--day", default="", metavar="DATE", help="Only alerts of this data day (YYYY-MM-DD).")
@click.option("--watched-by", "watched_by", default="", metavar="USER", help="Only companies USER follows.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per group and line.")
def groups_cmd(rule: str, band: str, region: str, assignee: str, state: str, day: str, watched_by: str,
               limit: int, as_json: bool) -> None:
    """Alerts grouped per company and data day (one line per company, every reason listed), for triage."""
    from smoke.alerts.render import band_zh, rule_title
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
            click.echo(json.dumps(g.to_dict(), ensure_ascii=False))
            continue
        rules = "、".join(rule_title(r) for r in g.rules)
        who = "、".join(g.assignees) or "未分配"
        state_zh = "已确认" if g.acknowledged else "未确认"
        click.echo(f"{g.day}  {g.credit_code}  {g.score:5.1f} {band_zh(g.score)}  {g.company_name}  [{rules}]  "
                   f"负责人：{who}  {state_zh}")
        click.echo(f"    告警编号：{' '.join(g.ids)}")
        for _, n in g.notes:
            click.echo(f"    备注 {n.by} {n.at[:16]}：{n.text}")
    if not as_json:
        click.echo(f"{len(found)} 组预警", err=True)


@alerts.command("assign")
@click.argument("alert_ids", nargs=-1, required=True)
@click.option("--to", "assignee", required=True, metavar="USER", help="Who handles them ('' clears).")
def assign_cmd(alert_ids: tuple[str, ...], assignee: str) -> None:
    """Assign alerts to a person."""
    from smoke.alerts.triage import TriageError, assign

    try:
        with _store() as store:
            changed = assign(store, alert_ids, assignee)
    except TriageError as exc:
        raise click.ClickException(str(exc)) from None
    _audit("alert_assign", {"alert_ids": changed[:200], "assignee": assignee.strip()})
    click.echo(f"assigned {len(changed)} alert(s) to {assignee.strip() or '(nobody)'}")


@alerts.command("note")
@click.argument("alert_ids", nargs=-1, required=True)
@click.option("--text", required=True, help="The note (at most 2,000 characters).")
@click.option("--by", "by", default="cli", show_default=True, help="Who writes it.")
def note_cmd(alert_ids: tuple[str, ...], text: str, by: str) -> None:
    """Add a note to alerts."""
    from smoke.alerts.triage import TriageError, add_note

    try:
        with _store() as store:
            ids = add_note(store, alert_ids, text, by)
    except TriageError as exc:
        raise click.ClickException(str(exc)) from None
    _audit("alert_note", {"alert_ids": ids[:200], "chars": len(text.strip())})
    click.echo(f"noted on {len(ids)} alert(s)")


def _audit(action: str, detail: dict) -> None:
    from smoke.commands.watch import _audit as audit

    audit(action, detail)


@alerts.command("evaluate")
@click.option("--as-of", "as_of", default="", metavar="DATE", help="Date of the scores to judge (default: today).")
@_config_option
def evaluate_cmd(as_of: str, config_file: Path | None) -> None:
    """Apply the alert rules to the current scores and record new alerts (no delivery)."""
    from smoke.alerts import evaluate_rules, load_alert_config

    rules, _ = load_alert_config(config_file)
    as_of = as_of or datetime.now(TZ).date().isoformat()
    with _store() as store:
        new = evaluate_rules(store, as_of, rules)
    for a in new:
        click.echo(f"new {a.rule:<8} {a.credit_code} {a.score:.1f}: {a.message}")
    click.echo(f"{len(new)} new alert(s) as of {as_of}")


@alerts.command("deliver")
@_config_option
def deliver_cmd(config_file: Path | None) -> None:
    """Send every alert not yet delivered on an enabled channel (retries with backoff)."""
    from smoke.alerts import deliver_pending, load_alert_config

    _, channels = load_alert_config(config_file)
    click.echo("delivering pending alerts …", err=True)
    with _store() as store:
        counts = deliver_pending(store, channels)
    if not counts:
        click.echo("no channel is enabled in the alert configuration")
    for key, c in counts.items():
        click.echo(f"{key:<24} sent={c['sent']} failed={c['failed']} pending={c['pending']} "
                   f"abandoned={c['abandoned']}")
    if any(c["failed"] or c["abandoned"] for c in counts.values()):
        sys.exit(1)


@alerts.command("retry")
@click.argument("alert_ids", nargs=-1, required=True)
def retry_cmd(alert_ids: tuple[str, ...]) -> None:
    """Queue alerts again on the channels that gave them up (abandoned or failed); the
    next `smoke alerts deliver` (or cycle) sends them, with a fresh count of attempts."""
    from smoke.alerts.outbox import requeue

    missing = []
    with _store() as store:
        for alert_id in dict.fromkeys(alert_ids):
            if store.get_alert(alert_id) is None:
                missing.append(alert_id)
                continue
            channels = requeue(store, alert_id)
            click.echo(f"{alert_id}: " + (f"queued again on {', '.join(channels)}" if channels
                                          else "nothing to retry (delivered or still pending)"))
    if missing:
        click.echo(f"no such alert: {', '.join(missing)}", err=True)
        sys.exit(1)


@alerts.command("test-channel")
@click.argument("channel")
@_config_option
def test_channel_cmd(channel: str, config_file: Path | None) -> None:
    """Send a test alert through CHANNEL (email, digest or webhook:NAME) without recording it.

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
        raise click.BadParameter(f"expected one of the enabled channels {sorted(built) or '(none)'}, got {channel!r}")
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
        click.echo(f"{channel}: FAILED: {exc}", err=True)
        sys.exit(1)
    finally:
        ch.close()
    click.echo(f"{channel}: test alert accepted")


COMMANDS = [alerts]
