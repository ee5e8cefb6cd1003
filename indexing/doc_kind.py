"""The kind of a document as a regulator names it (config/doc_kinds.yaml): promotion,
complaint, judgment, registry, warning or news. The one rule: the store computes it when a
document is indexed (and stores it, so searches filter by kind exactly), and the text
analyser (scoring.text) takes its warning / news decision from here, so the kind shown and
the genre scored cannot disagree.

The source kind decides for registry, court and complaint sources. The promotional web
(source kind ``promo``) also carries police and regulator warnings and news reports about
schemes; their titles (or a dateline at the start of the text) tell them apart, so a
warning is never shown as a promotion."""

from __future__ import annotations

import unicodedata

from config.doc_kinds import DocKind, DocKindsConfig, doc_kinds
from indexing.models import Document

DOC_KINDS: tuple[str, ...] = DocKind.__args__  # type: ignore[attr-defined]


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "")


def check_doc_kind(kind: str) -> None:
    """A bad kind filter is an error, not an empty result."""
    if kind not in DOC_KINDS:
        raise ValueError(f"doc_kind must be one of {list(DOC_KINDS)}, got {kind!r}")


def cued_kind(title: str, text: str = "", config: DocKindsConfig | None = None) -> str:
    """The kind the title (or the start of the text) reads as by the configured cues
    (``warning``, ``news``), or "" when no rule matches."""
    cfg = config or doc_kinds()
    t, lede = _fold(title), _fold((text or "")[: cfg.lede_chars])
    for rule in cfg.rules:
        if any(_fold(c) in t for c in rule.title) or any(_fold(c) in lede for c in rule.lede):
            return rule.kind
    return ""


def classify(source_kind: str, title: str, text: str = "", config: DocKindsConfig | None = None) -> str:
    """The document kind of one document (``text``: its normalised text)."""
    cfg = config or doc_kinds()
    base = cfg.by_source_kind.get(source_kind, "promotion")
    if base != "promotion":
        return base
    return cued_kind(title, text, cfg) or base


def document_kind(doc: Document) -> str:
    """The kind the store gave ``doc``; a document not read from a store is classified by
    the same rule."""
    return doc.doc_kind or classify(doc.source_kind, doc.title, doc.text)


# The analyser's document type (scoring.text) of each kind the rule decides: by the source
# (a court's judgment, a complaint platform's complaint) or by the cues (a warning, news).
_TYPE_OF_KIND = {"warning": "warning", "news": "news", "judgment": "judgment", "complaint": "complaint"}


def read_as(kind: str) -> str:
    """The analyser's document type a kind imposes: a warning is read as a warning whatever
    promises it quotes, a court's page as a judgment whatever its title. "" for a promotion
    (an uncued page of the promotional web: the analyser reads the text for itself, and may
    find a victim's account or an untitled report there) and for registry entries."""
    return _TYPE_OF_KIND.get(kind, "")
