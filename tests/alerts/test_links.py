"""Alerts link to the company page and show Asia/Shanghai times: e-mail over a real SMTP
server (aiosmtpd), webhooks to a real HTTP receiver; the base URL is checked config; the
watch digest's score-move threshold is config too."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from config import ConfigError
from config.alerts import AlertChannels, AlertRules
from indexing.models import Alert
from smoke.accounts import Accounts
from smoke.alerts import deliver_pending, load_alert_config
from smoke.alerts.digests import deliver_watch_digests
from smoke.watchlist import Watchlists
from tests.alerts.conftest import HOSTILE, add_company, add_scores

BASE = "https://smoke.example.gov.cn/app"
INSTANT = "2026-01-01T16:30:00+00:00"  # 2026-01-02 00:30 in Shanghai


def _with_base(channels: AlertChannels, base_url: str) -> AlertChannels:
    """The same channels with ``base_url`` set, validated as the YAML file would be."""
    return AlertChannels.model_validate({**channels.model_dump(), "base_url": base_url})


def _alert(store, n: int = 1, name: str = "") -> tuple[Alert, str]:
    c = add_company(store, n, name)
    a = Alert(id=f"link-{n}", credit_code=c, created=INSTANT, rule="crossing", score=72.0, previous_score=50.0,
              message="指数突破60")
    assert store.save_alert(a)
    return a, c


def _bodies(msg) -> tuple[str, str]:
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def test_email_links_to_the_company_page(store, home: Path, smtp_plain) -> None:
    _, c = _alert(store, name=HOSTILE)
    counts = deliver_pending(store, _with_base(smtp_plain.channels(), BASE + "/"), home)
    assert counts["email"]["sent"] == 1
    (msg,) = smtp_plain.mailbox.messages
    plain, html = _bodies(msg)
    url = f"{BASE}/company/{c}"  # the web app's route /company/{credit_code}; the trailing / dropped
    assert f"企业页面：{url}" in plain.splitlines()
    assert f'<a href="{url}">{url}</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # the hostile name is still escaped
    # the time in Asia/Shanghai, said so, never the stored UTC form
    assert "时间：2026-01-02 00:30（北京时间）" in plain.splitlines()
    assert "2026-01-02 00:30（北京时间）" in html
    assert "16:30" not in plain + html and "+00:00" not in plain + html


def test_email_without_base_url_says_so_and_has_no_link(store, home: Path, smtp_plain) -> None:
    _, c = _alert(store)
    deliver_pending(store, smtp_plain.channels(), home)
    (msg,) = smtp_plain.mailbox.messages
    plain, html = _bodies(msg)
    line = next(ln for ln in plain.splitlines() if ln.startswith("企业页面："))
    assert line.startswith(f"企业页面：/company/{c}") and "未配置网址" in line and "base_url" in line
    assert "<a href" not in html and f"/company/{c}" in html and "未配置网址" in html


def test_webhook_payload_and_robot_carry_the_link(store, home: Path, receiver) -> None:
    _, c = _alert(store)
    counts = deliver_pending(store, _with_base(receiver.channels("json"), BASE), home)
    assert counts["webhook:ops"]["sent"] == 1
    payload = receiver.received[-1].json()
    assert payload["company"]["url"] == f"{BASE}/company/{c}" and "url_note" not in payload["company"]
    assert payload["alert"]["created"] == "2026-01-02T00:30:00+08:00"
    assert f"企业页面：{BASE}/company/{c}" in payload["text"]

    store.save_alert(Alert(id="link-2", credit_code=c, created=INSTANT, rule="rise", score=80.0, previous_score=60.0,
                           message="上升"))
    counts = deliver_pending(store, _with_base(receiver.channels("dingtalk", name="ding"), BASE), home)
    assert counts["webhook:ding"]["sent"] == 1  # the new alert (the first is owed to the channels of its time)
    text = receiver.received[-1].json()["markdown"]["text"]
    assert f"[查看企业页面]({BASE}/company/{c})" in text and "2026\\-01\\-02 00:30" in text


def test_webhook_without_base_url_gives_the_path_and_a_note(store, home: Path, receiver) -> None:
    _, c = _alert(store)
    deliver_pending(store, receiver.channels("json"), home)
    company = receiver.received[-1].json()["company"]
    assert company["url"] == f"/company/{c}" and "base_url is not set" in company["url_note"]


@pytest.mark.parametrize("bad", ["smoke.example.gov.cn", "ftp://smoke.example.gov.cn", "https://x.cn/?a=1",
                                 "https://x.cn/#top", 'https://x.cn/"><script>', "https://x.cn/a b", "https://"])
def test_malformed_base_url_is_a_config_error_naming_file_field_expected(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump({"channels": {"base_url": bad}}), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_alert_config(path)
    msg = str(err.value)
    assert f"{path}: channels.base_url:" in msg and "expected the web ui's address as http(s)://" in msg.lower(), msg


def test_base_url_in_the_shipped_file_loads(tmp_path: Path) -> None:
    rules, channels = load_alert_config()
    assert channels.base_url == ""  # not set: alerts say so
    assert rules.watch.min_score_move == 1.0
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump({"channels": {"base_url": "http://10.0.0.5:8000/"}}), encoding="utf-8")
    assert load_alert_config(path)[1].base_url == "http://10.0.0.5:8000"


# --- the watch digest's threshold ------------------------------------------------------


@pytest.fixture
def follower(store, home: Path) -> str:
    Accounts(home / "app.db").add_user("wang", "correct horse 42", "analyst")
    c = add_company(store, 5, "甲财富管理有限公司")
    add_scores(store, c, {"2026-03-01": 30.0})
    Watchlists(home / "app.db").add(store, "wang", c)
    add_scores(store, c, {"2026-03-01": 30.0, "2026-03-02": 31.5})  # a 1.5-point move, same band
    return c


def _digest_text(home: Path) -> str:
    files = sorted((home / "alerts" / "watch").rglob("digest-*.html"))
    return files[-1].read_text(encoding="utf-8") if files else ""


def test_watch_score_move_threshold_comes_from_config(store, home: Path, follower, tmp_path: Path) -> None:
    channels = AlertChannels.model_validate({"digest": {"enabled": True}, "base_url": BASE})
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump({"rules": {"watch": {"min_score_move": 2.0}}}), encoding="utf-8")
    rules, _ = load_alert_config(path)
    counts = deliver_watch_digests(store, home, "2026-03-02", channels, rules)
    assert counts["empty"] == 1 and counts["sent"] == 0  # 1.5 < 2: not news yet

    counts = deliver_watch_digests(store, home, "2026-03-02", channels, AlertRules())  # the default: 1 point
    assert counts["sent"] == 1
    page = _digest_text(home)
    assert "30.0" in page and "31.5" in page
    assert f'<a href="{BASE}/company/{follower}">甲财富管理有限公司</a>' in page  # the digest links too


def test_watch_threshold_is_checked_config(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump({"rules": {"watch": {"min_score_move": "a lot"}}}), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_alert_config(path)
    assert f"{path}: rules.watch.min_score_move:" in str(err.value)
