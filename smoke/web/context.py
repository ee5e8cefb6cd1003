"""What every route needs: the store for this thread, accounts, templates, the
logged-in user, permission checks, CSRF and the audit helper."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from indexing.store.base import Store
from smoke import labels
from smoke.accounts import ROLE_LABELS, Accounts, Session, can
from smoke.service.doc_kinds import document_kind_label
from smoke.service.threshold import high_risk

SESSION_COOKIE = "smoke_session"
LOGIN_CSRF_COOKIE = "smoke_login_csrf"
TEMPLATES = Path(__file__).parent / "templates"


class LoginRequired(Exception):
    """Raised by a page that needs a logged-in user; answered with a redirect to /login."""


class Forbidden(Exception):
    """The user's role may not do this; answered with 403."""


class ApiError(Exception):
    """An API error that carries its HTTP status; answered as JSON {error, status}."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class StoreProvider:
    """One store per worker thread (SQLite connections stay in the thread that made them)."""

    def __init__(self, factory: Callable[[], Store]) -> None:
        self._factory = factory
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._factory()
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            stores, self._all = self._all, []
        for s in stores:
            # closing from another thread may be refused; the process ends anyway
            with contextlib.suppress(Exception):
                s.close()


@dataclass(slots=True)
class WebConfig:
    accounts: Accounts
    stores: StoreProvider
    export_dir: Path
    secure_cookies: bool | None = None  # None: Secure when the request came over https


def safe_url(url: str) -> str:
    """Only http(s) links leave the site: a crawled ``javascript:`` URL becomes '#'."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else "#"


def make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every {{ }} is escaped; crawled text is hostile
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["ROLE_LABELS"] = ROLE_LABELS
    labels.install(env)  # level_zh, region_name, shanghai (times), audit_detail_text, ...
    env.globals["high_risk"] = high_risk  # the model's threshold (smoke.service.threshold)
    env.globals["doc_kind_zh"] = document_kind_label  # 风险提示, 新闻 ...: a warning is never shown as a promotion
    env.filters["safe_url"] = safe_url
    env.filters["domain"] = lambda url: (urlsplit(url or "").hostname or "") if safe_url(url) != "#" else ""
    # JSON shown as text (autoescaped), Chinese kept readable
    env.filters["json_text"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
    return env


ENV = make_env()


def cfg(request: Request) -> WebConfig:
    return request.app.state.web


def store(request: Request) -> Store:
    return cfg(request).stores.get()


def client_addr(request: Request) -> str:
    return request.client.host if request.client else ""


# A refused login (throttled, or the hashing pool full) is answered this much later: a
# flood's clients wait for their answers, so each sends about one attempt a second and
# the server keeps its time for logged-in users. The wait costs no thread (asyncio).
LOGIN_REFUSAL_DELAY_S = 1.0


async def slow_refusal() -> None:
    await asyncio.sleep(LOGIN_REFUSAL_DELAY_S)


def current_session(request: Request) -> Session | None:
    if "smoke_user" in request.scope:
        return request.scope["smoke_user"]
    token = request.cookies.get(SESSION_COOKIE, "")
    session = cfg(request).accounts.get_session(token, "web") if token else None
    request.scope["smoke_user"] = session
    return session


def require(request: Request, permission: str = "read") -> Session:
    session = current_session(request)
    if session is None:
        raise LoginRequired()
    if not can(session.role, permission):
        raise Forbidden()
    return session


def check_csrf(request: Request, form: Any, session: Session) -> None:
    sent = str(form.get("csrf", ""))
    if not sent or not secrets.compare_digest(sent, session.csrf):
        raise Forbidden()


def audit(request: Request, session: Session, action: str, detail: dict[str, Any], rows: int | None = None) -> None:
    cfg(request).accounts.audit(session.username, action, detail, rows, client_addr(request))


def secure_cookie(request: Request) -> bool:
    setting = cfg(request).secure_cookies
    return request.url.scheme == "https" if setting is None else setting


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    session = current_session(request)
    context.setdefault("user", session)
    context.setdefault("can", (lambda p: can(session.role, p)) if session else (lambda p: False))
    context.setdefault("request_path", request.url.path)
    body = ENV.get_template(template).render(**context)
    return HTMLResponse(body, status_code=status_code)
