"""Users, roles, sessions, login throttling and the audit log.

Kept in an app database (``$SMOKE_HOME/app.db``), separate from the Store: the
Store holds what was crawled and computed, this holds who may see it and who did.

* Passwords are hashed with argon2id (argon2-cffi); unknown users still cost one
  hash so that timing does not reveal which user names exist.
* Session and API tokens are random; only their SHA-256 is stored, so a copy of
  app.db does not let anyone log in.
* Each session carries its own CSRF token (checked on every form POST).
* Login attempts are throttled per user name, per client address and globally,
  atomically: each password check is reserved in one write transaction before it
  runs (``BEGIN IMMEDIATE``), so 40 concurrent guesses cannot all see "4 so far";
  the counts live in the database, so the limits hold across worker processes.
* Password hashing runs in a bounded pool (``HASH_CONCURRENCY`` at once per
  process): a login beyond it is refused at once (``LoginRefused``, HTTP 429) rather
  than queued, so a flood neither exhausts memory (argon2id takes 64 MiB a hash) nor
  ties up the threads that serve logged-in users.
* Passwords are at least 12 characters and not in ``common_passwords.txt``.
* The last enabled admin cannot be demoted or disabled.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES: tuple[str, ...] = ("viewer", "analyst", "auditor", "admin")
ROLE_LABELS = {"viewer": "查看员", "analyst": "分析员", "auditor": "审计员", "admin": "管理员"}

# What each role may do beyond reading (admins may do everything).
_PERMISSIONS: dict[str, set[str]] = {
    "viewer": {"read"},
    "analyst": {"read", "ack_alerts"},
    "auditor": {"read", "ack_alerts", "export"},
    "admin": {"read", "ack_alerts", "export", "admin"},
}

SESSION_TTL = timedelta(hours=12)
API_TOKEN_TTL = timedelta(hours=24)
LOGIN_WINDOW = timedelta(minutes=1)
# Password checks allowed per LOGIN_WINDOW, per scope (a successful login clears its user's count).
LOGIN_LIMITS = {"user": 5, "addr": 20, "global": 200}
LOGIN_MAX_FAILURES = LOGIN_LIMITS["user"]
HASH_CONCURRENCY = 1  # argon2 hashes at once per process (each takes 64 MiB and a core)
USERNAME_MAX = 64
PASSWORD_MIN = 12
PASSWORD_MAX = 1024
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")

# argon2id, 64 MiB, 3 passes, one lane: a check takes one core, never all of them, so
# logged-in users keep a core while a login is checked (older p=4 hashes are redone on login).
_hasher = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=1)
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_hash_slots = threading.BoundedSemaphore(HASH_CONCURRENCY)


class AccountError(ValueError):
    """Bad user input for an account operation (unknown role, short password, ...)."""


class LoginRefused(Exception):
    """A login not even checked: throttled, or the hashing pool is full (HTTP 429)."""

    def __init__(self, reason: str, retry_after_s: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


@contextmanager
def _hash_slot(wait: bool) -> Iterator[None]:
    """One of the HASH_CONCURRENCY hashing slots; without ``wait``, LoginRefused when all are taken."""
    if not _hash_slots.acquire(blocking=wait):
        raise LoginRefused("busy", 1)
    try:
        yield
    finally:
        _hash_slots.release()


class _Refusals:
    """Per-process memory of throttle scopes found full, so a flood's repeats are refused
    without touching the database or a worker thread (the database stays the authority:
    it is asked again once the memory expires)."""

    HOLD_S = 5.0

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def hold(self, key: str) -> None:
        with self._lock:
            if len(self._until) > 100_000:  # a spray of distinct names must not grow it forever
                self._until.clear()
            self._until[key] = time.monotonic() + self.HOLD_S

    def forget(self, key: str) -> None:
        with self._lock:
            self._until.pop(key, None)

    def held(self, keys: Iterator[str] | list[str]) -> str | None:
        now = time.monotonic()
        for key in keys:
            until = self._until.get(key)
            if until is not None and until > now:
                return key
        return None


_refusals = _Refusals()
_common: frozenset[str] | None = None


def common_passwords() -> frozenset[str]:
    global _common
    if _common is None:
        lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
        _common = frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))
    return _common


def can(role: str, permission: str) -> bool:
    """Whether ``role`` holds ``permission`` (read | ack_alerts | export | admin)."""
    return permission in _PERMISSIONS.get(role, set())


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class User:
    username: str
    role: str
    created: str
    disabled: bool = False


@dataclass(slots=True)
class Session:
    username: str
    role: str
    csrf: str
    kind: str  # web | api
    expires: str


@dataclass(slots=True)
class AuditEntry:
    id: int
    ts: str
    username: str
    action: str
    detail: dict[str, Any]
    row_count: int | None
    client: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ts": self.ts,
            "username": self.username,
            "action": self.action,
            "detail": self.detail,
            "row_count": self.row_count,
            "client": self.client,
        }


_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    pw_hash TEXT NOT NULL,
    created TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    row_count INTEGER,
    client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_ts ON audit(ts);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,
    ts TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures(key, ts);
"""


