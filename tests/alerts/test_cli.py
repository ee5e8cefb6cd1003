"""`smoke alerts ...` end to end in-process (click's runner) on a real store in SMOKE_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from indexing.store.sqlite import SQLiteStore
from smoke.cli import cli
from tests.alerts.conftest import add_company, add_scores, days


def _config(tmp_path: Path, receiver=None, smtp=None, max_attempts: int = 30) -> Path:
    channels: dict = {"digest": {"enabled": True}, "retry": {"base_s": 0, "max_s": 0, "max_attempts": max_attempts}}
    if receiver is not None:
        channels["webhooks"] = [{"name": "ops", "url": receiver.url, "format": "json"}]
    if smtp is not None:
        channels["email"] = smtp.channels().email.model_dump()
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump({"channels": channels}, allow_unicode=True), encoding="utf-8")
    return path


def _seed(home: Path) -> str:
    with SQLiteStore(home / "smoke.db") as store:
        c = add_company(store, 1, "深圳市鑫盛财富管理有限公司")
        add_scores(store, c, days("2024-05-01", [56, 57, 58, 62]))
    return c


def test_evaluate_list_deliver_ack(home: Path, tmp_path: Path, receiver) -> None:
    code = _seed(home)
    run = CliRunner().invoke
    r = run(cli, ["alerts", "evaluate", "--as-of", "2024-05-04"])
    assert r.exit_code == 0, r.output
    assert "数据日期 2024-05-04：新增 1 条预警" in r.output and "升至高风险" in r.output  # Chinese by default
    assert "新增 0 条预警" in run(cli, ["alerts", "evaluate", "--as-of", "2024-05-04"]).output
    assert "0 new alert(s) as of 2024-05-04" in run(cli, ["--lang", "en", "alerts", "evaluate", "--as-of",
                                                         "2024-05-04"]).output

    r = run(cli, ["alerts", "list", "--json"])
    (item,) = [json.loads(line) for line in r.output.splitlines()]
    assert item["credit_code"] == code and item["rule"] == "crossing" and item["delivery"] == {}

    cfg = _config(tmp_path, receiver)
    r = run(cli, ["alerts", "deliver", "--config", str(cfg)])
    assert r.exit_code == 0, r.output
    assert "webhook:ops" in r.output and "sent=1" in r.output
    assert len(receiver.received) == 1
    assert (home / "alerts" / "digest-2024-05-04.jsonl").exists()

    r = run(cli, ["alerts", "list"])
    assert "digest=sent" in r.output and "webhook:ops=sent" in r.output and "鑫盛财富" in r.output
    assert "升至高风险" in r.output and "crossing" not in r.output and "共 1 条预警" in r.output

    r = run(cli, ["alerts", "ack", item["id"], "--by", "analyst1"])
    assert r.exit_code == 0 and "已确认 1 条预警" in r.output
    assert run(cli, ["alerts", "list", "--unacked", "--json"]).output.strip() == ""
    r = run(cli, ["alerts", "ack", "no-such-id"])
    assert r.exit_code == 1


def test_deliver_exits_1_when_a_channel_fails(home: Path, tmp_path: Path, receiver) -> None:
    _seed(home)
    CliRunner().invoke(cli, ["alerts", "evaluate", "--as-of", "2024-05-04"])
    receiver.status = 500
    r = CliRunner().invoke(cli, ["alerts", "deliver", "--config", str(_config(tmp_path, receiver))])
    assert r.exit_code == 1 and "failed=1" in r.output


def test_test_channel(home: Path, tmp_path: Path, receiver, smtp_plain) -> None:
    cfg = str(_config(tmp_path, receiver, smtp_plain))
    run = CliRunner().invoke
    r = run(cli, ["alerts", "test-channel", "webhook:ops", "--config", cfg])
    assert r.exit_code == 0 and "测试预警已被接收" in r.output
    assert receiver.received[0].json()["alert"]["rule"] == "test"
    r = run(cli, ["alerts", "test-channel", "email", "--config", cfg])
    assert r.exit_code == 0 and len(smtp_plain.mailbox.messages) == 1
    assert "通道测试" in smtp_plain.mailbox.messages[0]["Subject"]
    r = run(cli, ["alerts", "test-channel", "digest", "--config", cfg])
    assert r.exit_code == 0 and list((home / "alerts" / "test").glob("digest-*.jsonl"))
    assert not list((home / "alerts").glob("digest-*.jsonl"))  # the real digest is untouched
    r = run(cli, ["alerts", "test-channel", "pager", "--config", cfg])
    assert r.exit_code == 2 and "应为已启用的通道之一" in r.output
    r = run(cli, ["--lang", "en", "alerts", "test-channel", "pager", "--config", cfg])
    assert r.exit_code == 2 and "expected one of the enabled channels" in r.output
    receiver.stop()
    r = run(cli, ["alerts", "test-channel", "webhook:ops", "--config", cfg])
    assert r.exit_code == 1 and "webhook:ops：发送失败" in r.output


def test_every_command_has_help() -> None:
    for args in (["alerts"], ["alerts", "list"], ["alerts", "ack"], ["alerts", "evaluate"], ["alerts", "deliver"], ["alerts", "test-channel"], ["schedule"]):
        r = CliRunner().invoke(cli, [*args, "--help"])
        assert r.exit_code == 0 and len(r.output) > 100, args


def test_given_up_alerts_are_reported_and_retried_on_request(home: Path, tmp_path: Path, receiver) -> None:
    _seed(home)
    run = CliRunner().invoke
    assert run(cli, ["alerts", "evaluate", "--as-of", "2024-05-04"]).exit_code == 0
    (item,) = [json.loads(line) for line in run(cli, ["alerts", "list", "--json"]).output.splitlines()]
    cfg = _config(tmp_path, receiver, max_attempts=1)
    receiver.stop()
    r = run(cli, ["alerts", "deliver", "--config", str(cfg)])
    assert r.exit_code == 1 and "abandoned=1" in r.output, r.output
    assert "webhook:ops=abandoned" in run(cli, ["alerts", "list"]).output
    receiver.start()
    r = run(cli, ["alerts", "deliver", "--config", str(cfg)])
    assert r.exit_code == 0 and "sent=0" in r.output and receiver.received == []  # given up stays given up
    r = run(cli, ["alerts", "retry", item["id"]])
    assert r.exit_code == 0 and "已在 webhook:ops 重新排队" in r.output, r.output
    r = run(cli, ["alerts", "deliver", "--config", str(cfg)])
    assert r.exit_code == 0 and "webhook:ops" in r.output and "sent=1" in r.output, r.output
    assert len(receiver.received) == 1
    assert run(cli, ["alerts", "retry", "no-such-id"]).exit_code == 1
