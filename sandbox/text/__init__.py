"""Chinese text of the synthetic world: a compositional phrase grammar (``grammar``),
word banks per archetype and document kind (``banks``), yield phrasings (``yields``)
and evasion tricks (``evasion``). Rendering is a pure function of a seed, so the
server can render pages on request and the same page always has the same bytes."""
