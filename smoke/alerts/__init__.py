"""Alerts: rules that turn score changes into alerts, and the outbox that delivers them.

The cycle calls ``evaluate_rules`` after scoring and ``deliver_pending`` after that;
``smoke alerts deliver`` and the scheduler's retry job call ``deliver_pending`` again.
"""

from smoke.alerts.config import load_alert_config
from smoke.alerts.outbox import deliver_pending
from smoke.alerts.rules import evaluate_rules

__all__ = ["deliver_pending", "evaluate_rules", "load_alert_config"]
