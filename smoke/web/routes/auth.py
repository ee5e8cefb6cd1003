"""Log in and out. The login form is protected by a double-submit CSRF cookie (no
session exists yet); failures are throttled per user name and client address."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from smoke.accounts import LoginRefused
from smoke.web.context import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    cfg,
    check_csrf,
    client_addr,
    current_session,
    render,
    secure_cookie,
    slow_refusal,
)


def _safe_next(target: str) -> str:
    # Only local paths: never redirect a user off the site after login.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _login_page(request: Request, error: str = "", status: int = 200, username: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        status_code=status,
        error=error,
        csrf=token,
        username=username,
        next=_safe_next(request.query_params.get("next", "/")),
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure_cookie(request), path="/login"
    )
    return response


async def login_form(request: Request) -> Response:
    if current_session(request):
        return RedirectResponse("/", status_code=303)
    return _login_page(request)


async def login_submit(request: Request) -> Response:
    form = await request.form()
    sent = str(form.get("csrf", ""))
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not sent or not cookie or not secrets.compare_digest(sent, cookie):
        return _login_page(request, "表单已过期，请重新登录。", 403)
    username = str(form.get("username", ""))[:64]
    password = str(form.get("password", ""))[:1024]
    accounts = cfg(request).accounts
    client = client_addr(request)
    try:
        accounts.precheck_login(username, client)  # a flood's repeats never reach a worker thread
        user = await run_in_threadpool(accounts.check_login, username, password, client)
    except LoginRefused as exc:
        await slow_refusal()
        if exc.reason != "busy":  # a full hashing pool is load, not an event worth a row each
            accounts.audit(username or "-", "login_throttled", {"why": exc.reason}, None, client)
        response = _login_page(request, "登录尝试过多，请稍后再试。", 429, username)
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    if user is None:
        accounts.audit(username or "-", "login_failed", {}, None, client)
        return _login_page(request, "用户名或密码错误。", 401, username)
    token, _ = accounts.create_session(user.username, "web")
    accounts.audit(user.username, "login", {}, None, client)
    response = RedirectResponse(_safe_next(str(form.get("next", "/"))), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure_cookie(request),
        max_age=12 * 3600,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


async def logout(request: Request) -> Response:
    session = current_session(request)
    if session is not None:
        form = await request.form()
        check_csrf(request, form, session)
        cfg(request).accounts.end_session(request.cookies.get(SESSION_COOKIE, ""))
        cfg(request).accounts.audit(session.username, "logout", {}, None, client_addr(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login_submit, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
