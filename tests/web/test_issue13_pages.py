"""Issue 13's "Why" defects that only a browser shows, checked in Debian's chromium (Playwright)
against the real app on a real port and real SQLite stores:

* every page the app serves (found from its routes, so a new page is checked too), at 1440 and
  390 px, after the actions that fill the watchlist, the triage and the audit log: no Python
  repr, traceback, raw JSON, untranslated code (any id of config/labels.yaml, any indicator or
  alert-rule id outside its small grey reference line);
* the navigation at 390 px: each item's label on one line (it stacked one character per line);
* a heavily evidenced company's page at 1440 px: short as opened (it was 10,700 px), tabs, and
  zero-point indicators hidden until asked for;
* the dashboard's alert tile: the latest cycle's alerts by the data's day (it said 0 right after a
  cycle raised 42, filtering by the wall clock), and its region / industry charts count only
  high-risk companies."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from indexing.models import Company, RegistryEntry
from indexing.store.sqlite import SQLiteStore
from scoring.context import ScoringContext
from scoring.model import load_model
from scoring.scorer import score_company
from smoke.accounts import Accounts
from smoke.alerts import evaluate_rules
from smoke.alerts.triage import latest_cycle_alerts
from smoke.labels import labels
from smoke.service.threshold import high_risk
from smoke.web.app import create_app
from tests.alerts.conftest import add_company, add_scores, days
from tests.scoring.conftest import AS_OF, RECRUIT_POST, SCHEME_PROMO, WARNING, company, doc
from tests.web.conftest import PASSWORD, api_token
from tests.web.live import chromium, serving
from tests.web.test_company_page import HOSTILE
from tests.web.world import build_world, world_codes

pytestmark = pytest.mark.browser

WIDTHS = (1440, 390)
FORBIDDEN = ("<built-in", "Traceback", "object at 0x", '{"', "':", "None", "undefined", "NaN", "[object")
HEAVY = "91310000MA1FL0001X"  # tests.scoring.conftest.company's code
ENGLISH_PROSE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b")
URL = re.compile(r"\S+://\S+|\S+\.(?:test|example|com|cn)\S*")
COMMAND = re.compile(r"\bsmoke(?: --?[\w-]+| [a-z][\w-]*)+")  # a CLI command named in a sentence


# --- the world -------------------------------------------------------------------------------


def _heavy_company(store: SQLiteStore) -> None:
    """A company scored by the real model from 77 texts: 25 promotions, 25 recruiting posts, 25
    complaints, a hostile forum page and a warning, with registry entries."""
    c = company(entries=[RegistryEntry("abnormal", "2024-03-01", "通过登记的住所无法联系"),
                         RegistryEntry("penalty", "2024-02-01", "非法集资", "某市市场监督管理局")])
    docs = []
    for i in range(25):
        docs.append(doc(SCHEME_PROMO + f"第{i}期。", code=c.credit_code, site=f"promo{i}", date=f"2024-05-{i + 1:02d}"))
        docs.append(doc(RECRUIT_POST + f"编号{i}", code=c.credit_code, site=f"bbs{i}", date=f"2024-04-{i + 1:02d}"))
        docs.append(doc(f"投诉{i}：鑫聚财富无法提现，平台跑路，本金{i}万元拿不回来。", kind="complaint",
                        code=c.credit_code, site="tousu", date=f"2024-06-{i + 1:02d}"))
    docs += [doc(HOSTILE, code=c.credit_code, site="forum"), doc(WARNING, code=c.credit_code, site="gov", title="风险提示")]
    store.upsert_companies([c])
    store.upsert_documents(docs)
    score = score_company(c, docs, ScoringContext(as_of=AS_OF), load_model(), AS_OF)
    assert sum(i.points == 0 for i in score.indicators) >= 10 and sum(i.points > 0 for i in score.indicators) >= 20
    store.save_scores([score])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("issue13-pages")
    store = SQLiteStore(folder / "smoke.db")
    build_world(store)
    _heavy_company(store)
    store.close()
    accounts = Accounts(folder / "app.db")
    accounts.add_user("admin", PASSWORD, "admin")
    return folder


@pytest.fixture(scope="module")
def app(home: Path):
    return create_app(lambda: SQLiteStore(home / "smoke.db"), Accounts(home / "app.db"), home / "exports")


@pytest.fixture(scope="module")
def acted(app) -> None:
    """What a day's work leaves behind: a followed company, a screening, a triaged and an
    acknowledged alert, a document search and an export (so the watchlist, the inbox and the
    audit log have rows to show)."""
    c = TestClient(app, base_url="http://testserver")
    h = {"Authorization": f"Bearer {api_token(c, 'admin')}"}
    codes = world_codes()
    for code in (codes["red"], HEAVY):
        assert c.post("/api/v1/watchlist", headers=h, json={"credit_code": code}).status_code == 201
    csv = f"名称,统一社会信用代码\n深圳前海鑫盛财富管理有限公司,\n,{codes['top']}\n有限公司,\n".encode()
    assert c.post("/api/v1/screenings", headers=h, files={"file": ("list.csv", csv, "text/csv")}).status_code == 200
    assert c.get("/api/v1/documents", headers=h, params={"q": "保本"}).status_code == 200
    assert c.get("/api/v1/alerts", headers=h).status_code == 200
    groups = c.get("/api/v1/alerts/groups", headers=h, params={"state": "all"}).json()
    ids = [a["id"] for g in groups for a in g["alerts"]]
    assert ids
    r = c.post("/api/v1/alerts/triage", headers=h, json={"ids": ids[:1], "assignee": "zhang", "note": "已约谈"})
    assert r.status_code == 200, r.text
    assert c.post("/api/v1/alerts/ack", headers=h, json={"ids": ids[-1:]}).status_code == 200
    assert c.post("/api/v1/export", headers=h, json={"format": "csv"}).status_code == 200


@pytest.fixture(scope="module")
def server(app, acted) -> Iterator[str]:
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _open(browser, base: str, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return ctx, page


# --- every page ------------------------------------------------------------------------------


def page_paths(app) -> list[str]:
    """Every page the app serves with GET (not the API, files or static assets), the company page
    for each kind of company, and the views a filter opens."""
    codes = world_codes()
    out: list[str] = []
    for route in app.routes:
        if not isinstance(route, Route) or "GET" not in (route.methods or ()):
            continue
        path = route.path
        if path.startswith("/api/") or path.endswith((".csv", ".json")) or path == "/login":
            continue
        if "{credit_code}" in path:
            out += [path.replace("{credit_code}", c) for c in (codes["red"], codes["evil"], codes["low"], HEAVY)]
        else:
            assert "{" not in path, f"a new page with a parameter: give it a value here: {path}"
            out.append(path)
    out += ["/search?kind=documents&q=%E4%BF%9D%E6%9C%AC", "/search?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84",
            "/search?level=red&sort=name", "/alerts?state=all", "/alerts?state=acked", "/high-risk?sort=name",
            "/admin/audit?action=screening"]
    return out


def _codes_pattern() -> re.Pattern[str]:
    """Every code a reader must see translated: the ids of config/labels.yaml (levels, dimensions,
    kinds, rules, states, statuses, audit actions and condition keys), the model's indicator
    ids and level ids, as whole words."""
    lab = labels()
    ids: set[str] = set(lab.levels) | set(lab.dimensions) | set(lab.doc_types) | set(lab.alert_rules)
    ids |= set(lab.delivery_states) | set(lab.source_states) | set(lab.run_statuses) | set(lab.audit_actions)
    ids |= {k for k in lab.audit_keys if "_" in k}  # one-word keys (q, kind ...) are too common to forbid
    ids |= set(load_model().config.indicators)
    ids |= {"cross_60", "rise_15", "critical", "ack_alerts_bulk", "alert_assign", "alert_note", "watch_add",
            "watch_remove", "screening", "search_documents", "read_alerts", "alert_groups", "watch_list"}
    ids -= set(lab.sources)  # a configured source's name (what `smoke sources` takes), shown beside its Chinese name
    words = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w./:-])({words})(?![\w/-])")


# the reader's text: the body without the grey id references (.meta) and without hidden parts
VISIBLE_TEXT = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('.meta, script, style, template').forEach(e => e.remove());
  document.body.appendChild(clone);
  clone.style.position = 'absolute'; clone.style.left = '-99999px';
  const text = clone.innerText;
  clone.remove();
  return text;
}"""


