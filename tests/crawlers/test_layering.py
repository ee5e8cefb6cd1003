"""crawlers/ never imports sandbox/ or smoke/ (the scorer and crawlers must not learn the
generator's word lists); config/sources.py imports nothing of ours but config."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module.split(".")[0])
    return out


def test_crawlers_do_not_import_sandbox_or_app():
    bad = {str(p.relative_to(ROOT)): imported(p) & {"sandbox", "smoke", "scoring"} for p in (ROOT / "crawlers").rglob("*.py")}
    assert not {k: v for k, v in bad.items() if v}


def test_source_schema_imports_only_config():
    ours = imported(ROOT / "config" / "sources.py") & {"crawlers", "indexing", "scoring", "smoke", "sandbox"}
    assert not ours
