"""The incremental daily cycle equals a full rescore, company by company (issue 14).

A small world in a real SQLite store: a punished scheme, its reborn copy, ties through
people, phones and a shared address, complaints, a dishonest legal representative, and
plain companies with old records only. Day 0 is scored in full with a memo; day 1 brings
changes (a new promotional near-copy, a complaint, a fundraising penalty on a company with
neighbours, a new shared phone, a dishonest-person entry); the memo run must then give
exactly the scores a run without memo gives, while analysing only some companies."""

from __future__ import annotations

import dataclasses

from indexing.models import Person, RegistryEntry
from indexing.store.sqlite import SQLiteStore
from scoring.memo import ScoreMemo
from scoring.model import Model, load_model
from scoring.scorer import RunStats, iter_scores
from tests.scoring.conftest import BANK_PAGE, RECRUIT_POST, SCHEME_PROMO, company, doc

DAY0, DAY1 = "2024-06-30", "2024-07-01"
SCHEME, REBORN, PARTNER, QUIET, SIBLING = (f"91310000MA1FL000{i:02d}" for i in range(1, 6))
PLAIN = [f"91440300MA5G00{i:04d}" for i in range(30)]
COMPLAINT = "我在该平台投资5万元，现在无法提现，客服失联，老板跑路了，本金全部被骗。"


def _plain(i: int, **kw):
    base = dict(legal_rep=f"员工{i}号", people=[Person(f"员工{i}号", "legal_rep")], business_scope="软件开发",
                registered_capital=100.0, paid_in_capital=100.0, founded="2010-01-01", address=f"深圳市南山区某路{i}号",
                phones=[f"0755-8800{i:04d}"])
    base.update(kw)
    return company(PLAIN[i], f"深圳某某软件{i}有限公司", **base)


def _world(store: SQLiteStore) -> None:
    scheme = company(SCHEME, "上海旧鑫聚投资管理有限公司", legal_rep="李某某", people=[Person("李某某", "legal_rep")],
                     phones=["021-66668888"],
                     entries=[RegistryEntry("penalty", "2024-01-05", "非法集资", detail="责令停止，罚款")])
    reborn = company(REBORN, "上海新汇聚科技有限公司", legal_rep="赵某某",
                     people=[Person("赵某某", "legal_rep"), Person("李某某", "shareholder")], business_scope="技术服务",
                     registered_capital=100.0, paid_in_capital=100.0, founded="2018-01-01", address="上海市静安区某路1号")
    partner = company(PARTNER, "上海某某咨询有限公司", legal_rep="钱某某", people=[Person("钱某某", "legal_rep")],
                      business_scope="信息咨询", registered_capital=100.0, paid_in_capital=100.0, founded="2012-01-01",
                      address="上海市徐汇区某路8号", phones=["021-55551234"])
    quiet = company(QUIET, "上海某某投资有限公司", legal_rep="孙某某", people=[Person("孙某某", "legal_rep")],
                    founded="2015-01-01", address="上海市徐汇区某路8号")
    sibling = company(SIBLING, "上海某某餐饮有限公司", legal_rep="钱某某", people=[Person("钱某某", "legal_rep")],
                      business_scope="餐饮服务", registered_capital=50.0, paid_in_capital=50.0, founded="2011-01-01",
                      address="上海市长宁区某路2号")
    store.upsert_companies([scheme, reborn, partner, quiet, sibling, *(_plain(i) for i in range(len(PLAIN)))])
    reborn_text = " ".join(SCHEME_PROMO.replace("鑫聚财富", "汇聚天下").replace("XJ8866", "HJ2024"))
    store.upsert_documents([
        doc(SCHEME_PROMO, code=SCHEME, url="http://oldxinju.test/", site="oldxinju", date="2023-06-01"),
        doc(reborn_text, code=REBORN, url="http://huiju.test/", site="huiju", date="2024-05-20"),
        doc(COMPLAINT, kind="complaint", code=SCHEME, url="http://ts.test/1", site="ts", date="2024-06-01"),
        doc(BANK_PAGE, code=PLAIN[0], url="http://plain0.test/p", site="plain0", date="2019-01-01"),
        doc(RECRUIT_POST, code=PLAIN[1], url="http://plain1.test/p", site="plain1", date="2024-06-20"),
    ])


def _day1(store: SQLiteStore) -> None:
    # a fundraising penalty on a company with a neighbour (same legal representative)
    partner = store.get_company(PARTNER)
    partner = dataclasses.replace(partner, entries=[RegistryEntry("penalty", "2024-06-30", "非法集资", detail="罚款")])
    # a new tie: a plain company now answers the scheme's phone
    p2 = dataclasses.replace(store.get_company(PLAIN[2]), phones=["021-66668888"])
    store.upsert_companies([partner, p2])
    store.upsert_documents([
        # a plain company starts copying the scheme's promotion
        doc(" ".join(SCHEME_PROMO.replace("鑫聚财富", "鸿运来").replace("XJ8866", "HY0701")), code=PLAIN[3],
            url="http://hongyun.test/", site="hongyun", date="2024-07-01"),
        doc(COMPLAINT.replace("5万", "8万"), kind="complaint", code=PLAIN[4], url="http://ts.test/2", site="ts",
            date="2024-07-01"),
        # the legal representative of a plain company is a dishonest person
        doc("失信被执行人名单", kind="court", url="http://court.test/sx/1", site="court", date="2024-06-15",
            fields={"dishonest": True, "name": "员工5号", "case_no": "（2024）沪01执100号"}),
    ])


