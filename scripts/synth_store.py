#!/usr/bin/env python3
"""A synthetic store at scale, written straight through the Store interface (no crawl).

Shared by the benchmarks (``bench_store``, ``bench_cycle``) so that every store figure is
measured on the same kind of data. Everything is deterministic by ``seed``: company ``i``
is generated from its own random stream, so any slice (and the day-1 changes) comes out
the same whatever the batch size or the order of the calls.

Distributions (issue 14):

* documents per company are long-tailed: a log-normal count (mean about 5, median 3,
  a few companies with hundreds), so 1M companies give about 5M documents;
* people, addresses and phones are drawn from shared pools (a person is the legal
  representative or an executive of about three companies), and a few percent of the
  companies sit at mass-registration addresses (hundreds of companies each at 1M);
* about 0.5 % are schemes in three stages: ``early`` (promotion only), ``complaints``
  (promotion, then victims' complaints) and ``court`` (criminal judgment, registry flag,
  regulator warning); schemes of one cluster share a person or a phone and reuse each
  other's promotional text (a scheme reborn under a new name);
* texts are assembled from clause templates per genre (promotion, complaint, judgment,
  registry notice, warning, news, and legitimate look-alikes: product pages of licensed
  firms, customer disputes), with slots for brands, rates, amounts, cities and dates, so
  no two companies share a text unless they are meant to.

Usage as a script: ``PYTHONPATH=. python scripts/synth_store.py --companies 10000 --db /tmp/s.db``
prints the load rate (records/s) and the document count; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indexing.creditcode import check_digit  # noqa: E402
from indexing.models import Company, Document, Mention, Person, RegistryEntry, stable_id  # noqa: E402

AS_OF = "2026-06-30"  # day 0 of the benchmarks; day 1 is the next day
DAY1 = "2026-07-01"
SCHEME_SHARE = 0.005
STAGES = ("early", "complaints", "court")
MEAN_DOCS = 5.0
MAX_DOCS = 1500
# log-normal document counts: sigma 1.1 gives the long tail; mu is set so that the mean of
# the rounded-down count is about the mean asked for (flooring takes about half a document off).
_SIGMA = 1.1
MASS_SHARE = 0.03  # companies registered at a mass-registration address

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建国文辉力斌宇浩凯晨阳俊峰志坤"
         "雪梅琳婷倩颖佳欣怡然博涵轩睿哲鑫淼晗瑶嘉祥瑞宏海波")
REGIONS = [("110105", "北京", "朝阳区"), ("110108", "北京", "海淀区"), ("310115", "上海", "浦东新区"),
           ("310104", "上海", "徐汇区"), ("440300", "深圳", "福田区"), ("440305", "深圳", "南山区"),
           ("440106", "广州", "天河区"), ("330106", "杭州", "西湖区"), ("510107", "成都", "武侯区"),
           ("420106", "武汉", "武昌区"), ("320106", "南京", "鼓楼区"), ("370202", "青岛", "市南区"),
           ("350203", "厦门", "思明区"), ("430104", "长沙", "岳麓区"), ("610113", "西安", "雁塔区"),
           ("500105", "重庆", "江北区"), ("120101", "天津", "和平区"), ("410105", "郑州", "金水区")]
ROADS = ["中山路", "人民路", "解放路", "建设路", "和平路", "新华路", "胜利路", "长江路", "黄河路", "科技路",
         "滨海大道", "世纪大道", "金融街", "创业路", "高新路", "文化路", "体育路", "花园路"]
TRADE = ["鑫利", "恒通", "华盈", "瑞丰", "金源", "汇富", "中融", "宏达", "聚财", "安信", "信达", "海纳", "天禧",
         "众诚", "博远", "润泽", "嘉禾", "永盛", "德润", "百川", "卓越", "腾飞", "锦程", "盛世", "广源", "东方",
         "新元", "合众", "聚鑫", "福满", "银丰", "国泰", "泰和", "康宁", "易达", "优品", "星河", "云帆"]
FINANCE_KIND = ["财富管理", "投资咨询", "资产管理", "投资管理", "股权投资基金管理", "融资租赁", "互联网金融信息服务"]
PLAIN_KIND = ["科技", "贸易", "商务服务", "网络科技", "供应链管理", "餐饮管理", "建筑工程", "文化传媒", "物流",
              "电子商务", "生物科技", "农业开发", "教育咨询", "健康管理", "新能源", "机械设备", "服装", "食品"]
PRODUCTS = ["养老公寓", "区块链数字资产", "原始股", "生态农业项目", "新能源汽车项目", "艾草种植基地", "黄金理财",
            "私募股权", "消费返利商城", "共享充电宝", "古董艺术品份额", "虚拟矿机", "境外基金", "茶园认养",
            "健康养生会员", "扶贫产业基金", "旅游度假卡", "数字藏品"]
PLATFORMS = ["黑猫投诉", "12315平台", "人民网领导留言板", "聚投诉", "消费保", "新浪投诉"]
COURTS = ["人民法院", "中级人民法院"]
CIVIL_CAUSES = ["买卖合同纠纷", "租赁合同纠纷", "劳动争议", "服务合同纠纷", "民间借贷纠纷", "建设工程施工合同纠纷",
                "承揽合同纠纷", "借款合同纠纷", "股权转让纠纷"]
CRIMINAL_CAUSES = ["非法吸收公众存款罪", "集资诈骗罪", "组织、领导传销活动罪"]
ABNORMAL_REASONS = ["通过登记的住所或者经营场所无法联系", "未按规定公示年度报告", "公示企业信息隐瞒真实情况、弄虚作假"]


def credit_code(i: int) -> str:
    """The synthetic company ``i``'s 统一社会信用代码 (valid check digit)."""
    body = f"91{i % 90 + 10:02d}{i:013d}"
    return body + check_digit(body)


