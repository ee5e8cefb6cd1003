"""Item pipelines, one job each, in order: validate -> clean (HTML, charset, normalise,
extract) -> dedup (canonical URL, exact and near duplicates) -> amac (AMAC reconciliation)
-> link (entity linking) -> store (writes, nothing else)."""
