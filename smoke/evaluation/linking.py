"""Entity-linking quality against a world's ground truth (truth/documents.jsonl).

Precision: of the (document, company) links we stored, the share the truth has.
Recall: of the truth's (document, company) pairs for documents we crawled, the share
we linked. Documents are matched by canonical URL; truth documents we never crawled
are counted separately (a crawl gap, not a linking error).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crawlers.processing.urls import canonicalize
from indexing.store.base import Store


def linking_metrics(store: Store, truth_documents: Iterable[dict], min_confidence: float = 0.0) -> dict[str, Any]:
    truth: dict[str, set[str]] = {}
    for d in truth_documents:
        truth.setdefault(canonicalize(d["url"]), set()).update(d.get("credit_codes") or [])
    stored: dict[str, set[str]] = {}
    for doc in store.iter_documents():
        key = canonicalize(doc.url)
        if key in truth:
            stored[key] = {m.credit_code for m in doc.mentions if m.confidence >= min_confidence}
    tp = fp = fn = 0
    for url, codes in stored.items():
        want = truth[url]
        tp += len(codes & want)
        fp += len(codes - want)
        fn += len(want - codes)
    return {
        "linking_precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "linking_recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "true_links": tp,
        "false_links": fp,
        "missed_links": fn,
        "documents_evaluated": len(stored),
        "truth_documents_not_crawled": len(truth) - len(stored),
    }
