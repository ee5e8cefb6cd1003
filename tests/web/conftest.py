"""Fixtures for the web tests: a real store filled with a small world, an app
database with one user per role, the app and logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from indexing.store.base import Store
from indexing.store.sqlite import SQLiteStore
from smoke.accounts import Accounts
from smoke.web.app import create_app
from tests.web.world import build_world, world_codes

PASSWORD = "correct horse 42"
ROLES = ("viewer", "analyst", "auditor", "admin")


def _store_factory(tmp_path: Path) -> Callable[[], Store]:
    """Opens the real SQLite store of the test world (one per server thread, like `smoke serve`)."""
    path = tmp_path / "smoke.db"
    return lambda: SQLiteStore(path)


@pytest.fixture(scope="session")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-world")


@pytest.fixture(scope="session")
def store_factory(world_dir: Path) -> Callable[[], Store]:
    factory = _store_factory(world_dir)
    s = factory()
    build_world(s)
    return factory


@pytest.fixture(scope="session")
def codes(store_factory: Callable[[], Store]) -> dict[str, str]:
    return world_codes()


@pytest.fixture(scope="session")
def accounts(world_dir: Path) -> Accounts:
    acc = Accounts(world_dir / "app.db")
    for role in ROLES:
        acc.add_user(role, PASSWORD, role)
    return acc


@pytest.fixture
def app(store_factory, accounts, tmp_path):
    return create_app(store_factory, accounts, tmp_path / "exports")


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def login(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf": csrf, "next": "/"})


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture
def as_role(app):
    """A TestClient logged in with the given role."""

    def make(role: str) -> TestClient:
        c = TestClient(app, base_url="http://testserver", follow_redirects=False)
        r = login(c, role)
        assert r.status_code == 303, r.text
        return c

    return make


def api_token(client: TestClient, role: str) -> str:
    r = client.post("/api/v1/auth/token", json={"username": role, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def analyst_home(folder: Path, extra: Callable[[Store], object]) -> Path:
    """A SMOKE_HOME holding the test world plus ``extra``'s records and one analyst account."""
    store = SQLiteStore(folder / "smoke.db")
    build_world(store)
    extra(store)
    store.close()
    Accounts(folder / "app.db").add_user("analyst", PASSWORD, "analyst")
    return folder


def analyst_clients(home: Path) -> tuple[TestClient, dict[str, str]]:
    """The web app over ``home``: a page client logged in as the analyst, and API headers."""
    app = create_app(lambda: SQLiteStore(home / "smoke.db"), Accounts(home / "app.db"), home / "exports")
    page = TestClient(app, base_url="http://testserver", follow_redirects=False)
    assert login(page, "analyst").status_code == 303
    token = api_token(TestClient(app, base_url="http://testserver"), "analyst")
    return page, {"Authorization": f"Bearer {token}"}
