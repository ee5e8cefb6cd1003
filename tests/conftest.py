"""Fixtures shared by every test area."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SMOKE_HOME for the test (an area may override it)."""
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("SMOKE_HOME", str(h))
    return h
