"""`smoke sandbox generate` and `smoke sandbox serve` as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from smoke.cli import cli
from tests.sandbox.conftest import Client

ROOT = Path(__file__).resolve().parents[2]


def test_generate_writes_a_world_and_a_summary(tmp_path):
    result = CliRunner().invoke(cli, ["sandbox", "generate", "--companies", "250", "--seed", "5", "--out",
                                      str(tmp_path / "w"), "--prevalence", "0.1"])
    assert result.exit_code == 0, result.output
    assert "企业 250 家" in result.output and "涉嫌集资或传销" in result.output  # Chinese by default
    meta = json.loads((tmp_path / "w" / "world.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 5 and meta["companies"] == 250 and meta["prevalence"] == 0.1


def test_generate_a_hard_world(tmp_path):
    result = CliRunner().invoke(cli, ["sandbox", "generate", "--companies", "120", "--seed", "5", "--out",
                                      str(tmp_path / "w"), "--difficulty", "hard"])
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "w" / "world.json").read_text(encoding="utf-8"))
    assert meta["difficulty"] == "hard" and "angry_customers" in meta["lookalikes"]
    bad = CliRunner().invoke(cli, ["sandbox", "generate", "--out", str(tmp_path / "x"), "--difficulty", "insane"])
    assert bad.exit_code != 0 and "difficulty" in bad.output


def test_generate_rejects_bad_arguments(tmp_path):
    result = CliRunner().invoke(cli, ["sandbox", "generate", "--companies", "0", "--out", str(tmp_path / "w")])
    assert result.exit_code != 0 and "companies" in result.output


def test_serve_without_world_generates_the_demo_world_and_serves_until_interrupted(tmp_path):
    env = {**os.environ, "SMOKE_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    # stderr to a file, not a pipe nobody reads: a full pipe would block the server's last words
    # (and its exit) on a busy machine.
    err = tmp_path / "serve.err"
    with err.open("w") as err_file:
        proc = subprocess.Popen([sys.executable, "-m", "smoke", "sandbox", "serve", "--port", "0", "--as-of", "2023-06-30"],
                                stdout=subprocess.PIPE, stderr=err_file, text=True, env=env, cwd=tmp_path)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), err.read_text() if proc.poll() is not None else url
        client = Client(url)
        assert client.json("http://control.sandbox.test/as-of")["as_of"] == "2023-06-30"
        assert client.get("http://registry.sandbox.test/companies?page=1").status == 200
        assert (tmp_path / "home" / "world" / "world.json").is_file()
        meta = json.loads((tmp_path / "home" / "world" / "world.json").read_text(encoding="utf-8"))
        assert meta["companies"] == 300 and meta["seed"] == 7
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError(f"the server did not stop on Ctrl-C; its stderr:\n{err.read_text()[-3000:]}") from None
    assert proc.returncode == 0, err.read_text()[-3000:]


def test_serve_reports_a_missing_world_clearly(tmp_path):
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--world", str(tmp_path / "nothing")])
    assert result.exit_code != 0 and "not a sandbox world" in result.output
