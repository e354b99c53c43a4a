"""The portal's web defences: security headers on every response, the session and CSRF cookies,
HTTP Basic credentials, the caller's address, and a request body read no further than
PIPELINE_MAX_UPLOAD bytes."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from urllib.parse import quote

from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "portal_session"
CSRF_COOKIE = "portal_csrf"  # the sign-in form's token, before there is a session
CSRF_FIELD = "csrf"
HEADERS = {
    # no script at all, styles only from our own stylesheet, never inside another site's frame
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


class SecurityHeaders:
    """ASGI middleware: HEADERS on every HTTP response (pages, API, errors, static files)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class TooLarge(Exception):
    """The request body is over the upload limit."""


async def read_form(request: Request, limit: int) -> FormData:
    """The request's multipart form, refused (TooLarge) once its body passes `limit` bytes: at
    once when Content-Length says so, else as the bytes arrive, so nothing past it is read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await request.receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
        return message

    return await Request(request.scope, counted).form(max_files=1, max_fields=8)


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """HTTP Basic's account name and password (UTF-8, as browsers and httpx send them)."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        text = decoded.decode("latin-1")
    name, colon, password = text.partition(":")
    return (name, password) if colon else None


def address(request: Request) -> str:
    """The caller's address (behind a proxy: what uvicorn's --proxy-headers took from X-Forwarded-For)."""
    return request.client.host if request.client else "-"


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None,
               same_site: str = "lax") -> None:
    """An HttpOnly cookie for this site only, Secure behind TLS."""
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite=same_site,
                        secure=is_https(request))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: object) -> bool:
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(expected.encode(), given.encode())


def attachment(name: str) -> str:
    """A Content-Disposition for a download with a Chinese file name (RFC 6266)."""
    return f"attachment; filename=\"template.xlsx\"; filename*=UTF-8''{quote(name)}"
