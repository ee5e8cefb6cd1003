"""crawlers.processing.dates: every date style sites write, one module."""

from __future__ import annotations

from datetime import date

import pytest

from crawlers.processing.dates import parse_date

TODAY = date(2024, 6, 30)


@pytest.mark.parametrize(("raw", "iso"), [
    ("2023年5月1日", "2023-05-01"),
    ("2023年05月01日 12:00", "2023-05-01"),
    ("2023-5-1 12:00", "2023-05-01"),
    ("2023/5/1", "2023-05-01"),
    ("2023.5.1", "2023-05-01"),
    ("二〇二三年五月一日", "2023-05-01"),
    ("二〇二三年十二月二十三日", "2023-12-23"),
    ("２０２３－０５－０１", "2023-05-01"),
    ("昨天 14:02", "2024-06-29"),
    ("前天", "2024-06-28"),
    ("3天前", "2024-06-27"),
    ("2周前", "2024-06-16"),
    ("5小时前", "2024-06-30"),
    ("刚刚", "2024-06-30"),
    ("Mon, 01 Jul 2024 09:00:00 +0800", "2024-07-01"),
    ("2024-06-01T08:00:00+08:00", "2024-06-01"),
    ("发表于 2024-6-3 12:00", "2024-06-03"),
    ("5月1日", "2024-05-01"),  # no year, none from the listing: this year ...
    ("12月30日", "2023-12-30"),  # ... unless that is in the future
])
def test_styles(raw: str, iso: str) -> None:
    assert parse_date(raw, today=TODAY) == iso


def test_year_from_the_listing_and_declared_formats() -> None:
    assert parse_date("5月1日", today=TODAY, year=2022) == "2022-05-01"
    assert parse_date("09-01", today=TODAY, year=2022) == "2022-09-01"
    assert parse_date("20180101", "%Y%m%d") == "2018-01-01"
    assert parse_date("01/02/2018", "%d/%m/%Y") == "2018-02-01"


@pytest.mark.parametrize("raw", ["待定", "2023-13-40", "", None, "日期不详", "二〇二三年十三月一日"])
def test_bad_values_give_none_never_raise(raw) -> None:
    assert parse_date(raw, today=TODAY) is None
