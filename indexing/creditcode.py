"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), region code (6),
organisation code body (9), check character (1). The alphabet is the 31 characters
``0-9 A-H J-N P-R T-U W-Y`` (no I, O, S, V, Z, which look like digits). The check
character is ``C18 = 31 - (sum(value(Ci) * Wi) mod 31)``, with 31 written as 0 and
the weights ``Wi = 3**(i-1) mod 31``.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, ...

_CHARS = "0-9A-HJ-NP-RTUW-Y"
_SHAPE = re.compile(f"[{_CHARS}]{{18}}")
# Candidates in running text: 18 code characters not glued to other letters/digits.
# Lower case is accepted in text (people type it) and upper-cased before checking.
_IN_TEXT = re.compile(f"(?<![0-9A-Za-z])[{_CHARS}{_CHARS.lower()}]{{18}}(?![0-9A-Za-z])")


def check_digit(first17: str) -> str:
    """The check character for the first 17 characters of a code.

    Raises ValueError when ``first17`` is not 17 characters of the code alphabet.
    """
    if len(first17) != 17:
        raise ValueError(f"credit code body: expected 17 characters, got {len(first17)}")
    try:
        total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    except KeyError as e:
        raise ValueError(f"credit code body: character {e.args[0]!r} is not in {ALPHABET}") from None
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """True for an 18-character code of the right alphabet whose check character is correct."""
    if not isinstance(code, str) or not _SHAPE.fullmatch(code):
        return False
    return check_digit(code[:17]) == code[17]


def find_codes(text: str) -> list[str]:
    """Valid credit codes in ``text`` (upper-cased), in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    for m in _IN_TEXT.finditer(text):
        code = m.group(0).upper()
        if code not in seen and is_valid(code):
            seen[code] = None
    return list(seen)
