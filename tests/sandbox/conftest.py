"""Fixtures for the sandbox tests: one small world per session, and a running server."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from sandbox.server import SandboxServer
from sandbox.world import generate


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes

    def text(self) -> str:
        m = re.search(rb'<meta charset="([\w-]+)"', self.body[:400])
        enc = m.group(1).decode() if m else "utf-8"
        return self.body.decode(enc)


class Client:
    """Plain HTTP through the sandbox proxy (urllib, no crawler framework)."""

    def __init__(self, proxy_url: str) -> None:
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy_url}))

    def get(self, url: str, headers: dict[str, str] | None = None, timeout: float = 20) -> Fetched:
        req = urllib.request.Request(url, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as r:
                return Fetched(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Fetched(e.code, e.headers, e.read())

    def json(self, url: str):
        import json

        r = self.get(url)
        assert r.status == 200, (url, r.status)
        return json.loads(r.body)


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("world") / "w", companies=300, seed=7)


@pytest.fixture()
def server(world):
    with SandboxServer(world) as s:
        yield s


@pytest.fixture()
def client(server) -> Client:
    return Client(server.proxy_url)
