"""Spread (公开性): how widely risky promotion reaches. Pages count by their text risk
(a licensed bank's product pages are not solicitation of the unspecified public)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from scoring.facts import CompanyFacts, evidence_for
from scoring.indicators import Measurement, top
from scoring.text import TextAnalysis

INVITE = re.compile(r"(?:邀请码|推荐码|注册码|邀请id)\s*[:：]?\s*([a-z0-9]{4,12})", re.I)
# Prefecture-level cities and municipalities most often named in event-style promotion.
CITIES = ("北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "武汉", "成都", "西安", "郑州", "长沙",
          "济南", "青岛", "合肥", "福州", "厦门", "南昌", "南宁", "昆明", "贵阳", "海口", "三亚", "沈阳", "大连", "长春",
          "哈尔滨", "石家庄", "太原", "呼和浩特", "银川", "兰州", "西宁", "乌鲁木齐", "拉萨", "东莞", "佛山", "温州", "宁波",
          "无锡", "常州", "徐州", "南通", "烟台", "潍坊", "临沂", "洛阳", "襄阳", "宜昌", "株洲", "赣州", "泉州", "汕头",
          "惠州", "中山", "珠海", "绵阳", "遵义", "柳州", "桂林", "保定", "唐山", "邯郸", "廊坊", "包头", "鄂尔多斯")


def _domain(url: str, fallback: str) -> str:
    host = fallback or urlsplit(url).hostname or ""
    return host.lower().removeprefix("www.")


def _page_reason(title: str, analysis: TextAnalysis) -> str:
    """A risky page as evidence: its title, its text risk and the n-grams that moved the
    statistical model (so a reader sees why a page without lexicon words counts)."""
    reasons = analysis.model_reasons()
    said = f"；模型依据：{'、'.join(reasons)}" if reasons else ""
    return f"{title}（文本风险 {analysis.risk:.0f}{said}）"


def measure(facts: CompanyFacts) -> dict[str, Measurement]:
    cfg = facts.model.config
    risky = [d for d in facts.promo if d.analysis.risk >= cfg.risky_page_min_risk]
    risky.sort(key=lambda d: (-d.analysis.risk, d.doc.id))
    weighted = sum(d.analysis.risk / 100.0 for d in risky)
    page_ev = [evidence_for(d.doc, _page_reason(d.doc.title, d.analysis)) for d in risky]
    domains: dict[str, object] = {}
    sites: dict[str, object] = {}
    codes: dict[str, object] = {}
    cities: dict[str, object] = {}
    for d in risky:
        dom = _domain(d.doc.url, d.doc.domain)
        domains.setdefault(dom, evidence_for(d.doc, dom))
        sites.setdefault(d.doc.site or dom, evidence_for(d.doc, d.doc.site or dom))
        found = [str(c).lower() for c in d.doc.fields.get("invite_codes") or []]
        found += [m.group(1).lower() for m in INVITE.finditer(d.doc.text)]
        for code in found:
            codes.setdefault(code, evidence_for(d.doc, f"邀请码：{code}"))
        for city in CITIES:
            if city in d.doc.text:
                cities.setdefault(city, evidence_for(d.doc, city))
    recent_from = (date.fromisoformat(facts.as_of) - timedelta(days=cfg.recent_days)).isoformat()
    recent = [d for d in risky if d.date >= recent_from]
    recruit = [d for d in risky if d.analysis.doc_type == "recruit"]
    return {
        "spread.promo_pages": Measurement(round(weighted, 4), top(page_ev)),
        "spread.domains": Measurement(len(domains), top([domains[k] for k in sorted(domains)])),
        "spread.platforms": Measurement(len(sites), top([sites[k] for k in sorted(sites)])),
        "spread.growth": Measurement(len(recent), top([evidence_for(d.doc, d.doc.title) for d in recent])),
        "spread.invite_codes": Measurement(len(codes), top([codes[k] for k in sorted(codes)])),
        "spread.recruit_posts": Measurement(len(recruit), top([evidence_for(d.doc, d.doc.title) for d in recruit])),
        "spread.cities": Measurement(len(cities), top([cities[k] for k in sorted(cities)])),
    }
