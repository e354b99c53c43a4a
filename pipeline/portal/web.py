"""What the pages and the API share: the portal behind a request, who is calling (a session
cookie for pages, HTTP Basic for the API), and receiving an upload into a staged file."""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pipeline.portal.accounts import Account, Session
from pipeline.portal.security import (
    CSRF_FIELD,
    SESSION_COOKIE,
    TooLarge,
    address,
    basic_credentials,
    read_form,
    same_token,
)
from pipeline.portal.service import Portal, staged_upload
from pipeline.portal.uploads import Outcome

_CHUNK = 1 << 16
REALM = 'Basic realm="portal", charset="UTF-8"'


class NoFile(Exception):
    """The form carries no file in its `file` field."""


class BadToken(Exception):
    """A page's form without its session's CSRF token."""


def portal_of(request: Request) -> Portal:
    return request.app.state.portal


def session_of(request: Request) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    portal = portal_of(request)
    return portal.accounts.session(token, portal.now())


async def api_account(request: Request) -> Account | Response:
    """The account named by HTTP Basic, or the 401/429 answer (each refusal logged)."""
    portal, where = portal_of(request), address(request)
    credentials = basic_credentials(request)
    if credentials is None:
        portal.refused("接口拒绝（未提供账号密码）", None, where, 路径=request.url.path)
        return JSONResponse({"error": "需要账号和密码（HTTP Basic）"}, 401, {"www-authenticate": REALM})
    signed = await run_in_threadpool(portal.sign_in, *credentials, where, "接口")
    if signed.account is not None:
        return signed.account
    if signed.locked_until is not None:
        until = signed.locked_until.strftime("%H:%M")
        return JSONResponse({"error": f"连续输错密码次数过多，该账号暂停登录至{until}"}, 429,
                            {"retry-after": str(int((signed.locked_until - portal.now()).total_seconds()) + 1)})
    return JSONResponse({"error": "账号或密码不正确"}, 401, {"www-authenticate": REALM})


async def receive_upload(request: Request, account: Account, csrf: str | None = None) -> Outcome:
    """Read the form (no further than the upload limit), stage its file, check and maybe store it;
    raises TooLarge, NoFile, or BadToken when `csrf` is given and the form does not carry it."""
    portal = portal_of(request)
    try:
        form = await read_form(request, portal.settings.max_upload)
    except TooLarge:
        portal.refused("上传被拒（超过大小上限）", account.name, address(request), 上限=portal.settings.max_upload)
        raise
    try:
        if csrf is not None and not same_token(csrf, form.get(CSRF_FIELD)):
            portal.refused("上传被拒（表单校验码不符）", account.name, address(request))
            raise BadToken
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise NoFile
        staged = await _staged(upload)
        try:
            outcome = await run_in_threadpool(portal.submit, account, staged, upload.filename, address(request))
        finally:
            staged.unlink(missing_ok=True)
        return outcome
    finally:
        await form.close()


async def _staged(upload: UploadFile) -> Path:
    staged = staged_upload()
    with staged.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            out.write(chunk)
    return staged


def outcome_json(outcome: Outcome) -> dict:
    """The answer of POST /api/submissions (CONTRACT section 8), with `replaces` and `notes` besides."""
    return {"unit": outcome.unit, "week": outcome.week, "file": outcome.file, "rows_read": outcome.rows_read,
            "rows_counted": outcome.rows_counted, "rows_rejected": outcome.rows_rejected, "problems": outcome.problems,
            "replaces": outcome.replaces, "notes": outcome.notes}
