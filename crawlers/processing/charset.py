"""Charset detection that survives lying headers.

Seen on the sandbox's ``wrong_charset`` behaviour and on real Chinese sites: the
``Content-Type`` header says one charset while the bytes are another (a GBK page
served as UTF-8, Big5 as GBK). Order of trust: a BOM, then the ``<meta charset>``
when the bytes decode cleanly in it, then whichever of UTF-8 / GB18030 / Big5 (and
the header's and the source's hints) decodes cleanly *and* reads like Chinese,
then charset-normalizer, then GB18030 with replacement characters.

"Reads like Chinese": a correctly decoded page is made almost only of the most
frequent characters (GB2312 level 1 for simplified, Big5 level 1 for traditional);
a page decoded in the wrong double-byte charset is full of rare ones.
"""

from __future__ import annotations

import codecs
import re

# bounded: a head of "<meta<meta<meta..." would otherwise rescan the rest once per tag
_META = re.compile(rb"""<meta[^>]{1,512}charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CJK = re.compile(r"[\u4e00-\u9fff]")
# GBK and GB2312 are subsets of GB18030: decode as the superset so rare characters survive.
_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5-hkscs": "big5hkscs"}


def canonical_name(name: str) -> str | None:
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _common_ratio(text: str) -> float:
    """Share of CJK characters that are among the most frequent (simplified or traditional)."""
    chars = _CJK.findall(text[:20000])
    if not chars:
        return 1.0
    common = 0
    for ch in chars:
        try:
            b = ch.encode("gb2312")
            if 0xB0 <= b[0] <= 0xD7:  # GB2312 level-1 hanzi: the 3,755 most used
                common += 1
                continue
        except UnicodeEncodeError:
            pass
        try:
            b = ch.encode("big5")
            if 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E:  # Big5 level 1: the 5,401 most used
                common += 1
        except UnicodeEncodeError:
            pass
    return common / len(chars)


def _try(body: bytes, enc: str) -> str | None:
    try:
        return body.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str = "", hints: list[str] | tuple[str, ...] = ()) -> tuple[str, str]:
    """(text, encoding) of an HTML/XML/JSON body. See the module docstring for the order of trust."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(enc, errors="replace"), enc
    if not body:
        return "", "utf-8"
    head = body[:4096]
    meta = _META.search(head)
    meta_enc = canonical_name(meta.group(1).decode("ascii", "ignore")) if meta else None
    if meta_enc:
        text = _try(body, meta_enc)
        if text is not None and _common_ratio(text) >= 0.9:
            return text, meta_enc
    m = _HEADER.search(content_type or "")
    header_enc = canonical_name(m.group(1)) if m else None
    candidates: list[str] = []
    for name in ["utf-8", meta_enc, header_enc, *hints, "gb18030", "big5"]:
        c = canonical_name(name) if name else None
        if c and c not in candidates:
            candidates.append(c)
    best: tuple[float, int, str, str] | None = None
    for rank, enc in enumerate(candidates):
        text = _try(body, enc)
        if text is None:
            continue
        if enc == "utf-8":  # strict UTF-8 over non-ASCII bytes is practically never an accident
            return text, enc
        score = _common_ratio(text)
        if best is None or (score, -rank) > (best[0], best[1]):
            best = (score, -rank, enc, text)
    if best is not None and best[0] >= 0.6:
        return best[3], best[2]
    try:
        from charset_normalizer import from_bytes

        match = from_bytes(body).best()
        if match is not None and match.encoding:
            return str(match), canonical_name(match.encoding) or match.encoding
    except Exception:  # noqa: BLE001 - detection is best effort; fall through to GB18030
        pass
    if best is not None:
        return best[3], best[2]
    return body.decode("gb18030", errors="replace"), "gb18030"
