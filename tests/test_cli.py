"""Every command answers --help, and docs/cli.md is what the commands say of themselves."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from smoke.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {"run", "search", "company", "export", "analyze-text", "sandbox", "evaluate", "backtest", "crawl",
            "runs", "serve", "users", "schedule", "alerts", "index", "lexicon", "calibrate"}


def _gen():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_all_product_commands_are_there() -> None:
    assert set(cli.commands) >= EXPECTED, EXPECTED - set(cli.commands)


@pytest.mark.parametrize("path", [p for p, _ in _gen().walk(cli, ["smoke"])], ids=" ".join)
def test_every_command_has_help(path: list[str]) -> None:
    result = CliRunner().invoke(cli, [*path[1:], "--help"], prog_name="smoke")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    # a real description, not just the usage line
    assert len([line for line in result.output.splitlines() if line.strip()]) >= 3


def test_docs_cli_md_matches_the_code() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == _gen().render(), "docs/cli.md is stale: run python scripts/gen_cli_docs.py"
