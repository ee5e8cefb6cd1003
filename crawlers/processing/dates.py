"""Dates as sites write them -> ISO ``YYYY-MM-DD``, in one place.

Handled: 2023-05-01, 2023-5-1 12:00, 2023/5/1, 2023.5.1, 2023年5月1日 (with or without
a time), 二〇二三年五月一日, full-width digits, 5月1日 and 05-01 (the year comes from the
listing, or is the latest year that does not put the date in the future), 今天 / 昨天 /
前天, 3天前 / 5小时前 / 10分钟前 / 刚刚, ISO 8601 with a time and RSS dates
(``Mon, 01 May 2023 12:00:00 +0800``), and any ``strptime`` format a source declares.

``parse_date`` returns None for a value it cannot read: callers count it (``bad_date``)
and go on, a date never ends a crawl.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．：", "0123456789/-.:")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "两": 2}
_CN_NUM = "〇○零一二三四五六七八九十两"

_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_MD = re.compile(r"(?<!\d)(\d{1,2})\s*[-/月]\s*(\d{1,2})(?:日|号|(?!\d))")
_CN_YMD = re.compile(rf"([{_CN_NUM}]{{4}})年([{_CN_NUM}]{{1,3}})月([{_CN_NUM}]{{1,3}})[日号]")
_AGO = re.compile(r"(?<!\d)(\d++)\s*+(天|日|小时|個?小時|分钟|分鐘|周|週|个月|個月)前")
_RELATIVE = {"今天": 0, "今日": 0, "刚刚": 0, "剛剛": 0, "昨天": 1, "昨日": 1, "前天": 2}


def _cn_number(s: str) -> int:
    """一 -> 1, 十二 -> 12, 二十三 -> 23, 二〇二三 -> 2023 (digit by digit when there is no 十)."""
    if "十" not in s:
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(value: object, fmt: str = "", today: date | None = None, year: int | None = None) -> str | None:
    """The ISO date in ``value``; None when there is none. ``fmt``: a strptime format the
    source declared (tried first); ``today``: what relative dates count from; ``year``: the
    year of the listing, for dates written without one."""
    if value is None:
        return None
    text = str(value).strip().translate(_FULLWIDTH)
    if not text:
        return None
    today = today or date.today()
    if fmt:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    m = _YMD.search(text)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_YMD.search(text)
    if m:
        try:
            return _iso(_cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3)))
        except (KeyError, ValueError):
            return None
    for word, days in _RELATIVE.items():
        if word in text:
            return (today - timedelta(days=days)).isoformat()
    m = _AGO.search(text)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        if "小" in unit or "分" in unit:
            delta = timedelta(hours=n) if "小" in unit else timedelta(minutes=n)
            return (datetime.combine(today, datetime.max.time()) - delta).date().isoformat()
        days = {"天": 1, "日": 1, "周": 7, "週": 7}.get(unit, 30) * n
        return (today - timedelta(days=days)).isoformat()
    if re.search(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", text):  # RSS / RFC 822
        try:
            return parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError):
            return None
    m = _MD.search(text)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        if year is not None:
            return _iso(year, mo, d)
        found = _iso(today.year, mo, d)
        if found and found > today.isoformat():  # 12月30日 read on 1 January: last year
            found = _iso(today.year - 1, mo, d)
        return found
    return None
