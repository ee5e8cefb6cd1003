"""Whether a report is *about* a company or only names it in passing.

News and regulators' warnings name bystanders: the landlord of a collapsed platform's
office, a firm with a similar name that the regulator clears ("经核实，某某公司系依法经营的
企业，与上述平台无关"). Such a mention is no evidence against the company. A report counts
against a company unless every sentence naming it carries one of the model's
``passing_mention_cues`` (config/model.yaml).
"""

from __future__ import annotations

import re

from indexing.models import Company, Document

_SENTENCE = re.compile(r"[^。！？!?\n]+")


def _names(company: Company) -> list[str]:
    names = [company.name, *company.former_names]
    return [n for n in names if n and len(n) >= 4]


def named_in_passing(doc: Document, company: Company, cues: tuple[str, ...]) -> bool:
    """True when the company is named in ``doc``'s text only in sentences that clear it
    (and not in the title); False when it is the report's subject or not named at all."""
    names = _names(company)
    if not names or not cues:
        return False
    if any(n in (doc.title or "") for n in names):
        return False
    naming = [s for s in _SENTENCE.findall(doc.text or "") if any(n in s for n in names)]
    return bool(naming) and all(any(c in s for c in cues) for s in naming)
