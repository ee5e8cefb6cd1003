"""The everyday commands: run a cycle, search companies, show one company."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import click

from config.settings import get_settings
from smoke import cli_text as txt
from smoke.cli_text import json_text, t


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    """Pad to a display width: Chinese characters take two columns in a terminal."""
    return s + " " * max(0, width - _width(s))


def _clean(s: str) -> str:
    """Crawled text is hostile: strip control characters before printing to a terminal."""
    return "".join(ch for ch in s if ch.isprintable())


@click.command("run")
@click.option("--world", "world_dir", type=click.Path(path_type=Path, file_okay=False),
              help="沙盒世界目录。 Sandbox world to serve and crawl (default: the demo world under SMOKE_HOME).")
@click.option("--as-of", help="数据日期。 Date the sandbox serves and the scores are computed for (YYYY-MM-DD).")
@click.option("--source", "sources", multiple=True, help="只采集这些数据源。 Crawl only these sources (config/sources/<name>.yaml).")
@click.option("--live/--sandbox", default=None,
              help="直接采集已配置的数据源，或采集沙盒。 Crawl the configured sources directly, or serve and crawl the sandbox world "
                   "(default: SMOKE_SOURCES, sandbox unless set).")
@click.option("--top", default=50, show_default=True, help="打印多少家高风险企业。 How many high-risk companies to print (the export has all).")
@click.option("--wait", "wait_s", default=0.0, show_default=True, type=click.FloatRange(0, 86400), metavar="SECONDS",
              help="存储被其他运行占用时等待的秒数。 When another run holds the store, wait this long for it (0: exit 5 at once, naming it).")
def run_command(world_dir: Path | None, as_of: str | None, sources: tuple[str, ...], live: bool | None,
                top: int, wait_s: float) -> None:
    """运行一个完整监测周期：采集、索引、评分、预警、导出。

    Run one full monitoring cycle: crawl, index, score, alert, export.

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
        click.echo(t("run.status", status=txt.run_status(result.run.status) if not txt.is_en()
                     else result.run.status.upper(), message=result.run.message), err=True)
        sys.exit(code)


def _print_ranked(result, top: int) -> None:
    from indexing.store import open_store

    click.echo("")
    from smoke.service.threshold import high_risk

    click.echo(t("run.title", as_of=result.as_of, n=len(result.high_risk), scored=result.scored,
                 threshold=f"{high_risk():g}"))
    click.echo(f"{'#':>3}  {_pad(t('col.index'), 5)}  {_pad(t('col.band'), 6)}  {_pad(t('col.code'), 18)}  "
               f"{t('col.name')}")
    with open_store() as store:
        for rank, score in enumerate(result.high_risk[:top], 1):
            company = store.get_company(score.credit_code)
            name = _clean(company.name) if company else ""
            click.echo(f"{rank:>3}  {score.smoke_index:>5.1f}  {_pad(txt.level(score.level), 6)}  "
                       f"{score.credit_code:<18}  {name}")
    if len(result.high_risk) > top:
        click.echo(t("run.more", n=len(result.high_risk) - top))
    if result.export_path:
        note = "" if result.run.status == "ok" else t("run.export_partial", status=txt.run_status(result.run.status))
        click.echo("\n" + t("run.export", path=result.export_path) + note)
    # per channel counters as key=value (machine-readable in every language): email sent=3 failed=0 ...
    delivery = "; ".join(f"{ch} " + " ".join(f"{k}={v}" for k, v in c.items()) if isinstance(c, dict) else f"{ch}={c}"
                         for ch, c in sorted(result.delivery.items())) or "-"
    click.echo(t("run.alerts", n=result.new_alerts, delivery=delivery))
    for name, stats in sorted(result.run.sources.items()):
        errors = sum(stats.errors.values())
        flag = t("run.blocked", reason=stats.blocked_reason) if stats.blocked else ""
        if stats.skipped:
            flag = t("run.skipped", reason=stats.skipped)
        click.echo(t("run.source", name=name, pages=stats.pages, items=stats.items, errors=errors, flag=flag))


SEARCH_SORTS = ("relevance", "index", "rise", "date", "name")


def strict_filters(params: dict, spec) -> object:
    """The service's strict filter parser; a bad value is a usage error naming the option."""
    from smoke.service.filters import FilterError, parse_filters

    try:
        return parse_filters({k: v for k, v in params.items() if v not in (None, "")}, spec, strict=True)
    except FilterError as exc:
        raise click.UsageError(t("filter.expected", option=exc.field.replace("_", "-"), expected=exc.expected)
                               + ("" if exc.got is None else t("filter.got", got=repr(exc.got)))) from None


@click.command("search")
@click.argument("query")
@click.option("--what", type=click.Choice(["all", "companies", "documents"]),
              help="列出什么：全部、企业或文档。 What to list (default: all for a query; companies for an empty query, a listing).")
@click.option("--sort", type=click.Choice(SEARCH_SORTS),
              help="排序：相关度、指数、涨幅、日期、名称。 Order: relevance (a query's default), index (smoke index, risk first; a listing's default), "
                   "rise (7-day rise), date (newest documents first), name.")
