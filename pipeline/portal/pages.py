"""The portal's pages (Chinese, server-rendered, no script): sign-in, a unit's week (status,
deadline, template, upload, its submissions) and the office's status table and submissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from pipeline.reporting.duty import members
from pipeline.portal.accounts import SESSION_FOR, Session
from pipeline.portal.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    TooLarge,
    address,
    attachment,
    new_token,
    read_form,
    same_token,
    set_cookie,
)
from pipeline.portal.template import blank_template, template_name
from pipeline.portal.web import BadToken, NoFile, portal_of, receive_upload, session_of
from pipeline.contract import Week

_SIGN_IN_FORM_BYTES = 16 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page(request: Request, template_file: str, status: int = 200, **context: Any) -> Response:
    portal = portal_of(request)
    context = {"programme": portal.program().name, "session": context.pop("session", None)} | context
    return request.app.state.templates.TemplateResponse(request, template_file, context, status_code=status)


def message(request: Request, status: int, title: str, text: str, session: Session | None = None) -> Response:
    return page(request, "message.html", status, title=title, text=text, session=session)


async def home(request: Request) -> Response:
    session = session_of(request)
    target = "/signin" if session is None else "/office" if session.account.office else "/unit"
    return RedirectResponse(target, 303)


async def sign_in_page(request: Request) -> Response:
    token = request.cookies.get(CSRF_COOKIE) or new_token()
    response = page(request, "signin.html", csrf=token, error=None)
    set_cookie(response, request, CSRF_COOKIE, token, same_site="strict")
    return response


async def sign_in(request: Request) -> Response:
    portal, where = portal_of(request), address(request)
    try:
        form = await read_form(request, _SIGN_IN_FORM_BYTES)
    except TooLarge:
        return message(request, 413, "请求过大", "登录表单的内容过长。")
    token = request.cookies.get(CSRF_COOKIE)
    if not same_token(token, form.get(CSRF_FIELD)):
        portal.refused("登录被拒（表单校验码不符）", str(form.get("name", "")), where)
        return message(request, 403, "表单已失效", "请重新打开登录页面后再登录。")
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    signed = await run_in_threadpool(portal.sign_in, name, password, where, "页面")
    if signed.account is None:
        locked = signed.locked_until
        error = (f"连续输错密码次数过多，该账号暂停登录至{locked:%H:%M}。" if locked else "账号或密码不正确。")
        return page(request, "signin.html", 429 if locked else 401, csrf=token, error=error, name=name)
    cookie = await run_in_threadpool(portal.accounts.open_session, signed.account, portal.now())
    response = RedirectResponse("/", 303)
    set_cookie(response, request, SESSION_COOKIE, cookie, max_age=int(SESSION_FOR.total_seconds()))
    return response


async def sign_out(request: Request) -> Response:
    session = session_of(request)
    if session is None:
        return RedirectResponse("/signin", 303)
    form = await read_form(request, _SIGN_IN_FORM_BYTES)
    if not same_token(session.csrf, form.get(CSRF_FIELD)):
        return message(request, 403, "表单已失效", "请刷新页面后重试。", session)
    portal_of(request).accounts.close_session(request.cookies[SESSION_COOKIE])
    response = RedirectResponse("/signin", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def unit_page(request: Request, outcome: dict | None = None, status: int = 200) -> Response:
    session = session_of(request)
    if session is None:
        return RedirectResponse("/signin", 303)
    if session.account.office:
        return RedirectResponse("/office", 303)
    portal = portal_of(request)
    week = Week.of(portal.now().date())
    figures, _ = await run_in_threadpool(portal.week_status, week)
    submissions = await run_in_threadpool(portal.submissions, session.account)
    unit = session.account.name
    mine = next((row for row in figures["by_unit"] if row["unit"] == unit), None)
    return page(request, "unit.html", status, session=session, week=week, figures=figures, mine=mine, unit=unit,
                submissions=submissions, outcome=outcome)


async def upload(request: Request) -> Response:
    session = session_of(request)
    if session is None or session.account.office:
        return RedirectResponse("/signin" if session is None else "/office", 303)
    try:
        outcome = await receive_upload(request, session.account, csrf=session.csrf)
    except BadToken:
        return message(request, 403, "表单已失效", "请刷新页面后重新上传。", session)
    except TooLarge:
        limit = portal_of(request).settings.max_upload
        return message(request, 413, "文件过大", f"上传内容超过上限（{limit / 2**20:.0f} MB）。", session)
    except NoFile:
        return message(request, 422, "没有文件", "请选择要上传的文件。", session)
    return await unit_page(request, outcome=asdict(outcome), status=422 if outcome.refused else 201)


async def template(request: Request) -> Response:
    session = session_of(request)
    if session is None or session.account.office:
        return RedirectResponse("/signin" if session is None else "/office", 303)
    data = await run_in_threadpool(blank_template, portal_of(request).program(), session.account.name)
    return Response(data, media_type=XLSX, headers={"content-disposition": attachment(template_name(session.account.name))})


async def office_page(request: Request) -> Response:
    session = session_of(request)
    if session is None:
        return RedirectResponse("/signin", 303)
    portal = portal_of(request)
    if not session.account.office:
        portal.refused("页面拒绝（成员单位账号打开办公室页面）", session.account.name, address(request))
        return message(request, 403, "无权查看", "报送情况仅办公室账号可查看。", session)
    try:
        week = Week.parse(request.query_params.get("week", "")) if "week" in request.query_params else None
    except ValueError as exc:
        return message(request, 400, "周次有误", str(exc), session)
    week = week or Week.of(portal.now().date())
    figures, note = await run_in_threadpool(portal.week_status, week)
    submissions = await run_in_threadpool(portal.submissions, session.account)
    earlier = Week.of(week.monday - dt.timedelta(days=7))
    return page(request, "office.html", session=session, week=week, figures=figures, note=note,
                submissions=submissions, earlier=earlier, later=week.following(),
                has_roster=members(portal.program()) is not None)


ROUTES = [
    Route("/", home),
    Route("/signin", sign_in_page, methods=["GET"]),
    Route("/signin", sign_in, methods=["POST"]),
    Route("/signout", sign_out, methods=["POST"]),
    Route("/unit", unit_page, methods=["GET"]),
    Route("/unit/upload", upload, methods=["POST"]),
    Route("/unit/template.xlsx", template, methods=["GET"]),
    Route("/office", office_page, methods=["GET"]),
]
