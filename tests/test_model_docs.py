"""docs/model.md is the model in config/model.yaml, so what auditors read is what scores."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_docs_model_md_matches_config() -> None:
    spec = importlib.util.spec_from_file_location("gen_model_docs", ROOT / "scripts" / "gen_model_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered = module.render()
    assert "compliance.criminal_case" in rendered and "## Hard rules" in rendered
    assert (ROOT / "docs" / "model.md").read_text(encoding="utf-8") == rendered, (
        "docs/model.md is stale: run python scripts/gen_model_docs.py")
