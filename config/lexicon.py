"""Schema of ``config/lexicon.yaml``: the feature-word lexicon of the text analyser."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="Human-readable name, Chinese.")
    promise: bool = Field(
        True,
        description="Terms that promise or recruit (count as feature words). False for labels "
        "(传销, 资金盘) and complaint severity words, which describe rather than promise.",
    )
    terms: dict[str, float] = Field(description="term -> weight (1 weak .. 5 near-conclusive).")

    @field_validator("terms")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        for term, w in v.items():
            if not term.strip():
                raise ValueError("empty term")
            if not 0 < w <= 10:
                raise ValueError(f"weight of {term!r} must be in (0, 10], got {w}")
        return v


class LexiconConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    categories: dict[str, Category]
    exclusions: dict[str, list[str]] = Field(
        default_factory=dict, description="term -> longer phrases containing it that do not mean it."
    )
    pinyin: dict[str, str] = Field(
        default_factory=dict, description="latin abbreviation (whole token) -> the term it stands for."
    )
    variants: dict[str, str] = Field(default_factory=dict, description="variant character -> plain character.")

    @field_validator("variants")
    @classmethod
    def _single_chars(cls, v: dict[str, str]) -> dict[str, str]:
        for a, b in v.items():
            if len(a) != 1 or len(b) != 1:
                raise ValueError(f"variants map one character to one character, got {a!r}: {b!r}")
        return v

    @field_validator("pinyin")
    @classmethod
    def _latin(cls, v: dict[str, str]) -> dict[str, str]:
        for a in v:
            if not a.isascii() or not a.isalpha():
                raise ValueError(f"pinyin abbreviations are latin letters, got {a!r}")
        return {a.lower(): b for a, b in v.items()}
