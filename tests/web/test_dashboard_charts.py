"""The dashboard's server-drawn figures: the high-risk trend from score history, the
province tile map, and the region / industry counts of high-risk companies only."""

from __future__ import annotations

import re

from indexing.models import high_risk
from smoke.web import charts, views
from tests.web.world import COMPANIES, _day


def _expected_trend() -> list[dict]:
    # The world scores each company 20, 8, 4 and 0 days ago: before, before, the middle, final.
    out = []
    for back in (20, 8, 4, 0):
        n = 0
        for _, _, _, _, final, before, _, _ in COMPANIES:
            idx = final if back == 0 else before if back >= 8 else round((before + final) / 2, 1)
            n += idx >= high_risk()
        out.append({"date": _day(back), "count": n})
    return out


def test_trend_counts_high_risk_companies_per_score_date(store_factory):
    s = store_factory()
    assert charts.compute_trend(s) == _expected_trend()
    # cached in the store's state, and the cache is used while nothing changed
    first = charts.high_risk_trend(s)
    assert first == _expected_trend()
    assert s.get_state("web.dashboard.high_risk_trend")


def test_trend_svg_has_one_point_per_date_and_escapes():
    points = [{"date": "2026-01-01", "count": 1}, {"date": "2026-01-08", "count": 3}, {"date": "<b>x", "count": 2}]
    svg = str(charts.trend_svg(points))
    assert svg.count("<circle") == 3 and "<b>" not in svg and "&lt;b&gt;" in svg
    assert "暂无评分历史" in str(charts.trend_svg([]))


def test_province_map_has_every_province_coloured_by_count():
    svg = str(charts.province_map({"44": 5, "11": 1}))
    assert svg.count("<rect") == len(charts.TILES) == 34
    counts = {region: n for n, region in re.findall(r'data-count="(\d+)" data-region="(\d\d)"', svg)}
    assert counts["44"] == "5" and counts["11"] == "1" and counts["31"] == "0"
    fills = {m[1]: m[0] for m in re.findall(r'fill="(#[0-9a-f]{6})" data-count="\d+" data-region="(\d\d)"', svg)}
    assert fills["44"] == charts.MAP_STEPS[5] and fills["31"] == charts.MAP_STEPS[0]
    assert fills["11"] not in (charts.MAP_STEPS[0], charts.MAP_STEPS[5])
    assert "广东：高风险 5 家" in svg and 'href="/high-risk?region=44"' in svg


def test_dashboard_regions_and_industries_count_only_high_risk(store_factory):
    d = views.dashboard(store_factory())
    high = [c for c in COMPANIES if c[4] >= high_risk()]
    assert d["high_risk"] == len(high)
    assert sum(r["count"] for r in d["regions"]) == len(high)
    assert {r["label"] for r in d["industries"]} == {c[3] for c in high}
    assert "会计审计" not in {r["label"] for r in d["industries"]}  # a low-risk company's industry


def test_risers_count_back_from_the_data_date_not_the_wall_clock(tmp_path):
    from indexing.models import Company, Score, level_for
    from indexing.store.sqlite import SQLiteStore
    from tests.web.world import code

    s = SQLiteStore(tmp_path / "old.db")
    cc = code(1, "440300")
    s.upsert_companies([Company(credit_code=cc, name="旧数据公司", region_code="440300", industry="资产管理")])
    # a world replayed in 2024: the wall clock is years later
    s.save_scores([Score(cc, day, idx, level_for(idx), {}, [], "m1")
                   for day, idx in (("2024-06-01", 30.0), ("2024-06-20", 40.0), ("2024-06-28", 70.0))])
    rows = views.risers(s)
    assert [(r["name"], r["rise"]) for r in rows] == [("旧数据公司", 30.0)]
    # the trend too is by score date
    assert charts.compute_trend(s) == [{"date": "2024-06-01", "count": 0}, {"date": "2024-06-20", "count": 0},
                                       {"date": "2024-06-28", "count": 1}]
    s.close()
