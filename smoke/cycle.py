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
from crawlers.runner import new_run_id
from indexing.models import Run, Score
from smoke.labels import run_status_zh
from smoke.service.threshold import high_risk

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
    watch: dict = field(default_factory=dict)  # per-user watchlist digests (smoke.alerts.digests)
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
    wait_s: float = 0.0,
) -> CycleResult:
    """Run one full cycle and return what it did. ``use_sandbox`` (default: SMOKE_SOURCES)
    False crawls the configured sources as they are (real sites); True serves the sandbox
    world and crawls that.
    ``proxy`` reuses an already running sandbox server (backtests move its clock).

    One cycle at a time per store: the cycle holds the store's ``cycle`` lock, each
    source's ``crawl-<source>`` lock while crawling, ``score`` while scoring and
    ``export`` while exporting (smoke.locking). A second cycle waits up to ``wait_s``
    seconds, then raises ``LockBusy`` naming the holder. Every configuration file is
    validated first (smoke.preflight)."""
    from indexing.store import StoreSpec, open_store
    from smoke.errors import DataFileError
    from smoke.locking import store_lock
    from smoke.preflight import check_config
    from smoke.runguard import live_run, sweep_interrupted

    settings = settings or get_settings()
    check_config(settings)
    if use_sandbox is None:
        use_sandbox = settings.sources == "sandbox"
    settings.home.mkdir(parents=True, exist_ok=True)
    what = "smoke run" + (f" --source {','.join(sources)}" if sources else "")
    with store_lock(settings, "cycle", what=what, timeout_s=wait_s):
        cycle_run = Run(id=new_run_id("cycle"), started=_now(), kind="cycle")
        with live_run(settings, cycle_run.id):
            with open_store(settings) as store:
                damage = store.check_integrity()
                if damage:
                    where = StoreSpec.from_settings(settings).location
                    raise DataFileError(f"{where}: the store is damaged ({'; '.join(damage[:3])}); restore it "
                                        "from a backup or move it away to start afresh")
                swept = sweep_interrupted(store, settings)
                if swept:
                    _say(progress, f"[cycle] marked {len(swept)} run(s) left by killed processes interrupted: "
                                   + ", ".join(swept))
                store.save_run(cycle_run)
            try:
                return _cycle(settings, cycle_run, world_dir=world_dir, as_of=as_of, sources=sources,
                              progress=progress, export=export, alerts=alerts, use_sandbox=use_sandbox,
                              proxy=proxy, wait_s=wait_s, what=what)
            except BaseException as exc:
                cycle_run.status = "interrupted" if isinstance(exc, KeyboardInterrupt | SystemExit) else "failed"
                cycle_run.finished = _now()
                cycle_run.message = f"{type(exc).__name__}: {exc}"[:500]
                with open_store(settings) as store:
                    store.save_run(cycle_run)
                raise


SAVE_BATCH = 1000  # scores saved at a time
# From this many companies pass 1 of scoring runs in worker processes, one per core (at most
# MAX_SCORE_WORKERS); below it, starting them (each imports the analyser) costs more than it saves.
WORKERS_FROM = 3000
MAX_SCORE_WORKERS = 4


def memo_path(settings: Settings) -> Path:
    """Where the scorer keeps, between cycles, what it measured (scoring/memo.py): under
    SMOKE_HOME, one file per store."""
    import hashlib

    from indexing.store import StoreSpec

    key = hashlib.sha1(str(StoreSpec.from_settings(settings)).encode("utf-8")).hexdigest()[:12]
    return settings.home / "scoring" / f"memo-{key}.sqlite"


def score_workers(store) -> int:
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(MAX_SCORE_WORKERS, cores) if store.count_companies() >= WORKERS_FROM else 1


def analyses_path(settings: Settings) -> Path:
    """Where the scorer keeps text analyses between cycles (scoring/analyses.py): keyed by the
    text and the analyser's version, so one file serves every store of the home."""
    return settings.home / "scoring" / "analyses.sqlite"


def analyse_documents(store, settings: Settings, *, workers: int = 1, progress: bool = False) -> tuple[int, int]:
    """The index step's text analysis (scoring.prepare): the documents the store wrote since
    the last cycle are analysed once, into the analyses file scoring reads. Returns
    (companies looked at, documents analysed)."""
    from indexing.store import StoreSpec
    from scoring.prepare import analyse_new_documents

    spec = StoreSpec.from_settings(settings)
    return analyse_new_documents(store, analyses_path(settings), str(spec), workers=workers, spec=spec,
                                 progress=progress)


