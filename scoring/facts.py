"""One company's evidence, sorted and analysed once: the input of every indicator."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from indexing.doc_kind import document_kind
from indexing.models import Company, Document, Evidence
from indexing.normalize import normalize_domain
from scoring.context import ScoringContext
from scoring.model import Model
from scoring.quote import quote
from scoring.subject import named_in_passing
from scoring.text import PROMISE_TYPES, TextAnalysis, analyze

_CRIMINAL_CAUSE = re.compile(r"非法吸收公众存款|集资诈骗|组织[、,]?领导传销|传销")


def doc_date(doc: Document) -> str:
    return (doc.published or doc.fetched or "")[:10]


def evidence_for(doc: Document, snippet: str = "") -> Evidence:
    text = snippet or (doc.title or doc.text[:80])
    return Evidence(url=doc.url, snippet=text[:200], date=doc_date(doc), doc_id=doc.id, source_kind=doc.source_kind)


def evidence_at(doc: Document, start: int, end: int, extra: list[tuple[int, int]] | None = None,
                base_len: int | None = None) -> Evidence:
    """Evidence quoting the sentence of ``doc`` that holds [start, end) (offsets of the
    analyser, i.e. of the stored text), verbatim, with the matched words' marks.
    ``extra``: other matches to mark when they fall in the same sentence. ``base_len``: the
    length of the text the offsets refer to; when the stored text differs (it was analysed
    in another form) the title stands in rather than a misplaced quote."""
    text = doc.text or ""
    if base_len is not None and base_len != len(text) or end > len(text):
        return evidence_for(doc)
    snippet, marks = quote(text, start, end, extra or ())
    return Evidence(url=doc.url, snippet=snippet, date=doc_date(doc), doc_id=doc.id,
                    source_kind=doc.source_kind, marks=marks)


@dataclass(slots=True)
class AnalysedDoc:
    doc: Document
    analysis: TextAnalysis
    date: str
    role: str  # the company's role in the document (court parties), "" when unknown


@dataclass(slots=True)
class CompanyFacts:
    company: Company
    as_of: str
    model: Model
    context: ScoringContext
    promo: list[AnalysedDoc] = field(default_factory=list)  # promo-source docs of promise types
    warnings: list[AnalysedDoc] = field(default_factory=list)  # warnings naming the company
    news: list[AnalysedDoc] = field(default_factory=list)  # news reports naming the company
    complaints: list[AnalysedDoc] = field(default_factory=list)
    court: list[AnalysedDoc] = field(default_factory=list)  # judgments
    dishonest: list[AnalysedDoc] = field(default_factory=list)  # 失信被执行人 entries
    criminal: list[AnalysedDoc] = field(default_factory=list)


def analysis_key(doc: Document, lpr: float, doc_type: str | None = None) -> str:
    """What an analysis depends on besides the analyser's and lexicon's versions: the text,
    title and URL read, the benchmark rate, the genre imposed, if any, and the document's kind.
    The same text under two ids is analysed once."""
    h = hashlib.sha1(doc.text.encode("utf-8"))
    h.update(b"\0" + doc.title.encode("utf-8") + b"\0" + doc.url.encode("utf-8"))
    return f"{h.hexdigest()}:{lpr}:{doc_type or ''}:{document_kind(doc)}"


def analysis_of(doc: Document, cache, lpr: float, doc_type: str | None = None) -> TextAnalysis:
    """The document's analysis from ``cache`` (a mapping over ``analysis_key``), analysed and
    kept there when missing: the one place scoring and the cycle's index step analyse a text."""
    key = analysis_key(doc, lpr, doc_type)
    cached = cache.get(key)
    if cached is None:
        cached = analyze(doc.text, doc.title, doc.url, lpr=lpr, normalized=True, doc_type=doc_type,
                         doc_kind=document_kind(doc))
        cache[key] = cached
    return cached  # type: ignore[return-value]


