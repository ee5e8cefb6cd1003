"""Operator switches: run_crawl skips a source an admin switched off in the store, records
why in the Run, and crawls it again once switched on (or with force)."""

from __future__ import annotations

from crawlers.switches import disabled_sources, set_source_enabled, source_switch, state_key

COMPLAINTS_HOST = "complaints.sandbox.test"


def test_switch_helpers_roundtrip(open_db):
    db = open_db()
    assert disabled_sources(db, ["court", "web"]) == {}
    value = set_source_enabled(db, "court", False, "alice", "  站点要求暂停  ")
    assert value["by"] == "alice" and value["reason"] == "站点要求暂停" and value["at"].startswith("20")
    assert disabled_sources(db, ["court", "web"]) == {"court": value}
    assert set_source_enabled(db, "court", True, "alice") is None
    assert source_switch(db, "court") is None and disabled_sources(db, ["court"]) == {}
    db.set_state(state_key("web"), "{not json")  # unreadable state keeps the source off
    assert "web" in disabled_sources(db, ["court", "web"])


def test_switched_off_source_is_skipped_then_crawled_again(crawl, open_db, site, capsys):
    db = open_db(crawl.store_path)
    set_source_enabled(db, "complaints", False, "admin", "投诉站要求暂停采集")
    db.close()

    run = crawl("amac", "complaints", progress=True)
    st = run.sources["complaints"]
    assert "admin" in st.skipped and "投诉站要求暂停采集" in st.skipped
    assert st.pages == 0 and st.items == 0
    assert not site.fetched(COMPLAINTS_HOST), "a switched-off source must not be fetched"
    assert run.sources["amac"].pages > 0 and not run.sources["amac"].skipped
    assert list(run.sources) == ["amac", "complaints"]  # cycle order kept
    assert run.status == "ok" and "switched off: complaints" in run.message
    assert "complaints: skipped, switched off by admin" in capsys.readouterr().err
    db = open_db(crawl.store_path)
    stored = db.list_runs(limit=1)[0]
    assert stored.id == run.id and "投诉站要求暂停采集" in stored.sources["complaints"].skipped
    assert db.count_documents("complaint") == 0

    set_source_enabled(db, "complaints", True, "admin")
    db.close()
    run2 = crawl("complaints")
    st2 = run2.sources["complaints"]
    assert st2.skipped == "" and st2.pages > 0 and st2.items > 0
    assert site.fetched(COMPLAINTS_HOST)


def test_force_crawls_a_switched_off_source(crawl, open_db, site):
    db = open_db(crawl.store_path)
    set_source_enabled(db, "complaints", False, "admin", "broken layout")
    db.close()
    run = crawl("complaints", force=True)
    assert run.sources["complaints"].skipped == "" and run.sources["complaints"].pages > 0
    assert site.fetched(COMPLAINTS_HOST)
