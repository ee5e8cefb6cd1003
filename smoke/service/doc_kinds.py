"""Document kinds for the surfaces: the ids, their Chinese labels (config/doc_kinds.yaml)
and the kind of a stored document (crawlers.processing.doc_kind)."""

from __future__ import annotations

from config.doc_kinds import DocKind, doc_kinds
from crawlers.processing.doc_kind import kind_of
from indexing.models import Document

DOC_KINDS: tuple[str, ...] = DocKind.__args__  # type: ignore[attr-defined]


def doc_kind_labels() -> dict[str, str]:
    return dict(doc_kinds().labels)


def document_kind(doc: Document) -> str:
    return kind_of(doc.source_kind, doc.title, doc.text, doc.fields)


def source_kinds_for(kind: str) -> list[str]:
    """The source kinds whose documents may be of ``kind`` (a store pre-filter)."""
    by_source = doc_kinds().by_source_kind
    if kind in ("warning", "news"):
        return [sk for sk, k in by_source.items() if k == "promotion"]
    return [sk for sk, k in by_source.items() if k == kind]


def document_kind_label(doc: Document) -> str:
    """The Chinese label of a document's kind (风险提示, 新闻, 推广页面 ...)."""
    kind = document_kind(doc)
    return doc_kinds().labels.get(kind, kind)  # type: ignore[call-overload]
