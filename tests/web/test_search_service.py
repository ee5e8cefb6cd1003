"""Issue 13, "Search": one service layer under the CLI, the pages and the API.

A real SQLite store (the web world plus a police warning, a news report and two
companies sharing a name), the real app in process, the real CLI (click's runner, with
SMOKE_HOME pointing at the store). Each test names the defect it guards."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from indexing.models import Company, Document, Mention
from indexing.store.sqlite import SQLiteStore
from smoke.cli import cli
from tests.web.conftest import analyst_clients, analyst_home
from tests.web.world import COMPANIES, code, world_codes

ROOT = Path(__file__).resolve().parents[2]
TWIN_NAME = "南京同名投资咨询有限公司"
WARNING_TITLE = "关于“鑫盛财富”涉嫌非法集资的风险提示"
NEWS_TITLE = "深圳警方通报：深圳前海鑫盛财富管理有限公司涉嫌非法吸收公众存款被立案"


def _extra(store: SQLiteStore) -> dict[str, str]:
    """Two companies with one name, a warning and a news report from the promotional web."""
    twins = [code(8, "320100"), code(9, "320100")]
    store.upsert_companies([Company(credit_code=cc, name=TWIN_NAME, region_code="320100", industry="投资咨询")
                            for cc in twins])
    red = world_codes()["red"]
    store.upsert_documents([
        Document(id="warn1", url="https://police.example/warn1", source_kind="promo", site="web", title=WARNING_TITLE,
                 text="近期有不法分子以“鑫盛财富”名义宣称保本保息、月息8%，提醒广大市民切勿轻信。",
                 fetched="2026-11-20T01:00:00+00:00", published="2026-11-20", content_hash="w1",
                 mentions=[Mention(red, "alias", 0.9)]),
        Document(id="news1", url="https://news.example/n1", source_kind="promo", site="web", title=NEWS_TITLE,
                 text="本报讯 记者从深圳市公安局获悉，该公司以保本保息为名吸收资金。",
                 fetched="2026-11-21T01:00:00+00:00", published="2026-11-21", content_hash="n1",
                 mentions=[Mention(red, "name", 0.9)]),
    ])
    return {"twin_a": twins[0], "twin_b": twins[1]}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyst_home(tmp_path_factory.mktemp("svc-home"), _extra)


@pytest.fixture(scope="module")
def web(home: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    yield analyst_clients(home)


def smoke(home: Path, *args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), env={"SMOKE_HOME": str(home)}, catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


# --- "smoke search 保本 gives 'no company matches'; the API has no document or alert endpoints"


def test_cli_search_lists_documents_and_the_companies_they_concern(home: Path) -> None:
    rc, out, err = smoke(home, "search", "保本")
    assert rc == 0, err
    assert "no company matches" not in err
    assert "文档（" in out and WARNING_TITLE in out
    concerned = out.split("文档涉及的企业")[1]
    assert "深圳前海鑫盛财富管理有限公司" in concerned  # the red company the documents concern
    rc, out, _ = smoke(home, "search", "保本", "--json")
    data = json.loads(out)
    assert {d["id"] for d in data["documents"]} >= {"warn1", "news1", "doc1"}
    assert data["concerned"][0]["credit_code"] == world_codes()["top"]  # risk first: 91.0 is the highest


def test_api_documents_and_alerts(web) -> None:
    page, auth = web
    r = page.get("/api/v1/documents", params={"q": "保本"}, headers=auth)
    assert r.status_code == 200, r.text
    ids = {d["id"] for d in r.json()}
    assert {"warn1", "news1"} <= ids and int(r.headers["x-total-count"]) == len(ids)
    doc = next(d for d in r.json() if d["id"] == "warn1")
    assert doc["kind"] == "warning" and doc["companies"] == [world_codes()["red"]]
    assert doc["fetched"] == "2026-11-20T09:00:00+08:00"  # Asia/Shanghai
    r = page.get("/api/v1/alerts", params={"limit": 1}, headers=auth)
    assert r.status_code == 200 and r.headers["x-total-count"] == "2" and len(r.json()) == 1
    assert r.json()[0]["created"].endswith("+08:00")
    r = page.get("/api/v1/alerts", params={"rule": "rise"}, headers=auth)
    assert [a["credit_code"] for a in r.json()] == [world_codes()["evil"]]
    assert page.get("/api/v1/alerts", params={"state": "later"}, headers=auth).status_code == 400
    spec = page.get("/api/v1/openapi.json").json()
    assert {"/api/v1/documents", "/api/v1/alerts"} <= set(spec["paths"])


# --- "smoke company 北京 silently opens one of 23 matches"; two find_company with different rules;
# --- "the API answers GET /api/v1/companies/{credit_code} with a fuzzy match, while the page gives 404"


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in s)


@pytest.mark.parametrize("key", ["red", "red_fullwidth", "red_lower", "name", "twin_a"])
def test_page_api_and_cli_return_the_same_company(home: Path, web, key: str) -> None:
    page, auth = web
    codes = {**world_codes(), **_twin_codes()}
    red = codes["red"]
    keys = {"red": red, "red_fullwidth": _fullwidth(red), "red_lower": red.lower(), "name": COMPANIES[0][1],
            "twin_a": codes["twin_a"]}
    expected = codes["twin_a"] if key == "twin_a" else red
    k = keys[key]
    html = page.get(f"/company/{k}")
    assert html.status_code == 200 and expected in html.text
    api = page.get(f"/api/v1/companies/{k}", headers=auth)
    assert api.status_code == 200 and api.json()["credit_code"] == expected
    rc, out, err = smoke(home, "company", k, "--json")
    assert rc == 0, err
    assert json.loads(out)["credit_code"] == expected


def _twin_codes() -> dict[str, str]:
    return {"twin_a": code(8, "320100"), "twin_b": code(9, "320100")}


@pytest.mark.parametrize("key", ["深圳", "有限公司", "911101010000000000"])
def test_no_fuzzy_company_anywhere(home: Path, web, key: str) -> None:
    page, auth = web
    assert page.get(f"/company/{key}").status_code == 404
    assert page.get(f"/api/v1/companies/{key}", headers=auth).status_code == 404
    rc, out, err = smoke(home, "company", key)
    assert rc == 1 and out == ""


def test_shared_name_is_ambiguous_everywhere(home: Path, web) -> None:
    page, auth = web
    twins = _twin_codes()
    assert page.get(f"/company/{TWIN_NAME}").status_code == 409
    r = page.get(f"/api/v1/companies/{TWIN_NAME}", headers=auth)
    assert r.status_code == 409 and {c["credit_code"] for c in r.json()["candidates"]} == set(twins.values())
    rc, out, err = smoke(home, "company", TWIN_NAME)
    assert rc == 1 and out == ""
    assert "有歧义：2 家企业名为" in err and twins["twin_a"] in err and twins["twin_b"] in err


def test_cli_company_partial_name_lists_candidates(home: Path) -> None:
    rc, out, err = smoke(home, "company", "有限公司")
    assert rc == 1 and out == ""
    assert re.search(r"有歧义：没有名为 .* 的企业，\d+ 家企业与之部分匹配", err)
    assert world_codes()["red"] in err  # the candidates are listed, none is opened


# --- "/search?q=北京 puts the only red company on page 2, with no sort control; the CLI has no --sort"


def test_search_page_sorts(web) -> None:
    page, _ = web
    r = page.get("/search", params={"q": "有限公司", "sort": "index"})
    assert r.status_code == 200 and 'id="sort"' in r.text
    names = re.findall(r'<a class="title" href="/company/([0-9A-Z]+)"', r.text)
    assert names[0] == world_codes()["top"]  # risk first: 91.0
    r = page.get("/search", params={"q": "有限公司", "from": "high-risk"})
    assert re.findall(r'<a class="title" href="/company/([0-9A-Z]+)"', r.text)[0] == world_codes()["top"]
    assert '<option value="index" selected>' in r.text


def test_cli_search_sort(home: Path) -> None:
    rc, out, err = smoke(home, "search", "", "--sort", "name", "--json")
    assert rc == 0, err
    names = [r["name"] for r in json.loads(out)]
    assert names == sorted(names)
    rc, out, _ = smoke(home, "search", "", "--sort", "index", "--json")
    idx = [r["smoke_index"] for r in json.loads(out) if r["smoke_index"] is not None]
    assert idx == sorted(idx, reverse=True) and idx[0] == 91.0


def test_companies_tab_hints_documents(web) -> None:
    page, _ = web
    r = page.get("/search", params={"q": "保本"})
    assert r.status_code == 200 and 'id="try-documents"' in r.text
    assert "kind=documents&amp;q=%E4%BF%9D%E6%9C%AC" in r.text


# --- "Police warnings and news are labelled 推广页面; there is no 风险提示 or 新闻 filter"


def test_warning_and_news_are_not_promotions(home: Path, web) -> None:
    page, auth = web
    r = page.get("/api/v1/documents", params={"kind": "warning"}, headers=auth)
    assert [d["id"] for d in r.json()] == ["warn1"]
    r = page.get("/api/v1/documents", params={"kind": "news"}, headers=auth)
    assert [d["id"] for d in r.json()] == ["news1"]
    r = page.get("/api/v1/documents", params={"kind": "promotion", "limit": 200}, headers=auth)
    assert r.json() and not {"warn1", "news1"} & {d["id"] for d in r.json()}
    html = page.get("/search", params={"kind": "documents", "q": "保本"}).text
    item = html.split(WARNING_TITLE)[1].split("</li>")[0]
    assert "风险提示" in item and "推广页面" not in item
    html = page.get("/search", params={"kind": "documents", "doc_kind": "news"}).text
    assert "深圳警方通报" in html and WARNING_TITLE not in html
    rc, out, err = smoke(home, "search", "保本", "--what", "documents", "--kind", "warning", "--json")
    assert rc == 0, err
    assert [d["id"] for d in json.loads(out)] == ["warn1"]


def test_a_kind_filter_counts_every_match_not_the_first_thousand(tmp_path: Path, home: Path, web) -> None:
    """The service filtered warning / news / promotion itself over the first 1,000 hits: 30
    warnings older than 1,050 promotions were not found at all. The store filters now."""
    from smoke.service.filters import Filters
    from smoke.service.search import search_documents

    docs = [Document(id=f"p{i:04d}", url=f"https://promo.example/{i}", source_kind="promo", site="web",
                     title=f"新人福利{i}", text="保本保息，推荐好友返利", fetched="2026-11-20T01:00:00+00:00",
                     published="2026-11-20", content_hash=f"p{i}") for i in range(1050)]
    docs += [Document(id=f"w{i:02d}", url=f"https://police.example/{i}", source_kind="promo", site="web",
                      title=f"风险提示：警惕保本保息理财{i}", text="切勿轻信保本保息", fetched="2026-01-01T01:00:00+00:00",
                      published="2026-01-01", content_hash=f"w{i}") for i in range(30)]
    with SQLiteStore(tmp_path / "kinds.db") as store:
        store.upsert_documents(docs)
        for q in ("", "保本"):
            seen: list[str] = []
            for offset in range(0, 30, 8):
                r = search_documents(store, Filters(q=q, kind="warning", limit=8, offset=offset))
                assert r.total == 30 and set(r.kinds.values()) == {"warning"}
                seen += [h.document.id for h in r.hits]
            assert sorted(seen) == [f"w{i:02d}" for i in range(30)], q
        assert search_documents(store, Filters(q="保本", kind="promotion", limit=1)).total == 1050
    page, auth = web
    r = page.get("/api/v1/documents", params={"kind": "warning"}, headers=auth)
    assert r.headers["X-Total-Count"] == "1" and "X-Total-Capped" not in r.headers


# --- "The web parses filters three ways"; exports' "--region 广东 silently writes 0 rows"


def test_one_filter_parser_strict_and_lenient(home: Path, web) -> None:
    page, auth = web
    r = page.get("/api/v1/companies", params={"region": "火星"}, headers=auth)
    assert r.status_code == 400 and "region" in r.json()["error"] and "广东省" in r.json()["error"]
    r = page.get("/api/v1/companies", params={"region": "广东"}, headers=auth)
    assert r.status_code == 200 and {c["region"][:2] for c in r.json()} == {"44"}
    assert page.get("/api/v1/companies", params={"level": "紫"}, headers=auth).status_code == 400
    r = page.get("/search", params={"region": "火星", "min_score": "500"})
    assert r.status_code == 200 and "已忽略" in r.text  # pages clamp and say so
    rc, _, err = smoke(home, "search", "", "--region", "火星")
    assert rc == 2 and "--region" in err and "广东省" in err
    out = home / "gd.csv"
    rc, so, err = smoke(home, "export", "--region", "广东", "-o", str(out))
    assert rc == 0, err
    assert "已写出 2 行" in so  # 深圳 86.5 and 广州 72.0
    rc, _, err = smoke(home, "export", "-o", str(home / "x.pdf"))
    assert rc == 2 and "--format" in err and not (home / "x.pdf").exists()


# --- "Running the CLI from another folder without SMOKE_HOME silently creates an empty store"


def test_cli_without_a_store_says_where_it_looked(tmp_path: Path) -> None:
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    for args in (["search", "保本"], ["company", "x"]):
        r = CliRunner().invoke(cli, args, env={"SMOKE_HOME": str(empty)})
        assert r.exit_code != 0
        assert "no store at" in str(r.exception or "") + r.stderr
        assert "SMOKE_HOME" in str(r.exception or "") + r.stderr
    assert not (empty / "smoke.db").exists()


# --- "The high-risk threshold is written in five places"; "smoke/sources.py imports from smoke/web/views.py"


def test_threshold_comes_from_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from smoke.service.threshold import high_risk

    assert high_risk() == 60
    text = (ROOT / "config" / "model.yaml").read_text(encoding="utf-8")
    (tmp_path / "model.yaml").write_text(text.replace("orange: 60,", "orange: 70,", 1), encoding="utf-8")
    monkeypatch.setenv("SMOKE_CONFIG_DIR", str(tmp_path))
    assert high_risk() == 70


def test_no_literal_threshold_in_the_app() -> None:
    literal = re.compile(r"(?<![\w\"'.-])60(\.0)?(?![\w\"'%-])")  # a number, not a band like "60-79"
    offenders = []
    for rel in ("smoke/web/routes/pages.py", "smoke/web/routes/admin.py", "smoke/commands/export.py",
                "smoke/web/views.py", "smoke/cycle.py"):
        for n, line in enumerate((ROOT / rel).read_text(encoding="utf-8").splitlines(), 1):
            code_part = line.split("#")[0]
            if literal.search(code_part) and "HIGH_RISK" not in code_part and "help=" not in code_part:
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, offenders


def test_sources_does_not_import_the_web_layer() -> None:
    tree = ast.parse((ROOT / "smoke" / "sources.py").read_text(encoding="utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m and m.startswith("smoke.web")]


# --- "Times mix UTC and Asia/Shanghai": one helper for the CLI, the API and the pages


def test_times_in_shanghai() -> None:
    from smoke.service.timefmt import shanghai_display, to_shanghai

    assert to_shanghai("2026-11-20T17:30:00+00:00") == "2026-11-21T01:30:00+08:00"
    assert to_shanghai("2026-11-20T17:30:00") == "2026-11-21T01:30:00+08:00"  # naive: stored as UTC
    assert to_shanghai("2026-11-20T17:30:00Z") == "2026-11-21T01:30:00+08:00"
    assert to_shanghai("2026-11-20") == "2026-11-20" and to_shanghai(None) == ""
    assert to_shanghai("not a time at all") == "not a time at all"
    assert shanghai_display("2026-11-20T17:30:00+00:00") == "2026-11-21 01:30"


def test_filter_parser_modes() -> None:
    from smoke.service.filters import FilterError, FilterSpec, parse_filters

    spec = FilterSpec.of("region", "level", "min_score", "sort", "offset", sorts=("index", "name"))
    f = parse_filters({"region": "广东省", "level": "红", "min_score": "150", "sort": "score", "offset": "-3"}, spec,
                      strict=False)
    assert (f.region, f.level, f.min_score, f.sort, f.offset) == ("44", "red", 100.0, "index", 0)
    assert any("min_score" in n for n in f.notes)
    with pytest.raises(FilterError, match=r"^min_score: expected a number from 0 to 100"):
        parse_filters({"min_score": "150"}, spec, strict=True)
    with pytest.raises(FilterError, match="unknown colour"):
        parse_filters({"colour": "red"}, spec, strict=True)
    with pytest.raises(FilterError, match="sort: expected one of index, name"):
        parse_filters({"sort": "random"}, spec, strict=True)


def test_company_page_labels_a_warning_as_such(web) -> None:
    page, _ = web
    html = page.get(f"/company/{world_codes()['red']}").text
    item = html.split(WARNING_TITLE)[1].split("</li>")[0] if WARNING_TITLE in html else ""
    assert "风险提示" in item and "推广页面" not in item
