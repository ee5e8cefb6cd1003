"""Extensions: a progress line on stderr during long crawls; the idle wait of
scale-out crawler processes sharing a Redis frontier."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task


class Progress:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("SMOKE_PROGRESS_INTERVAL", 5.0)
        self.enabled = crawler.settings.getbool("SMOKE_PROGRESS", True)
        self._loop: task.LoopingCall | None = None
        self._t0 = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        s = self.crawler.stats
        errors = sum(v for k, v in s.get_stats().items() if k.startswith("smoke/errors/"))
        name = getattr(self.crawler.spider, "source_name", self.crawler.spider.name)
        return (
            f"[crawl {name}] {time.monotonic() - self._t0:6.1f}s pages={s.get_value('response_received_count', 0)} "
            f"items={s.get_value('item_scraped_count', 0)} unchanged={s.get_value('smoke/unchanged', 0)} "
            f"errors={errors}"
        )

    def opened(self, spider) -> None:
        self._t0 = time.monotonic()
        if self.enabled and self.interval > 0:
            self._loop = task.LoopingCall(lambda: print(self.line(), file=sys.stderr, flush=True))
            self._loop.start(self.interval, now=False)

    def closed(self, spider, reason) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()


class RedisIdle:
    """With a shared Redis frontier, a process whose queue is momentarily empty must
    not quit while another process may still produce requests.

    Each process keeps a short-lived 'busy' key fresh while it has work of its own
    (start requests not yet handled, requests being downloaded, responses being
    parsed). It is marked busy from the moment its spider opens: a process whose
    first page is slow has produced no response yet, and its peers must not read
    that silence as the crawl being over. An idle process stays open while any other
    process is busy, and closes once the frontier has been empty and nobody busy for
    SMOKE_REDIS_IDLE_S seconds."""

    BUSY_TTL_S = 4
    BEAT_S = 1.0

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured
        import os

        from scrapy_redis.connection import get_redis_from_settings

        self.crawler = crawler
        self.idle_s = crawler.settings.getfloat("SMOKE_REDIS_IDLE_S", 5.0)
        self.server = get_redis_from_settings(crawler.settings)
        prefix = crawler.settings.get("SCHEDULER_QUEUE_KEY", "smoke").rsplit(":", 1)[0]
        self.busy_prefix = f"{prefix}:busy:"
        self.busy_key = f"{self.busy_prefix}{socket_name()}:{os.getpid()}"
        self._idle_since: float | None = None
        self._beat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisIdle:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.busy, signal=signals.response_received)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider) -> None:
        self._mark_busy()
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(self.BEAT_S, now=False)

    def _mark_busy(self) -> None:
        self.server.set(self.busy_key, "1", ex=self.BUSY_TTL_S)

    def _has_own_work(self) -> bool:
        engine = self.crawler.engine
        if engine is None:
            return False
        scraper_slot = getattr(engine.scraper, "slot", None)
        return bool(engine.downloader.active) or getattr(engine, "_start", None) is not None or (
            scraper_slot is not None and not scraper_slot.is_idle())

    def _heartbeat(self) -> None:
        if self._idle_since is None or self._has_own_work():
            self._mark_busy()

    def busy(self, *args, **kwargs) -> None:
        self._idle_since = None

    def closed(self, spider, reason) -> None:
        if self._beat is not None and self._beat.running:
            self._beat.stop()
        self.server.delete(self.busy_key)
        # The frontier persists (SCHEDULER_PERSIST) so that other processes keep it;
        # let Redis drop it a day after the last process of this crawl is done.
        prefix = self.busy_prefix.removesuffix("busy:")
        for key in self.server.scan_iter(f"{prefix}*"):
            self.server.expire(key, 86400)

    def _others_busy(self) -> bool:
        return any(k.decode() != self.busy_key for k in self.server.scan_iter(f"{self.busy_prefix}*"))

    def idle(self, spider) -> None:
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
            # Idle now: stop claiming to be busy rather than wait for the key to expire.
            self.server.delete(self.busy_key)
        if self._others_busy():
            self._idle_since = now
        if now - self._idle_since < self.idle_s:
            # The engine polls an idle spider's scheduler only every 5 s (its heartbeat);
            # poll the shared frontier sooner so this process picks up others' requests.
            from twisted.internet import reactor

            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None:
                reactor.callLater(0.3, slot.nextcall.schedule)
            raise DontCloseSpider


def socket_name() -> str:
    import socket

    return socket.gethostname()
