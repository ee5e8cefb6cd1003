"""A tiny phrase grammar: ``[a|b|c]`` picks one alternative (nestable), ``{slot}``
fills from a context dict. Sentences are built from several independently chosen
parts in varied order, so whole sentences rarely repeat across pages."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Sequence


def expand(rng: random.Random, template: str, ctx: dict[str, str] | None = None) -> str:
    """Expand ``[a|b]`` choices (innermost first) then ``{slot}`` fills."""
    s = template
    while "[" in s:
        end = s.find("]")
        start = s.rfind("[", 0, end)
        if start < 0 or end < 0:
            break
        options = s[start + 1 : end].split("|")
        s = s[:start] + rng.choice(options) + s[end + 1 :]
    if ctx and "{" in s:
        with contextlib.suppress(KeyError, IndexError, ValueError):
            s = s.format_map(ctx)
    return s


def pick(rng: random.Random, options: Sequence[str], ctx: dict[str, str] | None = None) -> str:
    return expand(rng, rng.choice(options), ctx)


_JOINERS = ("，", "，", "，", "；", "，", "——")
_ENDS = ("。", "。", "。", "！", "。", "！！", "。")


def sentence(rng: random.Random, parts: Sequence[Sequence[str]], ctx: dict[str, str] | None = None,
             shuffle: bool = True, end: str | None = None) -> str:
    """One sentence from one choice per part list; parts after the first may swap order."""
    chosen = [pick(rng, p, ctx) for p in parts if p]
    chosen = [c for c in chosen if c]
    if shuffle and len(chosen) > 2:
        head, tail = chosen[0], chosen[1:]
        rng.shuffle(tail)
        chosen = [head, *tail]
    body = chosen[0]
    for c in chosen[1:]:
        body += rng.choice(_JOINERS) + c
    return body + (end if end is not None else rng.choice(_ENDS))


def seeded(*parts: object) -> random.Random:
    """A Random from a tuple of parts (str seeding is stable across processes)."""
    return random.Random(":".join(str(p) for p in parts))
