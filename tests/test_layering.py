"""Data flows one way (DESIGN.md): lower layers never import upper ones, and nothing
that crawls, indexes or scores may import the sandbox (so the scorer cannot learn the
generator's word lists)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> top-level packages of ours it must never import
FORBIDDEN = {
    "config": {"crawlers", "indexing", "scoring", "smoke", "sandbox"},
    "indexing": {"crawlers", "scoring", "smoke", "sandbox"},
    "scoring": {"crawlers", "smoke", "sandbox"},
    "crawlers": {"scoring", "smoke", "sandbox"},
}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_layering(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no Python files"
    offenders = []
    for path in files:
        bad = imported_top_levels(path) & FORBIDDEN[package]
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom sandbox.world import generate\nimportlib.import_module('smoke.cli')\n")
    assert {"sandbox", "smoke"} <= imported_top_levels(bad)
