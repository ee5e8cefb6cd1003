"""Extraction of dates, amounts, credit codes and company names from page text."""

from __future__ import annotations

import re

from indexing.creditcode import find_codes, is_valid

# 统一社会信用代码 (GB 32100-2015): check digits are indexing.creditcode's business.
valid_credit_code = is_valid


def credit_codes_in(text: str) -> list[str]:
    return find_codes(text)


_DATE_RES = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
)


def dates_in(text: str, limit: int = 50) -> list[str]:
    out: dict[str, None] = {}
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                out.setdefault(f"{y:04d}-{mo:02d}-{d:02d}", None)
            if len(out) >= limit:
                return list(out)
    return list(out)


def first_date(text: str) -> str:
    found = dates_in(text, limit=1)
    return found[0] if found else ""


# Linear on hostile text (issue 12): a number starts only where a digit run starts (not
# inside one, nor after "digit,"), and possessive repeats never give back what they took,
# so a run of 100k digits is read once instead of once per digit.
_NUMBER = r"(?<!\d)(?<!\d[,.])(\d++(?:,\d{3})*+(?:\.\d++)?+)"
_AMOUNT = re.compile(_NUMBER + r"\s*+(亿|万|千)?\s*+(元|块|人民币)")
_UNIT = {"亿": 1e8, "万": 1e4, "千": 1e3, None: 1.0}


def amounts_in(text: str, limit: int = 50) -> list[float]:
    """Amounts in yuan (e.g. '5万元' -> 50000.0)."""
    out = []
    for m in _AMOUNT.finditer(text):
        try:
            out.append(float(m.group(1).replace(",", "")) * _UNIT[m.group(2)])
        except ValueError:
            continue
        if len(out) >= limit:
            break
    return out


def parse_amount(value: str) -> float | None:
    """'12,000.50' / '5万' / '12000元' -> yuan; None when there is no number."""
    m = re.search(_NUMBER + r"\s*+(亿|万|千)?", value or "")
    if not m:
        return None
    return float(m.group(1).replace(",", "")) * _UNIT[m.group(2)]


def parse_capital_wan(value: str) -> float | None:
    """Registered capital in 万元 ('5000万元人民币' -> 5000.0, '1亿元' -> 10000.0)."""
    m = re.search(_NUMBER + r"\s*+(亿|万)?", value or "")
    if not m:
        return None
    n = float(m.group(1).replace(",", ""))
    return n * 10000 if m.group(2) == "亿" else (n if m.group(2) == "万" else n / 10000)


_COMPANY_NAME = re.compile(
    r"([\u4e00-\u9fff（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团公司|合伙企业（有限合伙）|合伙企业))"
)


def company_names_in(text: str, limit: int = 100) -> list[str]:
    """Strings that look like full company names (end in a legal form)."""
    out: dict[str, None] = {}
    for m in _COMPANY_NAME.finditer(text):
        out.setdefault(m.group(1), None)
        if len(out) >= limit:
            break
    return list(out)
