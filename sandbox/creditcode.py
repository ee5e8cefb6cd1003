"""统一社会信用代码 (GB 32100-2015) with its check digits.

Layout: 1 registration authority (9 = 工商/市场监管), 1 entity type (1 企业, 2 个体工商户,
3 农民专业合作社), 6 administrative division code, 9 organisation code (GB 11714: 8
body characters + its own check character), 1 check character (mod 31).

The sandbox keeps its own small implementation (the indexing layer has its own) so the
generator never depends on the code under test.
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_VALUES = {c: i for i, c in enumerate(CHARSET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def check_char(first17: str) -> str:
    """The 18th character for the first 17 characters of a credit code."""
    total = sum(_VALUES[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def make_code(region: str, serial: int, kind: str = "91") -> str:
    """A valid credit code for company number ``serial`` (unique per serial up to 10**8).

    The organisation code body is a bijective scramble of the serial, so codes look
    random but never collide.
    """
    body = f"{(serial * 48271 + 12345678) % 100_000_000:08d}"
    first17 = f"{kind}{region}{body}{org_check(body)}"
    return first17 + check_char(first17)


def is_valid(code: str) -> bool:
    """True when ``code`` is 18 characters from the charset and both check characters match."""
    if len(code) != 18 or any(c not in _VALUES for c in code):
        return False
    body = code[8:16]
    if not body.isalnum() or org_check(body) != code[16]:
        return False
    return check_char(code[:17]) == code[17]
