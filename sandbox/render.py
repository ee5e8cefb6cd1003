"""Text of every document, rendered on request from the seed and parameters stored in
world.db. Pure functions: the same row always gives the same text. The sites layer
(``sandbox.sites``) wraps the result in HTML or JSON."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sandbox.text import banks as B
from sandbox.text import evasion
from sandbox.text.grammar import expand, pick, seeded, sentence
from sandbox.text.yields import hidden_alt, hidden_yield, legit_yield, scheme_yield

SCRIPT = '<script>alert("sandbox-xss")</script>'


@dataclass
class Doc:
    title: str
    date: str
    blocks: list[tuple] = field(default_factory=list)  # ("p", text) | ("img", alt) | ("post", author, date, text)
    invite: str | None = None


def _end(text: str) -> str:
    return text if text[-1:] in "。！？!?" else text + "。"


def _invite(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(rng.choice((4, 6, 6, 8))))


def _scheme_ctx(rng: random.Random, prof: dict[str, Any]) -> dict[str, str]:
    s = prof["scheme"]
    arch = s["archetype"]
    brand = s["brand"]
    ctx = {
        "brand": brand, "city": prof["city"], "entry": str(s["entry"]), "minimum": str(rng.choice((100, 500, 1000, 3000, 5000, 10000))),
        "bonus": str(rng.choice((1, 2, 3, 5, 8, 10))), "direct": str(rng.choice((5, 8, 10, 15, 20, 30))),
        "direct2": str(rng.choice((3, 5, 8))), "levels": str(rng.choice((3, 5, 7, 9, 12, 15))),
        "cap": str(rng.choice((3000, 5000, 10000, 20000))), "multiple": str(rng.choice((2, 3, 5, 10))),
        "share": str(rng.choice((10, 12, 15, 20, 30, 50))), "daily": str(rng.choice((1, 2, 3, 5, 8))),
        "period": str(rng.choice((7, 15, 30, 90, 180, 360))), "price": f"{rng.choice((0.8, 1.5, 2, 3.8, 5))}",
        "month": str(rng.randrange(1, 13)), "n": str(rng.randrange(3, 50)), "daily_income": f"{rng.randrange(3, 20)}00",
        "reward": str(rng.choice((50, 88, 100, 200, 300))), "invite": _invite(rng), "months": str(rng.randrange(2, 18)),
        "withdrawn": str(rng.randrange(2, 90) * 100),
    }
    ctx["product"] = pick(rng, B.A[arch]["products"], ctx)
    ctx["yield"] = hidden_yield(rng) if s.get("hidden") else scheme_yield(rng, s["annual"])
    return ctx


def _parts(entry: tuple) -> list[list[str]]:
    return [[t] for t in entry]


_PLANS = {
    "home": ("hooks", "mechanics", "legit", "guarantee", "mechanics", "urgency", "testimonial", "denial?"),
    "about": ("legit", "hooks", "intro", "legit", "mechanics", "event"),
    "plan": ("mechanics", "mechanics", "recruit", "mechanics", "guarantee", "urgency", "denial?"),
    "join": ("recruit", "recruit", "mechanics", "recruit", "urgency", "guarantee"),
    "news": ("event", "hooks", "testimonial", "mechanics", "legit", "urgency", "event?"),
    "softad": ("event", "hooks", "intro", "mechanics", "testimonial", "legit", "guarantee", "urgency"),
    "post": ("hooks", "mechanics", "recruit", "guarantee"),
}

_EVENTS = (
    ("[近日|上周|{month}月初|日前]", "{brand}[{city}运营中心|{city}分公司|华东大区|西南区域服务中心][盛大开业|正式揭牌|隆重开幕]",
     "[现场来宾|到场会员|参会代表]超过{n}00人"),
    ("[{brand}|公司]在[{city}|三亚|澳门|曼谷][举办|召开][千人表彰大会|年度盛典|战略发布会|财富峰会]",
     "[多位|{n}位][优秀会员|市场领袖|团队长]获得[豪车奖励|万元奖金|出国游名额]"),
    ("[截至目前|上线{months}个月以来]", "{brand}[注册会员|用户|持币地址]突破{n}万", "[业绩|交易额][同比增长|环比增长]{share}0%"),
)
_INTRO = (
    ("{brand}[隶属于|由][{name}|{name}]运营", "[总部位于{city}|注册资本{capital}万元|团队来自知名金融机构]"),
    ("[公司|平台][秉承|坚持][诚信、共赢、分享|稳健、透明、创新]的理念", "[致力于|专注于][普惠金融|大健康产业|数字经济|养老事业|消费升级]"),
)


def _scheme_sentence(kind: str, rng: random.Random, arch: str, ctx: dict[str, str]) -> str:
    a = B.A[arch]
    bank = {
        "hooks": a["hooks"], "mechanics": a["mechanics"], "legit": B.LEGITIMACY, "guarantee": B.GUARANTEE,
        "urgency": B.URGENCY, "recruit": B.RECRUIT, "testimonial": B.TESTIMONIAL, "event": _EVENTS, "intro": _INTRO,
    }.get(kind)
    if kind == "denial":
        return _end(expand(rng, rng.choice(B.DENIAL), ctx))
    if kind == "mechanics" and not ctx.get("hidden"):
        ctx = {**ctx, "yield": scheme_yield(rng, float(ctx.get("annual", "0.2")))}
    return sentence(rng, _parts(rng.choice(bank)), ctx)


def scheme_page(prof: dict[str, Any], ptype: str, path: str, seed: int, when: str, img: bool = False) -> Doc:
    """A scheme's promotional or recruiting page. Sentences are drawn from the scheme's
    style seed and the path, so a reborn scheme (same style) near-copies its parent."""
    s = prof["scheme"]
    arch = s["archetype"]
    own = seeded(seed, "page")
    ctx = _scheme_ctx(seeded(s["style"], path, "ctx"), prof)
    ctx.update({"brand": s["brand"], "annual": str(s["annual"]), "name": prof["names"][-1][1],
                "capital": str(prof["capital"])})
    if s.get("hidden"):
        ctx["hidden"] = "1"
    plan = _PLANS.get(ptype, _PLANS["news"])
    sentences: list[str] = []
    kind_of: list[str] = []
    extra = seeded(s["style"], path, "n").randrange(0, 4)
    kinds = list(plan) + ["mechanics", "testimonial", "recruit", "hooks"][:extra]
    for k, kind in enumerate(kinds):
        srng = seeded(s["style"], path, k)
        if kind.endswith("?"):
            if srng.random() > (0.6 if arch in ("pyramid", "mutual_aid") else 0.3):
                continue
            kind = kind[:-1]
        if own.random() < 0.2:  # a reborn scheme's copy is near, not exact
            srng = seeded(seed, path, k)
        sentences.append(_scheme_sentence(kind, srng, arch, ctx))
        kind_of.append(kind)
    title_rng = seeded(s["style"], path, "title")
    title = {
        "home": expand(title_rng, "{brand}[官网|官方网站|首页]——[{product}|让财富稳健增长|开启财富之门|共享未来]", ctx),
        "about": expand(title_rng, "[关于我们|公司简介|企业介绍]-{brand}", ctx),
        "plan": expand(title_rng, "{brand}[奖金制度|收益计划|产品介绍|合作模式][详解|说明|一览]", ctx),
        "join": expand(title_rng, "[加入{brand}|{brand}招募合伙人|诚邀加盟{brand}|{brand}代理招募]", ctx),
    }.get(ptype) or expand(title_rng, "[{brand}|{product}][最新动态|新闻|资讯]：" + sentences[0][:14], ctx)
    doc = Doc(title=title, date=when)
    trick_rng = seeded(seed, "evasion")
    tricks: tuple[str, ...] = ()
    if trick_rng.random() < s.get("evasion", 0):
        tricks = tuple(trick_rng.sample(evasion.TRICKS, trick_rng.choice((1, 1, 2))))
    img_at = trick_rng.randrange(len(sentences)) if img else -1
    for k, text in enumerate(sentences):
        if tricks and trick_rng.random() < 0.6:
            text = evasion.apply(trick_rng, text, tricks)
        if s.get("hidden") and kind_of[k] == "mechanics":
            doc.blocks.append(("img", hidden_alt(trick_rng)))  # the returns are in the picture, not its alt
        elif k == img_at:
            doc.blocks.append(("img", text))  # key text only in the image's alt
        else:
            doc.blocks.append(("p", text))
    if ptype in ("join", "home", "post", "softad") or own.random() < 0.3:
        doc.invite = ctx["invite"]
    return doc


# ------------------------------------------------------------------ forum threads

_AUTHORS = ("财富自由", "小鱼儿", "追梦人", "宝妈一枚", "老张", "理财小白", "阳光", "月亮姐姐", "风清扬", "创业哥", "静待花开", "天天向上")


def thread(prof: dict[str, Any], ptype: str, path: str, seed: int, when: str, replies: int, end: str | None,
           as_of: str) -> Doc:
    rng = seeded(seed, "thread")
    if ptype == "legit_referral":
        brand = prof["brands"][0] if prof["brands"] else prof["names"][-1][1]
        ctx = {"brand": brand}
        title = expand(rng, "[{brand}邀请好友活动靠谱吗|{brand}拉新返红包|分享{brand}的新人券]", ctx)
        doc = Doc(title=title, date=when)
        doc.blocks.append(("post", rng.choice(_AUTHORS), when, sentence(rng, _parts(rng.choice(B.ECOMMERCE)), ctx)))
        doc.blocks.append(("post", rng.choice(_AUTHORS), when, expand(rng, "[就几块钱的券|正常的拉新活动]，[没什么风险|别想太多]。", ctx)))
        return doc
    s = prof["scheme"]
    ctx = _scheme_ctx(rng, prof)
    ctx.update({"annual": str(s["annual"]), "name": prof["names"][-1][1], "capital": str(prof["capital"])})
    if s.get("hidden"):
        ctx["hidden"] = "1"
    title = expand(rng, "[{brand}|{product}][真的能赚钱吗|最新收益截图|月入过万不是梦|招募团队长|宝妈在家也能做|"
                        "带你了解{brand}|已提现，分享心得|新项目首发]", ctx)
    doc = Doc(title=title, date=when)
    first = [_scheme_sentence(k, seeded(seed, "p", i), s["archetype"], ctx) for i, k in enumerate(_PLANS["post"])]
    if rng.random() < s.get("evasion", 0):
        first = [evasion.apply(rng, t, (rng.choice(evasion.TRICKS),)) for t in first]
    promoter = rng.choice(_AUTHORS) + str(rng.randrange(10, 99))
    doc.blocks.append(("post", promoter, when, "".join(first)))
    d0 = date.fromisoformat(when)
    for r in range(replies):
        rd = (d0 + timedelta(days=1 + r * rng.randrange(1, 25))).isoformat()
        if rd > as_of:
            break
        rrng = seeded(seed, "r", r)
        if end and rd > end:
            text = expand(rrng, "[{brand}|平台][已经跑路了|提不了现了|APP打不开了|客服联系不上]，[大家报警吧|本金全没了|有没有维权群|后悔啊]。", ctx)
        elif rrng.random() < 0.4:
            text = expand(rrng, rrng.choice(B.SKEPTIC), ctx)
            if rrng.random() < 0.5:
                doc.blocks.append(("post", rrng.choice(_AUTHORS), rd, text))
                text = _end(expand(rrng, rrng.choice(B.DENIAL), ctx))
                doc.blocks.append(("post", promoter, rd, text))
                continue
        else:
            text = sentence(rrng, _parts(rrng.choice(B.TESTIMONIAL)), ctx)
        doc.blocks.append(("post", rrng.choice(_AUTHORS), rd, text))
    doc.invite = ctx["invite"]
    return doc


# ------------------------------------------------------------------ legitimate pages


def legit_page(prof: dict[str, Any], ptype: str, seed: int, when: str, annual: float | None) -> Doc:
    rng = seeded(seed, "legit")
    sub = ptype.rsplit("_", 1)[0]
    brand = prof["brands"][0] if prof["brands"] else prof["names"][-1][1]
    ctx = {"brand": brand, "legit_yield": legit_yield(rng, annual or rng.uniform(0.018, 0.035)), "city": prof["city"],
           "n": str(rng.randrange(10, 500)), "year": prof["names"][0][0][:4], "address": prof["address"],
           "phone": prof["phones"][0]}
    bank = {"bank": B.BANK, "fund": B.FUND, "ecommerce": B.ECOMMERCE, "direct_selling": B.DIRECT_SELLING}.get(sub, B.ORDINARY_GENERIC)
    order = list(bank)
    rng.shuffle(order)  # each pattern at most once per page
    sents = [sentence(rng, _parts(entry), ctx) for entry in order[: rng.randrange(2, len(order) + 1)]]
    if sub in ("bank", "fund"):  # the disclaimer is always there, phrased variously
        sents.append(sentence(rng, _parts(bank[1]), ctx))
    sents.append(sentence(rng, _parts(rng.choice(B.ORDINARY_GENERIC)), ctx))
    title = expand(rng, {"bank": "{brand}[理财产品|财富管理|个人金融]", "fund": "{brand}[基金产品|产品净值|信息披露]",
                         "ecommerce": "{brand}[商城|活动专区|邀请有礼]", "direct_selling": "{brand}[产品中心|直销信息披露|企业社会责任]"}
                   .get(sub, "{brand}"), ctx)
    return Doc(title=title, date=when, blocks=[("p", t) for t in sents])


def ordinary_page(prof: dict[str, Any], ptype: str, seed: int, when: str, industry: str) -> Doc:
    rng = seeded(seed, "ord")
    brand = prof["names"][-1][1]
    ctx = {"brand": brand, "city": prof["city"], "n": str(rng.randrange(5, 300)), "year": prof["names"][0][0][:4],
           "address": prof["address"], "phone": prof["phones"][0]}
    sents = []
    if industry in B.ORDINARY:
        sents.append(sentence(rng, _parts(B.ORDINARY[industry]), ctx))
    sents += [sentence(rng, _parts(rng.choice(B.ORDINARY_GENERIC)), ctx) for _ in range(rng.randrange(2, 5))]
    sents.append(expand(rng, f"经营范围：{prof['scope']}。"))
    title = {"home": brand, "about": f"关于我们 - {brand}", "product": f"产品与服务 - {brand}"}.get(ptype.split("_")[-1], brand)
    return Doc(title=title, date=when, blocks=[("p", t) for t in sents])


# ------------------------------------------------------------------ complaints

_C_TITLES = {
    1: ("{typed}[提现一直审核中|提现迟迟不到账|返利不兑现|突然限制提现|要求继续充值才能提现]，[请求帮助|求解决|要求退款]",
        "[投诉|曝光]{typed}[虚假宣传|诱导投资|拉人头]"),
    2: ("{typed}[跑路了|已经失联|APP关闭|老板失联]，[要求退还本金|求曝光|请有关部门处理]",
        "[{typed}|{typed}平台]暴雷，[{amount}元血汗钱|养老钱|本金][拿不回来|没了]"),
    0: ("{typed}[退款迟迟不到账|客服态度差|物流太慢|乱扣费|会员自动续费]",
        "[投诉|反映]{typed}[服务问题|售后问题|收费不透明]"),
}
_C_BODY = {
    1: ("[{year}年{month}月|去年{month}月|今年初][经朋友介绍|在朋友圈看到广告|被拉进微信群][注册了|加入了]{typed}",
        "[先后|陆续][投入|充值|购买产品]{amount}元", "[当时|业务员]承诺{yield}",
        "[最近|从上个月开始][提现一直显示审核中|返利突然停了|要求再充值才能解冻|客服推说系统升级]",
        "[担心是资金盘|怀疑是骗局|身边很多人都遇到同样问题]"),
    2: ("[我|我母亲|我父亲|我家老人]在{typed}[投了|买了|存了]{amount}元",
        "[{month}月{day}日起|上周开始][APP无法登录|公司人去楼空|群被解散|老板失联]",
        "[现在|目前][报警了|已经去派出所登记|正在找维权群]", "[这是我们的养老钱|全部积蓄都在里面|借了网贷投进去的]",
        "[请平台帮忙|希望有关部门]{demand}"),
    0: ("[{month}月{day}日|上周][在{typed}|通过{typed}][下单|办理业务|购买会员]",
        "[到现在|至今][没有处理|没有回复|没有退款]", "[多次联系客服|打了好几次电话][都没用|被推来推去]"),
}
_DEMANDS = {0: ("退款", "赔偿", "道歉"), 1: ("退还本金", "解冻账户", "正常提现"), 2: ("退还本金", "追回损失", "立案侦查"),
            3: ("退款", "退还预付费", "赔偿损失", "给个说法")}
# angry customers of legitimate businesses (hard worlds): severe words, no scheme behind them
_ANGRY = {
    "gym": ("{typed}[突然关门|说倒闭就倒闭|老板跑路了]，[年卡|私教课]{amount}元退不了",
            "[我|我和同事]在{typed}办了[年卡|私教课]{amount}元，[上周|{month}月{day}日]去的时候门店[已经关门|贴了停业通知]，[老板电话打不通|教练也联系不上]"),
    "school": ("{typed}[停课不退费|卷钱跑路|退费难]，[学费|课时费]{amount}元[要不回来|没人管]",
               "[孩子|我]在{typed}报了[课|一年的课]，交了{amount}元学费，[现在机构突然停课|校区关门了]，[退费申请一直没人处理|老师都被拖欠工资]"),
    "travel": ("{typed}[取消行程不退款|退款拖了三个月]，{amount}元[到现在没退|要不回来]",
               "[{month}月|去年]在{typed}报了旅游团，交了{amount}元，[行程被取消后|因疫情取消后]承诺[一个月内退款|尽快退款]，[到现在还没退|一直拖着]"),
    "salon": ("{typed}[办卡后闭店|储值卡不能用了]，{amount}元[打水漂|退不了]",
              "[在{typed}办了|被店员劝着充了]{amount}元的储值卡，[没用几次门店就关了|现在店面转让了]，[店长说找总部|总部电话打不通]"),
    "refund": ("{typed}[退款迟迟不到账|售后推诿|拒不退款]，{amount}元[讨不回|要个说法]",
               "[{month}月{day}日|上个月]在{typed}[买了|订了][一台空调|一台冰箱|会员服务]，[申请退款后|退货后]{amount}元[至今没到账|一直在审核]，[客服一直推脱|投诉多次没结果]"),
}


def complaint(row: dict[str, Any], when: str, prof: dict[str, Any], as_of: str | None = None) -> tuple[Doc, dict[str, Any]]:
    rng = seeded(row["seed"], "complaint")
    phase = row["phase"]
    annual = (prof.get("scheme") or {}).get("annual", 0.2)
    d = date.fromisoformat(when)
    ctx = {"typed": row["typed"], "amount": str(row["amount"]), "year": str(d.year - rng.randrange(0, 2)),
           "month": str(rng.randrange(1, 13)), "day": str(rng.randrange(1, 29)), "yield": scheme_yield(rng, annual)}
    demand = rng.choice(_DEMANDS[phase])
    ctx["demand"] = demand
    story = str(row.get("arch") or "").removeprefix("angry_")
    if phase == 3:
        title_t, body_t = _ANGRY.get(story, _ANGRY["refund"])
        title = expand(rng, title_t, ctx)
        body = expand(rng, body_t, ctx) + "。" + expand(rng, "[太气人了|真是坑人|欺人太甚]，[已经报警|准备起诉|已向市场监管部门反映]，[请平台帮忙|要求]{demand}。", ctx)
        status = rng.choice(("处理中", "待回复", "已回复"))
        return Doc(title=title, date=when, blocks=[("p", body)]), {"amount": row["amount"], "demand": demand, "status": status}
    if row.get("arch") == "service_bank":
        title = expand(rng, "{typed}[信用卡年费乱收|理财赎回到账慢|网点排队太久|客服电话打不通]，[要求解决|请求处理]", ctx)
    else:
        title = expand(rng, rng.choice(_C_TITLES[phase]), ctx)
    parts = [expand(rng, t, ctx) for t in _C_BODY[phase]]
    if phase == 0:
        parts = parts[:3]
    body = "，".join(parts[:2]) + "。" + "。".join(parts[2:]) + "。"
    if row.get("script"):
        body += SCRIPT  # a user pasted markup: the UI must show it escaped
    status = "已完成" if phase == 0 and rng.random() < 0.6 else rng.choice(("处理中", "待回复", "已回复"))
    if as_of is not None and as_of < (d + timedelta(days=3 + row["seed"] % 20)).isoformat():
        status = "待回复"  # the company has not answered yet, as of the date served
    meta = {"amount": row["amount"], "demand": demand, "status": status}
    return Doc(title=title, date=when, blocks=[("p", body)]), meta


# ------------------------------------------------------------------ judgments

def judgment_text(j: dict[str, Any], prof: dict[str, Any]) -> str:
    rng = seeded(j["seed"], "judgment")
    s = prof.get("scheme") or {}
    brand = s.get("brand") or (prof["brands"][0] if prof["brands"] else "")
    parties = j["parties"]
    defendant = next((p["name"] for p in parties if p["role"] == "defendant"), "")
    plaintiff = next((p["name"] for p in parties if p["role"] == "plaintiff"), "")
    d = date.fromisoformat(j["date"])
    ctx = {"court": j["court"], "defendant": defendant, "plaintiff": plaintiff, "brand": brand,
           "amount": f"{j['amount'] or rng.randrange(1, 300) * 1000}", "n": str(rng.randrange(50, 9000)), "y1": str(d.year - 2), "y2": str(d.year - 1),
           "m1": str(rng.randrange(1, 13)), "m2": str(rng.randrange(1, 13)), "entry": str(s.get("entry", 980)),
           "levels": str(rng.randrange(3, 30)), "yield": scheme_yield(rng, s.get("annual", 0.2)) if s else "月息2分",
           "years": str(rng.randrange(3, 11)), "fine": str(rng.randrange(20, 500)), "case_no": j["case_no"]}
    out = [expand(rng, "{court}\n[刑事判决书|民事判决书]\n{case_no}\n" if False else "{case_no}", ctx)]
    if j["jtype"] == "criminal":
        out.append(expand(rng, "公诉机关{plaintiff}。被告单位{defendant}。", ctx))
        if j["cause"].startswith("组织"):
            out.append(expand(rng, "公诉机关指控：{y1}年{m1}月至{y2}年{m2}月，被告单位以“{brand}”[项目|平台]名义，"
                                   "[以推销商品、提供服务为名|以“资本运作”为幌子]，要求参加者缴纳{entry}元[购买产品|作为入门费]获得加入资格，"
                                   "并按照一定顺序组成层级，直接或者间接以发展人员的数量作为计酬或者返利依据，"
                                   "[引诱|骗取]参加者继续发展他人参加，[层级达{levels}层|发展会员{n}余人]，[骗取财物|收取费用]共计{amount}元。", ctx))
        else:
            out.append(expand(rng, "公诉机关指控：{y1}年{m1}月至{y2}年{m2}月，被告单位{defendant}在未经有关部门依法批准的情况下，"
                                   "以“{brand}”[平台|项目]名义，通过[网络宣传|召开推介会|发放宣传单|微信群推广]等方式向社会公开宣传，"
                                   "承诺[{yield}|还本付息|给付高额回报]，向社会不特定公众吸收资金共计{amount}元，涉及集资参与人{n}人，"
                                   "[案发时尚有|造成]大量本金未能兑付。", ctx))
        out.append(expand(rng, "本院认为，被告单位{defendant}[违反国家金融管理法律规定|违反国家规定]，其行为已构成" + j["cause"] +
                               "，[公诉机关指控的罪名成立|事实清楚，证据确实、充分]。", ctx))
        out.append(expand(rng, "判决如下：一、被告单位{defendant}犯" + j["cause"] + "，判处罚金人民币{fine}万元；"
                               "二、被告人犯" + j["cause"] + "，判处有期徒刑{years}年；三、[责令退赔|继续追缴]违法所得，发还集资参与人。", ctx))
    else:
        out.append(expand(rng, "原告{plaintiff}与被告{defendant}" + j["cause"] + "一案，本院立案后，依法适用[简易程序|普通程序]，公开开庭进行了审理。", ctx))
        if j["jtype"] == "civil_lending":
            out.append(expand(rng, "原告向本院提出诉讼请求：判令被告[偿还借款本金|返还投资款]{amount}元及[利息|资金占用费]。"
                                   "事实与理由：原告[经业务员推荐|通过被告平台]于{y2}年{m1}月[出借|投入]资金，被告承诺{yield}，"
                                   "到期后被告[未按约定还本付息|以各种理由拖延兑付]。", ctx))
        else:
            out.append(expand(rng, "原告向本院提出诉讼请求：判令被告支付[货款|租金|服务费|工资]{amount}元。事实与理由：双方[签订合同|存在劳动关系]，被告未按约定履行。", ctx))
        out.append(expand(rng, "本院认为，[当事人对自己提出的诉讼请求所依据的事实，有责任提供证据加以证明|合法的借贷关系受法律保护]。"
                               "判决如下：被告{defendant}于本判决生效之日起十日内[支付|偿还]原告{plaintiff}{amount}元。", ctx))
    return "\n".join(out)


# ------------------------------------------------------------------ warnings, news, law articles

_JARGON = ("资金盘", "消费返利", "养老投资", "原始股", "虚拟货币", "区块链", "民间互助", "拉人头", "资本运作", "高额回报",
           "保本保息", "静态收益", "动态收益", "入门费", "直推奖", "见点奖", "挖矿", "数字藏品", "以房养老", "扶贫项目")
_CLAIMS = ("国家支持", "扶贫项目", "政府背书", "互联网金融创新", "乡村振兴", "数字经济", "消费升级", "健康中国")


def warning(extra: dict[str, Any], site_name: str, when: str, seed: int) -> Doc:
    rng = seeded(seed, "warning")
    brands = extra.get("brands") or []
    ctx = {"org": site_name, "j1": rng.choice(_JARGON), "j2": rng.choice(_JARGON), "j3": rng.choice(_JARGON),
           "claim": rng.choice(_CLAIMS), "yield": scheme_yield(rng, rng.uniform(0.2, 2.0)),
           "phone": f"0{rng.randrange(10, 99)}-{rng.randrange(2000000, 9999999)}"}
    out = []
    if brands:
        ctx.update({"brand": brands[0], "name": extra["names"][0]})
        title = expand(rng, "[关于|{org}关于][“{brand}”|{name}][涉嫌非法集资|有关情况|相关风险]的风险提示", ctx)
        out.append(expand(rng, "近期，[我局|本机关|我们]关注到{name}以“{brand}”名义，[通过互联网|通过微信群|在社区]"
                               "[大肆宣传|公开宣传|开展推介活动]，承诺[{yield}|高额回报|保本保息]。", ctx))
        out.append(expand(rng, "经查，该公司[未取得任何金融业务许可|不具备吸收公众存款资质|未在中国证券投资基金业协会登记]，"
                               "其行为[涉嫌非法集资|具有明显的传销特征|存在较大风险]。", ctx))
    else:
        title = expand(rng, "[警惕|谨防|关于防范][以“{j1}”为名的|打着“{claim}”旗号的][非法集资|传销|金融诈骗][风险提示|的提示|活动]", ctx)
        out.append(expand(rng, "[近期|近来|当前]，[一些不法分子|部分机构|有些所谓的平台][以“{j1}”“{j2}”为幌子|打着“{claim}”的旗号]，"
                               "[宣称|承诺]“{yield}”“[稳赚不赔|保本保息|躺赚]”，[诱骗|引诱][社会公众|老年人|群众]参与。", ctx))
        out.append(expand(rng, "[此类活动|上述行为][具有|呈现]“{j3}”[等|的][典型特征|明显特征]，[本质上是|实为][“借新还旧”的庞氏骗局|非法集资|传销活动]。", ctx))
    if extra.get("bystander"):
        out.append(expand(rng, "[另有群众反映|经核实，网传]{bystander}与该平台有关，[经查|经核实]，{bystander}[系依法经营的企业|与上述平台无任何关联]，[请勿|不要]轻信[谣言|不实信息]。",
                          {**ctx, "bystander": extra["bystander"]}))
    out.append(expand(rng, "[{org}|我们]提醒[广大市民|广大群众|社会公众]：[高收益必然伴随高风险|天上不会掉馅饼]，"
                           "[请勿轻信|不要相信][“{j2}”“保本高息”等宣传|所谓的高额回报]，[不参与|远离]非法集资。", ctx))
    out.append(expand(rng, "[如发现相关线索|如有疑问]，请[拨打举报电话{phone}|向当地公安机关报案|向金融管理部门反映]。", ctx))
    return Doc(title=title, date=when, blocks=[("p", t) for t in out])


def news(extra: dict[str, Any], when: str, seed: int) -> Doc:
    rng = seeded(seed, "news")
    ctx = {"j1": rng.choice(_JARGON), "j2": rng.choice(_JARGON), "claim": rng.choice(_CLAIMS),
           "yield": scheme_yield(rng, rng.uniform(0.2, 2.0)), "n": str(rng.randrange(100, 20000)),
           "city": extra.get("city", "本市"), "amount": str(rng.randrange(1, 90))}
    out = []
    if extra.get("brands"):
        ctx.update({"brand": extra["brands"][0], "name": extra["names"][0]})
        title = expand(rng, "[{city}警方通报|{city}公安立案侦查|突发][：|，]{name}[涉嫌非法吸收公众存款|涉嫌集资诈骗|涉嫌组织领导传销活动][被立案|，实控人已被控制]", ctx)
        out.append(expand(rng, "[记者从{city}公安局获悉|据{city}警方通报|本报讯]，[{name}|“{brand}”平台][因涉嫌非法吸收公众存款|涉嫌集资诈骗|因涉嫌传销]"
                               "已被立案侦查，[相关人员已被采取强制措施|公司实际控制人已被抓获]。", ctx))
        out.append(expand(rng, "据了解，该[公司|平台]以“{brand}”名义[承诺{yield}|宣传“{j1}”|打着“{claim}”旗号]，"
                               "吸引[{n}余名|大量]投资者参与，[近期|本月初]出现[无法提现|兑付困难|人去楼空]。", ctx))
        if extra.get("bystander"):
            out.append(expand(rng, "[记者注意到|据了解]，[该平台曾租用|该平台办公地位于]{bystander}[所在的写字楼|的办公场所]，[{bystander}负责人表示|{bystander}工作人员称][与该平台没有任何业务往来|只是出租了场地|对此并不知情]。",
                              {**ctx, "bystander": extra["bystander"]}))
        out.append(expand(rng, "警方提醒，[请集资参与人|受害群众][尽快到公安机关登记|通过官方渠道反映情况]，[切勿|不要]听信谣言。", ctx))
    else:
        title = expand(rng, "[专家提醒|律师提示|财经观察][：|，][警惕|识别|起底]“{j1}”[背后的骗局|陷阱|套路]", ctx)
        out.append(expand(rng, "[近年来|近期]，“{j1}”“{j2}”等[说法|概念][频繁出现|屡见不鲜]，[不少|一些]投资者[被“{yield}”吸引|因轻信高息]而[血本无归|蒙受损失]。", ctx))
        out.append(expand(rng, "[业内人士指出|专家表示]，[正规金融产品|合法理财产品][不会承诺保本保息|都会提示“市场有风险，投资需谨慎”]，"
                               "[年化收益明显高于|远超]银行存款利率的[要格外警惕|多半有问题]。", ctx))
        out.append(expand(rng, "[据统计|数据显示]，[今年以来|去年]全国[立案查处|处置]非法集资案件[{amount}00余起|数千起]。", ctx))
    return Doc(title=title, date=when, blocks=[("p", t) for t in out])


def law_article(extra: dict[str, Any], when: str, seed: int) -> Doc:
    rng = seeded(seed, "law")
    ctx = {"j1": rng.choice(_JARGON), "j2": rng.choice(_JARGON), "n": str(rng.randrange(3, 30))}
    out = []
    title = expand(rng, "[律师解读|以案说法|办案手记][：|｜][组织、领导传销活动罪的认定要点|非法吸收公众存款罪与集资诈骗罪的区别|“{j1}”模式的法律风险]", ctx)
    out.append(expand(rng, "根据《[刑法|禁止传销条例]》[第二百二十四条之一|相关规定]，[以推销商品、提供服务等经营活动为名|以“{j1}”为名]，"
                           "要求参加者以缴纳费用或者购买商品、服务等方式获得加入资格，并按照一定顺序组成层级，"
                           "直接或者间接以发展人员的数量作为计酬或者返利依据的，[构成组织、领导传销活动罪|属于传销]。", ctx))
    out.append(expand(rng, "[实践中|司法实践中]，[入门费|拉人头|团队计酬][是认定传销的三大特征|是判断的关键]；而“{j2}”[只是|不过是][幌子|包装]。", ctx))
    if extra.get("brands"):
        ctx.update({"brand": extra["brands"][0], "name": extra["names"][0]})
        out.append(expand(rng, "[以本所代理的|以近期判决的]“{brand}”案为例，{name}[层级达{n}层|发展会员众多]，[法院最终认定|判决认定]其构成犯罪。", ctx))
    out.append(expand(rng, "[需要注意的是|值得注意的是]，[依法取得直销经营许可|合法的直销企业]与传销[有本质区别|不可混为一谈]，[不能|切勿]一概而论。", ctx))
    return Doc(title=title, date=when, blocks=[("p", t) for t in out])
