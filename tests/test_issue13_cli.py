"""Issue 13's "Why" defects as a user meets them in the CLI (and the same question put to the
API and the pages): a real SQLite store (the web test world plus promotions that use the four
words the issue searched for, and several Beijing companies), the real `smoke` command (click's
runner with SMOKE_HOME, or a real subprocess when the folder it runs from matters).

Other work changes the CLI's wording (Chinese first, `--lang en`), so these tests assert data
(JSON output, exit codes, files, manifests, credit codes), not sentences."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from indexing.models import Company, Document, Mention
from indexing.store.sqlite import SQLiteStore
from smoke.cli import cli
from tests.web.conftest import analyst_clients, analyst_home
from tests.web.world import COMPANIES, code, world_codes

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("保本", "传销", "资金盘", "拉人头")  # the searches that answered "no company matches"
BEIJING = [code(n, "110108") for n in (20, 21, 22)]  # three more Beijing companies: "北京" names none of them


def _extra(store: SQLiteStore) -> None:
    store.upsert_companies([Company(credit_code=cc, name=f"北京海淀第{n}投资咨询有限公司", region_code="110108",
                                    industry="投资咨询") for n, cc in enumerate(BEIJING)])
    red = world_codes()["red"]
    store.upsert_documents([
        Document(id="mlm1", url="https://bbs.example/t/1", source_kind="promo", site="web", title="团队长招募",
                 text="不投资一分钱这叫传销？拉人头奖励翻倍，资金盘稳定运行，保本保息。",
                 fetched="2026-11-20T01:00:00+00:00", published="2026-11-20", content_hash="m1",
                 mentions=[Mention(red, "name", 0.9)]),
    ])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyst_home(tmp_path_factory.mktemp("issue13-cli"), _extra)


@pytest.fixture(scope="module")
def web(home: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    yield analyst_clients(home)


def smoke(home: Path, *args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), env={"SMOKE_HOME": str(home), "SMOKE_STORE": "sqlite"},
                           catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def search_json(home: Path, *args: str) -> dict:
    rc, out, err = smoke(home, "search", *args, "--json")
    assert rc == 0, err
    return json.loads(out)


# --- Search --------------------------------------------------------------------------------


@pytest.mark.parametrize("word", WORDS)
def test_search_words_list_documents_and_their_companies(home: Path, web, word: str) -> None:
    """`smoke search 保本` (传销, 资金盘, 拉人头) gave "no company matches"; the API gave []."""
    data = search_json(home, word)
    assert data["documents"], f"{word}: no document listed"
    assert "mlm1" in {d["id"] for d in data["documents"]}
    assert world_codes()["red"] in {c["credit_code"] for c in data["concerned"]}
    page, auth = web
    r = page.get("/api/v1/documents", params={"q": word}, headers=auth)
    assert r.status_code == 200 and "mlm1" in {d["id"] for d in r.json()}
    assert world_codes()["red"] in next(d for d in r.json() if d["id"] == "mlm1")["companies"]


def _company_codes(result: dict | list) -> set[str]:
    rows = result["companies"] if isinstance(result, dict) else result
    return {r["credit_code"] for r in rows}


def test_and_or_queries_find_what_their_words_find(home: Path, web) -> None:
    """`北京 AND 投资` and `北京 OR 上海` silently gave 0 results (the text went raw to FTS5)."""
    page, auth = web

    def api(q: str) -> set[str]:
        r = page.get("/api/v1/companies", params={"q": q, "limit": 200}, headers=auth)
        assert r.status_code == 200, r.text
        return {c["credit_code"] for c in r.json()}

    for find in (lambda q: _company_codes(search_json(home, q, "--what", "companies", "--limit", "200")), api):
        beijing, shanghai, invest = find("北京"), find("上海"), find("投资")
        assert beijing and shanghai and invest
        assert find("北京 OR 上海") == beijing | shanghai
        both = find("北京 AND 投资")
        assert both and both == beijing & invest
        assert find("北京 -投资") == beijing - invest
    html = page.get("/search", params={"q": "北京 OR 上海"}).text
    assert world_codes()["top"] in html and world_codes()["low"] in html  # a Shanghai and a Beijing company


def test_full_width_codes_and_pinyin_find_the_company(home: Path, web) -> None:
    """A full-width credit code, and pinyin, found nothing."""
    red = world_codes()["red"]
    full = "".join(chr(ord(ch) + 0xFEE0) for ch in red)
    page, auth = web
    for q in (full, "shenzhen", "xinsheng", "Xin Sheng"):
        assert red in _company_codes(search_json(home, q, "--what", "companies")), q
        r = page.get("/api/v1/companies", params={"q": q}, headers=auth)
        assert red in {c["credit_code"] for c in r.json()}, q
    assert page.get(f"/company/{full}").status_code == 200


def test_a_partial_name_opens_no_company(home: Path, web) -> None:
    """`smoke company 北京` silently opened one of 23 matches."""
    rc, out, err = smoke(home, "company", "北京")
    assert rc != 0 and out == ""  # nothing opened
    rc, out, err = smoke(home, "company", "北京", "--json")
    assert rc != 0 and out == ""
    page, auth = web
    assert page.get("/api/v1/companies/北京", headers=auth).status_code == 404
    assert page.get("/company/北京").status_code == 404


@pytest.mark.parametrize("n", range(len(COMPANIES)))
def test_page_api_and_cli_agree_on_every_company_by_code_and_name(home: Path, web, n: int) -> None:
    """The page, the API and the CLI return the same company for the same key (the API used to
    match fuzzily where the page said 404), hostile names included."""
    num, name, region, *_ = COMPANIES[n]
    expected = code(num, region)
    page, auth = web
    for key in (expected, expected.lower(), name):
        rc, out, err = smoke(home, "company", key, "--json")
        assert rc == 0 and json.loads(out)["credit_code"] == expected, (key, err)
        if "/" in key:
            continue  # a URL path cannot carry a "/" in one segment (the hostile name has </script>)
        html = page.get(f"/company/{quote(key, safe='')}")
        assert html.status_code == 200 and expected in html.text, key
        api = page.get(f"/api/v1/companies/{quote(key, safe='')}", headers=auth)
        assert api.status_code == 200 and api.json()["credit_code"] == expected, key


def test_one_company_lookup_in_the_code() -> None:
    """There were two `find_company` functions with different rules."""
    defined = []
    for folder in ("smoke", "indexing", "scoring"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            defined += [f"{path.relative_to(ROOT)}:{n.name}" for n in ast.walk(tree)
                        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                        and n.name in ("find_company", "lookup_company", "resolve_company", "get_company_by_key")]
    assert sorted(defined) == ["smoke/service/companies.py:find_company", "smoke/service/companies.py:lookup_company"]


# --- Exports -------------------------------------------------------------------------------


def test_export_pdf_suffix_is_an_error_and_writes_nothing(home: Path, tmp_path: Path) -> None:
    """`-o x.pdf` silently wrote a CSV."""
    out = tmp_path / "x.pdf"
    rc, so, err = smoke(home, "export", "-o", str(out))
    assert rc != 0
    assert ".pdf" in err and "xlsx" in err  # names the suffix and what it can write
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("region", ["广东", "广东省"])
def test_export_region_by_name_writes_that_regions_rows(home: Path, tmp_path: Path, region: str) -> None:
    """`--region 广东` silently wrote 0 rows."""
    out = tmp_path / "gd.jsonl"
    rc, _, err = smoke(home, "export", "--region", region, "--min-score", "0", "-o", str(out))
    assert rc == 0, err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = {code(n, region_code) for n, _, region_code, *_ in COMPANIES if region_code.startswith("44")}
    assert {r["credit_code"] for r in rows} == expected and len(expected) == 2
    manifest = json.loads((tmp_path / "gd.jsonl.manifest.json").read_text(encoding="utf-8"))
    assert manifest["row_count"] == 2


# --- Pages: the CLI from another folder ------------------------------------------------------


@pytest.mark.parametrize("args", [["search", "保本"], ["company", "北京"], ["export", "-o", "out.csv"],
                                  ["alerts", "list"], ["alerts", "groups"], ["runs"]], ids=" ".join)
def test_cli_from_another_folder_without_smoke_home_is_a_clear_error(tmp_path: Path, args: list[str]) -> None:
    """Running the CLI from another folder without SMOKE_HOME silently created an empty store and
    answered "no matches" (or wrote an empty export)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SMOKE_HOME", "SMOKE_STORE", "SMOKE_ES_URL")}
    r = subprocess.run([sys.executable, "-m", "smoke", *args], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode != 0, r.stdout
    assert "SMOKE_HOME" in r.stderr and str(tmp_path / "var" / "smoke.db") in r.stderr  # where it looked
    assert "Traceback" not in r.stderr
    assert not list(tmp_path.rglob("smoke.db")) and not (tmp_path / "out.csv").exists()
