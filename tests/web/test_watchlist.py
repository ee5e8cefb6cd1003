"""Following companies: the company page's button, /watchlist, the API and `smoke watch`; all audited."""

from __future__ import annotations

import re

from click.testing import CliRunner

from smoke.cli import cli
from smoke.watchlist import Watchlists
from tests.web.conftest import PASSWORD, api_token, csrf_of


def test_follow_button_on_company_page(as_role, codes, accounts):
    c = as_role("viewer")
    code = codes["red"]
    Watchlists(accounts.path).remove("viewer", code)
    page = c.get(f"/company/{code}").text
    form = re.search(rf'<form method="post" action="/watch/{code}" class="watch-button">.*?</form>', page, re.S).group(0)
    assert 'value="follow"' in form and "关注" in form
    r = c.post(f"/watch/{code}", data={"csrf": csrf_of(page), "action": "follow"})
    assert r.status_code == 303 and r.headers["location"] == f"/company/{code}"
    assert Watchlists(accounts.path).follows("viewer", code)
    page = c.get(f"/company/{code}").text
    assert "取消关注" in page
    listing = c.get("/watchlist").text
    assert "深圳前海鑫盛财富管理有限公司" in listing and "86.5" in listing
    r = c.post(f"/watch/{code}", data={"csrf": csrf_of(page), "action": "unfollow", "back": "/watchlist"})
    assert r.status_code == 303 and r.headers["location"] == "/watchlist"
    assert not Watchlists(accounts.path).follows("viewer", code)
    actions = [e.action for e in accounts.list_audit(username="viewer", limit=20)]
    assert "watch_add" in actions and "watch_remove" in actions
    assert c.post(f"/watch/{code}", data={"action": "follow"}).status_code == 403  # no CSRF token
    assert c.post("/watch/000000000000000000", data={"csrf": csrf_of(page)}).status_code == 404


def test_watchlist_api(client, codes, accounts):
    token = api_token(client, "analyst")
    h = {"Authorization": f"Bearer {token}"}
    for entry in client.get("/api/v1/watchlist", headers=h).json():
        client.delete(f"/api/v1/watchlist/{entry['credit_code']}", headers=h)
    r = client.post("/api/v1/watchlist", headers=h, json={"credit_code": codes["top"]})
    assert r.status_code == 201 and r.json()["new"] is True
    assert client.post("/api/v1/watchlist", headers=h, json={"credit_code": codes["top"]}).json()["new"] is False
    # a full-width credit code is the same code
    fw = codes["red"].translate({ord(ch): ord(ch) + 0xFEE0 for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY"})
    assert client.post("/api/v1/watchlist", headers=h, json={"credit_code": fw}).status_code == 201
    items = client.get("/api/v1/watchlist", headers=h).json()
    assert {i["credit_code"] for i in items} == {codes["top"], codes["red"]}
    assert next(i for i in items if i["credit_code"] == codes["red"])["smoke_index"] == 86.5
    assert client.delete("/api/v1/watchlist", headers=h, params={"credit_code": codes["red"]}).status_code == 200
    assert client.delete(f"/api/v1/watchlist/{codes['red']}", headers=h).status_code == 404
    assert client.post("/api/v1/watchlist", headers=h, json={"credit_code": "000000000000000000"}).status_code == 404
    assert client.post("/api/v1/watchlist", headers=h, json={"code": "x"}).status_code == 400
    assert client.post("/api/v1/watchlist", headers=h, content=b"not json").status_code == 400
    assert client.get("/api/v1/watchlist").status_code == 401
    assert client.get("/api/v1/watchlist?x=1", headers=h).status_code == 400
    audit = accounts.list_audit(username="analyst", action="watch_add", limit=5)
    assert audit and audit[0].detail["via"] == "api"


def test_watch_cli(tmp_path, monkeypatch):
    from indexing.store import open_store
    from smoke.accounts import Accounts
    from tests.web.world import build_world, world_codes

    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    monkeypatch.setenv("SMOKE_STORE", "sqlite")
    with open_store() as s:
        build_world(s)
    Accounts(tmp_path / "app.db").add_user("wang", PASSWORD, "analyst")
    w = world_codes()
    run = CliRunner().invoke
    r = run(cli, ["watch", "add", "--user", "wang", w["red"], w["top"], w["low"]])
    assert r.exit_code == 0, r.output
    assert r.output.count("已关注") == 3
    r = run(cli, ["watch", "list", "--user", "wang"])
    assert r.exit_code == 0 and w["red"] in r.output and "深圳前海鑫盛财富管理有限公司" in r.output and "86.5" in r.output
    r = run(cli, ["watch", "add", "--user", "nobody", w["red"]])
    assert r.exit_code == 1 and "no such user" in r.output
    r = run(cli, ["watch", "add", "--user", "wang", "000000000000000000"])
    assert r.exit_code == 1 and "no company" in r.output
    r = run(cli, ["watch", "email", "--user", "wang", "not-an-address"])
    assert r.exit_code != 0 and "email" in r.output
    assert run(cli, ["watch", "email", "--user", "wang", "wang@example.test"]).exit_code == 0
    r = run(cli, ["watch", "remove", "--user", "wang", w["low"]])
    assert r.exit_code == 0
    assert Watchlists(tmp_path / "app.db").codes("wang") == {w["red"], w["top"]}
    actions = [e.action for e in Accounts(tmp_path / "app.db").list_audit(limit=20)]
    assert actions.count("watch_add") == 3 and "watch_remove" in actions and "watch_email" in actions
