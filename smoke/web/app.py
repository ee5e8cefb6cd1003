"""The Starlette application behind `smoke serve`: pages, static files, /api/v1."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import SmokeError
from indexing.store.base import Store, StoreError
from smoke.accounts import Accounts
from smoke.errors import kind_of, reading
from smoke.web.context import ApiError, Forbidden, LoginRequired, StoreProvider, WebConfig, render
from smoke.web.routes import admin, api, api_watch, auth, pages, watch

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"

# No inline scripts or styles anywhere: JS and CSS live in static files.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; connect-src 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds the security headers to every response; pages are never cached (they hold user data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _json_error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _json_error(exc.status, exc.message, exc.headers)


async def _login_required(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return _json_error(401, "login required", {"WWW-Authenticate": "Bearer"})
    return auth.login_redirect(request)


async def _forbidden(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return _json_error(403, "forbidden")
    return render(request, "error.html", status_code=403, status=403, message="您的角色无权执行此操作。")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _is_api(request):
        return _json_error(exc.status_code, str(exc.detail), dict(exc.headers or {}))
    message = {404: "页面不存在。", 405: "不支持的请求方法。"}.get(exc.status_code, str(exc.detail))
    return render(request, "error.html", status_code=exc.status_code, status=exc.status_code, message=message)


async def _smoke_error(request: Request, exc: Exception) -> Response:
    """A project error (smoke.errors maps it to its status): the full line goes to the
    log, the client gets the kind and the status (no server paths)."""
    kind = kind_of(exc)
    if kind is None:
        return await _server_error(request, exc)
    log.error("%s on %s: %s", kind.label, request.url.path, exc)
    message = {409: "busy: another run holds the lock; try again later",
               503: "the data store is unreadable; the operator has been told (see the server log)"}.get(
        kind.http_status, kind.label)
    if _is_api(request):
        return _json_error(kind.http_status, message)
    return render(request, "error.html", status_code=kind.http_status, status=kind.http_status, message=message)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path)
    if _is_api(request):
        return _json_error(500, "internal error")
    return Response("内部错误 internal error", status_code=500, media_type="text/plain; charset=utf-8")


def create_app(
    store_factory: Callable[[], Store],
    accounts: Accounts,
    export_dir: Path,
    secure_cookies: bool | None = None,
) -> Starlette:
    """The web app. ``store_factory`` opens a store (called once per worker thread)."""
    stores = StoreProvider(store_factory)
    app = Starlette(
        routes=[
            *api_watch.routes,  # before api: /api/v1/alerts/... are more specific
            *api.routes,
            *auth.routes,
            *watch.routes,  # before pages: /alerts lives there
            *pages.routes,
            *admin.routes,
            Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
        ],
        exception_handlers={
            ApiError: _api_error,
            LoginRequired: _login_required,
            Forbidden: _forbidden,
            HTTPException: _http_error,
            SmokeError: _smoke_error,
            StoreError: _smoke_error,
            Exception: _server_error,
        },
    )
    app.state.web = WebConfig(accounts=accounts, stores=stores, export_dir=Path(export_dir), secure_cookies=secure_cookies)
    app.add_middleware(SecurityHeaders)
    return app


def create_app_from_settings() -> Starlette:
    """The app for `smoke serve`: the configured store, app.db and exports under SMOKE_HOME."""
    from config.settings import get_settings
    from indexing.store import StoreSpec, open_store

    settings = get_settings()
    settings.home.mkdir(parents=True, exist_ok=True)

    where = Path(StoreSpec.from_settings(settings).location)  # named in a corrupt store's error

    def open_checked() -> Store:
        with reading(where, "store"):
            return open_store(settings)

    return create_app(open_checked, Accounts(settings.home / "app.db"), settings.home / "exports" / "web")
