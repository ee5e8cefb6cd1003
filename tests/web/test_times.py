"""Every time on every page is Asia/Shanghai, and every time in the API is ISO 8601 with +08:00.

A world of its own (a real SQLite store and app.db), where everything happened at one known
instant, 2026-01-01T16:30:00Z, stored the ways the project stores times (UTC with an
offset, with ``Z``, naive UTC): each page must show 2026-01-02 00:30, and none may show a
UTC time, a ``Z`` or a raw ISO ``T``."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from starlette.testclient import TestClient

from crawlers.switches import state_key
from indexing.models import Alert, Company, Run, SourceStats
from indexing.store.sqlite import SQLiteStore
from smoke.accounts import Accounts
from smoke.alerts.triage import add_note
from smoke.service.timefmt import localise_times, shanghai_display, to_shanghai
from smoke.sources import configured_sources
from smoke.watchlist import Watchlists
from smoke.web.app import create_app
from tests.alerts.conftest import code
from tests.web.conftest import PASSWORD, api_token, login

INSTANT = "2026-01-01T16:30:00+00:00"  # half past midnight on 2 January in Shanghai
SHOWN = "2026-01-02 00:30"
SHOWN_S = "2026-01-02 00:30:00"
ISO_SH = "2026-01-02T00:30:00+08:00"
# A time shown in UTC or raw ISO: an offset or Z after a time of day, a 'T' between date and
# time, or the word UTC.
NOT_SHANGHAI = re.compile(r"\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]00:?00)|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\bUTC\b")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """(the app, the company's code, the source switched off); read-only for the tests."""
    tmp_path = tmp_path_factory.mktemp("times")
    db = tmp_path / "smoke.db"
    store = SQLiteStore(db)
    c = code(7)
    store.upsert_companies([Company(credit_code=c, name="上海时区测试投资有限公司", region_code="310115")])
    store.save_alert(Alert("t1", c, INSTANT, "crossing", 72.0, 50.0, "指数突破60"))
    store.save_alert(Alert("t2", c, "2026-01-01T16:30:00Z", "rise", 72.0, 40.0, "7日上升32分"))
    store.acknowledge_alert("t1", "admin", INSTANT)
    add_note(store, ["t2"], "已电话核实", "analyst", at="2026-01-01T16:30:00")  # naive: UTC, as written
    store.save_run(Run("r1", INSTANT, "2026-01-01T16:45:00+00:00", "ok",
                       sources={"registry": SourceStats(pages=5, items=5)}))
    source = next(iter(configured_sources()))
    store.set_state(state_key(source), json.dumps({"by": "admin", "at": INSTANT, "reason": "维护"}))
    store.close()

    accounts = Accounts(tmp_path / "app.db")
    for role in ("viewer", "admin"):
        accounts.add_user(role, PASSWORD, role)
    accounts.audit("admin", "search", {"q": "保本"}, 3, "127.0.0.1")
    s = SQLiteStore(db)
    try:
        Watchlists(accounts.path).add(s, "admin", c)
    finally:
        s.close()
    with sqlite3.connect(accounts.path) as conn:  # every stored time of the app database: the instant
        conn.execute("UPDATE users SET created = ?", (INSTANT,))
        conn.execute("UPDATE audit SET ts = ?", (INSTANT,))
        conn.execute("UPDATE watchlist SET added = ?", ("2026-01-01T16:30:00Z",))
    app = create_app(lambda: SQLiteStore(db), accounts, tmp_path / "exports")
    return app, c, source


@pytest.fixture(scope="module")
def admin(world) -> TestClient:
    """The admin, logged in once for the module's pages."""
    client = TestClient(world[0], base_url="http://testserver", follow_redirects=False)
    assert login(client, "admin").status_code == 303
    return client


@pytest.fixture(scope="module")
def bearer(world) -> dict[str, str]:
    client = TestClient(world[0], base_url="http://testserver", follow_redirects=False)
    return {"Authorization": f"Bearer {api_token(client, 'admin')}"}


def _main(html: str) -> str:
    """The page's content, without the navigation and scripts around it."""
    m = re.search(r"<main\b.*?</main>", html, re.S)
    return re.sub(r"<script\b.*?</script>", "", m.group(0) if m else html, flags=re.S)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/alerts?state=all", SHOWN),  # acknowledged at, and the note's time
        ("/runs", SHOWN_S),  # a run's start; the source's last run
        ("/admin/sources", SHOWN),  # switched off at, last run
        ("/admin/users", SHOWN),  # created
        ("/admin/audit", SHOWN_S),  # the entry's time
        ("/watchlist", SHOWN),  # followed since
    ],
)
def test_every_page_shows_shanghai_time(admin, path, expected):
    r = admin.get(path)
    assert r.status_code == 200, r.text[:300]
    main = _main(r.text)
    assert expected in main, (path, main[:2000])
    bad = NOT_SHANGHAI.findall(main)
    assert not bad, (path, bad)


