from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawlers.siteserver import SiteServer

# Crawls in tests: no delays, short timeouts, quick retries, frequent store commits.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_TIMEOUT": "2",
    "SMOKE_PROGRESS_INTERVAL": "0",
    "SMOKE_STORE_BATCH": "5",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "SMOKE_RETRY_BASE_DELAY": "0.05",
}


@pytest.fixture
def site():
    s = SiteServer()
    s.start()
    yield s
    s.stop()


@pytest.fixture
def smoke_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("SMOKE_HOME", str(home))
    monkeypatch.delenv("SMOKE_CONFIG_DIR", raising=False)
    monkeypatch.delenv("SMOKE_REDIS_URL", raising=False)
    return home


@pytest.fixture
def crawl(site, smoke_home, tmp_path):
    """crawl(*sources, **kw) -> Run: run_crawl against the fixture server into tmp_path/smoke.db."""
    from crawlers.runner import run_crawl

    store_path = tmp_path / "smoke.db"

    def _crawl(*sources: str, settings: dict[str, str] | None = None, progress: bool = False, **kw):
        return run_crawl(store_path, list(sources) or None, proxy=site.proxy_url, progress=progress,
                         settings={**FAST, **(settings or {})}, **kw)

    _crawl.store_path = store_path
    return _crawl


@pytest.fixture
def open_db(tmp_path):
    from indexing.store.sqlite import SQLiteStore

    stores = []

    def _open(path: Path | None = None):
        s = SQLiteStore(path or tmp_path / "smoke.db")
        stores.append(s)
        return s

    yield _open
    for s in stores:
        s.close()
