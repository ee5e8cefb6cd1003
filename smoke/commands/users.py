"""`smoke users add|reset|list|role|disable|enable`: web and API accounts in $SMOKE_HOME/app.db."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from smoke import cli_text as txt
from smoke.accounts import ROLE_LABELS, ROLES, AccountError, Accounts
from smoke.cli_text import t


def _accounts() -> Accounts:
    from config.settings import get_settings

    return Accounts(get_settings().home / "app.db")


def _read_password() -> str:
    """The password from standard input: prompted twice on a terminal, the first line otherwise."""
    if sys.stdin.isatty():
        return click.prompt(t("users.password"), hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@contextmanager
def _account_errors() -> Iterator[None]:
    """An account problem (unknown user, bad role, weak password) ends the command with its message."""
    try:
        yield
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


def _role(role: str) -> str:
    """``auditor（审计员）``: the role id is what `--role` takes, so it is always shown."""
    return role if txt.is_en() else f"{role}（{ROLE_LABELS.get(role, role)}）"


@click.group("users")
def users() -> None:
    """管理网页与 API 用户（角色：查看员、分析员、审计员、管理员）。

    Manage web and API users (roles: viewer, analyst, auditor, admin)."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True, help="角色。 What the user may do.")
def add(username: str, role: str) -> None:
    """添加用户（密码从标准输入读取，至少 12 个字符）。

    Add USERNAME; the password is read from standard input (at least 12 characters, not a common one)."""
    with _account_errors():
        _accounts().add_user(username, _read_password(), role)
    click.echo(t("users.added", user=username, role=_role(role)))


@users.command("reset")
@click.argument("username")
def reset(username: str) -> None:
    """为用户设置新密码（从标准输入读取），并结束其会话。

    Set a new password for USERNAME (read from standard input); ends their sessions."""
    with _account_errors():
        _accounts().set_password(username, _read_password())
    click.echo(t("users.reset", user=username))


@users.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def role(username: str, role: str) -> None:
    """修改用户的角色。

    Give USERNAME another ROLE."""
    with _account_errors():
        _accounts().set_role(username, role)
    click.echo(t("users.role", user=username, role=_role(role)))


@users.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """停用用户（结束其会话）。

    Disable USERNAME (ends their sessions; they can no longer log in)."""
    with _account_errors():
        _accounts().set_disabled(username, True)
    click.echo(t("users.disabled", user=username))


@users.command("enable")
@click.argument("username")
def enable(username: str) -> None:
    """重新启用用户。

    Enable USERNAME again."""
    with _account_errors():
        _accounts().set_disabled(username, False)
    click.echo(t("users.enabled", user=username))


@users.command("tokens")
@click.argument("username", required=False, default="")
def tokens(username: str) -> None:
    """列出有效的 API 令牌（按编号；令牌本身从不存储）。

    List live API tokens (of USERNAME, or everyone's) by id; the tokens themselves are never stored."""
    rows = _accounts().list_tokens(username)
    if not rows:
        click.echo(t("users.no_tokens"))
    for tok in rows:
        click.echo(t("users.token", id=tok["id"], user=f"{tok['username']:<24}", created=txt.when(tok["created"]),
                     expires=txt.when(tok["expires"])))


@users.command("revoke-token")
@click.argument("token_id")
def revoke_token(token_id: str) -> None:
    """立即吊销一个 API 令牌。

    End the API token TOKEN_ID (from `smoke users tokens`) at once."""
    with _account_errors():
        if not _accounts().revoke_token(token_id):
            raise AccountError(f"token: no live token {token_id!r}")
    click.echo(t("users.revoked", id=token_id))


@users.command("list")
def list_users() -> None:
    """列出用户及其角色、创建时间与状态。

    List users with role, creation time and state."""
    rows = _accounts().list_users()
    if not rows:
        click.echo(t("users.none"))
        return
    for u in rows:
        state = t("users.off") if u.disabled else t("users.active")
        click.echo(f"{u.username:<24} {u.role:<8} {ROLE_LABELS[u.role]:<4} {txt.when(u.created)}  {state}")


COMMANDS = [users]
