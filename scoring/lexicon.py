"""The feature-word lexicon (config/lexicon.yaml) compiled into one Aho-Corasick automaton.

Terms and their exclusion phrases go into the same automaton; a term occurrence that
lies inside an exclusion occurrence (传销 inside 宣传销售) is dropped. Pinyin
abbreviations match as whole latin tokens over the folded text; terms with some of
their characters spelt in pinyin (ri返, 拉ren) through ``scoring.pinyinmatch``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from config import config_path, load_yaml
from config.lexicon import LexiconConfig
from scoring.matchtext import MatchText, fold_table, squeeze_term
from scoring.pinyinmatch import PinyinMatcher


@dataclass(frozen=True, slots=True)
class Term:
    term: str  # as written in config
    category: str
    weight: float
    promise: bool
    key: str = ""  # the term in matching form


@dataclass(frozen=True, slots=True)
class Occurrence:
    term: Term
    start: int  # base offsets
    end: int
    via: str = ""  # "pinyin:zjp" when matched through an abbreviation


class Lexicon:
    def __init__(self, cfg: LexiconConfig) -> None:
        self.config = cfg
        self.version = cfg.version
        self.table = fold_table(cfg.variants)
        self.terms: dict[str, Term] = {}
        self.automaton = ahocorasick.Automaton()
        keys: dict[str, list[tuple[str, object]]] = {}
        for cat_id, cat in sorted(cfg.categories.items()):
            for term, weight in sorted(cat.terms.items()):
                key = squeeze_term(term, self.table)
                t = Term(term=term, category=cat_id, weight=float(weight), promise=cat.promise, key=key)
                if not key or key in self.terms:
                    continue  # first category wins for a term listed twice
                self.terms[key] = t
                keys.setdefault(key, []).append(("term", t))
        for term, phrases in sorted(cfg.exclusions.items()):
            tkey = squeeze_term(term, self.table)
            for phrase in phrases:
                pkey = squeeze_term(phrase, self.table)
                if pkey:
                    keys.setdefault(pkey, []).append(("exclude", tkey))
        for key, payload in keys.items():
            self.automaton.add_word(key, (len(key), tuple(payload)))
        self.automaton.make_automaton()
        self.terms_by_name: dict[str, Term] = {t.term: t for t in self.terms.values()}
        self.pinyin: dict[str, Term] = {}
        for abbr, term in cfg.pinyin.items():
            t = self.terms.get(squeeze_term(term, self.table))
            if t is not None:
                self.pinyin[abbr] = t
        self.spelt = PinyinMatcher((t.term, t) for t in self.terms.values())
        self._pinyin_re = (
            re.compile(r"(?<![a-z])(" + "|".join(sorted(map(re.escape, self.pinyin), key=len, reverse=True)) + r")(?![a-z])")
            if self.pinyin
            else None
        )

    def find(self, mt: MatchText) -> list[Occurrence]:
        """Every term occurrence in the text, in base offsets, sorted by position."""
        raw: list[tuple[int, int, Term]] = []  # squeezed offsets
        excluded: dict[str, list[tuple[int, int]]] = {}
        for end, (n, payload) in self.automaton.iter(mt.squeezed):
            start = end - n + 1
            for kind, obj in payload:
                if kind == "term":
                    raw.append((start, end + 1, obj))
                else:
                    excluded.setdefault(obj, []).append((start, end + 1))
        out: list[Occurrence] = []
        for s, e, t in raw:
            if excluded and any(a <= s and e <= b for a, b in excluded.get(t.key, ())):
                continue
            bs = mt.to_base(s)
            be = mt.to_base(e - 1) + 1
            out.append(Occurrence(t, bs, be))
        if self._pinyin_re is not None:
            for m in self._pinyin_re.finditer(mt.folded):
                out.append(Occurrence(self.pinyin[m.group(1)], m.start(), m.end(), via=f"pinyin:{m.group(1)}"))
        # folded and base offsets are the same (folding is one character for one)
        for s, e, t in self.spelt.find(mt.folded):
            out.append(Occurrence(t, s, e, via="pinyin:spelt"))  # type: ignore[arg-type]
        out.sort(key=lambda o: (o.start, -o.end, o.term.term))
        return _drop_nested(out)


def _drop_nested(occ: list[Occurrence]) -> list[Occurrence]:
    """Keep the longest term where terms overlap inside one another (保本保息 over 保本 and 保息)."""
    kept: list[Occurrence] = []
    for o in occ:
        if kept and o.start >= kept[-1].start and o.end <= kept[-1].end:
            continue
        kept.append(o)
    return kept


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Lexicon:
    return Lexicon(load_yaml(Path(path), LexiconConfig))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon from config/lexicon.yaml (or ``path``), compiled once per file version."""
    p = path or config_path("lexicon.yaml")
    return _load(str(p), p.stat().st_mtime if p.exists() else 0.0)
