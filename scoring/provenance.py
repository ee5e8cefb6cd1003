"""Which versions of the model, lexicon and analyser rules a score is computed with
(DESIGN.md: every score records them). The versions are the ``version`` of
config/model.yaml, config/lexicon.yaml and config/analyser.yaml; tests/test_config_versions.py
fails when one of those files changes without its version changing."""

from __future__ import annotations

from scoring.lexicon import load_lexicon
from scoring.model import Model
from scoring.text import load_rules


def versions(model: Model) -> dict[str, str]:
    """{"model", "lexicon", "analyser"} -> version, for the model given and the lexicon and
    rules the analyser loads (each compiled once per file version)."""
    return {"model": model.version, "lexicon": load_lexicon().version, "analyser": load_rules().version}
