"""The everyday commands: run a cycle, search companies, show one company."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import click

from config.settings import get_settings
from indexing.models import LEVELS


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    """Pad to a display width: Chinese characters take two columns in a terminal."""
    return s + " " * max(0, width - _width(s))


def _clean(s: str) -> str:
    """Crawled text is hostile: strip control characters before printing to a terminal."""
    return "".join(ch for ch in s if ch.isprintable())


ZH = {level: zh for _, level, zh in LEVELS}


@click.command("run")
@click.option("--world", "world_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Sandbox world to serve and crawl (default: the demo world under SMOKE_HOME).")
@click.option("--as-of", help="Date the sandbox serves and the scores are computed for (YYYY-MM-DD).")
@click.option("--source", "sources", multiple=True, help="Crawl only these sources (config/sources/<name>.yaml).")
@click.option("--live/--sandbox", default=None,
              help="Crawl the configured sources directly, or serve and crawl the sandbox world "
                   "(default: SMOKE_SOURCES, sandbox unless set).")
@click.option("--top", default=50, show_default=True, help="How many high-risk companies to print (the export has all).")
@click.option("--wait", "wait_s", default=0.0, show_default=True, type=click.FloatRange(0, 86400), metavar="SECONDS",
              help="When another run holds the store, wait this long for it (0: exit 5 at once, naming it).")
def run_command(world_dir: Path | None, as_of: str | None, sources: tuple[str, ...], live: bool | None,
                top: int, wait_s: float) -> None:
    """Run one full monitoring cycle: crawl, index, score, alert, export.

    Prints the ranked high-risk list (smoke index >= 60) at the end. One cycle at a
    time per store. Exit status 0 when complete, 4 when partial (a source failed or
    was blocked: the export is named *.partial.csv, its manifest and the alerts say
    so), 1 when every source failed, 5 when another run holds the store.
    """
    from smoke.cycle import run_cycle
    from smoke.runstate import exit_code

    result = run_cycle(get_settings(), world_dir=world_dir, as_of=as_of, sources=list(sources) or None,
                       use_sandbox=None if live is None else not live, wait_s=wait_s)
    _print_ranked(result, top)
    code = exit_code(result.run.status)
    if code:
        click.echo(f"cycle {result.run.status.upper()}: {result.run.message}", err=True)
        sys.exit(code)


def _print_ranked(result, top: int) -> None:
    from indexing.store import open_store

    click.echo("")
    click.echo(f"冒烟指数 high-risk list as of {result.as_of}: {len(result.high_risk)} of {result.scored} "
               f"companies at 60 or above")
    click.echo(f"{'#':>3}  {'index':>5}  {'band':<6}  {'credit code':<18}  name")
    with open_store() as store:
        for rank, score in enumerate(result.high_risk[:top], 1):
            company = store.get_company(score.credit_code)
            name = _clean(company.name) if company else ""
            band = f"{score.level}/{ZH.get(score.level, '')}"
            click.echo(f"{rank:>3}  {score.smoke_index:>5.1f}  {_pad(band, 6)}  {score.credit_code:<18}  {name}")
    if len(result.high_risk) > top:
        click.echo(f"  ... and {len(result.high_risk) - top} more (see the export)")
    if result.export_path:
        note = "" if result.run.status == "ok" else f"  (PARTIAL: crawl {result.run.status}; see its manifest)"
        click.echo(f"\nexport: {result.export_path}{note}")
    click.echo(f"alerts: {result.new_alerts} new; delivery {json.dumps(result.delivery, ensure_ascii=False)}")
    for name, stats in sorted(result.run.sources.items()):
        errors = sum(stats.errors.values())
        flag = f"  BLOCKED: {stats.blocked_reason}" if stats.blocked else ""
        if stats.skipped:
            flag = f"  SKIPPED: {stats.skipped}"
        click.echo(f"source {name}: {stats.pages} pages, {stats.items} items, {errors} errors{flag}")


@click.command("search")
@click.argument("query")
@click.option("--min-score", type=float, help="Only companies whose smoke index is at least this.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON array on stdout.")
def search_command(query: str, min_score: float | None, limit: int, as_json: bool) -> None:
    """Search companies by name, former name, credit code or keyword."""
    from indexing.store import CompanyQuery, open_store

    with open_store() as store:
        page = store.search_companies(CompanyQuery(text=query, min_score=min_score, sort="relevance" if query.strip() else "score", limit=limit))
        rows = [
            {
                "name": h.company.name,
                "credit_code": h.company.credit_code,
                "smoke_index": None if h.smoke_index is None else round(h.smoke_index, 1),
                "level": h.level,
                "region_code": h.company.region_code,
                "industry": h.company.industry,
            }
            for h in page.hits
        ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no company matches {query!r}", err=True)
        return
    for r in rows:
        idx = "  -  " if r["smoke_index"] is None else f"{r['smoke_index']:>5.1f}"
        click.echo(f"{idx}  {_pad(r['level'] or '', 6)}  {r['credit_code']}  {_clean(r['name'])}")
    click.echo(f"({page.total} matches)", err=True)


@click.command("company")
@click.argument("name_or_code")
@click.option("--json", "as_json", is_flag=True, help="The full profile as JSON.")
def company_command(name_or_code: str, as_json: bool) -> None:
    """Show one company's smoke index, dimensions and the evidence behind every point."""
    from indexing.store import open_store
    from smoke.evidence import cite, evidence_key, marked_text, registry_facts
    from smoke.profile import company_profile

    with open_store() as store:
        profile = company_profile(store, name_or_code)
        company = store.get_company(profile["credit_code"]) if profile else None
    if profile is None:
        click.echo(f"no company found for {name_or_code!r}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(profile, ensure_ascii=False, indent=2))
        return
    click.echo(f"{_clean(profile['name'])}  {profile['credit_code']}")
    for label, value in registry_facts(company) if company else []:  # the registry's facts first
        click.echo(f"  {label}：{_clean(value)[:160]}")
    if profile["smoke_index"] is None:
        click.echo("not scored yet")
        return
    click.echo(f"冒烟指数 {profile['smoke_index']:.1f}  {profile['level']}/{profile['level_zh']}  "
               f"(as of {profile['as_of']}, model {profile['model_version']}, "
               f"lexicon {profile['versions'].get('lexicon', '-')}, analyser {profile['versions'].get('analyser', '-')})")
    click.echo("dimensions: " + ", ".join(f"{k} {v:.0f}" for k, v in profile["dimensions"].items()))
    seen: dict[tuple[str, str], str] = {}  # a sentence cited by several indicators is quoted once
    marks = {evidence_key(c): c.marks for c in cite(profile["indicators"], per_indicator=3)}  # all their words marked
    zero = 0
    for ind in profile["indicators"]:
        if ind["points"] <= 0:
            zero += 1
            continue
        label = _clean(ind["label"] or ind["id"])
        click.echo(f"  {ind['points']:>5.1f}  {ind['id']}  {label}")
        for ev in ind["evidence"][:3]:
            key = evidence_key(ev)
            if key in seen:
                click.echo(f"         (同一句证据，见上文「{seen[key]}」)")
                continue
            seen[key] = label
            click.echo(f"         {ev['date'] or '':<10}  {ev['url']}")
            click.echo(f"         {_clean(marked_text(ev['snippet'], marks.get(key, ev.get('marks'))))[:160]}")
    if zero:
        click.echo(f"({zero} indicators with 0 points not shown; --json lists them)", err=True)


COMMANDS = [run_command, search_command, company_command]
