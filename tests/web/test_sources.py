"""Admins see and switch crawl sources: the page /admin/sources (CSRF, audit, 403 for
other roles), the API GET/POST /api/v1/sources and `smoke sources`. Each test has its
own store and app database, so switching a source here leaves the shared world alone."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from crawlers.switches import source_switch
from indexing.models import Run, SourceStats
from indexing.store.sqlite import SQLiteStore
from smoke.accounts import Accounts
from smoke.cli import cli
from smoke.web.app import create_app
from tests.web.conftest import PASSWORD, ROLES, api_token, csrf_of, login

CONFIGURED = ["amac", "registry", "court", "complaints", "web"]
HOSTILE = "<script>alert('x')</script>站点要求"


@pytest.fixture
def env(tmp_path, monkeypatch):
    """(app, store path, accounts): an empty store with one run, one user per role."""
    monkeypatch.delenv("SMOKE_CONFIG_DIR", raising=False)
    path = tmp_path / "smoke.db"
    with SQLiteStore(path) as s:
        s.save_run(Run(id="crawl-1", started="2024-05-01T00:00:00+00:00", finished="2024-05-01T00:10:00+00:00",
                       status="ok", kind="crawl",
                       sources={"court": SourceStats(pages=17, items=9), "web": SourceStats(blocked=True, blocked_reason="captcha")}))
    accounts = Accounts(tmp_path / "app.db")
    for role in ROLES:
        accounts.add_user(role, PASSWORD, role)
    app = create_app(lambda: SQLiteStore(path), accounts, tmp_path / "exports")
    return app, path, accounts


def _client(app, role: str) -> TestClient:
    c = TestClient(app, base_url="http://testserver", follow_redirects=False)
    assert login(c, role).status_code == 303
    return c


def _switch(path, name):
    with SQLiteStore(path) as s:
        return source_switch(s, name)


def test_admin_sees_every_source_with_health(env):
    app, _, _ = env
    page = _client(app, "admin").get("/admin/sources")
    assert page.status_code == 200
    for name in CONFIGURED:
        assert f'id="source-{name}"' in page.text
    assert 'href="/admin/sources"' in page.text  # in the admin navigation
    assert "页面 17" in page.text and "被封锁" in page.text and "captcha" in page.text
    assert "http://court.sandbox.test/" in page.text and "尚未采集" in page.text  # amac never crawled


def test_admin_switches_a_source_off_and_on_with_csrf_and_audit(env):
    app, path, accounts = env
    c = _client(app, "admin")
    csrf = csrf_of(c.get("/admin/sources").text)
    r = c.post("/admin/sources", data={"csrf": csrf, "name": "court", "action": "disable", "reason": HOSTILE})
    assert r.status_code == 303 and r.headers["location"] == "/admin/sources"
    switch = _switch(path, "court")
    assert switch["by"] == "admin" and switch["reason"] == HOSTILE
    page = c.get("/admin/sources").text
    assert "已停用" in page and HOSTILE not in page and "&lt;script&gt;" in page  # escaped
    entry = accounts.list_audit(limit=1, action="source_disable")[0]
    assert entry.username == "admin" and entry.detail == {"source": "court", "reason": HOSTILE}

    r = c.post("/admin/sources", data={"csrf": csrf, "name": "court", "action": "enable"})
    assert r.status_code == 303 and _switch(path, "court") is None
    assert accounts.list_audit(limit=1, action="source_enable")[0].detail["source"] == "court"


def test_bad_posts_change_nothing(env):
    app, path, accounts = env
    c = _client(app, "admin")
    csrf = csrf_of(c.get("/admin/sources").text)
    assert c.post("/admin/sources", data={"name": "court", "action": "disable"}).status_code == 403  # no CSRF
    assert c.post("/admin/sources", data={"csrf": "forged", "name": "court", "action": "disable"}).status_code == 403
    r = c.post("/admin/sources", data={"csrf": csrf, "name": "nope", "action": "disable"})
    assert r.status_code == 400 and "nope" in r.text
    r = c.post("/admin/sources", data={"csrf": csrf, "name": "court", "action": "delete"})
    assert r.status_code == 400
    r = c.post("/admin/sources", data={"csrf": csrf, "name": "court", "action": "disable", "reason": "x" * 501})
    assert r.status_code == 400
    assert _switch(path, "court") is None
    assert accounts.list_audit(action="source_disable") == []


@pytest.mark.parametrize("role", ["viewer", "analyst", "auditor"])
def test_other_roles_get_403(env, role):
    app, path, _ = env
    c = _client(app, role)
    assert c.get("/admin/sources").status_code == 403
    assert 'href="/admin/sources"' not in c.get("/").text
    csrf = csrf_of(c.get("/").text)
    assert c.post("/admin/sources", data={"csrf": csrf, "name": "court", "action": "disable"}).status_code == 403
    token = api_token(c, role)
    h = {"Authorization": f"Bearer {token}"}
    assert c.get("/api/v1/sources", headers=h).status_code == 403
    assert c.post("/api/v1/sources/court", json={"enabled": False}, headers=h).status_code == 403
    assert _switch(path, "court") is None


def test_api_roundtrip(env):
    app, path, accounts = env
    c = TestClient(app, base_url="http://testserver")
    h = {"Authorization": f"Bearer {api_token(c, 'admin')}"}
    assert c.get("/api/v1/sources").status_code == 401
    rows = c.get("/api/v1/sources", headers=h).json()
    assert [r["name"] for r in rows] == CONFIGURED
    court = rows[2]
    assert court["switched_off"] is None and court["crawled"] is True and court["health"]["pages"] == 17

    r = c.post("/api/v1/sources/court", json={"enabled": False, "reason": "layout changed"}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["switched_off"]["by"] == "admin" and body["switched_off"]["reason"] == "layout changed"
    assert body["crawled"] is False
    assert _switch(path, "court")["reason"] == "layout changed"
    assert next(x for x in c.get("/api/v1/sources", headers=h).json() if x["name"] == "court")["switched_off"]
    entry = accounts.list_audit(limit=1, action="source_disable")[0]
    assert entry.detail == {"source": "court", "reason": "layout changed", "via": "api"}

    assert c.post("/api/v1/sources/court", json={"enabled": True}, headers=h).json()["switched_off"] is None
    assert _switch(path, "court") is None

    r = c.post("/api/v1/sources/nope", json={"enabled": False}, headers=h)
    assert r.status_code == 404 and r.json() == {"error": "no such source", "status": 404}
    for bad in ([], {"enabled": "no"}, {}, {"enabled": False, "reason": 3}, {"enabled": False, "reason": "x" * 501},
                {"enabled": False, "extra": 1}):
        r = c.post("/api/v1/sources/court", json=bad, headers=h)
        assert r.status_code == 400 and r.json()["status"] == 400, bad
    r = c.post("/api/v1/sources/court", content=b"{not json", headers=h)
    assert r.status_code == 400
    assert _switch(path, "court") is None


def test_cli_roundtrip(tmp_path, monkeypatch):
    import getpass

    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    monkeypatch.setenv("SMOKE_STORE", "sqlite")
    monkeypatch.delenv("SMOKE_CONFIG_DIR", raising=False)
    store_path = tmp_path / "smoke.db"
    r = CliRunner().invoke(cli, ["sources", "disable", "web", "--reason", "网站要求停止", "--store", str(store_path)])
    assert r.exit_code == 0, r.output
    switch = _switch(store_path, "web")
    assert switch["reason"] == "网站要求停止" and switch["by"] == getpass.getuser()
    entry = Accounts(tmp_path / "app.db").list_audit(action="source_disable")[0]
    assert entry.detail == {"source": "web", "reason": "网站要求停止", "via": "cli"}

    r = CliRunner().invoke(cli, ["sources", "list", "--store", str(store_path)])
    assert r.exit_code == 0 and "已停用" in r.output and "网站要求停止" in r.output
    r = CliRunner().invoke(cli, ["sources", "list", "--json", "--store", str(store_path)])
    assert [x["name"] for x in json.loads(r.output) if x["switched_off"]] == ["web"]

    r = CliRunner().invoke(cli, ["sources", "disable", "nope", "--store", str(store_path)])
    assert r.exit_code != 0 and "没有名为 'nope' 的数据源" in r.output

    r = CliRunner().invoke(cli, ["sources", "enable", "web", "--store", str(store_path)])
    assert r.exit_code == 0 and _switch(store_path, "web") is None
    assert Accounts(tmp_path / "app.db").list_audit(action="source_enable")[0].detail["source"] == "web"
