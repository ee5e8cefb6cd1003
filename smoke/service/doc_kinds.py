"""Document kinds for the surfaces: the ids, their Chinese labels (config/doc_kinds.yaml)
and the kind of a document (indexing.doc_kind: computed once, when the store indexes it)."""

from __future__ import annotations

from config.doc_kinds import doc_kinds
from indexing.doc_kind import DOC_KINDS, document_kind
from indexing.models import Document

__all__ = ["DOC_KINDS", "doc_kind_labels", "document_kind", "document_kind_label"]


def doc_kind_labels() -> dict[str, str]:
    return dict(doc_kinds().labels)


def document_kind_label(doc: Document) -> str:
    """The Chinese label of a document's kind (风险提示, 新闻, 推广页面 ...)."""
    kind = document_kind(doc)
    return doc_kinds().labels.get(kind, kind)  # type: ignore[call-overload]
