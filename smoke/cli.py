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
from smoke import cli_text
from smoke.errors import kind_of, reading


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="smokewatch")
# SMOKE_LANG is read by cli_text.resolve_lang, not by click: a wrong value there falls back to
# Chinese instead of failing a scheduled run; a wrong --lang is a usage error.
@click.option("--lang", type=click.Choice(cli_text.LANGS), default=None, metavar="zh|en",
              help="输出语言：zh 中文（默认）或 en 英文；未给出时读环境变量 SMOKE_LANG。"
                   "Language of the output: zh (default) or en; without it, SMOKE_LANG.")
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """冒烟指数：非法集资与传销风险预警。

    \b
    采集数据源、索引文本，为每家企业计算冒烟指数（0-100，60 分及以上为高风险）
    并给出证据，发出预警，导出名单。输出默认中文（--lang en 为英文），
    时间均为北京时间（Asia/Shanghai）。

    smokewatch: early warning for illegal fundraising (非法集资) and pyramid schemes (传销).
    Crawl sources, index their text, score each company's smoke index (0-100, 60+ is
    high risk) with evidence, alert and export. Output is Chinese unless --lang en;
    times are Asia/Shanghai.

    \b
    退出码 Exit codes (smoke.errors, smoke.runstate):
      0  完成 done (a run: complete)
      1  失败 failed
      2  配置或用法错误 bad configuration or usage (one line names the file and what is wrong)
      3  存储或账户库不可读 store or account database unreadable (corrupt, unreachable)
      4  部分完成 partial: the run finished but some source was not crawled in full
      5  忙 busy: another run holds the store's lock (see --wait)
    """
    cli_text.set_lang(ctx, cli_text.resolve_lang(lang))


def _load_commands() -> None:
    for info in sorted(pkgutil.iter_modules(smoke.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"smoke.commands.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            cli.add_command(command)


_load_commands()


def main() -> None:
    """Run the CLI; a project error ends it with one line and its exit code (smoke.errors)."""
    cli_text.forget_lang()
    try:
        with reading(_store_path(), "store"):
            cli.main(standalone_mode=True)
    except Exception as exc:
        kind = kind_of(exc)
        if kind is None:
            raise
        for line in str(exc).strip().splitlines() or [type(exc).__name__]:  # one line per problem
            click.echo(cli_text.t("err.line", label=cli_text.t("err." + kind.label), line=line), err=True)
        sys.exit(kind.exit_code)


def _store_path() -> Path:
    """The store a stray SQLite corruption error is about (commands given another file
    or the account database name theirs themselves)."""
    try:
        return get_settings().sqlite_path
    except ConfigError:
        return Path("$SMOKE_HOME/smoke.db")
