"""How many store calls a page makes, on each backend: on Elasticsearch every call is an
HTTP round trip, so a company page (profile, documents, relationship graph, similar
companies) must stay within a handful whatever the company's links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from starlette.testclient import TestClient

from indexing.store.base import Store, link_keys
from smoke.accounts import Accounts
from smoke.web.app import create_app
from tests.web.conftest import PASSWORD, login
from tests.web.world import build_world

MAX_COMPANY_PAGE_CALLS = 10
_STORE_METHODS = {n for n in dir(Store) if not n.startswith("_") and callable(getattr(Store, n))}


class CountingStore:
    """A real store that counts the Store-interface calls made on it (nothing is faked:
    each call goes through to the store)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name not in _STORE_METHODS or name in ("close", "__enter__", "__exit__"):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return attr(*args, **kwargs)

        return counted


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        from indexing.store.sqlite import SQLiteStore

        s = SQLiteStore(tmp_path / "smoke.db")
        yield s
        s.close()
        return
    from indexing.store.elastic import ElasticStore

    s = ElasticStore.for_tests(url=request.getfixturevalue("es_url"), prefix=f"smoketest-{uuid4().hex[:8]}")
    try:
        yield s
    finally:
        s.destroy()
        s.close()


def test_company_page_makes_at_most_ten_store_calls(backend: Store, tmp_path: Path) -> None:
    build_world(backend)
    counting = CountingStore(backend)
    accounts = Accounts(tmp_path / "app.db")
    accounts.add_user("viewer", PASSWORD, "viewer")
    client = TestClient(create_app(lambda: counting, accounts, tmp_path / "exports"), follow_redirects=False)
    login(client, "viewer")
    # The company with the most links: the biggest relationship graph of the world.
    center = max(backend.iter_companies(), key=lambda c: (len(link_keys(c)), c.credit_code))
    linked = {cc for k in link_keys(center) for cc in backend.companies_sharing(*k)} - {center.credit_code}
    assert linked, "the test world must link the company to others"
    counting.calls.clear()
    page = client.get(f"/company/{center.credit_code}")
    assert page.status_code == 200, page.text
    assert center.name in page.text
    assert all(cc in page.text for cc in sorted(linked)[:3])  # drawn in the relationship graph
    assert len(counting.calls) <= MAX_COMPANY_PAGE_CALLS, counting.calls


def test_dashboard_makes_a_handful_of_store_calls(backend: Store, tmp_path: Path) -> None:
    build_world(backend)
    counting = CountingStore(backend)
    accounts = Accounts(tmp_path / "app.db")
    accounts.add_user("viewer", PASSWORD, "viewer")
    client = TestClient(create_app(lambda: counting, accounts, tmp_path / "exports"), follow_redirects=False)
    login(client, "viewer")
    counting.calls.clear()
    page = client.get("/")
    assert page.status_code == 200, page.text
    # counts, three aggregations, today's alerts (+ their names), runs, risers (2)
    assert len(counting.calls) <= 20, counting.calls
    assert "score_history" not in counting.calls
