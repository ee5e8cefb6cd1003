"""`smoke users add|reset|list|role|disable|enable`: web and API accounts in $SMOKE_HOME/app.db."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from smoke.accounts import ROLE_LABELS, ROLES, AccountError, Accounts


def _accounts() -> Accounts:
    from config.settings import get_settings

    return Accounts(get_settings().home / "app.db")


def _read_password() -> str:
    """The password from standard input: prompted twice on a terminal, the first line otherwise."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@contextmanager
def _account_errors() -> Iterator[None]:
    """An account problem (unknown user, bad role, weak password) ends the command with its message."""
    try:
        yield
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("users")
def users() -> None:
    """Manage web and API users (roles: viewer, analyst, auditor, admin)."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True, help="What the user may do.")
def add(username: str, role: str) -> None:
    """Add USERNAME; the password is read from standard input (at least 12 characters, not a common one)."""
    with _account_errors():
        _accounts().add_user(username, _read_password(), role)
    click.echo(f"added {username} ({role})")


@users.command("reset")
@click.argument("username")
def reset(username: str) -> None:
    """Set a new password for USERNAME (read from standard input); ends their sessions."""
    with _account_errors():
        _accounts().set_password(username, _read_password())
    click.echo(f"password reset for {username}; their sessions and tokens ended")


@users.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def role(username: str, role: str) -> None:
    """Give USERNAME another ROLE."""
    with _account_errors():
        _accounts().set_role(username, role)
    click.echo(f"{username} is now {role}")


@users.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable USERNAME (ends their sessions; they can no longer log in)."""
    with _account_errors():
        _accounts().set_disabled(username, True)
    click.echo(f"{username} disabled")


@users.command("enable")
@click.argument("username")
def enable(username: str) -> None:
    """Enable USERNAME again."""
    with _account_errors():
        _accounts().set_disabled(username, False)
    click.echo(f"{username} enabled")


@users.command("tokens")
@click.argument("username", required=False, default="")
def tokens(username: str) -> None:
    """List live API tokens (of USERNAME, or everyone's) by id; the tokens themselves are never stored."""
    rows = _accounts().list_tokens(username)
    if not rows:
        click.echo("no live API tokens")
    for t in rows:
        click.echo(f"{t['id']}  {t['username']:<24} created {t['created']}  expires {t['expires']}")


@users.command("revoke-token")
@click.argument("token_id")
def revoke_token(token_id: str) -> None:
    """End the API token TOKEN_ID (from `smoke users tokens`) at once."""
    with _account_errors():
        if not _accounts().revoke_token(token_id):
            raise AccountError(f"token: no live token {token_id!r}")
    click.echo(f"token {token_id} revoked")


@users.command("list")
def list_users() -> None:
    """List users with role, creation time and state."""
    rows = _accounts().list_users()
    if not rows:
        click.echo("no users yet: smoke users add NAME --role admin")
        return
    for u in rows:
        state = "disabled" if u.disabled else "active"
        click.echo(f"{u.username:<24} {u.role:<8} {ROLE_LABELS[u.role]:<4} {u.created}  {state}")


COMMANDS = [users]