def _analysis(doc: Document, context: ScoringContext, lpr: float, doc_type: str | None = None) -> TextAnalysis:
    return analysis_of(doc, context.analysis_cache, lpr, doc_type)


def _role(doc: Document, code: str) -> str:
    for m in doc.mentions:
        if m.credit_code == code and m.role:
            return m.role
    for p in doc.fields.get("parties") or []:
        if isinstance(p, dict) and p.get("credit_code") == code:
            return str(p.get("role", ""))
    return ""


MIN_MENTION_CONFIDENCE = 0.5
_CONFIDENCE_MARGIN = 0.1


def _belongs(doc: Document, code: str) -> bool:
    """Whether the document is evidence about this company. Entity linking is fallible (many
    unrelated 某某投资 / 某某财富 names): when a document is linked to several companies, it
    counts only for the best-linked ones (within a small margin, or confidently linked)."""
    mine = [m.confidence for m in doc.mentions if m.credit_code == code]
    if not mine:
        return True  # the store linked it by other means (e.g. a court party's credit code)
    conf = max(mine)
    if conf < MIN_MENTION_CONFIDENCE:
        return False
    best = max(m.confidence for m in doc.mentions)
    return conf >= 0.9 or conf >= best - _CONFIDENCE_MARGIN


def _own_site(doc: Document, own: set[str]) -> bool:
    if not own:
        return False
    host = normalize_domain(doc.url or doc.domain)
    return any(host == w or host.endswith("." + w) for w in own)


def is_dishonest(doc: Document) -> bool:
    """A 失信被执行人 entry: the crawler stores the flag its source declares (``dishonest``)."""
    return bool(doc.fields.get("dishonest"))


def gather(company: Company, documents: list[Document], context: ScoringContext, model: Model, as_of: str) -> CompanyFacts:
    """Sort the company's documents (published on or before ``as_of`` only) by what they are."""
    facts = CompanyFacts(company, as_of, model, context)
    lpr = model.config.lpr_1y
    own = {normalize_domain(w) for w in company.websites if w}
    cues = tuple(model.config.passing_mention_cues)
    for doc in sorted(documents, key=lambda d: (doc_date(d), d.id)):
        date = doc_date(doc)
        if not date or date > as_of:
            continue  # nothing from the future, nothing undated
        kind = doc.source_kind
        if kind == "registry" or kind == "amac":
            continue
        if not _belongs(doc, company.credit_code):
            continue
        role = _role(doc, company.credit_code)
        if kind == "court" and is_dishonest(doc):
            facts.dishonest.append(AnalysedDoc(doc, _analysis(doc, context, lpr), date, role))
            continue
        a = _analysis(doc, context, lpr)
        if kind == "promo" and a.doc_type in ("warning", "news") and _own_site(doc, own):
            # the company's own site speaks for it, whatever genre the page imitates
            a = _analysis(doc, context, lpr, doc_type="promo")
        ad = AnalysedDoc(doc, a, date, role)
        if kind == "complaint":
            facts.complaints.append(ad)
        elif kind == "court":
            cause = f"{doc.fields.get('cause', '')} {doc.title}"
            if role != "plaintiff" and _CRIMINAL_CAUSE.search(cause) and (
                "刑" in cause or "刑" in str(doc.fields.get("case_no", "")) or a.is_fundraising_conviction
            ):
                facts.criminal.append(ad)
            else:
                facts.court.append(ad)
        elif a.doc_type in ("warning", "news") and named_in_passing(doc, company, cues):
            continue  # a bystander of the report, not its subject
        elif a.doc_type == "warning":
            facts.warnings.append(ad)
        elif a.doc_type == "news":
            facts.news.append(ad)
        elif a.doc_type in PROMISE_TYPES:
            facts.promo.append(ad)
        elif a.doc_type == "complaint":
            facts.complaints.append(ad)
        elif a.doc_type == "judgment" and a.is_fundraising_conviction:
            facts.criminal.append(ad)
    return facts
