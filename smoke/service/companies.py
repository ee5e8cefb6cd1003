"""One company lookup for the CLI, the pages and the API: exact by default.

A key is a 统一社会信用代码 (half- or full-width, any case: NFKC-folded) or a company's
exact name (current or former, normalised as the store normalises names). Several
companies with that name are an "ambiguous" answer listing them, never a guess; no
match is "absent", with suggestions from the search when the caller asks for them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from indexing.models import Company
from indexing.store.base import CompanyQuery, Store

MAX_KEY = 200
_CODE = re.compile(r"[0-9A-Z]{18}")


def fold_key(key: str) -> str:
    """NFKC (full-width ０-９ Ａ-Ｚ to ASCII, ideographic space to space) and trimmed."""
    return unicodedata.normalize("NFKC", key or "").strip()


def fold_code(key: str) -> str:
    """A credit code as typed or pasted: folded (ＡＢ１２ → AB12), spaces dropped, upper case;
    not checked (a screening reports a wrong check digit itself)."""
    return re.sub(r"\s+", "", fold_key(key)).upper()


def as_credit_code(key: str) -> str | None:
    """The key as an 18-character credit code (spaces dropped, upper case), or None."""
    code = fold_code(key)
    return code if _CODE.fullmatch(code) else None


@dataclass(slots=True)
class Lookup:
    key: str
    status: Literal["found", "ambiguous", "absent"]
    company: Company | None = None
    candidates: list[Company] = field(default_factory=list)  # ambiguous: all matches; absent: suggestions
    matches: int = 0  # how many companies the key names (ambiguous: > 1)

    @property
    def found(self) -> bool:
        return self.company is not None


def lookup_company(store: Store, key: str, suggest: int = 0) -> Lookup:
    """The company ``key`` names exactly; ``suggest`` > 0 adds up to that many search
    hits as suggestions when nothing matches exactly."""
    folded = fold_key(key)
    if not folded or len(folded) > MAX_KEY:
        return Lookup(key=folded[:MAX_KEY], status="absent")
    code = as_credit_code(folded)
    if code:
        company = store.get_company(code)
        if company is not None:
            return Lookup(key=folded, status="found", company=company, matches=1)
    named = sorted(store.companies_by_name(folded), key=lambda c: c.credit_code)
    if len(named) == 1:
        return Lookup(key=folded, status="found", company=named[0], matches=1)
    if named:
        return Lookup(key=folded, status="ambiguous", candidates=named, matches=len(named))
    out = Lookup(key=folded, status="absent")
    if suggest > 0:
        page = store.search_companies(CompanyQuery(text=folded, sort="relevance", limit=suggest))
        out.candidates = [h.company for h in page.hits]
        out.matches = page.total
    return out


def find_company(store: Store, key: str) -> Company | None:
    """The company ``key`` names exactly and alone; None when absent or ambiguous."""
    return lookup_company(store, key).company
