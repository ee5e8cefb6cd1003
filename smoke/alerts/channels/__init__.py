"""Alert channels: e-mail, webhooks, the daily digest file.

A channel sends one alert at a time and raises ``ChannelError`` when the far side
did not accept it; the outbox (``smoke.alerts.outbox``) records the result. Only
``send`` returning normally means "accepted": that is when the outbox marks the
alert sent for this channel.
"""

from __future__ import annotations

from pathlib import Path

from config.alerts import AlertChannels
from smoke.alerts.render import AlertView


class ChannelError(Exception):
    """The channel did not accept the alert. ``down``: the channel itself is unreachable
    (connection refused, timeout, 5xx), so the rest of this round is not tried."""

    def __init__(self, message: str, down: bool = False) -> None:
        super().__init__(message)
        self.down = down


class Channel:
    key: str = ""
    # Whether the receiver drops a repeat of an alert it already has (by the alert id as
    # idempotency key). When not (DingTalk and WeCom robots post whatever they get), the
    # outbox sends at most once: a send cut short by a crash is not repeated by itself.
    dedupes: bool = True

    def send(self, view: AlertView) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        """End of a delivery round (close connections, write summaries)."""


def build_channels(config: AlertChannels, home: Path) -> list[Channel]:
    """The enabled channels, in a fixed order: digest (local, never down), e-mail, webhooks."""
    from smoke.alerts.channels.digest import DigestChannel
    from smoke.alerts.channels.email import EmailChannel
    from smoke.alerts.channels.webhook import WebhookChannel

    channels: list[Channel] = []
    if config.digest.enabled:
        channels.append(DigestChannel(config.digest, home))
    if config.email.enabled:
        channels.append(EmailChannel(config.email))
    channels.extend(WebhookChannel(w) for w in config.webhooks if w.enabled)
    return channels
