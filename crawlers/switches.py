"""Operator switches of sources: an admin may switch a configured source off without
editing its YAML (the bundled config is code; the switch is state of this install).

A switched-off source has the store state key ``source:<name>:disabled`` holding JSON
``{"by": user, "at": iso time, "reason": text}``; switching it on again writes an empty
value (the Store contract has no delete). The crawl runner, the web UI, the API and
the CLI all read and write the switch through these helpers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexing.store.base import Store

MAX_REASON = 500
MAX_BY = 64


def state_key(name: str) -> str:
    return f"source:{name}:disabled"


def source_switch(store: Store, name: str) -> dict[str, Any] | None:
    """The switch of one source: None when it is on, else {"by", "at", "reason"}."""
    raw = store.get_state(state_key(name))
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        # unreadable state still means someone switched it off: keep it off, say so
        return {"by": "", "at": "", "reason": "unreadable switch state"}
    if not isinstance(value, dict):
        return {"by": "", "at": "", "reason": "unreadable switch state"}
    return {"by": str(value.get("by", "")), "at": str(value.get("at", "")), "reason": str(value.get("reason", ""))}


def disabled_sources(store: Store, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Of ``names`` (e.g. the configured sources), those switched off: name -> {"by", "at", "reason"}.
    Names are needed because the Store contract cannot list state keys by prefix."""
    out = {}
    for name in names:
        switch = source_switch(store, name)
        if switch is not None:
            out[name] = switch
    return out


def set_source_enabled(store: Store, name: str, enabled: bool, by: str, reason: str = "") -> dict[str, Any] | None:
    """Switch ``name`` on or off; returns the new switch (None when on). The caller
    checks that ``name`` is a configured source and records the audit entry."""
    if enabled:
        store.set_state(state_key(name), "")
        return None
    value = {
        "by": (by or "")[:MAX_BY],
        "at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "reason": (reason or "").strip()[:MAX_REASON],
    }
    store.set_state(state_key(name), json.dumps(value, ensure_ascii=False))
    return value


def describe(switch: dict[str, Any]) -> str:
    """One line for progress output and run records: who switched it off, when, why."""
    who = switch.get("by") or "?"
    when = switch.get("at") or "?"
    why = switch.get("reason") or "no reason given"
    return f"switched off by {who} at {when}: {why}"
