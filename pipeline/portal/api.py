"""JSON for scripts, with HTTP Basic (CONTRACT section 8): POST and GET /api/submissions,
GET /api/status?week=YYYY-Www (office accounts only)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pipeline.portal.security import TooLarge, address
from pipeline.portal.web import NoFile, api_account, outcome_json, portal_of, receive_upload
from pipeline.contract import Week


async def post_submission(request: Request) -> Response:
    account = await api_account(request)
    if isinstance(account, Response):
        return account
    if account.office:
        portal_of(request).refused("上传被拒（办公室账号不能报送）", account.name, address(request))
        return JSONResponse({"error": "办公室账号不能报送动态；请用成员单位的账号"}, 403)
    try:
        outcome = await receive_upload(request, account)
    except TooLarge:
        limit = portal_of(request).settings.max_upload
        return JSONResponse({"error": f"上传内容超过上限（{limit}字节）"}, 413, {"connection": "close"})
    except NoFile:
        return JSONResponse({"error": "请求中没有文件（multipart 字段 file）", "problems": []}, 422)
    return JSONResponse(outcome_json(outcome), 422 if outcome.refused else 201)


async def get_submissions(request: Request) -> Response:
    account = await api_account(request)
    if isinstance(account, Response):
        return account
    submissions = await run_in_threadpool(portal_of(request).submissions, account)
    return JSONResponse({"submissions": submissions})


async def get_status(request: Request) -> Response:
    account = await api_account(request)
    if isinstance(account, Response):
        return account
    portal = portal_of(request)
    if not account.office:
        portal.refused("接口拒绝（成员单位账号查看报送情况）", account.name, address(request))
        return JSONResponse({"error": "报送情况仅办公室账号可查看"}, 403)
    try:
        week = Week.parse(request.query_params["week"]) if "week" in request.query_params else Week.of(portal.now().date())
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, 400)
    figures, _ = await run_in_threadpool(portal.week_status, week)
    return JSONResponse(figures)


ROUTES = [
    Route("/api/submissions", post_submission, methods=["POST"]),
    Route("/api/submissions", get_submissions, methods=["GET"]),
    Route("/api/status", get_status, methods=["GET"]),
]
