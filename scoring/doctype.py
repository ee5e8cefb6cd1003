"""Rule-based document type: promo, recruit, complaint, judgment, warning, news, other.

Weighted cues (literal phrases, matched in one Aho-Corasick pass) vote for each type;
cues in the title count double; a few structural patterns (a case number such as
（2021）京0105刑初123号, a complaint's first person narrative) add strong votes. The type
with the most votes wins if it clears a minimum; otherwise "other". The cues are the
genre's stock phrases (court documents, regulators' 风险提示, complaint platforms, news
wires, sales copy), not any one site's wording.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

DOC_CUES: dict[str, dict[str, float]] = {
    "judgment": {
        "人民法院": 3, "判决书": 4, "裁定书": 4, "判决如下": 6, "裁定如下": 6, "本院认为": 6, "公诉机关": 6,
        "被告人": 4, "原告": 2, "被告": 1.5, "审判长": 5, "审判员": 4, "书记员": 4, "人民检察院": 2,
        "辩护人": 4, "诉讼请求": 3, "有期徒刑": 4, "罚金": 1.5, "上诉人": 3, "被上诉人": 3, "经审理查明": 6,
        "依照《中华人民共和国刑法》": 5, "依照": 0.5, "如不服本判决": 6, "案件受理费": 4, "执行标的": 3,
        "被执行人": 2, "刑事判决": 5, "民事判决": 5, "起诉书": 3, "指控": 2, "审理终结": 5, "罪名成立": 4,
    },
    "warning": {
        "风险提示": 6, "风险警示": 6, "提醒广大": 6, "广大群众": 3, "广大投资者": 3, "广大市民": 3, "谨防": 4,
        "警惕": 3, "切勿": 3, "不要轻信": 4, "擦亮眼睛": 4, "防范非法集资": 5, "防范和处置非法集资": 6,
        "处置非法集资": 4, "处非办": 5, "金融监督管理局": 3, "金融监管局": 3, "地方金融": 2, "市场监督管理局": 1.5,
        "人民银行": 1.5, "银保监": 1.5, "证监局": 2, "举报电话": 4, "举报": 1.5, "积极举报": 5, "守好钱袋子": 5,
        "理性投资": 2, "常见套路": 4, "识别": 1.5, "提高警惕": 4, "远离非法集资": 6, "高收益往往伴随高风险": 5,
        "以.*为名": 0, "特此提示": 5, "特此公告": 3, "郑重提醒": 5, "温馨提示": 1, "警示": 2, "黑名单": 2,
        "未取得": 2, "未经批准": 2, "涉嫌非法集资": 2, "不受法律保护": 4, "风险自担": 2, "打着": 2, "旗号": 2,
    },
    "news": {
        "记者": 4, "据报道": 5, "日电": 5, "讯(": 3, "讯 ": 2, "新华社": 5, "获悉": 3, "近日": 2, "日前": 2,
        "警方": 2, "通报": 2, "本报": 4, "来源:": 2, "责任编辑": 5, "编辑:": 3, "报道": 2, "采访": 3, "受访": 3,
        "据了解": 3, "据悉": 3, "犯罪嫌疑人": 2, "抓获": 2, "刑事拘留": 2, "立案侦查": 2, "捣毁": 2, "打掉": 2,
        "专家表示": 3, "业内人士": 3, "分析人士": 3, "涉案金额": 2, "案发": 1.5, "新闻": 2, "央视": 3, "发布会": 1.5,
        # legal commentary (law firms' articles on fundraising cases): describes schemes, promises nothing
        "律师事务所": 5, "律师": 2, "刑事辩护": 5, "辩护": 2, "法律咨询": 3, "法律服务": 2, "代理案件": 4, "律师解读": 5,
        "法律分析": 4, "罪与非罪": 5, "立案标准": 5, "构成要件": 5, "量刑": 3, "司法解释": 3, "追赃挽损": 5, "被害人": 2,
        "典型案例": 3, "案例分析": 4, "认定为": 2, "犯罪分子": 2, "不法分子": 2, "《刑法》": 4, "刑法": 2,
        "司法实践": 5, "实践中": 2, "相关规定": 2, "法律规定": 3, "属于传销": 4, "禁止传销条例": 5, "如何判断": 4,
        "如何识别": 4, "如何区分": 4, "区别在于": 4, "合法的直销": 3, "值得注意的是": 2, "需要注意的是": 2,
    },
    "complaint": {
        "投诉": 3, "我于": 4, "本人": 2, "我在": 1.5, "至今": 2, "无法提现": 2.5, "要求退款": 4, "申请退款": 3,
        "维权": 3, "诉求": 4, "客服": 2, "不给退": 4, "被骗": 3, "求助": 3, "退还本金": 3, "退回本金": 3,
        "联系不上": 2, "不予处理": 3, "一直拖": 3, "希望平台": 3, "请求": 1, "投诉对象": 5, "投诉要求": 5,
        "涉诉金额": 4, "血汗钱": 4, "已报警": 3, "欺骗消费者": 3, "拉黑": 2, "恳请": 3, "帮帮": 3, "退钱": 3,
        "我们这些": 2, "受害者": 2, "受害人": 1.5, "我的钱": 3, "我父母": 2, "我妈": 2, "我爸": 2, "老人家": 1.5,
    },
    "recruit": {
        "招募": 3, "诚招": 5, "加盟": 2, "代理": 1.5, "团队长": 3, "扫码": 2, "加微信": 3, "微信号": 2, "vx": 2,
        "邀请码": 4, "推荐人": 3, "拉新": 3, "合伙人": 2, "火热招募": 5, "报单": 3, "零门槛": 3, "宝妈": 2,
        "兼职": 2, "带你": 2, "带团队": 3, "一起赚": 3, "注册链接": 4, "注册即送": 4, "首码": 5, "对接": 2,
        "上车": 2, "私信": 2, "长期招": 4, "招代理": 5, "想赚钱的": 4, "找我": 2, "联系我": 2, "一对一": 1.5,
        "直推": 2, "伞下": 2, "团队": 1, "下载app": 2, "实名认证": 1,
    },
    "promo": {
        "年化": 2, "收益": 1, "回报": 1.5, "投资": 1, "项目": 1, "保本": 2, "分红": 2, "认购": 2, "理财": 1,
        "立即": 1.5, "注册": 1, "平台": 1, "起投": 3, "期限": 1, "到期": 1, "产品": 1, "优势": 1.5, "实力": 1.5,
        "赚钱": 1.5, "稳赚": 2, "购买": 1, "会员": 1, "专享": 2, "福利": 1.5, "活动": 1, "限时": 1.5, "抢购": 2,
        "名额有限": 2, "财富": 1.5, "致富": 1.5, "前景": 1.5, "商机": 2, "机会": 1, "上市": 1, "原始股": 2,
        "我们的": 1, "公司简介": 2, "关于我们": 2, "欢迎": 1, "咨询": 1, "热线": 1.5,
    },
}
_CASE_NO = re.compile(r"[\(（]\s*(?:19|20)\d{2}\s*[\)）][^\s,。]{1,10}?(?:刑|民|执|行|破)(?:初|终|再|恢|保|特)?\s*\d+\s*号")
_FIRST_PERSON = re.compile(r"(?:^|[。!?,\s])我(?:于|在|是|们|家|妈|爸|父亲|母亲|老公|老婆)?[^。]{0,30}?(?:投|充|买|借|交|转)了?[^。]{0,10}?\d")
_MIN_VOTES = 4.0


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    a = ahocorasick.Automaton()
    merged: dict[str, list[tuple[str, float]]] = {}
    for doc_type, cues in DOC_CUES.items():
        for cue, w in cues.items():
            if w > 0 and ".*" not in cue:
                merged.setdefault(cue.lower(), []).append((doc_type, w))
    for cue, votes in merged.items():
        a.add_word(cue, tuple(votes))
    a.make_automaton()
    return a


def _votes(text: str, factor: float, votes: dict[str, float], seen: dict[tuple[str, str], int]) -> None:
    for _, payload in _automaton().iter(text):
        for doc_type, w in payload:
            # each cue counts with diminishing returns: 1, 0.5, 0.25 ...
            key = (doc_type, str(w) + str(id(payload)))
            n = seen.get(key, 0)
            seen[key] = n + 1
            votes[doc_type] = votes.get(doc_type, 0.0) + w * factor * (0.5**n)


def classify(folded: str, folded_title: str = "") -> tuple[str, dict[str, float]]:
    """(doc type, votes per type) for a folded text and title."""
    votes: dict[str, float] = {t: 0.0 for t in DOC_CUES}
    seen: dict[tuple[str, str], int] = {}
    head = folded[:4000]  # the genre shows early; long pages do not drown the cues
    _votes(head, 1.0, votes, seen)
    if folded_title:
        _votes(folded_title, 2.0, votes, {})
    if _CASE_NO.search(folded[:3000]) or _CASE_NO.search(folded_title):
        votes["judgment"] += 8
    if _FIRST_PERSON.search(head):
        votes["complaint"] += 3
    best = max(sorted(votes), key=lambda t: votes[t])
    if votes[best] < _MIN_VOTES:
        return "other", votes
    return best, votes