def _check_text(text: str, where: str, codes_re: re.Pattern[str]) -> None:
    for bad in FORBIDDEN:
        at = text.find(bad)
        assert at < 0, f"{where}: shows {bad!r}: ...{text[max(0, at - 80):at + 80]}..."
    m = codes_re.search(text)
    assert m is None, f"{where}: untranslated code {m.group(0)!r}: ...{text[max(0, m.start() - 60):m.end() + 60]}..."
    # English prose (an untranslated source description, message or heading): three English words in a row
    prose = ENGLISH_PROSE.search(COMMAND.sub(" ", URL.sub(" ", text)))
    assert prose is None, f"{where}: English text {prose.group(0)!r}"


# Each navigation item on one line: its text's line boxes all share one top.
NAV_LINES = """() => [...document.querySelectorAll('.topbar nav a, .topbar nav button')].map(a => {
  const r = document.createRange(); r.selectNodeContents(a);
  const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
  const lh = parseFloat(getComputedStyle(a).lineHeight) || parseFloat(getComputedStyle(a).fontSize) * 1.6;
  const box = a.getBoundingClientRect();
  return {text: a.innerText.trim(), lines: tops.size, height: box.height, width: box.width, lh,
          pad: parseFloat(getComputedStyle(a).paddingTop) + parseFloat(getComputedStyle(a).paddingBottom)};
})"""


