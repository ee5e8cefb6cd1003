"""Settings from the environment, declared as data (name, default, help).

Nothing is frozen at import time: ``get_settings()`` reads the environment when
called, so tests and commands can set variables first. ``docs/settings.md`` lists
every setting and a test checks it against ``SETTINGS``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from config import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SMOKE_HOME", "./var", "Where data lives: the SQLite store, exports, alert files, logs."),
    Setting("SMOKE_SOURCES", "sandbox",
            "sandbox: cycles serve and crawl the bundled offline world; live: crawl the configured sources as they are."),
    Setting("SMOKE_CONFIG_DIR", "", "A folder whose YAML files override the bundled config/ files of the same name."),
    Setting("SMOKE_STORE", "sqlite", "Store backend: sqlite (embedded, default) or elasticsearch."),
    Setting("SMOKE_ES_URL", "", "Elasticsearch URL, e.g. https://es1:9200 (with SMOKE_STORE=elasticsearch)."),
    Setting("SMOKE_ES_API_KEY", "", "Elasticsearch API key (base64 id:key), instead of user and password."),
    Setting("SMOKE_ES_USER", "", "Elasticsearch basic-auth user."),
    Setting("SMOKE_ES_PASSWORD", "", "Elasticsearch basic-auth password."),
    Setting("SMOKE_ES_CA_CERTS", "", "Path of the CA certificate that signed the cluster's TLS certificate."),
    Setting("SMOKE_ES_PREFIX", "smoke", "Prefix of every index and alias name (tests use their own)."),
    Setting("SMOKE_REDIS_URL", "", "redis://host:6379/0: crawler processes share one frontier and dupe filter."),
    Setting("SMOKE_CRAWL_WORKERS", "2",
            "Crawler processes run at once for the sources that link to companies (court, complaints, web); "
            "the registry and AMAC sources always run first, one at a time."),
    Setting("SMOKE_SMTP_PASSWORD", "", "Password for the SMTP account of e-mail alerts."),
    Setting("SMOKE_WEBHOOK_SECRET", "", "Signing secret for DingTalk / WeCom robot webhooks."),
    Setting("SMOKE_SECRET_KEY", "", "Key that signs web session cookies; generated into SMOKE_HOME if empty."),
    Setting("SMOKE_LOG_LEVEL", "INFO", "Log level: DEBUG, INFO, WARNING, ERROR."),
)


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    sources: str
    config_dir: Path | None
    store: str
    es_url: str
    es_api_key: str
    es_user: str
    es_password: str
    es_ca_certs: str
    es_prefix: str
    redis_url: str
    crawl_workers: int
    smtp_password: str
    webhook_secret: str
    secret_key: str
    log_level: str

    @property
    def sqlite_path(self) -> Path:
        return self.home / "smoke.db"


def _env(name: str) -> str:
    for s in SETTINGS:
        if s.env == name:
            return os.environ.get(name, s.default)
    raise KeyError(name)


def config_dir_setting() -> Path | None:
    """SMOKE_CONFIG_DIR alone (what every config file lookup needs, so it is read apart from the
    rest): None for the bundled config/, an error when it names no folder."""
    cfg = _env("SMOKE_CONFIG_DIR")
    if cfg and not Path(cfg).expanduser().is_dir():
        raise ConfigError(f"environment: SMOKE_CONFIG_DIR: {cfg}: no such folder (unset it to use the bundled config/)")
    return Path(cfg) if cfg else None


def get_settings() -> Settings:
    store = _env("SMOKE_STORE").strip().lower()
    if store not in ("sqlite", "elasticsearch"):
        raise ConfigError(f"environment: SMOKE_STORE: expected 'sqlite' or 'elasticsearch', got {store!r}")
    level = _env("SMOKE_LOG_LEVEL").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"environment: SMOKE_LOG_LEVEL: expected DEBUG, INFO, WARNING or ERROR, got {level!r}")
    sources = _env("SMOKE_SOURCES").strip().lower()
    if sources not in ("sandbox", "live"):
        raise ConfigError(f"environment: SMOKE_SOURCES: expected 'sandbox' or 'live', got {sources!r}")
    config_dir = config_dir_setting()
    workers = _env("SMOKE_CRAWL_WORKERS").strip()
    if not workers.isdigit() or not 1 <= int(workers) <= 64:
        raise ConfigError(f"environment: SMOKE_CRAWL_WORKERS: expected a whole number from 1 to 64, got {workers!r}")
    return Settings(
        home=Path(_env("SMOKE_HOME")).expanduser().resolve(),
        sources=sources,
        config_dir=config_dir,
        store=store,
        es_url=_env("SMOKE_ES_URL"),
        es_api_key=_env("SMOKE_ES_API_KEY"),
        es_user=_env("SMOKE_ES_USER"),
        es_password=_env("SMOKE_ES_PASSWORD"),
        es_ca_certs=_env("SMOKE_ES_CA_CERTS"),
        es_prefix=_env("SMOKE_ES_PREFIX"),
        redis_url=_env("SMOKE_REDIS_URL"),
        crawl_workers=int(workers),
        smtp_password=_env("SMOKE_SMTP_PASSWORD"),
        webhook_secret=_env("SMOKE_WEBHOOK_SECRET"),
        secret_key=_env("SMOKE_SECRET_KEY"),
        log_level=level,
    )
