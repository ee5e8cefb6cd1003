"""The everyday commands: run a cycle, search companies, show one company."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import click

from config.settings import get_settings
from smoke.labels import level_names


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    """Pad to a display width: Chinese characters take two columns in a terminal."""
    return s + " " * max(0, width - _width(s))


def _clean(s: str) -> str:
    """Crawled text is hostile: strip control characters before printing to a terminal."""
    return "".join(ch for ch in s if ch.isprintable())


ZH = level_names()  # one place: smoke.labels


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
    from smoke.service.threshold import high_risk

    click.echo(f"冒烟指数 high-risk list as of {result.as_of}: {len(result.high_risk)} of {result.scored} "
               f"companies at {high_risk():g} or above")
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


SEARCH_SORTS = ("relevance", "index", "rise", "date", "name")


def strict_filters(params: dict, spec) -> object:
    """The service's strict filter parser; a bad value is a usage error naming the option."""
    from smoke.service.filters import FilterError, parse_filters

    try:
        return parse_filters({k: v for k, v in params.items() if v not in (None, "")}, spec, strict=True)
    except FilterError as exc:
        raise click.UsageError(f"--{exc.field.replace('_', '-')}: expected {exc.expected}"
                               + ("" if exc.got is None else f" (got {exc.got!r})")) from None


@click.command("search")
@click.argument("query")
@click.option("--what", type=click.Choice(["all", "companies", "documents"]),
              help="What to list (default: all for a query; companies for an empty query, a listing).")
@click.option("--sort", type=click.Choice(SEARCH_SORTS),
              help="Order: relevance (a query's default), index (smoke index, risk first; a listing's default), "
                   "rise (7-day rise), date (newest documents first), name.")
@click.option("--min-score", type=float, help="Only companies whose smoke index is at least this.")
@click.option("--max-score", type=float, help="Only companies whose smoke index is at most this.")
@click.option("--region", help="Region code prefix (44, 4403) or province name (广东).")
@click.option("--industry", help="Industry, exactly as the registry gives it.")
@click.option("--level", help="Band: green, blue, yellow, orange, red (or 绿 蓝 黄 橙 红).")
@click.option("--kind", "doc_kind", help="Document kind: promotion, complaint, judgment, registry, warning, news.")
@click.option("--date-from", help="Documents published on or after this date (YYYY-MM-DD).")
@click.option("--date-to", help="Documents published on or before this date (YYYY-MM-DD).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Rows per list.")
@click.option("--json", "as_json", is_flag=True,
              help="JSON on stdout: an array for --what companies or documents, else an object "
                   "{companies, documents, concerned} with totals.")
