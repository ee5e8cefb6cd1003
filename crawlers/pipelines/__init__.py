"""Item pipelines, in order: validate -> clean (HTML, charset, normalise, extract) ->
dedup (canonical URL, exact and near duplicates) -> link (entity linking) -> store."""
