"""One source, one crawler process: ``python -m crawlers.crawl --source NAME --store PATH``.

The runner (crawlers.runner) starts this in a subprocess per source: Twisted's
reactor cannot be restarted inside one process, and a separate process is what
makes kill-and-resume real. Writes a JSON stats file (--stats-out) at the end.
"""

from __future__ import annotations

import argparse
import fcntl
import importlib
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from config import ConfigError
from config.sources import SourceConfig, load_sources
from crawlers.errors import SpiderArgumentError
from crawlers.spiders import SPIDER_FOR_KIND


def spider_class(kind: str) -> type:
    module, _, cls = SPIDER_FOR_KIND[kind].rpartition(".")
    return getattr(importlib.import_module(module), cls)


def build_settings(src: SourceConfig, store: str, redis_url: str = "", redis_key: str = "",
                   jobdir: str = "", progress: bool = True, overrides: dict[str, str] | None = None):
    from scrapy.settings import Settings

    s = Settings()
    s.setmodule("crawlers.settings", priority="project")
    r = src.rate
    per_source: dict[str, Any] = {
        "DOWNLOAD_DELAY": r.delay_s,
        "DOWNLOAD_DELAY_JITTER": 0.5 if r.delay_s > 0 else 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": r.concurrency_per_domain,
        "AUTOTHROTTLE_ENABLED": r.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(r.delay_s, 0.1),
        "DOWNLOAD_TIMEOUT": r.timeout_s,
        "RETRY_TIMES": r.retries,
        "ROBOTSTXT_OBEY": src.robots == "obey",
        "DOWNLOAD_MAXSIZE": src.traps.max_bytes,
        "DOWNLOAD_WARNSIZE": min(src.traps.max_bytes, 1024 * 1024),
        "DEPTH_LIMIT": src.traps.depth_limit,
        "SMOKE_STORE_SPEC": str(store),  # indexing.store.spec: backend and where
        "SMOKE_PROGRESS": progress,
    }
    s.setdict(per_source, priority="spider")
    if redis_url:
        key = redis_key or "default"
        s.setdict({
            # Shared frontier and duplicate filter (scrapy-redis); keys per run and source.
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "REDIS_URL": redis_url,
            # Persist: one process closing must not flush the frontier others still use.
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
            "SCHEDULER_QUEUE_KEY": f"smoke:{key}:{src.name}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"smoke:{key}:{src.name}:dupefilter",
            "DUPEFILTER_KEY": f"smoke:{key}:{src.name}:dupefilter",
        }, priority="spider")
    elif jobdir:
        s.set("JOBDIR", jobdir, priority="spider")
    for k, v in (overrides or {}).items():
        s.set(k, v, priority="cmdline")
    hosts = _fixed_hosts(src)
    if redis_url and hosts and "CONCURRENT_REQUESTS" not in (overrides or {}):
        # Scrapy keeps pulling from the scheduler until CONCURRENT_REQUESTS are in its
        # downloader, whatever the per-domain limit; with a shared frontier one process
        # would hoard requests its peers could fetch, and a killed process would take
        # them with it. Pull no more than this process can fetch at once.
        s.set("CONCURRENT_REQUESTS", s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") * hosts, priority="cmdline")
    return s


def _fixed_hosts(src: SourceConfig) -> int:
    """How many hosts a source can fetch from; 0 when open-ended (promo sites follow
    links to any host)."""
    if src.allowed_domains:
        return len(set(src.allowed_domains))
    if src.kind == "promo":
        return 0
    return len({urlsplit(u).hostname for u in src.start_urls})


class JobdirBusy(Exception):
    """Another live crawler uses this job folder."""


def claim_jobdir(jobdir: Path) -> int:
    """Lock ``jobdir`` for this process's life (``<jobdir>.lock``, flock: freed when the
    process dies, however it dies) and return the descriptor. A second crawler of the
    same job would otherwise take the first one's live 'running' marker for a kill and
    delete its queue under it."""
    jobdir.parent.mkdir(parents=True, exist_ok=True)
    lock = jobdir.with_name(jobdir.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
        os.close(fd)
        raise JobdirBusy(f"{jobdir}: in use by crawler pid {holder}; not touching it") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def prepare_jobdir(jobdir: Path) -> None:
    """Scrapy's JOBDIR survives a graceful stop, not SIGKILL: its queue and seen-set are
    written at different times, so after a kill the seen-set can hold requests that
    were never processed (lost pages). A 'running' marker left behind means a kill
    (the caller holds ``claim_jobdir``, so no live crawler owns it): start clean; the
    store's per-URL validators make the re-crawl cheap instead."""
    marker = jobdir / "running"
    if marker.exists():
        shutil.rmtree(jobdir, ignore_errors=True)
    jobdir.mkdir(parents=True, exist_ok=True)
    marker.write_text(str(os.getpid()))


def finish_jobdir(jobdir: Path, reason: str) -> None:
    if reason == "finished":
        shutil.rmtree(jobdir, ignore_errors=True)  # a finished crawl must not filter tomorrow's
    elif reason == "shutdown":
        (jobdir / "running").unlink(missing_ok=True)  # graceful pause: resumable as is


def summarize(stats: dict[str, Any], spider: Any, duration: float) -> dict[str, Any]:
    errors = {k.removeprefix("smoke/errors/"): int(v) for k, v in stats.items() if k.startswith("smoke/errors/")}
    return {
        "pages": int(stats.get("response_received_count", 0)),
        "items": int(stats.get("item_scraped_count", 0)),
        "bytes": int(stats.get("downloader/response_bytes", 0)),
        "errors": errors,
        "blocked": bool(getattr(spider, "blocked_reason", "")),
        "blocked_reason": getattr(spider, "blocked_reason", "") or "",
        "blocked_hosts": dict(getattr(spider, "blocked_hosts", {}) or {}),
        "duration_s": round(duration, 3),
        "finish_reason": str(stats.get("finish_reason", "")),
        "unchanged": int(stats.get("smoke/unchanged", 0)),
        "duplicates": int(stats.get("smoke/duplicates", 0)),
        "retries": int(stats.get("retry/count", 0)),
        "stored_new": int(stats.get("smoke/stored/new", 0)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawlers.crawl", description=__doc__)
    ap.add_argument("--source", required=True, help="source name (config/sources/NAME.yaml)")
    ap.add_argument("--store", required=True, help="store specification: backend:location (indexing/store/spec.py)")
    ap.add_argument("--config-dir", default="", help="folder overriding config/ (its sources/*.yaml)")
    ap.add_argument("--stats-out", type=Path, help="write the source's crawl stats as JSON here")
    ap.add_argument("--redis-url", default="", help="share one frontier and dupe filter through Redis")
    ap.add_argument("--redis-key", default="", help="namespace of the shared frontier (one per run)")
    ap.add_argument("--jobdir", default="", help="Scrapy JOBDIR (pause / resume)")
    ap.add_argument("--no-progress", action="store_true")
    ap.add_argument("-s", dest="settings", action="append", default=[], help="NAME=VALUE Scrapy setting")
    args = ap.parse_args(argv)
    try:
        sources = load_sources(Path(args.config_dir) if args.config_dir else None, include_disabled=True)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    if args.source not in sources:
        print(f"unknown source {args.source!r}; configured: {', '.join(sources)}", file=sys.stderr)
        return 2
    src = sources[args.source]
    overrides = dict(kv.split("=", 1) for kv in args.settings)
    settings = build_settings(src, args.store, args.redis_url, args.redis_key, args.jobdir,
                              not args.no_progress, overrides)
    jobdir = Path(args.jobdir) if args.jobdir and not args.redis_url else None
    if jobdir:
        try:
            claim_jobdir(jobdir)  # held until this process ends
        except JobdirBusy as exc:
            print(f"crawl error: {exc}", file=sys.stderr)
            return 75  # EX_TEMPFAIL: try again once the other crawler is done
        prepare_jobdir(jobdir)

    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_class(src.kind))
    t0 = time.monotonic()
    try:
        process.crawl(crawler, source=src.name, config_dir=args.config_dir)
        process.start()
    except SpiderArgumentError as exc:
        print(f"crawl error: {exc}", file=sys.stderr)
        return 2
    stats = crawler.stats.get_stats() if crawler.stats else {}
    summary = summarize(stats, crawler.spider, time.monotonic() - t0)
    if jobdir:
        finish_jobdir(jobdir, summary["finish_reason"])
    if args.stats_out:
        tmp = args.stats_out.with_suffix(".tmp")
        tmp.write_text(json.dumps(summary, ensure_ascii=False))
        tmp.replace(args.stats_out)
    if not args.no_progress:
        errs = sum(summary["errors"].values())
        print(f"[crawl {src.name}] done ({summary['finish_reason']}): pages={summary['pages']} "
              f"items={summary['items']} unchanged={summary['unchanged']} errors={errs}"
              + (f" BLOCKED: {summary['blocked_reason']}" if summary["blocked"] else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
