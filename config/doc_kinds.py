"""Schema of ``config/doc_kinds.yaml``: the document kinds shown to regulators, their
Chinese labels, and the cues that tell a warning or a news report from a promotion."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from config import config_path, load_yaml

DocKind = Literal["promotion", "complaint", "judgment", "registry", "warning", "news"]


class KindRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: DocKind
    title: list[str] = Field(default_factory=list, description="Substrings of the title that give this kind.")
    lede: list[str] = Field(default_factory=list, description="Substrings of the text's start that give it.")


class DocKindsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    labels: dict[DocKind, str] = Field(description="Chinese label of every kind, as pages, exports and the CLI show it.")
    by_source_kind: dict[str, DocKind] = Field(description="The kind a source kind's documents have by default.")
    lede_chars: int = Field(80, ge=0, le=2000, description="How far into the text lede cues are looked for.")
    rules: list[KindRule] = Field(default_factory=list, description="Tried in order on promo pages; first match wins.")

    @model_validator(mode="after")
    def _complete(self) -> DocKindsConfig:
        missing = [k for k in DocKind.__args__ if k not in self.labels]  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"labels: missing {', '.join(missing)}")
        return self


def load_doc_kinds(path: Path | None = None) -> DocKindsConfig:
    return load_yaml(Path(path or config_path("doc_kinds.yaml")), DocKindsConfig)


@lru_cache(maxsize=1)
def doc_kinds() -> DocKindsConfig:
    """The configured kinds, read once per process."""
    return load_doc_kinds()
