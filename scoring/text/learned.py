"""The statistical half of the text analyser: a small linear model over character n-grams.

The rules (config/analyser.yaml, config/lexicon.yaml) read what a text promises; they miss registers whose words
they do not know (a victim's account, a money game's rule page written without one
lexicon word) and misread some that look like promotions (a shop plugin's distributor
rules). A logistic regression over the character bigrams and trigrams of the squeezed
text (spaces and filler removed, digit runs written as ``0``) reads the register as a
whole. It is trained by ``scripts/train_text_model.py`` on labelled texts (the project's
own cases and, where present, a regulator's labelled corpus), validated by
cross-validation, and shipped as data: ``config/text_model.json`` holds the n-grams kept,
their idf and weight, the intercept, how the model's opinion is combined with the rules'
risk, and the cross-validated figures. Nothing here is trained at run time.

The model explains itself: ``ModelOpinion.features`` lists the n-grams that moved the
probability most, with their signed contribution, shown next to the rules' evidence.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from config import ConfigError, config_path
from scoring.matchtext import NOISE_RE

NGRAM_SIZES = (2, 3)
_DIGITS = re.compile(r"\d+")
MODEL_FILE = "text_model.json"


def analyser_version(rules_version: str, model: TextModel | None) -> str:
    """The analyser's version: its rules' and, when it is used, its statistical half's."""
    return f"{rules_version}+{model.version}" if model is not None else rules_version


def ngram_counts(squeezed: str) -> Counter[str]:
    """Character n-grams of a squeezed text. Digit runs become one ``0`` so that a model
    learns "a number of days" rather than the numbers of the texts it was trained on."""
    s = _DIGITS.sub("0", squeezed)
    counts: Counter[str] = Counter()
    for n in NGRAM_SIZES:
        counts.update([s[i : i + n] for i in range(len(s) - n + 1)])  # counted in C
    return counts


# Statuses of a lexicon occurrence that the model does not read: a warning, a report or a
# negation quotes a promise without making it ("guaranteed principal used as bait"), and the rules already
# weigh what such quotes mean. Masking them lets the model read who speaks, not what is quoted.
UNREAD_STATUSES = frozenset({"warning", "context", "negated"})


def model_reading(title_squeezed: str, folded: str, unread: list[tuple[int, int]],
                  respelt: list[tuple[int, int, str]] = ()) -> str:
    """What the model reads: the squeezed title and the squeezed text, with the ``unread``
    spans (offsets in ``folded``) left out and the ``respelt`` spans (a term spelt in pinyin or
    abbreviated) written as the term itself, so that the model reads a term however it is spelt."""
    if unread or respelt:
        edits = sorted([(a, b, " " * (b - a)) for a, b in unread] + list(respelt))
        parts, pos = [], 0
        for start, end, repl in edits:
            if start < pos:
                continue  # overlapping spans: the first one wins
            parts += [folded[pos:start], repl]
            pos = end
        folded = "".join(parts) + folded[pos:]
    squeezed = NOISE_RE.sub("", folded)
    return f"{title_squeezed}\u3002{squeezed}" if title_squeezed else squeezed


@dataclass(frozen=True, slots=True)
class ModelOpinion:
    probability: float  # P(scheme | text), from the n-grams alone
    features: list[tuple[str, float]]  # (n-gram, contribution to the log-odds), largest |c| first

    def to_json(self) -> dict:
        return {"probability": round(self.probability, 4),
                "features": [[g, round(c, 3)] for g, c in self.features]}


@dataclass(frozen=True, slots=True)
class TextModel:
    version: str
    idf: dict[str, float]
    weight: dict[str, float]
    intercept: float
    # combined = 100 * sigmoid(model_coef * logit(p) + rules_coef * rules_risk / 100 + bias)
    model_coef: float
    rules_coef: float
    bias: float
    # a short text gives the n-grams too little to read: below this many squeezed characters
    # the risk moves from the combination towards the rules' own risk, in proportion
    full_at_chars: int

    def opinion(self, squeezed: str, explain: int = 8) -> ModelOpinion:
        idf, log = self.idf, math.log
        # sublinear tf * idf over the kept n-grams, l2-normalised, as trained
        values = {g: (1.0 + log(c)) * idf[g] for g, c in ngram_counts(squeezed).items() if g in idf}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        weight = self.weight
        contrib = {g: v / norm * weight[g] for g, v in values.items()}
        z = self.intercept + sum(contrib.values())
        top = heapq.nsmallest(explain, contrib.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
        return ModelOpinion(_sigmoid(z), top)

    def combine(self, probability: float, rules_risk: float, chars: int, conclusive: bool = False) -> float:
        """The analyser's risk (0-100) from the model's probability, the rules' risk, the
        length of what the model read, and whether the rules found a conclusive verdict (a
        fundraising conviction, a platform's own halt notice), which the model cannot lower."""
        p = min(1 - 1e-4, max(1e-4, probability))
        z = self.model_coef * math.log(p / (1 - p)) + self.rules_coef * rules_risk / 100.0 + self.bias
        share = min(1.0, chars / self.full_at_chars) if self.full_at_chars > 0 else 1.0
        risk = share * 100.0 * _sigmoid(z) + (1.0 - share) * rules_risk
        return max(risk, rules_risk) if conclusive else risk


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _number(raw: dict, key: str, path: Path) -> float:
    value = raw.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise ConfigError(f"{path}: {key}: expected a number, got {value!r}")
    return float(value)


def parse_model(raw: object, path: Path) -> TextModel:
    """A validated model from the JSON object of ``path``; errors name the file and field."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a JSON object with version, intercept, combine and features")
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        raise ConfigError(f"{path}: version: expected a non-empty string")
    combine = raw.get("combine")
    if not isinstance(combine, dict):
        raise ConfigError(f"{path}: combine: expected an object with model, rules, bias and full_at_chars")
    features = raw.get("features")
    if not isinstance(features, dict) or not features:
        raise ConfigError(f"{path}: features: expected an object of n-gram -> [idf, weight]")
    idf: dict[str, float] = {}
    weight: dict[str, float] = {}
    for gram, pair in features.items():
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in pair)):
            raise ConfigError(f"{path}: features.{gram}: expected [idf, weight], got {pair!r}")
        idf[gram], weight[gram] = float(pair[0]), float(pair[1])
    return TextModel(version=version, idf=idf, weight=weight, intercept=_number(raw, "intercept", path),
                     model_coef=_number(combine, "model", path), rules_coef=_number(combine, "rules", path),
                     bias=_number(combine, "bias", path),
                     full_at_chars=int(_number(combine, "full_at_chars", path)))


def with_combination(model: TextModel, coef: tuple[float, float, float], full_at_chars: int) -> TextModel:
    """``model`` with other combination parameters (what training tries)."""
    return replace(model, model_coef=coef[0], rules_coef=coef[1], bias=coef[2], full_at_chars=full_at_chars)


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> TextModel:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found (build it with scripts/train_text_model.py)") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not valid UTF-8 JSON: {exc}") from exc
    return parse_model(raw, path)


def load_text_model(path: Path | None = None) -> TextModel:
    p = Path(path) if path is not None else config_path(MODEL_FILE)
    try:
        mtime = p.stat().st_mtime
    except OSError:
        mtime = 0.0
    return _load(p, mtime)
