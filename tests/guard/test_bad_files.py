"""Clear errors for bad files (issue 12, "Low"): each gives one line naming the file
and what is wrong, no traceback, and the exit code of its kind (smoke.errors)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from smoke.accounts import Accounts
from tests.guard.conftest import smoke

CONFIG = Path(__file__).resolve().parents[2] / "config"


def one_line(result, exit_code: int, *parts: str) -> str:
    err = result.stderr.strip()
    assert result.returncode == exit_code, (result.returncode, err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    last = err.splitlines()[-1]
    for p in parts:
        assert p in last, last
    return last


def garbage(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(range(256)) * 400)


@pytest.mark.parametrize("args", [
    ("runs",), ("search", "投资"), ("company", "91440300MA5F00001A"), ("alerts", "list"),
    ("export", "-o", "out.csv"), ("crawl", "--source", "court"), ("run",),
])
def test_corrupt_store(args: tuple[str, ...], tmp_path: Path) -> None:
    home = tmp_path / "home"
    garbage(home / "smoke.db")
    one_line(smoke(home, *args), 3, f"data error: {home / 'smoke.db'}: the store is not a readable SQLite database")


@pytest.mark.parametrize("args", [("users", "list"), ("serve", "--port", "0")])
def test_corrupt_account_database(args: tuple[str, ...], tmp_path: Path) -> None:
    home = tmp_path / "home"
    garbage(home / "app.db")
    one_line(smoke(home, *args, timeout=60), 3,
             f"data error: {home / 'app.db'}: the account database is not a readable SQLite database")


def _config_dir(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    cfg = tmp_path / "cfg"
    (cfg / name).parent.mkdir(parents=True, exist_ok=True)
    (cfg / name).write_bytes(text.encode(encoding))
    return cfg


def test_gbk_yaml(tmp_path: Path) -> None:
    text = (CONFIG / "model.yaml").read_text(encoding="utf-8")
    cfg = _config_dir(tmp_path, "model.yaml", text, "gb18030")
    one_line(smoke(tmp_path / "home", "run", SMOKE_CONFIG_DIR=str(cfg)), 2,
             f"config error: {cfg / 'model.yaml'}: not UTF-8 text", "GBK")


def test_bad_model_stops_the_cycle_before_any_crawl(tmp_path: Path) -> None:
    text = (CONFIG / "model.yaml").read_text(encoding="utf-8")
    cfg = _config_dir(tmp_path, "model.yaml", text.replace("version:", "version: [", 1))
    home = tmp_path / "home"
    t0 = time.monotonic()
    one_line(smoke(home, "run", SMOKE_CONFIG_DIR=str(cfg)), 2, f"config error: {cfg / 'model.yaml'}: not valid YAML")
    assert time.monotonic() - t0 < 30
    assert not (home / "smoke.db").exists() and not (home / "world").exists()  # nothing crawled or generated


def test_unknown_source_in_schedule(tmp_path: Path) -> None:
    cfg = _config_dir(tmp_path, "schedule.yaml", "jobs:\n  nightly:\n    cron: '0 3 * * *'\n    sources: [court, nosuch]\n")
    for args in (("run",), ("schedule", "--list")):
        one_line(smoke(tmp_path / "home", *args, SMOKE_CONFIG_DIR=str(cfg)), 2,
                 f"config error: {cfg / 'schedule.yaml'}: jobs.nightly.sources: unknown source(s) nosuch")


def test_empty_email_host(tmp_path: Path) -> None:
    cfg = _config_dir(tmp_path, "alerts.yaml",
                      "channels:\n  email:\n    enabled: true\n    host: ''\n    recipients: [ops@example.test]\n")
    one_line(smoke(tmp_path / "home", "run", SMOKE_CONFIG_DIR=str(cfg)), 2,
             f"config error: {cfg / 'alerts.yaml'}: channels.email", "smtp host in host")


def test_missing_config_dir(tmp_path: Path) -> None:
    one_line(smoke(tmp_path / "home", "runs", SMOKE_CONFIG_DIR=str(tmp_path / "nope")), 2,
             "config error: environment: SMOKE_CONFIG_DIR:", "no such folder")


def test_a_held_store_is_busy_exit_5_naming_the_holder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from config.settings import get_settings
    from smoke.locking import store_lock

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SMOKE_HOME", str(home))  # restored after the test (a deleted one was not)
    with store_lock(get_settings(), "export", what="someone's export"):
        line = one_line(smoke(home, "export", "-o", str(tmp_path / "x.csv")), 5,
                        f"held by pid {os.getpid()} (someone's export) since ", "--wait")
    assert line.startswith("busy: ")


def test_weak_passwords_and_the_last_admin(tmp_path: Path) -> None:
    acc = Accounts(tmp_path / "app.db")
    for weak in ("12345678", "short-pw", "password1234", "Qwerty123456", "aaaaaaaaaaaaaaaa"):
        with pytest.raises(ValueError, match="password"):
            acc.add_user("alice", weak, "admin")
    acc.add_user("alice", "a sound passphrase 9", "admin")
    with pytest.raises(ValueError, match="last enabled admin"):
        acc.set_role("alice", "viewer")
    with pytest.raises(ValueError, match="last enabled admin"):
        acc.set_disabled("alice", True)
    acc.add_user("bob", "another sound phrase 3", "admin")
    acc.set_role("alice", "viewer")  # bob is still there
    with pytest.raises(ValueError, match="last enabled admin"):
        acc.set_disabled("bob", True)
    assert acc.get_user("bob").role == "admin" and not acc.get_user("bob").disabled
    r = smoke(tmp_path / "nohome", "users", "add", "carol")  # stdin empty: too short, one clear line
    assert r.returncode != 0 and "password: expected 12-1024 characters" in r.stderr


def _store_with_overwritten_pages(path: Path) -> None:
    """A real store with data, then pages in its middle overwritten (the header intact): the
    damage a bad disk or a careless copy leaves, which reads as a valid file."""
    from indexing.models import Company
    from indexing.store.sqlite import SQLiteStore

    with SQLiteStore(path) as store:
        store.upsert_companies([Company(credit_code=f"9144030000000{i:04d}X", name=f"测试公司{i}", address="深圳市南山区",
                                        region_code="440305", industry="金融", status="存续", founded="2020-01-01",
                                        business_scope="投资咨询" * 20)
                                for i in range(3000)])
    size = path.stat().st_size
    with path.open("r+b") as fh:
        # from page 65 on: the schema's own pages (sqlite_schema, within the first few dozen)
        # stay readable; damage there makes the file unreadable at once (test_corrupt_store)
        for offset in range(64 * 4096, size - 4096, 5 * 4096):
            fh.seek(offset)
            fh.write(bytes(range(256)) * 16)


def test_a_store_with_overwritten_pages_stops_the_cycle_before_any_crawl(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    _store_with_overwritten_pages(home / "smoke.db")
    t0 = time.monotonic()
    one_line(smoke(home, "run"), 3, f"data error: {home / 'smoke.db'}: the store is damaged")
    assert time.monotonic() - t0 < 60
    assert not (home / "world").exists()  # nothing generated or crawled


def test_a_bad_analyser_file_stops_the_cycle_before_any_crawl(tmp_path: Path) -> None:
    cfg = _config_dir(tmp_path, "text_model.json", '{"version": "x", "intercept": "high"}')
    home = tmp_path / "home"
    one_line(smoke(home, "run", SMOKE_CONFIG_DIR=str(cfg)), 2, f"config error: {cfg / 'text_model.json'}: combine")
    assert not (home / "world").exists()