@click.option("--min-score", type=float, help="只列冒烟指数不低于此值的企业。 Only companies whose smoke index is at least this.")
@click.option("--max-score", type=float, help="只列冒烟指数不高于此值的企业。 Only companies whose smoke index is at most this.")
@click.option("--region", help="地区：代码前缀或省份名称。 Region code prefix (44, 4403) or province name (广东).")
@click.option("--industry", help="行业（与登记信息一致）。 Industry, exactly as the registry gives it.")
@click.option("--level", help="等级。 Band: green, blue, yellow, orange, red (or 绿 蓝 黄 橙 红).")
@click.option("--kind", "doc_kind", help="文档类型。 Document kind: promotion, complaint, judgment, registry, warning, news.")
@click.option("--date-from", help="发布日期不早于。 Documents published on or after this date (YYYY-MM-DD).")
@click.option("--date-to", help="发布日期不晚于。 Documents published on or before this date (YYYY-MM-DD).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="每个列表的行数。 Rows per list.")
@click.option("--json", "as_json", is_flag=True,
              help="以 JSON 输出。 JSON on stdout: an array for --what companies or documents, else an object "
                   "{companies, documents, concerned} with totals.")
def search_command(query: str, what: str | None, sort: str | None, min_score: float | None,
                   max_score: float | None, region: str | None, industry: str | None, level: str | None,
                   doc_kind: str | None, date_from: str | None, date_to: str | None, limit: int,
                   as_json: bool) -> None:
    """搜索企业与文档。

    Search companies and crawled documents.

    Lists the companies matching by name, former name, credit code or keyword; the
    documents whose text matches (promotions, complaints, judgments, warnings, news);
    and the companies those documents concern, risk first. Query syntax: words,
    "a phrase", AND / OR / NOT, -word.
    """
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
            click.echo(json_text(rows, indent=2))
        elif what == "documents":
            click.echo(json_text(out["documents"], indent=2))
        else:
            click.echo(json_text(out, indent=2))
        return
    shown = 0
    if "companies" in out:
        none = "" if out["companies"] else t("search.no_company")
        click.echo(t("search.companies", n=f"{out['companies_total']}{'+' if out.get('companies_total_capped') else ''}") + none)
        if out["companies"]:
            click.echo(_company_header())
        for r in out["companies"]:
            click.echo(_company_line(r))
        shown += len(out["companies"])
    if "documents" in out:
        click.echo(t("search.documents", n=f"{out['documents_total']}{'+' if out.get('documents_total_capped') else ''}"))
        if out["documents"]:
            click.echo(f"  {_pad(t('col.date'), 10)}  {_pad(t('col.kind'), 10)}  {t('col.title')}")
        for d in out["documents"]:
            date = d["published"] or txt.when(d["fetched"])[:10]
            click.echo(f"  {date:<10}  {_pad(txt.doc_kind(d['kind']), 10)}  {_clean(d['title'] or d['url'])[:60]}")
            click.echo(f"              {d['url']}")
        shown += len(out["documents"])
    if "concerned" in out:
        click.echo(t("search.concerned", n=out["concerned_total"]))
        if out["concerned"]:
            click.echo(_company_header())
        for r in out["concerned"]:
            click.echo(f"{_company_line(r)}  {t('search.docs_of', n=r['documents'])}")
        shown += len(out["concerned"])
    if not shown:
        click.echo(t("search.none", query=repr(query)), err=True)


def _company_header() -> str:
    return f"  {_pad(t('col.index'), 5)}  {_pad(t('col.band'), 8)}  {_pad(t('col.code'), 18)}  {t('col.name')}"


def _company_line(r: dict) -> str:
    idx = "  -  " if r["smoke_index"] is None else f"{r['smoke_index']:>5.1f}"
    band = txt.level(r["level"]) if r["level"] else ""
    return f"  {idx}  {_pad(band, 8)}  {r['credit_code']}  {_clean(r['name'])}"


@click.command("company")
@click.argument("name_or_code")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出完整档案。 The full profile as JSON.")
def company_command(name_or_code: str, as_json: bool) -> None:
    """查看一家企业的登记信息、冒烟指数、各维度得分及每一分的证据。

    Show one company's registry facts, smoke index, dimensions and the evidence behind
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
            click.echo(t("company.ambiguous_name", n=found.matches, name=repr(name_or_code)), err=True)
        elif found.matches > 1:
            click.echo(t("company.ambiguous_part", n=found.matches, name=repr(name_or_code)), err=True)
        else:
            hint = t("company.did_you_mean") if found.candidates else ""
            click.echo(t("company.none", name=repr(name_or_code)) + hint, err=True)
        for c in found.candidates:
            sc = scores.get(c.credit_code)
            click.echo(_company_line({"credit_code": c.credit_code, "name": c.name,
                                      "smoke_index": sc.smoke_index if sc else None, "level": sc.level if sc else ""}),
                       err=True)
        if found.matches > len(found.candidates):
            click.echo(t("more", n=found.matches - len(found.candidates)), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json_text(profile, indent=2))
        return
    click.echo(f"{_clean(profile['name'])}  {profile['credit_code']}")
    for label, value in registry_facts(company) if company else []:  # the registry's facts first
        click.echo(f"  {label}：{_clean(value)[:160]}")
    if profile["smoke_index"] is None:
        click.echo(t("company.not_scored"))
        return
    versions = profile["versions"]
    click.echo(t("company.index", index=f"{profile['smoke_index']:.1f}", band=txt.level(profile["level"]),
                 as_of=profile["as_of"], model=profile["model_version"], lexicon=versions.get("lexicon", "-"),
                 analyser=versions.get("analyser", "-")))
    sep = ", " if txt.is_en() else "，"
    click.echo(t("company.dimensions") + sep.join(f"{txt.dimension(k)} {v:.0f}" for k, v in profile["dimensions"].items()))
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
                click.echo("         " + t("company.same_evidence", label=seen[key]))
                continue
            seen[key] = label
            click.echo(f"         {ev['date'] or '':<10}  {ev['url']}")
            click.echo(f"         {_clean(marked_text(ev['snippet'], marks.get(key, ev.get('marks'))))[:160]}")
    if zero:
        click.echo(t("company.zero_hidden", n=zero), err=True)


COMMANDS = [run_command, search_command, company_command]
