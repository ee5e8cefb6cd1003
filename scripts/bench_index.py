#!/usr/bin/env python3
"""Indexing throughput of the SQLite store against a baseline measured in the same run.

Ours: ``SQLiteStore.upsert_documents`` on a fresh file (normalisation, squeeze, jieba
search-mode tokens, CJK bigrams, FTS5 index, mention rows, JSON).
Baseline: plain ``jieba.cut`` over the same texts plus a plain ``executemany`` INSERT of
the same rows into a bare table in one transaction: the least any jieba + SQLite
indexer has to do.

Prints the median of ``--runs`` runs of each and, last, ``index_ratio=<ours docs/s ÷
baseline docs/s>``. Usage: ``PYTHONPATH=. python scripts/bench_index.py [--n 20000]``.
"""

from __future__ import annotations

import argparse
import logging
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jieba  # noqa: E402

from indexing.models import Document, Mention, stable_id  # noqa: E402
from indexing.store.sqlite import SQLiteStore  # noqa: E402
from indexing.tokenize import tokens  # noqa: E402

# Synthetic but realistic text: promotional, complaint, court and news phrases.
PHRASES = [
    "本平台承诺年化收益百分之十八", "保本保息稳赚不赔", "推荐好友注册即可获得直推奖", "见点奖和对碰奖每日结算",
    "投资一万元每月返利八百元", "国家支持的扶贫项目", "区块链数字资产增值", "会员等级越高分红越多",
    "消费养老新模式", "被告人以高额回报为诱饵", "非法吸收公众存款数额巨大", "组织领导传销活动",
    "投诉该平台无法提现", "客服失联老板跑路", "要求退还本金", "市场监管部门提醒广大群众",
    "警惕以高息为诱饵的非法集资", "公司经营范围包括投资管理和资产管理", "今年第三季度营业收入稳步增长",
    "烘焙连锁门店新品上市", "软件开发与技术服务", "会议在北京召开", "专家表示风险可控",
    "深圳市前海鑫利财富投资管理有限公司", "广州聚宝盆电子商务有限公司", "APP下载扫码注册",
]
PUNCT = ["，", "。", "！", "；", " ", "、"]


def make_docs(n: int, chars: int, seed: int = 1) -> list[Document]:
    rng = random.Random(seed)
    kinds = ["promo", "complaint", "court", "registry"]
    docs = []
    for i in range(n):
        parts: list[str] = []
        size = 0
        while size < chars:
            p = rng.choice(PHRASES) + rng.choice(PUNCT)
            parts.append(p)
            size += len(p)
        text = "".join(parts)
        url = f"http://bench.test/{i}"
        docs.append(Document(
            id=stable_id(url), url=url, source_kind=kinds[i % 4], site="bench", title=parts[0][:20],
            text=text, fetched="2024-01-01T00:00:00", published=f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
            content_hash=stable_id(text), domain="bench.test",
            mentions=[Mention(f"91440300{i % 500:09d}X", "name", 0.9)],
        ))
    return docs


def run_ours(docs: list[Document], tmp: Path, k: int) -> float:
    path = tmp / f"ours{k}.db"
    t = time.perf_counter()
    with SQLiteStore(path) as s:
        r = s.upsert_documents(docs)
    dt = time.perf_counter() - t
    assert r.new == len(docs), r
    return dt


def run_baseline(docs: list[Document], tmp: Path, k: int) -> float:
    path = tmp / f"base{k}.db"
    t = time.perf_counter()
    rows = []
    for d in docs:
        toks = " ".join(jieba.cut(d.title + " " + d.text))
        rows.append((d.id, d.url, d.source_kind, d.title, d.text, toks))
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE docs (id TEXT PRIMARY KEY, url TEXT, kind TEXT, title TEXT, text TEXT, toks TEXT)")
    with con:
        con.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?)", rows)
    con.close()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20_000, help="documents per run (default 20000)")
    ap.add_argument("--chars", type=int, default=300, help="characters per document (default 300)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each, the median is reported (default 3)")
    args = ap.parse_args()
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    tokens("预热")  # load our private jieba once, outside the timings
    docs = make_docs(args.n, args.chars)
    total_chars = sum(len(d.text) + len(d.title) for d in docs)
    print(f"{args.n} documents, {total_chars / 1e6:.1f}M characters, {args.runs} runs each", file=sys.stderr)
    ours, base = [], []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for k in range(args.runs):
            base.append(run_baseline(docs, tmp, k))
            ours.append(run_ours(docs, tmp, k))
            print(f"run {k + 1}: ours {ours[-1]:.2f}s, baseline {base[-1]:.2f}s", file=sys.stderr)
        # Re-indexing unchanged documents (a repeated crawl) for information.
        t = time.perf_counter()
        with SQLiteStore(tmp / "ours0.db") as s:
            r = s.upsert_documents(docs)
        again = time.perf_counter() - t
        assert r.unchanged == len(docs), r
    m_ours, m_base = statistics.median(ours), statistics.median(base)
    print(f"ours:     {args.n / m_ours:,.0f} docs/s ({total_chars / m_ours / 1e6:.2f}M chars/s), median {m_ours:.2f}s")
    print(f"baseline: {args.n / m_base:,.0f} docs/s ({total_chars / m_base / 1e6:.2f}M chars/s), median {m_base:.2f}s"
          "  [jieba.cut + executemany into a bare table]")
    print(f"re-upsert unchanged: {args.n / again:,.0f} docs/s")
    print(f"index_ratio={(args.n / m_ours) / (args.n / m_base):.2f}")


if __name__ == "__main__":
    main()
