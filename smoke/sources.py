"""What admins see and switch of the crawl sources, for the web page, the API and
`smoke sources`: every configured source (also those ``enabled: false`` in YAML) with
its config, the operator switch (``crawlers.switches``) and its last run health."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from config.sources import SourceConfig, load_sources
from crawlers.switches import disabled_sources, set_source_enabled
from indexing.store.base import Store
from smoke.service.health import source_health


class UnknownSource(LookupError):
    """The name is not a configured source."""


def configured_sources(config_dir: Path | None = None) -> dict[str, SourceConfig]:
    """Every source with a YAML file, in cycle order, enabled in config or not."""
    return load_sources(config_dir, include_disabled=True)


def source_overview(store: Store, config_dir: Path | None = None, runs: int = 50) -> list[dict[str, Any]]:
    """One dict per configured source: config facts, the switch and the health of its
    newest crawl among the last ``runs`` runs (None when never crawled)."""
    configured = configured_sources(config_dir)
    switches = disabled_sources(store, configured)
    health = {h["source"]: h for h in source_health(store.list_runs(limit=runs))}
    out = []
    for name, src in configured.items():
        switch = switches.get(name)
        out.append(
            {
                "name": name,
                "kind": src.kind,
                "description": src.description,
                "start_urls": list(src.start_urls),
                "delay_s": src.rate.delay_s,
                "concurrency_per_domain": src.rate.concurrency_per_domain,
                "robots": src.robots,
                "enabled_in_config": src.enabled,
                "switched_off": switch,
                "crawled": src.enabled and switch is None,
                "health": health.get(name),
            }
        )
    return out


def switch_source(store: Store, name: str, enabled: bool, by: str, reason: str = "",
                  config_dir: Path | None = None) -> dict[str, Any] | None:
    """Switch a configured source on or off; UnknownSource if there is no such source.
    Returns the new switch (None when on). The caller writes the audit entry."""
    if name not in configured_sources(config_dir):
        raise UnknownSource(name)
    return set_source_enabled(store, name, enabled, by, reason)
