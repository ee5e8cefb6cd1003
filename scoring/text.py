"""Text signals: what one text says about illegal fundraising or a pyramid scheme.

``analyze(text, title, url)`` returns a ``TextAnalysis``: the document type, lexicon hits
with the context each occurrence appears in, promised yields as annual rates, payout
frequency, principal guarantees, denials, evidence snippets, and ``risk`` (0-100): how
strongly the text itself is evidence of illegal fundraising or a pyramid scheme.

How context is read (DESIGN.md, "Real promotional text is adversarial"):

* a promise word (保本保息, 直推奖 ...) counts only where the text makes the promise: in a
  regulator's warning, a news report or a judgment it is *context*; after a negation
  (不承诺保本) it is *negated*; in a sentence that warns or reports (以高息为诱饵, 声称,
  谨防) it is *warning*;
* a label (传销, 资金盘, 非法集资) never counts by itself, but a promoter denying it
  ("这不是传销", "不投资一分钱这叫传销?") is a *denial*, which raises the risk: honest
  businesses rarely need to say it;
* complaint severity words (无法提现, 跑路) make a complaint strong evidence.

Risk combines independent components with a noisy-or, 100 * (1 - prod(1 - c/100)), so
each kind of evidence adds without any one saturating the others; the components are in
``TextAnalysis.components`` for explanation.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from scoring.doctype import classify
from scoring.lexicon import Lexicon, Occurrence, load_lexicon
from scoring.matchtext import make_match_text
from scoring.yields import (
    RecruitReward,
    YieldClaim,
    parse_recruit_rewards,
    parse_yields,
    payout_frequency,
    quote_verbatim,
)

LPR_1Y = 3.1  # default benchmark (one-year LPR, %); the scorer passes the model's value

_CLAUSE_END = re.compile(r"[,。;!?\n]")
_SENTENCE_END = re.compile(r"[。;!?\n]")
# A promoter's own denial of a label: "这不是传销", "绝非资金盘", "怎么可能是骗局"
_DENIAL_BEFORE = re.compile(r"(?:非|(?<!是)不是|并非|绝非|决非|绝不是|决不是|根本不是|并不是|哪是|哪里是|不属于|不算|算不上|谈不上|"
                            r"不涉及|不存在|怎么(?:会|可能|就)是|难道是|这(?:也|就|都)?(?:叫|算|是))[^,。;!?]{0,3}$")
_DENIAL_AFTER = re.compile(r"^[^,。;!?]{0,3}(?:吗|嘛|呢|\?|!)")
# A label asked and answered at once: "传销？不是！", "资金盘?别瞎说"
_DENIAL_ANSWER = re.compile(r"^\s*[?!]+\s*(?:不是|才不是|当然不是|绝对不是|根本不是|并不是|错|no\b|别瞎说|瞎说|胡说|开玩笑|扯)")
# A promoter naming itself by the label ("我们是资金盘新模式"): in-group talk, as telling as a denial
_SELF_LABEL = re.compile(r"(?:我们|咱们|我|本平台|本项目|我司)(?:就|也|都)?(?:是|做的是|玩的是|这个)[^,。;!?]{0,4}$")
# Stance: who is speaking. Promoters speak in the first person and call readers to act;
# reporters, regulators and lawyers cite authorities and warn. Used to settle a document's
# type when its genre cues are thin or borrowed.
_PROMOTER = re.compile(r"我们是|我们的|我们平台|我们公司|我们团队|本平台|我司|加入我们|跟着我|跟我|带你|私聊|私信|私我|速来|快来|"
                       r"赶紧|抓紧|玩家|家人们|老铁|宝妈|上车|进群|入群|扫码|加v|加微|联系我|找我|欢迎(?:新老|加入|咨询)|"
                       r"名额有限|先到先得|不要错过|错过")
_REPORTER = re.compile(r"公安|警方|民警|监管局|监管部门|金融办|处非|法院|检察院|记者|据报道|据了解|据悉|提醒|警惕|谨防|切勿|"
                       r"举报|报警|涉嫌|不法分子|犯罪嫌疑人|被告人|律师|所谓|骗局|受害")
# General commentary (a law firm's or an educator's article): about schemes, names no one
_COMMENTARY = re.compile(r"律师|解读|如何(?:区分|识别|判断)|本质特征|构成要件|司法实践|实践中|条例|根据《|关键看|区别在于")
# A plain negation of a promise: "不保本", "不承诺保本保息", "无法保证本金"
_NEGATION_BEFORE = re.compile(r"(?:不|非|没有|没|未|绝不|决不|并不|不会|不得|禁止|严禁|杜绝|拒绝|无法|不能|不可|而非)"
                              r"(?:承诺|保证|提供|做|作|能|会|可以|确保|存在|是)?[^,。;!?]{0,2}$")
# A sentence that warns about or reports a promise rather than making it
_WARNING_SENTENCE = re.compile(
    r"警惕|谨防|防范|提防|当心|小心|切勿|不要(?:轻信|相信|参与|被)|勿信|骗局|陷阱|套路|诱饵|幌子|旗号|以[^。]{1,12}?为(?:名|幌子|诱饵|由)|"
    r"打着|所谓|声称|宣称|号称|鼓吹|涉嫌|诱骗|骗取|虚构|虚假宣传|揭秘|识破|举报|不受法律保护|往往是|都是骗|非法集资|传销组织|"
    r"被告人|公诉机关|经审理|犯罪|立案|警方|民警|诈骗|不法分子|受害人|被害人|涉案|案件|辩护|量刑|司法解释|构成要件|认定|"
    r"律师|常见手法|惯用|手段|伎俩|特征|表现为|一般是|通常|典型|实践中|判断|包装|规定|属于|构成|《|区别|区分|识别")
_LEGIT = re.compile(
    r"理财非存款|产品有风险|投资(?:需|须)谨慎|市场有风险|基金有风险|不保证本金|不承诺保本|不保证最低收益|过往业绩不代表|"
    r"业绩比较基准|风险等级|风险揭示书|风险提示书|金融许可证|存款保险|不代表未来|净值型|请仔细阅读|适当性|风险承受能力|"
    r"持牌|依法合规|中国银行保险监督管理委员会|国家金融监督管理总局|证监会核准|基金合同")
_CONVICTION = re.compile(r"判决如下|判处|有期徒刑|罪名成立|构成[^。]{0,12}罪|犯[^。]{0,12}罪|以[^。]{0,12}罪追究")
_FUNDRAISING_CRIME = re.compile(r"非法吸收公众存款|集资诈骗|组织[、,]?领导传销|传销活动|非法经营")
_SALES_CALL = re.compile(r"邀请码|推荐码|扫码|加微信|加v|加vx|\+v|微信号|私信|联系我|找我|立即注册|注册链接|点击注册|下载app|"
                         r"客服微信|咨询热线|入群|进群|报名")
# A warning or report that names a suspect rather than describing schemes in general
_SUSPECT = re.compile(r"涉嫌(?:非法集资|传销|集资诈骗|非法吸收公众存款|诈骗|非法经营)|列入[^。]{0,8}(?:黑名单|警示名单)|"
                      r"未经[^。]{0,12}批准|被(?:立案|查处|取缔)|已被警方")

# A negation whose scope runs over a list: "严禁任何形式的入门费和团队计酬" negates both items.
_NEGATED_LIST = re.compile(r"(?:不|没有|无|未|严禁|禁止|杜绝|不得|不收取?|不存在|拒绝|不涉及)(?:任何|一切|各种|各类)?"
                           r"(?:形式|方式|名义)?的?[^,。;!?]{0,8}(?:和|及|与|、|或|以及|或者)$")
# A platform's own notice that money can no longer come out: the collapse stage of a scheme.
# Only with the reassurance such notices carry (耐心等待, 不要听信谣言, 补偿, 分期兑付 ...),
# so that a bank's two-hour maintenance window does not read as a collapse.
_HALT = re.compile(r"(?:暂停|暂缓|关闭|停止|冻结|限制|延迟|推迟|延期|分期|分批)[^,。;!?]{0,6}(?:提现|兑付|出金|赎回|返还本金|退本)|"
                   r"(?:提现|出金)[^,。;!?]{0,8}(?:上限|限额|调整为|延长至|延长为)|"
                   r"(?:提现|兑付|出金|赎回)(?:通道|功能|业务|申请)?[^,。;!?]{0,6}(?:暂停|关闭|停止|维护|冻结|延迟|暂缓|推迟|受限)|"
                   r"兑付方案|清退方案|良性退出|停止兑付|延期兑付")
_REASSURE = re.compile(r"耐心等待|稍安勿躁|不要(?:听信|相信|轻信)(?:谣言|传言)|不信谣|不传谣|恶意唱衰|补偿|"
                       r"请(?:相信|放心)|资金安全|按比例|分期|分批|会员|本金|复投|另行通知|不要(?:参与)?维权|理解(?:和)?支持")
# A scheduled maintenance window (00:00-04:00, 2点至6点): a bank's notice, not a collapse
_MAINTENANCE_WINDOW = re.compile(r"\d{1,2}[:：]\d{2}\s*[-~至到]\s*\d{1,2}[:：]\d{2}|\d{1,2}\s*(?:点|时)\s*[-~至到]\s*\d{1,2}\s*(?:点|时)")
# Pay by the number of people recruited (禁止传销条例 第七条): "拉两个人回本", "推荐5人升级", "带3个人就能拿"
_RECRUIT_COUNT = re.compile(r"(?:拉|带|推荐|直推|发展|邀请|介绍|招|(?:团队|下线|直推|伞下)(?:人数)?(?:满|达到?|超过))\s*"
                            r"(\d+|[一二两三四五六七八九十]+)\s*(?:个|位|名)?\s*(?:人|下线|会员|好友)"
                            r"[^,。;!?]{0,4}?(?:就|即可|便|可以|能)?(?:回本|升级|晋升|升(?:为|到|级|职)|出局|拿回成本|保本)")

# A reward for each person recruited ("每发展一个会员奖励1000元") is pay by recruitment when
# joining costs money ("缴纳2980元成为VIP"); without an entry fee it is a shop's referral coupon.
_PER_RECRUIT_REWARD = re.compile(r"每(?:发展|推荐|直推|邀请|介绍|拉|带)(?:一|1)?\s*(?:个|位|名)?\s*(?:人|会员|下线|代理|新人)"
                                 r"[^,。;!?]{0,4}?(?:奖励?|返|提成|拿|得|赚)\s*\d+(?:\.\d+)?\s*(?:元|块|%)")
_ENTRY_FEE = re.compile(r"(?:缴纳|交纳?|缴|花|充值|支付)[^,。;!?\d]{0,6}\d+(?:\.\d+)?\s*(?:元|块|万)[^,。;!?]{0,6}"
                        r"(?:成为|加入|开通|激活|入会|升级|会员|代理|vip)|入门费|会员费|门槛费|激活费|报单")

PROMISE_TYPES = ("promo", "recruit", "other")
CONTEXT_TYPES = ("warning", "news", "judgment")


@dataclass(slots=True)
class Hit:
    term: str
    category: str
    count: int = 0  # every occurrence
    effective: int = 0  # occurrences that make a promise (feature words) or deny a label
    weight: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)  # promise|negated|warning|context|reported|denial|descriptive

    def to_json(self) -> dict:
        return {"term": self.term, "category": self.category, "count": self.count, "effective": self.effective,
                "weight": self.weight, "statuses": dict(sorted(self.statuses.items()))}


@dataclass(slots=True)
class Snippet:
    term: str
    category: str
    status: str
    start: int  # offsets in the normalised text
    end: int
    text: str

    def to_json(self) -> dict:
        return {"term": self.term, "category": self.category, "status": self.status,
                "start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class TextAnalysis:
    risk: float
    doc_type: str
    yields: list[YieldClaim]
    hits: list[Hit]
    doc_type_votes: dict[str, float] = field(default_factory=dict)
    max_annual_rate: float | None = None  # highest promised (not historical) rate, promise contexts only
    guarantees: list[str] = field(default_factory=list)  # guarantee terms promised (not negated / quoted)
    payout_frequency: str | None = None  # day | week | month
    denials: list[Snippet] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    category_scores: dict[str, float] = field(default_factory=dict)  # effective weight per category
    density: float = 0.0  # effective promise weight per 1,000 characters
    legit_cues: int = 0
    components: dict[str, float] = field(default_factory=dict)
    length: int = 0
    lexicon_version: str = ""
    recruit_rewards: list[RecruitReward] = field(default_factory=list)  # pay per recruit: never a yield

    @property
    def is_promotional(self) -> bool:
        return self.doc_type in ("promo", "recruit")

    def to_json(self) -> dict:
        return {
            "risk": self.risk,
            "doc_type": self.doc_type,
            "yields": [y.to_json() for y in self.yields],
            "hits": [h.to_json() for h in self.hits],
            "max_annual_rate": None if self.max_annual_rate is None else round(self.max_annual_rate, 2),
            "guarantees": list(self.guarantees),
            "payout_frequency": self.payout_frequency,
            "denials": [d.to_json() for d in self.denials],
            "category_scores": {k: round(v, 2) for k, v in sorted(self.category_scores.items())},
            "density": round(self.density, 3),
            "legit_cues": self.legit_cues,
            "components": {k: round(v, 1) for k, v in sorted(self.components.items())},
            "doc_type_votes": {k: round(v, 1) for k, v in sorted(self.doc_type_votes.items())},
            "snippets": [s.to_json() for s in self.snippets],
            "length": self.length,
            "lexicon_version": self.lexicon_version,
            "recruit_rewards": [r.to_json() for r in self.recruit_rewards],
        }


_DENIED_WARNING = re.compile(r"(?:不是|并非|绝非|决非|没有|不存在|哪是|哪里是|怎么会是|怎么可能是|绝不是|根本不是|不算)[^,。;!?]{0,2}$")


def _warns(sentence: str) -> bool:
    """Whether a sentence warns about or reports a promise. A warning word the speaker
    denies ("真心不是骗局", "没有任何套路") is a promoter's reassurance, not a warning."""
    for m in _WARNING_SENTENCE.finditer(sentence):
        if not _DENIED_WARNING.search(sentence[max(0, m.start() - 8) : m.start()]):
            return not _DENIAL_BEFORE.search(sentence)
    return False


