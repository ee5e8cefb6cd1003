"""The `smoke` command. Each module in ``smoke/commands/`` contributes its commands
through a module-level ``COMMANDS`` list of click commands or groups, so areas of
the app add commands without touching this file."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import click

import smoke.commands
from config import ConfigError
from config.settings import get_settings
from smoke.errors import kind_of, reading


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="smokewatch")
def cli() -> None:
    """smokewatch: early warning for illegal fundraising (非法集资) and pyramid schemes (传销).

    Crawl sources, index their text, score each company's smoke index (冒烟指数,
    0-100, 60+ is high risk) with evidence, alert and export.

    \b
    Exit codes (smoke.errors, smoke.runstate):
      0  done (a run: complete)
      1  failed
      2  bad configuration or usage (one line names the file and what is wrong)
      3  store or account database unreadable (corrupt, unreachable)
      4  partial: the run finished but some source was not crawled in full
      5  busy: another run holds the store's lock (see --wait)
    """


def _load_commands() -> None:
    for info in sorted(pkgutil.iter_modules(smoke.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"smoke.commands.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            cli.add_command(command)


_load_commands()


def main() -> None:
    """Run the CLI; a project error ends it with one line and its exit code (smoke.errors)."""
    try:
        with reading(_store_path(), "store"):
            cli.main(standalone_mode=True)
    except Exception as exc:
        kind = kind_of(exc)
        if kind is None:
            raise
        for line in str(exc).strip().splitlines() or [type(exc).__name__]:  # one line per problem
            click.echo(f"{kind.label}: {line}", err=True)
        sys.exit(kind.exit_code)


def _store_path() -> Path:
    """The store a stray SQLite corruption error is about (commands given another file
    or the account database name theirs themselves)."""
    try:
        return get_settings().sqlite_path
    except ConfigError:
        return Path("$SMOKE_HOME/smoke.db")
