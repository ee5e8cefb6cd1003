"""The Elasticsearch backend, one package: ``store`` (the Store), ``client`` (connecting,
error translation), ``mappings`` (every index's settings and mappings), ``query`` (query
bodies as data), ``admin`` (versioned indices, aliases, rebuild, locks and audit log) and
``migrate`` (copying any store in through the Store interface, rebuild loaders)."""

from indexing.store.elastic.client import ElasticStoreError
from indexing.store.elastic.store import ElasticStore

__all__ = ["ElasticStore", "ElasticStoreError"]
