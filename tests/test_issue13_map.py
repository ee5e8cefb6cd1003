"""docs/issue13-defects.md maps each of issue 13's "Why" defects to the tests that guard it. The
map cannot rot: every test it names exists (the file, and a test function of that name in it),
every row names at least one test, and every test of the issue-13 test files is in the map."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "docs" / "issue13-defects.md"
REF = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")
ROW = re.compile(r"^\| (\d+) \| (\w+) \| (.+?) \| (.+) \|$")
SELF_CHECKS = {"test_the_scan_finds_the_audit_calls"}  # checks of a test's own machinery, no defect
AREAS = {"Search", "Evidence", "Exports", "Alerts", "Pages", "Code"}


@cache
def collected_tests(path: Path) -> frozenset[str]:
    """Names of the test functions pytest collects from a file (module level and in Test classes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name.startswith("Test")):
        names |= {n.name for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    return frozenset(n for n in names if n.startswith("test_"))


def rows() -> list[tuple[int, str, str, list[tuple[str, str]]]]:
    out = []
    for line in MAP.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            out.append((int(m.group(1)), m.group(2), m.group(3), REF.findall(m.group(4))))
    return out


def test_one_row_per_defect_each_with_a_test() -> None:
    table = rows()
    assert len(table) >= 30, "the issue lists about 30 defects under Why"
    assert [n for n, *_ in table] == list(range(1, len(table) + 1))
    assert {area for _, area, _, _ in table} == AREAS
    assert [n for n, _, _, refs in table if not refs] == []


def test_every_named_test_exists() -> None:
    missing = []
    for n, _, _, refs in rows():
        for file, name in refs:
            path = ROOT / file
            if not path.is_file() or name not in collected_tests(path):
                missing.append(f"row {n}: {file}::{name}")
    assert missing == [], missing


def test_every_issue13_test_is_in_the_map() -> None:
    named = {ref for *_, refs in rows() for ref in refs}
    files = [*ROOT.glob("tests/test_issue13_*.py"), *ROOT.glob("tests/web/test_issue13_*.py")]
    assert len(files) >= 3
    unmapped = []
    for path in files:
        if path.name == "test_issue13_map.py":
            continue  # the map's own checks
        rel = str(path.relative_to(ROOT))
        unmapped += [f"{rel}::{t}" for t in sorted(collected_tests(path))
                     if (rel, t) not in named and t not in SELF_CHECKS]
    assert unmapped == [], f"docs/issue13-defects.md does not name: {unmapped}"


def test_the_checker_sees_a_missing_test(tmp_path: Path) -> None:
    # the map test can fail: a name that is not a test function in the file is not found
    path = tmp_path / "t.py"
    path.write_text("def test_a():\n    pass\n\ndef helper():\n    pass\n", encoding="utf-8")
    assert collected_tests(path) == {"test_a"}
