"""Fixtures shared by every test area."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _own_smoke_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test process (each xdist worker) starts with its own SMOKE_HOME, so a test that
    sets none writes neither into the checkout's ./var nor into another worker's home. A test
    that needs a fresh one still sets its own (``home`` below)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SMOKE_HOME", str(tmp_path_factory.mktemp("smoke-home")))
    yield
    mp.undo()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SMOKE_HOME for the test (an area may override it)."""
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("SMOKE_HOME", str(h))
    return h


@pytest.fixture(scope="session")
def es_url() -> str:
    """The live Elasticsearch node's URL (SMOKE_ES_URL; ./scripts/test starts one), or a
    one-line skip saying why there is none."""
    url = os.environ.get("SMOKE_ES_URL", "")
    if not url:
        why = os.environ.get("SMOKE_ES_UNAVAILABLE") or "SMOKE_ES_URL is not set (./scripts/test starts a node)"
        pytest.skip(f"elasticsearch: {why}")
    return url
