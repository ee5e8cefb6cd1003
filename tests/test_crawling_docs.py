"""docs/crawling.md lists every field of a source file, so operators can trust it."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from config.sources import SourceConfig

DOC = Path(__file__).resolve().parent.parent / "docs" / "crawling.md"


def field_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    paths = set()
    for name, f in model.model_fields.items():
        sub = f.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            paths |= field_paths(sub, f"{prefix}{name}.")
        else:
            paths.add(prefix + name)
    return paths


def test_every_source_field_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", DOC.read_text(encoding="utf-8"), re.M))
    declared = field_paths(SourceConfig)
    assert declared - documented == set(), "fields missing from docs/crawling.md"
    assert documented - declared == set(), "docs/crawling.md documents fields the schema does not have"
