"""Store specifications: one string naming a backend and its location."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.store.spec import StoreSpec
from indexing.store.sqlite import SQLiteStore


def test_round_trip_and_bare_paths(tmp_path: Path) -> None:
    for text in ("sqlite:/var/lib/smoke/smoke.db", "elasticsearch:https://es1:9200#smoke",
                 "elasticsearch:http://127.0.0.1:9200"):
        assert str(StoreSpec.parse(text)) == text
    assert StoreSpec.parse(tmp_path / "a.db") == StoreSpec("sqlite", str(tmp_path / "a.db"))
    assert StoreSpec.parse("data/smoke.db") == StoreSpec("sqlite", "data/smoke.db")
    es = StoreSpec.parse("elasticsearch:https://es1:9200#smoke")
    assert (es.backend, es.location, es.prefix) == ("elasticsearch", "https://es1:9200", "smoke")


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("elasticsearch:", "elasticsearch needs the cluster's URL"),
    ("sqlite:", "sqlite needs a file path"),
    ("https://es1:9200", "needs its backend, e.g. elasticsearch:https://es1:9200"),
])
def test_bad_specifications_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        StoreSpec.parse(text)


def test_opens_the_named_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.db"
    with StoreSpec.parse(f"sqlite:{path}").open() as store:
        assert isinstance(store, SQLiteStore)
    assert path.exists()


def test_from_settings_follows_smoke_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from config.settings import get_settings

    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    assert StoreSpec.from_settings(get_settings()) == StoreSpec("sqlite", str(tmp_path / "smoke.db"))
    monkeypatch.setenv("SMOKE_STORE", "elasticsearch")
    monkeypatch.setenv("SMOKE_ES_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SMOKE_ES_PREFIX", "p1")
    assert str(StoreSpec.from_settings(get_settings())) == "elasticsearch:http://127.0.0.1:9#p1"
