"""`smoke export`: high-risk companies with evidence, for auditors, with a manifest."""

from __future__ import annotations

from pathlib import Path

import click

from smoke import cli_text
from smoke.cli_text import t
from smoke.exports import FORMATS, LANGS, ExportError, format_for, manifest_path, write_export


@click.command("export")
@click.option("--min-score", default=None, type=click.FloatRange(0, 100),
              help="最低冒烟指数（默认为高风险线）。 Lowest smoke index (default: the model's high-risk threshold, 60).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="文件格式。 File format (default: from -o's suffix, else csv).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出文件。 File to write.")
@click.option("--region", default="", help="地区：代码前缀或名称。 Region: a code prefix (44, 4403) or a name (广东, 广东省, 深圳, 南山区).")
@click.option("--industry", default="", help="行业（精确匹配）。 Exact industry.")
@click.option("--level", default=None, help="只导出此等级。 Only this band: green, blue, yellow, orange, red (or 绿 蓝 黄 橙 红).")
@click.option("--max-score", type=click.FloatRange(0, 100), default=None, help="最高冒烟指数。 Highest smoke index.")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="文件的表头、工作表与来源名称及本命令的提示：中文，或英文（列标识）；默认随全局 "
                   "--lang / SMOKE_LANG。Headers, sheet and source names (and this command's messages): "
                   "Chinese, or English (the column ids); default: the global --lang (SMOKE_LANG), zh.")
@click.option("--as-of", default=None, help="写入清单文件的数据日期。 Data as-of date to record in the manifest (default: newest score date).")
@click.option("--wait", "wait_s", default=0.0, show_default=True, type=click.FloatRange(0, 86400), metavar="SECONDS",
              help="另一导出正在进行时等待的秒数。 When another export of this store is running, wait this long (0: exit 5 at once).")
def export(
    min_score: float | None,
    fmt: str | None,
    output: Path,
    region: str,
    industry: str,
    level: str | None,
    max_score: float | None,
    lang: str | None,
    as_of: str | None,
    wait_s: float,
) -> None:
    """导出冒烟指数不低于 --min-score 的企业及其证据（CSV、XLSX 或 JSONL），附清单文件。

    Export companies at or above --min-score as CSV (UTF-8 with BOM), XLSX or JSONL.

    Rows carry region names, the top indicators and their quoted sentences (matched words
    in 【】) with dates; the XLSX workbook adds an evidence sheet (one row per quoted
    sentence, with a hyperlink to its source) and band colours. Headers are Chinese
    (--lang en: the English column ids, as in JSONL). An output suffix other than .csv/.xlsx/.jsonl is an error unless
    --format is given.

    Writes OUTPUT and OUTPUT.manifest.json (filters, model, lexicon and analyser
    versions, as-of date, row count, SHA-256, and the state of the newest crawl per
    source: ``complete`` is false after a partial crawl); each row carries its three
    versions. Rows are ordered by index then credit code, so the same data and versions
    always give the same rows.
    """
    from config.settings import get_settings
    from smoke.commands.core import strict_filters
    from smoke.locking import store_lock
    from smoke.runstate import crawl_state, latest_crawl
    from smoke.service.filters import FilterSpec
    from smoke.service.store import open_existing_store
    from smoke.service.threshold import high_risk

    if lang is not None:  # `smoke export --lang en`: the file and what this command prints
        cli_text.set_lang(click.get_current_context(), lang)
    lang = cli_text.current_lang()
    spec = FilterSpec.of("region", "industry", "level", "min_score", "max_score")
    f = strict_filters({"region": region, "industry": industry, "level": level, "min_score": min_score,
                        "max_score": max_score}, spec)
    min_score = high_risk() if f.min_score is None else f.min_score
    filters = {"region": f.region, "industry": f.industry, "level": f.level or None, "max_score": f.max_score}
    try:
        fmt = format_for(output, fmt)
    except ExportError as exc:  # a wrong -o suffix or --format is a usage error (exit 2)
        raise click.UsageError(str(exc)) from None
    try:
        click.echo(t("export.start", min_score=f"{min_score:g}"), err=True)
        settings = get_settings()
        with store_lock(settings, "export", what="smoke export", timeout_s=wait_s), \
                open_existing_store(settings) as store:  # never an empty store made here
            manifest = write_export(store, output, fmt=fmt, min_score=min_score, filters=filters, as_of=as_of,
                                    crawl=crawl_state(latest_crawl(store)), lang=lang)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    lines = [t("export.wrote", rows=manifest["row_count"], path=output, fmt=fmt, manifest=manifest_path(output))]
    if not manifest["complete"]:
        status = manifest["crawl"]["status"]
        lines.append(t("export.no_crawl") if status == "unknown"  # no crawl recorded (smoke.runstate.crawl_state)
                     else t("export.partial", status=cli_text.run_status(status)))
    lines.append(t("export.versions", sha=manifest["sha256"], model=", ".join(manifest["model_versions"]) or "-",
                   lexicon=", ".join(manifest["lexicon_versions"]) or "-",
                   analyser=", ".join(manifest["analyser_versions"]) or "-", as_of=manifest["as_of"] or "-"))
    if not manifest["row_count"]:
        lines.append(t("export.empty"))
    click.echo("\n".join(lines))


COMMANDS = [export]
