"""Hand-built companies and documents for the scorer's tests (no store, no sandbox)."""

from __future__ import annotations

import pytest

from indexing.models import Company, Document, Mention, Person, RegistryEntry, stable_id
from indexing.normalize import normalize_text
from scoring.context import ScoringContext
from scoring.model import load_model

AS_OF = "2024-06-30"

SCHEME_PROMO = (
    "【鑫聚财富】国家支持的普惠金融项目，年化收益高达36%，保本保息，稳赚不赔！投1万每月返800，每日分红秒到账。"
    "直推奖10%，见点奖拿五代，对碰奖日封顶5万，静态收益加动态收益，复投收益翻倍。名额有限，早进早赚！"
    "有人说我们是传销？这不是传销，是国家认可的资本运作。扫码加微信，邀请码 XJ8866，上海、杭州、成都均有分会场。"
)
RECRUIT_POST = (
    "诚招团队长！鑫聚财富首码刚出，零门槛，推荐一人奖励300元，伞下业绩拿层推奖，躺赚月入过万。"
    "想赚钱的宝妈私信我，注册链接见评论，邀请码 XJ8866。"
)
BANK_PAGE = (
    "招财银行“稳盈”系列理财产品：业绩比较基准年化3.20%，期限182天，产品风险等级R2（中低风险）。"
    "理财非存款、产品有风险、投资须谨慎。本产品不保证本金和收益，过往业绩不代表未来表现，请仔细阅读风险揭示书及产品说明书。"
    "我行持有金融许可证，欢迎到各网点咨询。"
)
WARNING = (
    "风险提示：近期，部分不法分子打着“国家支持”“养老项目”的旗号，承诺保本保息、年化收益30%以上，"
    "以直推奖、见点奖、对碰奖等方式发展下线。市地方金融监督管理局提醒广大群众提高警惕，切勿轻信高额回报，"
    "发现线索请拨打举报电话。"
)


def doc(text: str, kind: str = "promo", title: str = "", url: str = "", date: str = "2024-05-01",
        code: str = "", role: str = "", fields: dict | None = None, site: str = "") -> Document:
    url = url or f"http://{site or 'site'}.test/{stable_id(text, title)}"
    return Document(
        id=stable_id(url), url=url, source_kind=kind, site=site or url.split("/")[2], title=title,
        text=normalize_text(text), fetched=date + "T00:00:00", published=date, raw_text=text,
        content_hash=stable_id(text), domain=url.split("/")[2],
        mentions=[Mention(code, "name", 1.0, role)] if code else [], fields=fields or {},
    )


def company(code: str = "91310000MA1FL0001X", name: str = "上海鑫聚财富投资管理有限公司", **kw) -> Company:
    base = dict(
        legal_rep="王某某", people=[Person("王某某", "legal_rep")], registered_capital=10000.0, paid_in_capital=0.0,
        founded="2023-09-01", status="存续", address="上海市浦东新区世纪大道100号2201室", region_code="310115",
        industry="商务服务业", business_scope="投资管理；资产管理；投资咨询", source_url=f"http://registry.sandbox.test/company/{code}",
    )
    base.update(kw)
    return Company(credit_code=code, name=name, **base)


@pytest.fixture(scope="session")
def model():
    return load_model()


@pytest.fixture
def context():
    return ScoringContext(as_of=AS_OF)


__all__ = ["AS_OF", "BANK_PAGE", "RECRUIT_POST", "SCHEME_PROMO", "WARNING", "RegistryEntry", "company", "doc"]
