"""Issue 12, point 4 in the web app: export only as a POST with the session's CSRF token,
API tokens listed and revoked (API and CLI), the last admin kept, runs shown plainly."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner
from starlette.testclient import TestClient

from indexing.models import Run
from indexing.store.sqlite import SQLiteStore
from smoke.accounts import Accounts
from smoke.cli import cli
from smoke.web.app import create_app
from tests.web.conftest import PASSWORD, api_token, csrf_of, login


def test_export_is_a_post_with_the_session_csrf_token(as_role) -> None:
    c = as_role("auditor")
    assert c.get("/export/download?format=csv").status_code == 405  # a link or <img> on another site does nothing
    assert c.post("/export/download", data={"format": "csv"}).status_code == 403
    assert c.post("/export/download", data={"format": "csv", "csrf": "forged"}).status_code == 403
    r = c.post("/export/download", data={"format": "csv", "csrf": csrf_of(c.get("/export").text)})
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")


def test_api_tokens_listed_and_revoked(client: TestClient) -> None:
    first, second = api_token(client, "analyst"), api_token(client, "analyst")
    admin = api_token(client, "admin")
    mine = client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {first}"}).json()["tokens"]
    assert len(mine) >= 2 and {t["username"] for t in mine} == {"analyst"}
    assert all(first not in str(t) for t in mine)  # ids, never the tokens
    everyone = client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {admin}"}).json()["tokens"]
    assert {"analyst", "admin"} <= {t["username"] for t in everyone}
    admin_id = next(t["id"] for t in everyone if t["username"] == "admin")
    h = {"Authorization": f"Bearer {first}"}
    assert client.delete(f"/api/v1/auth/tokens/{admin_id}", headers=h).status_code == 404  # not one's own
    assert client.delete("/api/v1/auth/tokens/not-an-id", headers=h).status_code == 400
    ids_before = {t["id"] for t in mine}
    second_id = hashlib.sha256(second.encode()).hexdigest()[:16]  # the id is the start of the token's hash
    assert second_id in ids_before
    assert client.delete(f"/api/v1/auth/tokens/{second_id}", headers=h).status_code == 200
    left = {t["id"] for t in client.get("/api/v1/auth/tokens", headers=h).json()["tokens"]}
    assert second_id not in left and len(left) == len(ids_before) - 1
    assert client.get("/api/v1/companies", headers={"Authorization": f"Bearer {admin}"}).status_code == 200


def test_revoked_token_is_refused_and_cli_lists_and_revokes(tmp_path: Path, monkeypatch, store_factory) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    acc = Accounts(tmp_path / "app.db")
    acc.add_user("ops", PASSWORD, "viewer")
    client = TestClient(create_app(store_factory, acc, tmp_path / "exports"), base_url="http://testserver")
    token = client.post("/api/v1/auth/token", json={"username": "ops", "password": PASSWORD}).json()["access_token"]
    h = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/companies", headers=h).status_code == 200
    listed = CliRunner().invoke(cli, ["users", "tokens", "ops"])
    assert listed.exit_code == 0 and token not in listed.output
    (token_id,) = [line.split()[0] for line in listed.output.splitlines()]
    assert CliRunner().invoke(cli, ["users", "revoke-token", token_id]).exit_code == 0
    assert client.get("/api/v1/companies", headers=h).status_code == 401
    again = CliRunner().invoke(cli, ["users", "revoke-token", token_id])
    assert again.exit_code == 1 and "no live token" in again.output


def test_the_last_admin_cannot_demote_or_disable_itself(tmp_path: Path, store_factory) -> None:
    acc = Accounts(tmp_path / "app.db")
    acc.add_user("boss", PASSWORD, "admin")
    c = TestClient(create_app(store_factory, acc, tmp_path / "exports"), base_url="http://testserver",
                   follow_redirects=False)
    assert login(c, "boss").status_code == 303
    csrf = csrf_of(c.get("/admin/users").text)
    r = c.post("/admin/users", data={"action": "role", "username": "boss", "role": "viewer", "csrf": csrf})
    assert r.status_code == 400 and "last enabled admin" in r.text
    assert acc.get_user("boss").role == "admin"


def test_runs_page_shows_interrupted_and_partial_plainly(tmp_path: Path, accounts) -> None:
    path = tmp_path / "runs.db"
    s = SQLiteStore(path)
    s.save_run(Run(id="cycle-1", started="2026-01-01T02:30:00", finished="2026-01-01T02:40:00", status="interrupted",
                   message="interrupted: its process stopped before the end"))
    s.save_run(Run(id="cycle-2", started="2026-01-02T02:30:00", finished="2026-01-02T02:50:00", status="partial"))
    s.close()
    c = TestClient(create_app(lambda: SQLiteStore(path), accounts, tmp_path / "exports"),
                   base_url="http://testserver", follow_redirects=False)
    assert login(c, "viewer").status_code == 303
    page = c.get("/runs").text
    assert "已中断" in page and "运行被中断" in page and "INTERRUPTED" not in page
    assert "部分完成" in page and "数据不完整" in page and "PARTIAL" not in page
