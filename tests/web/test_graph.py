"""The company page's relationship graph, built from Store.companies_sharing over a real
SQLite store (no HTTP here; the page and its drawing are covered in test_pages/test_browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexing.models import Company, Person
from indexing.store.sqlite import SQLiteStore
from smoke.web.views import MAX_GRAPH_PER_KEY, relationship_graph

ADDRESS = "深圳市南山区科技园某大厦12楼"


def _co(n: int, **kw: Any) -> Company:
    return Company(f"91440300MA5F{n:05d}X", f"第{n}号投资有限公司", **kw)


def _links(graph: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in graph["nodes"] if n["type"] != "company"}


def _linked_to(graph: dict[str, Any], key_id: str) -> set[str]:
    return {e["source"] for e in graph["edges"] if e["target"] == key_id}


def test_graph_links_through_people_address_phone_website_and_caps_each_key(tmp_path: Path) -> None:
    center = _co(1, legal_rep="王伟", address=ADDRESS, phones=["0755-1234"], websites=["jia.test"])
    partner = _co(2, people=[Person("王伟", "shareholder")], phones=["0755-1234"], websites=["jia.test"])
    same_floor = [_co(n, address=ADDRESS) for n in range(100, 100 + MAX_GRAPH_PER_KEY + 5)]
    stranger = _co(3, legal_rep="赵六", address="北京市朝阳区某路2号", phones=["010-9999"])
    with SQLiteStore(tmp_path / "s.db") as store:
        store.upsert_companies([center, partner, stranger, *same_floor])
        graph = relationship_graph(store, center)

        links = _links(graph)
        assert set(links) == {"person:王伟", f"address:{ADDRESS}", "phone:0755-1234", "website:jia.test"}
        for key in ("person:王伟", "phone:0755-1234", "website:jia.test"):
            assert links[key]["count"] == 1
            assert _linked_to(graph, key) == {center.credit_code, partner.credit_code}
        # 20 other companies at the address: all counted, MAX_GRAPH_PER_KEY drawn.
        assert links[f"address:{ADDRESS}"]["count"] == len(same_floor)
        drawn = _linked_to(graph, f"address:{ADDRESS}") - {center.credit_code}
        assert drawn == {c.credit_code for c in sorted(same_floor, key=lambda c: c.credit_code)[:MAX_GRAPH_PER_KEY]}
        companies = {n["id"] for n in graph["nodes"] if n["type"] == "company"}
        assert stranger.credit_code not in companies
        assert [n["id"] for n in graph["nodes"] if n.get("center")] == [center.credit_code]

        # The partner drops the phone: the next page no longer shows it.
        partner.phones = []
        store.upsert_companies([partner])
        assert "phone:0755-1234" not in _links(relationship_graph(store, center))


def test_a_company_sharing_nothing_has_a_graph_of_itself(tmp_path: Path) -> None:
    alone = _co(1, legal_rep="孙七", phones=["0755-7777"])
    with SQLiteStore(tmp_path / "s.db") as store:
        store.upsert_companies([alone, _co(2, legal_rep="周八")])
        graph = relationship_graph(store, alone)
    assert graph == {"nodes": [{"id": alone.credit_code, "label": alone.name, "type": "company", "level": "",
                                "smoke_index": None, "center": True}], "edges": []}


class _NoScanStore(SQLiteStore):
    """The real store, except that reading every company is an error."""

    def iter_companies(self) -> Iterator[Company]:
        raise AssertionError("the relationship graph must not read every company (1M+ in production)")


def test_graph_asks_the_store_instead_of_reading_every_company(tmp_path: Path) -> None:
    a, b = _co(1, phones=["0755-1"]), _co(2, phones=["0755-1"])
    with _NoScanStore(tmp_path / "s.db") as store:
        store.upsert_companies([a, b])
        assert _linked_to(relationship_graph(store, a), "phone:0755-1") == {a.credit_code, b.credit_code}
