"""E-mail alerts through a real local SMTP server (aiosmtpd): plain, STARTTLS, implicit TLS,
login, outage and recovery, exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from smoke.alerts import deliver_pending
from smoke.alerts.channels.email import message_id
from tests.alerts.conftest import HOSTILE, make_alerts


def _body(msg, subtype: str) -> str:
    return msg.get_body(preferencelist=(subtype,)).get_content()


def test_plain_smtp_delivers_html_and_text(store, home: Path, smtp_plain) -> None:
    alerts = make_alerts(store, 2)
    counts = deliver_pending(store, smtp_plain.channels(), home)
    assert counts == {"email": {"sent": 2, "failed": 0, "pending": 0, "abandoned": 0}}
    box = smtp_plain.mailbox
    assert sorted(box.ids()) == sorted(a.id for a in alerts)
    msg = box.messages[0]
    assert msg["Subject"].startswith("【冒烟指数预警】") and "升至高风险" in msg["Subject"]
    assert msg["Message-ID"] in {message_id(a.id) for a in alerts}
    assert "冒烟指数" in _body(msg, "plain") and "<table>" in _body(msg, "html")
    assert box.envelopes[0] == ("smokewatch@example.test", ["duty@example.test", "chief@example.test"])
    assert all(a.delivery == {"email": "sent"} for a in store.list_alerts(limit=10))


def test_starttls_with_login_and_hostile_company_text(store, home: Path, smtp_starttls) -> None:
    (alert,) = make_alerts(store, 1, name=HOSTILE)
    counts = deliver_pending(store, smtp_starttls.channels(), home)
    assert counts["email"]["sent"] == 1, counts
    (msg,) = smtp_starttls.mailbox.messages
    html = _body(msg, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Bcc" not in msg or msg["Bcc"] is None  # no header injection from the company name
    assert "\n" not in msg["Subject"] and "恶意" in msg["Subject"]
    assert msg["X-Smoke-Alert-Id"] == alert.id


def test_starttls_wrong_password_is_a_failure_not_a_send(store, home: Path, smtp_starttls, monkeypatch) -> None:
    make_alerts(store, 1)
    monkeypatch.setenv("SMOKE_SMTP_PASSWORD", "wrong")
    counts = deliver_pending(store, smtp_starttls.channels(), home)
    assert counts["email"] == {"sent": 0, "failed": 1, "pending": 0, "abandoned": 0}
    assert smtp_starttls.mailbox.messages == []
    (a,) = store.list_alerts()
    assert a.delivery["email"] == "failed"
    assert "login refused" in store.get_state(f"alerts.outbox.{a.id}.email")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls(store, home: Path, smtp_tls) -> None:
    make_alerts(store, 1)
    counts = deliver_pending(store, smtp_tls.channels(), home)
    assert counts["email"]["sent"] == 1
    assert len(smtp_tls.mailbox.messages) == 1


def test_untrusted_certificate_is_refused(store, home: Path, smtp_starttls) -> None:
    make_alerts(store, 1)
    counts = deliver_pending(store, smtp_starttls.channels(ca_file=""), home)  # system CAs only
    assert counts["email"]["failed"] == 1 and smtp_starttls.mailbox.messages == []


def test_outage_then_recovery_delivers_each_exactly_once(store, home: Path, smtp_starttls) -> None:
    alerts = make_alerts(store, 3)
    channels = smtp_starttls.channels()
    smtp_starttls.stop()  # the mail server is down
    counts = deliver_pending(store, channels, home)
    assert counts["email"]["sent"] == 0 and counts["email"]["failed"] == 1
    assert counts["email"]["pending"] == 2  # not tried again in the same round once the server is down
    assert all(a.delivery.get("email") != "sent" for a in store.list_alerts())

    smtp_starttls.start()  # back up, same port
    counts = deliver_pending(store, channels, home)
    assert counts["email"] == {"sent": 3, "failed": 0, "pending": 0, "abandoned": 0}
    assert sorted(smtp_starttls.mailbox.ids()) == sorted(a.id for a in alerts)

    assert deliver_pending(store, channels, home)["email"] == {"sent": 0, "failed": 0, "pending": 0, "abandoned": 0}
    assert len(smtp_starttls.mailbox.messages) == 3
