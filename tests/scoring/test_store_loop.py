"""score_store over a real SQLite store: context from the store, network ties, near-copies."""

from __future__ import annotations

from indexing.models import Person, RegistryEntry
from indexing.store.sqlite import SQLiteStore
from scoring.scorer import score_store
from tests.scoring.conftest import AS_OF, BANK_PAGE, SCHEME_PROMO, company, doc

OLD = "91310000MA1FL00011"
NEW = "91310000MA1FL00022"
BANK = "91110000100000000A"
PLAIN = "91310000MA1FL00033"


def test_score_store_builds_network_and_scores_everyone(tmp_path, model) -> None:
    store = SQLiteStore(tmp_path / "smoke.db")
    old = company(OLD, "上海旧鑫聚投资管理有限公司", legal_rep="李某某", people=[Person("李某某", "legal_rep")],
                  entries=[RegistryEntry("penalty", "2024-01-05", "非法集资", detail="责令停止，罚款")])
    new = company(NEW, "上海新汇聚科技有限公司", legal_rep="赵某某", people=[Person("赵某某", "legal_rep"), Person("李某某", "shareholder")],
                  business_scope="技术服务", registered_capital=100.0, paid_in_capital=100.0, founded="2018-01-01",
                  address="上海市静安区某路1号")
    bank = company(BANK, "招财银行股份有限公司", legal_rep="钱某", people=[Person("钱某", "legal_rep")],
                   business_scope="吸收公众存款；发放贷款", registered_capital=500000.0, paid_in_capital=500000.0,
                   founded="1995-01-01", address="北京市西城区金融街1号")
    plain = company(PLAIN, "上海某某餐饮有限公司", legal_rep="孙某", people=[Person("孙某", "legal_rep")],
                    business_scope="餐饮服务", registered_capital=50.0, paid_in_capital=50.0, founded="2016-01-01",
                    address="上海市徐汇区某路8号")
    store.upsert_companies([old, new, bank, plain])
    # reborn under a new name, with spaces and traditional characters to dodge copy detection
    reborn = " ".join(SCHEME_PROMO.replace("鑫聚财富", "汇聚天下").replace("XJ8866", "HJ2024"))
    reborn = reborn.replace("国 家", "國 家").replace("传 销", "傳 銷")
    store.upsert_documents([
        doc(SCHEME_PROMO, code=OLD, url="http://oldxinju.test/", site="oldxinju", date="2023-06-01"),
        doc(reborn, code=NEW, url="http://huiju.test/", site="huiju", date="2024-05-20"),
        doc(BANK_PAGE, code=BANK, url="http://bank.test/p1", site="bank"),
    ])
    scores = {s.credit_code: s for s in score_store(store, AS_OF, model)}
    assert set(scores) == {OLD, NEW, BANK, PLAIN}
    assert scores[OLD].smoke_index >= 60  # fundraising penalty within two years
    new_ind = {i.id: i for i in scores[NEW].indicators}
    assert new_ind["network.near_copy"].value >= 0.8
    assert new_ind["network.punished_ties"].value == 1
    assert scores[NEW].dimensions["network"] > 50
    assert scores[BANK].smoke_index < 20 and scores[PLAIN].smoke_index < 20
    for s in scores.values():
        assert round(sum(i.points for i in s.indicators), 2) == s.smoke_index
    again = {s.credit_code: s.to_dict() for s in score_store(store, AS_OF, model)}
    assert again == {k: v.to_dict() for k, v in scores.items()}
    assert store.save_scores(scores.values()) == 4
    store.close()


def test_mass_registration_address_does_not_spread_risk(tmp_path, model) -> None:
    store = SQLiteStore(tmp_path / "smoke.db")
    addr = "深圳市前海深港合作区前湾一路1号A栋201室（入驻深圳市前海商务秘书有限公司）"
    punished = company("91440300MA5F000001", "深圳前海某某资产管理有限公司", address=addr, legal_rep="周某",
                       people=[Person("周某", "legal_rep")],
                       entries=[RegistryEntry("penalty", "2024-02-01", "非法集资", detail="罚款")])
    others = [company(f"91440300MA5F0001{i:02d}", f"深圳前海某科技{i}有限公司", address=addr, legal_rep=f"员工{i}号",
                      people=[Person(f"员工{i}号", "legal_rep")], business_scope="软件开发", registered_capital=100.0,
                      paid_in_capital=100.0, founded="2016-01-01") for i in range(12)]
    partner = company("91440300MA5F000999", "深圳某某信息咨询有限公司", address="深圳市南山区某路9号", legal_rep="周某",
                      people=[Person("周某", "legal_rep")], business_scope="信息咨询", registered_capital=100.0,
                      paid_in_capital=100.0, founded="2016-01-01")
    store.upsert_companies([punished, *others, partner])
    scores = {s.credit_code: s for s in score_store(store, AS_OF, model)}
    assert all(scores[c.credit_code].dimensions["network"] == 0 for c in others)
    assert all(scores[c.credit_code].smoke_index < 20 for c in others)
    assert scores[partner.credit_code].dimensions["network"] > 0  # same legal representative: a real tie
    store.close()
