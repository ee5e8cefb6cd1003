"""Loading the alert configuration (config/alerts.yaml)."""

from __future__ import annotations

from pathlib import Path

from config.alerts import AlertChannels, AlertRules, load_alerts_file


def load_alert_config(path: Path | str | None = None) -> tuple[AlertRules, AlertChannels]:
    """The rules and the channels of ``config/alerts.yaml`` (or ``path``); raises ``ConfigError``."""
    f = load_alerts_file(Path(path) if path else None)
    return f.rules, f.channels
