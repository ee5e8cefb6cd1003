"""A store specification: which backend and where, as one string that can cross a process
boundary (the crawler processes get it on their command line).

    sqlite:PATH                    the embedded store file (a bare PATH means the same)
    elasticsearch:URL#PREFIX       the cluster at URL, indices named PREFIX-* (#PREFIX
                                   optional: SMOKE_ES_PREFIX)

Credentials are never part of a specification: they stay in the environment
(SMOKE_ES_API_KEY, SMOKE_ES_USER / SMOKE_ES_PASSWORD, SMOKE_ES_CA_CERTS), so a
specification can be logged and shown in a process list."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexing.store.base import Store

BACKENDS: tuple[str, ...] = ("sqlite", "elasticsearch")


@dataclass(frozen=True, slots=True)
class StoreSpec:
    backend: str  # one of BACKENDS
    location: str  # a file path (sqlite) or the cluster's URL (elasticsearch)
    prefix: str = ""  # elasticsearch: the index prefix ("" = SMOKE_ES_PREFIX)

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"store specification: backend must be one of {list(BACKENDS)}, got {self.backend!r}")
        if not self.location:
            what = "a file path" if self.backend == "sqlite" else "the cluster's URL"
            raise ValueError(f"store specification: {self.backend} needs {what}")

    def __str__(self) -> str:
        tail = f"#{self.prefix}" if self.prefix else ""
        return f"{self.backend}:{self.location}{tail}"

    @classmethod
    def parse(cls, text: str | Path | StoreSpec) -> StoreSpec:
        """A specification from its string (or a bare path: an embedded store file)."""
        if isinstance(text, StoreSpec):
            return text
        if isinstance(text, Path):
            return cls("sqlite", str(text))
        raw = str(text).strip()
        if not raw:
            raise ValueError("store specification is empty: expected sqlite:PATH or elasticsearch:URL#PREFIX")
        backend, sep, rest = raw.partition(":")
        if sep and backend == "elasticsearch":
            url, _, prefix = rest.partition("#")
            return cls("elasticsearch", url, prefix)
        if sep and backend == "sqlite":
            return cls("sqlite", rest)
        if sep and backend in ("http", "https"):
            raise ValueError(f"store specification {raw!r}: a URL needs its backend, e.g. elasticsearch:{raw}")
        return cls("sqlite", raw)

    @property
    def local_file(self) -> Path | None:
        """The embedded store's file; None for a cluster."""
        return Path(self.location) if self.backend == "sqlite" else None

    @classmethod
    def from_settings(cls, settings: Any) -> StoreSpec:
        """The configured store: SMOKE_STORE, with SMOKE_ES_URL / SMOKE_ES_PREFIX or SMOKE_HOME."""
        if settings.store == "elasticsearch":
            if not settings.es_url:
                raise ValueError("SMOKE_STORE=elasticsearch needs SMOKE_ES_URL (the cluster's address)")
            return cls("elasticsearch", settings.es_url, settings.es_prefix)
        return cls("sqlite", str(settings.home / "smoke.db"))

    def open(self, settings: Any = None) -> Store:
        """The store this specification names (credentials from ``settings``, default the environment)."""
        if self.backend == "elasticsearch":
            from config.settings import get_settings
            from indexing.store.elastic import ElasticStore

            base = settings or get_settings()
            changes = {"es_url": self.location}
            if self.prefix:
                changes["es_prefix"] = self.prefix
            return ElasticStore.from_settings(dataclasses.replace(base, **changes))
        from indexing.store.sqlite import SQLiteStore

        path = Path(self.location)
        path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteStore(path)
