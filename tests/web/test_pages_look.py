"""Tests that look: every page, opened in Debian's chromium at 1440 px and at 390 px,
shows Chinese content and nothing a reader should never see (a Python repr such as
``<built-in method items ...>``, a traceback, raw JSON, an untranslated rule id or an
English level word), does not scroll sideways on a phone, and keeps the navigation on
one line per link. Screenshots of each go to ``SMOKE_SCREENSHOT_DIR`` (default: a
temporary folder) so a person can look too."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from smoke.web.app import create_app
from tests.web.conftest import PASSWORD
from tests.web.live import chromium, serving

pytestmark = pytest.mark.browser

WIDTHS = (1440, 390)

# Words that must never reach a reader: Python and server internals, raw JSON, rule ids
# and level ids (the Chinese names come from smoke.labels).
FORBIDDEN = ("<built-in", "Traceback", "object at 0x", '{"', "None", "undefined", "NaN")
ENGLISH_CODES = re.compile(
    r"\b(green|blue|yellow|orange|red|critical|crossing|cross_60|rise_15|ok|OK|PARTIAL|FAILED|INTERRUPTED|"
    r"running|partial|failed|interrupted|blocked|degraded|failing|pending|sent|abandoned|"
    r"view_company|high_risk_list|login_failed|ack_alert|source_disable|source_enable|user_add)\b"
)


@pytest.fixture(scope="module")
def server(store_factory, accounts, tmp_path_factory):
    with serving(create_app(store_factory, accounts, tmp_path_factory.mktemp("look-exports"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("SMOKE_SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pages(codes: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, path, a phrase the page must show); the audit log comes last so it holds
    the searches and views made before it."""
    return [
        ("dashboard", "/", "高风险企业省份分布"),
        ("search-companies", "/search?q=%E8%B4%A2%E5%AF%8C", "企业"),
        ("search-documents", "/search?kind=documents&q=%E4%BF%9D%E6%9C%AC", "文档"),
        ("high-risk", "/high-risk", "高风险名单"),
        ("company", f"/company/{codes['red']}", "冒烟指数"),
        ("alerts", "/alerts?open=0", "升至高风险"),
        ("runs", "/runs", "被封锁"),
        ("sources", "/admin/sources", "数据源管理"),
        ("users", "/admin/users", "用户管理"),
        ("export", "/export", "导出"),
        ("audit", "/admin/audit", "查看企业"),
    ]


def _login(page, server: str) -> None:
    page.goto(server + "/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")


def _check_page(page, name: str, width: int, phrase: str) -> None:
    text = page.inner_text("body")
    assert phrase in text, f"{name} @{width}: {phrase!r} missing"
    for bad in FORBIDDEN:
        assert bad not in text, f"{name} @{width}: shows {bad!r}: ...{text[max(0, text.find(bad) - 80):text.find(bad) + 80]}..."
    m = ENGLISH_CODES.search(text)
    assert m is None, f"{name} @{width}: untranslated code {m.group(0)!r}: ...{text[max(0, m.start() - 60):m.end() + 60]}..."
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} @{width}: the page is {overflow}px wider than the window"
    # Navigation links keep their label on one line (the 390 px bug: one character per line).
    for box in page.eval_on_selector_all(".topbar nav a", "els => els.map(e => e.getBoundingClientRect().toJSON())"):
        assert box["height"] < 40 and box["width"] > box["height"], f"{name} @{width}: a nav link wraps: {box}"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_as_chinese_at_desktop_and_phone_width(browser, server, codes, shots, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # a blocked inline style or script (content security policy) is a console error
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server + "/login")
        _check_page(page, "login", width, "登录")
        page.screenshot(path=str(shots / f"login-{width}.png"))
        _login(page, server)
        for name, path, phrase in _pages(codes):
            r = page.goto(server + path)
            assert r is not None and r.status == 200, (name, r.status if r else None)
            page.wait_for_load_state("load")
            _check_page(page, name, width, phrase)
            out = shots / f"{name}-{width}.png"
            page.screenshot(path=str(out), full_page=True)
            assert out.stat().st_size > 5_000, f"{name} @{width}: empty screenshot"
        assert errors == [], errors
    finally:
        ctx.close()


def test_dashboard_charts_count_high_risk_companies(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 900}, locale="zh-CN")
    try:
        page = ctx.new_page()
        _login(page, server)
        high = int(page.inner_text(".stat.hi .num"))
        regions = json.loads(page.eval_on_selector("#data-regions", "e => e.textContent"))
        industries = json.loads(page.eval_on_selector("#data-industries", "e => e.textContent"))
        assert high > 0
        # Only high-risk companies are counted (the world has low-risk ones in the same provinces).
        assert sum(r["count"] for r in regions) == high
        assert sum(r["count"] for r in industries) == high
        # The tile map: one tile per province, the counts agree with the bars.
        tiles = page.eval_on_selector_all("#province-map svg rect[data-region]", "els => els.map(e => [e.dataset.region, +e.dataset.count])")
        assert len(tiles) == 34
        by_tile = {code: n for code, n in tiles}
        assert {r["key"]: r["count"] for r in regions} == {k: n for k, n in by_tile.items() if n}
        # The trend: one point per score date, its last point the current high-risk count.
        dots = page.eval_on_selector_all("#trend svg circle title", "els => els.map(e => e.textContent)")
        assert len(dots) >= 2
        assert dots[-1].endswith(f"：{high} 家")
        box = page.eval_on_selector("#province-map svg.tilemap", "e => e.getBoundingClientRect().width")
        assert box <= 390
    finally:
        ctx.close()