def search_command(query: str, what: str | None, sort: str | None, min_score: float | None,
                   max_score: float | None, region: str | None, industry: str | None, level: str | None,
                   doc_kind: str | None, date_from: str | None, date_to: str | None, limit: int,
                   as_json: bool) -> None:
    """Search companies and crawled documents (搜索企业与文档).

    Lists the companies matching by name, former name, credit code or keyword; the
    documents whose text matches (promotions, complaints, judgments, warnings, news);
    and the companies those documents concern, risk first. Query syntax: words,
    "a phrase", AND / OR / NOT, -word.
    """
    from smoke.service.doc_kinds import doc_kind_labels
    from smoke.service.filters import FilterSpec
    from smoke.service.search import (
        company_row,
        concerned_companies,
        document_row,
        search_companies,
        search_documents,
    )
    from smoke.service.store import open_existing_store

    spec = FilterSpec.of("q", "region", "industry", "level", "min_score", "max_score", "kind", "date_from",
                         "date_to", "sort", "limit", sorts=SEARCH_SORTS, max_limit=1000)
    f = strict_filters({"q": query, "region": region, "industry": industry, "level": level, "min_score": min_score,
                 "max_score": max_score, "kind": doc_kind, "date_from": date_from, "date_to": date_to,
                 "sort": sort, "limit": limit}, spec)
    what = what or ("all" if f.q else "companies")
    out: dict = {}
    with open_existing_store() as store:
        if what in ("all", "companies"):
            hits, total, capped = search_companies(store, f)
            out["companies"] = [company_row(h.company, h.smoke_index, h.level) for h in hits]
            out["companies_total"] = total
            if capped:  # more match than the store counts (core.COUNT_CAP): total is a lower bound
                out["companies_total_capped"] = True
        if what in ("all", "documents"):
            docs = search_documents(store, f)
            out["documents"] = [document_row(h.document, docs.kinds.get(h.document.id, ""), h.highlight)
                                for h in docs.hits]
            out["documents_total"] = docs.total
            if docs.capped:
                out["documents_total_capped"] = True
        if what == "all":
            concerned, n = concerned_companies(store, f, limit=f.limit)
            out["concerned"] = [{**company_row(c.company, c.smoke_index, c.level), "documents": c.documents}
                                for c in concerned]
            out["concerned_total"] = n
    if as_json:
        if what == "companies":  # the listing's shape, as before: one array of companies
            rows = [{**r, "region_code": r.pop("region")} for r in out["companies"]]
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        elif what == "documents":
            click.echo(json.dumps(out["documents"], ensure_ascii=False, indent=2))
        else:
            click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    labels = doc_kind_labels()
    shown = 0
    if "companies" in out:
        none = "" if out["companies"] else "：名称、曾用名、信用代码无匹配 (no name or code matches)"
        click.echo(f"企业 companies ({out['companies_total']}{'+' if out.get('companies_total_capped') else ''}){none}")
        for r in out["companies"]:
            click.echo(_company_line(r))
        shown += len(out["companies"])
    if "documents" in out:
        click.echo(f"文档 documents ({out['documents_total']}{'+' if out.get('documents_total_capped') else ''})")
        for d in out["documents"]:
            date = d["published"] or d["fetched"][:10]
            click.echo(f"  {date:<10}  {_pad(labels.get(d['kind'], d['kind']), 8)}  {_clean(d['title'] or d['url'])[:60]}")
            click.echo(f"              {d['url']}")
        shown += len(out["documents"])
    if "concerned" in out:
        click.echo(f"文档涉及的企业 companies these documents concern ({out['concerned_total']})")
        for r in out["concerned"]:
            click.echo(f"{_company_line(r)}  ({r['documents']} 篇)")
        shown += len(out["concerned"])
    if not shown:
        click.echo(f"没有匹配 {query!r} 的企业或文档 (no company or document matches)", err=True)


def _company_line(r: dict) -> str:
    idx = "  -  " if r["smoke_index"] is None else f"{r['smoke_index']:>5.1f}"
    band = ZH.get(r["level"], "")
    return f"  {idx}  {_pad(band, 2)}  {r['credit_code']}  {_clean(r['name'])}"


@click.command("company")
@click.argument("name_or_code")
@click.option("--json", "as_json", is_flag=True, help="The full profile as JSON.")
def company_command(name_or_code: str, as_json: bool) -> None:
    """Show one company's registry facts, smoke index, dimensions and the evidence behind
    every point (each sentence quoted once, matched words in 【】).

    NAME_OR_CODE is a 统一社会信用代码 (full-width forms too) or the exact company
    name. A name shared by several companies, or a partial name, lists the candidates
    and exits 1: give the credit code then.
    """
    from smoke.evidence import cite, evidence_key, marked_text, registry_facts
    from smoke.profile import company_profile
    from smoke.service.companies import lookup_company
    from smoke.service.store import open_existing_store

    with open_existing_store() as store:
        found = lookup_company(store, name_or_code, suggest=10)
        company = found.company
        profile = company_profile(store, company.credit_code) if company else None
        scores = store.latest_scores(c.credit_code for c in found.candidates) if found.candidates else {}
    if profile is None:
        if found.status == "ambiguous":
            click.echo(f"ambiguous: {found.matches} matches: {found.matches} 家企业名为 {name_or_code!r}；"
                       f"请给出统一社会信用代码", err=True)
        elif found.matches > 1:
            click.echo(f"ambiguous: {found.matches} matches: 没有名为 {name_or_code!r} 的企业；"
                       f"{found.matches} 家企业与之相关，请给出全称或统一社会信用代码", err=True)
        else:
            hint = "; did you mean (是否要找):" if found.candidates else ""
            click.echo(f"no company found for {name_or_code!r} (未找到该企业){hint}", err=True)
        for c in found.candidates:
            sc = scores.get(c.credit_code)
            click.echo(_company_line({"credit_code": c.credit_code, "name": c.name,
                                      "smoke_index": sc.smoke_index if sc else None, "level": sc.level if sc else ""}),
                       err=True)
        if found.matches > len(found.candidates):
            click.echo(f"  … and {found.matches - len(found.candidates)} more", err=True)
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
