"""crawlers.processing.fields: declared fields read from a page or a JSON entry."""

from __future__ import annotations

from datetime import date

from parsel import Selector

from config.sources_extraction import PageSpec
from crawlers.processing.fields import FieldReader

PAGE = Selector(text="""<div id="p"><h1> 标题 </h1><span class="d">昨天</span><span class="bad">不详</span>
<ul><li data-r="原告">甲公司 35%</li><li data-r="证人">乙</li><li>丙</li></ul>
<p class="w">http://A.test/、https://b.test</p><p class="c">邀请码：AB12 邀请码:CD34</p></div>""")


def read(fields: dict, node=PAGE, entry=None, json: bool = False, **ctx):
    spec = PageSpec.model_validate({"fields": fields})
    return FieldReader(today=date(2024, 6, 30)).read_page(spec, node=node, entry=entry, context=ctx, json=json)


def test_types_maps_patterns_and_lists() -> None:
    got = read({
        "title": "h1",
        "when": {"css": "span.d", "type": "date"},
        "roles": {"xpath": "//li/@data-r", "all": True, "map": {"原告": "plaintiff"}, "default": "other"},
        "share": {"css": "li", "pattern": r"(\d+%)", "type": "percent"},
        "sites": {"css": "p.w", "split": "[、,]", "type": "domain"},
        "codes": {"css": "p.c", "pattern": r"邀请码\s*[:：]\s*(\w{4})", "all": True},
        "n": {"css": "li", "type": "count"},
        "flag": {"value": True},
    })
    assert got.values == {"title": "标题", "when": "2024-06-29", "roles": ["plaintiff", "other"], "share": 0.35,
                          "sites": ["a.test", "b.test"], "codes": ["AB12", "CD34"], "n": 3, "flag": True}
    assert got.ok and got.missing == [] and got.bad == []


def test_bad_dates_missing_and_required_are_reported_not_raised() -> None:
    got = read({"when": {"css": "span.bad", "type": "date"}, "gone": "h2", "need": {"css": "h3", "required": True}})
    assert got.bad == [("when", "不详")] and "when" not in got.values
    assert got.missing == ["when", "gone", "need"] and got.missing_required == ["need"] and not got.ok


def test_json_entries_templates_and_the_listing_year() -> None:
    entry = {"data": {"id": 7, "d": "5月1日", "amt": "1.5万"}, "reg": ""}
    got = read({"id": "data.id", "d": {"json": "data.d", "type": "date"}, "amt": {"json": "data.amt", "type": "amount"},
                "url": {"template": ["{origin}#{reg}", "{origin}/x/{id}"]}}, node=None, entry=entry, json=True,
               origin="http://o.test", year=2022)
    assert got.values == {"id": 7, "d": "2022-05-01", "amt": 15000.0, "url": "http://o.test/x/7"}
