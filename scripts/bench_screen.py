#!/usr/bin/env python3
"""Batch screening: a ``--rows``-row file (a quarter each: credit codes, exact names, fuzzy
names, unknown names) against a fresh SQLite store of ``--companies`` scored companies.

Times ``smoke.screening.screen_file`` (read, match, score lookup, workbook) against the
30-second goal of issue 13, and against a baseline measured in the same run: the same rows
looked up one call per row (``get_company`` + ``latest_score`` for codes; ``companies_by_name``, else the same
fuzzy ``search_companies``, + ``latest_score`` for names), without the workbook.
Last line: ``screen_ratio=<screening seconds / per-row baseline seconds>``.

Usage: ``./scripts/bench screen [--companies 20000] [--rows 1000]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexing.creditcode import check_digit  # noqa: E402
from indexing.models import Company, IndicatorResult, Score, level_for  # noqa: E402
from indexing.store.base import CompanyQuery  # noqa: E402
from indexing.store.sqlite import SQLiteStore  # noqa: E402
from smoke.screening import read_rows, screen_file  # noqa: E402


def code(n: int) -> str:
    first = f"91440300MA{n:07d}"
    return first + check_digit(first)


def fill(store: SQLiteStore, n: int) -> None:
    batch_c, batch_s = [], []
    for i in range(n):
        idx = float((i * 37) % 100)
        batch_c.append(Company(credit_code=code(i), name=f"示例第{i}号投资管理有限公司", region_code="440300"))
        batch_s.append(Score(credit_code=code(i), as_of="2026-03-01", smoke_index=idx, level=level_for(idx),
                             dimensions={}, model_version="bench",
                             indicators=[IndicatorResult(id="yield.x", dimension="yield", value=1, points=idx / 2,
                                                         label="承诺高收益")]))
        if len(batch_c) >= 5000:
            store.upsert_companies(batch_c)
            store.save_scores(batch_s)
            batch_c, batch_s = [], []
    store.upsert_companies(batch_c)
    store.save_scores(batch_s)


def rows_csv(rows: int, companies: int) -> bytes:
    lines = ["企业名称,统一社会信用代码"]
    for i in range(rows):
        j = (i * 7919) % companies
        lines.append([f",{code(j)}", f"示例第{j}号投资管理有限公司,", f"第{j}号投资管理,", f"不存在{i},"][i % 4])
    return ("\n".join(lines) + "\n").encode("utf-8")


def baseline(store: SQLiteStore, data: bytes) -> None:
    for r in read_rows(data, "bench.csv"):
        if r.code:
            if store.get_company(r.code):
                store.latest_score(r.code)
        elif r.name:
            found = store.companies_by_name(r.name)
            if not found:
                found = [h.company for h in store.search_companies(CompanyQuery(text=r.name, sort="relevance",
                                                                                 limit=5)).hits]
            for c in found:
                store.latest_score(c.credit_code)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--companies", type=int, default=20_000)
    ap.add_argument("--rows", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        store = SQLiteStore(Path(d) / "smoke.db")
        t0 = time.perf_counter()
        fill(store, args.companies)
        print(f"store: {args.companies} companies loaded in {time.perf_counter() - t0:.1f} s")
        data = rows_csv(args.rows, args.companies)
        t0 = time.perf_counter()
        result, book = screen_file(store, data, "bench.csv")
        ours = time.perf_counter() - t0
        print(f"screening: {args.rows} rows in {ours:.2f} s ({args.rows / ours:.0f} rows/s; goal < 30 s), "
              f"workbook {len(book) // 1024} KiB, {result.counts()}")
        t0 = time.perf_counter()
        baseline(store, data)
        base = time.perf_counter() - t0
        print(f"baseline (one call per row, the same fuzzy searches, no workbook): {base:.2f} s")
        store.close()
    print(f"screen_ratio={ours / base:.2f}")


if __name__ == "__main__":
    main()
