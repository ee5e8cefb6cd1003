"""The kind of a crawled document as a regulator names it (config/doc_kinds.yaml):
promotion, complaint, judgment, registry, warning or news.

The source kind decides for registry, court and complaint sources. The promotional
web (source kind ``promo``) also carries police and regulator warnings and news
reports about schemes; their titles (or a dateline at the start of the text) tell
them apart, so a warning is never shown as a promotion."""

from __future__ import annotations

import unicodedata

from config.doc_kinds import DocKindsConfig, doc_kinds

FIELD = "doc_kind"  # the key in Document.fields


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "")


def classify(source_kind: str, title: str, text: str = "", config: DocKindsConfig | None = None) -> str:
    """The document kind of one document."""
    cfg = config or doc_kinds()
    base = cfg.by_source_kind.get(source_kind, "promotion")
    if base != "promotion":
        return base
    t, lede = _fold(title), _fold((text or "")[: cfg.lede_chars])
    for rule in cfg.rules:
        if any(_fold(c) in t for c in rule.title) or any(_fold(c) in lede for c in rule.lede):
            return rule.kind
    return base


def kind_of(source_kind: str, title: str, text: str, fields: dict | None) -> str:
    """The stored kind (set when the document was crawled), else classified now: documents
    stored before kinds existed are read the same way."""
    stored = (fields or {}).get(FIELD)
    if isinstance(stored, str) and stored:
        return stored
    return classify(source_kind, title, text)
