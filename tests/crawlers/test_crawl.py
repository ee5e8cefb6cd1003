"""End-to-end crawls of the fixture world through the real runner, subprocesses and store."""

from __future__ import annotations

import json

from click.testing import CliRunner

A, B, C, D = "91440300MA5F00001A", "91110108MA01000023", "91310000MA1K00003F", "91330100MA2800004R"


def mentions(store, url):
    from indexing.models import stable_id

    doc = store.get_document(stable_id(url))
    assert doc is not None, url
    return {m.credit_code: m for m in doc.mentions}


def test_full_cycle_then_incremental_rerun(crawl, open_db, site):
    run = crawl()
    assert run.status == "ok", run
    assert list(run.sources) == ["amac", "registry", "court", "complaints", "web"]
    st = run.sources
    assert st["registry"].items == 4 and st["registry"].pages >= 6 and st["registry"].bytes > 0
    assert all(not s.errors and not s.blocked for s in st.values()), st

    db = open_db()
    assert db.count_companies() == 4
    a, c = db.get_company(A), db.get_company(C)
    assert a.amac_registered is False and c.amac_registered is True  # AMAC crawled before the registry
    assert {e.kind for e in a.entries} == {"abnormal", "penalty", "change"}
    assert db.count_documents() == 11
    assert mentions(db, "http://court.sandbox.test/judgment/j1")[A].role == "defendant"
    j2 = mentions(db, "http://court.sandbox.test/judgment/j2")
    assert set(j2) == {C, D} and j2[C].role == "plaintiff" and j2[D].method == "party"
    assert mentions(db, "http://complaints.sandbox.test/complaint/c1")[A].method == "alias"
    assert set(mentions(db, "http://complaints.sandbox.test/complaint/c2")) == {D}  # misspelt name
    assert set(mentions(db, "http://complaints.sandbox.test/complaint/c3")) == {B}
    assert set(mentions(db, "http://forum.test/thread/1")) == {A}
    assert mentions(db, "http://forum.test/thread/2") == {}  # generic words only
    assert mentions(db, "http://xinsheng.test/")[A].confidence >= 0.9  # own domain
    about = db.get_document(__import__("indexing.models").models.stable_id("http://xinsheng.test/about"))
    assert "保本保息" in about.text and about.encoding == "gb18030"  # GBK page served as UTF-8
    assert about.raw_text and about.content_hash
    home = db.get_document(__import__("indexing.models").models.stable_id("http://xinsheng.test/"))
    assert "投1万每月返800" in home.text and home.fields["invite_codes"] == ["XS8888"]
    db.close()

    first_hits = sum(site.hits.values())
    run2 = crawl()
    assert run2.status == "ok"
    db = open_db()
    assert db.count_documents() == 11 and db.count_companies() == 4  # no duplicates
    # Detail pages answered 304 to conditional requests: not re-parsed, not re-stored.
    assert run2.sources["registry"].items == 0 and run2.sources["complaints"].items == 0
    assert sum(site.hits.values()) <= 2 * first_hits
    assert len(db.list_runs()) == 2


