"""scoring/ never imports sandbox/ or the app layer (DESIGN.md: the scorer must not learn
the generator's word lists)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_scoring_imports_neither_sandbox_nor_app_layer() -> None:
    files = sorted((ROOT / "scoring").rglob("*.py"))
    assert files
    for f in files:
        bad = _imports(f) & {"sandbox", "smoke", "crawlers"}
        assert not bad, f"{f.relative_to(ROOT)} imports {bad}"


def test_lexicon_config_imports_nothing_of_ours() -> None:
    for name in ("lexicon.py", "model.py", "analyser.py"):
        assert _imports(ROOT / "config" / name) <= {"__future__", "pydantic", "config", "re", "typing"}