def _clause_before(folded: str, start: int, limit: int = 12) -> str:
    window = folded[max(0, start - limit) : start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
    return window[cut:]


def _sentence(folded: str, start: int, end: int) -> str:
    lo = max(0, start - 80)
    left = folded[lo:start]
    cut = max((m.end() for m in _SENTENCE_END.finditer(left)), default=0)
    right = folded[end : end + 80]
    m = _SENTENCE_END.search(right)
    return left[cut:] + folded[start:end] + (right[: m.start()] if m else right)


def _status(o: Occurrence, folded: str, doc_type: str) -> str:
    t = o.term
    before = _clause_before(folded, o.start)
    if not t.promise:
        if doc_type in PROMISE_TYPES and (
            _DENIAL_BEFORE.search(before)
            or _DENIAL_ANSWER.search(folded[o.end : o.end + 8])
            or _SELF_LABEL.search(before)
            or o.via.startswith("pinyin:")  # zjp, cx: insiders' spelling, never a reporter's
            or (_DENIAL_AFTER.search(folded[o.end : o.end + 4]) and re.search(r"(?:叫|算|是)[^,。;!?]{0,2}$", before))
        ):
            return "denial"
        return "descriptive"
    if doc_type in CONTEXT_TYPES:
        return "context"
    if _NEGATION_BEFORE.search(before) or _NEGATED_LIST.search(_clause_before(folded, o.start, 24)):
        return "negated"
    if doc_type == "complaint":
        return "reported"
    sentence = _sentence(folded, o.start, o.end)
    if _warns(sentence):
        return "warning"
    return "promise"


def _any_denial(occurrences: list[Occurrence], folded: str) -> bool:
    return any(o.term.category == "labels" and _status(o, folded, "promo") == "denial" for o in occurrences)


def _respelt(folded: str, occurrences: list[Occurrence]) -> str:
    """``folded`` with terms spelt in pinyin written back in hanzi ("ri 返" -> "日返  "),
    padded with spaces so that offsets stay put: the yield grammar reads hanzi."""
    spelt = [o for o in occurrences if o.via == "pinyin:spelt"]
    if not spelt:
        return folded
    chars = list(folded)
    for o in spelt:
        word = o.term.term
        if len(word) <= o.end - o.start:
            chars[o.start : o.end] = list(word.ljust(o.end - o.start))
    return "".join(chars)


def _saturate(x: float, scale: float) -> float:
    return 100.0 * (1.0 - math.exp(-max(0.0, x) / scale))


def _yield_component(rate: float | None, lpr: float) -> float:
    if rate is None or rate <= 1.5 * lpr:
        return 0.0
    ceiling = 4 * lpr  # the judicial ceiling for private lending
    if rate <= ceiling:
        return 25.0 * (rate - 1.5 * lpr) / (ceiling - 1.5 * lpr)
    if rate <= 36.0:
        return 40.0 + 20.0 * (rate - ceiling) / max(1e-9, 36.0 - ceiling)
    return min(75.0, 60.0 + 15.0 * math.log10(rate / 36.0) / math.log10(10))


def _noisy_or(parts: list[float]) -> float:
    p = 1.0
    for c in parts:
        p *= 1.0 - min(100.0, max(0.0, c)) / 100.0
    return 100.0 * (1.0 - p)


def analyze(text: str, title: str = "", url: str = "", *, lpr: float = LPR_1Y, lexicon: Lexicon | None = None,
            normalized: bool = False, doc_type: str | None = None) -> TextAnalysis:
    """Analyse one text (see module docstring). ``normalized``: ``text`` is already normalize_text
    output. ``doc_type``: force the type instead of classifying (a page on a company's own
    site speaks for the company whatever genre it imitates)."""
    forced = doc_type
    lex = lexicon or load_lexicon()
    mt = make_match_text(text or "", lex.table, already_normalized=normalized)
    folded = mt.folded
    folded_title = make_match_text(title, lex.table).folded if title else ""
    doc_type, votes = classify(folded, folded_title)
    if forced:
        doc_type = forced

    hits: dict[str, Hit] = {}
    snippets: list[Snippet] = []
    denials: list[Snippet] = []
    cat_scores: dict[str, float] = {}
    term_effective: dict[str, int] = {}
    guarantees: list[str] = []
    reported_weight = 0.0
    severity = 0.0
    labels = 0
    occurrences = lex.find(mt)
    promise_weight = sum(o.term.weight for o in occurrences if o.term.promise)
    sales_calls = len(_SALES_CALL.findall(folded))
    promoter = len(_PROMOTER.findall(folded))
    reporter = len(_REPORTER.findall(folded))
    respelt = _respelt(folded, occurrences)
    rewards = parse_recruit_rewards(respelt)
    claims = parse_yields(respelt, exclude=rewards)
    quote_verbatim([*claims, *rewards], text or "", mt.base, normalized)  # evidence in the page's own words
    promised_yield = any(y.promised for y in claims)
    if forced:
        pass
    elif doc_type in ("warning", "news", "other") and promoter >= 2 and reporter == 0 and (promised_yield or promise_weight >= 3):
        # first-person recruiting with concrete promises and no authority cited: the text
        # speaks for the scheme, whatever labels it names (or denies)
        doc_type = "recruit" if votes.get("recruit", 0) > votes.get("promo", 0) else "promo"
    elif doc_type in PROMISE_TYPES and reporter >= 2 and promoter == 0 and sales_calls == 0:
        # a warning or report (or a forum answer) whose stock phrases were outvoted by the
        # jargon it quotes; checked before the next rule, which would read the jargon as sales copy
        doc_type = "warning" if votes.get("warning", 0) >= votes.get("news", 0) else "news"
    elif doc_type == "other" and (promise_weight >= 6 or (promised_yield and promoter >= 1)):
        doc_type = "promo"  # short sales copy has few genre cues but speaks for itself
    elif (doc_type in PROMISE_TYPES and sales_calls < 2 and promoter <= reporter
          and sum(1 for o in occurrences if o.term.category == "labels") >= 3 and not _any_denial(occurrences, folded)):
        # a text that keeps naming 传销 / 非法集资 without denying them is about schemes
        # (commentary, education, reporting); promoters avoid those words except to deny them
        doc_type = "news"
    elif doc_type in ("warning", "news") and promise_weight >= 6 and sales_calls >= 2:
        # a scheme's page that borrows a 风险提示 or a news-style opening to look legitimate:
        # regulators and reporters never ask readers to add a WeChat or use an invite code
        doc_type = "recruit" if votes.get("recruit", 0) > votes.get("promo", 0) else "promo"
    for o in occurrences:
        status = _status(o, folded, doc_type)
        t = o.term
        h = hits.get(t.term)
        if h is None:
            h = hits[t.term] = Hit(t.term, t.category, weight=t.weight)
        h.count += 1
        h.statuses[status] = h.statuses.get(status, 0) + 1
        snip = Snippet(t.term, t.category, status, o.start, o.end,
                       mt.base[max(0, o.start - 24) : o.end + 24])
        if status in ("promise", "denial"):
            h.effective += 1
        if status == "promise":
            n = term_effective.get(t.term, 0)
            term_effective[t.term] = n + 1
            # repeats of one term add less and less: 1, 0.41, 0.32 ... (sqrt growth)
            cat_scores[t.category] = cat_scores.get(t.category, 0.0) + t.weight * (math.sqrt(n + 1) - math.sqrt(n))
            if t.category == "guarantees" and t.term not in guarantees:
                guarantees.append(t.term)
        elif status == "denial":
            denials.append(snip)
        elif status == "reported":
            reported_weight += t.weight
        elif t.category == "severity":
            severity += t.weight
        elif t.category == "labels":
            labels += 1
        if (status != "descriptive" or t.category == "severity") and len(snippets) < 40:
            snippets.append(snip)

    for c in claims:
        sentence = _sentence(folded, c.start, c.end)
        if _warns(sentence):
            c.quoted = True  # "以年化30%为诱饵": a description of the promise, not the promise
    promise_rates = [y.annual_rate for y in claims if y.promised]
    max_rate = max(promise_rates) if promise_rates else None
    freq = payout_frequency(folded)
    if freq is None and any(y.period == "day" and y.promised for y in claims):
        freq = "day"
    legit = len(_LEGIT.findall(folded))

    comps: dict[str, float] = {}
    feature_sum = sum(min(15.0, v) for v in cat_scores.values())  # one category alone cannot saturate
    if doc_type in PROMISE_TYPES:
        comps["features"] = _saturate(feature_sum, 15.0)
        comps["yield"] = _yield_component(max_rate, lpr)
        if guarantees and max_rate is not None and max_rate > 1.5 * lpr:
            # principal (and interest) guaranteed at a rate above the bank's: the promise of
            # 还本付息 that defines illegal deposit-taking; a strong guarantee says it outright
            strong = any(lex.terms_by_name[g].weight >= 4 for g in guarantees if g in lex.terms_by_name)
            comps["guarantee_with_yield"] = 35.0 if strong else 20.0
        # the Supreme People's Court's named patterns (售后包租, 约定回购, 返本销售 ...) are each an
        # element of illegal fundraising when promised, not just one more feature word
        named = {t for t in term_effective if lex.terms_by_name.get(t) is not None
                 and lex.terms_by_name[t].category == "fundraising_patterns" and lex.terms_by_name[t].weight >= 4}
        if named:
            comps["named_pattern"] = min(40.0, 20.0 * len(named))
        if freq == "day" and (max_rate or cat_scores):
            comps["daily_payout"] = 10.0
        recruit_pay = [m for m in _RECRUIT_COUNT.finditer(folded) if not _warns(_sentence(folded, m.start(), m.end()))]
        if recruit_pay or (_PER_RECRUIT_REWARD.search(folded) and _ENTRY_FEE.search(folded)):
            comps["pay_per_recruit"] = 30.0
        comps["denial"] = min(45.0, 30.0 * len(denials))
        risk = _noisy_or(list(comps.values()))
        if legit and (max_rate is None or max_rate <= 4 * lpr):
            # a licensed product's disclosures (理财非存款, 业绩比较基准 ...) dampen what remains
            risk *= max(0.35, 1.0 - 0.2 * legit)
            comps["legit_damping"] = -legit
        if doc_type == "other":
            risk *= 0.85
        # Said by the platform itself: no third party (police, reporter) cited. Not the
        # warning-sentence test: such notices tell readers what not to do (不要参与维权).
        halts = reporter == 0 and _HALT.search(folded) is not None
        if halts and _REASSURE.search(folded) and not _MAINTENANCE_WINDOW.search(folded):
            # the platform's own notice that withdrawals stopped: conclusive whatever else it says
            comps["withdrawal_halt"] = 70.0
            risk = _noisy_or([risk, 70.0])
    elif doc_type == "complaint":
        comps["severity"] = min(75.0, _saturate(severity, 12.0))
        comps["reported_promises"] = 0.5 * _saturate(reported_weight, 15.0)
        comps["yield"] = 0.5 * _yield_component(max_rate, lpr)
        risk = _noisy_or(list(comps.values()))
    elif doc_type == "judgment":
        crime = _FUNDRAISING_CRIME.search(folded)
        conviction = _CONVICTION.search(folded)
        comps["conviction"] = 85.0 if crime and conviction else (40.0 if crime else 5.0)
        risk = comps["conviction"]
    else:  # warning, news: about schemes in general; modest unless a scheme is named as suspect
        comps["reported_scheme"] = min(30.0, 6.0 * labels + 2.0 * severity)
        if _COMMENTARY.search(folded) and not _SUSPECT.search(folded):
            comps["reported_scheme"] *= 0.5  # commentary on schemes in general names no one
        comps["named_suspect"] = min(30.0, 15.0 * len(_SUSPECT.findall(folded)))
        risk = _noisy_or([comps["reported_scheme"], comps["named_suspect"]])

    length = len(mt.base)
    effective_weight = sum(cat_scores.values())
    return TextAnalysis(
        risk=round(min(100.0, max(0.0, risk)), 1),
        doc_type=doc_type,
        yields=claims,
        hits=sorted(hits.values(), key=lambda h: (-h.effective, -h.count, h.term)),
        doc_type_votes=votes,
        max_annual_rate=max_rate if doc_type in PROMISE_TYPES else None,
        guarantees=guarantees,
        payout_frequency=freq if doc_type in PROMISE_TYPES else None,
        denials=denials,
        snippets=snippets,
        category_scores=cat_scores,
        density=1000.0 * effective_weight / max(200, length),
        legit_cues=legit,
        components=comps,
        length=length,
        lexicon_version=lex.version,
        recruit_rewards=rewards,
    )
