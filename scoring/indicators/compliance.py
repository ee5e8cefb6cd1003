"""Compliance (非法性): registry flags, licences, court records."""

from __future__ import annotations

import re
from datetime import date, timedelta

from indexing.models import Evidence
from scoring.facts import CompanyFacts, evidence_for
from scoring.indicators import Measurement, top

FINANCE_WORDS = re.compile(r"投资管理|投资咨询|资产管理|财富管理|股权投资|创业投资|私募|基金|融资租赁|互联网金融|金融信息|"
                           r"金融服务|理财|网络借贷|小额贷款|借贷|供应链金融|众筹|数字资产|区块链金融|投资")
LICENSED_NAME = re.compile(r"银行|保险|证券|期货|信托|基金管理有限公司|消费金融")
UNREACHABLE = re.compile(r"无法联系|不能联系|查无")
FUNDRAISING_PENALTY = re.compile(r"非法集资|非法吸收|集资诈骗|传销|非法金融|擅自从事金融|未经批准.*(?:吸收|发放)|变相吸收")


def _days_before(as_of: str, days: int) -> str:
    return (date.fromisoformat(as_of) - timedelta(days=days)).isoformat()


def _active(entry_date: str, removed: str, as_of: str) -> bool:
    return bool(entry_date) and entry_date <= as_of and (not removed or removed > as_of)


def _registry_ev(facts: CompanyFacts, snippet: str, when: str = "", url: str = "") -> Evidence:
    c = facts.company
    return Evidence(url=url or c.source_url, snippet=snippet[:200], date=when, source_kind="registry")


def is_finance(company) -> bool:
    return bool(FINANCE_WORDS.search(company.business_scope or "") or FINANCE_WORDS.search(company.name or ""))


def measure(facts: CompanyFacts) -> dict[str, Measurement]:
    c, as_of, cfg = facts.company, facts.as_of, facts.model.config
    out: dict[str, Measurement] = {}

    finance = is_finance(c)
    licensed = bool(c.amac_registered) or bool(LICENSED_NAME.search(c.name or ""))
    ev = [_registry_ev(facts, f"经营范围：{c.business_scope[:120]}；基金业协会备案：{'是' if c.amac_registered else '否'}")] if finance and not licensed else []
    out["compliance.finance_scope_unlicensed"] = Measurement(float(finance and not licensed), ev)

    unreachable, other_abn, serious, pen_fund, pen_other, changes = [], [], [], [], [], []
    window = _days_before(as_of, cfg.penalty_window_days)
    three_years = _days_before(as_of, 3 * 365)
    two_years = _days_before(as_of, 730)
    for e in sorted(c.entries, key=lambda e: (e.date, e.kind, e.reason)):
        if not e.date or e.date > as_of:
            continue
        ev_e = _registry_ev(facts, f"{e.reason} {e.detail}".strip(), e.date, e.url)
        if e.kind == "abnormal" and _active(e.date, e.removed_date, as_of):
            (unreachable if UNREACHABLE.search(e.reason) else other_abn).append(ev_e)
        elif e.kind == "serious_violation" and _active(e.date, e.removed_date, as_of):
            serious.append(ev_e)
        elif e.kind == "penalty":
            if FUNDRAISING_PENALTY.search(f"{e.reason} {e.detail}") and e.date >= window:
                pen_fund.append(ev_e)
            elif e.date >= three_years:
                pen_other.append(ev_e)
        elif e.kind == "change" and e.date >= two_years:
            changes.append(ev_e)
    out["compliance.abnormal_unreachable"] = Measurement(len(unreachable), top(unreachable))
    out["compliance.abnormal_other"] = Measurement(len(other_abn), top(other_abn))
    out["compliance.serious_violation"] = Measurement(len(serious), top(serious))
    out["compliance.penalty_fundraising_recent"] = Measurement(len(pen_fund), top(pen_fund))
    out["compliance.penalty_other"] = Measurement(len(pen_other), top(pen_other))
    out["compliance.frequent_changes"] = Measurement(len(changes), top(changes))

    dis = [evidence_for(d.doc, f"失信被执行人：{d.doc.fields.get('case_no', '')} {d.doc.fields.get('duty', '')}") for d in facts.dishonest]
    out["compliance.dishonest_company"] = Measurement(len(dis), top(dis))
    rep = facts.context.dishonest_people.get(c.legal_rep) if c.legal_rep else None
    out["compliance.dishonest_legal_rep"] = Measurement(1.0 if rep else 0.0, [rep] if rep else [])

    defendant = [evidence_for(d.doc, f"{d.doc.fields.get('case_no', '')} {d.doc.fields.get('cause', '')} 被告")
                 for d in facts.court if d.role == "defendant"]
    out["compliance.defendant_cases"] = Measurement(len(defendant), top(defendant))
    crim = [evidence_for(d.doc, f"{d.doc.fields.get('case_no', '')} {d.doc.fields.get('cause', '') or d.doc.title}")
            for d in facts.criminal]
    out["compliance.criminal_case"] = Measurement(len(crim), top(crim))
    warn = [evidence_for(d.doc, d.doc.title) for d in facts.warnings]
    out["compliance.regulator_warning"] = Measurement(len(warn), top(warn))
    reported = [evidence_for(d.doc, d.doc.title) for d in facts.news if d.analysis.verdicts["named_suspect"]]
    out["compliance.reported_suspect"] = Measurement(len(reported), top(reported))

    # capital and age anomalies
    age_days = None
    if c.founded and c.founded <= as_of:
        age_days = (date.fromisoformat(as_of) - date.fromisoformat(c.founded[:10])).days
    anomaly = 0.0
    reg, paid = c.registered_capital or 0.0, c.paid_in_capital
    if reg >= 5000 and (paid is None or paid <= reg * 0.01):
        anomaly = 1.0 if (age_days is not None and age_days < 3 * 365) else 0.5
    cap_ev = [_registry_ev(facts, f"注册资本{reg:g}万元，实缴{'未公示' if paid is None else f'{paid:g}万元'}，成立于{c.founded}")] if anomaly else []
    out["compliance.capital_anomaly"] = Measurement(anomaly, cap_ev)
    young = finance and age_days is not None and age_days < 365
    out["compliance.young_finance"] = Measurement(float(young), [_registry_ev(facts, f"成立于{c.founded}")] if young else [])

    addr = normalize_address(c.address)
    shared = max(0, facts.context.address_counts.get(addr, 1) - 1) if addr else 0
    out["compliance.shared_address"] = Measurement(shared, [_registry_ev(facts, f"住所：{c.address}（另有{shared}家企业登记于此）")] if shared else [])
    dead = bool(re.search(r"吊销|注销", c.status or "")) and bool(facts.promo)
    out["compliance.deregistered"] = Measurement(float(dead), [_registry_ev(facts, f"登记状态：{c.status}")] if dead else [])
    return out


_ADDR_NOISE = re.compile(r"[\s,，。()（）\-－#号室]+")


def normalize_address(address: str) -> str:
    return _ADDR_NOISE.sub("", address or "")
