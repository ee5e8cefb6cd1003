"""Alert triage: grouped per company and day, filters, bulk acknowledgement, assignee and
notes; the dashboard counts the latest cycle's alerts by the data's day."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from indexing.models import Company
from indexing.store.sqlite import SQLiteStore
from smoke.accounts import Accounts
from smoke.alerts import evaluate_rules
from smoke.alerts.triage import (
    TriageError,
    TriageFilter,
    acknowledge_many,
    add_note,
    assign,
    get_triage,
    latest_cycle_alerts,
    list_groups,
)
from smoke.web import views
from smoke.web.app import create_app
from tests.alerts.conftest import add_company, add_scores, code, criminal, days

PASSWORD = "correct horse 42"


def _world(store: SQLiteStore) -> dict[str, str]:
    """A replayed day (2026-03-05, far from the wall clock): company 1 crosses 60 and gets
    a criminal case the same day (two rules, one company); company 2 rises in Beijing."""
    c1 = add_company(store, 1, "甲财富管理有限公司")
    add_scores(store, c1, days("2026-03-01", [30, 35, 40, 45, 82]), indicators=[criminal("d1")])
    c2 = code(2)
    store.upsert_companies([Company(credit_code=c2, name="乙投资有限公司", region_code="110105")])
    add_scores(store, c2, days("2026-03-01", [20, 20, 20, 20, 45]))
    new = evaluate_rules(store, "2026-03-05")
    assert {(a.credit_code, a.rule) for a in new} == {(c1, "crossing"), (c1, "critical"), (c1, "rise"), (c2, "rise")}
    return {"c1": c1, "c2": c2}


def test_one_company_one_day_is_one_group_listing_every_reason(store):
    w = _world(store)
    groups = list_groups(store, TriageFilter(state="all"))
    assert [g.credit_code for g in groups] == [w["c1"], w["c2"]]  # highest score first
    g = groups[0]
    assert g.day == "2026-03-05" and sorted(g.rules) == ["critical", "crossing", "rise"]
    assert g.score == 82.0 and g.band == "red" and g.company_name == "甲财富管理有限公司"


def test_filters_rule_band_region_assignee_state(store):
    w = _world(store)

    def codes(**kw) -> list[str]:
        return [g.credit_code for g in list_groups(store, TriageFilter(**{"state": "all", **kw}))]

    assert codes(rule="critical") == [w["c1"]]
    assert codes(band="yellow") == [w["c2"]]
    assert codes(region="11") == [w["c2"]] and codes(region="44") == [w["c1"]]
    ids2 = [a.id for a in store.list_alerts() if a.credit_code == w["c2"]]
    assert assign(store, ids2, "zhang") == ids2
    assert codes(assignee="zhang") == [w["c2"]] and codes(assignee="-") == [w["c1"]]
    done, missing = acknowledge_many(store, ids2, "zhang")
    assert done == ids2 and not missing
    assert codes(state="open") == [w["c1"]] and codes(state="acked") == [w["c2"]]
    assert acknowledge_many(store, ids2, "li") == ([], [])  # the first acknowledgement stays
    assert acknowledge_many(store, ["nope"], "li") == ([], ["nope"])
    with pytest.raises(TriageError, match="band"):
        list_groups(store, TriageFilter(band="purple"))
    with pytest.raises(TriageError, match="state"):
        list_groups(store, TriageFilter(state="closed"))


def test_assignee_and_notes_are_stored_per_alert(store):
    _world(store)
    a = store.list_alerts()[0]
    assign(store, [a.id], "zhang")
    add_note(store, [a.id], "已致电<b>法定代表人</b>", "li", "2026-03-06T09:00:00+08:00")
    add_note(store, [a.id], "待现场核查", "zhang", "2026-03-06T10:00:00+08:00")
    t = get_triage(store, a.id)
    assert t.assignee == "zhang" and [n.text for n in t.notes] == ["已致电<b>法定代表人</b>", "待现场核查"]
    assert store.get_alert(a.id).delivery == a.delivery  # the alert record itself is untouched
    with pytest.raises(TriageError, match="no such alert"):
        assign(store, ["nope"], "zhang")
    with pytest.raises(TriageError, match="note"):
        add_note(store, [a.id], "x" * 2001, "li")


def test_dashboard_counts_the_latest_cycles_alerts_not_the_wall_clocks(store):
    _world(store)
    day, alerts = latest_cycle_alerts(store)
    assert day == "2026-03-05" and len(alerts) == 4
    # before: list_alerts(since=today) -> 0 alerts right after a cycle that raised 4
    d = views.dashboard(store, today=date(2026, 11, 29))
    assert len(d["alerts"]) == 4 and d["alerts_count"] == 4 and d["alerts_day"] == "2026-03-05"
    assert len(d["alert_groups"]) == 2  # two companies


# --- the inbox page and the API ---------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path, store):
    w = _world(store)
    acc = Accounts(tmp_path / "app.db")
    for role in ("viewer", "analyst"):
        acc.add_user(role, PASSWORD, role)
    app = create_app(lambda: SQLiteStore(tmp_path / "smoke.db"), acc, tmp_path / "exports")

    def client(role: str) -> TestClient:
        c = TestClient(app, base_url="http://testserver", follow_redirects=False)
        page = c.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        assert c.post("/login", data={"username": role, "password": PASSWORD, "csrf": csrf, "next": "/"}).status_code == 303
        return c

    return w, client, acc


def test_inbox_shows_one_row_per_company_and_day_and_acks_in_bulk(web, store):
    w, client, acc = web
    c = client("analyst")
    page = c.get("/alerts").text
    assert page.count('class="alert-group"') == 2
    row1 = page[page.index(f'data-key="2026-03-05|{w["c1"]}"'):]
    row1 = row1[: row1.index("</tr>")]
    assert "关键证据" in row1 and "升至高风险" in row1 and "快速上升" in row1
    assert f'href="/company/{w["c1"]}#evidence"' in row1  # the evidence link opens the company page
    assert "<built-in" not in page and "Traceback" not in page
    ids = re.findall(r'name="ids" value="([^"]+)" form="bulk"', page)
    assert len(ids) == 2
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = c.post("/alerts/ack", data={"csrf": csrf, "ids": ids, "back": "/alerts?state=open"})
    assert r.status_code == 303 and r.headers["location"] == "/alerts?state=open"
    assert all(a.acknowledged_by == "analyst" for a in store.list_alerts())
    assert 'class="alert-group"' not in c.get("/alerts").text
    assert c.get("/alerts?state=acked").text.count('class="alert-group"') == 2
    assert acc.list_audit(action="ack_alerts_bulk")[0].row_count == 4
    assert c.post("/alerts/ack", data={"ids": ids}).status_code == 403  # no CSRF token


def test_inbox_assignee_notes_and_filters(web, store):
    w, client, acc = web
    c = client("analyst")
    page = c.get("/alerts").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    ids1 = ",".join(a.id for a in store.list_alerts() if a.credit_code == w["c1"])
    r = c.post("/alerts/triage", data={"csrf": csrf, "ids": ids1, "assignee": "zhang", "note": "<script>x</script>已核查"})
    assert r.status_code == 303
    page = c.get("/alerts?assignee=zhang").text
    assert page.count('class="alert-group"') == 1 and "zhang" in page
    assert "&lt;script&gt;x&lt;/script&gt;已核查" in page and "<script>x</script>" not in page
    assert c.get("/alerts?assignee=-").text.count('class="alert-group"') == 1
    assert c.get("/alerts?region=11").text.count('class="alert-group"') == 1
    assert c.get("/alerts?rule=critical").text.count('class="alert-group"') == 1
    odd = c.get("/alerts?band=purple&state=zzz&day=bad")
    assert odd.status_code == 200 and "已忽略无法识别的筛选条件" in odd.text
    assert acc.list_audit(action="alert_assign") and acc.list_audit(action="alert_note")
    viewer = client("viewer")
    assert viewer.post("/alerts/triage", data={"csrf": csrf, "ids": ids1, "assignee": "x"}).status_code == 403


def test_api_groups_bulk_ack_and_triage(web, store):
    w, client, acc = web
    c = client("analyst")
    token = c.post("/api/v1/auth/token", json={"username": "analyst", "password": PASSWORD}).json()["access_token"]
    h = {"Authorization": f"Bearer {token}"}
    groups = c.get("/api/v1/alerts/groups", headers=h).json()
    assert [g["credit_code"] for g in groups] == [w["c1"], w["c2"]]
    assert sorted(groups[0]["rules"]) == ["critical", "crossing", "rise"]
    assert c.get("/api/v1/alerts/groups?band=purple", headers=h).status_code == 400
    assert c.get("/api/v1/alerts/groups?colour=red", headers=h).status_code == 400
    ids = [a["id"] for a in groups[1]["alerts"]]
    r = c.post("/api/v1/alerts/triage", headers=h, json={"ids": ids, "assignee": "wang", "note": "跟进"})
    assert r.status_code == 200
    assert c.get("/api/v1/alerts/groups?assignee=wang", headers=h).json()[0]["alerts"][0]["notes"][0]["text"] == "跟进"
    assert c.post("/api/v1/alerts/triage", headers=h, json={"ids": ["nope"], "note": "x"}).status_code == 404
    r = c.post("/api/v1/alerts/ack", headers=h, json={"ids": [*ids, "nope"]})
    assert r.json() == {"acknowledged": ids, "missing": ["nope"]}
    assert [g["credit_code"] for g in c.get("/api/v1/alerts/groups", headers=h).json()] == [w["c1"]]
    assert c.post("/api/v1/alerts/ack", headers=h, json={"ids": "x"}).status_code == 400


def test_cli_groups_assign_note(store, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from smoke.cli import cli

    w = _world(store)
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    monkeypatch.setenv("SMOKE_STORE", "sqlite")
    run = CliRunner().invoke
    r = run(cli, ["alerts", "groups"])
    assert r.exit_code == 0, r.output
    lines = [x for x in r.output.splitlines() if x.startswith("2026-03-05")]
    from smoke.labels import alert_rule_zh, level_zh

    assert len(lines) == 2 and "甲财富管理有限公司" in lines[0]  # rule and band names: the labels module's
    assert alert_rule_zh("critical") in lines[0] and alert_rule_zh("crossing") in lines[0] and level_zh("red") in lines[0]
    assert "critical" not in r.output and "crossing" not in r.output and "red" not in r.output
    ids = [a.id for a in store.list_alerts() if a.credit_code == w["c2"]]
    assert run(cli, ["alerts", "assign", *ids, "--to", "zhang"]).exit_code == 0
    assert run(cli, ["alerts", "note", *ids, "--text", "已约谈", "--by", "li"]).exit_code == 0
    r = run(cli, ["alerts", "groups", "--assignee", "zhang"])
    assert "乙投资有限公司" in r.output and "甲财富" not in r.output and "已约谈" in r.output
    r = run(cli, ["alerts", "assign", "nope", "--to", "zhang"])
    assert r.exit_code != 0 and "no such alert" in r.output  # the triage module's error (smoke.alerts.triage)
    r = run(cli, ["alerts", "groups", "--day", "03/05"])
    assert r.exit_code != 0 and "day" in r.output
