"""The text analyser on hand-written texts in the styles it meets in the wild."""

from __future__ import annotations

import pytest

from scoring.text import analyze
from tests.scoring.conftest import BANK_PAGE, RECRUIT_POST, SCHEME_PROMO, WARNING

# (plain, evasive): the evasive one uses the tricks real promoters use to dodge filters.
EVASION_PAIRS = [
    ("保本保息，稳赚不赔，直推奖10%，见点奖5代", "保 本 保 息，穩賺不賠，直-推-奖10%，見點獎5代"),
    ("这是资金盘吗？这不是资金盘，年化收益48%", "这是zjp吗？这鈈是資金盤，年化收益48％"),
    ("静态收益每天1%，动态收益拿对碰奖，日封顶3万", "静*态*收*益每天１％，动态收益拿對碰獎，日封頂3万"),
    ("消费养老，国家支持的扶贫项目，原始股即将上市", "消費養老，國家支持的扶貧項目，原·始·股即將上市"),
    ("拉人头发展下线，入门费3980元，报单中心", "拉​人​头发展下綫，入门费3980元，報單中心"),  # zero-width spaces
]


@pytest.mark.parametrize(("plain", "evasive"), EVASION_PAIRS)
def test_evasive_spellings_score_like_plain(plain: str, evasive: str) -> None:
    a, b = analyze(plain), analyze(evasive)
    assert b.risk == pytest.approx(a.risk, abs=3.0)
    assert {(h.term, h.effective) for h in a.hits} <= {(h.term, h.effective) for h in b.hits} | {
        (h.term, h.effective) for h in a.hits if h.category == "labels"
    }
    assert sum(b.category_scores.values()) >= 0.9 * sum(a.category_scores.values())
    assert a.risk >= 40


def test_pinyin_abbreviation_is_a_whole_token_only() -> None:
    assert any(h.term == "资金盘" for h in analyze("这个不是zjp，放心投").hits)
    assert not any(h.term == "资金盘" for h in analyze("下载 zjpx 工具包").hits)


def test_exclusions_drop_terms_inside_longer_words() -> None:
    a = analyze("公司加大宣传销售力度，推出新品")
    assert not any(h.term == "传销" for h in a.hits)


WARNINGS_AND_NEWS = [
    WARNING,
    "新华社北京3月5日电（记者王某）记者从公安部获悉，近日警方捣毁一个以“虚拟币”投资为幌子的传销组织，"
    "该组织宣称静态收益每日1%，动态收益靠对碰奖、见点奖，涉案金额达2亿元。专家表示，高收益往往伴随高风险。",
    "关于防范以“消费养老”“养老项目”名义实施非法集资的风险提示：不法分子常以保本保息、稳赚不赔、国家支持为诱饵，"
    "通过发展下线、拉人头扩大规模。请广大群众擦亮眼睛，守好钱袋子，切勿轻信。举报电话：12345。",
]


@pytest.mark.parametrize("text", WARNINGS_AND_NEWS)
def test_warnings_and_news_never_count_promises(text: str) -> None:
    a = analyze(text)
    assert a.doc_type in ("warning", "news")
    assert a.category_scores == {}
    assert all(h.effective == 0 for h in a.hits)
    assert a.risk < 40
    assert a.hits, "the terms are found, only their context differs"


def test_denial_does_not_lower_risk() -> None:
    base = "每天看广告赚钱，邀请好友有推荐奖励，投1万每月返800，三个月回本。"
    denial = base + "有人说这是传销？我们绝对不是传销，也不是资金盘！不投资一分钱这叫传销？"
    a, b = analyze(base), analyze(denial)
    assert b.risk >= a.risk
    assert len(b.denials) >= 2
    assert all(d.category == "labels" for d in b.denials)


def test_negated_guarantee_is_not_a_promise() -> None:
    a = analyze("本产品不保本，不承诺保本保息，投资者应自担风险。")
    assert "保本保息" not in a.guarantees and "保本" not in a.guarantees
    assert a.risk < 20


def test_legit_bank_page_scores_low() -> None:
    a = analyze(BANK_PAGE)
    assert a.max_annual_rate == pytest.approx(3.2)
    assert a.risk < 20


def test_scheme_promo_and_recruit_post_score_high() -> None:
    a = analyze(SCHEME_PROMO)
    assert a.doc_type == "promo" and a.risk >= 80
    assert a.max_annual_rate == pytest.approx(96.0)
    assert "保本保息" in a.guarantees and a.payout_frequency == "day"
    r = analyze(RECRUIT_POST)
    assert r.doc_type == "recruit" and r.risk >= 60


