"""Roles in the UI and the JSON API: 401 without token, 403 for the wrong role."""

from __future__ import annotations

import pytest

from tests.web.conftest import api_token, csrf_of


def test_api_needs_token(client, codes):
    for method, path in (("get", "/api/v1/companies"), ("get", f"/api/v1/companies/{codes['red']}"),
                         ("post", "/api/v1/export"), ("get", "/api/v1/audit")):
        r = getattr(client, method)(path)
        assert r.status_code == 401, path
        assert r.json()["status"] == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = client.get("/api/v1/companies", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_web_session_is_not_an_api_token(as_role):
    c = as_role("admin")
    assert c.get("/api/v1/companies").status_code == 401


@pytest.mark.parametrize("role,status", [("viewer", 403), ("analyst", 403), ("auditor", 200), ("admin", 200)])
def test_api_export_by_role(client, role, status):
    token = api_token(client, role)
    r = client.post("/api/v1/export?format=csv", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == status
    # an export writes a file and an audit row: never on a GET, which a link or an image can trigger
    assert client.get("/api/v1/export?format=csv", headers={"Authorization": f"Bearer {token}"}).status_code == 405
    if status == 403:
        assert r.json() == {"error": f"role {role} may not do this", "status": 403}
    else:
        assert r.content.startswith(b"\xef\xbb\xbf") and int(r.headers["x-export-rows"]) >= 3


@pytest.mark.parametrize("role,status", [("viewer", 403), ("auditor", 403), ("admin", 200)])
def test_api_audit_admin_only(client, role, status):
    token = api_token(client, role)
    r = client.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == status
    if status == 200:
        assert isinstance(r.json(), list) and r.json()[0]["action"]


def test_api_companies_and_profile(client, codes):
    h = {"Authorization": f"Bearer {api_token(client, 'viewer')}"}
    r = client.get("/api/v1/companies?min_score=60", headers=h)
    assert r.status_code == 200
    items = r.json()
    assert items and all(i["smoke_index"] >= 60 for i in items)
    assert items[0]["credit_code"] == codes["top"]  # highest index first
    r = client.get(f"/api/v1/companies/{codes['red']}", headers=h)
    p = r.json()
    assert r.status_code == 200 and p["credit_code"] == codes["red"] and p["level"] == "red"
    assert set(p["dimensions"]) >= {"compliance", "complaints", "yield", "feature_words", "spread", "network"}
    assert p["indicators"][0]["evidence"][0]["url"].startswith("https://")
    assert client.get("/api/v1/companies/NOPE", headers=h).status_code == 404
    r = client.get("/api/v1/companies?min_score=abc", headers=h)
    assert r.status_code == 400 and r.json()["status"] == 400
    r = client.post("/api/v1/companies", headers=h)
    assert r.status_code == 405 and r.json()["status"] == 405


def test_api_token_bad_body(client):
    assert client.post("/api/v1/auth/token", content=b"{not json").status_code == 400
    assert client.post("/api/v1/auth/token", json=["x"]).status_code == 400


def test_openapi_public(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/v1/export" in spec["paths"]


def test_ui_roles(as_role):
    viewer = as_role("viewer")
    assert viewer.get("/export").status_code == 403
    assert viewer.post("/export/download", data={"format": "csv", "csrf": csrf_of(viewer.get("/").text)}).status_code == 403
    assert viewer.get("/admin/users").status_code == 403
    assert viewer.get("/admin/audit").status_code == 403
    assert "导出" not in viewer.get("/").text.split("<main>")[0]  # no export link in the nav
    assert viewer.post("/alerts/a2/ack", data={"csrf": csrf_of(viewer.get("/").text)}).status_code == 403
    auditor = as_role("auditor")
    assert auditor.get("/export").status_code == 200
    assert auditor.get("/admin/audit").status_code == 403


def test_analyst_acknowledges_alert(as_role, store_factory):
    c = as_role("analyst")
    page = c.get("/alerts")
    assert "7日上升34&lt;b&gt;分&lt;/b&gt;" in page.text  # alert text escaped
    assert "email: 发送失败（将重试）" in page.text  # delivery state in Chinese
    r = c.post("/alerts/a2/ack", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 303
    acked = {a.id: a for a in store_factory().list_alerts()}["a2"]
    assert acked.acknowledged_by == "analyst" and acked.acknowledged_at
    assert "a2/ack" not in c.get("/alerts?open=0").text


def test_admin_adds_user(as_role, accounts):
    c = as_role("admin")
    token = csrf_of(c.get("/admin/users").text)
    r = c.post("/admin/users", data={"action": "add", "username": "newbie", "password": "long enough pw",
                                     "role": "analyst", "csrf": token})  # fmt: skip
    assert r.status_code == 303
    assert accounts.get_user("newbie").role == "analyst"
    r = c.post("/admin/users", data={"action": "add", "username": "short", "password": "x", "role": "viewer", "csrf": token})
    assert r.status_code == 400 and "password" in r.text
