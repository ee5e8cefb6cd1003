"""Build config/text_model.json: the text analyser's statistical half (scoring/text/learned.py).

    .venv/bin/python scripts/train_text_model.py [--version V] [--corpus FILE ...] [--folds 5 --repeats 4]
    .venv/bin/python scripts/train_text_model.py --no-corpus --holdout ../shared/corpus/real-dev.jsonl

Trains a logistic regression over character n-grams on labelled texts:

* the project's own cases (tests/scoring/realistic_texts.yaml: band high / low);
* each ``--corpus`` file (JSON lines or YAML, the format of ``smoke evaluate-texts``);
  by default ``../shared/corpus/real-dev.jsonl`` when it exists beside the checkout.

Then it fits how the model's probability and the rules' risk combine into the analyser's
risk, on out-of-fold predictions only (the model never grades its own training texts), and
reports repeated stratified cross-validation figures per source: AUC, recall and false-
positive rate at 60, for the rules alone, the model alone and the combination. The figures
are written into the JSON next to the weights, so a reader of the model sees how it was
validated. The texts themselves are never written: only n-grams seen in at least
``--min-df`` texts, with their idf and weight.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexing.models import high_risk  # noqa: E402
from scoring.text import analyze  # noqa: E402
from scoring.text.learned import MODEL_FILE, TextModel, ngram_counts, with_combination  # noqa: E402
from scoring.text.record import conclusive  # noqa: E402
from smoke.evaluation.quality import _auc  # noqa: E402
from smoke.evaluation.texts import load_labelled  # noqa: E402

# n-gram weights do not enter TextModel.combine: an empty model carries the combination
PLACEHOLDER = TextModel(version="", idf={}, weight={}, intercept=0.0, model_coef=0.0, rules_coef=0.0, bias=0.0,
                        full_at_chars=0)
OWN = ROOT / "tests" / "scoring" / "realistic_texts.yaml"
SHARED = ROOT.parent / "shared" / "corpus" / "real-dev.jsonl"


@dataclass
class Example:
    source: str
    id: str
    model_text: str
    rules_risk: float
    conclusive: bool  # the rules found a verdict the model cannot lower
    label: int


def load_examples(paths: list[Path]) -> list[Example]:
    out = []
    for path in paths:
        for case in load_labelled(path):
            if case.positive is None:
                continue  # mid-band and range cases carry no label
            # the text alone: a corpus's titles are often a curator's summary of the case ("a victim's
            # Weibo post"), not the page's own, and `smoke analyze-text` reads a text without one
            rules = analyze(case.text, text_model=False)
            out.append(Example(path.name, case.id, rules.model_reading, rules.rules_risk,
                               conclusive(rules.verdicts), int(case.positive)))
    return out


def _vectorizer(vocabulary: list[str] | None, min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=lambda s: [g for g, c in ngram_counts(s).items() for _ in range(c)],
                           sublinear_tf=True, min_df=1 if vocabulary else min_df, vocabulary=vocabulary,
                           norm="l2", smooth_idf=True)


def fit_ngrams(texts: list[str], y: np.ndarray, weights: np.ndarray, c: float, keep: int, min_df: int):
    """Fit, keep the ``keep`` n-grams with the largest |weight|, refit on those alone (so that
    inference over the kept n-grams is exactly what was fitted)."""
    vec = _vectorizer(None, min_df)
    x = vec.fit_transform(texts)
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    lr.fit(x, y, sample_weight=weights)
    names = vec.get_feature_names_out()
    order = np.argsort(-np.abs(lr.coef_[0]))[:keep]
    vocab = sorted(names[i] for i in order)
    vec = _vectorizer(vocab, min_df)
    vec.fit(texts)
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    lr.fit(vec.transform(texts), y, sample_weight=weights)
    return vec, lr


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def fit_combiner(p: np.ndarray, rules: np.ndarray, y: np.ndarray, weights: np.ndarray,
                 boundary: float) -> tuple[float, float, float]:
    """(model, rules, bias) of risk = 100 * sigmoid(model * logit(p) + rules * rules_risk / 100 + bias),
    classes balanced, the bias shifted so that a text as likely scheme as not scores ``boundary``."""
    z = np.column_stack([_logit(p), rules / 100.0])
    lr = LogisticRegression(C=1.0, class_weight="balanced")
    lr.fit(z, y, sample_weight=weights)
    shift = math.log(boundary / (100.0 - boundary))
    return float(lr.coef_[0][0]), float(lr.coef_[0][1]), float(lr.intercept_[0]) + shift


def combine(params: tuple[float, float, float], full_at: int, p: np.ndarray, examples: list[Example]) -> np.ndarray:
    """The analyser's risk for each example, by TextModel.combine itself."""
    tm = with_combination(PLACEHOLDER, params, full_at)
    return np.array([tm.combine(float(pi), e.rules_risk, len(e.model_text), e.conclusive)
                     for pi, e in zip(p, examples, strict=True)])