def company_index(code: str) -> int | None:
    """The ``i`` of ``credit_code(i)`` (None for a code this module did not make)."""
    return int(code[4:17]) if len(code) == 18 and code.startswith("91") and code[4:17].isdigit() else None


def person_name(pid: int) -> str:
    """A distinct name per person id (surname + two or three given characters), so that two
    companies share a person only when they are meant to."""
    s, rest = SURNAMES[pid % len(SURNAMES)], pid // len(SURNAMES)
    g1, rest = GIVEN[rest % len(GIVEN)], rest // len(GIVEN)
    g2, rest = GIVEN[rest % len(GIVEN)], rest // len(GIVEN)
    return s + g1 + g2 + (GIVEN[(rest - 1) % len(GIVEN)] * (1 + (rest - 1) // len(GIVEN)) if rest else "")


def _pick(rng: random.Random, seq: list[str] | str) -> str:
    return seq[int(rng.random() * len(seq))]


def _date(rng: random.Random, start_days: int, end: str = AS_OF) -> str:
    """A date between ``start_days`` before ``end`` and ``end``, newer dates likelier."""
    back = int(start_days * rng.random() ** 1.5)
    return (_day(end) - dt.timedelta(days=back)).isoformat()


@functools.lru_cache(maxsize=16)
def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


# --- text templates -----------------------------------------------------------------------
# Clauses per genre; a text is an opening, a shuffled selection of body clauses and a close,
# each with its slots filled. {b} brand, {p} product, {c} city, {y} yearly %, {m} monthly %,
# {d} daily permille, {a} amount (万元), {n} count, {r} reward, {q} person, {k} company name.
PROMO_OPEN = ["【{b}】{p}火爆招商中！", "{b}官方公告：{p}二期正式上线", "告诉你一个在家也能赚钱的好项目——{b}{p}",
              "{c}{b}{p}推介会圆满举行", "错过了房地产，别再错过{b}{p}", "{b}会员专享：{p}限时开放认购",
              "国家政策扶持，{b}{p}稳健起航", "{b}邀您共享{p}发展红利"]
PROMO_BODY = ["投资{a}万元，每月返还{m}%，年化收益高达{y}%", "保本保息，稳赚不赔，到期本金全额退还",
              "每天收益千分之{d}，日日到账，随时提现", "推荐一人奖励{r}元，直推奖、见点奖、对碰奖当天结算",
              "团队业绩达标即升级为区域代理，享受层级分红", "入会费{r}元，购买套餐即成为正式会员",
              "项目由国家部委支持，属于扶贫公益项目，绝无风险", "已有{n}名会员加入，名额有限先到先得",
              "复投可获得额外百分之{m}的奖励，收益滚动翻倍", "签订回购协议，三年后公司按原价{y}%溢价回购",
              "报单中心直接对接总部，日封顶{r}元", "消费即投资，消费多少返还多少，养老无忧",
              "拉新三人即可回本，发展下线越多收益越高", "原始股即将上市，现在认购一股一元，上市后翻{n}倍",
              "平台资金由银行存管，收益稳定可靠", "扫码加入{b}内部群，邀请码{ic}", "每周返利，周周分红，躺赚不是梦",
              "认购{p}份额，年化{y}%，满一年可转让", "老会员带新会员，层层有奖，人人都是老板"]
PROMO_CLOSE = ["机会难得，咨询电话请联系客服。", "抓紧时间，早投资早受益！", "详情请到{c}总部考察。",
               "名额有限，本周截止。", "心动不如行动，立即注册领取体验金。"]
LEGIT_OPEN = ["{k}关于{p2}业务的说明", "{k}产品介绍：{p2}", "{k}{c}分公司开业公告", "{k}客户服务须知"]
LEGIT_BODY = ["本公司持有相关监管部门颁发的经营许可证，业务接受监管", "投资有风险，过往业绩不代表未来表现",
              "产品预期年化收益率{ys}%，不承诺保本，请根据自身风险承受能力谨慎选择", "资金由第三方银行托管",
              "客户可通过官方网站查询产品净值和信息披露报告", "我们坚持合规经营，从不以高息吸引客户",
              "本季度服务客户{n}户，客户满意度持续提升", "会员推荐好友注册可获得积分，积分可兑换礼品，不涉及现金返利",
              "欢迎到{c}营业网点现场咨询", "公司已在中国证券投资基金业协会登记备案"]
COMPLAINT_OPEN = ["投诉{k}：{w}", "{b}平台{w}，请求帮助", "关于{k}{w}的投诉", "{c}市民投诉{b}{w}"]
COMPLAINT_WOES = ["无法提现", "老板跑路", "返利不兑现", "客服失联", "拒绝退还本金", "虚假宣传", "诱导投资"]
COMPLAINT_BODY = ["本人于{dt}在{b}投入{a}万元，承诺每月返还{m}%", "前几个月正常返利，最近三个月一直无法提现",
                  "客服电话打不通，微信群已经解散", "公司办公地点已经人去楼空", "要求退还本金{a}万元",
                  "业务员当初说保本保息，现在完全联系不上", "身边还有{n}位老人也被骗了", "请求有关部门尽快介入调查",
                  "平台以系统升级为由冻结账户", "对方要求继续充值才能解冻提现"]
DISPUTE_BODY = ["购买的商品存在质量问题，商家拒绝退货", "快递延误{n}天，客服态度恶劣", "会员卡余额无法退还",
                "售后维修迟迟没有答复", "合同约定的服务没有按时提供", "退款申请提交{n}天仍未到账"]
COURT_OPEN = ["{ct}\n刑事判决书\n（{yr}）刑初{cn}号", "{ct}\n民事判决书\n（{yr}）民初{cn}号",
              "{ct}\n执行裁定书\n（{yr}）执{cn}号"]
CRIMINAL_BODY = ["公诉机关指控，被告单位{k}以{p}为名，承诺年化收益{y}%，向社会公众吸收资金{a}万元",
                 "被告人{q}系{k}实际控制人，通过发展会员、层级返利的方式组织传销活动",
                 "涉及集资参与人{n}名，造成损失{a}万元", "被告人到案后如实供述犯罪事实",
                 "判决被告人{q}犯{cause}，判处有期徒刑{n}年，并处罚金", "责令退赔集资参与人经济损失"]
CIVIL_BODY = ["原告{k2}与被告{k}因{cause}诉至本院", "原告请求判令被告支付货款{a}万元及利息",
              "本院认为，双方合同合法有效，被告应当履行付款义务", "判决被告于本判决生效之日起十日内支付原告{a}万元",
              "案件受理费由被告负担", "被告经传票传唤未到庭参加诉讼"]
REGISTRY_BODY = ["{k}成立于{dt}，注册资本{a}万元，法定代表人{q}", "经营范围：{scope}",
                 "登记机关：{c}市市场监督管理局", "企业状态：存续（在营、开业、在册）",
                 "变更事项：{chg}，变更日期{dt}", "住所：{addr}"]
WARNING_OPEN = ["{c}市地方金融监督管理局关于防范{b}非法集资风险的提示", "风险提示：警惕以{p}为名的非法集资",
                "{c}公安局反诈提醒：远离{b}等传销平台", "关于防范以“{p}”名义进行非法集资的风险提示"]
WARNING_BODY = ["近期有不法分子以{p}为名，承诺高额回报，吸收公众资金", "{b}未取得任何金融业务许可",
                "凡是承诺保本保息、年化收益超过{y}%的，都要高度警惕", "请广大群众提高警惕，发现线索及时举报",
                "任何单位和个人不得以拉人头、交入门费的方式发展会员", "相关平台已被列入重点监测名单"]
NEWS_OPEN = ["{c}新闻：{k}{ev}", "快讯｜{k}{ev}", "本报讯 {k}{ev}", "财经观察：{k}{ev}"]
NEWS_EVENTS = ["发布年度经营报告", "获评{c}市优秀民营企业", "新厂区投产", "举办客户开放日", "完成新一轮融资",
               "与高校签署合作协议", "参加{c}国际博览会", "推出新一代产品"]
NEWS_BODY = ["公司负责人{q}表示，今年营业收入同比增长{m}%", "目前公司员工{n}人，业务覆盖全国多个城市",
             "该项目总投资{a}万元，预计明年投入使用", "业内人士认为，行业整体保持平稳发展",
             "公司将继续加大研发投入", "据了解，该公司成立于{yr}年"]
SCHEME_NEWS_OPEN = ["警方通报：{b}涉嫌非法集资被立案侦查", "起底{b}：高息背后的资金盘", "{c}警方捣毁{b}传销窝点"]
SCHEME_NEWS_BODY = ["{k}以{p}为名承诺年化{y}%的高额回报", "涉案金额{a}万元，涉及群众{n}人",
                    "犯罪嫌疑人{q}等已被刑事拘留", "警方提醒，高收益往往伴随高风险"]


def _slot_makers() -> dict[str, Callable[[Filler], str]]:
    def rint(lo: int, hi: int) -> Callable[[Filler], str]:
        return lambda f: str(lo + int(f.rng.random() * (hi - lo + 1)))

    def one(seq: list) -> Callable[[Filler], str]:
        return lambda f: str(seq[int(f.rng.random() * len(seq))])

    return {
        "k": lambda f: f.k, "b": lambda f: f.b, "p": lambda f: f.p, "c": lambda f: f.c, "q": lambda f: f.q,
        "scope": lambda f: f.scope, "addr": lambda f: f.addr,
        "y": one([12, 15, 18, 20, 24, 36, 48, 60, 72, 120]), "m": rint(2, 15), "d": rint(3, 30),
        "a": one([1, 2, 3, 5, 8, 10, 20, 50, 100, 300, 1200]), "n": rint(2, 3000),
        "r": one([100, 200, 300, 500, 1000, 3000]), "ic": lambda f: f"{int(f.rng.random() * 16 ** 6):06x}",
        "ys": lambda f: f"{1.5 + f.rng.random() * 2.7:.2f}", "dt": lambda f: _date(f.rng, 900),
        "yr": rint(2019, 2026), "cn": rint(1, 9999), "ct": lambda f: f.c + _pick(f.rng, COURTS),
        "cause": one(CRIMINAL_CAUSES), "w": one(COMPLAINT_WOES),
        "k2": lambda f: f.c + _pick(f.rng, TRADE) + _pick(f.rng, PLAIN_KIND) + "有限公司",
        "p2": lambda f: _pick(f.rng, PLAIN_KIND) + "服务", "ev": lambda f: _pick(f.rng, NEWS_EVENTS).replace("{c}", f.c),
        "chg": one(["法定代表人", "住所", "经营范围", "名称"]),
    }


class _Slots(dict):
    """The slot values of one fill, each drawn only when the template uses it."""

    MAKERS: dict[str, Callable[[Filler], str]] = {}

    def __init__(self, filler: Filler) -> None:
        super().__init__()
        self.filler = filler

    def __missing__(self, key: str) -> str:
        v = self[key] = self.MAKERS[key](self.filler)
        return v


@dataclass
class Filler:
    """Fills the slots of one company's texts (same company: same brand, product, city)."""

    rng: random.Random
    k: str
    b: str
    p: str
    c: str
    q: str
    scope: str
    addr: str
    extra: dict[str, str] = field(default_factory=dict)

    def fill(self, tpl: str) -> str:
        if "{" not in tpl:
            return tpl
        return tpl.format_map(_Slots(self))

    def text(self, opening: list[str], body: list[str], close: list[str] | None, lo: int, hi: int) -> tuple[str, str]:
        """(title, text): an opening, ``lo``..``hi`` body clauses in a random order, a close."""
        r = self.rng
        title = self.fill(r.choice(opening))
        clauses = r.sample(body, min(len(body), r.randint(lo, hi)))
        out = "，".join(self.fill(c) for c in clauses) + "。"
        if close:
            out += self.fill(r.choice(close))
        return title.split("\n")[-1] if "\n" in title else title, f"{title}\n{out}"


_Slots.MAKERS = _slot_makers()


# --- companies and their documents ----------------------------------------------------------
@dataclass
class Synth:
    """The synthetic world of ``companies`` companies (see module docstring)."""

    companies: int
    seed: int = 1
    scheme_share: float = SCHEME_SHARE
    mean_docs: float = MEAN_DOCS

    def __post_init__(self) -> None:
        self._mu = math.log(max(0.1, self.mean_docs) + 0.5) - _SIGMA ** 2 / 2
        n = max(1, self.companies)
        # pools drawn from with replacement: a person is in ~0.6 companies' records on average
        # (most in one, some in several), an address or a phone shared by about a quarter
        self.n_people = max(20, 4 * n)
        self.n_addresses = max(20, 3 * n)
        self.n_phones = max(20, 3 * n)
        self.n_mass = 2 + n // 10000  # mass-registration addresses (hundreds of companies each at 1M)
        self.n_agency = max(2, n // 2000)  # phones of registration agents (代理记账), shared widely
        self.scheme_every = max(1, round(1 / self.scheme_share)) if self.scheme_share > 0 else 0

    def rng(self, i: int, salt: int = 0) -> random.Random:
        return random.Random(self.seed * 1_000_003 + i * 7 + salt)

    # Schemes are every ``scheme_every``-th company (offset by the seed), in clusters of
    # consecutive schemes: scheme number s belongs to cluster s // 3.
    def scheme_no(self, i: int) -> int | None:
        if not self.scheme_every:
            return None
        off = self.seed % self.scheme_every
        return (i - off) // self.scheme_every if (i - off) % self.scheme_every == 0 and i >= off else None

    def stage(self, s: int) -> str:
        return STAGES[(s * 7 + self.seed) % 3]

    def n_docs(self, r: random.Random) -> int:
        return min(MAX_DOCS, int(r.lognormvariate(self._mu, _SIGMA)))

    def company(self, i: int) -> Company:
        return self._build(i)[0]

    def _build(self, i: int) -> tuple[Company, Filler, str | None, int | None]:
        r = self.rng(i)
        s = self.scheme_no(i)
        # the address first: the region is the address's
        if r.random() < MASS_SHARE:
            m = int(r.random() * self.n_mass)
            region, city, district = REGIONS[m % len(REGIONS)]
            addr = f"{city}市{district}{ROADS[m // len(REGIONS) % len(ROADS)]}{m + 1}号商务秘书集中办公区"
        else:
            a = int(r.random() * self.n_addresses)
            region, city, district = REGIONS[a % len(REGIONS)]
            rest = a // len(REGIONS)
            addr = f"{city}市{district}{ROADS[rest % len(ROADS)]}{rest // len(ROADS) + 1}号"
        finance = s is not None or r.random() < 0.12
        trade = _pick(r, TRADE) + _pick(r, TRADE)[0]
        kind = _pick(r, FINANCE_KIND if finance else PLAIN_KIND)
        name = f"{city}{trade}{kind}有限公司"
        if r.random() < 0.5:  # distinct names (a real register has near-homonyms, not copies)
            name = f"{city}{trade}{_pick(r, TRADE)}{kind}有限公司"
        name = name[:-4] + f"（{district}）有限公司" if r.random() < 0.1 else name
        if s is not None:  # schemes of one cluster share a person and a phone
            cluster = s // 3
            rep = person_name(self.n_people + cluster)
            phones = [f"400-{cluster % 1000:03d}-{cluster // 1000:04d}"]
        else:
            rep = person_name(int(r.random() * self.n_people))
            if r.random() < 0.03:
                phones = [f"0{region[:3]}-9{int(r.random() * self.n_agency):07d}"]
            else:
                phones = [f"0{region[:3]}-{int(r.random() * self.n_phones):08d}"]
            if r.random() < 0.3:
                phones.append(f"1{r.randint(30, 99)}{r.randrange(10 ** 8):08d}")
        people = [Person(rep, "legal_rep")]
        for _ in range(r.choice((0, 1, 1, 2, 3))):
            people.append(Person(person_name(int(r.random() * self.n_people)), r.choice(("shareholder", "executive"))))
        scope = ("投资管理；资产管理；投资咨询；企业管理咨询" if finance else f"{kind}；技术开发；销售") + "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
        brand = trade + ("财富" if finance else "")
        stage = self.stage(s) if s is not None else None
        entries: list[RegistryEntry] = []
        if stage == "court" or (s is None and r.random() < 0.02):
            entries.append(RegistryEntry("abnormal", _date(r, 500), _pick(r, ABNORMAL_REASONS), f"{city}市市场监督管理局"))
        if stage == "court" and r.random() < 0.5:
            entries.append(RegistryEntry("penalty", _date(r, 400), "未经批准擅自从事金融业务", f"{city}市地方金融监督管理局"))
        co = Company(
            credit_code=credit_code(i), name=name, legal_rep=rep, people=people,
            registered_capital=float(r.choice([10, 50, 100, 500, 1000, 5000, 10000])),
            founded=_date(r, 4000, "2025-12-31"), status="存续", address=addr, region_code=region, industry=kind,
            business_scope=scope, phones=phones,
            websites=[f"{trade_slug(i)}.example.cn"] if (s is not None or r.random() < 0.2) else [],
            aliases=[brand] if s is not None else [], entries=entries,
            amac_registered=(False if s is not None else (r.random() < 0.4)) if finance else None,
            source_url=f"https://registry.synth.test/company/{credit_code(i)}", updated=AS_OF + "T00:00:00",
        )
        product = _pick(r, PRODUCTS)
        if s is not None:  # a cluster promotes one product
            product = PRODUCTS[(s // 3) % len(PRODUCTS)]
        filler = Filler(r, name, brand, product, city, rep, scope, addr)
        return co, filler, stage, s

    def documents(self, i: int) -> list[Document]:
        """Company ``i``'s documents as of day 0."""
        return self.company_and_documents(i)[1]

    def company_and_documents(self, i: int) -> tuple[Company, list[Document]]:
        co, f, stage, s = self._build(i)
        r = f.rng
        n = self.n_docs(r)
        docs: list[Document] = []
        for j in range(n):
            docs.append(self._doc(co, f, self._kind(r, stage, j), j, stage, s))
        if stage is not None:  # a scheme has its stage's evidence whatever its count
            need = ["promo", "promo"] + (["complaint", "complaint"] if stage in ("complaints", "court") else [])
            need += ["court", "warning"] if stage == "court" else []
            for k, kind in enumerate(need):
                docs.append(self._doc(co, f, kind, n + k, stage, s))
        return co, docs

    @staticmethod
    def _kind(r: random.Random, stage: str | None, j: int) -> str:
        x = r.random()
        if stage is None:
            # an ordinary company: registry notices, news, its own product pages, a few
            # customer disputes and civil cases
            return ("registry" if x < 0.25 else "news" if x < 0.55 else "legit" if x < 0.8
                    else "dispute" if x < 0.9 else "civil" if x < 0.98 else "warning")
        if stage == "early":
            return "promo" if x < 0.8 else "registry"
        if stage == "complaints":
            return "promo" if x < 0.55 else "complaint" if x < 0.85 else "registry" if x < 0.95 else "news"
        return ("promo" if x < 0.35 else "complaint" if x < 0.6 else "court" if x < 0.75 else "warning" if x < 0.85
                else "scheme_news" if x < 0.95 else "registry")

    def _doc(self, co: Company, f: Filler, kind: str, j: int, stage: str | None, s: int | None,
             day_from: str = "") -> Document:
        r = f.rng
        code = co.credit_code
        fields: dict = {}
        published = day_from or _date(r, 700)
        role = ""
        if kind == "promo":
            if s is not None and r.random() < 0.4:
                # a cluster's schemes reuse one text: the same opening clauses from a
                # cluster-seeded stream (a scheme reborn under a new name)
                f2 = Filler(random.Random(self.seed * 31 + (s // 3)), f.k, f.b, f.p, f.c, f.q, f.scope, f.addr)
                title, text = f2.text(PROMO_OPEN, PROMO_BODY, PROMO_CLOSE, 6, 10)
                text += "，".join(f.fill(c) for c in r.sample(PROMO_BODY, r.randint(1, 3))) + "。"
            else:
                title, text = f.text(PROMO_OPEN, PROMO_BODY, PROMO_CLOSE, 4, 10)
            source, dk = "promo", "promotion"
            fields = {"page_type": r.choice(["article", "post", "landing"]), "engagement": r.randint(0, 20000),
                      "invite_codes": [f"{r.randrange(16 ** 6):06x}"] if r.random() < 0.3 else []}
        elif kind == "legit":
            title, text = f.text(LEGIT_OPEN, LEGIT_BODY, None, 3, 6)
            source, dk = "promo", "promotion"
            fields = {"page_type": "landing", "engagement": r.randint(0, 500), "invite_codes": []}
        elif kind in ("complaint", "dispute"):
            body = COMPLAINT_BODY if kind == "complaint" else DISPUTE_BODY
            title, text = f.text(COMPLAINT_OPEN, body, None, 3, 6)
            source, dk = "complaint", "complaint"
            fields = {"platform": _pick(r, PLATFORMS), "amount": float(r.choice([500, 2000, 8000, 30000, 100000])),
                      "demand": "退还本金" if kind == "complaint" else "退款", "status": r.choice(["处理中", "已回复", "已完成"]),
                      "complaint_id": f"{r.randrange(10 ** 9)}"}
        elif kind in ("court", "civil"):
            criminal = kind == "court"
            opening = [COURT_OPEN[0]] if criminal else COURT_OPEN[1:]
            title, text = f.text(opening, CRIMINAL_BODY if criminal else CIVIL_BODY, None, 3, 6)
            cause = _pick(r, CRIMINAL_CAUSES) if criminal else _pick(r, CIVIL_CAUSES)
            case_no = title.split("\n")[-1]
            role = "defendant" if criminal or r.random() < 0.7 else "plaintiff"
            fields = {"case_no": case_no, "court": f.c + COURTS[0], "cause": cause,
                      "judgment_type": "判决书", "amount": float(r.choice([3, 10, 50, 200, 1000])) * 10000,
                      "parties": [{"name": co.name, "role": role, "credit_code": code}], "dishonest": False}
            title = f"{co.name}{cause}一审{'刑事' if criminal else '民事'}判决书"
            source, dk = "court", "judgment"
        elif kind == "registry":
            title, text = f.text([f"{co.name}企业信用信息公示报告"], REGISTRY_BODY, None, 3, 6)
            source, dk = "registry", "registry"
        elif kind == "warning":
            title, text = f.text(WARNING_OPEN, WARNING_BODY, None, 3, 5)
            source, dk = "promo", "warning"
        elif kind == "scheme_news":
            title, text = f.text(SCHEME_NEWS_OPEN, SCHEME_NEWS_BODY, None, 2, 4)
            source, dk = "promo", "news"
        else:  # news
            title, text = f.text(NEWS_OPEN, NEWS_BODY, None, 2, 5)
            source, dk = "promo", "news"
        fields["doc_kind"] = dk
        url = f"https://{source}.synth.test/{code}/{kind}/{j}"
        if source == "promo" and co.websites and kind in ("promo", "legit"):
            url = f"https://{co.websites[0]}/p/{j}"
        return Document(
            id=stable_id(url), url=url, source_kind=source, site=f"synth-{source}", title=title, text=text,
            fetched=published + "T08:00:00", published=published, raw_text="",
            content_hash=hashlib.sha1(text.encode("utf-8")).hexdigest(), domain=url.split("/")[2],
            mentions=[Mention(code, "party" if role else "name", 0.95, role)], fields=fields,
        )

    # --- day 1 -----------------------------------------------------------------------------
    def day1(self, share: float = 0.01) -> tuple[list[Company], list[Document]]:
        """The day-1 changes of ``share`` of the companies (deterministic): new promotional
        pages, complaints, registry flags (an 经营异常 entry) and new ties (a person of
        another company joins), a quarter each; returns (changed companies, new documents)."""
        n = self.companies
        k = max(1, round(n * share))
        pick = random.Random(self.seed * 7919 + 1).sample(range(n), k)
        companies: list[Company] = []
        docs: list[Document] = []
        for t, i in enumerate(sorted(pick)):
            co, f, stage, s = self._build(i)
            r = self.rng(i, salt=1)
            f.rng = r
            what = t % 4
            if what == 0:
                for j in range(r.randint(1, 3)):
                    docs.append(self._doc(co, f, "promo", 10_000 + j, stage or "early", s, DAY1))
            elif what == 1:
                for j in range(r.randint(1, 3)):
                    docs.append(self._doc(co, f, "complaint", 10_000 + j, stage, s, DAY1))
            elif what == 2:
                co.entries.append(RegistryEntry("abnormal", DAY1, _pick(r, ABNORMAL_REASONS), f"{f.c}市市场监督管理局"))
                co.updated = DAY1 + "T00:00:00"
                companies.append(co)
            else:
                other = self._build(r.randrange(n))[0]
                co.people.append(Person(other.legal_rep, "shareholder", 0.3))
                co.updated = DAY1 + "T00:00:00"
                companies.append(co)
        return companies, docs

    def expected_documents(self) -> int:
        return round(self.companies * self.mean_docs)


def trade_slug(i: int) -> str:
    return f"s{i:x}"


@dataclass
class LoadStats:
    companies: int = 0
    documents: int = 0
    seconds: float = 0.0  # inside the store calls
    wall: float = 0.0

    @property
    def records(self) -> int:
        return self.companies + self.documents

    @property
    def rate(self) -> float:
        return self.records / self.wall if self.wall else 0.0


def batches(synth: Synth, size: int = 2000, start: int = 0, stop: int | None = None
            ) -> Iterator[tuple[list[Company], list[Document]]]:
    """(companies, their documents) for companies ``start`` .. ``stop``, ``size`` companies at a time."""
    stop = synth.companies if stop is None else stop
    for lo in range(start, stop, size):
        cos, docs = [], []
        for i in range(lo, min(stop, lo + size)):
            co, ds = synth.company_and_documents(i)
            cos.append(co)
            docs.extend(ds)
        yield cos, docs


def load(store, synth: Synth, *, batch: int = 2000, progress: bool = True, every_s: float = 30.0,
         label: str = "load", jobs: int = 1, opener: Callable[[], Any] | None = None) -> LoadStats:
    """Write every company and its documents into ``store`` through ``upsert_companies`` and
    ``upsert_documents``, ``batch`` companies (and their documents) per call. Progress (records,
    rate, projected time left) goes to stderr every ``every_s`` seconds.

    ``jobs`` > 1 (with ``opener``, which opens the same store): that many processes generate
    and write batches in turn, each through its own store connection. Tokenising the text
    (jieba, in the store's write methods) is most of a load and runs before a backend takes
    its write lock, so the processes overlap on different cores; the writes themselves stay
    one at a time (SQLite's single writer)."""
    st = LoadStats()
    t0 = last = time.monotonic()
    expected = synth.companies + synth.expected_documents()

    def tick(force: bool = False) -> None:
        nonlocal last
        now = time.monotonic()
        if progress and st.records and (force or now - last >= every_s):
            last = now
            rate = st.records / (now - t0) if now > t0 else 0.0
            left = max(0, expected - st.records) / rate if rate else 0
            print(f"[{label}] {st.companies:,}/{synth.companies:,} companies, {st.documents:,} documents; "
                  f"{rate:,.0f} records/s; about {left / 60:,.1f} min left", file=sys.stderr, flush=True)

    if jobs > 1 and opener is not None:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        q = ctx.Queue()
        procs = [ctx.Process(target=_load_part, args=(opener, synth, batch, k, jobs, q), daemon=True)
                 for k in range(jobs)]
        for p in procs:
            p.start()
        running = jobs
        while running:
            try:
                msg = q.get(timeout=1.0)
            except Exception:  # noqa: BLE001 - queue.Empty: check the workers are alive
                if not any(p.is_alive() for p in procs) and q.empty():
                    raise RuntimeError("a load worker died") from None
                tick()
                continue
            if msg is None:
                running -= 1
                continue
            if isinstance(msg, str):
                raise RuntimeError(f"a load worker failed: {msg}")
            st.companies += msg[0]
            st.documents += msg[1]
            st.seconds += msg[2]
            tick()
        for p in procs:
            p.join()
    else:
        for cos, docs in batches(synth, batch):
            t = time.perf_counter()
            store.upsert_companies(cos)
            store.upsert_documents(docs)
            st.seconds += time.perf_counter() - t
            st.companies += len(cos)
            st.documents += len(docs)
            tick()
    tick(force=True)
    st.wall = time.monotonic() - t0
    return st


def _load_part(opener: Callable[[], Any], synth: Synth, batch: int, k: int, jobs: int, q: Any) -> None:
    """One load process: batches k, k + jobs, k + 2 jobs ... of the companies."""
    try:
        with opener() as store:
            for lo in range(k * batch, synth.companies, jobs * batch):
                for cos, docs in batches(synth, batch, lo, min(synth.companies, lo + batch)):
                    t = time.perf_counter()
                    store.upsert_companies(cos)
                    store.upsert_documents(docs)
                    q.put((len(cos), len(docs), time.perf_counter() - t))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops the load
        q.put(f"{type(exc).__name__}: {exc}")
        raise
    q.put(None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--companies", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db", type=Path, required=True, help="SQLite store file to write")
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=1, help="load processes (each tokenises its own batches)")
    args = ap.parse_args()
    from indexing.store.sqlite import SQLiteStore

    with SQLiteStore(args.db) as store:
        st = load(store, Synth(args.companies, args.seed), batch=args.batch, jobs=args.jobs,
                  opener=lambda: SQLiteStore(args.db))
    print(f"companies={st.companies} documents={st.documents} load_s={st.wall:.1f} "
          f"records_per_s={st.rate:.0f} in_store_s={st.seconds:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
