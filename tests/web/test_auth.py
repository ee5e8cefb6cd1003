"""Logins, sessions, CSRF and the login rate limit, in process."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf_of, login


def test_pages_need_login(client):
    for path in ("/", "/search?q=x", "/high-risk", "/alerts", "/runs"):
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path


def test_login_sets_secure_session_cookie(client):
    r = login(client, "viewer")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = [c for c in r.headers.get_list("set-cookie") if c.startswith("smoke_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert client.get("/").status_code == 200


def test_cookie_is_secure_over_https(app):
    c = TestClient(app, base_url="https://testserver", follow_redirects=False)
    r = login(c, "viewer")
    cookie = [c for c in r.headers.get_list("set-cookie") if c.startswith("smoke_session=")][0]
    assert "Secure" in cookie
    assert "strict-transport-security" in c.get("/").headers


def test_wrong_password_refused(client):
    r = login(client, "viewer", "wrong password!")
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    assert client.get("/").status_code == 303


def test_login_form_needs_csrf(client):
    client.get("/login")
    r = client.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403
    assert "smoke_session" not in r.headers.get("set-cookie", "")


def test_login_rate_limited_per_user_and_ip(app, client, accounts):
    for _ in range(5):
        assert login(client, "analyst", "not the password").status_code == 401
    r = login(client, "analyst")  # even the right password: too many failures in the last minute
    assert r.status_code == 429 and "smoke_session" not in r.headers.get("set-cookie", "")
    # another user from the same address is not affected
    assert login(TestClient(app, follow_redirects=False), "auditor").status_code == 303
    accounts.clear_login_failures("analyst", "testclient")
    assert login(client, "analyst").status_code == 303


def test_api_token_rate_limited(client, accounts):
    for _ in range(5):
        r = client.post("/api/v1/auth/token", json={"username": "admin", "password": "nope nope"})
        assert r.status_code == 401 and r.json() == {"error": "wrong username or password", "status": 401}
    r = client.post("/api/v1/auth/token", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 429 and r.json()["status"] == 429
    accounts.clear_login_failures("admin", "testclient")


def test_post_forms_need_csrf(as_role):
    c = as_role("admin")
    # no token / wrong token: refused, nothing changed
    assert c.post("/alerts/a1/ack", data={}).status_code == 403
    assert c.post("/admin/users", data={"action": "add", "username": "mallory", "password": "x" * 10,
                                        "role": "admin", "csrf": "forged"}).status_code == 403  # fmt: skip
    assert "mallory" not in c.get("/admin/users").text
    assert c.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert c.get("/").status_code == 200


def test_logout_ends_session(as_role):
    c = as_role("viewer")
    token = csrf_of(c.get("/").text)
    assert c.post("/logout", data={"csrf": token}).status_code == 303
    assert c.get("/").status_code == 303


def test_next_redirect_stays_on_site(client):
    page = client.get("/login?next=//evil.example/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf": csrf, "next": "//evil.example/"})
    assert r.headers["location"] == "/"


def test_security_headers(client):
    r = client.get("/login")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"


def test_password_hashed_with_argon2(accounts):
    import sqlite3

    db = sqlite3.connect(accounts.path)
    (h,) = db.execute("SELECT pw_hash FROM users WHERE username = 'viewer'").fetchone()
    assert h.startswith("$argon2id$") and PASSWORD not in h
    (tok,) = db.execute("SELECT COUNT(*) FROM sessions").fetchone()
    assert tok >= 0
