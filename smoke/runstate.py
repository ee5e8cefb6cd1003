"""What a run's state means to its outputs: per-source crawl state for the export
manifest, the note partial alerts carry, and the exit code a run ends with.

Exit codes of `smoke` (docs/cli.md, "Exit codes"; errors map in smoke.errors):
0 complete; 1 failed; 4 partial (finished, but some source was not crawled in full:
outputs are marked partial).
"""

from __future__ import annotations

from typing import Any

from indexing.models import Run, SourceStats

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_PARTIAL = 4


def source_state(stats: SourceStats) -> str:
    """complete | failed (its crawler died or could not start) | blocked | skipped (switched off)."""
    if stats.skipped:
        return "skipped"
    if any(k.startswith("process_exit_") for k in stats.errors):
        return "failed"
    if stats.blocked:
        return "blocked"
    return "complete"


def crawl_state(run: Run | None) -> dict[str, Any]:
    """The crawl behind an output, for its manifest: the run, its status, whether it is
    complete and each source's state."""
    if run is None:
        return {"run": None, "status": "unknown", "complete": False, "sources": {}}
    return {
        "run": run.id,
        "status": run.status,
        "complete": run.status == "ok",
        "finished": run.finished,
        "sources": {
            name: {"state": source_state(s), "pages": s.pages, "items": s.items, "errors": dict(s.errors),
                   **({"reason": s.blocked_reason or s.skipped} if (s.blocked_reason or s.skipped) else {})}
            for name, s in run.sources.items()
        },
    }


def incomplete_sources(run: Run) -> list[str]:
    return [n for n, s in run.sources.items() if source_state(s) in ("failed", "blocked")]


def partial_note(run: Run) -> str:
    """Appended to the message of every alert a partial cycle raises."""
    missing = ", ".join(incomplete_sources(run)) or "?"
    return f"【数据不完整 partial cycle: not fully crawled: {missing}】"


def exit_code(status: str) -> int:
    return {"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(status, EXIT_FAILED)


def latest_crawl(store: Any) -> Run | None:
    """The newest finished crawl run in ``store`` (what a standalone export is built on)."""
    for run in store.list_runs(limit=50):
        if run.kind == "crawl" and run.status != "running":
            return run
    return None
