"""The analyser's rules (config/analyser.yaml) compiled once per file version.

Every cue rule becomes one compiled regex, reached by group and name
(``rules.context["negation_before"]``); the genre phrases become one Aho-Corasick
automaton; the risk weights stay the validated config (``rules.risk``).
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path

import ahocorasick
from pydantic import BaseModel

from config import config_path, load_yaml
from config.analyser import AnalyserConfig, Risk


def _compile_group(group: BaseModel) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(getattr(group, name).regex()) for name in type(group).model_fields}


class Rules:
    def __init__(self, cfg: AnalyserConfig) -> None:
        self.config = cfg
        self.version = cfg.version
        self.stance = _compile_group(cfg.stance)
        self.context = _compile_group(cfg.context)
        self.verdicts = _compile_group(cfg.verdicts)
        self.collapse = _compile_group(cfg.collapse)
        self.recruit_pay = _compile_group(cfg.recruit_pay)
        self.legitimacy = re.compile(cfg.legitimacy.regex())
        self.case_number = re.compile(cfg.doc_types.case_number.regex())
        self.first_person = re.compile(cfg.doc_types.first_person.regex())

    @property
    def risk(self) -> Risk:
        return self.config.risk

    @cached_property
    def genre_automaton(self) -> ahocorasick.Automaton:
        """Every genre phrase (lower case) -> ((doc type, votes), ...) for the types it votes for."""
        a = ahocorasick.Automaton()
        merged: dict[str, list[tuple[str, float]]] = {}
        for doc_type, cues in self.config.doc_types.cues.items():
            for cue, w in cues.items():
                merged.setdefault(cue.lower(), []).append((doc_type, w))
        for cue, votes in merged.items():
            a.add_word(cue, tuple(votes))
        a.make_automaton()
        return a


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Rules:
    return Rules(load_yaml(Path(path), AnalyserConfig))


def load_rules(path: Path | None = None) -> Rules:
    """The rules from config/analyser.yaml (or ``path``), compiled once per file version."""
    p = path or config_path("analyser.yaml")
    return _load(str(p), p.stat().st_mtime if p.exists() else 0.0)
