"""Text signals: what one text says about illegal fundraising or a pyramid scheme.

``analyze(text, title, url)`` returns a ``TextAnalysis``: the document type, lexicon hits
with the context each occurrence appears in, promised yields as annual rates, payout
frequency, principal guarantees, denials, evidence snippets, verdicts (convicted,
fundraising crime, withdrawal halt, named suspect) and ``risk`` (0-100): how strongly the
text itself is evidence of illegal fundraising or a pyramid scheme.

The knowledge is data: config/analyser.yaml (genre, stance, context and negation cues,
disclosures, verdicts, collapse notices, pay by recruitment, risk weights; see
docs/analyser.md) and config/lexicon.yaml (the feature words). The modules:

* ``rules``: config/analyser.yaml compiled once per file version;
* ``doctype``: the document type, from genre votes and the speaker's stance;
* ``context``: the status of one occurrence (promise, negated, warning, denial ...);
* ``risk``: the risk components per genre and their noisy-or;
* ``record``: the analysis dataclasses;
* ``analysis``: ``analyze()``, the orchestration.

Structural grammar (promised yields) stays code: scoring/yields.py.
"""

from scoring.text.analysis import LPR_1Y, analyze
from scoring.text.record import CONTEXT_TYPES, PROMISE_TYPES, VERDICTS, Hit, Snippet, TextAnalysis
from scoring.text.rules import Rules, load_rules

__all__ = ["CONTEXT_TYPES", "LPR_1Y", "PROMISE_TYPES", "VERDICTS", "Hit", "Rules", "Snippet", "TextAnalysis", "analyze",
           "load_rules"]
