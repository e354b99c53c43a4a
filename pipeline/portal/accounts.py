"""The portal's accounts (PIPELINE_ACCOUNTS, a SQLite file): unit and office accounts with
salted scrypt hashes, sign-in with 10 wrong passwords in a row locking a name for 15 minutes,
and the signed-in browsers' sessions with their CSRF tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.portal.storage import create, transaction

# scrypt's cost: 16 MiB and tens of milliseconds a check, so a stolen file resists guessing
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
MAX_FAILURES = 10
LOCKED_FOR = dt.timedelta(minutes=15)
SESSION_FOR = dt.timedelta(hours=12)
MIN_PASSWORD = 8
MAX_PASSWORD = 256
# checked against when a name has no account, so a wrong name costs as long as a wrong password
_NOBODY_SALT, _NOBODY_HASH = b"\0" * 16, b"\0" * 32


class AccountError(ValueError):
    """A mistake in an accounts command (the message is Chinese)."""


@dataclass(frozen=True)
class Account:
    name: str
    office: bool


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account, or None with `locked_until` set when refused."""

    account: Account | None
    locked_until: dt.datetime | None = None


@dataclass(frozen=True)
class Session:
    account: Account
    csrf: str


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"密码应为{MIN_PASSWORD}至{MAX_PASSWORD}个字符")
    return password


class Accounts:
    """The accounts file; each call opens its own connection (the server calls from many threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create(path, "portal_accounts")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with transaction(self.path) as conn:
            yield conn

    def add(self, name: str, office: bool, password: str, now: dt.datetime) -> None:
        salt = secrets.token_bytes(16)
        try:
            with self._connect() as conn:
                conn.execute("insert into accounts (name, office, salt, hash, created, changed) values (?, ?, ?, ?, ?, ?)",
                             (name, int(office), salt, _hash(check_password(password), salt), now.isoformat(), now.isoformat()))
        except sqlite3.IntegrityError:
            raise AccountError(f"账号“{name}”已存在（改密码请用 accounts reset）") from None

    def reset(self, name: str, password: str, now: dt.datetime) -> None:
        """A new password; the account's sessions end and its lock is lifted."""
        salt = secrets.token_bytes(16)
        with self._connect() as conn:
            changed = conn.execute("update accounts set salt = ?, hash = ?, changed = ? where name = ?",
                                   (salt, _hash(check_password(password), salt), now.isoformat(), name)).rowcount
            if not changed:
                raise AccountError(f"没有账号“{name}”")
            conn.execute("delete from sessions where account = ?", (name,))
            conn.execute("delete from attempts where name = ?", (name,))

    def has_office(self) -> bool:
        with self._connect() as conn:
            return conn.execute("select count(*) from accounts where office = 1").fetchone()[0] > 0

    def sign_in(self, name: str, password: str, now: dt.datetime) -> SignIn:
        """Check a password, unless the name is locked; the 10th wrong one in a row locks it."""
        with self._connect() as conn:
            failures, locked_until = conn.execute(
                "select failures, locked_until from attempts where name = ?", (name,)).fetchone() or (0, 0.0)
            if locked_until > now.timestamp():
                return SignIn(None, dt.datetime.fromtimestamp(locked_until, now.tzinfo))
            found = conn.execute("select office, salt, hash from accounts where name = ?", (name,)).fetchone()
            office, salt, stored = found or (0, _NOBODY_SALT, _NOBODY_HASH)
            if hmac.compare_digest(_hash(password[:MAX_PASSWORD], salt), stored) and found is not None:
                conn.execute("delete from attempts where name = ?", (name,))
                return SignIn(Account(name, bool(office)))
            failures += 1
            locked = now + LOCKED_FOR if failures >= MAX_FAILURES else None
            conn.execute("insert or replace into attempts (name, failures, locked_until) values (?, ?, ?)",
                         (name, 0 if locked else failures, locked.timestamp() if locked else 0.0))
            return SignIn(None, locked)

    def account(self, name: str) -> Account | None:
        with self._connect() as conn:
            found = conn.execute("select office from accounts where name = ?", (name,)).fetchone()
        return Account(name, bool(found[0])) if found else None

    def open_session(self, account: Account, now: dt.datetime) -> str:
        """A new session's cookie token (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        with self._connect() as conn:
            conn.execute("delete from sessions where expires < ?", (now.timestamp(),))
            conn.execute("insert into sessions (token_sha256, account, csrf, expires) values (?, ?, ?, ?)",
                         (_digest(token), account.name, secrets.token_urlsafe(32), (now + SESSION_FOR).timestamp()))
        return token

    def session(self, token: str, now: dt.datetime) -> Session | None:
        with self._connect() as conn:
            found = conn.execute(
                "select s.account, s.csrf, a.office from sessions s join accounts a on a.name = s.account "
                "where s.token_sha256 = ? and s.expires > ?", (_digest(token), now.timestamp())).fetchone()
        return Session(Account(found[0], bool(found[2])), found[1]) if found else None

    def close_session(self, token: str) -> None:
        with self._connect() as conn:
            conn.execute("delete from sessions where token_sha256 = ?", (_digest(token),))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
