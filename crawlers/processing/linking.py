"""Entity linking: which known companies a document concerns, how we know, how sure.

Evidence, strongest first: a credit code printed in the text (1.0); a court party's
printed credit code (1.0, with its role); the full current name (0.95), a former
name (0.9) or a brand alias (0.85); the page's domain being one of the company's
websites (0.9); the distinctive *core* of the name (0.6-0.75, see below); a
misspelled name typed by a complainant (fuzzy, 0.6-0.7).

Generic words are the trap (DESIGN.md): thousands of unrelated companies are called
某某投资 / 某某控股 / 某某科技有限公司. So a name is reduced to its core by stripping
the region prefix, the legal form and trailing industry words (深圳市鑫盛财富投资管理有限公司
-> 鑫盛); a core that is itself generic, too short, or shared by two companies never
links on its own; a two-character core links only where the text uses it as a
name (followed by an industry word or legal form). All patterns go into one
Aho-Corasick automaton; overlapping matches resolve to the longest, so the full name
of one company hides the shorter core of another inside it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from crawlers.processing.extract import credit_codes_in
from indexing.models import Company, Mention
from indexing.normalize import normalize_text

LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "合伙企业有限合伙", "有限合伙", "合伙企业",
    "集团股份", "集团", "分公司", "公司", "企业", "工作室", "商行", "中心",
)
# Industry words that end names; stripped (longest first) to find the distinctive core.
GENERIC_WORDS = (
    "互联网金融信息服务", "金融信息服务", "投资管理咨询", "股权投资基金", "股权投资管理", "投资基金管理",
    "资产管理", "财富管理", "投资管理", "股权投资", "投资咨询", "投资控股", "融资租赁", "商业保理",
    "小额贷款", "网络科技", "信息科技", "信息技术", "生物科技", "科技发展", "电子商务", "商务咨询",
    "企业管理", "文化传媒", "养老服务", "健康管理", "供应链管理", "房地产开发", "互联网金融", "区块链",
    "供应链", "信息服务", "新能源", "房地产", "实业发展", "国际贸易",
    "投资", "控股", "科技", "咨询", "管理", "贸易", "商贸", "实业", "发展", "服务", "传媒", "技术",
    "网络", "信息", "金融", "基金", "养老", "产业", "国际", "电子", "环保", "教育", "物流", "建筑",
    "工程", "置业", "担保", "保理", "典当", "健康", "农业", "生物", "文化", "数字", "智能", "资本",
    "财富", "资产", "商务", "能源", "医药", "旅游", "互联网", "中国", "中华", "全国", "销售",
)
_GENERIC_SET = set(GENERIC_WORDS) | set(LEGAL_FORMS) | {"有限", "有限责任", "股份", "责任", "集团"}
# A leading administrative division (广东省, 深圳市, 朝阳区). Not 超市 / 门市 / 城市 / 夜市 /
# 股市: those end in 市 but are shops and words, seen in the sandbox's "隆兴超市有限责任公司".
_REGION_SUFFIX = re.compile(r"^[\u4e00-\u9fff]{1,3}[^\s超门城夜股](?:省|市|自治区|特别行政区|自治州|地区|县|区)")
# Bare province and major-city names used as prefixes without 省/市.
_REGIONS = (
    "北京", "上海", "天津", "重庆", "广东", "深圳", "广州", "浙江", "杭州", "江苏", "南京", "苏州",
    "山东", "济南", "青岛", "河南", "郑州", "湖北", "武汉", "湖南", "长沙", "四川", "成都", "福建",
    "厦门", "福州", "安徽", "合肥", "河北", "石家庄", "山西", "太原", "陕西", "西安", "辽宁", "沈阳",
    "大连", "吉林", "长春", "黑龙江", "哈尔滨", "江西", "南昌", "广西", "南宁", "云南", "昆明",
    "贵州", "贵阳", "海南", "海口", "甘肃", "兰州", "青海", "西宁", "宁夏", "银川", "新疆", "乌鲁木齐",
    "内蒙古", "呼和浩特", "西藏", "拉萨", "香港", "澳门", "台湾", "东莞", "佛山", "宁波", "温州", "无锡",
)
_NOISE = re.compile(r"[\s()（）【】\[\]·.,，、\"'“”\-—_/|:：;；!！?？]")

CONF = {
    "credit_code": 1.0, "party_code": 1.0, "party": 0.95, "name": 0.95, "former_name": 0.9,
    "domain": 0.9, "domain_only": 0.5, "alias": 0.85, "name_core": 0.75, "name_core_short": 0.65, "fuzzy": 0.65,
}
MIN_CONFIDENCE = 0.6


def match_form(text: str) -> str:
    """The form text and names are compared in: normalised, brackets, spaces and punctuation removed."""
    return _NOISE.sub("", normalize_text(text))


def name_core(name: str) -> str:
    """The distinctive part of a company name ('' when nothing distinctive is left)."""
    core = match_form(name)
    for _ in range(3):  # region prefixes can stack: 广东省深圳市...
        m = _REGION_SUFFIX.match(core)
        if m and len(core) - m.end() >= 2:
            core = core[m.end() :]
            continue
        for r in _REGIONS:
            if core.startswith(r) and len(core) - len(r) >= 2:
                core = core[len(r) :]
                break
        else:
            break
    changed = True
    while changed and core:
        changed = False
        for word in (*LEGAL_FORMS, *GENERIC_WORDS):
            if core.endswith(word) and len(core) > len(word):
                core = core[: -len(word)]
                changed = True
                break
    # a region in brackets after the core: 鑫盛(深圳)投资 -> 鑫盛深圳
    for r in _REGIONS:
        if core.endswith(r) and len(core) - len(r) >= 2:
            core = core[: -len(r)]
            break
    if len(core) < 2 or core in _GENERIC_SET or "有限" in core or all(ch.isascii() for ch in core) and len(core) < 4:
        return ""
    return core


@dataclass(slots=True)
class _Pattern:
    codes: tuple[str, ...]
    method: str


class Linker:
    """Links text, domains, court parties and typed company names to known companies."""

    def __init__(self, companies: Iterable[Company] = ()) -> None:
        self._companies: dict[str, Company] = {}
        self._automaton: ahocorasick.Automaton | None = None
        self._by_domain: dict[str, set[str]] = {}
        self._exact: dict[str, dict[str, set[str]]] = {}
        for c in companies:
            self.add(c)

    def __len__(self) -> int:
        return len(self._companies)

    def add(self, company: Company) -> None:
        self._companies[company.credit_code] = company
        self._automaton = None

    # --- building ------------------------------------------------------------
    def _build(self) -> ahocorasick.Automaton:
        patterns: dict[str, dict[str, set[str]]] = {}  # pattern -> method -> codes

        def put(pattern: str, method: str, code: str) -> None:
            if len(pattern) >= 2:
                patterns.setdefault(pattern, {}).setdefault(method, set()).add(code)

        self._by_domain = {}
        for code, c in self._companies.items():
            put(match_form(c.name), "name", code)
            for former in c.former_names:
                put(match_form(former), "former_name", code)
            for alias in c.aliases:
                a = match_form(alias)
                if a not in _GENERIC_SET and len(a) >= 2:
                    put(a, "alias", code)
            for n in (c.name, *c.former_names):
                core = name_core(n)
                if core:
                    put(core, "name_core", code)
            for site in c.websites:
                d = site.lower().strip().removeprefix("http://").removeprefix("https://").split("/")[0]
                d = d.removeprefix("www.")
                if d:
                    self._by_domain.setdefault(d, set()).add(code)
        self._exact = patterns
        auto = ahocorasick.Automaton()
        for pattern, methods in patterns.items():
            # strongest method wins for a pattern; a pattern shared by companies keeps all codes
            method = min(methods, key=lambda m: -CONF[m])
            auto.add_word(pattern, (pattern, _Pattern(tuple(sorted(methods[method])), method)))
        if len(auto):
            auto.make_automaton()
        self._automaton = auto
        return auto

    def _auto(self) -> ahocorasick.Automaton:
        return self._automaton if self._automaton is not None else self._build()

    # --- linking -------------------------------------------------------------
    def link_text(self, text: str) -> dict[str, Mention]:
        """Companies named in ``text`` (credit codes, names, aliases, cores)."""
        found: dict[str, Mention] = {}
        for code in credit_codes_in(text):
            _keep(found, Mention(code, "credit_code", CONF["credit_code"]))
        auto = self._auto()
        if not len(auto):
            return found
        t = match_form(text)
        hits = [(end - len(p) + 1, end + 1, p, pat) for end, (p, pat) in auto.iter(t)]
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        taken: list[tuple[int, int]] = []
        for start, end, _p, pat in hits:
            if any(start < e and s < end for s, e in taken):
                continue  # inside a longer match: the longest wins
            if len(pat.codes) != 1:
                taken.append((start, end))
                continue  # ambiguous: shared by several companies, links none
            method = pat.method
            if method == "name_core" and end - start == 2:
                if not _name_like_after(t, end):
                    continue
                method = "name_core_short"
            taken.append((start, end))
            _keep(found, Mention(pat.codes[0], method if method != "name_core_short" else "name_core", CONF[method]))
        return found

    def link_domain(self, domain: str) -> dict[str, Mention]:
        self._auto()
        domain = domain.lower().removeprefix("www.")
        out: dict[str, Mention] = {}
        codes = self._by_domain.get(domain, set())
        if len(codes) == 1:
            _keep(out, Mention(next(iter(codes)), "domain", CONF["domain"]))
        return out

    def lookup_name(self, typed: str, fuzzy: bool = True) -> Mention | None:
        """The one company a typed name refers to (court party, complainant's text), or None."""
        t = match_form(typed)
        if not t:
            return None
        self._auto()
        methods = self._exact.get(t, {})
        for method in ("name", "former_name", "alias", "name_core"):
            codes = methods.get(method)
            if codes and len(codes) == 1:
                return Mention(next(iter(codes)), method, CONF[method])
        core = name_core(typed)
        if core:
            codes = self._exact.get(core, {}).get("name_core")
            if codes and len(codes) == 1:
                return Mention(next(iter(codes)), "name_core", CONF["name_core"])
        if fuzzy:
            return self._fuzzy(t)
        return None

    def _fuzzy(self, t: str) -> Mention | None:
        grams = {t[i : i + 2] for i in range(len(t) - 1)}
        scored: list[tuple[float, str]] = []
        for pattern, methods in self._exact.items():
            if len(pattern) < 3 or not any(g in pattern for g in grams):
                continue
            codes = set().union(*methods.values())
            if len(codes) != 1:
                continue
            ratio = difflib.SequenceMatcher(None, t, pattern).ratio()
            if ratio >= 0.8:
                scored.append((ratio, next(iter(codes))))
        if not scored:
            return None
        scored.sort(reverse=True)
        best_ratio, best_code = scored[0]
        rivals = [r for r, c in scored if c != best_code]
        if rivals and rivals[0] >= best_ratio - 0.05:
            return None  # two companies about as close: do not guess
        return Mention(best_code, "fuzzy", CONF["fuzzy"])

    def link_document(self, text: str, title: str = "", domain: str = "") -> list[Mention]:
        found = self.link_text(f"{title}\n{text}")
        for m in self.link_domain(domain).values():
            if m.credit_code not in found:
                # A page on the company's own site that never names it (a law firm's
                # articles about schemes in general, seen in the sandbox): the site is
                # not evidence that the page concerns the company.
                m = Mention(m.credit_code, m.method, CONF["domain_only"])
            _keep(found, m)
        return finalize(found)


def _name_like_after(t: str, end: int) -> bool:
    tail = t[end : end + 6]
    return any(tail.startswith(w) for w in (*GENERIC_WORDS, *LEGAL_FORMS))


def _keep(found: dict[str, Mention], m: Mention) -> None:
    """Keep the strongest evidence per company; agreeing methods add a little confidence."""
    old = found.get(m.credit_code)
    if old is None:
        found[m.credit_code] = m
        return
    strong, weak = (m, old) if m.confidence > old.confidence else (old, m)
    conf = strong.confidence
    if weak.method != strong.method:
        conf = min(1.0, conf + 0.05)
    found[m.credit_code] = Mention(m.credit_code, strong.method, round(conf, 3), strong.role or weak.role)


def finalize(found: dict[str, Mention]) -> list[Mention]:
    return sorted((m for m in found.values() if m.confidence >= MIN_CONFIDENCE), key=lambda m: m.credit_code)


def merge(*groups: Iterable[Mention]) -> list[Mention]:
    found: dict[str, Mention] = {}
    for g in groups:
        for m in g:
            _keep(found, m)
    return finalize(found)
