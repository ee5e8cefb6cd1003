"""Triage on both store backends: the latest cycle's alerts by the data's day (Shanghai
midnight is the evening before in UTC, which Elasticsearch compares by), assignee and notes
(kept in store state), and the acknowledged / open split."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from indexing.models import Alert, Company
from indexing.store.base import Store
from smoke.alerts.triage import (
    TriageFilter,
    acknowledge_many,
    add_note,
    assign,
    get_triage,
    latest_cycle_alerts,
    list_groups,
)
from tests.alerts.conftest import code


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        from indexing.store.sqlite import SQLiteStore

        s = SQLiteStore(tmp_path / "store.db")
        try:
            yield s
        finally:
            s.close()
        return
    from indexing.store.elastic import ElasticStore

    es = ElasticStore.for_tests(url=request.getfixturevalue("es_url"), prefix=f"smoketest-{uuid4().hex[:8]}")
    try:
        yield es
    finally:
        es.destroy()
        es.close()


def test_latest_cycle_triage_and_states(any_store: Store) -> None:
    s = any_store
    c1, c2 = code(1), code(2)
    s.upsert_companies([Company(credit_code=c1, name="甲公司", region_code="440300"),
                        Company(credit_code=c2, name="乙公司", region_code="110105")])
    alerts = [
        Alert("old", c1, "2026-03-04T00:00:00+08:00", "crossing", 61.0, 50.0, "前一天"),
        Alert("m1", c1, "2026-03-05T00:00:00+08:00", "crossing", 82.0, 50.0, "升至高风险"),
        Alert("m2", c1, "2026-03-05T00:00:00+08:00", "critical", 82.0, 50.0, "关键证据"),
        Alert("m3", c2, "2026-03-05T07:30:00+08:00", "rise", 45.0, 20.0, "快速上升"),
    ]
    for a in alerts:
        assert s.save_alert(a)
    day, latest = latest_cycle_alerts(s)
    assert day == "2026-03-05" and sorted(a.id for a in latest) == ["m1", "m2", "m3"]
    groups = list_groups(s, TriageFilter(state="all", day="2026-03-05"))
    assert [(g.credit_code, sorted(g.ids)) for g in groups] == [(c1, ["m1", "m2"]), (c2, ["m3"])]
    assign(s, ["m3"], "张三")
    add_note(s, ["m3"], "已核实", "李四", "2026-03-05T10:00:00+08:00")
    assert get_triage(s, "m3").assignee == "张三" and get_triage(s, "m3").notes[0].text == "已核实"
    assert acknowledge_many(s, ["m1", "m2"], "李四", "2026-03-05T11:00:00+08:00") == (["m1", "m2"], [])
    assert [(g.day, g.credit_code) for g in list_groups(s, TriageFilter(state="open"))] == [("2026-03-05", c2),
                                                                                         ("2026-03-04", c1)]
    assert [g.ids for g in list_groups(s, TriageFilter(state="acked"))] == [["m1", "m2"]]
    assert [g.credit_code for g in list_groups(s, TriageFilter(state="all", assignee="张三"))] == [c2]
    assert [g.day for g in list_groups(s, TriageFilter(state="all", rule="crossing"))] == ["2026-03-05", "2026-03-04"]