@pytest.mark.parametrize("path", ["/", "/search?q=上海", "/search?kind=documents&q=上海", "/high-risk", "/company/{code}",
                                  "/export", "/screening", "/admin/audit.csv"])
def test_no_other_page_shows_a_utc_time(world, admin, path):
    r = admin.get(path.format(code=world[1]))
    assert r.status_code == 200, (path, r.text[:300])
    bad = NOT_SHANGHAI.findall(_main(r.text))
    assert not bad, (path, bad)


def test_alert_page_times_each_in_shanghai(admin):
    main = _main(admin.get("/alerts?state=all").text)
    ack = re.search(r"admin <span class=\"muted\">([^<]*)</span>", main).group(1)
    note = re.search(r"analyst ([^<]*)</span> 已电话核实", main).group(1)
    assert ack == SHOWN and note == SHOWN
    assert ">2026-01-02<" in main  # the group's data day: the Shanghai day of the instant




def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/api/v1/alerts?state=", lambda j: [j[0]["created"], j[0]["acknowledged_at"] or j[1]["acknowledged_at"]]),
        ("/api/v1/alerts/groups?state=all", lambda j: [a["created"] for a in j[0]["alerts"]]
         + [n["at"] for a in j[0]["alerts"] for n in a["notes"]] + [a["acknowledged_at"] for a in j[0]["alerts"]
                                                                    if a["acknowledged_at"]]),
        ("/api/v1/audit", lambda j: [e["ts"] for e in j if e["detail"].get("q") == "保本"]),
        ("/api/v1/sources", lambda j: [s["switched_off"]["at"] for s in j if s["switched_off"]]
         + [s["health"]["last_run"] for s in j if s["health"]]),
        ("/api/v1/watchlist", lambda j: [e["added"] for e in j]),
    ],
)
def test_api_times_carry_the_shanghai_offset(world, bearer, path, where):
    r = TestClient(world[0]).get(path, headers=bearer)
    assert r.status_code == 200, r.text
    data = r.json()
    times = where(data)
    assert times and all(t == ISO_SH for t in times), (path, times)
    # and no other timestamp in the answer is UTC either
    stamps = [s for s in _strings(data) if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", s)]
    assert stamps and all(s.endswith("+08:00") for s in stamps), (path, stamps)


def test_api_token_times_carry_the_offset(world):
    app, _, _ = world
    client = TestClient(app, base_url="http://testserver", follow_redirects=False)
    r = client.post("/api/v1/auth/token", json={"username": "admin", "password": PASSWORD})
    assert r.json()["expires"].endswith("+08:00")
    tokens = client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {r.json()['access_token']}"}).json()
    assert tokens["tokens"] and all(t["created"].endswith("+08:00") and t["expires"].endswith("+08:00")
                                    for t in tokens["tokens"])


def test_openapi_says_how_times_look(world):
    app, _, _ = world
    spec = TestClient(app).get("/api/v1/openapi.json").json()
    assert "+08:00" in spec["info"]["description"] and "Asia/Shanghai" in spec["info"]["description"]


def test_serialiser_leaves_dates_and_words_alone():
    doc = {"created": INSTANT, "n": [{"at": "2026-01-01T16:30:00Z"}], "as_of": "2026-01-01", "day": "2026-01-01",
           "title": "2026-01-01T16:30:00Z", "detail": {"q": "2026-01-01 16:30"}, "score": 1.5, "x": None,
           "published": "2026-01-01 10:00", "plain": "not 2026-01-01T16:30:00Z a time"}
    out = localise_times(doc)
    assert out["created"] == ISO_SH and out["n"][0]["at"] == ISO_SH
    assert out["as_of"] == out["day"] == "2026-01-01"  # data dates stay dates
    for key in ("title", "detail", "published", "plain", "score", "x"):  # written text and non-times
        assert out[key] == doc[key]
    assert to_shanghai(INSTANT) == ISO_SH and shanghai_display(INSTANT) == SHOWN
    assert shanghai_display(INSTANT, seconds=True) == SHOWN_S
