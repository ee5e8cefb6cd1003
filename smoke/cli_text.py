"""What the `smoke` CLI says to people: Chinese first, English on request.

One place decides the language (``current_lang``): ``smoke --lang zh|en``, else the
``SMOKE_LANG`` environment variable, else Chinese. The CLI's own sentences live in
``TEXT`` below, Chinese and English side by side; the names of codes (levels,
dimensions, source and document kinds, alert rules, run and source states, regions) are
not defined here: in Chinese they come from the one labels module (``smoke.labels``,
config/labels.yaml); in English the code itself is the name (``red``, ``compliance``).

Machine-readable output never goes through here: exit codes, ``--json``, the
``key=value`` counters scripts parse, credit codes and ids stay as they are.
"""

from __future__ import annotations

import os
from typing import Any

import click

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"
ENV_VAR = "SMOKE_LANG"
_META_KEY = "smoke.lang"
# The language of the last command line `smoke` parsed, for the error line ``smoke.cli.main``
# prints after click's context has closed (main() clears it before each run).
_last: str | None = None


def resolve_lang(given: str | None = None) -> str:
    """The language: ``given`` (the --lang option), else $SMOKE_LANG, else Chinese. An
    unknown value in the environment falls back to Chinese rather than failing a command."""
    for value in (given, os.environ.get(ENV_VAR)):
        value = (value or "").strip().lower()
        if value in LANGS:
            return value
    return DEFAULT_LANG


def set_lang(ctx: click.Context, lang: str) -> None:
    """Record the language for this command line (the `smoke` group's callback calls it)."""
    global _last
    ctx.meta[_META_KEY] = lang
    _last = lang


def forget_lang() -> None:
    global _last
    _last = None


def current_lang() -> str:
    """The language of the running command: its --lang, else $SMOKE_LANG, else zh."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get(_META_KEY) in LANGS:
        return ctx.meta[_META_KEY]
    return _last or resolve_lang()


def is_en() -> bool:
    return current_lang() == "en"


def t(key: str, **values: Any) -> str:
    """The sentence ``key`` in the current language, with ``values`` filled in."""
    zh, en = TEXT[key]
    text = en if is_en() else zh
    return text.format(**values) if values else text


# --- names of codes: Chinese from smoke.labels, the code itself in English -------------


def level(code: str | None) -> str:
    """A band's name: 红 / red; 未评分 / unscored for none."""
    from smoke.labels import level_zh

    if is_en():
        return code or "unscored"
    return level_zh(code)


def band(index: float | None) -> str:
    """The band of a smoke index (65 → 橙 / orange), by the model's bands."""
    from indexing.models import level_for

    return level(None if index is None else level_for(index))


def dimension(code: str) -> str:
    from smoke.labels import dimension_zh

    return code if is_en() else dimension_zh(code)


def source_kind(code: str) -> str:
    from smoke.labels import source_kind_zh

    return code if is_en() else source_kind_zh(code)


def doc_kind(code: str) -> str:
    """A document kind (promotion, warning, news ...): 推广页面 / promotion."""
    from smoke.service.doc_kinds import doc_kind_labels

    return code if is_en() else doc_kind_labels().get(code, code)


def alert_rule(code: str) -> str:
    from smoke.labels import alert_rule_zh

    return code if is_en() else alert_rule_zh(code)


def run_status(code: str) -> str:
    from smoke.labels import run_status_zh

    return code if is_en() else run_status_zh(code)


def run_kind(code: str) -> str:
    from smoke.labels import run_kind_zh

    return code if is_en() else run_kind_zh(code)


def source_state(code: str) -> str:
    from smoke.labels import source_state_zh

    return code if is_en() else source_state_zh(code)


def delivery_state(code: str) -> str:
    from smoke.labels import delivery_zh

    return code if is_en() else delivery_zh(code)


def region(code: str | None) -> str:
    """A region code's province (440300 → 广东): a place name, the same in both languages."""
    from smoke.labels import region_name

    return region_name(code)


def when(value: Any) -> str:
    """A stored time as Asia/Shanghai for people (``2026-11-30 09:25``); a date unchanged."""
    from smoke.service.timefmt import shanghai_display

    return shanghai_display(value) if value else ""


# --- the CLI's sentences: key -> (Chinese, English) -------------------------------------