class Accounts:
    """The app database. Safe to share between threads: one short connection per call."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        from smoke.errors import reading

        with reading(self.path, "account database"), self._conn() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _conn(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection; ``durable`` False skips the fsync at commit (WAL stays consistent;
        a power cut may forget the last commits): for the login counters, whose writes
        would otherwise hold the write lock for an fsync each during a flood."""
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            if not durable:
                db.execute("PRAGMA synchronous = NORMAL")
            with db:
                yield db
        finally:
            db.close()

    # --- users ---------------------------------------------------------------
    @staticmethod
    def _check_username(username: str) -> str:
        username = (username or "").strip()
        if not username or len(username) > USERNAME_MAX or not username.isprintable() or " " in username:
            raise AccountError(f"username: expected 1-{USERNAME_MAX} printable characters without spaces")
        return username

    @staticmethod
    def _check_password(password: str) -> None:
        if not (PASSWORD_MIN <= len(password or "") <= PASSWORD_MAX):
            raise AccountError(f"password: expected {PASSWORD_MIN}-{PASSWORD_MAX} characters")
        low = password.lower()
        if low in common_passwords() or len(set(low)) < 4:
            raise AccountError("password: too common or too simple (see smoke/common_passwords.txt); choose another")

    @staticmethod
    def _hash(password: str) -> str:
        with _hash_slot(wait=True):
            return _hasher.hash(password)

    @staticmethod
    def _check_role(role: str) -> str:
        if role not in ROLES:
            raise AccountError(f"role: expected one of {', '.join(ROLES)}, got {role!r}")
        return role

    def add_user(self, username: str, password: str, role: str) -> User:
        username = self._check_username(username)
        self._check_role(role)
        self._check_password(password)
        created = _iso(_now())
        try:
            with self._conn() as db:
                db.execute(
                    "INSERT INTO users (username, role, pw_hash, created) VALUES (?, ?, ?, ?)",
                    (username, role, self._hash(password), created),
                )
        except sqlite3.IntegrityError:
            raise AccountError(f"username: {username!r} already exists") from None
        return User(username, role, created)

    def set_password(self, username: str, password: str) -> None:
        """Reset a password; every open session and token of the user ends."""
        self._check_password(password)
        with self._conn() as db:
            cur = db.execute("UPDATE users SET pw_hash = ? WHERE username = ?", (self._hash(password), username))
            if cur.rowcount == 0:
                raise AccountError(f"username: no user {username!r}")
            db.execute("DELETE FROM sessions WHERE username = ?", (username,))

    @staticmethod
    def _keep_an_admin(db: sqlite3.Connection, username: str, what: str) -> None:
        """Refuse (inside the write transaction) a change that leaves no enabled admin."""
        left = db.execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0").fetchone()[0]
        if left == 0:
            raise AccountError(f"username: {username!r} is the last enabled admin and cannot be {what}; "
                               "make another admin first")

    def set_role(self, username: str, role: str) -> None:
        self._check_role(role)
        with self._conn() as db:
            db.execute("BEGIN IMMEDIATE")
            cur = db.execute("UPDATE users SET role = ? WHERE username = ?", (role, username))
            if cur.rowcount == 0:
                raise AccountError(f"username: no user {username!r}")
            self._keep_an_admin(db, username, "demoted")

    def set_disabled(self, username: str, disabled: bool) -> None:
        with self._conn() as db:
            db.execute("BEGIN IMMEDIATE")
            cur = db.execute("UPDATE users SET disabled = ? WHERE username = ?", (int(disabled), username))
            if cur.rowcount == 0:
                raise AccountError(f"username: no user {username!r}")
            if disabled:
                self._keep_an_admin(db, username, "disabled")
                db.execute("DELETE FROM sessions WHERE username = ?", (username,))

    def get_user(self, username: str) -> User | None:
        with self._conn() as db:
            row = db.execute(
                "SELECT username, role, created, disabled FROM users WHERE username = ?", (username,)
            ).fetchone()
        return User(row[0], row[1], row[2], bool(row[3])) if row else None

    def list_users(self) -> list[User]:
        with self._conn() as db:
            rows = db.execute("SELECT username, role, created, disabled FROM users ORDER BY username").fetchall()
        return [User(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password matches and the account is enabled, else None."""
        with self._conn() as db:
            row = db.execute(
                "SELECT username, role, created, disabled, pw_hash FROM users WHERE username = ?",
                (username or "",),
            ).fetchone()
        if row is None:
            # same cost as a real check: do not reveal which names exist
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password or "")
            return None
        try:
            _hasher.verify(row[4], password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row[3]:
            return None
        if _hasher.check_needs_rehash(row[4]):
            with self._conn() as db:
                db.execute("UPDATE users SET pw_hash = ? WHERE username = ?", (_hasher.hash(password), row[0]))
        return User(row[0], row[1], row[2], False)

    def precheck_login(self, username: str, client: str) -> None:
        """Cheap refusals, safe to call on the event loop: a scope remembered full, or no
        hashing slot free right now. Raises ``LoginRefused``; ``check_login`` decides."""
        keys = self._throttle_keys(username, client)
        held = _refusals.held(list(keys.values()))
        if held is not None:
            scope = next(s for s, k in keys.items() if k == held)
            raise LoginRefused(f"throttled per {scope}", int(LOGIN_WINDOW.total_seconds()))
        if _hash_slots._value <= 0:  # advisory peek; the real acquire is in check_login
            raise LoginRefused("busy", 1)

    def check_login(self, username: str, password: str, client: str) -> User | None:
        """The one login rule (web form and API token): a free hashing slot, then an
        atomically reserved attempt (per user name, address and globally), then the
        password check. None for a wrong password; ``LoginRefused`` when not checked."""
        self.precheck_login(username, client)
        with _hash_slot(wait=False):
            reserved = self._reserve_attempt(username, client)
            if isinstance(reserved, str):
                _refusals.hold(self._throttle_keys(username, client)[reserved])
                raise LoginRefused(f"throttled per {reserved}", int(LOGIN_WINDOW.total_seconds()))
            user = self.authenticate(username, password)
        if user is not None:  # only failed checks count against the address and the world
            with self._conn(durable=False) as db:
                db.executemany("DELETE FROM login_failures WHERE rowid = ?", [(r,) for r in reserved])
            self.clear_login_failures(username, client)
        return user

    # --- login throttling ----------------------------------------------------
    @staticmethod
    def _throttle_keys(username: str, client: str) -> dict[str, str]:
        return {"user": "user\x1f" + (username or "").strip().lower(), "addr": "addr\x1f" + client,
                "global": "global"}

    def _reserve_attempt(self, username: str, client: str) -> list[int] | str:
        """Count one password check against every scope, in one write transaction: the
        rows reserved (to drop after a success), or the scope already full (user, addr,
        global)."""
        now = _now()
        since = _iso(now - LOGIN_WINDOW)
        keys = self._throttle_keys(username, client)
        with self._conn(durable=False) as db:
            db.execute("BEGIN IMMEDIATE")  # the count and the insert are one step for every process
            db.execute("DELETE FROM login_failures WHERE ts < ?", (since,))
            for scope, key in keys.items():
                (n,) = db.execute("SELECT COUNT(*) FROM login_failures WHERE key = ? AND ts >= ?",
                                  (key, since)).fetchone()
                if n >= LOGIN_LIMITS[scope]:
                    return scope
            rows = []
            for key in keys.values():
                rows.append(db.execute("INSERT INTO login_failures (key, ts) VALUES (?, ?)",
                                       (key, _iso(now))).lastrowid)
        return rows

    def login_blocked(self, username: str, client: str) -> bool:
        """True when this user name has used up its password checks for the last minute."""
        since = _iso(_now() - LOGIN_WINDOW)
        with self._conn() as db:
            (n,) = db.execute("SELECT COUNT(*) FROM login_failures WHERE key = ? AND ts >= ?",
                              (self._throttle_keys(username, client)["user"], since)).fetchone()
        return n >= LOGIN_LIMITS["user"]

    def clear_login_failures(self, username: str, client: str) -> None:
        """After a successful login: its user name starts afresh (address and global counts stay)."""
        _refusals.forget(self._throttle_keys(username, client)["user"])
        with self._conn() as db:
            db.execute("DELETE FROM login_failures WHERE key = ?", (self._throttle_keys(username, client)["user"],))

    # --- sessions and API tokens ---------------------------------------------
    def create_session(self, username: str, kind: str = "web") -> tuple[str, Session]:
        """A new random token (returned once, stored hashed) and its session."""
        user = self.get_user(username)
        if user is None or user.disabled:
            raise AccountError(f"username: no enabled user {username!r}")
        token = secrets.token_urlsafe(32)
        now = _now()
        expires = _iso(now + (API_TOKEN_TTL if kind == "api" else SESSION_TTL))
        csrf = secrets.token_urlsafe(32)
        with self._conn() as db:
            db.execute("DELETE FROM sessions WHERE expires < ?", (_iso(now),))
            db.execute(
                "INSERT INTO sessions (token_hash, username, kind, csrf, created, expires) VALUES (?, ?, ?, ?, ?, ?)",
                (_token_hash(token), username, kind, csrf, _iso(now), expires),
            )
        return token, Session(username, user.role, csrf, kind, expires)

    def get_session(self, token: str, kind: str = "web") -> Session | None:
        if not token or len(token) > 200:
            return None
        with self._conn() as db:
            row = db.execute(
                "SELECT s.username, u.role, s.csrf, s.kind, s.expires FROM sessions s "
                "JOIN users u ON u.username = s.username "
                "WHERE s.token_hash = ? AND s.kind = ? AND u.disabled = 0",
                (_token_hash(token), kind),
            ).fetchone()
        if row is None or row[4] < _iso(_now()):
            return None
        return Session(*row)

    def end_session(self, token: str) -> None:
        with self._conn() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))

    # A token's id: the first TOKEN_ID_LEN hex digits of its SHA-256 (never the token).
    TOKEN_ID_LEN = 16

    def list_tokens(self, username: str = "") -> list[dict[str, str]]:
        """Live API tokens (of ``username``, or everyone's): id, user, created, expires."""
        sql = "SELECT token_hash, username, created, expires FROM sessions WHERE kind = 'api' AND expires >= ?"
        args: list[Any] = [_iso(_now())]
        if username:
            sql += " AND username = ?"
            args.append(username)
        with self._conn() as db:
            rows = db.execute(sql + " ORDER BY created, token_hash", args).fetchall()
        return [{"id": r[0][: self.TOKEN_ID_LEN], "username": r[1], "created": r[2], "expires": r[3]} for r in rows]

    def revoke_token(self, token_id: str, username: str = "") -> bool:
        """End the API token whose id is ``token_id`` (only ``username``'s when given)."""
        if len(token_id) != self.TOKEN_ID_LEN or not all(c in "0123456789abcdef" for c in token_id):
            raise AccountError(f"token: expected an id of {self.TOKEN_ID_LEN} hex digits (smoke users tokens)")
        sql = "DELETE FROM sessions WHERE kind = 'api' AND substr(token_hash, 1, ?) = ?"
        args: list[Any] = [self.TOKEN_ID_LEN, token_id]
        if username:
            sql += " AND username = ?"
            args.append(username)
        with self._conn() as db:
            return db.execute(sql, args).rowcount > 0

    # --- audit log -----------------------------------------------------------
    def audit(
        self,
        username: str,
        action: str,
        detail: dict[str, Any] | None = None,
        row_count: int | None = None,
        client: str = "",
    ) -> None:
        """Record who did what (search, view_company, export, login, ...), with the query and row count."""
        with self._conn() as db:
            db.execute(
                "INSERT INTO audit (ts, username, action, detail, row_count, client) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    _iso(_now()),
                    username,
                    action,
                    json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
                    row_count,
                    client,
                ),
            )

    def list_audit(
        self, limit: int = 100, offset: int = 0, username: str = "", action: str = ""
    ) -> list[AuditEntry]:
        sql = "SELECT id, ts, username, action, detail, row_count, client FROM audit WHERE 1 = 1"
        args: list[Any] = []
        if username:
            sql += " AND username = ?"
            args.append(username)
        if action:
            sql += " AND action = ?"
            args.append(action)
        sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
        args += [max(0, min(limit, 10_000)), max(0, offset)]
        with self._conn() as db:
            rows = db.execute(sql, args).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]
