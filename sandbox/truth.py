"""The ground truth of a world (``truth/``): only tests, evaluation, backtests and
benchmarks read it. Streamed, one object per line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sandbox.world import iter_json_lines


def iter_companies(world_dir: Path) -> Iterator[dict[str, Any]]:
    """Per company: credit_code, name, names, is_scheme, archetype, lookalike, launch,
    collapse, reborn_from, founded, brands."""
    return iter_json_lines(Path(world_dir) / "truth" / "companies.jsonl")


def iter_documents(world_dir: Path) -> Iterator[dict[str, Any]]:
    """Per document: url, kind (promo / recruit / complaint / judgment / warning / news /
    other), credit_codes, date."""
    return iter_json_lines(Path(world_dir) / "truth" / "documents.jsonl")
