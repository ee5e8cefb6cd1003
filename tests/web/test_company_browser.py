"""The company page in Debian's chromium at 1440 and 390 px: tabs switch panels (no script
needed), marked quotes show, the zero-point toggle opens, hostile text never runs, the
page stays short and nothing overflows sideways at 390 px."""

from __future__ import annotations

import pytest

from indexing.store.sqlite import SQLiteStore
from smoke.accounts import Accounts
from smoke.web.app import create_app
from tests.web.conftest import PASSWORD
from tests.web.live import chromium, serving  # one way to serve the app and launch the browser
from tests.web.test_company_page import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    home = tmp_path_factory.mktemp("company-browser")
    s, code = build(home / "smoke.db")
    s.close()
    accounts = Accounts(home / "app.db")
    accounts.add_user("viewer", PASSWORD, "viewer")
    app = create_app(lambda: SQLiteStore(home / "smoke.db"), accounts, home / "exports")
    with serving(app) as url:
        yield url, code


@pytest.fixture(scope="module", name="chromium")
def chromium_fixture():
    with chromium() as b:
        yield b


def _open(chromium, base: str, width: int, path: str):
    ctx = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(base + "/login")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    page.goto(base + path)
    return ctx, page


@pytest.mark.parametrize("width", [1440, 390])
def test_tabs_marks_and_toggle(chromium, site, width):
    base, code = site
    ctx, page = _open(chromium, base, width, f"/company/{code}")
    try:
        page.wait_for_selector("#chart-radar[data-drawn] svg")
        assert page.is_visible("#panel-overview") and not page.is_visible("#panel-evidence")
        assert "登记状态" in page.inner_text("#panel-overview")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 4000, height  # was 10,700 px with every panel and ~40 zero-point rows
        # nothing wider than the screen inside the tabs; each tab label on one line
        assert page.evaluate("document.querySelector('.ctabs').scrollWidth <= document.querySelector('.ctabs').clientWidth + 1")
        heights = page.evaluate("[...document.querySelectorAll('.ctab-bar label')].map(l => l.getBoundingClientRect().height)")
        assert max(heights) < 60, heights
        page.screenshot(path=f"/tmp/smoke-company-tabs-{width}.png", full_page=True)

        page.click("label[for=tab-evidence]")
        assert page.is_visible("#panel-evidence") and not page.is_visible("#panel-overview")
        marks = page.locator("#panel-evidence blockquote mark").all_inner_texts()
        assert "推荐壹人" in marks and "传销" in marks
        assert "<script>window.__pwned=1</script>" in page.inner_text("#panel-evidence")
        assert not page.is_visible("#zero-indicators table")  # closed by default
        page.click("#zero-indicators summary")
        assert page.is_visible("#zero-indicators table")
        page.screenshot(path=f"/tmp/smoke-company-evidence-{width}.png", full_page=True)
        assert page.evaluate("document.querySelector('.ctabs').scrollWidth <= document.querySelector('.ctabs').clientWidth + 1")

        for tab in ("documents", "relations", "history"):
            page.click(f"label[for=tab-{tab}]")
            assert page.is_visible(f"#panel-{tab}")
        assert page.is_visible("#chart-history svg")
        assert page.evaluate("window.__pwned") is None and page.errors == []
    finally:
        ctx.close()


def test_a_tab_link_opens_its_tab(chromium, site):
    base, code = site
    ctx, page = _open(chromium, base, 1440, f"/company/{code}#tab-evidence")
    try:
        page.wait_for_selector("#panel-evidence blockquote", state="visible")
        page.click("label[for=tab-history]")
        assert page.url.endswith("#tab-history")
    finally:
        ctx.close()
