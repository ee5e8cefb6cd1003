"""E-mail alerts over SMTP: STARTTLS or implicit TLS, login, HTML + plain text.

The Message-ID is derived from the alert id, so a mail sent again after a crash
between "the server accepted it" and "we recorded it" carries the same id and mail
systems that deduplicate by Message-ID show it once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from config.alerts import EmailChannel as EmailConfig
from smoke.alerts.channels import Channel, ChannelError
from smoke.alerts.render import AlertView

log = logging.getLogger(__name__)


def message_id(alert_id: str) -> str:
    return f"<alert-{alert_id}@smokewatch.alerts>"


def build_message(view: AlertView, config: EmailConfig) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = view.subject(config.subject_prefix)
    msg["From"] = config.sender
    msg["To"] = ", ".join(config.recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = message_id(view.alert.id)
    msg["X-Smoke-Alert-Id"] = view.alert.id
    msg.set_content(view.text(), charset="utf-8")
    msg.add_alternative(view.html(), subtype="html", charset="utf-8")
    return msg


class EmailChannel(Channel):
    key = "email"

    def __init__(self, config: EmailConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.config.ca_file or None)

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        try:
            if c.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout_s, context=self._context())
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout_s)
                if c.security == "starttls":
                    smtp.ehlo()
                    smtp.starttls(context=self._context())
                    smtp.ehlo()
            if c.username:
                smtp.login(c.username, os.environ.get(c.password_env, ""))
        except smtplib.SMTPAuthenticationError as exc:
            raise ChannelError(f"smtp {c.host}:{c.port}: login refused: {exc.smtp_code}", down=True) from exc
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            raise ChannelError(f"smtp {c.host}:{c.port}: {type(exc).__name__}: {exc}", down=True) from exc
        return smtp

    def send(self, view: AlertView) -> None:
        self.send_message(build_message(view, self.config), view.alert.id)

    def send_message(self, msg: EmailMessage, ref: str) -> None:
        """Send one prepared message (an alert, or a follower's digest: ``ref`` names it in the log)."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise ChannelError(f"smtp: every recipient refused: {sorted(exc.recipients)}") from exc
        except smtplib.SMTPDataError as exc:
            self.close()
            raise ChannelError(f"smtp: message refused: {exc.smtp_code} {exc.smtp_error!r}", down=exc.smtp_code >= 500) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise ChannelError(f"smtp: {type(exc).__name__}: {exc}", down=True) from exc
        if refused:
            # Accepted for at least one recipient: counts as sent (resending would
            # duplicate it for the others); the refused ones are in the log.
            log.warning("%s: recipients refused: %s", ref, refused)

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None
