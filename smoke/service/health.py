"""Source health from run history: for the runs page, the sources page, the API and
``smoke sources`` (shared below the web layer, so ``smoke.sources`` needs no web import)."""

from __future__ import annotations

from typing import Any

from indexing.models import Run
from smoke import labels

SOURCE_STATE_ZH = dict(labels.labels().source_states)  # names: config/labels.yaml


def _source_state(stats: Any) -> str:
    errors = sum((stats.errors or {}).values())
    if stats.blocked:
        return "blocked"
    if errors and not stats.items:
        return "failing"
    if errors:
        return "degraded"
    return "ok"


def source_health(runs: list[Run]) -> list[dict[str, Any]]:
    """Per source: its state in the newest run that crawled it, and since when it has been so."""
    runs = sorted(runs, key=lambda r: r.started, reverse=True)
    # a source skipped in a run (switched off by an admin) says nothing of its health
    names = sorted({name for r in runs for name, st in r.sources.items() if not st.skipped})
    out = []
    for name in names:
        seen = [(r, r.sources[name]) for r in runs if name in r.sources and not r.sources[name].skipped]
        state = _source_state(seen[0][1])
        since = seen[0][0].started
        for run, stats in seen[1:]:
            if _source_state(stats) != state:
                break
            since = run.started
        latest = seen[0][1]
        out.append(
            {
                "source": name,
                "state": state,
                "state_zh": SOURCE_STATE_ZH[state],
                "since": since,
                "last_run": seen[0][0].started,
                "pages": latest.pages,
                "items": latest.items,
                "errors": dict(latest.errors or {}),
                "reason": latest.blocked_reason,
            }
        )
    out.sort(key=lambda s: (["blocked", "failing", "degraded", "ok"].index(s["state"]), s["source"]))
    return out
