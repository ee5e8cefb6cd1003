"""One monitoring cycle: crawl -> index -> score -> alerts -> export.

With a sandbox world (the bundled offline sources) the cycle starts the sandbox
server, crawls it through its proxy, and stops it again. Every step is idempotent,
so a cycle killed half-way can simply be run again.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from config.settings import Settings, get_settings
from indexing.models import HIGH_RISK, Run, Score, stable_id

DEMO_COMPANIES = 300
DEMO_SEED = 7


@dataclass
class CycleResult:
    run: Run
    as_of: str
    scored: int = 0
    high_risk: list[Score] = field(default_factory=list)
    new_alerts: int = 0
    delivery: dict = field(default_factory=dict)
    export_path: Path | None = None


def _say(progress: bool, msg: str) -> None:
    if progress:
        print(msg, file=sys.stderr, flush=True)


def ensure_demo_world(settings: Settings, progress: bool = True) -> Path:
    """The bundled offline world under SMOKE_HOME, generated once (deterministic seed)."""
    from sandbox.world import generate

    world = settings.home / "world"
    if not (world / "world.json").exists():
        _say(progress, f"[cycle] generating the demo world ({DEMO_COMPANIES} companies, seed {DEMO_SEED}) in {world}")
        generate(world, companies=DEMO_COMPANIES, seed=DEMO_SEED)
    return world


def run_cycle(
    settings: Settings | None = None,
    *,
    world_dir: Path | None = None,
    as_of: str | None = None,
    sources: list[str] | None = None,
    progress: bool = True,
    export: bool = True,
    alerts: bool = True,
    use_sandbox: bool | None = None,
    proxy: str | None = None,
) -> CycleResult:
    """Run one full cycle and return what it did. ``use_sandbox`` (default: SMOKE_SOURCES)
    False crawls the configured sources as they are (real sites); True serves the sandbox
    world and crawls that.
    ``proxy`` reuses an already running sandbox server (backtests move its clock)."""
    from crawlers.runner import run_crawl
    from indexing.store import StoreSpec, open_store
    from scoring.scorer import score_store

    settings = settings or get_settings()
    if use_sandbox is None:
        use_sandbox = settings.sources == "sandbox"
    settings.home.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        if use_sandbox and proxy is None:
            from sandbox.server import SandboxServer

            world_dir = world_dir or ensure_demo_world(settings, progress)
            server = SandboxServer(world_dir, as_of=as_of).start()
            proxy = server.proxy_url
            as_of = as_of or server.today
            _say(progress, f"[cycle] sandbox sources served at {proxy} as of {as_of}")
        as_of = as_of or dt.date.today().isoformat()

        t0 = time.monotonic()
        crawl_run = run_crawl(StoreSpec.from_settings(settings), sources=sources, proxy=proxy, progress=progress,
                              redis_url=settings.redis_url or None)
        _say(progress, f"[cycle] crawl finished in {time.monotonic() - t0:.1f}s: {crawl_run.status}")

        store = open_store(settings)
        try:
            t0 = time.monotonic()
            scores = score_store(store, as_of, progress=progress)
            store.save_scores(scores)
            _say(progress, f"[cycle] scored {len(scores)} companies in {time.monotonic() - t0:.1f}s")
            result = CycleResult(run=crawl_run, as_of=as_of, scored=len(scores))
            result.high_risk = sorted(
                (s for s in scores if s.smoke_index >= HIGH_RISK), key=lambda s: (-s.smoke_index, s.credit_code)
            )

            if alerts:
                from smoke.alerts import deliver_pending, evaluate_rules

                result.new_alerts = len(evaluate_rules(store, as_of))
                result.delivery = deliver_pending(store, home=settings.home)
                _say(progress, f"[cycle] {result.new_alerts} new alerts; delivery {result.delivery}")

            if export:
                from smoke.exports import write_export

                out = settings.home / "exports" / f"high-risk-{as_of}.csv"
                out.parent.mkdir(parents=True, exist_ok=True)
                write_export(store, out, fmt="csv", min_score=HIGH_RISK, as_of=as_of)
                result.export_path = out
                _say(progress, f"[cycle] export written to {out}")

            cycle_run = Run(
                id=stable_id("cycle", as_of, dt.datetime.now(dt.UTC).isoformat()),
                started=crawl_run.started,
                finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                status=crawl_run.status,
                kind="cycle",
                sources=crawl_run.sources,
                message=f"scored {len(scores)}, high risk {len(result.high_risk)}, new alerts {result.new_alerts}",
            )
            store.save_run(cycle_run)
            result.run = cycle_run
            return result
        finally:
            store.close()
    finally:
        if server is not None:
            server.stop()
