"""Webhook alerts through a real local HTTP receiver: plain JSON (idempotency key, HMAC
signature), DingTalk (加签 signature, markdown), WeCom (markdown), refusals and outages."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from urllib.parse import parse_qs

from smoke.alerts import deliver_pending
from tests.alerts.conftest import HOSTILE, make_alerts

SECRET = "SEC-test-robot-secret"


def test_plain_json_with_idempotency_key_and_signature(store, home: Path, receiver, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_WEBHOOK_SECRET", SECRET)
    alerts = make_alerts(store, 2)
    counts = deliver_pending(store, receiver.channels("json"), home)
    assert counts == {"webhook:ops": {"sent": 2, "failed": 0, "pending": 0, "abandoned": 0}}
    assert len(receiver.received) == 2
    for r in receiver.received:
        body = r.json()
        assert body["idempotency_key"] == body["alert"]["id"] == r.headers["Idempotency-Key"]
        assert body["company"]["credit_code"] == body["alert"]["credit_code"]
        assert "delivery" not in body["alert"]
        expected = hmac.new(SECRET.encode(), r.headers["X-Smoke-Timestamp"].encode() + b"." + r.body, hashlib.sha256)
        assert r.headers["X-Smoke-Signature"] == "sha256=" + expected.hexdigest()
        assert abs(int(r.headers["X-Smoke-Timestamp"]) - time.time()) < 60
    assert sorted(r.json()["idempotency_key"] for r in receiver.received) == sorted(a.id for a in alerts)
    assert all(a.delivery == {"webhook:ops": "sent"} for a in store.list_alerts())


def test_dingtalk_signed_markdown(store, home: Path, receiver, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_WEBHOOK_SECRET", SECRET)
    make_alerts(store, 1, name=HOSTILE)
    receiver_url = receiver.url
    channels = receiver.channels("dingtalk", name="dd")
    channels.webhooks[0].url = receiver_url + "?access_token=abc"
    counts = deliver_pending(store, channels, home)
    assert counts["webhook:dd"]["sent"] == 1, counts
    (r,) = receiver.received
    q = parse_qs(r.query)  # parse_qs url-decodes: compare with the raw base64
    assert q["access_token"] == ["abc"]
    ts = q["timestamp"][0]
    assert abs(int(ts) / 1000 - time.time()) < 60
    raw = base64.b64encode(hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest()).decode()
    assert q["sign"] == [raw]
    assert "%2B" in r.query or "%2F" in r.query or "%3D" in r.query  # the sign is url-encoded on the wire
    body = r.json()
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"title", "text"}
    text = body["markdown"]["text"]
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "](http" not in text and "\\*\\*粗体\\*\\*" in text  # no live link, no emphasis from crawled text


def test_wecom_markdown(store, home: Path, receiver) -> None:
    make_alerts(store, 1)
    counts = deliver_pending(store, receiver.channels("wecom", name="wx"), home)
    assert counts["webhook:wx"]["sent"] == 1
    body = receiver.received[0].json()
    assert body["msgtype"] == "markdown" and "冒烟指数" in body["markdown"]["content"]
    assert "timestamp" not in receiver.received[0].query


def test_robot_refusal_is_a_failure(store, home: Path, receiver) -> None:
    make_alerts(store, 1)
    receiver.answer = {"errcode": 310000, "errmsg": "sign not match"}
    counts = deliver_pending(store, receiver.channels("dingtalk", name="dd"), home)
    assert counts["webhook:dd"] == {"sent": 0, "failed": 1, "pending": 0, "abandoned": 0}
    (a,) = store.list_alerts()
    assert a.delivery["webhook:dd"] == "failed"
    rec = json.loads(store.get_state(f"alerts.outbox.{a.id}.webhook:dd"))
    assert rec["attempts"] == 1 and "errcode 310000" in rec["last_error"]


def test_outage_then_recovery_delivers_each_exactly_once(store, home: Path, receiver) -> None:
    alerts = make_alerts(store, 4)
    channels = receiver.channels("json")
    receiver.stop()  # connection refused
    counts = deliver_pending(store, channels, home)
    assert counts["webhook:ops"]["sent"] == 0 and counts["webhook:ops"]["failed"] == 1
    receiver.start()
    receiver.status = 503  # up but failing
    counts = deliver_pending(store, channels, home)
    assert counts["webhook:ops"]["sent"] == 0 and counts["webhook:ops"]["failed"] == 1
    assert receiver.received == []
    receiver.status = 200  # recovered
    counts = deliver_pending(store, channels, home)
    assert counts["webhook:ops"] == {"sent": 4, "failed": 0, "pending": 0, "abandoned": 0}
    assert sorted(r.json()["idempotency_key"] for r in receiver.received) == sorted(a.id for a in alerts)
    assert deliver_pending(store, channels, home)["webhook:ops"] == {"sent": 0, "failed": 0, "pending": 0, "abandoned": 0}
    assert len(receiver.received) == 4


def test_backoff_waits_before_retrying(store, home: Path, receiver) -> None:
    make_alerts(store, 1)
    channels = receiver.channels("json", base_s=3600, max_s=7200)
    receiver.status = 500
    assert deliver_pending(store, channels, home)["webhook:ops"]["failed"] == 1
    receiver.status = 200
    # Within the backoff: not tried, counted as pending.
    assert deliver_pending(store, channels, home)["webhook:ops"] == {"sent": 0, "failed": 0, "pending": 1, "abandoned": 0}
    assert receiver.received == []
    # After the backoff (a clock two hours on): delivered.
    from datetime import UTC, datetime, timedelta

    later = datetime.now(UTC) + timedelta(hours=2)
    assert deliver_pending(store, channels, home, now=later)["webhook:ops"]["sent"] == 1
    assert len(receiver.received) == 1
