"""Webhook alerts: plain JSON, DingTalk robot, WeCom robot.

* ``json``: ``{"idempotency_key": <alert id>, "alert": {...}, "company": {...}, "text": ...}``
  with an ``Idempotency-Key`` header; ``company.url`` is the company page
  (``<base_url>/company/<code>``; only the path, with ``url_note`` saying so, when
  ``channels.base_url`` is not set); times are Asia/Shanghai ISO with ``+08:00``; when a secret is set, ``X-Smoke-Timestamp`` and
  ``X-Smoke-Signature: sha256=<hex HMAC-SHA256 of "timestamp.body">``.
* ``dingtalk``: markdown message; with a secret, the robot's 加签: ``timestamp`` (ms) and
  ``sign`` = urlencode(base64(HMAC-SHA256(key=secret, msg="timestamp\\nsecret"))) added to
  the URL's query. DingTalk answers 200 with ``errcode`` != 0 on refusal.
* ``wecom``: ``{"msgtype": "markdown", "markdown": {"content": ...}}``; the key is in the URL.

Every call carries the alert id as idempotency key: the ``Idempotency-Key`` header, and
for the robots the line ``告警编号 / idempotency-key: <id>`` in the message itself, the
only field they pass on. The robots do not drop repeats themselves, so their channels
say ``dedupes = False`` and the outbox sends them at most once (smoke.alerts.outbox).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from urllib.parse import quote_plus, urlsplit, urlunsplit

import httpx

from config.alerts import WebhookChannel as WebhookConfig
from smoke.alerts.channels import Channel, ChannelError
from smoke.alerts.render import AlertView
from smoke.service.timefmt import localise_times

# DingTalk: 130101 = more than 20 messages a minute; WeCom: 45009 = rate limit. Both
# mean "try again later", like a 5xx.
RETRY_LATER_CODES = {130101, 45009, -1}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The DingTalk robot signature (already url-encoded for the query string)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(mac).decode("ascii"))


def json_signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _with_query(url: str, extra: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _keyed(view: AlertView) -> str:
    """The robot's markdown, ending with the idempotency key (the alert id)."""
    return f"{view.markdown()}\n\nidempotency-key: {view.alert.id}"


def build_request(view: AlertView, config: WebhookConfig, secret: str, now: float | None = None) -> tuple[str, dict, bytes]:
    """(url, headers, body) of the webhook call for one alert."""
    now = time.time() if now is None else now
    a = view.alert
    headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": a.id}
    url = config.url
    if config.format == "json":
        company = {"credit_code": a.credit_code, "name": view.company_name, "region": view.region,
                   "url": view.company_url or view.company_path}
        if not view.company_url:
            company["url_note"] = "path only: channels.base_url is not set in config/alerts.yaml"
        payload = {
            "idempotency_key": a.id,
            "alert": localise_times({k: v for k, v in a.to_dict().items() if k != "delivery"}),
            "company": company,
            "level": view.band,
            "title": view.subject(""),
            "text": view.text(),
        }
    elif config.format == "dingtalk":
        payload = {"msgtype": "markdown", "markdown": {"title": view.subject(""), "text": _keyed(view)}}
        if secret:
            ts = int(now * 1000)
            url = _with_query(url, f"timestamp={ts}&sign={dingtalk_sign(secret, ts)}")
    else:  # wecom
        payload = {"msgtype": "markdown", "markdown": {"content": _keyed(view)}}
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    if config.format == "json" and secret:
        ts = str(int(now))
        headers["X-Smoke-Timestamp"] = ts
        headers["X-Smoke-Signature"] = json_signature(secret, ts, body)
    return url, headers, body


class WebhookChannel(Channel):
    def __init__(self, config: WebhookConfig) -> None:
        self.config = config
        self.key = f"webhook:{config.name}"
        self.dedupes = config.format == "json"
        self._client: httpx.Client | None = None

    def send(self, view: AlertView) -> None:
        c = self.config
        secret = os.environ.get(c.secret_env, "")
        url, headers, body = build_request(view, c, secret)
        if self._client is None:
            self._client = httpx.Client(timeout=c.timeout_s, follow_redirects=False, trust_env=False)
        try:
            resp = self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise ChannelError(f"{self.key}: {type(exc).__name__}: {exc}", down=True) from exc
        if resp.status_code >= 500 or resp.status_code == 429:
            raise ChannelError(f"{self.key}: HTTP {resp.status_code}", down=True)
        if resp.status_code >= 300:
            raise ChannelError(f"{self.key}: HTTP {resp.status_code}: {resp.text[:200]!r}")
        if c.format in ("dingtalk", "wecom"):
            try:
                code = int(resp.json().get("errcode", -1))
            except (ValueError, AttributeError) as exc:
                raise ChannelError(f"{self.key}: answer is not robot JSON: {resp.text[:200]!r}") from exc
            if code != 0:
                raise ChannelError(f"{self.key}: robot refused: errcode {code}", down=code in RETRY_LATER_CODES)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
