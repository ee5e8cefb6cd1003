"""The text analyser on a hand-written corpus of realistic texts (tests/scoring/realistic_texts.yaml).

Each case states a risk band and, where the genre is unambiguous, the document type; the
analyser must get them by general rules (grammar of yields, genre and stance cues), so a
failure here is a weakness to fix in the rules, never by quoting the sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring.text import analyze

CASES = yaml.safe_load((Path(__file__).with_name("realistic_texts.yaml")).read_text(encoding="utf-8"))["cases"]
BANDS = {"high": (60.0, 100.1), "mid": (30.0, 60.0), "low": (0.0, 30.0)}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_realistic_text(case: dict) -> None:
    a = analyze(case["text"])
    lo, hi = BANDS[case["band"]] if "band" in case else (case.get("min_risk", 0.0), case.get("max_risk", 100.1))
    lo = case.get("min_risk", lo)
    assert lo <= a.risk < hi, f"risk {a.risk} ({a.doc_type}, {a.components}) not in [{lo}, {hi})"
    if "doc_type" in case:
        assert a.doc_type == case["doc_type"]
    if "doc_types" in case:
        assert a.doc_type in case["doc_types"]
    if "min_rate" in case:
        assert a.max_annual_rate is not None and a.max_annual_rate >= case["min_rate"], [y.to_json() for y in a.yields]
    if "max_rate" in case:
        assert a.max_annual_rate is None or a.max_annual_rate <= case["max_rate"]


def test_corpus_is_varied() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    bands = [c.get("band") for c in CASES]
    assert bands.count("high") >= 15 and bands.count("low") >= 15
