"""Browser tests: Debian's chromium driven by Playwright against a real server on
127.0.0.1 (uvicorn in a thread). Log in, search, open a company page and see its
charts drawn, download an export as an auditor, be refused as a viewer, and see
hostile crawled text shown as text with nothing run."""

from __future__ import annotations

import pytest

from smoke.web.app import create_app
from tests.web.conftest import PASSWORD
from tests.web.live import chromium, serving
from tests.web.world import SCRIPT_NAME

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def server(store_factory, accounts, tmp_path_factory):
    with serving(create_app(store_factory, accounts, tmp_path_factory.mktemp("browser-exports"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page_as(browser, server):
    contexts = []

    def make(role: str):
        ctx = browser.new_context(accept_downloads=True, viewport={"width": 1360, "height": 900}, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.dialogs = []  # type: ignore[attr-defined]
        page.errors = []  # type: ignore[attr-defined]
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        # CSP violations and script errors show up as console errors
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(server + "/")
        assert "/login" in page.url
        page.fill("input[name=username]", role)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(server + "/")
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def test_dashboard_search_and_company_charts(page_as, server, codes):
    page = page_as("analyst")
    page.wait_for_selector("#chart-levels[data-drawn] svg rect")
    assert page.locator("#chart-levels svg rect").count() == 5
    assert page.locator("#chart-regions svg rect").count() == 3  # provinces with high-risk companies
    page.screenshot(path="/tmp/smoke-dashboard.png", full_page=True)

    page.click("nav >> text=搜索")
    page.fill("input[name=q]", "财富")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".results .result")
    assert "财富" in page.locator(".results mark").first.inner_text()
    page.screenshot(path="/tmp/smoke-search.png", full_page=True)
    page.click(".results .result a.title >> nth=0")
    page.wait_for_selector("#chart-radar[data-drawn] svg polygon.radar-shape")
    assert page.url.endswith(f"/company/{codes['red']}")
    points = page.get_attribute("#chart-radar polygon.radar-shape", "points")
    assert points and len(points.split()) == 6  # six dimensions
    d = page.get_attribute("#chart-history path.history-line", "d")
    assert d and d.count("L") == 3  # four score dates
    assert page.locator("#chart-history circle.history-point").count() == 4
    assert page.locator("#chart-graph svg circle.graph-node").count() >= 2  # shares 张伟 with another company
    assert page.locator("table.indicators tbody tr").count() >= 3
    page.screenshot(path="/tmp/smoke-company.png", full_page=True)

    page.goto(f"{server}/company/{codes['top']}")  # shares an address with 4 and a phone with 7
    page.click("label[for=tab-relations]")  # the graph sits in the 关联 tab
    page.wait_for_selector("#chart-graph[data-drawn] svg")
    assert page.locator("#chart-graph svg circle.graph-node").count() == 3
    assert page.locator("#chart-graph svg rect.graph-link").count() == 2
    page.screenshot(path="/tmp/smoke-company-network.png", full_page=True)
    assert page.errors == []


def test_hostile_text_is_shown_not_run(page_as, server, codes):
    page = page_as("viewer")
    page.goto(f"{server}/company/{codes['evil']}")
    page.wait_for_selector("#chart-radar[data-drawn] svg")
    assert page.inner_text("#company-name") == SCRIPT_NAME
    page.click("label[for=tab-evidence]")
    assert "<script>window.__pwned=1</script>" in page.inner_text("#panel-evidence")
    page.goto(f"{server}/search?kind=documents&q=无法提现")
    page.wait_for_selector(".results .result")
    assert "<script>" in page.inner_text(".results")
    page.goto(f"{server}/high-risk")
    page.wait_for_selector("table.list")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    assert page.dialogs == [] and page.errors == []
    page.screenshot(path="/tmp/smoke-evil.png", full_page=True)


def test_auditor_downloads_export(page_as, server, tmp_path):
    page = page_as("auditor")
    page.click("nav >> text=导出")
    page.select_option("select[name=format]", "csv")
    with page.expect_download() as info:
        page.click("#export-button")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and target.suffix == ".csv"
    lines = raw.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("排名,企业名称,统一社会信用代码") and len(lines) == 5  # Chinese headers


def test_viewer_refused_export(page_as, server):
    page = page_as("viewer")
    assert page.locator("nav >> text=导出").count() == 0
    response = page.goto(f"{server}/export")
    assert response.status == 403
    assert "无权" in page.inner_text("main")
