"""The company object the web page and ``GET /api/v1/companies/{code}`` show.

``smoke.profile.company_profile`` builds it, so the API, the page and
``smoke company --json`` show one and the same object.
"""

from __future__ import annotations

from typing import Any

from indexing.store.base import Store
from smoke.profile import company_profile as _profile


def company_profile(store: Store, key: str) -> dict[str, Any] | None:
    """The profile dict (``smoke.profile.company_profile``: the object of ``smoke company --json``),
    or None when the key is empty, oversized or unknown."""
    if not key or not key.strip() or len(key) > 200:
        return None
    return _profile(store, key)


def history_points(profile: dict[str, Any]) -> list[dict[str, Any]]:
    """The history as [{as_of, smoke_index}] whatever shape (dicts or tuples) the profile uses."""
    out = []
    for h in profile.get("history") or []:
        if isinstance(h, dict):
            d = h.get("as_of") or h.get("date") or ""
            v = h.get("smoke_index", h.get("index"))
        else:
            d, v = h[0], h[1]
        if d and v is not None:
            out.append({"as_of": str(d), "smoke_index": round(float(v), 1)})
    return out