YIELDS = [
    ("年化收益率高达18%-36%", 36.0),
    ("月息2分，按月付息", 24.0),
    ("月息八厘", 9.6),
    ("年息一分五", 15.0),
    ("日息万分之五", 18.25),
    ("每天千分之三的收益", 109.5),
    ("投1万每月返800", 96.0),
    ("投资10万元，每天收益300元", 109.5),
    ("投入五千元，每月可领取四百元", 96.0),
    ("一年翻倍", 100.0),
    ("三个月回本", 400.0),
    ("周返3%", 156.0),
    ("每月分红5%", 60.0),
    ("每日收益1.2%", 438.0),
    ("年化收益18个点", 18.0),
    ("７日年化收益率２.１％", 2.1),
    # Chinese numerals, folk-lending rates, spans in days, multiples
    ("十五天后收益百分之三十", 730.0),
    ("年化百分之十八", 18.0),
    ("月息两分", 24.0),
    ("三分利，按月结息", 36.0),
    ("利息一分五", 18.0),
    ("日收益千分之五", 182.5),
    ("15天收益30%", 730.0),
    ("排单7天回报20%", 1042.9),
    ("3个月收益15%", 60.0),
    ("上市后翻十倍", 1000.0),
    ("三年翻三倍", 100.0),
    ("每季度付息5%", 20.0),
    ("矿机日产出0.8%", 292.0),
    ("年租金回报8%", 8.0),
]


@pytest.mark.parametrize("text", ["净利润同比翻三倍", "这个消息十分利好", "持有公司百分之三十的股份", "7天无理由退货", "三分钟到账"])
def test_not_yields(text: str) -> None:
    assert analyze(text).yields == []


@pytest.mark.parametrize(("text", "annual"), YIELDS)
def test_yields_become_annual_rates(text: str, annual: float) -> None:
    a = analyze(text)
    assert a.yields, text
    assert max(y.annual_rate for y in a.yields) == pytest.approx(annual, rel=0.01)


def test_past_performance_is_not_a_promise() -> None:
    a = analyze("某混合型基金近一年收益率25%，基金有风险，投资须谨慎。")
    assert a.yields and a.yields[0].historical
    assert a.max_annual_rate is None


DOC_TYPES = [
    ("北京市朝阳区人民法院刑事判决书（2021）京0105刑初1234号。公诉机关北京市朝阳区人民检察院。被告人张某。"
     "经审理查明，被告人张某以高额回报为诱饵向社会公众吸收资金。本院认为，被告人张某构成非法吸收公众存款罪。"
     "判决如下：被告人张某犯非法吸收公众存款罪，判处有期徒刑三年。", "judgment"),
    ("投诉对象：鑫汇通平台。我于2023年3月在该平台投了5万元，当时客服承诺月息2分。现在平台无法提现，客服失联，"
     "要求退还本金！", "complaint"),
    (WARNING, "warning"),
    ("（记者李某）据报道，近日某地警方通报一起涉嫌非法集资案件，犯罪嫌疑人已被刑事拘留。责任编辑：王某", "news"),
    (RECRUIT_POST, "recruit"),
    (SCHEME_PROMO, "promo"),
    ("今天天气晴朗，下午去公园散步，晚上和家人一起吃饭。", "other"),
]


@pytest.mark.parametrize(("text", "expected"), DOC_TYPES)
def test_document_types(text: str, expected: str) -> None:
    assert analyze(text).doc_type == expected


def test_criminal_judgment_is_strong_evidence() -> None:
    a = analyze(DOC_TYPES[0][0])
    assert a.risk >= 80
    assert a.category_scores == {}


def test_complaint_with_severity_words() -> None:
    a = analyze(DOC_TYPES[1][0])
    assert a.risk >= 50
    assert any(h.category == "severity" for h in a.hits)


def test_snippets_point_into_the_normalised_text() -> None:
    a = analyze(SCHEME_PROMO)
    from indexing.normalize import normalize_text

    base = normalize_text(SCHEME_PROMO)
    for s in a.snippets:
        assert s.term[:1].lower() in base[s.start : s.end] or s.term.startswith(base[s.start])


def test_to_json_contract() -> None:
    j = analyze(SCHEME_PROMO).to_json()
    assert {"risk", "doc_type", "yields", "hits"} <= set(j)
    assert all({"text", "annual_rate"} <= set(y) for y in j["yields"])
    assert all({"term", "category", "count"} <= set(h) for h in j["hits"])


LEGIT = [
    "平安福终身寿险：保障责任包括身故保险金、重大疾病保险金。投保年龄18-60周岁，缴费期间20年。保险产品的保单利益不确定，"
    "投保前请仔细阅读保险条款，特别是责任免除部分。",
    "本行三年期定期存款年利率2.35%，大额存单起存金额20万元，受存款保险制度保护。详询网点。",
    "易方达蓝筹精选混合基金，成立以来累计收益率120%。基金管理人承诺以诚实信用、勤勉尽责的原则管理和运用基金资产，"
    "但不保证基金一定盈利，也不保证最低收益。",
    "安利（中国）日用品有限公司依法取得直销经营许可证，直销员不得以交纳费用或者购买商品作为成为直销员的条件，公司坚决反对传销行为。",
    "本众筹项目为产品预售，支持者可获得首批产品。项目失败将全额退款。平台不承诺任何投资回报。",
]
SCHEMES = [
    "【五行币】全球首款共识币，注册即送1000枚，直推拿20%，间推10%，团队奖无限代，静态每天千分之五释放，满3倍出局。"
    "不是传销！国家支持区块链！还在犹豫什么？赶紧上车，私信我拿邀请码。",
    "康乐养老公寓火热预售！一次性缴纳10万元会员费，即可锁定养老床位，每年返还12%的服务补贴，五年返还本金，不入住也可转让。"
    "国家扶持养老产业，政府背书，百分百安全！",
    "认养一头牛，每头牛1万元，由公司代养殖，每月返还养殖收益300元，三年后公司按原价回购。",
]


