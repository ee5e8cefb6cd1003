"""`smoke users`, `smoke export` and `smoke serve` through the real CLI."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from smoke.accounts import Accounts
from smoke.cli import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    monkeypatch.setenv("SMOKE_STORE", "sqlite")
    return tmp_path


def test_users_add_list_reset(home):
    r = CliRunner().invoke(cli, ["users", "add", "alice", "--role", "auditor"], input="s3cret-pass-4-alice\n")
    assert r.exit_code == 0, r.output
    acc = Accounts(home / "app.db")
    assert acc.authenticate("alice", "s3cret-pass-4-alice").role == "auditor"
    r = CliRunner().invoke(cli, ["users", "list"])
    assert "alice" in r.output and "auditor" in r.output
    r = CliRunner().invoke(cli, ["users", "reset", "alice"], input="another-pass-4-alice\n")
    assert r.exit_code == 0
    assert acc.authenticate("alice", "s3cret-pass-4-alice") is None and acc.authenticate("alice", "another-pass-4-alice")
    r = CliRunner().invoke(cli, ["users", "add", "bob", "--role", "admin"], input="short\n")
    assert r.exit_code != 0 and "password" in r.output
    r = CliRunner().invoke(cli, ["users", "add", "carol", "--role", "boss"], input="long enough\n")
    assert r.exit_code != 0 and "boss" in r.output


def test_export_command(home):
    from indexing.store import open_store
    from tests.web.world import build_world

    with open_store() as s:
        build_world(s)
    out = home / "out" / "high.csv"
    r = CliRunner().invoke(cli, ["export", "--min-score", "60", "-o", str(out), "--region", "44"])
    assert r.exit_code == 0, r.output
    manifest = json.loads((home / "out" / "high.csv.manifest.json").read_text(encoding="utf-8"))
    assert manifest["row_count"] == 2 and manifest["filters"] == {"region": "44"}
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "已写出 2 行" in r.output
    r = CliRunner().invoke(cli, ["export", "-o", str(home / "x.xlsx")])
    assert r.exit_code == 0 and (home / "x.xlsx").exists()


def test_serve_starts_and_answers(home):
    Accounts(home / "app.db").add_user("root", "root-password-42", "admin")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SMOKE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "smoke", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.post(f"{base}/api/v1/auth/token", json={"username": "root", "password": "root-password-42"})
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert r.status_code == 200
        token = r.json()["access_token"]
        r = httpx.get(f"{base}/api/v1/companies", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json() == []
        assert httpx.get(f"{base}/login").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
