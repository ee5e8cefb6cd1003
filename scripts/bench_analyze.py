#!/usr/bin/env python3
"""Benchmark: our text analyser against plain ``jieba.cut`` on the same corpus, in one run.

The corpus is generated here from varied sentences (promotions, recruiting posts,
complaints, judgments, warnings, news, ordinary text, with evasive spellings), so the
benchmark needs nothing else. Each side runs several times; the medians are compared.
Last line: ``analyze_ratio=<our chars/s / jieba chars/s>`` (goal >= 0.7).

    PYTHONPATH=. python scripts/bench_analyze.py [--docs 600] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

SENTENCES = [
    "本平台年化收益高达{r}%，保本保息，稳赚不赔，投1万每月返{m}元。",
    "直推奖{p}%，见点奖拿五代，对碰奖日封顶{m}元，静态收益加动态收益，复投更划算。",
    "国家支持的扶贫项目，名额有限，早进早赚，扫码加微信了解详情，邀请码AB{m}。",
    "这不是传销，是国家认可的资本运作，不投资一分钱这叫传销？",
    "诚招团队长，零门槛，推荐一人奖励{m}元，伞下业绩拿层推奖，躺赚月入过万。",
    "我于{y}年{mo}月在该平台投了{m}元，现在无法提现，客服失联，老板跑路了，要求退还本金。",
    "本院认为，被告人以高额回报为诱饵向社会公众吸收资金，构成非法吸收公众存款罪，判处有期徒刑{p}年。",
    "风险提示：不法分子以养老项目为名，承诺保本保息，请广大群众提高警惕，切勿轻信，发现线索请积极举报。",
    "新华社{mo}月{p}日电（记者王某）近日警方捣毁一个以虚拟币投资为幌子的传销组织，涉案金额达{m}万元。",
    "理财非存款、产品有风险、投资须谨慎，业绩比较基准年化{s}%，本产品不保证本金和收益。",
    "今天天气晴朗，下午我们去公园散步，晚上和家人一起吃饭，聊了聊孩子的学习。",
    "公司加大宣传销售力度，推出新品，欢迎各位新老客户到店选购。",
    "保 本 保 息，穩賺不賠，直-推-奖{p}%，見點獎，月息{p}分，日息万分之{p}。",
    "每天看广告赚钱，邀请好友还有推荐奖励，三个月回本，一年翻倍，周返{p}%。",
    "该基金近一年收益率{p}%，过往业绩不代表未来表现，基金有风险，投资须谨慎。",
]


def corpus(n_docs: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        parts = []
        for _ in range(rnd.randint(4, 14)):
            s = rnd.choice(SENTENCES)
            parts.append(s.format(r=rnd.randint(8, 60), m=rnd.randint(100, 9999), p=rnd.randint(1, 9),
                                  y=rnd.randint(2019, 2024), mo=rnd.randint(1, 12), s=f"{rnd.uniform(2, 4):.2f}"))
        docs.append("".join(parts))
    return docs


def timed(fn, docs: list[str]) -> float:
    t = time.perf_counter()
    for d in docs:
        fn(d)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    import jieba

    from scoring.text import analyze

    jieba.setLogLevel(60)
    jieba.initialize()
    docs = corpus(args.docs)
    chars = sum(len(d) for d in docs)
    analyze(docs[0])  # compile the lexicon and tables outside the timing
    ours, base = [], []
    for _ in range(args.runs):  # interleaved, so drift affects both sides alike
        base.append(timed(lambda d: list(jieba.cut(d)), docs))
        ours.append(timed(analyze, docs))
    ours_cps = chars / statistics.median(ours)
    jieba_cps = chars / statistics.median(base)
    print(f"corpus: {len(docs)} documents, {chars} characters, {args.runs} runs (medians)")
    print(f"jieba.cut:      {jieba_cps:12,.0f} chars/s")
    print(f"scoring.analyze:{ours_cps:12,.0f} chars/s")
    print(f"analyze_ratio={ours_cps / jieba_cps:.2f}")


if __name__ == "__main__":
    main()
