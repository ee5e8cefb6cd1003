"""One way to show times: Asia/Shanghai, on the CLI, the API, the pages and the alerts.

Stored times are ISO strings in UTC (``...+00:00``) or naive (taken as UTC); dates
(``YYYY-MM-DD``) have no time zone and pass unchanged: a data date (a score's ``as_of``,
an alert's day, a page's publication date) is a day, not an instant.

* ``to_shanghai``: the ISO form with the offset (``2026-05-01T08:00:00+08:00``), for
  machines (the API, webhooks, ``--json``);
* ``shanghai_display``: the form for people (``2026-05-01 08:00``), for pages, e-mails
  and the CLI; the Jinja filter ``shanghai`` of every page (registered by ``smoke.labels.install``);
* ``localise_times``: every timestamp in a JSON document turned into ``to_shanghai``'s
  form, the API's one serialiser (``smoke.web.api_json``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# A whole value that is an ISO 8601 date and time (a bare date is not matched: it stays a date).
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")
# Keys whose values are text someone wrote or typed (a crawled title, an audited query, a
# note), or a data date: never rewritten even when the text happens to look like a time.
VERBATIM_KEYS = frozenset({
    "id", "title", "snippet", "text", "message", "highlight", "name", "detail", "reason", "q",
    "published", "as_of", "date", "day", "founded",
})


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


def shanghai_display(value: Any, seconds: bool = False) -> str:
    """A stored time for people: ``2026-05-01 08:00`` (Asia/Shanghai, no offset shown;
    ``seconds`` adds them); a bare date unchanged; '' for nothing; the text itself when
    it is not a time."""
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, date):
        return value.isoformat()
    iso = to_shanghai(None if value is None else str(value).strip())
    if len(iso) > 10 and iso[10] == "T":
        return iso[: 19 if seconds else 16].replace("T", " ")
    return iso


def localise_times(value: Any, key: str = "") -> Any:
    """``value`` (JSON data: dicts, lists, scalars) with every timestamp string in
    Asia/Shanghai ISO with its ``+08:00`` offset. Dates, other strings and the values of
    ``VERBATIM_KEYS`` are left as they are."""
    if key in VERBATIM_KEYS:
        return value
    if isinstance(value, str):
        return to_shanghai(value) if _TIMESTAMP.fullmatch(value) else value
    if isinstance(value, dict):
        return {k: localise_times(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [localise_times(v) for v in value]
    if isinstance(value, datetime):
        return to_shanghai(value.isoformat())
    return value