def score_and_save(store, as_of: str, memo: Path | None, *, progress: bool = False, workers: int = 1,
                   spec=None, analyses: Path | None = None) -> tuple[int, int, list[Score]]:
    """Score every company (streaming, ``SAVE_BATCH`` saved at a time) and return (companies
    scored, companies analysed anew, the high-risk scores). With ``memo``, only companies whose
    inputs changed since the memo's last run are analysed again; a new model, lexicon or
    analyser version empties the memo (a full rescore). ``workers`` > 1: pass 1 in that many
    processes, each opening the store ``spec``. ``analyses``: where text analyses are kept."""
    from scoring.memo import ScoreMemo
    from scoring.model import load_model
    from scoring.scorer import RunStats, iter_scores

    model = load_model()
    stats = RunStats()
    keeper = ScoreMemo(memo, model) if memo is not None else None
    high: list[Score] = []
    buf: list[Score] = []
    threshold = high_risk()
    try:
        for s in iter_scores(store, as_of, model, progress=progress, memo=keeper, stats=stats,
                             workers=workers, spec=spec, analyses=analyses):
            buf.append(s)
            if s.smoke_index >= threshold:
                high.append(s)
            if len(buf) >= SAVE_BATCH:
                store.save_scores(buf)
                buf = []
        store.save_scores(buf)
    finally:
        if keeper is not None:
            keeper.close()
    return stats.companies, stats.analysed, high


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _cycle(settings: Settings, cycle_run: Run, *, world_dir: Path | None, as_of: str | None,
           sources: list[str] | None, progress: bool, export: bool, alerts: bool, use_sandbox: bool,
           proxy: str | None, wait_s: float, what: str) -> CycleResult:
    from config.sources import load_sources
    from crawlers.runner import resolve_sources, run_crawl
    from indexing.store import StoreSpec, open_store
    from smoke.locking import store_jobs_dir, store_lock
    from smoke.runguard import crawl_locks, live_run
    from smoke.runstate import crawl_state, partial_note

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
        names = resolve_sources(sources, load_sources(settings.config_dir))
        crawl_id = new_run_id("crawl")
        with live_run(settings, crawl_id), crawl_locks(settings, names, what, wait_s) as fds:
            crawl_run = run_crawl(StoreSpec.from_settings(settings), sources=sources, proxy=proxy, progress=progress,
                                  redis_url=settings.redis_url or None, run_id=crawl_id, lock_fds=fds,
                                  jobs_dir=store_jobs_dir(settings))
        _say(progress, f"[cycle] crawl finished in {time.monotonic() - t0:.1f}s: {crawl_run.status}")
        partial = crawl_run.status != "ok"

        store = open_store(settings)
        try:
            spec = StoreSpec.from_settings(settings)
            workers = score_workers(store)
            with store_lock(settings, "score", what=what, timeout_s=wait_s):
                t0 = time.monotonic()
                looked, n_docs = analyse_documents(store, settings, workers=workers, progress=progress)
                _say(progress, f"[cycle] index: analysed {n_docs} new or changed documents of {looked} companies "
                               f"in {time.monotonic() - t0:.1f}s")
                t0 = time.monotonic()
                scored, analysed, high = score_and_save(store, as_of, memo_path(settings), progress=progress,
                                                        workers=workers, spec=spec, analyses=analyses_path(settings))
            _say(progress, f"[cycle] scored {scored} companies ({analysed} analysed anew, the others unchanged) "
                           f"in {time.monotonic() - t0:.1f}s")
            result = CycleResult(run=crawl_run, as_of=as_of, scored=scored)
            result.high_risk = sorted(high, key=lambda s: (-s.smoke_index, s.credit_code))

            if alerts:
                from smoke.alerts import deliver_pending, evaluate_rules

                new = evaluate_rules(store, as_of)
                if partial:
                    for alert in new:  # a reader of the alert must know the data behind it is incomplete
                        alert.message = f"{alert.message} {partial_note(crawl_run)}"
                        store.update_alert(alert)
                result.new_alerts = len(new)
                result.delivery = deliver_pending(store, home=settings.home)
                _say(progress, f"[cycle] {result.new_alerts} new alerts; delivery {result.delivery}")
                from smoke.alerts.digests import deliver_watch_digests

                result.watch = deliver_watch_digests(store, settings.home, as_of)
                _say(progress, f"[cycle] watchlist digests {result.watch}")

            if export:
                from smoke.exports import write_export

                # A partial crawl never takes the name of a complete export.
                name = f"high-risk-{as_of}.partial.csv" if partial else f"high-risk-{as_of}.csv"
                out = settings.home / "exports" / name
                out.parent.mkdir(parents=True, exist_ok=True)
                with store_lock(settings, "export", what=what, timeout_s=wait_s):
                    write_export(store, out, fmt="csv", min_score=high_risk(), as_of=as_of,
                                 crawl=crawl_state(crawl_run))
                result.export_path = out
                _say(progress, f"[cycle] export written to {out}" + (" (PARTIAL crawl)" if partial else ""))

            cycle_run.finished = _now()
            cycle_run.status = crawl_run.status
            cycle_run.sources = crawl_run.sources
            cycle_run.message = "; ".join(p for p in (
                # shown on the runs page: Chinese, like every page
                f"数据日期 {as_of}：评分 {scored} 家，高风险 {len(result.high_risk)} 家，新预警 {result.new_alerts} 条",
                f"采集{run_status_zh(crawl_run.status)}：{crawl_run.message}" if partial else "") if p)
            store.save_run(cycle_run)
            result.run = cycle_run
            return result
        finally:
            store.close()
    finally:
        if server is not None:
            server.stop()
