"""Pages render with real data, filters work, and odd input never causes a server error."""

from __future__ import annotations

from urllib.parse import quote

import pytest

ODD = ['"', "'", "*", "NEAR(a b)", "a OR b", "^", "\\", "<mark>", "%", "集资\x00", "x" * 500, "-1", "１２３"]


def test_dashboard_figures(as_role):
    page = as_role("viewer").get("/").text
    assert "监测企业" in page and 'id="data-levels"' in page
    assert "深圳前海鑫盛财富管理有限公司" in page  # a riser / alert name


def test_search_filters(as_role, codes):
    c = as_role("viewer")
    r = c.get("/search?level=red")
    assert r.status_code == 200 and "共 2 条结果" in r.text
    r = c.get("/search?region=44&min_score=70")
    assert "共 2 条结果" in r.text and codes["red"] in r.text
    r = c.get("/search?kind=documents&source_kind=complaint")
    assert "共 1 条结果" in r.text
    r = c.get("/search?kind=documents&q=保本保息&date_from=2000-01-01")
    assert r.status_code == 200 and "<mark>" in r.text


def test_high_risk_sorting(as_role, codes):
    c = as_role("viewer")
    by_score = c.get("/high-risk").text
    assert by_score.index(codes["top"]) < by_score.index(codes["evil"])
    r = c.get("/high-risk?sort=name")
    assert r.status_code == 200 and "共 4 家" in r.text
    assert "共 2 家" in c.get("/high-risk?level=orange").text


def test_runs_show_blocked_source(as_role):
    r = as_role("viewer").get("/runs")
    assert r.status_code == 200
    row = r.text.split("promo_sandbox")[1].split("</tr>")[0]
    assert "被封锁" in row and "验证码" in row


def test_unknown_company_404(as_role):
    assert as_role("viewer").get("/company/NOPE").status_code == 404


@pytest.mark.parametrize("value", ODD)
def test_odd_input_never_500(as_role, value):
    c = as_role("viewer")
    for path, params in (
        ("/search", {"q": value, "min_score": value, "offset": value, "region": value, "level": value}),
        ("/search", {"kind": "documents", "q": value, "date_from": value, "source_kind": value}),
        ("/high-risk", {"q": value, "sort": value, "max_score": value}),
        ("/alerts", {"open": value}),
    ):
        r = c.get(path, params=params)
        assert r.status_code == 200, (path, value, r.text[:300])
    assert c.get(f"/company/{quote(value[:100], safe='')}").status_code in (200, 404)
