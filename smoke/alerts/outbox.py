"""The outbox: every alert reaches every enabled channel once, however often channels fail.

Per alert and channel the store keeps the delivery state (``Alert.delivery``:
pending | failed | sent | abandoned) and, in store state, the attempts: how many,
the last error, and when the next attempt is due (exponential backoff from
``channels.retry``). After ``retry.max_attempts`` failures the alert is abandoned on
that channel: reported, shown in the inbox, and sent again only when an operator
runs ``smoke alerts retry``. ``deliver_pending``

1. takes a file lock in SMOKE_HOME, so two deliverers (the cycle and
   ``smoke alerts deliver``, or two hosts on one home) never send the same alert;
2. re-reads the alerts after taking the lock (what the other deliverer sent is sent);
3. sends what is neither ``sent`` nor ``abandoned`` and is due, and marks ``sent``
   only after the channel accepted it, saving after every single send. It writes
   only the delivery state of that channel, so an acknowledgement made meanwhile
   stays.

An alert is owed to the channels enabled when the outbox first sees it (its
``delivery`` gets an entry per channel then); a channel added later starts with
the alerts raised after it, instead of receiving the whole history.

A crash between "accepted" and "saved" resends that one alert on the next call;
the channels carry the alert id as an idempotency key (e-mail Message-ID, webhook
``idempotency_key``, digest dedup by id) so receivers can drop the repeat. Channels
whose receivers cannot (``Channel.dedupes`` False: DingTalk and WeCom robots) are sent
at most once instead: ``sending`` is on record before the call, and a send found still
``sending`` by the next round (the deliverer died during it) is abandoned with that
reason rather than posted a second time; ``smoke alerts retry`` sends it again.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from config.alerts import AlertChannels, RetryPolicy
from indexing.models import Alert
from indexing.store.base import Store
from smoke.alerts.channels import Channel, ChannelError, build_channels
from smoke.alerts.render import AlertView
from smoke.locking import LockBusy, delivery_lock_path, file_lock

log = logging.getLogger(__name__)

LIST_LIMIT = 10_000_000  # "all of them": list_alerts pages by limit, the outbox wants every alert


def attempts_key(alert_id: str, channel: str) -> str:
    return f"alerts.outbox.{alert_id}.{channel}"


def load_attempts(store: Store, alert_id: str, channel: str) -> dict:
    raw = store.get_state(attempts_key(alert_id, channel))
    try:
        return json.loads(raw) if raw else {"attempts": 0}
    except ValueError:
        return {"attempts": 0}


def backoff_s(policy: RetryPolicy, attempts: int) -> float:
    """Wait after ``attempts`` failures: base, 2*base, 4*base ... capped at max."""
    if attempts <= 0:
        return 0.0
    return min(policy.max_s, policy.base_s * (2 ** min(attempts - 1, 30)))


def _view(store: Store, alert: Alert, cache: dict[str, tuple[str, str]], base_url: str = "") -> AlertView:
    if alert.credit_code not in cache:
        company = store.get_company(alert.credit_code)
        cache[alert.credit_code] = (company.name, company.region_code) if company else (alert.credit_code, "")
    name, region = cache[alert.credit_code]
    return AlertView(alert=alert, company_name=name, region=region, base_url=base_url)


def _zero(channels: list[Channel]) -> dict[str, dict[str, int]]:
    return {ch.key: {"sent": 0, "failed": 0, "pending": 0, "abandoned": 0} for ch in channels}


DONE = ("sent", "abandoned")  # states the outbox no longer acts on by itself


def requeue(store: Store, alert_id: str) -> list[str]:
    """Queue an alert again on every channel that gave it up (``smoke alerts retry``):
    the attempts start over. Returns the channels requeued."""
    alert = store.get_alert(alert_id)
    if alert is None:
        return []
    channels = [k for k, v in alert.delivery.items() if v in ("abandoned", "failed")]
    for key in channels:
        store.set_state(attempts_key(alert_id, key), json.dumps({"attempts": 0}))
    if channels:
        store.set_alert_delivery(alert_id, dict.fromkeys(channels, "pending"))
    return channels


def deliver_pending(
    store: Store,
    channels_config: AlertChannels | None = None,
    home: Path | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, dict[str, int]]:
    """Deliver every alert not yet ``sent`` on an enabled channel; returns, per channel,
    ``{"sent": n, "failed": n, "pending": n, "abandoned": n}`` for this call (pending:
    waiting for its backoff, or skipped because the channel went down earlier in this
    call; abandoned: given up in this call after ``retry.max_attempts`` failures)."""
    if channels_config is None:
        from smoke.alerts.config import load_alert_config

        channels_config = load_alert_config()[1]
    if home is None:
        from config.settings import get_settings

        home = get_settings().home
    home = Path(home)
    channels = build_channels(channels_config, home)
    counts = _zero(channels)
    if not channels:
        return counts
    policy = channels_config.retry
    try:
        with file_lock(delivery_lock_path(store, home), what="alerts deliver", timeout_s=policy.lock_timeout_s):
            _deliver(store, channels, policy, counts, now, channels_config.base_url)
    except LockBusy as exc:
        log.warning("alerts not delivered now: another deliverer still holds the lock (%s)", exc)
    return counts


def _deliver(
    store: Store, channels: list[Channel], policy: RetryPolicy, counts: dict, now: datetime | None, base_url: str = ""
) -> None:
    now = now or datetime.now(UTC)
    # Every alert, not a date window: a replayed or sandbox day (as_of in the past) still
    # raises alerts that must go out. Fully delivered ones cost one JSON decode each.
    alerts = store.list_alerts(since="", limit=LIST_LIMIT)
    alerts.sort(key=lambda a: (a.created, a.id))  # oldest first: the order they happened
    keys = [ch.key for ch in channels]
    down: dict[str, str] = {}
    companies: dict[str, tuple[str, str]] = {}
    try:
        for alert in alerts:
            if not alert.delivery:
                # First time the outbox sees this alert: it is owed to every channel enabled
                # now, recorded in one write so a crash half-way through the channels below
                # cannot leave a channel without its entry.
                alert.delivery = dict.fromkeys(keys, "pending")
                store.set_alert_delivery(alert.id, alert.delivery)
            for ch in channels:
                # A channel enabled after an alert was first handled does not get the backlog.
                if alert.delivery.get(ch.key, "sent") in DONE:
                    continue
                c = counts[ch.key]
                rec = load_attempts(store, alert.id, ch.key)
                if rec.pop("sending", None) and not ch.dedupes:
                    # The last deliverer died during this very send: it may have posted.
                    alert.delivery[ch.key] = "abandoned"
                    rec["last_error"] = ("delivery cut short (the deliverer stopped during the call); it may have "
                                         "been posted, so it is not repeated: `smoke alerts retry` sends it again")
                    c["abandoned"] += 1
                    log.error("alert %s via %s: %s", alert.id, ch.key, rec["last_error"])
                    store.set_alert_delivery(alert.id, {ch.key: "abandoned"})
                    store.set_state(attempts_key(alert.id, ch.key), json.dumps(rec, ensure_ascii=False))
                    continue
                due = rec.get("next_at", "")
                if ch.key in down or (due and datetime.fromisoformat(due) > now):
                    c["pending"] += 1
                    continue
                rec["attempts"] = int(rec.get("attempts", 0)) + 1
                rec["last_attempt"] = now.isoformat(timespec="seconds")
                if not ch.dedupes:
                    store.set_state(attempts_key(alert.id, ch.key),
                                    json.dumps({**rec, "sending": rec["last_attempt"]}, ensure_ascii=False))
                try:
                    ch.send(_view(store, alert, companies, base_url))
                except ChannelError as exc:
                    c["failed"] += 1
                    rec["last_error"] = str(exc)[:500]
                    rec["next_at"] = (now + timedelta(seconds=backoff_s(policy, rec["attempts"]))).isoformat()
                    alert.delivery[ch.key] = "failed"
                    log.warning("alert %s via %s: attempt %d failed: %s", alert.id, ch.key, rec["attempts"], exc)
                    if rec["attempts"] >= policy.max_attempts:
                        alert.delivery[ch.key] = "abandoned"
                        rec.pop("next_at", None)
                        c["abandoned"] += 1
                        log.error("alert %s via %s: given up after %d attempts (last error: %s); "
                                  "`smoke alerts retry %s` queues it again",
                                  alert.id, ch.key, rec["attempts"], exc, alert.id)
                    if exc.down:
                        down[ch.key] = str(exc)
                else:
                    c["sent"] += 1
                    rec.pop("next_at", None)
                    rec["sent_at"] = now.isoformat(timespec="seconds")
                    alert.delivery[ch.key] = "sent"
                # Saved after every send: "sent" is on record before the next alert goes out.
                store.set_alert_delivery(alert.id, {ch.key: alert.delivery[ch.key]})
                store.set_state(attempts_key(alert.id, ch.key), json.dumps(rec, ensure_ascii=False))
    finally:
        for ch in channels:
            try:
                ch.close()
            except Exception:  # closing must not hide the delivery result
                log.exception("closing channel %s", ch.key)
    for key, why in down.items():
        log.warning("channel %s is down (%s); its alerts wait for the next round", key, why)

