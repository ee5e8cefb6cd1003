"""Which versions of the model, lexicon and analyser a score is computed with (DESIGN.md:
every score records them). The versions are the ``version`` of config/model.yaml,
config/lexicon.yaml, and the analyser's: config/analyser.yaml's and config/text_model.json's
joined by "+" (the rules and the statistical half); tests/test_config_versions.py fails when
one of those files changes without its version changing."""

from __future__ import annotations

from scoring.lexicon import load_lexicon
from scoring.model import Model
from scoring.text import load_rules
from scoring.text.learned import analyser_version, load_text_model


def versions(model: Model) -> dict[str, str]:
    """{"model", "lexicon", "analyser"} -> version, for the model given and the lexicon and
    rules the analyser loads (each compiled once per file version)."""
    analyser = analyser_version(load_rules().version, load_text_model())
    return {"model": model.version, "lexicon": load_lexicon().version, "analyser": analyser}
