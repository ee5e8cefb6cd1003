"""Every configuration file checked before a cycle starts, so a bad ``model.yaml``
stops the run at once instead of after an hour of crawling (issue 12)."""

from __future__ import annotations

from config.settings import Settings


def check_config(settings: Settings) -> None:
    """Load and validate sources, model, lexicon, the analyser's rules and statistical model,
    alerts and schedule; raises ``ConfigError``
    naming the file and the field."""
    from config.schedule import load_schedule_file
    from config.sources import load_sources
    from scoring.lexicon import load_lexicon
    from scoring.model import load_model
    from scoring.text import load_rules
    from scoring.text.learned import load_text_model
    from smoke.alerts.config import load_alert_config

    load_sources(settings.config_dir, include_disabled=True)
    load_model()
    load_lexicon()
    load_rules()
    load_text_model()
    load_alert_config()
    load_schedule_file()
