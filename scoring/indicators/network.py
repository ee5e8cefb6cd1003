"""Network (关联): ties to high-risk or punished companies, near-copied promotion, clusters.
The graph itself is built once per run (scoring/network.py) into the ScoringContext."""

from __future__ import annotations

from indexing.models import Evidence
from scoring.facts import CompanyFacts
from scoring.indicators import Measurement, top

TIE_WEIGHT = {"person": 1.0, "phone": 1.0, "website": 1.0, "address": 0.5}
_KIND_CN = {"person": "人员", "phone": "电话", "website": "网站", "address": "地址"}


def measure(facts: CompanyFacts) -> dict[str, Measurement]:
    code = facts.company.credit_code
    ctx = facts.context
    seed_min = facts.model.config.network.seed_min_index
    per_company: dict[str, float] = {}
    punished: dict[str, Evidence] = {}
    ev: dict[str, Evidence] = {}
    for t in sorted(ctx.ties.get(code, []), key=lambda t: (t.other_code, t.kind, t.via)):
        if t.other_code == code:
            continue
        if t.other_index >= seed_min or t.punished:
            # the more companies share the value, the less the tie says (2 sharing: full weight)
            w = TIE_WEIGHT.get(t.kind, 0.5) * min(1.0, 2.0 / max(2, t.shared_by))
            per_company[t.other_code] = max(per_company.get(t.other_code, 0.0), w)
            e = Evidence(url=t.url, snippet=f"通过{_KIND_CN.get(t.kind, t.kind)}“{t.via}”关联{t.other_name}（指数{t.other_index:.0f}）",
                         source_kind="registry")
            ev.setdefault(t.other_code, e)
            # names are not identities: a name or address shared by several companies is weak
            if t.punished and (t.kind in ("phone", "website") or t.shared_by <= 2):
                punished.setdefault(t.other_code, e)
    near = ctx.near_copies.get(code)
    near_ev = [Evidence(url=near.url, snippet=f"与{near.other_name}的推广文本相似度{near.similarity:.2f}：{near.snippet}",
                        date=near.date, source_kind="promo"),
               Evidence(url=near.other_url, snippet=f"{near.other_name}的推广页面", source_kind="promo")] if near else []
    return {
        "network.risky_ties": Measurement(round(sum(per_company.values()), 4), top([ev[k] for k in sorted(ev)])),
        "network.punished_ties": Measurement(len(punished), top([punished[k] for k in sorted(punished)])),
        "network.near_copy": Measurement(round(near.similarity, 4) if near else 0.0, near_ev),
        "network.cluster_size": Measurement(ctx.cluster_sizes.get(code, 1), []),
    }
