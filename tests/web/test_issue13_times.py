"""Issue 13, "Pages": times mixed UTC and Asia/Shanghai. A real store with a run that started
late in the UTC evening (so the Shanghai day is the next day), alerts triaged through the real
app; every time a page shows is the stored UTC time in Asia/Shanghai (and the API's carry
+08:00). Asserts times, not wording."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from indexing.models import Run, SourceStats
from indexing.store.sqlite import SQLiteStore
from smoke.accounts import Accounts
from smoke.alerts import evaluate_rules
from smoke.web.app import create_app
from tests.alerts.conftest import add_company, add_scores, days
from tests.web.conftest import PASSWORD, api_token, login

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHOWN = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d")


def _sh(stored: str) -> str:
    t = datetime.fromisoformat(stored)
    t = t if t.tzinfo else t.replace(tzinfo=UTC)  # the project writes naive times in UTC
    return t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def site(tmp_path: Path):
    store = SQLiteStore(tmp_path / "smoke.db")
    cc = add_company(store, 1, "甲财富管理有限公司")
    add_scores(store, cc, days("2026-03-01", [30, 35, 40, 45, 82]))
    assert evaluate_rules(store, "2026-03-05")
    store.save_run(Run("r1", "2026-03-05T18:30:00+00:00", "2026-03-05T18:45:00", "ok", "cycle",
                       sources={"web": SourceStats(pages=3, items=2)}))
    store.close()
    accounts = Accounts(tmp_path / "app.db")
    accounts.add_user("admin", PASSWORD, "admin")
    app = create_app(lambda: SQLiteStore(tmp_path / "smoke.db"), accounts, tmp_path / "exports")
    c = TestClient(app, base_url="http://testserver", follow_redirects=False)
    assert login(c, "admin").status_code == 303
    h = {"Authorization": f"Bearer {api_token(TestClient(app, base_url='http://testserver'), 'admin')}"}
    return c, h, tmp_path


def _times(html: str) -> set[str]:
    return set(SHOWN.findall(re.sub(r"<[^>]+>", " ", html)))


def test_runs_and_audit_pages_show_shanghai_times(site) -> None:
    c, h, home = site
    runs = c.get("/runs").text
    assert {"2026-03-06 02:30", "2026-03-06 02:45"} <= {t[:16] for t in _times(runs)}  # 18:30 UTC is 02:30 next day
    assert "18:30" not in runs and "18:45" not in runs
    audit = c.get("/admin/audit").text
    stored = [e.ts for e in Accounts(home / "app.db").list_audit(limit=50)]
    assert stored and {_sh(ts) for ts in stored} >= {t[:16] for t in _times(audit)}
    assert _sh(stored[0]) in audit


def test_api_times_carry_the_shanghai_offset(site) -> None:
    c, h, _ = site
    alerts = c.get("/api/v1/alerts", headers=h).json()
    assert alerts and all(a["created"].endswith("+08:00") or len(a["created"]) == 10 for a in alerts)


def test_alert_inbox_shows_note_and_acknowledgement_times_in_shanghai(site) -> None:
    c, h, _ = site
    ids = [a["id"] for a in c.get("/api/v1/alerts", headers=h).json()]
    assert c.post("/api/v1/alerts/triage", headers=h, json={"ids": ids[:1], "note": "已核查"}).status_code == 200
    assert c.post("/api/v1/alerts/ack", headers=h, json={"ids": ids[:1]}).status_code == 200
    page = c.get("/alerts?state=all").text
    row = page[page.index("已核查") - 400: page.index("已核查")]
    now_utc = datetime.now(UTC)
    shown = _times(page)
    assert shown, "no time shown"
    for t in shown:
        assert "T" not in t, f"an ISO time shown raw: {t}"
        assert t[:13] != now_utc.strftime("%Y-%m-%d %H") or now_utc.astimezone(SHANGHAI).hour == now_utc.hour, t
    assert datetime.now(SHANGHAI).strftime("%Y-%m-%d %H") in row  # the note's time, in Shanghai
