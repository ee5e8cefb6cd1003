"""A small, hand-made world for the web tests: companies, documents, scores with
history, alerts and runs, including hostile crawled text."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from indexing.models import (
    Alert,
    Company,
    Document,
    Evidence,
    IndicatorResult,
    Mention,
    Person,
    Run,
    Score,
    SourceStats,
    level_for,
)
from indexing.store.base import Store

_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

SCRIPT_NAME = "恶意<script>alert(1)</script>投资有限公司"
IMG_PAYLOAD = '"><img src=x onerror=alert(2)>'
MODEL = "test-1.0"


def credit_code(body17: str) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check digit) from 17 characters."""
    total = sum(_CHARS.index(ch) * w for ch, w in zip(body17, _WEIGHTS, strict=True))
    return body17 + _CHARS[(31 - total % 31) % 31]


def code(n: int, region: str) -> str:
    return credit_code(f"91{region}{n:09d}")


TODAY = date.today()


def _day(offset: int) -> str:
    return (TODAY - timedelta(days=offset)).isoformat()


COMPANIES = [
    # (n, name, region, industry, final index, index 8 days ago, phone, person)
    (1, "深圳前海鑫盛财富管理有限公司", "440300", "资产管理", 86.5, 55.0, "0755-88880001", "张伟"),
    (2, "广州汇金原始股投资有限公司", "440100", "股权投资", 72.0, 68.0, "020-66660002", "张伟"),
    (3, SCRIPT_NAME, "110105", "投资咨询", 64.0, 30.0, "010-55550003", "李娜"),
    (4, "杭州安心养老服务有限公司", "330106", "养老服务", 45.0, 44.0, "0571-44440004", "王芳"),
    (5, "北京稳健会计师事务所", "110101", "会计审计", 12.0, 12.0, "010-33330005", "赵磊"),
    (6, "上海浦东互助消费科技有限公司" + IMG_PAYLOAD, "310115", "互联网金融", 91.0, 88.0, "021-22220006", "周杰"),
    (7, "成都天府农业代养殖合作社", "510104", "农业", 33.0, 20.0, "028-11110007", "吴敏"),
]


def build_world(store: Store) -> dict[str, str]:
    """Fill ``store``; returns handy codes by role."""
    companies, scores, docs = [], [], []
    for n, name, region, industry, final, before, phone, person in COMPANIES:
        cc = code(n, region)
        companies.append(
            Company(
                credit_code=cc,
                name=name,
                legal_rep=person,
                people=[Person(person, "legal_rep")],
                founded="2019-03-01",
                status="存续",
                address=f"示例市示例路{6 if n == 4 else n}号",  # 4 shares 6's address
                region_code=region,
                industry=industry,
                business_scope="投资管理；资产管理",
                phones=[phone, "021-22220006"] if n == 7 else [phone],  # 7 shares 6's phone
                websites=[f"site{n}.example"],
            )
        )
        for back in (20, 8, 4, 0):
            if back == 0:
                idx = final
            elif back >= 8:
                idx = before
            else:
                idx = round((before + final) / 2, 1)
            dims = {
                "compliance": min(100, idx + 5),
                "complaints": max(0, idx - 10),
                "yield": min(100, idx + 10),
                "feature_words": idx,
                "spread": max(0, idx - 20),
                "network": 30.0 if n in (1, 2) else 0.0,
            }
            evid = [
                Evidence(
                    url=f"https://promo{n}.example/page" if n != 3 else "javascript:alert(3)",
                    snippet=("月息8%，保本保息，推荐一人奖励500元" if n != 3 else "<script>window.__pwned=1</script>年化36%"),
                    date=_day(back + 2),
                    doc_id=f"doc{n}",
                    source_kind="promo",
                )
            ]
            inds = [
                IndicatorResult("yield.promised_rate", "yield", 96.0, round(idx * 0.4, 1), idx, "承诺年化收益率", evid),
                IndicatorResult("feature_words.recruiting", "feature_words", 5.0, round(idx * 0.35, 1), idx, "拉人头特征词", evid),
                IndicatorResult("compliance.no_licence", "compliance", 1.0, round(idx * 0.25, 1), idx, "无牌照经营金融业务", []),
            ]
            scores.append(Score(cc, _day(back), idx, level_for(idx), dims, inds, MODEL))
        docs.append(
            Document(
                id=f"doc{n}",
                url=f"https://promo{n}.example/page",
                source_kind="promo",
                site="promo_sandbox",
                title=f"{name} 高收益项目推广",
                text=f"{name} 月息8% 保本保息 拉新奖励 资金盘 推荐奖励",
                raw_text=f"{name} 月息8% 保本保息 拉新奖励",
                fetched=f"{_day(3)}T08:00:00",
                published=_day(3),
                content_hash=f"h{n}",
                domain=f"promo{n}.example",
                mentions=[Mention(cc, "name", 0.9)],
            )
        )
    docs.append(
        Document(
            id="evil",
            url="https://evil.example/x",
            source_kind="complaint",
            site="complaints_sandbox",
            title='投诉<script>window.__pwned=1</script>无法提现',
            text='投诉 无法提现 跑路 <script>window.__pwned=1</script> ' + IMG_PAYLOAD,
            raw_text='投诉 无法提现 <script>window.__pwned=1</script> ' + IMG_PAYLOAD,
            fetched=f"{_day(1)}T09:00:00",
            published=_day(1),
            content_hash="hevil",
            domain="evil.example",
            mentions=[Mention(code(3, "110105"), "name", 0.8)],
        )
    )
    store.upsert_companies(companies)
    store.upsert_documents(docs)
    store.save_scores(scores)
    now = datetime.now().isoformat(timespec="seconds")
    store.save_alert(Alert("a1", code(1, "440300"), now, "crossing", 86.5, 55.0, "指数突破60", {"email": "sent"}))
    store.save_alert(Alert("a2", code(3, "110105"), now, "rise", 64.0, 30.0, "7日上升34<b>分</b>", {"email": "failed"}))
    store.save_run(
        Run(
            "run1",
            f"{_day(2)}T02:00:00",
            f"{_day(2)}T02:30:00",
            "ok",
            sources={"promo_sandbox": SourceStats(pages=50, items=40), "court_sandbox": SourceStats(pages=20, items=18)},
        )
    )
    store.save_run(
        Run(
            "run2",
            f"{_day(1)}T02:00:00",
            f"{_day(1)}T02:40:00",
            "partial",
            sources={
                "promo_sandbox": SourceStats(pages=3, items=0, errors={"http_403": 3}, blocked=True, blocked_reason="验证码"),
                "court_sandbox": SourceStats(pages=22, items=20),
            },
        )
    )
    return world_codes()


def world_codes() -> dict[str, str]:
    return {"top": code(6, "310115"), "evil": code(3, "110105"), "red": code(1, "440300"), "low": code(5, "110101")}