TEXT: dict[str, tuple[str, str]] = {
    # errors printed by smoke.cli.main (the exit code says which: smoke.errors)
    "err.busy": ("忙", "busy"),
    "err.config error": ("配置错误", "config error"),
    "err.data error": ("数据错误", "data error"),
    "err.store error": ("存储错误", "store error"),
    "err.error": ("错误", "error"),
    "err.line": ("{label}：{line}", "{label}: {line}"),
    "colon": ("：", ": "),
    "tz": ("北京时间", "Asia/Shanghai"),
    # column headers
    "col.index": ("指数", "index"),
    "col.band": ("等级", "band"),
    "col.code": ("统一社会信用代码", "credit code"),
    "col.name": ("名称", "name"),
    "col.date": ("日期", "date"),
    "col.kind": ("类型", "kind"),
    "col.title": ("标题", "title"),
    "more": ("  … 另有 {n} 条", "  … and {n} more"),
    # smoke run
    "run.title": ("冒烟指数高风险名单（数据日期 {as_of}）：{scored} 家已评分企业中 {n} 家达到 {threshold} 分及以上",
                  "冒烟指数 high-risk list as of {as_of}: {n} of {scored} companies at {threshold} or above"),
    "run.more": ("  … 另有 {n} 家（见导出文件）", "  ... and {n} more (see the export)"),
    "run.export": ("导出文件：{path}", "export: {path}"),
    "run.export_partial": ("（部分完成：采集{status}，见其清单文件）", "  (PARTIAL: crawl {status}; see its manifest)"),
    "run.alerts": ("预警：新增 {n} 条；发送 {delivery}", "alerts: {n} new; delivery {delivery}"),
    "run.source": ("数据源 {name}：{pages} 页，{items} 条，{errors} 个错误{flag}",
                   "source {name}: {pages} pages, {items} items, {errors} errors{flag}"),
    "run.blocked": ("  被封锁：{reason}", "  BLOCKED: {reason}"),
    "run.skipped": ("  已跳过：{reason}", "  SKIPPED: {reason}"),
    "run.status": ("本次周期{status}：{message}", "cycle {status}: {message}"),
    # smoke search
    "search.companies": ("企业（{n}）", "companies ({n})"),
    "search.no_company": ("：名称、曾用名、信用代码均无匹配", ": no name, former name or code matches"),
    "search.documents": ("文档（{n}）", "documents ({n})"),
    "search.concerned": ("文档涉及的企业（{n}）", "companies these documents concern ({n})"),
    "search.docs_of": ("（{n} 篇）", "({n} documents)"),
    "search.none": ("没有匹配 {query} 的企业或文档", "no company or document matches {query}"),
    "filter.expected": ("--{option}：应为 {expected}", "--{option}: expected {expected}"),
    "filter.got": ("（收到 {got}）", " (got {got})"),
    # smoke company
    "company.ambiguous_name": ("有歧义：{n} 家企业名为 {name}；请给出统一社会信用代码",
                               "ambiguous: {n} matches: {n} companies are named {name}; give the credit code"),
    "company.ambiguous_part": ("有歧义：没有名为 {name} 的企业，{n} 家企业与之部分匹配；"
                               "请给出全称或统一社会信用代码",
                               "ambiguous: {n} matches: no company is named {name}; {n} companies match part "
                               "of it: give the full name or the credit code"),
    "company.none": ("未找到企业 {name}", "no company found for {name}"),
    "company.did_you_mean": ("；是否要找：", "; did you mean:"),
    "company.not_scored": ("尚未评分", "not scored yet"),
    "company.index": ("冒烟指数 {index}  {band}（数据日期 {as_of}；模型 {model}，词库 {lexicon}，分析规则 {analyser}）",
                      "smoke index {index}  {band} (as of {as_of}, model {model}, lexicon {lexicon}, "
                      "analyser {analyser})"),
    "company.dimensions": ("各维度：", "dimensions: "),
    "company.same_evidence": ("（同一句证据，见上文「{label}」）", "(the same sentence, quoted above under {label})"),
    "company.zero_hidden": ("（{n} 个 0 分指标未列出；--json 可见全部）",
                            "({n} indicators with 0 points not shown; --json lists them)"),
    # smoke export
    "export.start": ("正在导出冒烟指数 ≥ {min_score} 的企业 …", "exporting companies with smoke index >= {min_score} ..."),
    "export.wrote": ("已写出 {rows} 行到 {path}（{fmt}）；清单文件 {manifest}",
                     "wrote {rows} rows to {path} ({fmt}); manifest {manifest}"),
    "export.partial": ("注意：最近一次采集{status}，数据可能不完整（见清单文件的 crawl）",
                       "note: the newest crawl is {status}: the data may be incomplete (see the manifest's crawl)"),
    "export.versions": ("sha256 {sha}  模型 {model}  词库 {lexicon}  分析规则 {analyser}  数据日期 {as_of}",
                        "sha256 {sha}  model {model}  lexicon {lexicon}  analyser {analyser}  as of {as_of}"),
    "export.no_crawl": ("注意：没有采集记录，数据可能不完整", "note: no crawl is recorded: the data may be incomplete"),
    "export.empty": ("注意：没有企业符合条件；请检查 --min-score 与筛选条件",
                     "note: no company matched; check --min-score and the filters"),
    # smoke alerts
    "alerts.undelivered": ("未发送", "undelivered"),
    "alerts.acked_by": ("  已确认：{by}", " ack={by}"),
    "alerts.count": ("共 {n} 条预警（时间为北京时间）", "{n} alert(s) (times in Asia/Shanghai)"),
    "alerts.acked": ("已确认 {n} 条预警", "acknowledged {n} alert(s)"),
    "alerts.no_such": ("没有这条预警：{ids}", "no such alert: {ids}"),
    "alerts.unassigned": ("未分配", "unassigned"),
    "alerts.state_acked": ("已确认", "acknowledged"),
    "alerts.state_open": ("未确认", "open"),
    "alerts.group": ("{day}  {code}  {score} {band}  {name}  [{rules}]  负责人：{who}  {state}",
                     "{day}  {code}  {score} {band}  {name}  [{rules}]  assignee: {who}  {state}"),
    "alerts.group_ids": ("    预警编号：{ids}", "    alert ids: {ids}"),
    "alerts.group_note": ("    备注 {by} {at}：{text}", "    note {by} {at}: {text}"),
    "alerts.groups": ("共 {n} 组预警", "{n} alert group(s)"),
    "alerts.assigned": ("已将 {n} 条预警分配给 {who}", "assigned {n} alert(s) to {who}"),
    "alerts.nobody": ("（无人）", "(nobody)"),
    "alerts.noted": ("已为 {n} 条预警添加备注", "noted on {n} alert(s)"),
    "alerts.new": ("新预警 {rule} {code} {score}：{message}", "new {rule} {code} {score}: {message}"),
    "alerts.new_count": ("数据日期 {as_of}：新增 {n} 条预警", "{n} new alert(s) as of {as_of}"),
    "alerts.delivering": ("正在发送待发预警 …", "delivering pending alerts …"),
    "alerts.no_channel": ("预警配置中没有启用任何通道", "no channel is enabled in the alert configuration"),
    "alerts.requeued": ("{id}：已在 {channels} 重新排队", "{id}: queued again on {channels}"),
    "alerts.nothing_to_retry": ("{id}：无需重试（已发送或仍在排队）", "{id}: nothing to retry (delivered or still pending)"),
    "alerts.no_channel_named": ("应为已启用的通道之一 {known}，收到 {got}",
                                "expected one of the enabled channels {known}, got {got}"),
    "alerts.test_failed": ("{channel}：发送失败：{error}", "{channel}: FAILED: {error}"),
    "alerts.test_ok": ("{channel}：测试预警已被接收", "{channel}: test alert accepted"),
    # smoke crawl / runs
    "runs.none": ("尚无运行记录", "no runs recorded yet"),
    "runs.line": ("运行 {id}  {kind}  {status}  {started} → {finished}（{tz}）",
                  "run {id}  {kind}  {status}  {started} -> {finished} ({tz})"),
    "runs.header": ("  {source}{pages}{items}{mb}{secs}  错误 / 封锁",
                    "  {source}{pages}{items}{mb}{secs}  errors / blocked"),
    "runs.cols": ("数据源|页数|条目|MB|秒", "source|pages|items|MB|secs"),
    "runs.partial": ("部分完成：有数据源未完整采集，输出已标为部分完成",
                     "PARTIAL: some source was not crawled in full; outputs are marked partial"),
    "runs.failed": ("失败", "FAILED"),
    "runs.interrupted": ("已中断：进程在结束前被终止", "INTERRUPTED: its process was killed or stopped before the end"),
    "runs.blocked": ("  被封锁：{reason}", "  BLOCKED: {reason}"),
    "runs.source_failed": ("  失败", "  FAILED"),
    "runs.skipped": ("  已跳过：{reason}", "  SKIPPED: {reason}"),
    # smoke sources
    "sources.cols": ("数据源|类型|状态|健康状况（北京时间）", "source|kind|state|health (Asia/Shanghai)"),
    "sources.switched_off": ("已停用", "switched off"),
    "sources.off_in_config": ("配置中关闭", "off in config"),
    "sources.on": ("启用", "on"),
    "sources.health": ("{state}（最近运行 {last_run}，{pages} 页）", "{state} (last run {last_run}, {pages} pages)"),
    "sources.never": ("从未采集", "never crawled"),
    "sources.by": ("由 {by} 于 {at} 停用：{reason}", "by {by} at {at}: {reason}"),
    "sources.no_reason": ("未说明原因", "no reason given"),
    "sources.off": ("{name} 已停用", "{name} switched off"),
    "sources.on_done": ("{name} 已启用", "{name} switched on"),
    "sources.unknown": ("没有名为 {name} 的数据源；已配置：{known}", "no configured source {name}; configured: {known}"),
    "sources.reason_long": ("最多 500 个字符", "expected at most 500 characters"),
    # smoke watch / screen
    "watch.added": ("已关注 {code}", "now following {code}"),
    "watch.already": ("已在关注列表中 {code}", "already following {code}"),
    "watch.removed": ("已取消关注 {code}", "stopped following {code}"),
    "watch.not_in": ("不在 {user} 的关注列表中：{codes}", "not in the watchlist of {user}: {codes}"),
    "watch.gone": ("（已不在库中）", "(no longer in the store)"),
    "watch.since": ("关注于 {at}", "followed since {at}"),
    "watch.summary": ("{n} 家关注企业；日报邮箱：{email}", "{n} companies followed; digest e-mail: {email}"),
    "watch.no_email": ("未设置（smoke watch email）", "not set (smoke watch email)"),
    "watch.email_set": ("{user}：日报发送至 {email}", "{user}: the digest goes to {email}"),
    "watch.email_cleared": ("{user}：已清除日报邮箱", "{user}: digest e-mail cleared"),
    "watch.bad_date": ("应为 YYYY-MM-DD（{error}）", "expected YYYY-MM-DD ({error})"),
    "screen.bad_output": ("应为 .xlsx 文件名，收到 {name}", "expected a .xlsx file name, got {name}"),
    "screen.done": ("{rows} 行：{summary}（{secs:.1f} 秒）→ {path}", "{rows} rows: {summary} ({secs:.1f} s) → {path}"),
    # smoke users
    "users.added": ("已添加用户 {user}，角色 {role}", "added {user} ({role})"),
    "users.reset": ("已重置 {user} 的密码；其会话与令牌已失效", "password reset for {user}; their sessions and tokens ended"),
    "users.role": ("{user} 的角色现为 {role}", "{user} is now {role}"),
    "users.disabled": ("已停用 {user}", "{user} disabled"),
    "users.enabled": ("已启用 {user}", "{user} enabled"),
    "users.no_tokens": ("没有有效的 API 令牌", "no live API tokens"),
    "users.token": ("{id}  {user}  创建于 {created}  到期 {expires}", "{id}  {user}  created {created}  expires {expires}"),
    "users.revoked": ("令牌 {id} 已吊销", "token {id} revoked"),
    "users.none": ("尚无用户：smoke users add NAME --role admin", "no users yet: smoke users add NAME --role admin"),
    "users.active": ("正常", "active"),
    "users.off": ("已停用", "disabled"),
    "users.password": ("密码", "Password"),
    # smoke schedule
    "schedule.lock_held": ("锁被占用：{by}", "lock held by {by}"),
    "schedule.running": ("正在运行任务 {job} …", "running job {job} now …"),
    "schedule.stopping": ("正在停止调度器（进行中的任务先完成）…", "stopping the scheduler (a running job finishes first) …"),
    "schedule.scheduled": ("已排程 {job}（{cron}，下次 {next}）", "scheduled {job} ({cron}, next {next})"),
    "schedule.stopped": ("调度器已停止", "scheduler stopped"),
    # smoke index
    "index.rebuilt": ("已在 {secs} 秒内重建为模式 v{version}", "rebuilt schema v{version} in {secs}s"),
    "index.deleted": ("已删除旧索引：{names}", "deleted old indices: {names}"),
    "index.migrating": ("正在迁移 {source} → {target}", "migrating {source} -> {target}"),
    "index.migrated": ("迁移用时 {secs} 秒", "migrated in {secs}s"),
    "index.cols": ("实体|源|目标|本次复制", "entity|source|target|copied now"),
    "index.mismatch": ("不一致", "MISMATCH"),
    "index.counts_differ": ("两个存储的记录数不一致（见上文）", "counts differ between the two stores (see above)"),
    "index.counts_match": ("记录数一致", "counts match"),
    "index.status": ("集群版本 {version}，前缀 {prefix}，程序模式 v{schema}",
                     "cluster version {version}, prefix {prefix}, program schema v{schema}"),
    # smoke sandbox / analyze-text
    "sandbox.written": ("沙盒世界已写入 {out}，用时 {secs} 秒（{start} 至 {today}）",
                        "world written to {out} in {secs}s ({start} .. {today})"),
    "sandbox.companies": ("  企业 {n} 家：涉嫌集资或传销 {schemes}，相似的正常企业 {lookalikes}",
                          "  companies {n}: schemes {schemes}, look-alikes {lookalikes}"),
    "sandbox.sites": ("  网站 {sites}，页面 {pages}，投诉 {complaints}，裁判文书 {judgments}，失信 {dishonest}，登记事项 {entries}",
                      "  sites {sites}, pages {pages}, complaints {complaints}, judgments {judgments}, "
                      "dishonest {dishonest}, registry entries {entries}"),
    "sandbox.documents": ("  真实答案中的文档：{n}", "  documents in truth: {n}"),
    "sandbox.generating": ("{world} 下没有沙盒世界；正在生成演示世界", "no world at {world}; generating the demo world"),
    "sandbox.serving": ("正在提供 {world}（数据日期 {as_of}，干扰模式 {hostile}）；例如 curl -x {proxy} "
                        "http://registry.sandbox.test/companies?page=1",
                        "serving {world} as of {as_of} (hostile: {hostile}); e.g. curl -x {proxy} "
                        "http://registry.sandbox.test/companies?page=1"),
    "sandbox.stopping": ("正在停止", "stopping"),
    "analyze.cannot_read": ("{path}：无法读取：{error}", "{path}: cannot read: {error}"),
    # smoke lexicon / calibrate
    "lexicon.reading": ("已读 {n} 篇文档，其中推广类 {promo} 篇", "read {n} documents, {promo} promotional"),
    "lexicon.read": ("已读推广类文档 {n} 篇", "read {n} promotional documents"),
    "lexicon.too_few": ("存储中的推广类文档太少（至少 5 篇）；请先采集", "too few promotional documents in the store "
                        "to train on (need 5+); run a crawl first"),
    "lexicon.cols": ("候选词|相近种子词|类别|相似度", "term|near|category|similarity"),
    "lexicon.written": ("{n} 条建议已写入 {out}", "{n} suggestions written to {out}"),
    "calibrate.labelled": ("已标注企业 {n} 家（其中涉案 {schemes} 家），评分日期 {as_of}",
                           "labelled companies: {n} ({schemes} schemes), scored as of {as_of}"),
    "calibrate.cols": ("指标|系数|原因", "indicator|factor|why"),
    "calibrate.written": ("新模型 {version} 已写入 {path}（通过 SMOKE_CONFIG_DIR 或 --model 使用）",
                          "new model {version} written to {path} (use it with SMOKE_CONFIG_DIR or --model)"),
    "evaluate.miss": ("误判 {id}：应为 {expected}，风险 {risk}（{doc_type}）：{text}",
                      "miss {id}: expected {expected}, risk {risk} ({doc_type}): {text}"),
    # smoke serve
    "serve.listening": ("smokewatch 网页 http://{host}:{port}/（API：/api/v1，OpenAPI：/api/v1/openapi.json）",
                        "smokewatch web on http://{host}:{port}/  (API: /api/v1, OpenAPI: /api/v1/openapi.json)"),
}


def json_text(value: Any, indent: int | None = None) -> str:
    """``--json`` output: the same objects as the API, so timestamps are Asia/Shanghai ISO
    with ``+08:00`` through the API's own rule (``timefmt.localise_times``)."""
    import json

    from smoke.service.timefmt import localise_times

    return json.dumps(localise_times(value), ensure_ascii=False, indent=indent)