def figures(risk: np.ndarray, y: np.ndarray) -> dict:
    pos, neg = risk[y == 1], risk[y == 0]
    auc = _auc(list(pos), list(neg))
    return {"n": int(len(y)), "auc": None if auc is None else round(auc, 4),
            "recall_at_60": round(float((pos >= high_risk()).mean()), 4) if len(pos) else None,
            "false_positive_rate_at_60": round(float((neg >= high_risk()).mean()), 4) if len(neg) else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--version", help="the new model version (default: today's date and a digest of the weights)")
    ap.add_argument("--corpus", type=Path, action="append", help="labelled corpus (repeatable)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=4)
    ap.add_argument("--c", type=float, default=30.0, help="inverse regularisation of the n-gram model")
    ap.add_argument("--keep", type=int, default=6000, help="n-grams kept in the shipped model")
    ap.add_argument("--min-df", type=int, default=2, help="an n-gram must occur in this many texts")
    ap.add_argument("--own-weight", type=float, default=0.5,
                    help="weight of the project's own cases against texts written by others")
    ap.add_argument("--combine-own-weight", type=float, default=0.3,
                    help="weight of the own cases when fitting the combination (the rules were written "
                         "for them, so they flatter the rules)")
    ap.add_argument("--full-at-chars", type=int, default=100,
                    help="texts shorter than this lean on the rules in proportion")
    ap.add_argument("--boundary", type=float, default=60.0,
                    help="the risk of a text the evidence finds as likely a scheme as not (60 is the high-risk line)")
    ap.add_argument("--holdout", type=Path,
                    help="train without this labelled file, grade it, print the figures and write nothing "
                         "(e.g. --no-corpus --holdout ../shared/corpus/real-dev.jsonl: our own texts alone)")
    ap.add_argument("--no-corpus", action="store_true", help="train on the project's own cases only")
    ap.add_argument("--show-misses", action="store_true", help="list the texts the cross-validation got wrong")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "config" / MODEL_FILE)
    args = ap.parse_args()

    corpora = args.corpus if args.corpus is not None else ([SHARED] if SHARED.exists() else [])
    if args.no_corpus:
        corpora = []
    sources = [OWN, *corpora]
    t0 = time.monotonic()
    examples = load_examples(sources)
    texts = [e.model_text for e in examples]
    y = np.array([e.label for e in examples])
    rules = np.array([e.rules_risk for e in examples])
    src = np.array([e.source for e in examples])
    weights = np.where(src == OWN.name, args.own_weight, 1.0)
    print(f"{len(examples)} labelled texts from {', '.join(p.name for p in sources)} "
          f"({int(y.sum())} scheme, {int(len(y) - y.sum())} legit)", file=sys.stderr)

    # Out-of-fold probabilities, repeated: every text graded by models that never saw it.
    strata = y * len(sources) + np.array([[p.name for p in sources].index(s) for s in src])
    oof = np.zeros((args.repeats, len(y)))
    for r in range(args.repeats):
        folds = StratifiedKFold(args.folds, shuffle=True, random_state=r).split(texts, strata)
        for k, (tr, te) in enumerate(folds):
            vec, lr = fit_ngrams([texts[i] for i in tr], y[tr], weights[tr], args.c, args.keep, args.min_df)
            oof[r, te] = lr.predict_proba(vec.transform([texts[i] for i in te]))[:, 1]
            print(f"\r  cross-validation: repeat {r + 1}/{args.repeats}, fold {k + 1}/{args.folds}",
                  end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    p_oof = oof.mean(axis=0)
    cweights = np.where(src == OWN.name, args.combine_own_weight, 1.0)
    params = fit_combiner(p_oof, rules, y, cweights, args.boundary)
    # the combiner itself graded out of fold too
    combined = np.zeros(len(y))
    for tr, te in StratifiedKFold(args.folds, shuffle=True, random_state=99).split(texts, strata):
        combined[te] = combine(fit_combiner(p_oof[tr], rules[tr], y[tr], cweights[tr], args.boundary), args.full_at_chars,
                               p_oof[te], [examples[i] for i in te])
    report = {}
    for name in [p.name for p in sources]:
        m = src == name
        report[name] = {"rules": figures(rules[m], y[m]), "model": figures(100 * p_oof[m], y[m]),
                        "combined": figures(combined[m], y[m])}

    if args.show_misses:
        for i in np.argsort(combined):
            if (combined[i] >= high_risk()) != bool(y[i]):
                print(f"  miss {src[i]} {examples[i].id}: {'scheme' if y[i] else 'legit'} at {combined[i]:.1f} "
                      f"(rules {rules[i]:.1f}, model {100 * p_oof[i]:.1f})", file=sys.stderr)
    vec, lr = fit_ngrams(texts, y, weights, args.c, args.keep, args.min_df)
    if args.holdout:
        # graded by the model trained without it: how the analyser reads texts it never saw
        held = load_examples([args.holdout])
        p_held = lr.predict_proba(vec.transform([e.model_text for e in held]))[:, 1]
        risk = combine(params, args.full_at_chars, p_held, held)
        y_held = np.array([e.label for e in held])
        print(json.dumps({"holdout": str(args.holdout), "trained_on": [p.name for p in sources],
                          "rules": figures(np.array([e.rules_risk for e in held]), y_held),
                          "model": figures(100 * p_held, y_held), "combined": figures(risk, y_held)}, indent=1))
        return 0
    names = vec.get_feature_names_out()
    features = {str(g): [round(float(i), 5), round(float(w), 5)]
                for g, i, w in zip(names, vec.idf_, lr.coef_[0], strict=True) if abs(w) > 1e-6}
    out = {
        "version": args.version or "",
        "about": "Logistic regression over character 2-3-grams of the squeezed text (scoring/text/learned.py); "
                 "built by scripts/train_text_model.py; never edit by hand.",
        "trained_on": {p.name: {"sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                                "texts": int((src == p.name).sum())} for p in sources},
        "params": {"c": args.c, "keep": args.keep, "min_df": args.min_df, "own_weight": args.own_weight,
                   "combine_own_weight": args.combine_own_weight, "boundary": args.boundary,
                   "folds": args.folds, "repeats": args.repeats},
        "cross_validation": report,
        "intercept": round(float(lr.intercept_[0]), 5),
        "combine": {"model": round(params[0], 5), "rules": round(params[1], 5), "bias": round(params[2], 5),
                    "full_at_chars": args.full_at_chars},
        "features": features,
    }
    if not out["version"]:  # today's date and a digest of everything else: new content, new version
        digest = hashlib.sha256(json.dumps(out, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:8]
        out["version"] = f"{time.strftime('%Y.%m.%d')}-{digest}"
    args.output.write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(json.dumps({k: out[k] for k in ("version", "trained_on", "cross_validation", "combine")},
                     ensure_ascii=False, indent=1))
    print(f"wrote {args.output} ({len(features)} n-grams) in {time.monotonic() - t0:.0f} s; "
          f"then run python scripts/lock_config_versions.py", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
