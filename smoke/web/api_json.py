"""The API's one JSON serialiser: every timestamp in an answer is Asia/Shanghai ISO 8601
with its ``+08:00`` offset (``smoke.service.timefmt.localise_times``), whatever the route
or the stored form (UTC, naive UTC, ``Z``). Dates (``YYYY-MM-DD``) stay dates.

Routes under /api/v1 import ``JSONResponse`` from here instead of Starlette's, so no
route converts its own times."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse as _StarletteJSON

from smoke.service.timefmt import localise_times


class JSONResponse(_StarletteJSON):
    def render(self, content: Any) -> bytes:
        return super().render(localise_times(content))
