"""How an alert reads in each medium: subject, plain text, HTML, robot markdown.

Company names and messages come from crawled pages: hostile text. HTML output is
escaped with ``html.escape``; markdown output (DingTalk / WeCom robots render a
subset of markdown and some HTML) escapes markdown punctuation and angle brackets;
header values lose control characters so nothing can inject a header line.

Each alert links to its company's page, ``<base_url>/company/<credit code>`` (``base_url``:
``channels.base_url`` of ``config/alerts.yaml``, checked there). Without a base URL the
alert gives the page's path and says that the address is not set, never a broken link.
Times are Asia/Shanghai (smoke.service.timefmt).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote

from indexing.models import Alert
from smoke.labels import alert_rule_zh as rule_title
from smoke.labels import band_zh
from smoke.service.timefmt import shanghai_display

__all__ = ["AlertView", "band_zh", "clean_line", "company_path", "company_url", "md_escape", "rule_title"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")
MAX_FIELD = 500  # a company "name" is never longer than this in a notification


def clean_line(text: str, limit: int = MAX_FIELD) -> str:
    """One line of text, no control characters, at most ``limit`` characters."""
    text = _CONTROL.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def md_escape(text: str) -> str:
    """Text that a robot's markdown shows literally (no links, no emphasis, no HTML)."""
    text = html.escape(clean_line(text, 2000), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def company_path(credit_code: str) -> str:
    """The company page's path, as the web app routes it (``/company/{credit_code}``)."""
    return "/company/" + quote(credit_code, safe="")


def company_url(base_url: str, credit_code: str) -> str:
    """The company page's full address, or '' when no base URL is configured."""
    return f"{base_url.rstrip('/')}{company_path(credit_code)}" if base_url else ""


@dataclass(slots=True)
class AlertView:
    """An alert with what a reader needs around it (the company's name and region)."""

    alert: Alert
    company_name: str
    region: str = ""
    base_url: str = ""  # the web UI's address (config: channels.base_url), '' when not set

    @property
    def company_path(self) -> str:
        return company_path(self.alert.credit_code)

    @property
    def company_url(self) -> str:
        return company_url(self.base_url, self.alert.credit_code)

    @property
    def link_text(self) -> str:
        """The link line's value: the address, or the path and why there is no address."""
        return self.company_url or f"{self.company_path}（未配置网址 channels.base_url，请在系统中打开此路径）"

    @property
    def when(self) -> str:
        """When the alert was raised, for people: ``2026-01-02 00:30（北京时间）``."""
        shown = shanghai_display(self.alert.created)
        return f"{shown}（北京时间）" if shown and shown != self.alert.created else shown

    @property
    def rule_title(self) -> str:
        return rule_title(self.alert.rule)

    @property
    def band(self) -> str:
        return band_zh(self.alert.score)

    def subject(self, prefix: str = "【冒烟指数预警】") -> str:
        name = clean_line(self.company_name, 100)
        return clean_line(f"{prefix}{name} {self.rule_title}：{self.alert.score:.1f}（{self.band}）", 250)

    def text(self) -> str:
        a = self.alert
        prev = "—" if a.previous_score is None else f"{a.previous_score:.1f}"
        return "\n".join(
            [
                f"公司：{clean_line(self.company_name)}",
                f"统一社会信用代码：{clean_line(a.credit_code, 40)}",
                f"规则：{self.rule_title}",
                f"冒烟指数：{a.score:.1f}（{self.band}），此前：{prev}",
                f"说明：{clean_line(a.message, 2000)}",
                f"企业页面：{self.link_text}",
                f"时间：{self.when}",
                f"告警编号：{a.id}",
            ]
        )

    def html(self) -> str:
        a = self.alert
        e = html.escape
        prev = "—" if a.previous_score is None else f"{a.previous_score:.1f}"
        if self.company_url:
            link = f'<a href="{e(self.company_url, quote=True)}">{e(self.company_url)}</a>'
        else:
            link = e(self.link_text)
        rows = [  # (label, HTML already escaped)
            ("公司", e(clean_line(self.company_name, 2000))),
            ("统一社会信用代码", e(clean_line(a.credit_code, 2000))),
            ("规则", e(self.rule_title)),
            ("冒烟指数", e(f"{a.score:.1f}（{self.band}），此前 {prev}")),
            ("说明", e(clean_line(a.message, 2000))),
            ("企业页面", link),
            ("时间", e(self.when)),
            ("告警编号", e(a.id)),
        ]
        body = "".join(f"<tr><th align=left>{e(k)}</th><td>{v}</td></tr>" for k, v in rows)
        return (
            "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
            f"<title>{e(self.subject())}</title></head><body>"
            f"<h2>{e(self.subject())}</h2><table>{body}</table></body></html>"
        )

    def markdown(self) -> str:
        a = self.alert
        prev = "—" if a.previous_score is None else f"{a.previous_score:.1f}"
        return "\n\n".join(
            [
                f"### 冒烟指数预警：{md_escape(self.rule_title)}",
                f"**公司**：{md_escape(self.company_name)}（{md_escape(a.credit_code)}）",
                f"**冒烟指数**：{a.score:.1f}（{self.band}），此前 {prev}",
                f"**说明**：{md_escape(a.message)}",
                # the URL is safe in a link: base_url is checked (config.alerts.check_base_url), the code quoted
                f"**企业页面**：[查看企业页面]({self.company_url})" if self.company_url
                else f"**企业页面**：{md_escape(self.link_text)}",
                f"**时间**：{md_escape(self.when)}",
                f"告警编号：{md_escape(a.id)}",
            ]
        )