@pytest.mark.parametrize("text", LEGIT)
def test_legitimate_finance_texts_score_low(text: str) -> None:
    assert analyze(text).risk < 20


@pytest.mark.parametrize("text", SCHEMES)
def test_scheme_texts_in_other_styles_score_high(text: str) -> None:
    assert analyze(text).risk >= 60


def test_warning_naming_a_suspect_is_modest_evidence() -> None:
    named = analyze("关于XX国际平台涉嫌非法集资的风险提示：经查，XX国际平台未经金融管理部门批准，以高额返利为诱饵向社会公众吸收资金，"
                    "涉嫌非法集资。请广大群众切勿参与，已参与的请向公安机关报案。")
    general = analyze(WARNING)
    assert named.doc_type == "warning" and named.category_scores == {}
    assert general.risk < named.risk < 60


def test_scheme_page_dressed_as_a_warning_is_still_a_promotion() -> None:
    a = analyze("风险提示：投资有风险，入市需谨慎。本平台年化收益36%，保本保息，直推奖10%，见点奖。"
                "立即注册，邀请码AB12，扫码加微信咨询。")
    assert a.doc_type in ("promo", "recruit")
    assert a.risk >= 60 and "保本保息" in a.guarantees


def test_borrowing_costs_are_not_promised_yields() -> None:
    a = analyze("XX银行信用贷，贷款年利率（单利）低至3.6%起，最高可贷30万，随借随还。")
    assert a.yields and a.yields[0].borrowing
    assert a.max_annual_rate is None and a.risk < 20


@pytest.mark.parametrize("text", [
    "我们是非传销的合法直销，零风险，推荐一人奖励500元，团队计酬。",
    "1040工程是国家暗中扶持的纯资本运作项目，投入69800元，三到五年后回报1040万，国家秘密扶持，不是传销！",
])
def test_denials_in_other_words(text: str) -> None:
    a = analyze(text)
    assert a.denials and a.risk >= 60


@pytest.mark.parametrize("text", [
    "MMM金融互助社区，每月30%收益，提供帮助后15天即可得到帮助，推荐新人可获得10%奖金，这是穷人帮助穷人的社区。",
    "e租宝：1元起投，随时赎回，年化收益9%-14.6%，高收益低风险，融资租赁债权转让，央企背景，安全有保障。",
])
def test_well_known_scheme_pitches(text: str) -> None:
    assert analyze(text).risk >= 60


def test_complaint_platform_format() -> None:
    a = analyze("【投诉对象】XX财富 【投诉问题】无法提现，返利不兑现 【投诉要求】退还本金 【涉诉金额】52000元。"
                "去年在朋友推荐下投资了5万，说好月息3分，现在平台关闭，人去楼空。")
    assert a.doc_type == "complaint" and a.risk >= 60 and a.category_scores == {}


def test_legal_commentary_describes_schemes_without_promising() -> None:
    a = analyze("某律师事务所刑事辩护团队：非法集资案件的常见手法。在我们代理的案件中，犯罪分子往往以保本保息、年化收益30%为诱饵，"
                "设置直推奖、见点奖发展下线。律师提醒，是否构成非法吸收公众存款罪，要看是否符合司法解释规定的构成要件。"
                "如您或家人涉案，欢迎法律咨询。")
    assert a.doc_type in ("news", "warning")
    assert a.category_scores == {} and a.max_annual_rate is None
    assert a.risk < 40


def test_yield_quoted_in_a_warning_sentence_is_not_promised() -> None:
    a = analyze("我们的产品年化收益8%。提醒：凡是以年化收益30%为诱饵的都是骗局。")
    rates = {y.annual_rate: y.promised for y in a.yields}
    assert rates == {8.0: True, 30.0: False}
    assert a.max_annual_rate == 8.0


def test_commentary_that_keeps_naming_schemes_is_not_a_promotion() -> None:
    a = analyze("合法直销与传销怎么区分？根据《禁止传销条例》，以发展人员数量作为计酬依据的属于传销。司法实践中，入门费、"
                "拉人头、团队计酬是认定传销的三大特征；而保本保息、高额回报只是包装。传销组织往往还会宣称国家支持。")
    assert a.doc_type in ("news", "warning")
    assert a.category_scores == {} and a.risk < 40
