"""One way to show times: Asia/Shanghai, on the CLI, the API and the pages.

Stored times are ISO strings in UTC (``...+00:00``) or naive (taken as UTC); dates
(``YYYY-MM-DD``) have no time zone and pass unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def to_shanghai(value: str | None, seconds: bool = True) -> str:
    """An ISO datetime as Asia/Shanghai ISO (``2026-05-01T08:00:00+08:00``); a date or
    anything unreadable is returned as it was ('' for None)."""
    if not value:
        return ""
    text = str(value)
    if len(text) <= 10:  # a date: no time of day to convert
        return text
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(SHANGHAI).isoformat(timespec="seconds" if seconds else "minutes")


def shanghai_display(value: str | None) -> str:
    """The same time for people: ``2026-05-01 08:00`` (Asia/Shanghai, no offset shown)."""
    iso = to_shanghai(value)
    return iso[:16].replace("T", " ") if len(iso) > 10 and iso[10] == "T" else iso
