"""Settings are declared as data; the docs must list every one of them (and no others)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import ConfigError
from config.settings import SETTINGS, get_settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_docs_list_every_setting() -> None:
    documented = set(re.findall(r"`(SMOKE_[A-Z_]+)`", DOC.read_text(encoding="utf-8")))
    declared = {s.env for s in SETTINGS}
    assert declared - documented == set(), "settings missing from docs/settings.md"
    assert documented - declared == set(), "docs/settings.md lists settings the code does not have"


def test_bad_store_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMOKE_STORE", "mongodb")
    with pytest.raises(ConfigError, match=r"SMOKE_STORE: expected 'sqlite' or 'elasticsearch', got 'mongodb'"):
        get_settings()


def test_home_defaults_and_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path / "h"))
    assert get_settings().sqlite_path == (tmp_path / "h" / "smoke.db").resolve()


def test_sources_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_settings().sources == "sandbox"
    monkeypatch.setenv("SMOKE_SOURCES", "LIVE")
    assert get_settings().sources == "live"
    monkeypatch.setenv("SMOKE_SOURCES", "internet")
    with pytest.raises(ConfigError, match=r"SMOKE_SOURCES: expected 'sandbox' or 'live', got 'internet'"):
        get_settings()


@pytest.mark.parametrize("value", ["0", "two", "-1", "100"])
def test_bad_crawl_workers_names_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SMOKE_CRAWL_WORKERS", value)
    with pytest.raises(ConfigError, match=r"SMOKE_CRAWL_WORKERS: expected a whole number from 1 to 64"):
        get_settings()