def _check_nav(page, where: str) -> None:
    items = page.evaluate(NAV_LINES)
    assert len(items) >= 5, f"{where}: navigation missing: {items}"
    for it in items:
        assert it["lines"] == 1, f"{where}: nav item {it['text']!r} wraps onto {it['lines']} lines: {it}"
        assert it["height"] <= it["lh"] * 1.5 + it["pad"] + 2, f"{where}: nav item taller than one line: {it}"
        assert it["width"] >= it["height"], f"{where}: nav item narrower than tall: {it}"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_clean_at_both_widths(browser, server, app, width, tmp_path):
    """/runs and /admin/sources printed <built-in method items of dict object at 0x…>; labels mixed
    English into Chinese pages (red/红, critical, ok, audit action names, raw JSON conditions)."""
    codes_re = _codes_pattern()
    ctx, page = _open(browser, server, width)
    try:
        paths = page_paths(app)
        assert {"/", "/runs", "/admin/sources", "/admin/audit", "/watchlist", "/screening", "/alerts"} <= set(paths)
        for path in paths:
            r = page.goto(server + path)
            assert r is not None and r.status == 200, (path, r.status if r else None)
            page.wait_for_load_state("load")
            where = f"{path} @{width}"
            text = page.evaluate(VISIBLE_TEXT)
            assert re.search(r"[\u4e00-\u9fff]", text), f"{where}: no Chinese text"
            _check_text(text, where, codes_re)
            # what opens on a click (closed toggles, other tabs) is text too
            hidden = page.evaluate("() => [...document.querySelectorAll('details, .ctab-panel')]"
                                   ".map(e => { const c = e.cloneNode(true); c.querySelectorAll('.meta, script').forEach(x => x.remove());"
                                   " return c.textContent; }).join('\\n')")
            _check_text(re.sub(r"\s+", " ", hidden), where + " (closed parts)", codes_re)
            _check_nav(page, where)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{where}: {overflow}px wider than the window"
            page.screenshot(path=str(tmp_path / f"{re.sub(r'[^a-z0-9]+', '-', path)}-{width}.png"), full_page=True)
        assert page.errors == [], page.errors
    finally:
        ctx.close()


def test_navigation_keeps_one_line_per_item_at_390(browser, server):
    """The 390 px layout broke: the navigation stacked one character per line."""
    ctx, page = _open(browser, server, 390)
    try:
        for path in ("/", "/search", "/alerts", "/admin/audit"):
            page.goto(server + path)
            _check_nav(page, f"{path} @390")
            # every item can be reached: it is shown, or the bar scrolls to it
            hidden = page.evaluate("[...document.querySelectorAll('.topbar nav a')].filter(a => "
                                   "getComputedStyle(a).display === 'none' || getComputedStyle(a).visibility === 'hidden').length")
            assert hidden == 0
            nav_h = page.evaluate("document.querySelector('.topbar nav').getBoundingClientRect().height")
            assert nav_h < 90, f"{path}: the navigation is {nav_h}px tall at 390 px"
    finally:
        ctx.close()


# --- the company page ------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_heavy_company_page_is_short_with_tabs_and_zero_points_hidden(browser, server, width):
    """The company page was 10,700 px long, without tabs, and listed ~40 zero-point indicators."""
    ctx, page = _open(browser, server, width)
    try:
        page.goto(f"{server}/company/{HEAVY}")
        page.wait_for_load_state("load")
        opened = page.evaluate("document.documentElement.scrollHeight")
        bound = 2000 if width == 1440 else 3200
        assert opened < bound, f"the company page opens {opened}px long at {width} px"
        heights = {}
        for tab in ("evidence", "documents", "relations", "history"):
            page.click(f"label[for=tab-{tab}]")
            assert page.is_visible(f"#panel-{tab}") and not page.is_visible("#panel-overview")
            heights[tab] = page.evaluate("document.documentElement.scrollHeight")
        if width == 1440:
            # the whole evidence of 77 texts, quoted once per sentence, in its own tab
            assert heights["evidence"] < 9000 and max(heights[t] for t in heights if t != "evidence") < 4000, heights
        page.click("label[for=tab-evidence]")
        # zero-point indicators: none among the visible rows, a closed toggle holds them
        points = page.eval_on_selector_all(
            "#panel-evidence table.indicators tbody tr",
            "rows => rows.filter(r => r.offsetParent !== null).map(r => r.cells[2].innerText.trim())")
        assert len(points) >= 20 and all(float(p) > 0 for p in points), points
        assert page.is_hidden("#zero-indicators table")
        zero_rows = page.eval_on_selector_all("#zero-indicators table tbody tr", "rows => rows.length")
        assert zero_rows >= 10
        page.click("#zero-indicators summary")
        assert page.is_visible("#zero-indicators table")
        assert page.errors == []
    finally:
        ctx.close()


