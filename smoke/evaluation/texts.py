"""The text analyser measured on a labelled corpus of texts: the regulator's own.

The sandbox proves the pipeline; whether the analyser generalises shows only on real
text it was never shaped by. An analyst labels texts from their own cases (a scheme's
promotion, a bank's page, a police warning ...) and `smoke evaluate-texts FILE` reports
how the analyser's risk separates them.

A corpus is JSON lines (one object per line) or YAML with a ``cases`` list (the format of
``tests/scoring/realistic_texts.yaml``). Each case has ``text`` and either ``label``
(1 / 0, or "scheme" / "legit") or ``band`` (high: at least the model's high-risk
threshold, 60; low: below 30; mid: in between) or a range ``min_risk`` / ``max_risk``; ``id`` and ``title`` are optional. High
and scheme count as positives, low and legit as negatives; mid and range cases count only
for band accuracy (the share of banded or ranged cases whose risk falls where expected).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from config import ConfigError
from indexing.models import high_risk
from smoke.evaluation.quality import _auc

LOW = 30.0
MAX_TEXT = 200_000  # the crawler's cap: a corpus file is input like any other
_LABELS = {1: 1, 0: 0, "1": 1, "0": 0, "scheme": 1, "legit": 0}  # True and False hash as 1 and 0
_BANDS = ("high", "mid", "low")


@dataclass(frozen=True, slots=True)
class LabelledText:
    id: str
    text: str
    title: str
    positive: bool | None  # None: a mid-band or range case (band accuracy only)
    band: str  # high | mid | low | "a-b" (a range), or "" when only a label was given
    lo: float = 0.0  # the risk expected: lo <= risk < hi (band and range cases)
    hi: float = 100.1


def _case(raw: object, where: str) -> LabelledText:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected an object with 'text' and 'label' or 'band'")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"{where}: text: expected a non-empty string")
    band = raw.get("band", "")
    if band and band not in _BANDS:
        raise ConfigError(f"{where}: band: expected one of high, mid, low, got {band!r}")
    high = high_risk()
    lo, hi = {"high": (high, 100.1), "mid": (LOW, high), "low": (0.0, LOW)}.get(band, (0.0, 100.1))
    for key in ("min_risk", "max_risk"):
        if key in raw and (not isinstance(raw[key], int | float) or isinstance(raw[key], bool)):
            raise ConfigError(f"{where}: {key}: expected a number from 0 to 100, got {raw[key]!r}")
    if not band and ("min_risk" in raw or "max_risk" in raw):
        lo, hi = float(raw.get("min_risk", 0.0)), float(raw.get("max_risk", 100.1))
        band = f"{lo:g}-{hi:g}"
    if "label" in raw:
        label = raw["label"]
        if not isinstance(label, int | str) or label not in _LABELS:
            raise ConfigError(f"{where}: label: expected 1, 0, 'scheme' or 'legit', got {label!r}")
        positive: bool | None = bool(_LABELS[label])
    elif band:
        positive = {"high": True, "low": False}.get(band)
    else:
        raise ConfigError(f"{where}: expected 'label', 'band' or 'min_risk' / 'max_risk'")
    return LabelledText(id=str(raw.get("id", "")) or where, text=text[:MAX_TEXT], title=str(raw.get("title", ""))[:500],
                        positive=positive, band=band, lo=lo, hi=hi)


def load_labelled(path: Path) -> list[LabelledText]:
    """The cases of a corpus file; a malformed case is an error naming the file, the
    line (JSON lines) or case number (YAML) and the field."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the corpus: {exc}") from exc
    if path.suffix in (".yaml", ".yml"):
        try:
            doc = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
        cases = doc.get("cases") if isinstance(doc, dict) else None
        if not isinstance(cases, list):
            raise ConfigError(f"{path}: cases: expected a list of texts")
        return [_case(c, f"{path}: case {i + 1}") for i, c in enumerate(cases)]
    out = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"{path}: line {n}: not a JSON object ({exc.msg})") from exc
        out.append(_case(obj, f"{path}: line {n}"))
    if not out:
        raise ConfigError(f"{path}: no cases")
    return out


def text_metrics(cases: list[LabelledText], risk_of: Callable[[LabelledText], tuple[float, str]]) -> dict:
    """AUC, precision / recall / false-positive rate at 60, band accuracy and the misses.
    ``risk_of`` gives (risk, document type) for a case. "At 60": at the model's high-risk threshold."""
    high = high_risk()
    pos, neg, misses = [], [], []
    banded = band_hits = 0
    for case in cases:
        risk, doc_type = risk_of(case)
        (pos if case.positive else neg if case.positive is False else []).append(risk)
        expected = case.band or ("high" if case.positive else "low")
        wrong = not case.lo <= risk < case.hi if case.band else (risk >= high) != case.positive
        if case.band:
            banded += 1
            band_hits += not wrong
        if wrong:
            misses.append({"id": case.id, "expected": expected, "risk": round(risk, 1), "doc_type": doc_type,
                           "text": case.text[:80]})
    flagged_pos = sum(r >= high for r in pos)
    flagged_neg = sum(r >= high for r in neg)
    auc = _auc(pos, neg)
    return {
        "n": len(cases),
        "positives": len(pos),
        "negatives": len(neg),
        "auc": None if auc is None else round(auc, 4),
        "recall_at_60": round(flagged_pos / len(pos), 4) if pos else None,
        "precision_at_60": round(flagged_pos / (flagged_pos + flagged_neg), 4) if flagged_pos + flagged_neg else None,
        "false_positive_rate_at_60": round(flagged_neg / len(neg), 4) if neg else None,
        "band_accuracy": round(band_hits / banded, 4) if banded else None,
        "misses": misses,
    }
