"""The company page: tabs, registry facts, evidence by dimension quoted by sentence with the
matched words marked (escaped first), each sentence once, zero-point indicators behind a
closed toggle; and `smoke company`'s plain output. A company really scored from a hostile
forum page (a <script> in the promoter's sentence, 壹 for 一, a sceptic's comment)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from indexing.store.sqlite import SQLiteStore
from scoring.context import ScoringContext
from scoring.model import load_model
from scoring.scorer import score_company
from smoke.accounts import Accounts
from smoke.web.app import create_app
from tests.scoring.conftest import AS_OF, company, doc
from tests.web.conftest import PASSWORD, login

HOSTILE = ("鑫聚财富会员群聊天记录。网友老李说：大家小心，这就是传销，骗局一个！"
           "群主回复：<script>window.__pwned=1</script>我们正规公司，不投资一分钱这叫传销？"
           "推荐壹人奖励300元，保本保息，年化收益36%，每日分红。")


def build(path) -> tuple[SQLiteStore, str]:
    s = SQLiteStore(path)
    c = company(region_code="310115")
    d = doc(HOSTILE, code=c.credit_code, site="forum", url="http://bbs.test/t/9")
    s.upsert_companies([c])
    s.upsert_documents([d])
    s.save_scores([score_company(c, [d], ScoringContext(as_of=AS_OF), load_model(), AS_OF)])
    return s, c.credit_code


@pytest.fixture
def world(tmp_path):
    s, code = build(tmp_path / "smoke.db")
    s.close()
    return tmp_path, code


@pytest.fixture
def page(world):
    home, code = world
    accounts = Accounts(home / "app.db")
    accounts.add_user("viewer", PASSWORD, "viewer")
    client = TestClient(create_app(lambda: SQLiteStore(home / "smoke.db"), accounts, home / "exports"),
                        base_url="http://testserver", follow_redirects=False)
    assert login(client, "viewer").status_code == 303
    r = client.get(f"/company/{code}")
    assert r.status_code == 200, r.text
    return r.text


def _panel(html: str, name: str) -> str:
    m = re.search(rf'<section class="ctab-panel" id="panel-{name}".*?(?=<section class="ctab-panel"|\Z)', html, re.S)
    assert m, name
    return m.group(0)


def test_tabs_and_registry_facts(page):
    for key, label in (("overview", "概览"), ("evidence", "证据"), ("documents", "文档"), ("relations", "关联"),
                       ("history", "历史")):
        assert f'id="tab-{key}"' in page and f'id="panel-{key}"' in page and label in page
    assert re.search(r'id="tab-overview"[^>]*checked', page)  # the overview is open first
    overview = _panel(page, "overview")
    for fact in ("登记状态", "存续", "法定代表人", "王某某", "注册资本", "10,000 万元", "上海市浦东新区"):
        assert fact in overview, fact
    assert "310115" not in overview.replace('"310115"', "")  # the region by name


def test_evidence_is_marked_escaped_verbatim_and_shown_once(page):
    ev = _panel(page, "evidence")
    assert "<script>window.__pwned" not in page and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in ev
    assert "<mark>推荐壹人</mark>" in ev and "推荐一人" not in ev  # verbatim, marked
    assert "<mark>传销</mark>" in ev
    # the promoter's sentence is quoted alone: no sceptic's comment glued to it
    promoter = re.search(r"<blockquote[^>]*>(?:(?!</blockquote>).)*不投资一分钱(?:(?!</blockquote>).)*</blockquote>", ev, re.S)
    assert promoter and "这就是传销" not in promoter.group(0)
    # one sentence cited by several indicators is quoted once, then referenced
    sentence = "保本保息"
    quoted = re.findall(r"<blockquote[^>]*>(?:(?!</blockquote>).)*</blockquote>", ev, re.S)
    assert sum(sentence in q for q in quoted) == 1, quoted
    assert "同一句证据，见「" in ev and 'href="#quote-' in ev
    # every <mark> wraps escaped text only
    assert all("<" not in m for m in re.findall(r"<mark>(.*?)</mark>", ev))


def test_zero_point_indicators_are_behind_a_closed_toggle(page):
    ev = _panel(page, "evidence")
    m = re.search(r'<details class="card zero" id="zero-indicators">(.*?)</details>', ev, re.S)
    assert m and "<details class=\"card zero\" id=\"zero-indicators\" open" not in ev
    zero_rows = m.group(1).count("<tr>") - 1
    assert zero_rows >= 20 and f"显示 {zero_rows} 个未得分（0 分）的指标" in m.group(1)
    # no zero-point indicator in the scored tables
    tables = ev[: m.start()]
    assert 'class="num">0.0</td>' not in tables


def test_smoke_company_plain_output(world, monkeypatch):
    from smoke.cli import cli

    home, code = world
    monkeypatch.setenv("SMOKE_HOME", str(home))
    monkeypatch.setenv("SMOKE_STORE", "sqlite")
    r = CliRunner().invoke(cli, ["company", code])
    assert r.exit_code == 0, r.output
    out = r.output
    for fact in ("登记状态：存续", "法定代表人：王某某", "注册资本：10,000 万元", "成立日期：2023-09-01",
                 "所在地区：上海市浦东新区", "地址：上海市浦东新区世纪大道100号2201室"):
        assert fact in out, fact
    assert "【推荐壹人】" in out and "同一句证据，见上文「" in out
    lines = out.splitlines()
    assert sum("【保本保息】" in line for line in lines) == 1  # quoted once
    assert "个 0 分指标未列出" in out
