"""What only the SQLite backend has: its file, pragmas, schema version, and concurrency
across threads and processes. Behaviour shared with Elasticsearch lives in
tests/test_store_contract.py."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from indexing.models import Company, Document, Person
from indexing.store.base import CompanyQuery, DocumentQuery
from indexing.store.sqlite import SCHEMA_VERSION, SQLiteStore, StoreError

ROOT = Path(__file__).resolve().parents[2]


def _doc(i: int) -> Document:
    return Document(id=f"d{i}", url=f"http://x.test/{i}", source_kind="promo", site="s",
                    title=f"推广{i}", text=f"第{i}号项目：拉人头返利，保本保息", fetched="2024-01-01T00:00:00",
                    content_hash=f"h{i}")


def test_pragmas_and_schema_version(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as s:
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert s.schema_version() == SCHEMA_VERSION


def test_reopening_keeps_data(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as s:
        s.upsert_documents([_doc(1)])
        s.upsert_companies([Company("91110000802100433B", "联想(北京)有限公司")])
    with SQLiteStore(tmp_path / "s.db") as s:
        assert s.count_documents() == 1 and s.count_companies() == 1
        assert s.search_documents(DocumentQuery(text="返利")).total == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "s.db").close()
    con = sqlite3.connect(tmp_path / "s.db")
    con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(tmp_path / "s.db")


def _as_left_by_version(path: Path, version: int, drop: list[str]) -> None:
    """Turn a current database file into what an older program left behind."""
    con = sqlite3.connect(path)
    for table in drop:
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE schema_version SET version = ?", (version,))
    con.commit()
    con.close()


def test_a_version_1_database_gets_its_company_links_on_open(tmp_path: Path) -> None:
    """Version 1 had no company_links: opening such a file fills the table from the stored
    companies (and only then says version 2), so the relationship graph works at once."""
    a = Company("91440300MA5F00001A", "甲公司", legal_rep="王伟", phones=["0755-1111"], address="深圳市某路1号")
    b = Company("91440300MA5F00002B", "乙公司", people=[Person("王伟", "executive")], phones=["0755-1111"])
    with SQLiteStore(tmp_path / "s.db") as s:
        s.upsert_companies([a, b])
    _as_left_by_version(tmp_path / "s.db", 1, drop=["company_links", "simhash_bands"])

    with SQLiteStore(tmp_path / "s.db") as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.companies_sharing("person", "王伟") == [a.credit_code, b.credit_code]
        assert s.companies_sharing("phone", "0755-1111") == [a.credit_code, b.credit_code]
        assert s.companies_sharing("address", "深圳市某路1号") == [a.credit_code]
        rows = s._conn.execute("SELECT COUNT(*) FROM company_links").fetchone()[0]
    with SQLiteStore(tmp_path / "s.db") as s:  # migrated once: reopening changes nothing
        assert s._conn.execute("SELECT COUNT(*) FROM company_links").fetchone()[0] == rows == 5


def test_a_version_2_database_gets_its_simhash_bands_on_open(tmp_path: Path) -> None:
    """Version 2 had no simhash_bands: opening such a file fills the table from the stored
    documents' fields["simhash"] (and only then says version 3), so near_duplicates finds
    pages crawled before the upgrade."""
    top = 0x8000_0000_0000_0001  # 2^63 and above: not a signed SQLite integer
    docs = [_doc(i) for i in range(4)]
    docs[0].fields = {"simhash": f"{top:016x}", "page_type": "article"}
    docs[1].fields = {"simhash": f"{top ^ 0b101:016x}"}
    docs[2].fields = {"simhash": "0123456789abcdef"}
    with SQLiteStore(tmp_path / "s.db") as s:  # docs[3] has no simhash
        s.upsert_documents(docs)
    _as_left_by_version(tmp_path / "s.db", 2, drop=["simhash_bands"])

    with SQLiteStore(tmp_path / "s.db") as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.near_duplicates(top, 3, limit=10) == [("d0", 0), ("d1", 2)]
        assert s.near_duplicates(0x0123456789ABCDEF, 3, exclude="d0", limit=10) == [("d2", 0)]
        rows = s._conn.execute("SELECT COUNT(*) FROM simhash_bands").fetchone()[0]
    with SQLiteStore(tmp_path / "s.db") as s:  # migrated once: reopening changes nothing
        assert s._conn.execute("SELECT COUNT(*) FROM simhash_bands").fetchone()[0] == rows == 3 * 4


def test_a_version_3_database_gets_pinyin_names_on_open(tmp_path: Path) -> None:
    """Version 3 indexed names without their pinyin: opening such a file adds the pinyin
    forms to every stored name, so "xinli" finds 鑫利 without re-crawling the registry."""
    with SQLiteStore(tmp_path / "s.db") as s:
        s.upsert_companies([Company("91440300MA5F00001A", "深圳鑫利财富投资有限公司")])
        s._conn.execute("UPDATE companies SET name_tok = '深圳 鑫 利 财富 投资 有限 公司'")  # as v3 wrote it
        assert s.search_companies(CompanyQuery(text="xinli")).total == 0
    _as_left_by_version(tmp_path / "s.db", 3, drop=[])
    with SQLiteStore(tmp_path / "s.db") as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert [h.company.name for h in s.search_companies(CompanyQuery(text="xinli")).hits] == ["深圳鑫利财富投资有限公司"]
        assert s.search_companies(CompanyQuery(text="xlcf")).total == 1


def test_bad_records_are_counted_not_fatal(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as s:
        bad = _doc(2)
        bad.url = ""
        r = s.upsert_documents([_doc(1), bad, _doc(3)])
        assert (r.new, len(r.failed)) == (2, 1) and r.failed[0].startswith("d2")
        r = s.upsert_companies([Company("", "无代码公司"), Company("91110000802100433B", "联想")])
        assert (r.new, len(r.failed)) == (1, 1)


def test_threads_share_one_store(tmp_path: Path) -> None:
    errors: list[BaseException] = []
    with SQLiteStore(tmp_path / "s.db") as s:
        def writer(k: int) -> None:
            try:
                for j in range(20):
                    s.upsert_documents([_doc(k * 1000 + j)])
                    s.search_documents(DocumentQuery(text="返利", limit=5))
                    s.set_state(f"t{k}", str(j))
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert s.count_documents() == 80
        assert [s.get_state(f"t{k}") for k in range(4)] == ["19"] * 4


def test_a_writer_process_and_a_reader_run_concurrently(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    SQLiteStore(db).close()
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from indexing.models import Document
        from indexing.store.sqlite import SQLiteStore
        s = SQLiteStore({str(db)!r})
        for b in range(20):
            s.upsert_documents(
                Document(id=f"p{{b}}-{{i}}", url=f"http://x.test/{{b}}/{{i}}", source_kind="promo", site="s",
                         title="t", text=f"资金盘返利第{{i}}期", fetched="2024-01-01T00:00:00")
                for i in range(100))
        s.close()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    seen = []
    with SQLiteStore(db) as reader:
        while proc.poll() is None:
            n = reader.count_documents()
            assert n % 100 == 0  # a batch is one transaction: never half visible
            seen.append(n)
            reader.search_documents(DocumentQuery(text="资金盘", limit=3))
            time.sleep(0.01)
        assert proc.wait() == 0
        assert reader.count_documents() == 2000
    assert seen == sorted(seen)


@pytest.mark.parametrize("sql", ["CURRENT_ROWS_SQL", "SET_CURRENT_SQL"])
def test_score_refresh_looks_scores_up_by_company(tmp_path: Path, sql: str) -> None:
    # Regression: through the scores_current index the refresh visited every current
    # score for each company saved (quadratic). It must search by credit code.
    import indexing.store.sqlite as mod

    with SQLiteStore(tmp_path / "s.db") as s:
        args = ("x",) if sql == "CURRENT_ROWS_SQL" else (1, "x")
        plan = " | ".join(r[3] for r in s._conn.execute("EXPLAIN QUERY PLAN " + getattr(mod, sql), args))
    assert "scores_current" not in plan, plan
    assert "scores_code (credit_code=?" in plan, plan