def _count_document_reads(store: SQLiteStore) -> list[str]:
    """The credit codes whose documents the store is asked for (the real method does the work)."""
    reads: list[str] = []
    real = store.documents_for

    def documents_for(code: str, source_kind: str = ""):
        reads.append(code)
        return real(code, source_kind)

    store.documents_for = documents_for  # type: ignore[method-assign]
    return reads


def test_a_page_fetched_again_unchanged_is_no_change(tmp_path) -> None:
    model = load_model()
    store = SQLiteStore(tmp_path / "smoke.db")
    _world(store)
    memo_file = tmp_path / "memo.sqlite"
    memo = ScoreMemo(memo_file, model)
    list(iter_scores(store, DAY0, model, memo=memo))
    memo.close()
    again = [dataclasses.replace(d, fetched="2024-07-01T08:00:00") for c in (SCHEME, PLAIN[0]) for d in store.documents_for(c)]
    assert again
    store.upsert_documents(again)  # the crawler saw the same pages again
    store.upsert_companies([store.get_company(PLAIN[8])])
    memo = ScoreMemo(memo_file, model)
    stats = RunStats()
    list(iter_scores(store, DAY0, model, memo=memo, stats=stats))
    memo.close()
    assert stats.analysed == 0
    store.close()


def _key(s) -> dict:
    d = s.to_dict()
    return {"index": d["smoke_index"], "level": d["level"], "dimensions": d["dimensions"],
            "indicators": d["indicators"], "hard_rules": d["hard_rules"]}


def test_incremental_day_equals_full_rescore(tmp_path) -> None:
    model = load_model()
    store = SQLiteStore(tmp_path / "smoke.db")
    _world(store)
    memo_file = tmp_path / "memo.sqlite"
    n = store.count_companies()

    memo = ScoreMemo(memo_file, model)
    assert memo.full
    day0 = RunStats()
    before = {s.credit_code: s for s in iter_scores(store, DAY0, model, memo=memo, stats=day0)}
    memo.close()
    assert day0.analysed == day0.companies == n == len(before)
    store.save_scores(before.values())

    _day1(store)
    memo = ScoreMemo(memo_file, model)
    assert not memo.full
    day1 = RunStats()
    reads = _count_document_reads(store)
    incremental = {s.credit_code: s for s in iter_scores(store, DAY1, model, memo=memo, stats=day1)}
    memo.close()
    # the documents of companies the store wrote nothing for were not even read
    assert len(reads) == day1.analysed and PLAIN[20] not in reads, reads
    assert {PARTNER, PLAIN[2], PLAIN[3], PLAIN[4]} <= set(reads), reads
    del store.documents_for
    full = {s.credit_code: s for s in iter_scores(store, DAY1, model)}

    assert set(incremental) == set(full) == set(before)
    for code in full:
        assert _key(incremental[code]) == _key(full[code]), code
        assert incremental[code].as_of == DAY1
    # incremental for real: the plain companies with old records only were not analysed again
    assert day1.companies == n and 0 < day1.analysed < n // 2, (day1.analysed, n)
    # and the day's changes reached the companies they touch, neighbours included
    changed = {c for c in full if _key(full[c]) != _key(before[c])}
    assert {PARTNER, SIBLING, PLAIN[2], PLAIN[3], PLAIN[4], PLAIN[5]} <= changed, changed
    ind = {i.id: i for i in full[PLAIN[3]].indicators}
    assert ind["network.near_copy"].value >= 0.8
    store.close()


def test_new_model_version_means_full_rescore(tmp_path) -> None:
    model = load_model()
    store = SQLiteStore(tmp_path / "smoke.db")
    _world(store)
    memo_file = tmp_path / "memo.sqlite"
    memo = ScoreMemo(memo_file, model)
    list(iter_scores(store, DAY0, model, memo=memo))
    memo.close()

    memo = ScoreMemo(memo_file, model)
    same = RunStats()
    list(iter_scores(store, DAY0, model, memo=memo, stats=same))
    memo.close()
    assert same.analysed == 0  # same day, same inputs: nothing to analyse

    bumped = Model(model.config.model_copy(update={"version": model.version + "-next"}))
    memo = ScoreMemo(memo_file, bumped)
    assert memo.full
    stats = RunStats()
    scores = list(iter_scores(store, DAY0, bumped, memo=memo, stats=stats))
    memo.close()
    assert stats.analysed == stats.companies == store.count_companies()
    assert {s.model_version for s in scores} == {bumped.version}
    store.close()


def test_a_damaged_memo_means_a_full_rescore(tmp_path) -> None:
    model = load_model()
    memo_file = tmp_path / "memo.sqlite"
    memo_file.write_bytes(b"not a database" * 100)
    memo = ScoreMemo(memo_file, model)
    assert memo.full
    memo.close()
