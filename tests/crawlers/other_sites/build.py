"""Writes the second family of fixture sites (run once; the output is committed).

One site per kind, written to look nothing like the sandbox: other markup (ids, XPath-only
structures, labels inside rows, parties in running text), other JSON shapes (nested
``data.list``, short pinyin keys), other pagination (page number until an empty page,
offset with a total, a cursor in a JSON directory, a next link found by its text), other
encodings (a GBK registry and forum page, Big5 complaint pages without any charset
declaration, both served under a lying UTF-8 header) and other date styles (2024年3月1日,
二〇二四年五月十日, 2024-8-1 10:30, 9月1日 under a year caption, 昨天 / 3天前, RFC 822,
20180101 with a declared format). Sources: ``sources/*.yaml``, nothing else.

Layout: pages/<kind>/<host>/<path>[@<sorted query>].<ext> (tests/crawlers/siteserver.py).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent / "pages"
A, B, C, D = "91440300MA5F00001A", "91110108MA01000023", "91310000MA1K00003F", "91330100MA2800004R"


def write(kind: str, host: str, path: str, content: str, encoding: str = "utf-8") -> None:
    f = HERE / kind / host / path
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_bytes(content.encode(encoding))


def html(title: str, body: str, charset: str | None = "utf-8") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>{title}</title></head><body>{body}</body></html>"


# --- registry: GBK, page numbers until an empty page, label/value spans, XPath tables --
REG = "qiye.other.test"
PROFILES = {
    "1": dict(code=A, name="深圳市鑫盛财富投资管理有限公司", former="深圳市鑫盛投资咨询有限公司", rep="王大明",
              capital="5,000万元", founded="2019年6月1日", phones="0755-1234567、13800000000",
              site="http://xinsheng.test/", brand="鑫盛宝、鑫盛财富"),
    "2": dict(code=D, name="杭州天利科技有限公司", former="", rep="钱七", capital="100万元", founded="2020年1月2日",
              phones="0571-7654321", site="http://tianli.test/", brand=""),
}


def registry() -> None:
    rows = {1: ["1"], 2: ["2"], 3: []}
    for n, ids in rows.items():
        trs = "".join(f'<tr><td><a href="/detail.do?id={i}">{PROFILES[i]["name"]}</a></td><td>{PROFILES[i]["founded"]}</td></tr>'
                      for i in ids)
        body = f'<table id="result"><tr><th>企业名称</th><th>成立日期</th></tr>{trs}</table>'
        if not ids:
            body += "<p>没有更多结果</p>"
        write("registry", REG, f"search.do@pageNo={n}.html", html("查询结果", body, "gbk"), "gbk")
    for i, p in PROFILES.items():
        items = [("统一社会信用代码", p["code"]), ("企业名称", p["name"]), ("曾用名", p["former"]), ("法定代表人", p["rep"]),
                 ("注册资本", p["capital"]), ("成立日期", p["founded"]), ("登记状态", "存续（在营、开业、在册）"),
                 ("住所", "某市某区某路1号"), ("联系电话", p["phones"]), ("网址", p["site"]), ("品牌名称", p["brand"]),
                 ("经营范围", "投资管理；资产管理")]
        info = "".join(f'<div class="item"><span class="lbl">{k}：</span><span class="txt">{v}</span></div>' for k, v in items)
        people = ('<table class="ryxx"><tr><th>姓名</th><th>职务</th><th>出资比例</th></tr>'
                  f'<tr><td>{p["rep"]}</td><td>执行董事兼总经理</td><td></td></tr>'
                  '<tr><td>孙八</td><td>自然人股东</td><td>35.00%</td></tr></table>') if i == "1" else ""
        entries = ""
        if i == "1":
            entries = (
                '<h3>经营异常</h3><table class="ycml"><tr><th>列入日期</th><th>列入原因</th><th>作出决定机关</th><th>移出日期</th></tr>'
                '<tr><td>2024年3月1日</td><td>通过登记的住所或者经营场所无法联系</td><td>深圳市市场监督管理局</td><td>—</td></tr></table>'
                '<h3>行政处罚</h3><table class="xzcf"><tr><th>决定日期</th><th>违法行为类型</th><th>处罚内容</th><th>决定机关</th></tr>'
                '<tr><td>二〇二四年五月十日</td><td>虚假宣传</td><td>罚款20万元</td><td>深圳市市场监督管理局</td></tr></table>'
                '<h3>变更记录</h3><table class="bgjl"><tr><th>变更日期</th><th>变更事项</th><th>变更内容</th></tr>'
                '<tr><td>2023/1/5</td><td>名称变更</td><td>深圳市鑫盛投资咨询有限公司 → 深圳市鑫盛财富投资管理有限公司</td></tr>'
                '<tr><td>日期不详</td><td>住所变更</td><td>旧址 → 新址</td></tr></table>')
        body = f'<div class="jbxx">{info}</div>{people}{entries}'
        write("registry", REG, f"detail.do@id={i}.html", html(p["name"], body, "gbk"), "gbk")


# --- court: JSON API with offset + total, detail by template, parties in running text;
#     a dishonest-debtor HTML table with a year caption and a next link found by its text
CRT = "wenshu.other.test"
CASES = [
    dict(docId="a1", wsmc="王某某等非法吸收公众存款案刑事判决书", ah="（2024）粤03刑初100号", cprq="2024-8-1 10:30"),
    dict(docId="a2", wsmc="上海汇通控股有限公司与杭州天利科技有限公司合同纠纷一审民事判决书", ah="（2024）浙01民初77号",
         cprq="2024-6-1 09:00"),
    dict(docId="a3", wsmc="系统维护", ah="（2024）京01民初1号", cprq="2024-5-1 09:00"),
]


def court() -> None:
    for start in (0, 2):
        chunk = CASES[start:start + 2]
        write("court", CRT, f"api/search@rows=2&start={start}.json",
              json.dumps({"code": 0, "data": {"total": len(CASES), "list": chunk}}, ensure_ascii=False))
    # 裁判日期 without a year: the year comes from the listing's entry (2024-8-1 10:30)
    meta = ('<div class="ws-meta"><p><b>审理法院：</b>深圳市中级人民法院</p><p><b>裁判日期：</b>8月1日</p><p><b>案由：</b>非法吸收公众存款</p>'
            '<p><b>文书类型：</b>判决书</p><p><b>涉案金额：</b>1200万元</p></div>')
    parties = ('<div class="dsr"><p>公诉机关：深圳市人民检察院。</p>'
               f'<p>被告单位：深圳市鑫盛财富投资管理有限公司，统一社会信用代码{A}。</p></div>')
    write("court", CRT, "wenshu/a1.html", html("判决书", f'<div id="wsxq"><div class="PDF_title">{CASES[0]["wsmc"]}</div>{meta}'
                                               f'{parties}<div class="ws-body">被告单位以高额回报为诱饵，向社会公众吸收资金。</div></div>'))
    meta2 = '<div class="ws-meta"><p><b>审理法院：</b>杭州市中级人民法院</p><p><b>案由：</b>合同纠纷</p><p><b>文书类型：</b>判决书</p></div>'
    parties2 = ('<div class="dsr"><p>原告：上海汇通控股有限公司，统一社会信用代码' + C + '。</p>'
                '<p>被告：杭州天利科技有限公司。</p></div>')
    write("court", CRT, "wenshu/a2.html", html("判决书", f'<div id="wsxq"><div class="PDF_title">{CASES[1]["wsmc"]}</div>{meta2}'
                                               f'{parties2}<div class="ws-body">被告应于十日内支付货款。</div></div>'))
    # 200 with garbage: a maintenance page where a judgment should be
    write("court", CRT, "wenshu/a3.html", html("系统维护", "<p>系统维护中，请稍后再试</p>"))
    pages = {
        1: [("sx1", "深圳市鑫盛财富投资管理有限公司", A, "（2024）粤03执10号", "深圳市中级人民法院", "9月1日", "全部未履行")],
        2: [("sx2", "王大明", "", "（2024）粤03执11号", "深圳市中级人民法院", "9月3日", "部分未履行")],
    }
    for n, rows in pages.items():
        trs = "".join(f'<tr data-id="{i}"><td>{name}</td><td>{code}</td><td>{case}</td><td>{court_}</td><td>{d}</td><td>{perf}</td></tr>'
                      for i, name, code, case, court_, d, perf in rows)
        nxt = '<div class="pager"><a href="/sxbzxr/list?p=2">下一页</a></div>' if n == 1 else '<div class="pager"><span>末页</span></div>'
        body = (f'<table id="sx"><caption>2024年失信被执行人名单（第{n}页）</caption><tr><th>被执行人</th><th>证件号码</th>'
                f'<th>执行案号</th><th>执行法院</th><th>发布日期</th><th>履行情况</th></tr>{trs}</table>{nxt}')
        write("court", CRT, f"sxbzxr/list@p={n}.html", html("失信被执行人名单", body))


# --- complaint: an RSS feed -> Big5 pages without a charset declaration, relative dates
TS = "tousu.other.test"
COMPLAINTS = [
    ("1001", "鑫盛宝不给提现", "鑫盛宝", "Mon, 01 Jul 2024 09:00:00 +0800",
     dict(title="鑫盛寶不給提現", date="昨天 14:02", amount="50000元", demand="退還本金", status="處理中",
          text="投資鑫盛寶項目5萬元，承諾月息3%，現在無法提現，客服失聯。")),
    ("1002", "天俐科技退款难", "杭州天俐科技有限公司", "Fri, 05 Jul 2024 10:00:00 +0800",
     dict(title="天俐科技退款難", date="3天前", amount="300元", demand="退款", status="已完成",
          text="購買軟件服務後申請退款，等了兩個月。")),
]


def complaint() -> None:
    items = "".join(f"<item><title>{t}</title><link>http://{TS}/t/{i}</link><pubDate>{d}</pubDate>"
                    f"<category>{company}</category></item>" for i, t, company, d, _ in COMPLAINTS)
    write("complaint", TS, "rss.xml", f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                      f"<title>最新投诉</title>{items}</channel></rss>")
    for i, _, _, _, p in COMPLAINTS:
        attrs = (f'<ul class="attrs"><li><label>投訴金額</label><span>{p["amount"]}</span></li>'
                 f'<li><label>投訴要求</label><span>{p["demand"]}</span></li>'
                 f'<li><label>處理狀態</label><span>{p["status"]}</span></li>'
                 f'<li><label>發佈時間</label><span>{p["date"]}</span></li></ul>')
        body = f'<div class="tsxq"><h2>{p["title"]}</h2>{attrs}<div class="tsnr"><p>{p["text"]}</p></div></div>'
        write("complaint", TS, f"t/{i}.html", html(p["title"], body, charset=None), "big5")


# --- promotion: a JSON directory with a cursor; a GBK article site and a forum ----------
DIR, LICAI, BBS = "dir.other.test", "licai.other.test", "bbs.other.test"


def promo() -> None:
    write("promo", DIR, "api/sites@size=1.json",
          json.dumps({"data": {"sites": [{"homepage": f"http://{LICAI}/"}], "cursor": "n2"}}))
    write("promo", DIR, "api/sites@after=n2&size=1.json",
          json.dumps({"data": {"sites": [{"homepage": f"http://{BBS}/"}], "cursor": None}}))
    write("promo", LICAI, "_index.html", html("鑫盛理财", '<nav><a href="/news/1">新闻</a></nav><p>欢迎</p>', "gbk"), "gbk")
    write("promo", LICAI, "news/1.html", html(
        "鑫盛宝年化18%保本保息", '<article id="main"><time datetime="2024-06-01T08:00:00+08:00">6月1日</time>'
        '<div class="entry"><p>鑫盛宝投1万每月返800，保本保息，邀请码：XS8888</p></div></article>', "gbk"), "gbk")
    write("promo", LICAI, "map.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                     f"<url><loc>http://{LICAI}/news/1</loc></url></urlset>")
    write("promo", BBS, "_index.html", html("论坛", '<a href="/thread/9">鑫盛宝靠谱吗</a>'))
    write("promo", BBS, "thread/9.html", html("鑫盛宝靠谱吗", (
        '<div class="floor"><span class="posted">发表于 2024-6-3 12:00</span><div class="msg">鑫盛宝拉人头有奖励，直推奖10%，邀请码：AB12CD</div></div>'
        '<div class="floor"><span class="posted">发表于 2024-6-4 08:00</span><div class="msg">别信，我的钱取不出来了</div></div>')))
    write("promo", BBS, "map.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>')


# --- AMAC: a sitemap of manager pages, th/td labels, a compact date with a declared format
GS = "gs.other.test"


def amac() -> None:
    write("amac", GS, "sitemap_managers.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                              f"<url><loc>http://{GS}/manager/P1000001</loc><lastmod>2024-01-01</lastmod></url></urlset>")
    rows = [("基金管理人全称(中文)", "上海汇通控股有限公司"), ("统一社会信用代码", C.lower()), ("登记编号", "P1000001"),
            ("登记时间", "20180101"), ("机构状态", "正常")]
    body = '<table class="m">' + "".join(f"<tr><th>{k}:</th><td>{v}</td></tr>" for k, v in rows) + "</table>"
    write("amac", GS, "manager/P1000001.html", html("私募基金管理人公示", body))


if __name__ == "__main__":
    registry()
    court()
    complaint()
    promo()
    amac()