def test_second_site_of_a_known_kind_is_only_a_yaml_file(crawl, site, tmp_path, open_db):
    """A second court with different markup: a YAML file in the config dir, no code."""
    host = "court2.test"
    pages = {
        "/cases?p=1": '<table class="cases"><tr><td><a class="case" href="/case/77">某案</a></td><td class="d">2024-02-02</td></tr></table>',
        "/case/77": ('<div id="doc"><h2>杭州天利科技有限公司借款纠纷裁定书</h2><table class="info"><tr><th>案号</th><td>（2024）浙01民初77号</td></tr>'
                     '<tr><th>案由</th><td>借款合同纠纷</td></tr></table><ol class="party"><li data-role="defendant">杭州天利科技有限公司</li></ol>'
                     '<section class="txt">被告杭州天利科技有限公司应于十日内偿还借款。</section></div>'),
    }

    def handler(h, key, headers):
        if h == host and key in pages:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, f"<html><body>{pages[key]}</body></html>".encode()
        return None

    site.handlers.append(handler)
    cfg = tmp_path / "cfg"
    (cfg / "sources").mkdir(parents=True)
    (cfg / "sources" / "court2.yaml").write_text(
        """kind: court
description: a second court whose pages look nothing like the first
start_urls: ["http://court2.test/cases?p=1"]
proxy: ${SMOKE_SANDBOX_PROXY}
pagination: {type: none}
list:
  records: "table.cases tr"
  fields: {url: "a.case::attr(href)", published: {css: "td.d::text", type: date}}
detail:
  labels: {rows: "table.info tr", label: "th", value: "td"}
  fields:
    title: "#doc h2"
    content: {css: "section.txt", type: html, required: true}
    case_no: {label: 案号}
    cause: {label: 案由}
  tables:
    parties: {records: "ol.party li", fields: {name: ".", role: "./@data-role"}}
""", encoding="utf-8")
    crawl("registry")
    run = crawl("court2", config_dir=cfg)
    assert run.sources["court2"].items == 1, run
    db = open_db()
    (doc,) = [d for d in db.iter_documents("court") if d.site == "court2"]
    assert doc.fields["case_no"] == "（2024）浙01民初77号" and "偿还借款" in doc.text
    assert [(m.credit_code, m.role) for m in doc.mentions] == [(D, "defendant")]


def test_smoke_runs_and_crawl_commands(crawl, site, tmp_path, monkeypatch):
    from smoke.cli import cli

    monkeypatch.setenv("SMOKE_HOME", str(tmp_path / "home2"))
    runner = CliRunner()
    res = runner.invoke(cli, ["crawl", "--source", "amac", "--proxy", site.proxy_url, "--quiet"])
    assert res.exit_code == 0, res.output
    assert "amac" in res.output and "完成" in res.output  # Chinese by default (smoke.labels run_statuses)
    res = runner.invoke(cli, ["runs", "--json"])
    assert res.exit_code == 0, res.output
    (run,) = json.loads(res.output)
    assert run["status"] == "ok" and run["sources"]["amac"]["items"] == 1
    res = runner.invoke(cli, ["crawl", "--source", "nope"])
    assert res.exit_code != 0
    res = runner.invoke(cli, ["runs"])
    assert "amac" in res.output and "页数" in res.output
    res = runner.invoke(cli, ["--lang", "en", "runs"])
    assert "amac" in res.output and "pages" in res.output and " ok " in res.output


def test_progress_lines_on_stderr_during_a_crawl(crawl, site, capfd):
    site.delay = 0.3  # long enough for a few progress ticks
    run = crawl("registry", progress=True, settings={"SMOKE_PROGRESS_INTERVAL": "0.5"})
    assert run.sources["registry"].items == 4
    err = capfd.readouterr().err
    assert "[crawl] registry: starting" in err
    assert "[crawl registry]" in err and "pages=" in err and "items=" in err
    assert "done (finished)" in err


def test_entity_sources_first_one_at_a_time_then_the_rest_together() -> None:
    from crawlers.runner import crawl_phases

    kinds = {"amac": "amac", "registry": "registry", "court": "court", "complaints": "complaint", "web": "promo"}
    assert crawl_phases(list(kinds), kinds) == [["amac"], ["registry"], ["court", "complaints", "web"]]
    assert crawl_phases(["court", "web"], kinds) == [["court", "web"]]
    assert crawl_phases(["registry"], kinds) == [["registry"]]


def test_linking_sources_wait_for_the_registry_and_run_side_by_side(crawl, site, open_db):
    run = crawl(workers=3)
    assert run.status == "ok", run
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for t, host, _ in site.log:
        first.setdefault(host, t)
        last[host] = t
    linking_hosts = ["court.sandbox.test", "complaints.sandbox.test", "web.sandbox.test"]
    assert last["amac.sandbox.test"] < first["registry.sandbox.test"]
    assert all(last["registry.sandbox.test"] < first[h] for h in linking_hosts)
    db = open_db()
    assert db.count_companies() == 4 and db.count_documents() == 11  # same result as one at a time
