"""docs/analyser.md is the rules in config/analyser.yaml, so what analysts read is what analyses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_docs_analyser_md_matches_config() -> None:
    spec = importlib.util.spec_from_file_location("gen_analyser_docs", ROOT / "scripts" / "gen_analyser_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered = module.render()
    assert "#### `negation_before`" in rendered and "## Risk weights" in rendered and "withdrawal_halt" in rendered
    assert (ROOT / "docs" / "analyser.md").read_text(encoding="utf-8") == rendered, (
        "docs/analyser.md is stale: run python scripts/gen_analyser_docs.py")
