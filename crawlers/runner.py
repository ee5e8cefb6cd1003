"""Run a crawl of the configured sources, one crawler subprocess per source, and record
the Run. AMAC and registry sources run first, one at a time, so that linking knows every
company; the sources that link documents to companies (court, complaints, web) then run
side by side, SMOKE_CRAWL_WORKERS at a time: they are different sites with their own
politeness limits, and each process spends most of its time parsing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from config import ConfigError
from config.sources import load_sources
from crawlers.children import kill as _kill
from crawlers.children import start_child
from crawlers.switches import describe, disabled_sources
from indexing.models import Run, SourceStats
from indexing.store.spec import StoreSpec

REPO_ROOT = Path(__file__).resolve().parents[1]


ENTITY_KINDS = ("amac", "registry")  # they write the companies every other source links to


def crawl_phases(names: list[str], kinds: dict[str, str]) -> list[list[str]]:
    """Groups of sources that may run at once, in order: each entity source alone, then
    every other source together."""
    first = [[n] for n in names if kinds[n] in ENTITY_KINDS]
    rest = [n for n in names if kinds[n] not in ENTITY_KINDS]
    return first + ([rest] if rest else [])


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def crawl_command(source: str, store: StoreSpec | str | Path, stats_out: Path | None = None, config_dir: Path | None = None,
                  redis_url: str = "", redis_key: str = "", jobdir: Path | None = None, progress: bool = True,
                  settings: dict[str, str] | None = None) -> list[str]:
    """The argv of one crawler process (also used by tests and the benchmark)."""
    cmd = [sys.executable, "-m", "crawlers.crawl", "--source", source, "--store", str(StoreSpec.parse(store))]
    if stats_out:
        cmd += ["--stats-out", str(stats_out)]
    if config_dir:
        cmd += ["--config-dir", str(config_dir)]
    if redis_url:
        cmd += ["--redis-url", redis_url, "--redis-key", redis_key or "default"]
    if jobdir:
        cmd += ["--jobdir", str(jobdir)]
    if not progress:
        cmd.append("--no-progress")
    for k, v in (settings or {}).items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


def crawl_env(proxy: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    if proxy:
        env["SMOKE_SANDBOX_PROXY"] = proxy
    return env


def run_crawl(store_spec: StoreSpec | str | Path, sources: list[str] | None = None, proxy: str | None = None,
              config_dir: Path | None = None, progress: bool = True, redis_url: str | None = None,
              *, settings: dict[str, str] | None = None, redis_key: str | None = None, force: bool = False,
              workers: int | None = None, run_id: str | None = None, lock_fds: Mapping[str, int] | None = None,
              jobs_dir: Path | None = None) -> Run:
    """Crawl ``sources`` (default: every enabled one) into ``store_spec`` (a StoreSpec, its string,
    or an embedded store file's path);
    record and return the Run with per-source SourceStats. ``proxy`` becomes
    SMOKE_SANDBOX_PROXY for sources that say ``proxy: ${SMOKE_SANDBOX_PROXY}``;
    ``redis_url`` (or SMOKE_REDIS_URL) shares the frontier with other crawler processes;
    ``settings`` are extra Scrapy settings (tests lower delays with it). Crawler
    processes share a frontier when they use the same ``redis_key`` (default: this
    run's id, i.e. processes started by this call; give every host the same key,
    e.g. the cycle's date, to spread one crawl over several hosts).

    A source an admin switched off (``crawlers.switches``: web UI, API, `smoke sources
    disable`) is skipped, even when named in ``sources``, unless ``force``: the switch is
    the operator's decision (a site that asked us to stop, a broken layout) and a
    schedule or script naming the source must not override it silently. The Run records
    it as SourceStats(skipped=<who, when, why>) and progress says so.

    ``workers`` (default SMOKE_CRAWL_WORKERS) caps the crawler processes running at once
    after the entity sources (see the module docstring).

    ``run_id`` names the Run (the caller may hold a liveness lock on it); ``lock_fds``
    maps a source to the descriptor of the lock its crawl holds: the crawler process
    inherits it, so the lock stays held while the crawler lives. ``jobs_dir`` holds the
    Scrapy job folders (default SMOKE_HOME/jobs). Crawler processes die with this one
    (``crawlers.children``)."""
    from config.settings import get_settings
    from indexing.store import open_store

    spec = StoreSpec.parse(store_spec)
    cfg = get_settings()
    config_dir = config_dir or cfg.config_dir
    configured = load_sources(config_dir)
    names = resolve_sources(sources, configured)
    redis_url = redis_url if redis_url is not None else (cfg.redis_url or None)
    run = Run(id=run_id or new_run_id("crawl"), started=_now(), kind="crawl")
    with open_store(spec=spec) as store:
        switched_off = {} if force else disabled_sources(store, names)
        for name, switch in switched_off.items():
            run.sources[name] = SourceStats(skipped=describe(switch))
            if progress:
                print(f"[crawl] {name}: skipped, {describe(switch)} (smoke crawl --force to crawl anyway)",
                      file=sys.stderr, flush=True)
        store.save_run(run)
    order = names
    skipped = [n for n in names if n in switched_off]
    names = [n for n in names if n not in switched_off]
    env = crawl_env(proxy)
    jobs = jobs_dir or cfg.home / "jobs"
    failures = 0
    workers = cfg.crawl_workers if workers is None else workers
    with tempfile.TemporaryDirectory(prefix="smoke-crawl-") as tmp:
        for phase in crawl_phases(names, {n: configured[n].kind for n in names}):
            pending, running = list(phase), []
            while pending or running:
                while pending and len(running) < max(1, workers):
                    name = pending.pop(0)
                    stats_file = Path(tmp) / f"{name}.json"
                    # stderr to a file when not shown: a pipe nobody reads would block the crawler
                    err = None if progress else open(Path(tmp) / f"{name}.err", "w+b")  # noqa: SIM115
                    cmd = crawl_command(name, spec, stats_file, config_dir, redis_url or "", redis_key or run.id,
                                        None if redis_url else jobs / name, progress, settings)
                    if progress:
                        print(f"[crawl] {name}: starting", file=sys.stderr, flush=True)
                    proc = start_child(cmd, env, err, (lock_fds or {}).get(name), cwd=str(REPO_ROOT))
                    running.append((name, proc, stats_file, err))
                try:
                    name, proc, stats_file, err = running.pop(_wait_any([r[1] for r in running]))
                except BaseException:
                    # Ctrl-C, a scheduler shutting down: no crawler outlives this call.
                    for r in running:
                        _kill(r[1])
                    raise
                stderr = b""
                if err is not None:
                    err.seek(0)
                    stderr = err.read()
                    err.close()
                run.sources[name] = _stats(stats_file, proc.returncode, stderr)
                if proc.returncode != 0 or not stats_file.exists():
                    failures += 1
    run.sources = {n: run.sources[n] for n in order if n in run.sources}  # cycle order, skipped ones included
    blocked = [n for n, s in run.sources.items() if s.blocked]
    run.finished = _now()
    if failures == len(names) and names:
        run.status = "failed"
    elif failures or blocked:
        run.status = "partial"
    else:
        run.status = "ok"
    parts = []
    if blocked:
        parts.append("blocked: " + ", ".join(f"{n} ({run.sources[n].blocked_reason})" for n in blocked))
    if failures:
        parts.append(f"{failures} source(s) failed")
    if skipped:
        parts.append("switched off: " + ", ".join(skipped))
    run.message = "; ".join(parts)
    with open_store(spec=spec) as store:
        store.save_run(run)
    return run


def new_run_id(kind: str) -> str:
    return f"{kind}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def resolve_sources(sources: list[str] | None, configured: Mapping[str, object]) -> list[str]:
    """The sources a crawl of ``sources`` (None: all) covers, in cycle order; an unknown
    or disabled name is a ConfigError."""
    if not sources:
        return list(configured)
    unknown = [s for s in sources if s not in configured]
    if unknown:
        raise ConfigError(f"sources: unknown or disabled source(s) {', '.join(unknown)}; "
                          f"configured: {', '.join(configured)}")
    return [n for n in configured if n in sources]  # cycle order, whatever the order given


def _wait_any(procs: list[subprocess.Popen]) -> int:
    """Index of the first of ``procs`` to finish (polled: the processes are long-lived)."""
    while True:
        for i, p in enumerate(procs):
            if p.poll() is not None:
                return i
        time.sleep(0.1)


def _stats(stats_file: Path, returncode: int, stderr: bytes | None) -> SourceStats:
    import json

    if stats_file.exists():
        d = json.loads(stats_file.read_text(encoding="utf-8"))
        return SourceStats(pages=d["pages"], items=d["items"], bytes=d["bytes"], errors=d["errors"],
                           blocked=d["blocked"], blocked_reason=d["blocked_reason"], duration_s=d["duration_s"])
    tail = (stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] if stderr else []
    return SourceStats(errors={f"process_exit_{returncode}": 1},
                       blocked_reason=tail[0][:300] if tail else "")