# --- the dashboard ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    """A world replayed far from the wall clock: a cycle on 2026-03-04 raises alerts, the next
    one (2026-03-05) raises more. Served with its own app."""
    folder = tmp_path_factory.mktemp("issue13-replayed")
    store = SQLiteStore(folder / "smoke.db")
    for n in range(1, 5):
        cc = add_company(store, n, f"甲{n}财富管理有限公司")
        first_cross = "2026-03-04" if n == 1 else "2026-03-05"
        add_scores(store, cc, days("2026-03-01", [30, 32, 34] + ([70, 71] if first_cross == "2026-03-04" else [35, 66 + n])))
    before = evaluate_rules(store, "2026-03-04")
    latest = evaluate_rules(store, "2026-03-05")
    day, alerts = latest_cycle_alerts(store)
    assert before and latest and day == "2026-03-05" and len(alerts) == len(latest)
    store.close()
    accounts = Accounts(folder / "app.db")
    accounts.add_user("admin", PASSWORD, "admin")
    with serving(create_app(lambda: SQLiteStore(folder / "smoke.db"), accounts, folder / "exports")) as url:
        yield url, len(latest), len(before)


def _alert_tile(page) -> int:
    tiles = page.eval_on_selector_all(".stats .stat", "els => els.map(e => [e.innerText, e.querySelector('.num').innerText])")
    found = [int(num) for text, num in tiles if "预警" in text]
    assert len(found) == 1, tiles
    return found[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_alert_tile_counts_the_latest_cycle(browser, replayed, width):
    """The dashboard said 今日新预警 0 right after a cycle raised 42 alerts: it filtered by the wall
    clock, while alerts carry the data's date."""
    url, latest, before = replayed
    ctx, page = _open(browser, url, width)
    try:
        assert latest != before
        assert _alert_tile(page) == latest
        _check_nav(page, f"/ @{width}")
    finally:
        ctx.close()


def test_dashboard_charts_count_only_high_risk_companies(browser, tmp_path):
    """The region and industry charts counted every company, not the risky ones."""
    from indexing.models import Score, level_for

    store = SQLiteStore(tmp_path / "smoke.db")
    rows = [("110101", "会计审计", 20.0)] * 6 + [("110105", "资产管理", 85.0), ("440300", "资产管理", 65.0),
                                                 ("440300", "养老服务", 70.0), ("310115", "会计审计", 30.0)]
    for n, (region, industry, idx) in enumerate(rows):
        cc = add_company(store, 50 + n, f"测试{n}号公司")
        store.upsert_companies([Company(credit_code=cc, name=f"测试{n}号公司", region_code=region, industry=industry)])
        store.save_scores([Score(cc, "2026-03-05", idx, level_for(idx), {}, [], "m1")])
    store.close()
    accounts = Accounts(tmp_path / "app.db")
    accounts.add_user("admin", PASSWORD, "admin")
    hr = high_risk()
    expected_regions = {"11": sum(1 for r, _, i in rows if r.startswith("11") and i >= hr),
                        "44": sum(1 for r, _, i in rows if r.startswith("44") and i >= hr)}
    expected_industries = {}
    for _, industry, idx in rows:
        if idx >= hr:
            expected_industries[industry] = expected_industries.get(industry, 0) + 1
    with serving(create_app(lambda: SQLiteStore(tmp_path / "smoke.db"), accounts, tmp_path / "exports")) as url:
        ctx, page = _open(browser, url, 1440)
        try:
            regions = json.loads(page.eval_on_selector("#data-regions", "e => e.textContent"))
            industries = json.loads(page.eval_on_selector("#data-industries", "e => e.textContent"))
            assert {r["key"]: r["count"] for r in regions} == expected_regions
            assert {r["label"]: r["count"] for r in industries} == expected_industries
            assert page.locator("#chart-regions svg rect").count() == len(expected_regions)
        finally:
            ctx.close()

