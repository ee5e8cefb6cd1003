"""The `smoke` command. Each module in ``smoke/commands/`` contributes its commands
through a module-level ``COMMANDS`` list of click commands or groups, so areas of
the app add commands without touching this file."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

import smoke.commands
from config import ConfigError
from indexing.store.base import StoreError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="smokewatch")
def cli() -> None:
    """smokewatch: early warning for illegal fundraising (非法集资) and pyramid schemes (传销).

    Crawl sources, index their text, score each company's smoke index (冒烟指数,
    0-100, 60+ is high risk) with evidence, alert and export.
    """


def _load_commands() -> None:
    for info in sorted(pkgutil.iter_modules(smoke.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"smoke.commands.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            cli.add_command(command)


_load_commands()


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except ConfigError as exc:
        click.echo(f"config error: {exc}", err=True)
        sys.exit(2)
    except StoreError as exc:
        click.echo(f"store error: {exc}", err=True)
        sys.exit(3)
