"""How an alert reads in each medium: subject, plain text, HTML, robot markdown.

Company names and messages come from crawled pages: hostile text. HTML output is
escaped with ``html.escape``; markdown output (DingTalk / WeCom robots render a
subset of markdown and some HTML) escapes markdown punctuation and angle brackets;
header values lose control characters so nothing can inject a header line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from indexing.models import Alert
from smoke.labels import alert_rule_zh as rule_title
from smoke.labels import band_zh

__all__ = ["AlertView", "band_zh", "clean_line", "md_escape", "rule_title"]
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


@dataclass(slots=True)
class AlertView:
    """An alert with what a reader needs around it (the company's name and region)."""

    alert: Alert
    company_name: str
    region: str = ""

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
                f"时间：{a.created}",
                f"告警编号：{a.id}",
            ]
        )

    def html(self) -> str:
        a = self.alert
        e = html.escape
        prev = "—" if a.previous_score is None else f"{a.previous_score:.1f}"
        rows = [
            ("公司", self.company_name),
            ("统一社会信用代码", a.credit_code),
            ("规则", self.rule_title),
            ("冒烟指数", f"{a.score:.1f}（{self.band}），此前 {prev}"),
            ("说明", a.message),
            ("时间", a.created),
            ("告警编号", a.id),
        ]
        body = "".join(f"<tr><th align=left>{e(k)}</th><td>{e(clean_line(v, 2000))}</td></tr>" for k, v in rows)
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
                f"告警编号：{md_escape(a.id)}",
            ]
        )
