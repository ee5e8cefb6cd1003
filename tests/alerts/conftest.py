"""Fixtures for the alert tests: a real SQLite store, a real SMTP server (aiosmtpd, plain,
STARTTLS and implicit TLS with a certificate made here), a real webhook receiver."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from config.alerts import AlertChannels
from indexing.creditcode import check_digit
from indexing.models import Company, Evidence, IndicatorResult, Score, level_for
from indexing.store.sqlite import SQLiteStore

SMTP_USER, SMTP_PASSWORD = "alerts@example.test", "s3cret-pw"


def code(n: int) -> str:
    """A credit code with a valid check digit (n-th test company)."""
    first = f"91440300MA{n:07d}"
    return first + check_digit(first)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "smoke.db")
    try:
        yield s
    finally:
        s.close()


def add_company(store: SQLiteStore, n: int, name: str = "") -> str:
    c = code(n)
    store.upsert_companies([Company(credit_code=c, name=name or f"深圳市测试{n}号投资有限公司", region_code="440300")])
    return c


def add_scores(store: SQLiteStore, credit_code: str, series: dict[str, float], indicators: list[IndicatorResult] | None = None, model: str = "m1") -> None:
    scores = []
    last = max(series)
    for day, index in sorted(series.items()):
        scores.append(
            Score(
                credit_code=credit_code,
                as_of=day,
                smoke_index=index,
                level=level_for(index),
                dimensions={"compliance": index},
                indicators=(indicators or []) if day == last else [],
                model_version=model,
            )
        )
    store.save_scores(scores)


def criminal(doc: str = "d1", points: float = 30.0) -> IndicatorResult:
    return IndicatorResult(
        id="compliance.criminal_case",
        dimension="compliance",
        value=1,
        points=points,
        label="涉刑事案件（非法吸收公众存款）",
        evidence=[Evidence(url=f"http://court.test/{doc}", snippet="非法吸收公众存款", date="2024-05-01", doc_id=doc)],
    )


def days(start: str, values: list[float]) -> dict[str, float]:
    d0 = dt.date.fromisoformat(start)
    return {(d0 + dt.timedelta(days=i)).isoformat(): v for i, v in enumerate(values)}


# --- SMTP ----------------------------------------------------------------------


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def ids(self) -> list[str]:
        return [m["X-Smoke-Alert-Id"] for m in self.messages]


def _authenticator(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD:
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


@dataclass
class SmtpServer:
    """A real aiosmtpd server on 127.0.0.1 that can be stopped (outage) and started again
    on the same port."""

    mailbox: Mailbox
    port: int
    mode: str  # none | starttls | tls
    cert: Path | None = None
    key: Path | None = None
    controller: Controller | None = None

    def _ctx(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(self.cert), str(self.key))
        return ctx

    def start(self) -> None:
        kwargs: dict = {"hostname": "127.0.0.1", "port": self.port, "server_hostname": "localhost"}
        if self.mode == "starttls":
            kwargs.update(tls_context=self._ctx(), require_starttls=True, authenticator=_authenticator, auth_required=True)
        elif self.mode == "tls":
            # aiosmtpd does not see implicit TLS as TLS for AUTH (it only tracks STARTTLS);
            # the connection is encrypted, so allow AUTH on it.
            kwargs.update(ssl_context=self._ctx(), authenticator=_authenticator, auth_required=True, auth_require_tls=False)
        self.controller = Controller(self.mailbox, **kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def channels(self, **email) -> AlertChannels:
        cfg = {
            "enabled": True,
            "host": "localhost" if self.mode != "none" else "127.0.0.1",
            "port": self.port,
            "security": self.mode,
            "username": SMTP_USER if self.mode != "none" else "",
            "sender": "smokewatch@example.test",
            "recipients": ["duty@example.test", "chief@example.test"],
            "ca_file": str(self.cert) if self.cert else "",
            "timeout_s": 5,
            **email,
        }
        return AlertChannels.model_validate(
            {"email": cfg, "digest": {"enabled": False}, "retry": {"base_s": 0, "max_s": 0, "lock_timeout_s": 30}}
        )


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost / 127.0.0.1, made with ``cryptography``."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    d = tmp_path_factory.mktemp("tls")
    cert_path, key_path = d / "cert.pem", d / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _smtp(mode: str, tls_cert: tuple[Path, Path] | None) -> Iterator[SmtpServer]:
    server = SmtpServer(Mailbox(), free_port(), mode, *(tls_cert or (None, None)))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_plain() -> Iterator[SmtpServer]:
    yield from _smtp("none", None)


@pytest.fixture
def smtp_starttls(tls_cert, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    monkeypatch.setenv("SMOKE_SMTP_PASSWORD", SMTP_PASSWORD)
    yield from _smtp("starttls", tls_cert)


@pytest.fixture
def smtp_tls(tls_cert, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    monkeypatch.setenv("SMOKE_SMTP_PASSWORD", SMTP_PASSWORD)
    yield from _smtp("tls", tls_cert)


# --- webhook receiver --------------------------------------------------------


@dataclass
class Received:
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """A real HTTP server in a thread, recording every POST. ``reply`` sets the answer
    (status, JSON); ``delay_s`` makes it slow (for the concurrency test); ``stop`` and
    ``start`` make an outage on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self.arrived = 0  # POSTs whose body was read, counted before the answer's delay
        self.status = 200
        self.answer: dict = {"errcode": 0, "errmsg": "ok"}
        self.delay_s = 0.0
        self._lock = threading.Lock()
        self._server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server hook name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.arrived += 1
                import time

                time.sleep(receiver.delay_s)
                path, _, query = self.path.partition("?")
                with receiver._lock:
                    if receiver.status < 300:
                        receiver.received.append(Received(path, query, dict(self.headers), body))
                data = json.dumps(receiver.answer).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def channels(self, fmt: str = "json", name: str = "ops", **retry) -> AlertChannels:
        return AlertChannels.model_validate(
            {
                "webhooks": [{"name": name, "url": self.url, "format": fmt, "timeout_s": 5}],
                "digest": {"enabled": False},
                "retry": {"base_s": 0, "max_s": 0, "lock_timeout_s": 30, **retry},
            }
        )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.start()
    try:
        yield r
    finally:
        r.stop()


# --- alerts ------------------------------------------------------------------

HOSTILE = '恶意<script>alert(1)</script>公司 **粗体** [链接](http://evil.test) & "引号"\r\nBcc: victim@evil.test'


def make_alerts(store: SQLiteStore, n: int, start: int = 100, name: str = "") -> list:
    """``n`` stored alerts created now (inside the outbox's retry window)."""
    from indexing.models import Alert, stable_id

    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="seconds")
    out = []
    for i in range(start, start + n):
        c = add_company(store, i, name or f"测试{i}号资产管理有限公司")
        a = Alert(
            id=stable_id("test-alert", c),
            credit_code=c,
            created=now,
            rule="crossing",
            score=60.0 + i % 40,
            previous_score=50.0,
            message=f"{name or '公司'} 冒烟指数升至 {60 + i % 40}（测试）",
        )
        assert store.save_alert(a)
        out.append(a)
    return out
